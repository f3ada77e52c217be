"""Stage 5 — render: view models → HTML through Jinja2, and the site's static assets.

The environment autoescapes everything and uses ``StrictUndefined``: a template that names a field the view
does not have fails the build, with the template file and line, instead of rendering blank.
"""
from __future__ import annotations

import hashlib
import json
import traceback
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from .diagnostics import Diagnostic

class MissingTemplates(FileNotFoundError):
    """valuemap's own templates cannot be found: a broken install (see :func:`bundled_templates`)."""


def bundled_templates() -> Path:
    """The templates that ship with valuemap, as found through the installed package (never the cwd).

    The repository keeps them in a top-level ``templates/`` folder; pyproject.toml maps that folder to the
    package ``generator.templates`` at build time, so

    * a wheel (``pip install .``, pipx, a release) holds them inside the package: ``generator/templates/``;
    * an editable install (``pip install -e .``) leaves them in the project: setuptools' editable finder maps
      ``generator.templates`` to ``<project>/templates``, and the install record (PEP 610 ``direct_url.json``)
      names that project — used only when it is the project this very package is imported from.
    """
    from importlib import resources

    packaged = resources.files(__package__) / "templates"
    if isinstance(packaged, Path) and (packaged / "base.html").is_file():
        return packaged
    editable = _editable_project()
    if editable is not None and (editable / "templates" / "base.html").is_file():
        return editable / "templates"
    raise MissingTemplates(
        f"valuemap's bundled templates are missing (looked in {packaged}"
        + (f" and {editable / 'templates'}" if editable is not None else "")
        + "): reinstall valuemap (`pip install .`, or `pip install -e .` in a checkout), or pass --templates DIR")


def _editable_project() -> Path | None:
    """The project folder of an editable install of valuemap that this package is imported from, else None."""
    from importlib.metadata import distributions
    from urllib.parse import unquote, urlsplit

    here = Path(__file__).resolve().parent
    for dist in distributions(name="valuemap"):  # a checkout's valuemap.egg-info may come first: no record
        try:
            info = json.loads(dist.read_text("direct_url.json") or "{}")
            url = urlsplit(str(info.get("url", "")))
            if url.scheme != "file" or not (info.get("dir_info") or {}).get("editable"):
                continue
            project = Path(unquote(url.path))
            if (project / "generator").resolve() == here:
                return project
        except (OSError, ValueError, AttributeError):
            continue
    return None


def find_templates(explicit: Path | None, content_dir: Path) -> Path:
    """``--templates`` if given, else ``templates/`` beside the content folder, else the bundled ones."""
    if explicit is not None:
        return explicit
    beside = content_dir.resolve().parent / "templates"
    if (beside / "base.html").is_file():
        return beside
    return bundled_templates()


def make_environment(templates_dir: Path, reload: bool = False) -> jinja2.Environment:
    """``reload``: an environment kept between builds (serve) checks each template's file for changes."""
    from .table_html import evidence_rows, table_rows

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=reload,
    )
    env.globals["table_rows"] = table_rows
    env.globals["evidence_rows"] = evidence_rows
    return env


class TemplateFailure(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def template_diagnostic(exc: BaseException, templates_dir: Path, page_path: str) -> Diagnostic:
    """Name the template file and line of a rendering error (Jinja maps its frames back to templates)."""
    root = str(templates_dir.resolve())
    file, line = None, None
    if isinstance(exc, jinja2.TemplateSyntaxError):
        file, line = exc.filename or exc.name, exc.lineno
    else:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename and str(Path(frame.filename).resolve()).startswith(root):
                file, line = frame.filename, frame.lineno
                break
    if file:
        try:
            file = str(Path(file).resolve().relative_to(Path.cwd().resolve()))
        except ValueError:
            pass
    message = exc.message if isinstance(exc, jinja2.TemplateError) and getattr(exc, "message", None) else str(exc)
    return Diagnostic("template-error", f"{type(exc).__name__}: {message}{_WHILE}{page_path})",
                      file=file, line=line, column=1 if line else None,
                      hint="a template names a value its page does not provide, or has a syntax error")


_WHILE = " (while rendering "


def merged(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One template mistake is one problem, not one per page it broke (a typo in competitor.html: a thousand
    identical errors): the same error at the same place is said once, naming the first page and how many
    more, in the order first met."""
    groups: dict[tuple, list[Diagnostic]] = {}
    for d in diagnostics:
        head, sep, _page = d.message.rpartition(_WHILE) if d.code == "template-error" else (d.message, "", "")
        groups.setdefault((d.code, d.file, d.line, d.column, head if sep else d.message, d.severity), []).append(d)
    out = []
    for same in groups.values():
        first = same[0]
        if len(same) > 1:
            more = len(same) - 1
            first = replace(first, message=f"{first.message[:-1]} and {more} other page{'s' if more > 1 else ''})")
        out.append(first)
    return out


def render_page(env: jinja2.Environment, template: str, view: dict, templates_dir: Path, page_path: str) -> str:
    try:
        return env.get_template(template).render(view)
    except (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError, IndexError) as exc:
        raise TemplateFailure(template_diagnostic(exc, templates_dir, page_path)) from None


@dataclass(frozen=True)
class Asset:
    logical: str  # name views use, e.g. "css"
    path: str  # output path from the site root, fingerprinted
    data: bytes


def _fingerprint(name: str, data: bytes) -> str:
    stem, dot, ext = name.partition(".")
    return f"assets/{stem}.{hashlib.sha256(data).hexdigest()[:10]}.{ext}"


def collect_assets(templates_dir: Path) -> list[Asset]:
    """The stylesheet, the site scripts and the one local copy of plotly.js (the vendored basic bundle), each with
    a content hash."""
    out = []
    for logical, name in (("css", "valuemap.css"), ("js", "valuemap.js"), ("weigh", "weigh.js")):
        data = (templates_dir / "assets" / name).read_bytes()
        out.append(Asset(logical, _fingerprint(name, data), data))
    out.append(Asset("plotly", *_plotly()))
    return out


PLOTLY = Path(__file__).parent / "vendor" / "plotly-basic.min.js"
"""plotly.js' basic bundle (scatter, bar, pie and the core components), vendored unchanged from npm: 395 KB gzip
instead of the full bundle's 1.47 MB. How to update it: generator/vendor/README.md."""


def _plotly() -> tuple[str, bytes]:
    data = PLOTLY.read_bytes()
    return _fingerprint("plotly.min.js", data), data  # assets/plotly.<hash>.min.js
