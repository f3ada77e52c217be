"""Charts read at a glance: no drawn text sits on another, and no point label sits on the fair-value line.

Issue #17 ("Readable at a glance", charts): the value map's fair-value line ran through labels (ours
included), labels collided where companies sit close, and the value curves' criteria overlapped each other.
Measured in Chromium as a reader sees the page, at a desktop's 1280 px and a phone's 375 px (a real viewport):

* every visible SVG ``text`` of a chart (point labels, axis tick labels, the corner notes, legend entries) as
  the quadrilateral it covers on screen — its box in its own coordinates (``getBBox``) through its transform
  (``getScreenCTM``), so an angled tick label is its slanted box, not the upright box around it — and no two
  of them overlap by more than a pixel (separating-axis test);
* on a value map, the fair-value line's screen segment (its ends in data units through plotly's axes) does
  not cross any visible point label;
* no axis divider (plotly's rules between the groups of a category axis) cuts through a tick label, and no
  text runs out of the chart's SVG (where it is clipped).

A text not drawn (transparent: the muted companies of a "where they sit" map, a label with no clear spot) is
not a drawn box. ``overlaps(page, chart_id)`` is the whole check, so a site built from another tree can be
measured with it too (how this test was seen to fail on the code before the fix).
"""
from __future__ import annotations

import pytest

from tests.browser.conftest import CHART_TIMEOUT_MS, CHARTS_DRAWN

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}
# (page, chart): the home value map, a competitor's where-they-sit map and its value curves, the strategy
# canvas, and the "weigh it yourself" map (weigh.js places its points and their labels in the browser).
CHARTS = [("index.html", "value-map"), ("competitors/ticketeer.html", "where-map"),
          ("competitors/ticketeer.html", "value-curves"), ("canvas.html", "canvas-criteria"),
          ("weigh.html", "weigh-map")]

MEASURE = """
(id) => {
  const el = document.getElementById(id);
  const visible = (t) => {
    if (!t.textContent.trim()) return false;
    for (let n = t; n && n !== el; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) return false;
    }
    const s = getComputedStyle(t), fill = s.fill || '';
    if (Number(s.fillOpacity) === 0 || /rgba\\([^)]*,\\s*0\\)$/.test(fill) || fill === 'none') return false;
    const b = t.getBBox();
    return b.width > 0 && b.height > 0;
  };
  const quad = (t) => {
    const b = t.getBBox(), m = t.getScreenCTM();
    return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]].map(
      ([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
  };
  const texts = Array.from(el.querySelectorAll('.main-svg text')).filter(visible).map((t) => ({
    text: t.textContent, quad: quad(t),
    kind: t.closest('.textpoint') ? 'label' : t.closest('.legend') ? 'legend' :
          t.closest('.annotation') ? 'note' : 'axis'}));
  /* the category axis's dividers (plotly draws them from the axis down through the tick labels) */
  const rules = Array.from(el.querySelectorAll('.main-svg path.xdivider, .main-svg path.ydivider')).map((d) => {
    const r = d.getBoundingClientRect();
    return [[r.left + r.width / 2, r.top], [r.left + r.width / 2, r.bottom]].map(
      (p, i) => d.classList.contains('ydivider') ? [r.left + i * r.width, r.top + r.height / 2] : p);
  });
  let line = null;
  const gd = el, fair = (gd.data || []).find((t) => t.mode === 'lines' && t.line && t.line.dash === 'dash');
  if (fair && gd._fullLayout) {
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    const svg = el.querySelector('.main-svg').getBoundingClientRect();
    line = [0, 1].map((i) => [svg.left + xa._offset + xa.l2p(fair.x[i]), svg.top + ya._offset + ya.l2p(fair.y[i])]);
  }
  const r = el.querySelector('.main-svg').getBoundingClientRect();
  return {texts, line, rules, frame: [r.left, r.top, r.right, r.bottom]};
}
"""


def _project(quad, axis):
    dots = [p[0] * axis[0] + p[1] * axis[1] for p in quad]
    return min(dots), max(dots)


def _axes(quad):
    out = []
    for i in range(2):
        (x0, y0), (x1, y1) = quad[i], quad[i + 1]
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 or 1.0
        out.append((-(y1 - y0) / length, (x1 - x0) / length))
    return out


def _overlap_depth(a, b) -> float:
    """How deep two convex quadrilaterals overlap (px along the best separating axis; ≤ 0: apart)."""
    depth = float("inf")
    for axis in _axes(a) + _axes(b):
        (a0, a1), (b0, b1) = _project(a, axis), _project(b, axis)
        depth = min(depth, min(a1, b1) - max(a0, b0))
    return depth


def _crosses(quad, segment, inset: float = 1.0) -> bool:
    """Whether the segment passes through the (upright) box of ``quad`` shrunk by ``inset`` px."""
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    box = (min(xs) + inset, min(ys) + inset, max(xs) - inset, max(ys) - inset)
    (ax, ay), (bx, by) = segment
    t0, t1 = 0.0, 1.0
    for p, q in ((ax - bx, ax - box[0]), (bx - ax, box[2] - ax), (ay - by, ay - box[1]), (by - ay, box[3] - ay)):
        if p == 0:
            if q < 0:
                return False
            continue
        r = q / p
        if p < 0:
            t0 = max(t0, r)
        else:
            t1 = min(t1, r)
    return t0 < t1


def _crosses_quad(quad, segment, inset: float = 1.0) -> bool:
    """Whether the segment passes through the (possibly slanted) quadrilateral, deeper than ``inset`` px
    (separating axes: the quad's two edge normals and the segment's normal)."""
    (ax, ay), (bx, by) = segment
    length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
    if length == 0:
        return False
    normal = (-(by - ay) / length, (bx - ax) / length)
    q0, q1 = _project(quad, normal)
    at = ax * normal[0] + ay * normal[1]
    if not q0 < at < q1:  # the quad lies wholly on one side of the segment's line
        return False
    for axis in _axes(quad):
        (c0, c1), (s0, s1) = _project(quad, axis), _project([(ax, ay), (bx, by)], axis)
        if min(c1, s1) - max(c0, s0) <= inset:
            return False
    return True


def overlaps(page, chart_id: str, tolerance: float = 1.0) -> list[str]:
    """Every pair of drawn texts of chart ``chart_id`` overlapping by more than ``tolerance`` px, and every
    point label the fair-value line crosses, in words."""
    found = page.evaluate(MEASURE, chart_id)
    texts, problems = found["texts"], []
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            depth = _overlap_depth(a["quad"], b["quad"])
            if depth > tolerance:
                problems.append(f"{a['kind']} {a['text']!r} overlaps {b['kind']} {b['text']!r} by {depth:.1f} px")
    if found["line"]:
        problems += [f"the fair-value line crosses the label {t['text']!r}" for t in texts
                     if t["kind"] == "label" and _crosses(t["quad"], found["line"])]
    problems += [f"an axis divider cuts through {t['kind']} {t['text']!r}" for rule in found["rules"]
                 for t in texts if t["kind"] == "axis" and _crosses_quad(t["quad"], rule)]
    left, top, right, bottom = found["frame"]
    problems += [f"{t['kind']} {t['text']!r} runs out of the chart (clipped)" for t in texts
                 if min(x for x, _ in t["quad"]) < left - tolerance or max(x for x, _ in t["quad"]) > right + tolerance
                 or min(y for _, y in t["quad"]) < top - tolerance or max(y for _, y in t["quad"]) > bottom + tolerance]
    return problems


def _open(new_context, url: str, viewport: dict, chart: str | None = None):
    page = new_context(viewport=viewport).new_page()
    page.goto(url, wait_until="load")
    if chart is None:
        page.wait_for_function(CHARTS_DRAWN, timeout=CHART_TIMEOUT_MS)
    else:  # the weigh map is drawn by weigh.js, not from a data-chart block: wait for the chart measured
        page.wait_for_function("(id) => !!document.querySelector('#' + id + ' .main-svg')", arg=chart,
                               timeout=CHART_TIMEOUT_MS)
    return page


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("path,chart", CHARTS, ids=[f"{p}#{c}" for p, c in CHARTS])
def test_no_text_overlaps_on_the_maps_and_curves(new_context, built_site, path, chart, width):
    page = _open(new_context, (built_site / path).as_uri(), WIDTHS[width], chart)
    assert page.evaluate("(id) => !!document.getElementById(id)", chart), f"{path}: no chart #{chart}"
    problems = overlaps(page, chart)
    assert not problems, f"{path} #{chart} at {WIDTHS[width]['width']} px:\n  " + "\n  ".join(problems)


def test_the_check_sees_an_overlap(new_context, built_site):
    """The measurement is live: two labels moved onto one spot are reported, and so is a label moved onto
    the fair-value line (so the test above cannot pass by measuring nothing)."""
    page = _open(new_context, (built_site / "index.html").as_uri(), WIDTHS["desktop"])
    measured = page.evaluate(MEASURE, "value-map")
    assert sum(t["kind"] == "label" for t in measured["texts"]) >= 8 and measured["line"], measured
    page.evaluate("""() => {
      const el = document.getElementById('value-map');
      const i = el.data.findIndex((t) => t.mode === 'markers+text' && t.x.length > 1);
      const x = el.data[i].x.slice(), y = el.data[i].y.slice();
      x[1] = x[0]; y[1] = y[0];
      return Plotly.restyle(el, {x: [x], y: [y], textposition: [el.data[i].x.map(() => 'middle center')]}, [i]);
    }""")
    assert any("overlaps" in p for p in overlaps(page, "value-map"))
    page.evaluate("""() => {
      const el = document.getElementById('value-map');
      const fair = el.data.find((t) => t.mode === 'lines' && t.line && t.line.dash === 'dash');
      const i = el.data.findIndex((t) => t.mode === 'markers+text' && t.x.length > 1);
      const mid = [(fair.x[0] + fair.x[1]) / 2, (fair.y[0] + fair.y[1]) / 2];
      return Plotly.restyle(el, {x: [[mid[0]]], y: [[mid[1]]], text: [['On the line']],
                                 textposition: [['middle center']], 'textfont.color': [['#000000']]}, [i]);
    }""")
    assert any("fair-value line crosses the label 'On the line'" in p for p in overlaps(page, "value-map"))


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_bar_at_the_top_of_the_scale_keeps_its_label(new_context, tree, tmp_path, width):
    """A dimension's bar scored at the scale's top ends at the plot's edge: its label ("10.0") goes in the
    right margin the figure asks for — on a phone too, where the narrow layout used to cut that margin to
    8 px and clip the label to "10.C"."""
    from generator.build import build
    from generator.diagnostics import Diagnostics

    tree.replace("companies/alpha.yaml", "service: 9", "service: 10")
    tree.replace("companies/alpha.yaml", "name: Alpha", "name: Alpha Service Desk")  # a long name: a narrow plot
    out = tmp_path / "site"
    build(tree.content, out, Diagnostics())
    page = _open(new_context, (out / "dimensions" / "service.html").as_uri(), WIDTHS[width])
    labels = page.evaluate("() => Array.from(document.querySelectorAll('#dimension-scores .bartext'))"
                           ".map((t) => t.textContent)")
    assert "10.0" in labels, labels
    problems = overlaps(page, "dimension-scores")
    assert not problems, f"at {WIDTHS[width]['width']} px:\n  " + "\n  ".join(problems)
