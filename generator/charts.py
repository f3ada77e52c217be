"""Chart specifications as plain dicts (plotly.js figure JSON), built without plotly's Python objects.

A ``go.Figure(...).to_json()`` costs milliseconds per chart; a dict serialised once with orjson costs
microseconds, and the browser's plotly.js draws the same figure. Every chart here has a data table beside
it on the page (see :mod:`generator.views`), so nothing depends on JavaScript to be read.

Every text that enters a figure (names, labels, interface strings) passes through :func:`plain`, here and
only here: plotly.js draws text as a subset of HTML, so content must be escaped for it like for a page.
"""
from __future__ import annotations

from collections import Counter
from typing import Callable, Mapping, Sequence

from .score import ValueMap

US = "#0f766e"  # teal: us, everywhere
US_DARK = "#0b4f4a"
OTHER = "#475569"
GRID = "#e2e8f0"
BETTER_FILL = "rgba(16, 185, 129, 0.10)"
WORSE_FILL = "rgba(239, 68, 68, 0.08)"
FAIR_FILL = "rgba(100, 116, 139, 0.10)"
ERROR_BAR = "rgba(71, 85, 105, 0.38)"  # a position's uncertainty: visible, never louder than the point
MUTED = "#cbd5e1"  # the other companies on a "where they sit" map: context, not the subject
THEM = "#c2410c"  # the competitor on its own "where they sit" map (orange: apart from our teal and the zones)
THEM_DARK = "#9a3412"
POSITIVE = "#059669"
NEGATIVE = "#dc2626"
# A qualitative palette with enough contrast on white (competitors on the strategy canvas).
PALETTE = ["#2563eb", "#d97706", "#7c3aed", "#db2777", "#65a30d", "#0891b2", "#b45309", "#4f46e5",
           "#be123c", "#15803d", "#9333ea", "#0369a1"]
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', Arial, sans-serif"

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
    return lambda key, **values: plain(t(key, **values))


def _base_layout(height: int) -> dict:
    return {
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

_POSITIONS = ["top center", "bottom center", "middle right", "middle left",
              "top right", "top left", "bottom right", "bottom left"]


_CELL_CAP = 8
"""Markers (and, separately, labels) a grid cell of :func:`place_labels` keeps. A 160 × 48 px cell holding
eight 16 px labels is solid text already: what more would add cannot pick a clear spot, only cost time. Below
the cap (the sample market, any map of up to ~40 evenly spread companies) placement is exactly as uncapped."""


def _overlap(a, b) -> float:
    """The area two boxes ``(x0, y0, x1, y1, ...)`` share (0 when they do not meet)."""
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0.0


def place_labels(points: Sequence[tuple[float, float, str]], x_range: tuple[float, float],
                 y_range: tuple[float, float], width_px: int = 760, height_px: int = 480) -> list[str]:
    """Pick a text position per point so labels overlap each other and the markers as little as possible.

    A greedy pass in screen space (approximate character width), most crowded points first. Boxes are kept
    in a coarse grid so each candidate is compared with its neighbours only, and a cell keeps at most
    ``_CELL_CAP`` markers and ``_CELL_CAP`` labels: the chart's area is fixed, so without the cap a cell
    holds a share of *all* points and placement turns quadratic (tests/unit/test_linear.py counts it).
    """
    cell_w, cell_h = 160.0, 48.0
    sx = width_px / (x_range[1] - x_range[0])
    sy = height_px / (y_range[1] - y_range[0])
    screen = [((x - x_range[0]) * sx, (y_range[1] - y) * sy, label) for x, y, label in points]
    # Per cell: (markers, labels), each in the order placed and capped at _CELL_CAP (see there).
    grid: dict[tuple[int, int], tuple[list, list]] = {}
    empty: tuple = ((), ())

    def cells(b) -> list[tuple[int, int]]:
        return [(i, j) for i in range(int(b[0] // cell_w), int(b[2] // cell_w) + 1)
                for j in range(int(b[1] // cell_h), int(b[3] // cell_h) + 1)]

    def put(b, owner: int) -> None:
        for c in cells(b):
            kept = grid.setdefault(c, ([], []))[owner >= 0]
            if len(kept) < _CELL_CAP:
                kept.append((*b, owner))

    def near(b) -> set:
        return {item for c in cells(b) for kept in grid.get(c, empty) for item in kept}

    for i, (px, py, _) in enumerate(screen):
        put((px - 6, py - 6, px + 6, py + 6), -1 - i)  # markers: owner < 0

    def box(px: float, py: float, label: str, pos: str) -> tuple[float, float, float, float]:
        w, h = 7.2 * len(label) + 4, 16
        vertical, horizontal = pos.split()
        if horizontal == "center":
            x0 = px - w / 2
        elif horizontal == "right":
            x0 = px + 6 if vertical == "middle" else px
        else:
            x0 = px - w - (6 if vertical == "middle" else 0)
        y0 = {"top": py - 8 - h, "bottom": py + 8, "middle": py - h / 2}[vertical]
        return (x0, y0, x0 + w, y0 + h)

    def outside(b) -> float:
        return (max(0.0, -b[0]) + max(0.0, b[2] - width_px)) * 16 + (max(0.0, -b[1]) + max(0.0, b[3] - height_px)) * 40

    crowd = [len(near((px - 60, py - 20, px + 60, py + 20))) for px, py, _ in screen]
    chosen = [""] * len(points)
    for i in sorted(range(len(points)), key=lambda k: (-crowd[k], k)):
        px, py, label = screen[i]
        best, best_cost = _POSITIONS[0], float("inf")
        for rank, pos in enumerate(_POSITIONS):
            b = box(px, py, label, pos)
            cost = outside(b) + rank * 0.5
            for other in near(b):
                if other[4] >= 0:
                    cost += 3 * _overlap(b, other)
                elif other[4] != -1 - i:
                    cost += _overlap(b, other)
            if cost < best_cost:
                best, best_cost = pos, cost
        chosen[i] = best
        put(box(px, py, label, best), i)
    return chosen


def short_label(name: str) -> str:
    """A label for narrow screens: the first word when it is distinctive enough, else the name."""
    first = name.split()[0] if name.split() else name
    return first if len(first) >= 4 and first != name else name


def _range(values: Sequence[float], pad_share: float = 0.12) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    span = max(hi - lo, 10.0)
    return (lo - span * pad_share, hi + span * pad_share)


def value_map_figure(vmap: ValueMap, names: Mapping[str, str], t: T, shown: Callable[[object], list[str]],
                     extra: Callable[[object], list[str]] | None = None, *, focus: str | None = None,
                     compact: bool = False) -> dict:
    """Relative quality (x) against relative price (y), fair-value line, zones, us highlighted.

    ``shown(position)`` gives the numbers a reader sees for a company — relative quality, relative price,
    customer value — formatted exactly as in the table beside the chart; the hover shows these strings.
    ``extra(position)``: further hover lines, preformatted (the position's range and its evidence coverage).
    Each position's uncertainty is drawn as subtle error bars from ``rq_low``–``rq_high`` and
    ``rp_low``–``rp_high`` (asymmetric, in data units, around the unrounded point).

    ``focus``: a competitor's slug — a small "where they sit" map: us and them highlighted and labelled, every
    other company a muted, unlabelled dot (its name in the hover). ``compact``: sized for a card or paper
    (smaller, tighter margins, no legend; the zones keep their corner labels)."""
    t = _plain_t(t)
    xs = [p.relative_quality for p in vmap.positions]
    ys = [p.relative_price for p in vmap.positions]
    x_range = _range(xs + [100.0])
    y_range = _range(ys + [100.0] + [vmap.line.price_at(x) for x in x_range])
    line = vmap.line
    band = vmap.band
    x0, x1 = x_range
    y0, y1 = y_range
    lo0, lo1 = line.price_at(x0) - band, line.price_at(x1) - band
    hi0, hi1 = line.price_at(x0) + band, line.price_at(x1) + band
    raw = [names[p.slug] for p in vmap.positions]  # as read: label widths are measured on these
    if focus is None:
        positions = place_labels([(p.relative_quality, p.relative_price, n) for p, n in zip(vmap.positions, raw)],
                                 x_range, y_range)
    else:  # only us and them carry labels: place those two (constant work per page, whatever the market's size)
        labelled = [i for i, p in enumerate(vmap.positions) if p.is_us or p.slug == focus]
        placed = place_labels([(vmap.positions[i].relative_quality, vmap.positions[i].relative_price, raw[i])
                               for i in labelled], x_range, y_range)
        positions = ["top center"] * len(vmap.positions)
        for i, pos in zip(labelled, placed):
            positions[i] = pos
    first_words = [short_label(n) for n in raw]
    seen = Counter(first_words)  # not first_words.count(s) per name: that is quadratic
    shorts = [plain(s if seen[s] == 1 else n) for s, n in zip(first_words, raw)]  # unique or full
    labels = [plain(n) for n in raw]
    hover = (f"<b>%{{text}}</b><br>{t('chart.relative_quality')}: %{{customdata[0]}}<br>"
             f"{t('chart.relative_price')}: %{{customdata[1]}}<br>{t('chart.customer_value')}: %{{customdata[2]}}"
             + ("<br>%{hovertext}" if extra else "") + "<extra></extra>")
    numbers = [[plain(v) for v in shown(p)] for p in vmap.positions]
    extras = ["<br>".join(plain(v) for v in extra(p)) for p in vmap.positions] if extra else None

    def points(selected: list[int], name: str, color: str, size: int, symbol: str, bold: bool) -> dict:
        trace = {
            "type": "scatter", "mode": "markers+text", "name": name,
            "x": [round(xs[i], 2) for i in selected], "y": [round(ys[i], 2) for i in selected],
            "text": [labels[i] for i in selected],
            "meta": {"short": [shorts[i] for i in selected]},
            "textposition": [positions[i] for i in selected],
            "customdata": [numbers[i] for i in selected],
            "hovertemplate": hover, "cliponaxis": False,
            "textfont": {"size": 12.5, "color": US_DARK if bold else "#1e293b", "family": FONT},
            "marker": {"size": size, "color": color, "symbol": symbol, "line": {"width": 1.5, "color": "#ffffff"}},
        }
        if extras is not None:
            trace["hovertext"] = [extras[i] for i in selected]
            # Uncertainty, drawn subtly: the x and y of a point are exact here so that x + array is the
            # range's end the hover prints (both formatted by generator/formats.py from the same values).
            trace["x"] = [xs[i] for i in selected]
            trace["y"] = [ys[i] for i in selected]
            bar = {"type": "data", "symmetric": False, "color": ERROR_BAR, "thickness": 1.2, "width": 3}
            trace["error_x"] = dict(bar, array=[vmap.positions[i].rq_high - xs[i] for i in selected],
                                    arrayminus=[xs[i] - vmap.positions[i].rq_low for i in selected])
            trace["error_y"] = dict(bar, array=[vmap.positions[i].rp_high - ys[i] for i in selected],
                                    arrayminus=[ys[i] - vmap.positions[i].rp_low for i in selected])
        return trace

    us_idx = [i for i, p in enumerate(vmap.positions) if p.is_us]
    others = [i for i, p in enumerate(vmap.positions) if not p.is_us and p.slug != focus]
    focused = [i for i, p in enumerate(vmap.positions) if focus is not None and p.slug == focus and not p.is_us]
    zone = {"type": "scatter", "mode": "lines", "hoverinfo": "skip", "line": {"width": 0}, "fill": "toself"}
    data = [
        dict(zone, name=t("zone.better"), x=[x0, x1, x1, x0, x0], y=[lo0, lo1, y0, y0, lo0], fillcolor=BETTER_FILL),
        dict(zone, name=t("zone.worse"), x=[x0, x1, x1, x0, x0], y=[hi0, hi1, y1, y1, hi0], fillcolor=WORSE_FILL),
        dict(zone, name=t("zone.fair"), x=[x0, x1, x1, x0, x0], y=[lo0, lo1, hi1, hi0, lo0], fillcolor=FAIR_FILL),
        {"type": "scatter", "mode": "lines", "name": t("chart.fair_value_line"), "hoverinfo": "skip",
         "x": [x0, x1], "y": [line.price_at(x0), line.price_at(x1)],
         "line": {"color": "#64748b", "width": 1.5, "dash": "dash"}},
        points(others, t("chart.competitors"), OTHER, 11, "circle", False),
        points(us_idx, t("chart.us"), US, 17, "diamond", True),
    ]
    if focus is not None:  # the others fade into context: muted dots without labels, names in the hover
        muted = data[4]
        muted.update(marker=dict(muted["marker"], size=8, color=MUTED),  # names kept as text, not drawn
                     textfont=dict(muted["textfont"], color="rgba(0, 0, 0, 0)"))
        muted.pop("error_x", None), muted.pop("error_y", None)
        them = points(focused, plain(names[focus]), THEM, 14, "circle", True)
        them["textfont"] = dict(them["textfont"], color=THEM_DARK)
        data.insert(5, them)
    layout = _base_layout(540)
    layout.update({
        "xaxis": _axis(t("chart.relative_quality_axis"), range=[round(x0, 2), round(x1, 2)], fixedrange=True),
        "yaxis": _axis(t("chart.relative_price_axis"), range=[round(y0, 2), round(y1, 2)], fixedrange=True),
        "showlegend": True,
        "annotations": [
            {"text": t("zone.better_label"), "x": 1, "y": 0, "xref": "paper", "yref": "paper", "showarrow": False,
             "xanchor": "right", "yanchor": "bottom", "font": {"color": POSITIVE, "size": 12}},
            {"text": t("zone.worse_label"), "x": 0, "y": 1, "xref": "paper", "yref": "paper", "showarrow": False,
             "xanchor": "left", "yanchor": "top", "font": {"color": NEGATIVE, "size": 12}},
        ],
    })
    if compact:  # a card or a printed page: lower, tighter, smaller type, no legend (the points are labelled)
        layout["height"] = 195
        layout["font"] = dict(layout["font"], size=11)
        layout["margin"] = {"l": 48, "r": 12, "t": 10, "b": 40}
        layout["showlegend"] = False
        for note in layout["annotations"]:
            note["font"] = dict(note["font"], size=10)
        for trace in data:
            if "textfont" in trace:
                trace["textfont"] = dict(trace["textfont"], size=11)
    return {"data": data, "layout": layout}


# --- value curves (strategy canvas, head-to-head) -------------------------------------------------------

def value_curves_figure(categories: Sequence[tuple[str, str]], series: Sequence[dict], t: T,
                        scale: tuple[float, float], height: int = 420, compact: bool = False) -> dict:
    """One line per company over ``categories`` ((group, label) pairs; group "" for a flat axis).

    ``series`` items: ``{"name", "values", "labels", "is_us"}``: ``values`` on the scale (None: not drawn),
    ``labels`` the same numbers as the table shows them (the hover text); colours follow the order given.
    """
    t = _plain_t(t)
    grouped = any(group for group, _ in categories)
    x = ([[plain(g) for g, _ in categories], [plain(label) for _, label in categories]] if grouped
         else [plain(lab) for _, lab in categories])
    data = []
    colour = 0
    for item in series:
        if item["is_us"]:
            style = {"color": US, "width": 4}
            marker = {"size": 9, "color": US, "symbol": "diamond"}
        else:
            c = PALETTE[colour % len(PALETTE)]
            colour += 1
            style = {"color": c, "width": 2}
            marker = {"size": 6, "color": c}
        name = plain(item["name"])
        data.append({"type": "scatter", "mode": "lines+markers", "name": name, "x": x,
                     "y": [None if v is None else round(v, 2) for v in item["values"]], "line": style,
                     "marker": marker, "customdata": [plain(label) for label in item["labels"]],
                     "hovertemplate": "%{customdata}<extra>" + name + "</extra>"})
    layout = _base_layout(height)
    layout.update({
        "xaxis": _axis("", tickangle=-30 if len(categories) > 6 else 0, fixedrange=True),
        "yaxis": _axis(t("chart.score_axis"), range=[scale[0], scale[1] + (scale[1] - scale[0]) * 0.04],
                       fixedrange=True),
        "hovermode": "x unified",
        "meta": {"rotate_on_narrow": True, "categories": len(categories)},
        "margin": {"l": 56, "r": 16, "t": 24 + 22 * ((len(series) + 4) // 5), "b": 130 if grouped else 60},
        "legend": {"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "font": {"size": 12}},
    })
    if compact:  # a battlecard: lower, smaller type, the criteria still readable at paper width
        layout["font"] = dict(layout["font"], size=10)
        layout["xaxis"]["tickfont"] = {"size": 9}
        layout["legend"]["font"] = {"size": 11}
        layout["margin"] = {"l": 44, "r": 8, "t": 26, "b": 110 if grouped else 50}
        for trace in data:
            trace["marker"] = dict(trace["marker"], size=trace["marker"]["size"] - 2)
            trace["line"] = dict(trace["line"], width=max(trace["line"]["width"] - 1, 1.5))
    return {"data": data, "layout": layout}


def difference_figure(labels: Sequence[str], differences: Sequence[float | None], shown: Sequence[str], t: T,
                      compact: bool = False) -> dict:
    """Horizontal bars: our score minus theirs per dimension (green: we lead); ``shown`` the bar labels as the
    table prints them."""
    t = _plain_t(t)
    values = [None if d is None else round(d, 2) for d in differences]
    data = [{
        "type": "bar", "orientation": "h", "y": [plain(label) for label in labels], "x": values,
        "marker": {"color": [POSITIVE if (d or 0) >= 0 else NEGATIVE for d in differences]},
        "customdata": [plain(v) for v in shown],
        "hovertemplate": "%{y}: %{customdata}<extra></extra>", "name": t("chart.difference"),
        "text": [plain(v) for v in shown], "textposition": "outside", "cliponaxis": False,
    }]
    span = max([abs(d) for d in differences if d is not None] + [1.0]) * 1.35
    layout = _base_layout(70 + 44 * len(labels))
    layout.update({
        "xaxis": _axis(t("chart.difference_axis"), range=[-span, span], zeroline=True, zerolinecolor="#334155",
                       fixedrange=True),
        "yaxis": {"automargin": True, "autorange": "reversed", "fixedrange": True},
        "showlegend": False, "margin": {"l": 16, "r": 24, "t": 8, "b": 48},
    })
    if compact:
        layout["height"] = 56 + 30 * len(labels)
        layout["font"] = dict(layout["font"], size=11)
        layout["margin"] = {"l": 8, "r": 20, "t": 6, "b": 40}
    return {"data": data, "layout": layout}


def bars_figure(labels: Sequence[str], values: Sequence[float | None], shown: Sequence[str],
                highlight: Sequence[bool], t: T, axis_title: str, scale: tuple[float, float]) -> dict:
    """Horizontal bars, one per company, us highlighted (dimension pages); ``shown`` the bar labels as the
    table prints them."""
    t, axis_title = _plain_t(t), plain(axis_title)
    data = [{
        "type": "bar", "orientation": "h", "y": [plain(label) for label in labels],
        "x": [None if v is None else round(v, 2) for v in values],
        "marker": {"color": [US if h else "#94a3b8" for h in highlight]},
        "customdata": [plain(v) for v in shown],
        "text": [plain(v) for v in shown], "textposition": "outside", "cliponaxis": False,
        "hovertemplate": "%{y}: %{customdata}<extra></extra>", "name": axis_title,
    }]
    layout = _base_layout(70 + 34 * len(labels))
    layout.update({
        "xaxis": _axis(axis_title, range=[scale[0], scale[1] * 1.08], fixedrange=True),
        "yaxis": {"automargin": True, "autorange": "reversed", "fixedrange": True},
        "showlegend": False, "margin": {"l": 16, "r": 24, "t": 8, "b": 48},
    })
    return {"data": data, "layout": layout}
