"""A score whose only evidence is internal must not publish its value — not as text, and not through any
number computed from it (relative quality, ranks, prices justified by it). The external site must be the
same bytes whatever that internal value is; the internal site shows it."""
from __future__ import annotations

import hashlib
from pathlib import Path

CANARY = "    setup: {evidence: [{source: mystery-shopper, value: %s, date: 2026-10-01, internal: true, note: CANARY-NOTE}]}"


def _snapshot(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _build(tree, cli, value: str, *args: str) -> Path:
    text = tree.read("companies/beta.yaml")
    lines = [ln for ln in text.splitlines() if not ln.startswith("    setup:")]
    at = lines.index("  usability:") + 1
    lines.insert(at, CANARY % value)
    (tree.content / "companies" / "beta.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tree.root / ("site-" + value.replace(".", "-") + "-" + "-".join(a.strip("-") for a in args))
    run = cli(tree.root, "build", "--out", str(out), *args)
    assert run.code == 0, run.err
    return out


def test_external_site_does_not_depend_on_an_internal_only_value(tree, cli):
    one = _build(tree, cli, "2.718")
    two = _build(tree, cli, "9.25")
    assert _snapshot(one) == _snapshot(two)  # not one byte depends on the internal value
    text = "".join(p.read_text(encoding="utf-8") for p in one.rglob("*.html"))
    assert "2.718" not in text and "CANARY-NOTE" not in text
    beta = (one / "competitors" / "beta.html").read_text(encoding="utf-8")
    assert "Not shown here: its only evidence is internal" in beta


def test_internal_site_shows_and_uses_the_internal_value(tree, cli):
    one = _build(tree, cli, "2.718", "--audience", "internal")
    two = _build(tree, cli, "9.25", "--audience", "internal")
    assert _snapshot(one) != _snapshot(two)
    beta = (one / "competitors" / "beta.html").read_text(encoding="utf-8")
    assert "CANARY-NOTE" in beta and "2.7" in beta


def test_export_does_not_depend_on_an_internal_only_value(tree, cli):
    outputs = []
    for value in ("2.718", "9.25"):
        _build(tree, cli, value)
        run = cli(tree.root, "export")
        assert run.code == 0, run.err
        outputs.append(run.out)
    assert outputs[0] == outputs[1] and "2.718" not in outputs[0]
