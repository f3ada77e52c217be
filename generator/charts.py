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

from .labels import note_box, place
from .score import ValueMap

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

def short_label(name: str) -> str:
    """A label for narrow screens: the first word when it is distinctive enough, else the name."""
    first = name.split()[0] if name.split() else name
    return first if len(first) >= 4 and first != name else name


def _range(values: Sequence[float], pad_share: float = 0.12) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    span = max(hi - lo, 10.0)
    return (lo - span * pad_share, hi + span * pad_share)


_MAP_AREAS = {
    # (variant, compact): plot area width, height (px), label char width, text height, note char width. Wide:
    # the narrowest a desktop or a printed page draws the map (a placement clear at 640 px stays clear wider);
    # narrow: a 375 px phone (valuemap.js: short names, 10 px type). Compact: the "where they sit" card.
    ("wide", False): (640, 390, 7.2, 16, 6.6),
    ("narrow", False): (255, 250, 6.0, 13, 6.0),
    ("wide", True): (300, 140, 6.6, 14, 5.6),  # half a printed battlecard
    ("narrow", True): (255, 140, 6.0, 13, 5.6),
}


def _delta(high: float, low: float) -> float:
    """``high − low`` as drawn: both ends rounded to 2 decimals as the point is (never negative)."""
    return round(round(high, 2) - round(low, 2), 2)


def _short_note(t: T, zone: str) -> str:
    """A zone's corner note on a phone: its name and arrow only (the full sentence takes the whole width)."""
    return f"↖ {t('zone.worse')}" if zone == "worse" else f"{t('zone.better')} ↘"


def value_map_figure(vmap: ValueMap, names: Mapping[str, str], t: T, shown: Callable[[object], list[str]],
                     extra: Callable[[object], list[str]] | None = None, *, focus: str | None = None,
                     compact: bool = False, trails: Sequence[dict] = ()) -> dict:
    """Relative quality (x) against relative price (y), fair-value line, zones, us highlighted.

    ``trails``: each company's past positions (see :func:`trail_traces`), drawn under the points; the axes
    hold them too.

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
    x_range = _range(xs + [100.0] + [x for tr in trails for x in tr["x"]])
    y_range = _range(ys + [100.0] + [vmap.line.price_at(x) for x in x_range] + [y for tr in trails for y in tr["y"]])
    line = vmap.line
    band = vmap.band
    x0, x1 = x_range
    y0, y1 = y_range
    lo0, lo1 = line.price_at(x0) - band, line.price_at(x1) - band
    hi0, hi1 = line.price_at(x0) + band, line.price_at(x1) + band
    raw = [names[p.slug] for p in vmap.positions]  # as read: label widths are measured on these
    first_words = [short_label(n) for n in raw]
    seen = Counter(first_words)  # not first_words.count(s) per name: that is quadratic
    short_raw = [s if seen[s] == 1 else n for s, n in zip(first_words, raw)]  # unique or full
    shorts = [plain(s) for s in short_raw]
    labels = [plain(n) for n in raw]
    # Labels are placed twice, for the plot areas a reader meets (see _MAP_AREAS): wide (a desktop or paper,
    # full names) and narrow (a phone, short names, smaller type; valuemap.js swaps them in). Each placement
    # keeps clear of the fair-value line and of the zone notes in the corners; a label that still meets
    # another label is not drawn (transparent: its name stays in the hover and the table), ours always is.
    fair_line = ((x0, line.price_at(x0)), (x1, line.price_at(x1)))
    labelled = (range(len(vmap.positions)) if focus is None else  # focus: only us and them (constant work)
                [i for i, p in enumerate(vmap.positions) if p.is_us or p.slug == focus])
    ours = next((k for k, i in enumerate(labelled) if vmap.positions[i].is_us), None)
    unlabelled = ([] if focus is None else  # the muted dots: at most the few companies ranked near them
                  [(p.relative_quality, p.relative_price) for p in vmap.positions if not (p.is_us or p.slug == focus)])
    placements = []
    for variant, texts in (("wide", raw), ("narrow", short_raw)):
        width, height, char_px, text_px, note_char = _MAP_AREAS[(variant, compact)]
        full = variant == "wide" and not compact  # a card and a phone: the notes' short forms
        notes = (note_box(t("zone.worse_label") if full else _short_note(t, "worse"), note_char,
                           text_px, width, height, top_left=True),
                 note_box(t("zone.better_label") if full else _short_note(t, "better"), note_char,
                           text_px, width, height, top_left=False))
        placed, clashed = place([(vmap.positions[i].relative_quality, vmap.positions[i].relative_price, texts[i])
                                  for i in labelled], x_range, y_range, width, height, line=fair_line,
                                 obstacles=notes, char_px=char_px, text_px=text_px, first=ours,
                                 unlabelled=unlabelled)
        pos, hide = ["top center"] * len(vmap.positions), [False] * len(vmap.positions)
        for k, i in enumerate(labelled):
            pos[i], hide[i] = placed[k], clashed[k] and not vmap.positions[i].is_us
        placements.append((pos, hide))
    (positions, hidden), (short_positions, short_hidden) = placements
    hover = (f"<b>%{{text}}</b><br>{t('chart.relative_quality')}: %{{customdata[0]}}<br>"
             f"{t('chart.relative_price')}: %{{customdata[1]}}<br>{t('chart.customer_value')}: %{{customdata[2]}}"
             + ("<br>%{hovertext}" if extra else "") + "<extra></extra>")
    numbers = [[plain(v) for v in shown(p)] for p in vmap.positions]
    extras = ["<br>".join(plain(v) for v in extra(p)) for p in vmap.positions] if extra else None

    def points(selected: list[int], name: str, color: str, size: int, symbol: str, bold: bool,
               zoned: bool = False) -> dict:
        trace = {
            "type": "scatter", "mode": "markers+text", "name": name,
            "x": [round(xs[i], 2) for i in selected], "y": [round(ys[i], 2) for i in selected],
            "text": [labels[i] for i in selected],
            "meta": {"short": [shorts[i] for i in selected], "short_pos": [short_positions[i] for i in selected],
                     "short_hidden": [short_hidden[i] for i in selected]},
            "textposition": [positions[i] for i in selected],
            "customdata": [numbers[i] for i in selected],
            "hovertemplate": hover, "cliponaxis": False,
            "textfont": {"size": 12.5, "color": US_DARK if bold else "#1e293b", "family": FONT},
            "marker": {"size": size, "color": color, "symbol": symbol, "line": {"width": 1.5, "color": "#ffffff"}},
        }
        if any(hidden[i] for i in selected):  # no clear spot: not drawn (the hover and the table name it)
            ink = trace["textfont"]["color"]
            trace["textfont"]["color"] = ["rgba(0, 0, 0, 0)" if hidden[i] else ink for i in selected]
        if zoned and selected:  # competitors: colour, shape and size by zone (colour never the only cue)
            styles = [ZONE_STYLE[vmap.positions[i].zone] for i in selected]
            trace["marker"].update(color=[c for c, _, _ in styles], symbol=[m for _, m, _ in styles],
                                   size=[z for _, _, z in styles])
        if extras is not None:
            trace["hovertext"] = [extras[i] for i in selected]
            # Uncertainty, drawn subtly: from the point to the range's ends the hover prints, every end (and
            # the point) to 1/100 of a unit — far below a pixel (a map spans ~300 units over ~700 px), and
            # short in the page (a float's 17 digits, six per point, were a third of a 5,000-company map).
            bar = {"type": "data", "symmetric": False, "color": ERROR_BAR, "thickness": 1.2, "width": 3}
            p = vmap.positions
            trace["error_x"] = dict(bar, array=[_delta(p[i].rq_high, xs[i]) for i in selected],
                                    arrayminus=[_delta(xs[i], p[i].rq_low) for i in selected])
            trace["error_y"] = dict(bar, array=[_delta(p[i].rp_high, ys[i]) for i in selected],
                                    arrayminus=[_delta(ys[i], p[i].rp_low) for i in selected])
        return trace

    us_idx = [i for i, p in enumerate(vmap.positions) if p.is_us]
    others = [i for i, p in enumerate(vmap.positions) if not p.is_us and p.slug != focus]
    focused = [i for i, p in enumerate(vmap.positions) if focus is not None and p.slug == focus and not p.is_us]
    zone = {"type": "scatter", "mode": "lines", "hoverinfo": "skip", "line": {"width": 0}, "fill": "toself",
            "showlegend": False}  # the legend's zone entries are the keys below (marker and tint together)
    data = [
        dict(zone, name=t("zone.better"), x=[x0, x1, x1, x0, x0], y=[lo0, lo1, y0, y0, lo0], fillcolor=BETTER_FILL),
        dict(zone, name=t("zone.worse"), x=[x0, x1, x1, x0, x0], y=[hi0, hi1, y1, y1, hi0], fillcolor=WORSE_FILL),
        dict(zone, name=t("zone.fair"), x=[x0, x1, x1, x0, x0], y=[lo0, lo1, hi1, hi0, lo0], fillcolor=FAIR_FILL),
        {"type": "scatter", "mode": "lines", "name": t("chart.fair_value_line"), "hoverinfo": "skip",
         "x": [x0, x1], "y": [line.price_at(x0), line.price_at(x1)],
         "line": {"color": "#475569", "width": 1.5, "dash": "dash"}, "legendrank": 300},
        *trail_traces(trails, t),
        dict(points(others, t("chart.competitors"), OTHER, 11, "circle", False, zoned=focus is None),
             showlegend=False),
        dict(points(us_idx, t("chart.us"), US, 17, "diamond", True), legendrank=100),
    ]
    if focus is not None:  # the others fade into context: muted dots without labels, names in the hover
        muted = data[4 + len(trails)]
        muted.update(marker=dict(muted["marker"], size=8, color=MUTED),  # names kept as text, not drawn
                     textfont=dict(muted["textfont"], color="rgba(0, 0, 0, 0)"))
        muted.pop("error_x", None), muted.pop("error_y", None)
        them = points(focused, plain(names[focus]), THEM, 14, "circle", True)
        them["textfont"] = dict(them["textfont"], color=THEM_DARK)
        data.insert(5 + len(trails), them)
    # The legend's keys: a competitor's marker in each zone over the zone's tint, after every drawn trace
    # (weigh.js finds the points at fixed places: 4 the competitors, 5 us).
    for rank, (key, fill) in enumerate((("better", BETTER_FILL), ("fair", FAIR_FILL), ("worse", WORSE_FILL))):
        colour, symbol, size = ZONE_STYLE[key]
        data.append({"type": "scatter", "mode": "markers", "name": t(f"zone.{key}"), "x": [None], "y": [None],
                     "hoverinfo": "skip", "fill": "toself", "fillcolor": fill, "legendrank": 200 + rank,
                     "marker": {"color": colour, "symbol": symbol, "size": size,
                                "line": {"width": 1.5, "color": "#ffffff"}}, "showlegend": focus is None})
    layout = _base_layout(540, t)
    layout.update({
        "xaxis": _axis(t("chart.relative_quality_axis"), range=[round(x0, 2), round(x1, 2)], fixedrange=True),
        "yaxis": _axis(t("chart.relative_price_axis"), range=[round(y0, 2), round(y1, 2)], fixedrange=True),
        "showlegend": True,
        "annotations": [
            {"text": t("zone.better_label"), "x": 1, "y": 0, "xref": "paper", "yref": "paper", "showarrow": False,
             "xanchor": "right", "yanchor": "bottom", "font": {"color": BETTER_TEXT, "size": 12}},
            {"text": t("zone.worse_label"), "x": 0, "y": 1, "xref": "paper", "yref": "paper", "showarrow": False,
             "xanchor": "left", "yanchor": "top", "font": {"color": WORSE_TEXT, "size": 12}},
        ],
        # valuemap.js: the notes' short forms on a phone; weigh.js: each zone's marker
        "meta": {"short_notes": [_short_note(t, "better"), _short_note(t, "worse")],
                 "zones": {z: {"color": c, "symbol": m, "size": n} for z, (c, m, n) in ZONE_STYLE.items()}},
    })
    if trails:  # a legend entry per trail: room for their rows below the map (a phone lists only those shown)
        layout["height"] += 22 * -(-len(trails) // 5)
        layout["meta"].update(trails=len(trails), narrow_extra=22 * sum(1 for tr in trails if tr["shown"]))
    if compact:  # a card or a printed page: lower, tighter, smaller type, no legend (the points are labelled)
        layout["height"] = 195
        layout["font"] = dict(layout["font"], size=11)
        layout["margin"] = {"l": 48, "r": 12, "t": 10, "b": 40}
        layout["showlegend"] = False
        # The axes' short titles: "(100 = average)" made the price title longer than a 145 px plot is tall.
        layout["xaxis"]["title"] = {"text": t("chart.relative_quality")}
        layout["yaxis"]["title"] = {"text": t("chart.relative_price")}
        for note, short in zip(layout["annotations"], layout["meta"]["short_notes"]):
            note["font"] = dict(note["font"], size=10)
            note["text"] = short
        for trace in data:
            if "textfont" in trace:
                trace["textfont"] = dict(trace["textfont"], size=11)
    return {"data": data, "layout": layout}


def trail_traces(trails: Sequence[dict], t: T) -> list[dict]:
    """A line through each company's past positions, oldest first, ending at its point now (history).

    ``trails`` items: ``{"slug", "name", "is_us", "shown": bool, "x", "y", "labels"}`` — ``labels`` per point
    ``[date, relative quality, relative price, customer value]`` as the trail table beside the chart prints them
    (the hover shows these strings). A trail not ``shown`` starts hidden (``legendonly``: a click on its legend
    entry draws it). Only ``t`` that :func:`value_map_figure` has already escaped is passed here."""
    numbers = (f"<br>{t('chart.relative_quality')}: %{{customdata[1]}}<br>{t('chart.relative_price')}: "
               f"%{{customdata[2]}}<br>{t('chart.customer_value')}: %{{customdata[3]}}<extra></extra>")
    out = []
    for i, tr in enumerate(trails):
        colour = US if tr["is_us"] else PALETTE[i % len(PALETTE)]
        name = plain(tr["name"])
        trace = {
            "type": "scatter", "mode": "lines+markers", "name": t("history.trail_name", name=tr["name"]),
            "x": list(tr["x"]), "y": list(tr["y"]),
            "customdata": [[plain(v) for v in row] for row in tr["labels"]],
            "hovertemplate": f"<b>{name}</b> · %{{customdata[0]}}" + numbers, "meta": {"trail": tr["slug"], "name": name},
            "line": {"color": colour, "width": 2 if tr["is_us"] else 1.5, "dash": "dot"},
            "marker": {"size": 7, "color": colour, "symbol": "circle-open", "line": {"width": 1.5}},
            "cliponaxis": False,
        }
        if not tr["shown"]:
            trace["visible"] = "legendonly"
        out.append(trace)
    return out


# --- value curves (strategy canvas, head-to-head) -------------------------------------------------------

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
                 "pick": {role: {"line": s, "marker": m} for role, (s, m) in styles.items()} if several else None},
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
        layout["height"] = 26 + 44 + bottom  # a ~44 px plot, as before: the card fits one Letter page
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
    pad = lambda side: 0.28 * span if side else 0.03 * span  # noqa: E731  (0.28: a label such as "+5.9")
    layout = _base_layout(70 + 44 * len(labels), t)
    layout.update({
        "xaxis": _axis(t("chart.difference_axis"), range=[round(lo - pad(lo < 0), 3), round(hi + pad(hi > 0), 3)],
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
