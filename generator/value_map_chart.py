"""The value map as a plotly.js figure (a plain dict, see :mod:`generator.charts`): the zones, the fair-value
line, each company's point with its uncertainty, labels placed where they can be read (:mod:`generator.labels`)
for a wide and a narrow plot area, and a company's trail of earlier positions. The home, segment, competitor
list, prospect and competitor pages draw it; the weigh page takes its frame and weigh.js places the points.
"""
from __future__ import annotations

from collections import Counter
from typing import Callable, Mapping, Sequence

from .charts import (BETTER_FILL, BETTER_TEXT, ERROR_BAR, FAIR_FILL, FONT, MUTED, OTHER, PALETTE, THEM, THEM_DARK, T,
                     US, US_DARK, WORSE_FILL, WORSE_TEXT, ZONE_STYLE, _axis, _base_layout, _plain_t, plain)
from .labels import note_box, place
from .score import ValueMap


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
