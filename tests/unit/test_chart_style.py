"""Chart conventions (issue #17, docs/design-charts.md), checked on the figures the generator writes.

* Labels keep off the fair-value line and the zone notes (generator.labels.place_labels' obstacles); a label
  that has no clear spot is left undrawn rather than drawn over another (never ours).
* Competitors on a value map are coloured *and shaped* by their zone, the zone the table beside the map
  prints; the legend names each zone with its marker.
* Value curves: us teal, the rival vermillion, every other company thin grey (the canvas); on a competitor's
  page the competitor is the rival.
* The difference chart's axis is sized to the data: no empty mirror half.
"""
from __future__ import annotations

from generator import charts, labels
from tests.unit.test_build_pages import build
from tests.unit.test_chart_tables import charts_of

ID = lambda key, **values: key  # noqa: E731  (an interface string as its key)


def _figure(site, page: str, chart: str) -> tuple[dict, object]:
    found = next(c for c in charts_of(site) if c.page == page and c.id == chart)
    return found.figure, found.table


def test_a_label_on_the_fair_value_line_moves_off_it():
    """One point on a rising line: the first positions (top center, bottom center, right) all cross it;
    with the line as an obstacle the label goes to the first clear side (top left)."""
    points = [(100.0, 100.0, "Somewhat Long Name")]
    line = ((50.0, 50.0), (150.0, 150.0))
    assert labels.place_labels(points, (50.0, 150.0), (50.0, 150.0)) == ["top center"]
    assert labels.place_labels(points, (50.0, 150.0), (50.0, 150.0), line=line) == ["top left"]


def test_a_label_keeps_off_a_note_and_a_crowded_label_is_flagged():
    points = [(52.0, 146.0, "Corner")]  # top left of the plot, where the worse-value note sits
    note = labels.note_box("↖ Worse value: less quality for the price", 6.6, 16, 760, 480, top_left=True)
    placed, clashed = labels.place(points, (50.0, 150.0), (50.0, 150.0), obstacles=[note])
    assert placed == ["bottom right"] and clashed == [False]
    # ten labels on one spot: the first is clear, later ones cannot be
    crowd = [(100.0, 100.0, f"Company {i}") for i in range(10)]
    _, clashed = labels.place(crowd, (50.0, 150.0), (50.0, 150.0), first=3)
    assert clashed[3] is False and sum(clashed) >= 5


def test_placement_stops_at_a_clear_position_and_its_choice_is_the_cheapest(monkeypatch):
    """A clear position costs only its rank (0.5 per step down _POSITIONS), and every later one costs at least
    its own rank: the search stops there, with the position an exhaustive search picks (the test above)."""
    compared = []
    original = labels._overlaps
    monkeypatch.setattr(labels, "_overlaps", lambda b, others, own: compared.append(b) or original(b, others, own))
    assert labels.place_labels([(100.0, 100.0, "Alone")], (50.0, 150.0), (50.0, 150.0)) == ["top center"]
    assert len(compared) == 1  # the first position was clear: no other was looked at
    compared.clear()
    line = ((50.0, 50.0), (150.0, 150.0))  # crosses top center, bottom center and the middle sides
    assert labels.place_labels([(100.0, 100.0, "Somewhat Long Name")], (50.0, 150.0), (50.0, 150.0),
                               line=line) == ["top left"]
    # top left (the sixth) is clear: the last two are not looked at. Of the five before it, those whose
    # crossing of the line alone costs more than the best so far are ruled out without comparing their
    # neighbours (labels.place: the bound before _overlaps); the choice is the same.
    boxes = labels.label_boxes(380.0, 240.0, "Somewhat Long Name")  # the point in screen pixels (760 × 480)
    assert [labels.POSITIONS[boxes.index(b)] for b in compared] == ["top center", "middle right", "top left"]


def test_no_two_drawn_labels_overlap_however_crowded_the_map(monkeypatch):
    """A large market's map is solid with names: a label is drawn only where it can be read. Every cell of the
    placement grid keeps a bounded number of labels (the work stays linear); past that a cell is full, and a
    label that would land in it is not drawn (its name stays in the hover and the table) — before, it was
    drawn over labels no longer kept: at 1,000 companies, clusters of unreadable text."""
    import random

    rnd = random.Random(5)
    for n in (12, 200, 1000):
        points = [(rnd.gauss(100, 12), rnd.gauss(100, 12), f"Company {rnd.randint(1, 10 ** 5)}") for _ in range(n)]
        x_range, y_range, width, height = (55.0, 145.0), (55.0, 145.0), 640, 390
        placed, clashed = labels.place(points, x_range, y_range, width, height, first=0)
        sx, sy = width / (x_range[1] - x_range[0]), height / (y_range[1] - y_range[0])
        drawn = [labels.label_boxes((x - x_range[0]) * sx, (y_range[1] - y) * sy, text)[labels.POSITIONS.index(pos)]
                 for (x, y, text), pos, hidden in zip(points, placed, clashed) if not hidden]
        assert drawn and not clashed[0]  # ours is always placed first
        overlapping = [(a, b) for a in range(len(drawn)) for b in range(a + 1, len(drawn))
                       if drawn[a][0] < drawn[b][2] and drawn[b][0] < drawn[a][2]
                       and drawn[a][1] < drawn[b][3] and drawn[b][1] < drawn[a][3]]
        assert not overlapping, (n, len(drawn), overlapping[:5])


def test_a_label_wider_than_the_plot_is_drawn_on_a_card_and_left_out_of_a_crowded_map():
    """A label that can only run out of the plot: on a "where they sit" card (us and them, two labels) it is
    drawn into the chart's margin — the competitor's name is the card's subject; on a map of more labels than a
    grid cell keeps, it is left undrawn rather than clipped (its name stays in the hover and the table)."""
    long_name = "A competitor with a name longer than the card is wide"  # 54 characters: 360 px at 6.6 px
    card = [(120.0, 100.0, long_name), (80.0, 100.0, "Us")]
    _, clashed = labels.place(card, (50.0, 150.0), (50.0, 150.0), 300, 140, char_px=6.6, text_px=14, first=1)
    assert clashed == [False, False]
    crowded = card + [(52.0 + 9 * k, 145.0, f"C{k}") for k in range(10)]
    _, clashed = labels.place(crowded, (50.0, 150.0), (50.0, 150.0), 300, 140, char_px=6.6, text_px=14, first=1)
    assert clashed[0] and not clashed[1]


def test_competitors_are_coloured_and_shaped_by_the_zone_the_table_prints(sample, cli):
    site = build(cli, sample.root)
    figure, table = _figure(site, "index.html", "value-map")
    names = {"Better value": "better", "Fair value": "fair", "Worse value": "worse"}
    company, zone = table.columns.index("Company"), table.columns.index("Zone")
    zones = {row[company]: names[row[zone]] for row in table.rows}
    competitors = next(t for t in figure["data"] if t.get("mode") == "markers+text" and t["name"] == "Competitors")
    seen = set()
    for name, colour, symbol in zip(competitors["text"], competitors["marker"]["color"], competitors["marker"]["symbol"]):
        expected = charts.ZONE_STYLE[zones[name]]
        assert (colour, symbol) == expected[:2], (name, zones[name], colour, symbol)
        seen.add(zones[name])
    assert len(seen) >= 2, seen  # the sample has companies in more than one zone
    keys = [t for t in figure["data"] if t.get("mode") == "markers" and t.get("showlegend") is not False]
    assert [(k["name"], k["marker"]["color"], k["marker"]["symbol"]) for k in keys] == [
        ("Better value", charts.BETTER, "circle"), ("Fair value", charts.FAIR, "square"),
        ("Worse value", charts.WORSE, "triangle-up")]
    # weigh.js recolours the points it places from the same styles
    assert figure["layout"]["meta"]["zones"]["worse"] == {"color": charts.WORSE, "symbol": "triangle-up", "size": 12}


def test_the_canvas_sets_one_rival_against_us_and_greys_the_rest(sample, cli):
    site = build(cli, sample.root)
    for chart in ("canvas-dimensions", "canvas-criteria"):
        figure, _ = _figure(site, "canvas.html", chart)
        roles = [t["meta"]["role"] for t in figure["data"]]
        assert roles.count("us") == 1 and roles.count("rival") == 1 and roles.count("muted") == len(roles) - 2
        colours = {t["meta"]["role"]: t["line"]["color"] for t in figure["data"]}
        assert colours == {"us": charts.US, "rival": charts.THEM, "muted": charts.MUTED_LINE}
        assert roles[-1] == "us"  # drawn last: on top
        assert figure["layout"]["meta"]["pick"]["rival"]["line"]["color"] == charts.THEM  # the legend picker
    figure, _ = _figure(site, "competitors/ticketeer.html", "value-curves")
    assert sorted(t["meta"]["role"] for t in figure["data"]) == ["rival", "us"]
    assert figure["layout"]["meta"]["pick"] is None


def test_the_difference_axis_is_sized_to_the_data():
    ahead = charts.difference_figure(["A", "B"], [3.9, 5.9], ["+3.9", "+5.9"], ID)["layout"]["xaxis"]["range"]
    assert -0.3 < ahead[0] <= 0 and 5.9 < ahead[1] < 8.0  # no empty negative half
    mixed = charts.difference_figure(["A", "B"], [-2.0, 4.0], ["−2.0", "+4.0"], ID)["layout"]["xaxis"]["range"]
    assert mixed[0] < -2.0 and mixed[1] > 4.0 and abs(mixed[0]) < abs(mixed[1])
    behind = charts.difference_figure(["A"], [-1.5], ["−1.5"], ID)["layout"]["xaxis"]["range"]
    assert behind[0] < -1.5 and 0 <= behind[1] < 0.3
    # a negative bar's label needs more room on the left: a gap from the dimensions' names beside the plot
    # ("Practicality−1.6" once read as one word on a Russian battlecard)
    assert -2.0 - mixed[0] >= 0.4 * 6.0 - 1e-9 and mixed[1] - 4.0 >= 0.28 * 6.0 - 1e-9
