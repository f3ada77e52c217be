"""The publishing workflow (.github/workflows/pages.yml) runs the README's commands and keeps the internal
build away from GitHub Pages."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def readme_commands() -> list[str]:
    """The commands of the README's first ``sh`` block: [install + build, install + test]."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert block, "README.md starts with a ```sh block holding the build and test commands"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def run_lines(workflow: dict) -> list[str]:
    return [line.strip() for step in steps(workflow) for line in step.get("run", "").splitlines() if line.strip()]


def uses(step: dict, action: str) -> bool:
    return step.get("uses", "").split("@")[0] == action


def build_out(line: str) -> tuple[str, str] | None:
    """(audience, out folder) of a ``valuemap build`` in a run line, else None."""
    words = shlex.split(line.split("valuemap build", 1)[1]) if "valuemap build" in line else None
    if words is None:
        return None
    words = words[: words.index("&&")] if "&&" in words else words
    value = lambda flag, default: words[words.index(flag) + 1] if flag in words else default  # noqa: E731
    return value("--audience", "external"), value("--out", "site")


def test_triggers_on_push_to_main_and_by_hand(workflow):
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in workflow["on"]


def test_runs_the_readme_commands(workflow):
    build_command, test_command = readme_commands()
    lines = run_lines(workflow)
    assert test_command in lines, f"the README's test command is not run:\n{test_command}"
    assert build_command in lines, f"the README's build command is not run:\n{build_command}"
    assert any(line.startswith(".venv/bin/valuemap check") and "--strict" in line and "--format github" in line
               for line in lines)
    job = workflow["jobs"]["build"]
    assert job["env"]["VALUEMAP_REQUIRE_BROWSER"] == "1"  # browser tests may not pass by skipping
    install = next(step["run"] for step in job["steps"] if "apt-get install" in step.get("run", ""))
    assert "chromium" in install.split()  # Debian's Chromium, from apt
    assert "3.11" in str(job.get("container", "")) + str([s.get("with") for s in job["steps"]])


def test_only_the_external_build_reaches_pages(workflow):
    builds = [b for b in map(build_out, run_lines(workflow)) if b]
    assert ("external", "site") in builds
    internal_outs = {out for audience, out in builds if audience == "internal"}
    assert internal_outs == {"site-internal"}
    pages_uploads = [s for s in steps(workflow) if uses(s, "actions/upload-pages-artifact")]
    assert [s["with"]["path"] for s in pages_uploads] == ["site"]
    for step in pages_uploads:
        assert step["with"]["path"] not in internal_outs
    artifacts = [s for s in steps(workflow) if uses(s, "actions/upload-artifact")]
    assert [s["with"]["path"] for s in artifacts] == ["site-internal"]
    assert "site-internal" not in str([s for s in steps(workflow) if uses(s, "actions/deploy-pages")])


def test_deploys_with_the_pages_permissions(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert any(uses(s, "actions/deploy-pages") for s in deploy["steps"])
    assert workflow["permissions"] == {"contents": "read"}  # nothing else may write


def test_the_internal_site_is_kept_only_where_it_stays_private(workflow):
    """Anyone who can read a repository can download its workflow artifacts: on a public repository the
    internal build (talk tracks, notes, the prospect pages' addresses) would be everyone's."""
    artifacts = [s for s in steps(workflow) if uses(s, "actions/upload-artifact")]
    assert artifacts and all(s.get("if") == "${{ github.event.repository.private }}" for s in artifacts), artifacts


def test_both_builds_get_the_prospect_secret_from_the_repository_s_secrets(workflow):
    env = workflow["jobs"]["build"]["env"]
    assert env["VALUEMAP_PROSPECT_SECRET"] == "${{ secrets.VALUEMAP_PROSPECT_SECRET }}"
