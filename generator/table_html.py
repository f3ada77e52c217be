"""The body rows of a data table as HTML, built in Python (part of stage 5, render).

A table row is the one loop of the site that runs hundreds of thousands of times (a 1,000-company market: the
ranking tables of the home and segment pages, every competitor page's tables): as a Jinja loop it was the
largest single cost of a build, one escaped ``{{ }}`` per attribute and text. Here each cell is one f-string
and its text is escaped once. The rest of the table — the scroll box, caption and header — stays in
``templates/macros.html`` (``data_table``), which calls :func:`table_rows` for the ``<tbody>``.

What a cell may hold is set by :func:`generator.views.common.table`: ``tag`` (``th`` heads its row), ``cls``,
``text``, ``href``, ``strong`` and ``status`` (the verification mark beside the number, from ``marks``).
"""
from __future__ import annotations

from typing import Mapping

from markupsafe import Markup, escape


def _cell(c: Mapping, marks: Mapping[str, str]) -> str:
    text = f"<bdi>{escape(c['text'])}</bdi>"
    if c["href"]:
        text = f'<a href="{escape(c["href"])}">{text}</a>'
    if c["strong"]:
        text = f"<strong>{text}</strong>"
    tag = c["tag"]
    scope = ' scope="row"' if tag == "th" else ""
    mark = marks[c["status"]] if c["status"] else ""
    return f'<{tag}{scope} class="{escape(c["cls"])}">{text}{mark}</{tag}>'


def table_rows(tbl: Mapping, marks: Mapping[str, str]) -> Markup:
    """Every ``<tr>`` of ``tbl`` (a :func:`generator.views.common.table`), one per line."""
    out = []
    for row in tbl["rows"]:
        cells = "".join(_cell(c, marks) for c in row["cells"])
        out.append(f'<tr class="us">{cells}</tr>\n' if row["us"] else f"<tr>{cells}</tr>\n")
    return Markup("".join(out))
