"""The body rows of the data tables and the evidence table as HTML, built in Python (part of stage 5, render).

A table row is the one loop of the site that runs hundreds of thousands of times (a 1,000-company market: the
ranking tables of the home and segment pages, every competitor page's tables): as a Jinja loop it was the
largest single cost of a build, one escaped ``{{ }}`` per attribute and text. Here each cell is one f-string
and its text is escaped once. The rest of the table — the scroll box, caption and header — stays in
``templates/macros.html`` (``data_table``), which calls :func:`table_rows` for the ``<tbody>``; the same for
``templates/evidence.html`` and :func:`evidence_rows`.

Escaping is Jinja's (markupsafe's five characters, the same entities); a value that is already markup
(``__html__``) is kept as it is, as autoescape keeps it.

What a cell may hold is set by :func:`generator.views.common.table`: ``tag`` (``th`` heads its row), ``cls``,
``text``, ``href``, ``strong`` and ``status`` (the verification mark beside the number, from ``marks``).
"""
from __future__ import annotations

from typing import Mapping, Sequence

from markupsafe import Markup


try:  # markupsafe's C escaping of a plain str, without making a Markup object (3× faster than five replaces)
    from markupsafe._speedups import _escape_inner as _escape_str
except ImportError:  # pragma: no cover - markupsafe without its C speedups, or a version without the function
    def _escape_str(text: str) -> str:
        return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
                .replace("'", "&#39;"))


def _e(value) -> str:
    """``value`` as HTML text: markup as it is, anything else escaped as markupsafe does (the same five
    entities; ``tests/unit/test_table_html.py`` compares them)."""
    if type(value) is str:
        return _escape_str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape_str(str(value))


def _cell(c: Mapping, marks: Mapping[str, str]) -> str:
    text = f"<bdi>{_e(c['text'])}</bdi>"
    if c["href"]:
        text = f'<a href="{_e(c["href"])}">{text}</a>'
    if c["strong"]:
        text = f"<strong>{text}</strong>"
    tag = c["tag"]
    scope = ' scope="row"' if tag == "th" else ""
    mark = marks[c["status"]] if c["status"] else ""
    return f'<{tag}{scope} class="{_e(c["cls"])}">{text}{mark}</{tag}>'


def table_rows(tbl: Mapping, marks: Mapping[str, str]) -> Markup:
    """Every ``<tr>`` of ``tbl`` (a :func:`generator.views.common.table`), one per line."""
    out = []
    for row in tbl["rows"]:
        cells = "".join(_cell(c, marks) for c in row["cells"])
        classes = ("us " if row["us"] else "") + ("gap" if row.get("gap") else "")
        out.append(f'<tr class="{classes.strip()}">{cells}</tr>\n' if classes else f"<tr>{cells}</tr>\n")
    return Markup("".join(out))


def _source(ev: Mapping, link: str, internal: str, lang: str) -> str:
    note = f" — <bdi{lang}>{_e(ev['note'])}</bdi>" if ev["note"] else ""
    href = f' <a href="{_e(ev["href"])}" rel="noopener noreferrer">{link}</a>' if ev["href"] else ""
    badge = f' <span class="badge internal">{internal}</span>' if ev["internal"] else ""
    return (f'<li><span class="badge {_e(ev["badge"])}"><bdi>{_e(ev["source"])}</bdi></span> '
            f'<span class="ev-value">{_e(ev["value"])}</span> <span class="ev-date">{_e(ev["date"])}</span>'
            f"{note}{href}{badge}</li>\n")


def evidence_rows(rows: Sequence[Mapping], marks: Mapping[str, str], as_of: Mapping[str, str], link: str,
                  internal: str, written_in: str = "") -> Markup:
    """The rows of a competitor's evidence table (:func:`generator.views.company.evidence_rows`): per
    criterion its score and status mark, the summary, note and every source shown. ``as_of`` maps a row's date
    to its sentence; ``link`` and ``internal`` are the link's and the internal badge's words; ``written_in``:
    the notes' language where it is not the page's (their ``lang``)."""
    link, internal = _e(link), _e(internal)
    lang = f' lang="{_e(written_in)}"' if written_in else ""
    out = []
    for row in rows:
        summary = _e(row["summary"]) + (f" · {_e(as_of[row['as_of']])}" if row["as_of"] else "")
        parts = [f'<span class="ev-summary">{summary}</span>']
        if row["note"]:
            parts.append(f'<span class="ev-note"{lang}>{_e(row["note"])}</span>')
        if row["sources"]:
            parts.append('<ul class="sources">\n' + "".join(_source(ev, link, internal, lang) for ev in row["sources"])
                         + "</ul>")
        if row["hidden"]:
            parts.append(f'<span class="ev-hidden">{_e(row["hidden"])}</span>')
        sources = "\n".join(parts)  # on lines of their own, as the spans were written in the template
        out.append(f'<tr><td><bdi>{_e(row["dimension"])}</bdi></td><th scope="row"><bdi>{_e(row["criterion"])}</bdi>'
                   f'</th><td class="num"><bdi>{_e(row["score"])}</bdi>{marks[row["status"]]}</td>\n'
                   f'<td>{sources}</td></tr>\n')
    return Markup("".join(out))
