"""Chart specifications as plain dicts (plotly.js figure JSON), built without plotly's Python objects.

A ``go.Figure(...).to_json()`` costs milliseconds per chart; a dict serialised once with orjson costs
microseconds, and the browser's plotly.js draws the same figure. Every chart here has a data table beside
it on the page (see :mod:`generator.views`), so nothing depends on JavaScript to be read.

Every text that enters a figure (names, labels, interface strings) passes through :func:`plain`, here and
only here: plotly.js draws text as a subset of HTML, so content must be escaped for it like for a page.
"""
from __future__ import annotations

from typing import Callable, Sequence


# Colours (docs/design-charts.md): us teal everywhere; the one competitor compared with us (its own pages, the
# canvas's rival) Okabe–Ito vermillion — teal against vermillion stays apart for protan and deutan readers, in
# lightness as well as hue; the zones Okabe–Ito blue / grey / vermillion, each with its own marker shape, so
# colour is never the only cue. Text colours are the darker variants (contrast ≥ 4.5:1 on the zone tints).
US = "#0f766e"  # teal: us, everywhere
US_DARK = "#0b4f4a"
OTHER = "#475569"
GRID = "#e2e8f0"
BETTER = "#0072B2"  # Okabe–Ito blue: a competitor in the better-value zone (circle)
BETTER_TEXT = "#005A8C"
FAIR = "#6b7280"  # grey: the fair-value zone (square)
WORSE = "#D55E00"  # Okabe–Ito vermillion: the worse-value zone (triangle)
WORSE_TEXT = "#A33F00"
BETTER_FILL = "rgba(0, 114, 178, 0.08)"
WORSE_FILL = "rgba(213, 94, 0, 0.08)"
FAIR_FILL = "rgba(107, 114, 128, 0.10)"
ZONE_STYLE = {"better": (BETTER, "circle", 11), "fair": (FAIR, "square", 10), "worse": (WORSE, "triangle-up", 12)}
ERROR_BAR = "rgba(71, 85, 105, 0.38)"  # a position's uncertainty: visible, never louder than the point
MUTED = "#cbd5e1"  # the other companies on a "where they sit" map: context, not the subject
MUTED_LINE = "#a8b1bd"  # the other companies' curves on the strategy canvas: context, thin
MEDIAN_LINE = "#334155"  # the market's median on a large market's strategy canvas: dashed, darker than the context
THEM = "#D55E00"  # the competitor compared with us (Okabe–Ito vermillion: apart from our teal)
THEM_DARK = "#A33F00"
POSITIVE = US  # a difference where we lead: our colour
NEGATIVE = THEM  # where they lead: theirs
# A qualitative palette with enough contrast on white (competitors on the strategy canvas).
PALETTE = ["#2563eb", "#d97706", "#7c3aed", "#db2777", "#65a30d", "#0891b2", "#b45309", "#4f46e5",
           "#be123c", "#15803d", "#9333ea", "#0369a1"]
# The reader's own fonts (none shipped); the CJK families before the generic name, so Japanese never falls
# back to tofu (the same stack as --font in valuemap.css).
FONT = ("system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Hiragino Sans', 'Hiragino Kaku Gothic ProN', "
        "'Yu Gothic UI', 'Yu Gothic', Meiryo, 'Noto Sans CJK JP', 'Noto Sans JP', 'Source Han Sans JP', "
        "'Helvetica Neue', Arial, sans-serif")

T = Callable[..., str]


def plain(text: object) -> str:
    """``text`` as plotly.js shows it literally: the one escape for every string that enters a figure.

    plotly.js renders a subset of HTML in trace text, tick labels, legend names, annotations and hover labels
    (``<a href>``, ``<b>``, ``<br>``, ``<span style>``...) and decodes entities there; in hover templates it
    interpolates ``%{...}`` first, matching on the raw string, with no escape syntax of its own. So ``&``,
    ``<`` and ``>`` become entities, and so does ``%`` (``&#37;``): ``%{x}`` in a name no longer matches the
    template pattern, and plotly.js draws it as written.
    """
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("%", "&#37;"))


def _plain_t(t: T) -> T:
    """The interface strings of a chart, escaped like content (a translation is text, never markup)."""
    escaped = lambda key, **values: plain(t(key, **values))  # noqa: E731
    escaped.lang = getattr(t, "lang", "en")  # the axes' tick numbers follow the language (_base_layout)
    return escaped


def _base_layout(height: int, t: T | None = None) -> dict:
    from .formats import Formatter  # plotly's own tick numbers in the language's separators (1 234,5)

    return {
        "separators": Formatter(getattr(t, "lang", "en")).separators(),
        "height": height,
        "margin": {"l": 56, "r": 16, "t": 16, "b": 48},
        "font": {"family": FONT, "size": 13, "color": "#0f172a"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"font": {"family": FONT}},
        "legend": {"orientation": "h", "y": -0.18, "x": 0, "font": {"size": 12}},
    }


def _axis(title: str, **extra) -> dict:
    axis = {"title": {"text": title}, "gridcolor": GRID, "zeroline": False, "linecolor": "#94a3b8",
            "ticks": "outside", "automargin": True}
    axis.update(extra)
    return axis


# --- value map ------------------------------------------------------------------------------------------

COMPACT_PLOT_PX = 130  # a battlecard's value curves on screen: the plot's height
COMPACT_PRINT_PLOT_PX = 44  # ... and on paper (the card prints on one A4 or Letter page)


def value_curves_figure(categories: Sequence[tuple[str, str]], series: Sequence[dict], t: T,
                        scale: tuple[float, float], height: int = 420, compact: bool = False) -> dict:
    """One line per company over ``categories`` ((group, label) pairs; group "" for a flat axis).

    ``series`` items: ``{"name", "values", "labels", "is_us"}`` and optionally ``"rival": True``: ``values``
    on the scale (None: not drawn), ``labels`` the same numbers as the table shows them (the hover text).
    Us in teal, the rival in vermillion (with two companies, the other one is the rival), every other company
    a thin grey line for context; a click on a name in the legend makes it the rival (valuemap.js).
    """
    t = _plain_t(t)
    grouped = any(group for group, _ in categories)
    x = ([[plain(g) for g, _ in categories], [plain(label) for _, label in categories]] if grouped
         else [plain(lab) for _, lab in categories])
    n = len(categories)
    several = len(series) > 2
    styles = {
        "us": ({"color": US, "width": 4}, {"size": 9, "color": US, "symbol": "diamond"}),
        "rival": ({"color": THEM, "width": 3}, {"size": 7, "color": THEM, "symbol": "circle"}),
        "muted": ({"color": MUTED_LINE, "width": 1.25}, {"size": 4, "color": MUTED_LINE, "symbol": "circle"}),
        "median": ({"color": MEDIAN_LINE, "width": 2, "dash": "dash"}, {"size": 5, "color": MEDIAN_LINE, "symbol": "square"}),
    }
    roles = []
    for item in series:
        if item.get("median"):
            roles.append("median")  # the market's median (a large market's canvas): never the rival
        elif item["is_us"]:
            roles.append("us")
        elif item.get("rival") or not several:
            roles.append("rival" if "rival" not in roles else "muted")
        else:
            roles.append("muted")
    data = []
    for rank, (item, role) in enumerate(zip(series, roles)):
        style, marker = styles[role]
        name = plain(item["name"])
        data.append({"type": "scatter", "mode": "lines+markers", "name": name, "x": x,
                     "y": [None if v is None else round(v, 2) for v in item["values"]], "line": dict(style),
                     "marker": dict(marker), "customdata": [plain(label) for label in item["labels"]],
                     "hovertemplate": "%{customdata}<extra>" + name + "</extra>", "meta": {"role": role},
                     "legendrank": {"us": 1, "rival": 2, "median": 3}.get(role, 10 + rank)})
    # Drawn in order: the grey context first, the median, the rival over them, us on top (the legend keeps its
    # own order).
    data.sort(key=lambda trace: {"muted": 0, "median": 1, "rival": 2, "us": 3}[trace["meta"]["role"]])
    angled = n > 6
    longest = max((len(label) for _, label in categories), default=0)
    first = len(categories[0][1]) if categories else 0
    char = 5.3 if compact else 7.0  # px per character of a tick label (9 / 13 px type)
    # Angled labels hang down-left of their tick: room below for the longest, left for the first. A battlecard
    # angles them at 30° (less drop: the card stays one Letter page; 38 px apart on paper, the slanted lines
    # still clear each other), a page at 45°.
    angle = 30 if compact else 45
    sin, cos = (0.5, 0.87) if compact else (0.71, 0.71)
    drop = int(longest * char * sin) + 10 if angled else 24
    bottom = drop + (26 if grouped else 0) + (4 if compact else 18)
    left = max(44 if compact else 56, int(first * char * cos) + 8 - (0 if compact else 20)) if angled else (
        44 if compact else 56)
    layout = _base_layout(height, t)
    layout.update({
        # Groups are told apart by light rules inside the plot and their names under the criteria, not by
        # plotly's dividers (those cut through the angled labels).
        "xaxis": _axis("", tickangle=-angle if angled else 0, fixedrange=True, range=[-0.5, n - 0.5],
                       **({"showdividers": False} if grouped else {})),
        "yaxis": _axis(t("chart.score_axis"), range=[scale[0], scale[1] + (scale[1] - scale[0]) * 0.04],
                       fixedrange=True),
        "hovermode": "x unified",
        "meta": {"rotate_on_narrow": True, "categories": n,
                 "pick": {role: {"line": s, "marker": m} for role, (s, m) in styles.items()} if several else None,
                 # the same choice without a mouse: a list above the chart (valuemap.js), named so
                 **({"pick_label": t("chart.pick_control")} if several else {})},
        "margin": {"l": left, "r": 16, "t": 24 + 22 * ((len(series) + 4) // 5 + several), "b": bottom},
        "legend": {"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "font": {"size": 12},
                   **({"title": {"text": t("chart.pick_rival"), "side": "top", "font": {"size": 12, "color": "#475569"}}}
                      if several else {})},
        "shapes": [{"type": "line", "xref": "paper", "yref": "paper", "x0": i / n, "x1": i / n, "y0": 0, "y1": 1,
                    "line": {"color": "#cbd5e1", "width": 1}, "layer": "below"}
                   for i in range(1, n) if grouped and categories[i][0] != categories[i - 1][0]],
    })
    layout["height"] = height + max(0, bottom - (130 if grouped else 60))  # the plot keeps its height
    if compact:  # a battlecard: lower, smaller type, the criteria still readable at paper width
        layout["font"] = dict(layout["font"], size=10)
        layout["xaxis"]["tickfont"] = {"size": 9}
        layout["legend"]["font"] = {"size": 11}
        layout["margin"] = dict(layout["margin"], r=8, t=26)
        # On screen a plot the lines can be told apart in; on paper a ~44 px one, so that the card fits one
        # Letter page (valuemap.js redraws the chart at ``print_height`` before printing).
        layout["height"] = 26 + COMPACT_PLOT_PX + bottom
        layout["meta"]["print_height"] = 26 + COMPACT_PRINT_PLOT_PX + bottom
        for trace in data:
            trace["marker"] = dict(trace["marker"], size=trace["marker"]["size"] - 2)
            trace["line"] = dict(trace["line"], width=max(trace["line"]["width"] - 1, 1.5))
    return {"data": data, "layout": layout}


def difference_figure(labels: Sequence[str], differences: Sequence[float | None], shown: Sequence[str], t: T,
                      compact: bool = False) -> dict:
    """Horizontal bars: our score minus theirs per dimension (our teal: we lead; their vermillion: they lead);
    ``shown`` the bar labels as the table prints them."""
    t = _plain_t(t)
    values = [None if d is None else round(d, 2) for d in differences]
    data = [{
        "type": "bar", "orientation": "h", "y": [plain(label) for label in labels], "x": values,
        "marker": {"color": [POSITIVE if (d or 0) >= 0 else NEGATIVE for d in differences]},
        "customdata": [plain(v) for v in shown],
        "hovertemplate": "%{y}: %{customdata}<extra></extra>", "name": t("chart.difference"),
        "text": [plain(v) for v in shown], "textposition": "outside", "cliponaxis": False,
    }]
    # Sized to the data: zero and every bar, with room beyond a bar's end for its label — the side where no
    # bar goes keeps only a sliver (not a mirror of the other half).
    known = [d for d in differences if d is not None]
    lo, hi = min(known + [0.0]), max(known + [0.0])
    span = max(hi - lo, 1.0)
    # 0.28: room for a label such as "+5.9" beyond a bar's end; on the left, a negative bar's label also needs a
    # gap from the dimensions' names beside the plot ("Practicality−1.6" read as one word)
    pad = lambda side, left=False: (0.4 if left else 0.28) * span if side else 0.03 * span  # noqa: E731
    layout = _base_layout(70 + 44 * len(labels), t)
    layout.update({
        "xaxis": _axis(t("chart.difference_axis"), range=[round(lo - pad(lo < 0, left=True), 3), round(hi + pad(hi > 0), 3)],
                       zeroline=True, zerolinecolor="#334155", fixedrange=True),
        "yaxis": {"automargin": True, "autorange": "reversed", "fixedrange": True},
        "showlegend": False, "margin": {"l": 16, "r": 24, "t": 8, "b": 48},
    })
    if compact:
        layout["height"] = 56 + 30 * len(labels)
        layout["font"] = dict(layout["font"], size=11)
        layout["margin"] = {"l": 8, "r": 20, "t": 6, "b": 40}
    return {"data": data, "layout": layout}


def bars_figure(labels: Sequence[str], values: Sequence[float | None], shown: Sequence[str],
                highlight: Sequence[bool], t: T, axis_title: str, scale: tuple[float, float],
                median: int | None = None) -> dict:
    """Horizontal bars, one per company, us highlighted (dimension pages); ``shown`` the bar labels as the
    table prints them. ``median``: the index of the market's median bar (a large market's selection)."""
    t, axis_title = _plain_t(t), plain(axis_title)
    data = [{
        "type": "bar", "orientation": "h", "y": [plain(label) for label in labels],
        "x": [None if v is None else round(v, 2) for v in values],
        "marker": {"color": [US if h else MEDIAN_LINE if i == median else "#94a3b8"
                             for i, h in enumerate(highlight)]},
        "customdata": [plain(v) for v in shown],
        "text": [plain(v) for v in shown], "textposition": "outside", "cliponaxis": False,
        "hovertemplate": "%{y}: %{customdata}<extra></extra>", "name": axis_title,
    }]
    layout = _base_layout(70 + 34 * len(labels), t)
    layout.update({
        "xaxis": _axis(axis_title, range=[scale[0], scale[1] * 1.08], fixedrange=True),
        "yaxis": {"automargin": True, "autorange": "reversed", "fixedrange": True},
        "showlegend": False, "margin": {"l": 16, "r": 24, "t": 8, "b": 48},
    })
    return {"data": data, "layout": layout}
