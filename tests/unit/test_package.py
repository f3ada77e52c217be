"""Packaging: an ordinary (non-editable) install works, outside the checkout.

* Fast checks of pyproject.toml: every package under generator/ is listed, the top-level templates/ folder is
  mapped to ``generator.templates``, and package data covers every template, asset and locale file.
* ``slow``: build a wheel (``pip wheel --no-deps``) from a copy of the sources, install it into a fresh venv
  (dependencies from the package index), and run ``valuemap --version``, ``python -m generator --version``,
  ``valuemap build`` of the sample content and ``valuemap new`` + ``build`` — all from a folder outside the
  checkout. One wheel and one venv per test session; pip's cache is reused.

CI (.ci/run) sets ``VALUEMAP_REQUIRE_PACKAGE=1``: the one check that can skip on a developer machine (the
wheel against ``git ls-files``, which needs git and a checkout) fails there instead.
"""
from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import render

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
REQUIRED = os.environ.get("VALUEMAP_REQUIRE_PACKAGE", "").strip().lower() in {"1", "true", "yes"}
SUBPROCESS_TIMEOUT = 900  # a cold pip cache downloads plotly, pydantic...
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", ".*")


def _source_files(folder: Path) -> list[Path]:
    """Files a wheel must ship from ``folder`` (caches and hidden files left out)."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and p.suffix not in {".pyc", ".pyo"} and not any(part.startswith(".") for part in p.parts))


def _wheel_name(rel: str) -> str:
    """Where a repository file lands in the wheel: templates/ is mapped to generator/templates/."""
    return "generator/" + rel if rel.startswith("templates/") else rel


def _package_of(folder: Path) -> str | None:
    rel = folder.relative_to(ROOT)
    if rel.parts[0] == "templates":
        return ".".join(("generator",) + rel.parts)
    return ".".join(rel.parts)


# --------------------------------------------------------------------------- pyproject, fast


def test_every_folder_under_generator_and_templates_is_a_listed_package():
    listed = set(SETUPTOOLS["packages"])
    folders = {p.parent for top in ("generator", "templates") for p in _source_files(ROOT / top)}
    expected = {_package_of(folder) for folder in folders}
    assert expected <= listed, f"add {sorted(expected - listed)} to [tool.setuptools] packages in pyproject.toml"
    assert {"generator", "generator.templates", "generator.templates.assets", "generator.locales"} <= listed


def test_templates_folder_is_mapped_into_the_package():
    assert SETUPTOOLS["package-dir"] == {"generator.templates": "templates"}
    assert (ROOT / "templates" / "base.html").is_file()


def test_package_data_covers_every_template_asset_and_locale_file():
    patterns: dict[str, list[str]] = SETUPTOOLS.get("package-data", {})
    missed = []
    for top in ("generator", "templates"):
        for path in _source_files(ROOT / top):
            if path.suffix == ".py":
                continue  # modules ship with their package
            package = _package_of(path.parent)
            if not any(fnmatch.fnmatch(path.name, pat) for pat in patterns.get(package, [])):
                missed.append(path.relative_to(ROOT).as_posix())
    assert not missed, f"not covered by [tool.setuptools.package-data]: {missed}"


# --------------------------------------------------------------------------- template lookup, fast


def test_bundled_templates_come_from_the_installed_package_not_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "base.html").write_text("not these\n", encoding="utf-8")
    found = render.bundled_templates()
    assert found != tmp_path / "templates"
    assert (found / "base.html").is_file() and (found / "assets" / "valuemap.css").is_file()
    package_dir = Path(render.__file__).resolve().parent
    # a wheel: inside the package; an editable install of this checkout: the project's templates/ folder
    assert found in (package_dir / "templates", ROOT / "templates"), found


def test_find_templates_prefers_the_option_then_a_folder_beside_the_content(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    assert render.find_templates(None, content) == render.bundled_templates()
    beside = tmp_path / "templates"
    beside.mkdir()
    (beside / "base.html").write_text("{% block body %}{% endblock %}\n", encoding="utf-8")
    assert render.find_templates(None, content) == beside
    explicit = tmp_path / "mine"
    assert render.find_templates(explicit, content) == explicit


def test_missing_bundled_templates_say_how_to_fix(monkeypatch):
    if (Path(render.__file__).resolve().parent / "templates" / "base.html").is_file():
        pytest.skip("installed from a wheel: the templates are inside the package")
    monkeypatch.setattr(render, "_editable_project", lambda: None)
    with pytest.raises(render.MissingTemplates, match="--templates"):
        render.bundled_templates()


# --------------------------------------------------------------------------- a real wheel in a fresh venv, slow


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path

    def bin(self, name: str) -> Path:
        folder = self.venv / ("Scripts" if os.name == "nt" else "bin")
        return folder / (name + (".exe" if os.name == "nt" else ""))

    def run(self, args: list, cwd: Path) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
        env.update(NO_COLOR="1", PYTHONNOUSERSITE="1")
        return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=SUBPROCESS_TIMEOUT)


def _run(args: list, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=SUBPROCESS_TIMEOUT)
    assert proc.returncode == 0, f"{' '.join(map(str, args))} → {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """A wheel built the ordinary way (isolated build) from a copy of the sources — the checkout is not touched
    (no build/ or egg-info left behind, no stale build/lib)."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for folder in ("generator", "templates"):
        shutil.copytree(ROOT / folder, src / folder, ignore=IGNORED)
    dist = base / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", dist, src], cwd=base)
    wheels = list(dist.glob("valuemap-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="session")
def installed(wheel, tmp_path_factory) -> Installed:
    """The wheel installed (not editable) into a fresh venv; dependencies come from the package index."""
    venv = tmp_path_factory.mktemp("venv") / "venv"
    _run([sys.executable, "-m", "venv", venv])
    result = Installed(wheel, venv)
    _run([result.bin("python"), "-m", "pip", "install", "--quiet", wheel], cwd=venv)
    return result


@pytest.fixture
def outside(tmp_path) -> Path:
    """A working folder outside the checkout."""
    assert ROOT not in tmp_path.parents
    return tmp_path


def _wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as zf:
        return set(zf.namelist())


@pytest.mark.slow
def test_wheel_ships_every_source_file_and_nothing_else(wheel):
    names = _wheel_names(wheel)
    expected = {_wheel_name(p.relative_to(ROOT).as_posix())
                for top in ("generator", "templates") for p in _source_files(ROOT / top)}
    missing = sorted(expected - names)
    assert not missing, f"the wheel lacks {missing}"
    strays = sorted(n for n in names if not n.startswith(("generator/", "valuemap-")))
    assert not strays, f"the wheel installs files outside the generator package: {strays}"
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


@pytest.mark.slow
def test_wheel_ships_every_tracked_file(wheel):
    git = shutil.which("git")
    if not git or not (ROOT / ".git").exists():
        reason = "git or the checkout's .git is missing: cannot list the tracked files"
        if REQUIRED:
            pytest.fail(f"{reason} (VALUEMAP_REQUIRE_PACKAGE=1 makes this an error)", pytrace=False)
        pytest.skip(reason)
    tracked = _run([git, "-C", ROOT, "ls-files", "-z", "--", "generator", "templates"]).stdout.split("\0")
    tracked = [rel for rel in tracked if rel and (ROOT / rel).is_file()]  # deleted in the work tree: not shipped
    assert "templates/base.html" in tracked and "generator/cli.py" in tracked
    missing = sorted(_wheel_name(rel) for rel in tracked if _wheel_name(rel) not in _wheel_names(wheel))
    assert not missing, f"tracked files missing from the wheel: {missing}"


@pytest.mark.slow
def test_installed_version_from_the_script_and_python_m(installed, outside):
    version = re.search(r'__version__ = "([^"]+)"', (ROOT / "generator" / "__init__.py").read_text()).group(1)
    for args in ([installed.bin("valuemap"), "--version"], [installed.bin("python"), "-m", "generator", "--version"]):
        proc = installed.run(args, outside)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == f"valuemap {version}", proc.stdout
    where = installed.run([installed.bin("python"), "-c",
                           "import generator, generator.render as r; print(generator.__file__); "
                           "print(r.bundled_templates())"], outside)
    assert where.returncode == 0, where.stderr
    module, templates = where.stdout.splitlines()
    package = Path(module).resolve().parent
    assert installed.venv.resolve() in package.parents, "imported from the checkout, not the installed wheel"
    assert Path(templates).resolve() == package / "templates"


def _assert_site(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    data = re.search(r'<script[^>]*id="value-map-data"[^>]*>(.*?)</script>', home, re.S)
    assert data, "index.html has no value map"
    assert json.loads(data.group(1))["data"], "the value map has no traces"
    assets = {p.name for p in (site / "assets").iterdir()}
    for pattern in (r"valuemap\..+\.css", r"valuemap\..+\.js", r"plotly\..+\.js"):  # fingerprinted names
        found = [a for a in assets if re.fullmatch(pattern, a)]
        assert len(found) == 1, f"{pattern}: {sorted(assets)}"
        assert f"assets/{found[0]}" in home, f"index.html does not load {found[0]}"


@pytest.mark.slow
def test_installed_wheel_builds_the_sample_outside_the_checkout(installed, outside):
    shutil.copytree(ROOT / "content", outside / "content")
    proc = installed.run([installed.bin("valuemap"), "build"], outside)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    _assert_site(outside / "site")


@pytest.mark.slow
def test_installed_wheel_new_then_build(installed, outside):
    proc = installed.run([installed.bin("valuemap"), "new", "market"], outside)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = installed.run([installed.bin("valuemap"), "build"], outside / "market")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "warning" not in (proc.stdout + proc.stderr).lower(), proc.stdout + proc.stderr
    _assert_site(outside / "market" / "site")
    again = installed.run([installed.bin("valuemap"), "new", "market"], outside)
    assert again.returncode == 2 and "not empty" in again.stderr
