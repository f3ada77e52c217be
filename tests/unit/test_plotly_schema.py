"""Every figure the site draws is valid plotly: the plotly Python package (a core dependency) validates each
chart's data and layout against the schema of the plotly.js version it ships — the same version as the basic
bundle vendored in generator/vendor/. plotly.js ignores a misspelt property without a word (a label would just
not show); this test names it. Figures are built as plain dicts for speed (generator/charts.py); plotly is
used here, where a few milliseconds per figure do not matter.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs_version

from tests.unit.test_chart_tables import build, charts_of

VENDOR = Path(__file__).resolve().parents[2] / "generator" / "vendor"


def test_the_vendored_bundle_is_the_plotly_js_of_the_plotly_package():
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    (version,) = re.findall(r"plotly\.js-basic-dist-min@([0-9.]+)", readme)[:1]
    head = (VENDOR / "plotly-basic.min.js").read_bytes()[:400].decode("utf-8", "replace")
    assert f"v{version}" in head, head[:200]
    assert version == get_plotlyjs_version(), (
        f"generator/vendor holds plotly.js {version}, the plotly package validates against "
        f"{get_plotlyjs_version()}: update one (generator/vendor/README.md)")


def _validate(figure: dict, where: str) -> None:
    try:
        go.Figure(data=figure.get("data", []), layout=figure.get("layout", {}))
    except (ValueError, TypeError) as exc:
        pytest.fail(f"{where}: not a valid plotly figure: {str(exc)[:600]}")


@pytest.mark.parametrize("audience", ["external", "internal"])
def test_every_chart_of_the_sample_is_a_valid_plotly_figure(sample, cli, audience):
    site = build(cli, sample.root, "--audience", audience)
    charts = charts_of(site)
    assert len(charts) >= 20
    for chart in charts:
        _validate(chart.figure, f"{chart.page} #{chart.id}")
    weigh = (site / "weigh.html").read_text(encoding="utf-8")
    block = json.loads(re.search(r'<script type="application/json" id="weigh-data">(.*?)</script>', weigh,
                                 re.S).group(1))
    _validate(block, "weigh.html #weigh-map")


def test_a_misspelt_property_is_caught():
    with pytest.raises(ValueError):
        go.Figure(data=[{"type": "scatter", "x": [1], "y": [2], "textpositon": "top center"}])
