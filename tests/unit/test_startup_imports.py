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
                            "generator.links",  # links: only when some text may link (generator/link_texts.py)
                            "generator.moved", "generator.company_cache")  # what moved; serve's cache
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


def _fake_pydantic_plugin(folder: Path) -> Path:
    """An installed package that registers a pydantic plugin (as logfire does): importing it leaves a file."""
    marker = folder / "plugin-loaded"
    dist = folder / "fakeplugin-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fakeplugin\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[pydantic]\nfake = fakeplugin_mod:plugin\n", encoding="utf-8")
    (folder / "fakeplugin_mod.py").write_text(
        f"from pathlib import Path\nPath({str(marker)!r}).write_text('loaded')\n"
        "class _Plugin:\n    def new_schema_validator(self, *args, **kwargs):\n        return None, None, None\n"
        "plugin = _Plugin()\n", encoding="utf-8")
    return marker


@pytest.mark.parametrize("setting, loads", [(None, False), ("", True)])
def test_check_loads_no_pydantic_plugin_unless_asked(tmp_path, setting, loads):
    """Start-up does not depend on what else is installed: a package registering a pydantic plugin is not
    imported (PYDANTIC_DISABLE_PLUGINS defaults to __all__), unless the variable is set — even empty."""
    import os

    plugins = tmp_path / "site"
    marker = _fake_pydantic_plugin(plugins)
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env["PYTHONPATH"] = os.pathsep.join([str(plugins), str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    if setting is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = setting
    run = subprocess.run([sys.executable, "-m", "generator", "check", "--content", str(ROOT / "content")],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert marker.exists() is loads


def test_main_leaves_the_callers_environment_alone(monkeypatch, capsys):
    """The plugin default is set by the console script's run(), which ends the process: a program that calls
    generator.entry.main() itself keeps its environment (and its pydantic plugins for its own models)."""
    import os

    from generator import entry

    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    monkeypatch.setattr(sys, "argv", ["valuemap", "check", "--content", str(ROOT / "content")])
    assert entry.main() == 0
    assert "no errors" in capsys.readouterr().out
    assert "PYDANTIC_DISABLE_PLUGINS" not in os.environ
