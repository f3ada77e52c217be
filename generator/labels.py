"""Where a value map's labels go: a greedy placement in screen space that keeps each company's name off the
other labels, the markers, the fair-value line and the zone notes in the plot's corners (pure geometry,
no I/O). :func:`generator.value_map_chart.value_map_figure` asks it once per plot area a reader meets (a desktop or
paper, a phone) and hides a label that still meets another.

Linear in the number of companies: boxes are kept in a coarse grid, a candidate is compared with the
boxes of its cells only, and a cell keeps at most :data:`_CELL_CAP` markers and as many labels
(tests/unit/test_linear.py counts the comparisons).
"""
from __future__ import annotations

from typing import Sequence

POSITIONS = ["top center", "bottom center", "middle right", "middle left",
              "top right", "top left", "bottom right", "bottom left"]
_SPLIT = [tuple(p.split()) for p in POSITIONS]  # (vertical, horizontal), in the same order


_CELL_CAP = 8
"""Markers (and, separately, labels) a grid cell of :func:`place_labels` keeps. A 160 × 48 px cell holding
eight 16 px labels is solid text already: what more would add cannot pick a clear spot, only cost time. Below
the cap (the sample market, any map of up to ~40 evenly spread companies) placement is exactly as uncapped."""


def _overlaps(b, others, own: int) -> tuple[float, float]:
    """The area box ``b`` shares with the markers among ``others`` (not the marker ``own``), and with the labels
    and notes. The one inner loop of label placement: :func:`_overlap` written out, after a cheap test that
    rules out the boxes that do not meet (most of them).
    Each call compares one candidate position with the boxes of its grid cells (at most 2 × _CELL_CAP per cell)."""
    x0, y0, x1, y1 = b[0], b[1], b[2], b[3]
    marked = hit = 0.0
    for ox0, oy0, ox1, oy1, owner in others:
        if ox0 >= x1 or ox1 <= x0 or oy0 >= y1 or oy1 <= y0 or owner == own:
            continue
        area = ((x1 if x1 < ox1 else ox1) - (x0 if x0 > ox0 else ox0)) * ((y1 if y1 < oy1 else oy1) - (y0 if y0 > oy0 else oy0))
        if owner >= 0:
            hit += area
        else:
            marked += area
    return marked, hit


def _on_segment(b, seg) -> float:
    """How long a stretch of the segment ``seg`` ((x0, y0), (x1, y1)) runs inside box ``b`` (Liang–Barsky)."""
    (ax, ay), (bx, by) = seg
    dx, dy = bx - ax, by - ay
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, ax - b[0]), (dx, b[2] - ax), (-dy, ay - b[1]), (dy, b[3] - ay)):
        if p == 0:
            if q < 0:
                return 0.0
            continue
        r = q / p
        if p < 0:
            t0 = max(t0, r)
        else:
            t1 = min(t1, r)
        if t0 >= t1:
            return 0.0
    return (t1 - t0) * (dx * dx + dy * dy) ** 0.5


_EDGE = 8  # px a label may run past the plot area into the chart's margins (a phone's right margin is 8 px)


def _excess(b, width: float, height: float) -> float:
    """How far box ``b`` runs out of the plot area ``width`` × ``height``, in px (0 inside)."""
    return max(0.0, -b[0], b[2] - width, -b[1], b[3] - height)


def label_boxes(px: float, py: float, label: str, char_px: float = 7.2, text_px: float = 16
                ) -> list[tuple[float, float, float, float]]:
    """The screen box of ``label`` beside the point (``px``, ``py``) at each of :data:`POSITIONS`, in order."""
    w, h = char_px * len(label) + 4, text_px
    out = []
    for vertical, horizontal in _SPLIT:
        if horizontal == "center":
            x0 = px - w / 2
        elif horizontal == "right":
            x0 = px + 6 if vertical == "middle" else px
        else:
            x0 = px - w - (6 if vertical == "middle" else 0)
        y0 = py - 8 - h if vertical == "top" else py + 8 if vertical == "bottom" else py - h / 2
        out.append((x0, y0, x0 + w, y0 + h))
    return out


def place_labels(points: Sequence[tuple[float, float, str]], x_range: tuple[float, float],
                 y_range: tuple[float, float], width_px: int = 760, height_px: int = 480, **options) -> list[str]:
    """Pick a text position per point so labels overlap each other, the markers, the fair-value line and
    the chart's notes as little as possible (see :func:`place` for ``options``)."""
    return place(points, x_range, y_range, width_px, height_px, **options)[0]


def place(points: Sequence[tuple[float, float, str]], x_range: tuple[float, float], y_range: tuple[float, float],
           width_px: float = 760, height_px: float = 480, *, line: tuple | None = None, obstacles: Sequence = (),
           unlabelled: Sequence[tuple[float, float]] = (),
           char_px: float = 7.2, text_px: float = 16, first: int | None = None) -> tuple[list[str], list[bool]]:
    """The positions, and per label whether it still meets another label or a note (a clash).

    A greedy pass in screen space (approximate character width ``char_px``, text height ``text_px``), most
    crowded points first. Boxes are kept in a coarse grid so each candidate is compared with its neighbours
    only, and a cell keeps at most ``_CELL_CAP`` markers and ``_CELL_CAP`` labels: the chart's area is fixed,
    so without the cap a cell holds a share of *all* points and placement turns quadratic
    (tests/unit/test_linear.py counts the candidates compared). ``line``: the fair-value line's two ends in data units, an
    obstacle no label should cross (one segment: constant work per candidate, outside the grid).
    ``obstacles``: fixed boxes in screen pixels of the plot area (the zone notes in its corners), placed in
    the grid before any label, like labels. ``first``: a point placed before all others (ours).
    ``unlabelled``: further markers (data units) a label should not cover, themselves without a label.
    """
    cell_w, cell_h = 160.0, 48.0
    sx = width_px / (x_range[1] - x_range[0])
    sy = height_px / (y_range[1] - y_range[0])
    screen = [((x - x_range[0]) * sx, (y_range[1] - y) * sy, label) for x, y, label in points]
    segment = None if line is None else tuple(((x - x_range[0]) * sx, (y_range[1] - y) * sy) for x, y in line)
    # Per cell: (markers, labels), each in the order placed and capped at _CELL_CAP (see there). A cell whose
    # labels reached the cap is *full*: what else is written there is not kept, so no later label can be told
    # clear of it — a candidate box that touches a full cell counts as covered (a clash: not drawn).
    grid: dict[tuple[int, int], tuple[list, list]] = {}
    full: set[tuple[int, int]] = set()
    empty: tuple = ((), ())

    def cells(b) -> list[tuple[int, int]]:
        return [(i, j) for i in range(int(b[0] // cell_w), int(b[2] // cell_w) + 1)
                for j in range(int(b[1] // cell_h), int(b[3] // cell_h) + 1)]

    def put(b, owner: int) -> None:
        for c in cells(b):
            kept = grid.setdefault(c, ([], []))[owner >= 0]
            if len(kept) < _CELL_CAP:
                kept.append((*b, owner))
            elif owner >= 0:
                full.add(c)

    def near(b) -> set:
        # The boxes in b's cells, once each (a box spanning two cells is in both), gathered cell by cell,
        # markers before labels: the same set, in the same order, as a set comprehension over cells() — the
        # areas _overlaps adds up come in the same order, so the sums are the same to the last bit.
        i0, i1, j0, j1 = int(b[0] // cell_w), int(b[2] // cell_w), int(b[1] // cell_h), int(b[3] // cell_h)
        found = set()
        for i in range(i0, i1 + 1):
            for j in range(j0, j1 + 1):
                markers, labels = grid.get((i, j), empty)
                found.update(markers)
                found.update(labels)
        return found

    for k, ob in enumerate(obstacles):  # owners past the labels': never a point's own
        put(tuple(ob[:4]), len(points) + k)
    for i, (px, py, _) in enumerate(screen):
        put((px - 6, py - 6, px + 6, py + 6), -1 - i)  # markers: owner < 0
    for k, (x, y) in enumerate(unlabelled):  # markers without a label (a "where they sit" map's others)
        px, py = (x - x_range[0]) * sx, (y_range[1] - y) * sy
        put((px - 5, py - 5, px + 5, py + 5), -1 - len(points) - k)

    def outside(b) -> float:
        return (max(0.0, -b[0]) + max(0.0, b[2] - width_px)) * 16 + (max(0.0, -b[1]) + max(0.0, b[3] - height_px)) * 40

    crowd = [len(near((px - 60, py - 20, px + 60, py + 20))) for px, py, _ in screen]
    # More labels than one cell keeps: a map where a label may have to give way. A map of a few labels (a
    # "where they sit" card: us and them) draws each one, into the chart's margin if need be.
    crowded = len(points) > _CELL_CAP
    chosen = [""] * len(points)
    clash = [False] * len(points)
    for i in sorted(range(len(points)), key=lambda k: (k != first, -crowd[k], k)):
        px, py, label = screen[i]
        candidates = label_boxes(px, py, label, char_px, text_px)
        best, best_box, best_cost, best_clash = 0, candidates[0], float("inf"), False
        for rank, b in enumerate(candidates):
            if best_cost <= rank * 0.5:  # every later position costs at least its rank: none can do better
                break
            # What the position costs at least — the terms that need no neighbour: off the plot, in a full
            # cell, across the line. If that is no better than the best, the boxes near it (the one inner
            # loop) are never compared. The sum below adds the same terms in the same order, plus ones ≥ 0:
            # rounding never makes it smaller than this bound, so the choice is exactly the one without it.
            off = outside(b) + rank * 0.5
            covered = (b[2] - b[0]) * (b[3] - b[1]) if full and any(c in full for c in cells(b)) else 0.0
            line_cost = 40 * _on_segment(b, segment) if segment is not None else 0.0
            if off + 3 * covered + line_cost >= best_cost:
                continue
            marked, hit = _overlaps(b, near(b), -1 - i)
            hit += covered  # among labels no longer kept: as if covered
            cost = off + marked + 3 * hit
            cost += line_cost
            if cost < best_cost:
                best, best_box, best_cost, best_clash = rank, b, cost, hit > 0
        if crowded and not best_clash and i != first:  # a crowded map: a label that fits only by leaving the
            best_clash = _excess(best_box, width_px, height_px) > _EDGE  # plot is not drawn either
        chosen[i], clash[i] = POSITIONS[best], best_clash
        put(best_box, i)
    return chosen, clash


def note_box(text: str, char_px: float, text_px: float, width: float, height: float, *, top_left: bool) -> tuple:
    """The screen box of a corner note (the worse-value note top left, the better-value one bottom right)."""
    w, h = char_px * len(text) + 6, text_px + 4
    return (0.0, 0.0, w, h) if top_left else (width - w, height - h, width, height)
