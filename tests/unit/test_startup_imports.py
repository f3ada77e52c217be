"""Start-up stays light: what ``valuemap --version`` and ``valuemap check`` import (not how long they take —
that is measured by ``python bench/run.py --startup``; targets ≤ 100 ms and ≤ 250 ms whole process).

Each case runs in a fresh interpreter and lists ``sys.modules`` afterwards, so a module-level ``import jinja2``
(or plotly, Babel, rich, the Markdown engine, the views) slipping back into the start-up path fails here.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Needed only to render pages, draw a progress bar or serve: never by --version, never by check.
RENDERING = ("jinja2", "plotly", "babel", "rich", "cmarkgfm", "nh3", "markdown", "watchfiles", "orjson", "cffi",
             "generator.views", "generator.render", "generator.text", "generator.charts", "generator.formats",
             "generator.value_map_chart", "generator.serve", "generator.live_reload", "generator.labels",
             "generator.export")
# check reads and scores; it never writes a site.
CHECKING_ONLY = RENDERING + ("generator.write", "generator.site_folder", "generator.incremental", "generator.parallel",
                            "generator.links")  # links: only when some text may link (generator/link_texts.py)
# --version needs nothing but the version string.
HEAVY = RENDERING + ("pydantic", "yaml", "generator.cli", "generator.build", "generator.model", "generator.validate")

PROBE = """
import json, sys
sys.argv = {argv!r}
from generator.entry import main
try:
    code = main()
except SystemExit as exc:
    code = exc.code
sys.stdout.flush()
print("\\nMODULES=" + json.dumps(sorted(sys.modules)))
sys.exit(code)
"""


def imported(argv: list[str], cwd: Path) -> tuple[int, str, set[str]]:
    """Run the console script's ``main`` with ``argv`` in a fresh interpreter: (exit code, output, modules)."""
    run = subprocess.run([sys.executable, "-c", PROBE.format(argv=["valuemap", *argv])], cwd=cwd,
                         capture_output=True, text=True, timeout=120)
    out, _, modules = run.stdout.rpartition("\nMODULES=")
    assert modules, run.stderr
    return run.returncode, out, set(json.loads(modules))


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_version_imports_nothing_heavy():
    code, out, modules = imported(["--version"], ROOT)
    assert code == 0 and out.strip() == "valuemap " + __import__("generator").__version__
    assert loaded(modules, HEAVY) == []


def test_version_text_is_the_same_as_argparse_gives(capsys):
    """The short cut in generator.entry prints exactly what the CLI's own --version prints."""
    from generator.cli import _parser

    with pytest.raises(SystemExit) as exit_:
        _parser().parse_args(["--version"])
    assert exit_.value.code == 0
    code, out, _ = imported(["--version"], ROOT)
    assert code == 0 and out == capsys.readouterr().out


def test_check_imports_no_rendering():
    code, out, modules = imported(["check", "--content", str(ROOT / "content")], ROOT)
    assert code == 0, out
    assert "no errors" in out
    assert loaded(modules, CHECKING_ONLY) == []


def test_check_with_errors_imports_no_rendering(tmp_path):
    """Reporting problems (did-you-mean, excerpts) does not pull the renderer in either."""
    content = tmp_path / "content"
    (content / "companies").mkdir(parents=True)
    (content / "site.yaml").write_text((ROOT / "content" / "site.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (content / "companies" / "acme.yaml").write_text("name: Acme\nname: Again\nscores: {usabilty: 3}\n",
                                                      encoding="utf-8")
    code, out, modules = imported(["check", "--content", str(content)], tmp_path)
    assert code == 1
    assert loaded(modules, RENDERING) == []


def test_importing_the_cli_imports_no_pipeline():
    probe = "import json, sys, generator.cli; print(json.dumps(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    modules = set(json.loads(run.stdout))
    assert loaded(modules, tuple(n for n in HEAVY if n != "generator.cli")) == []
