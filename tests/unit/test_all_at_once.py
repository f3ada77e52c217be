""""Every problem is reported at once": one invalid value does not hide the other problems of its file, and a
file whose name is refused still has its content checked in the same run (it is never built)."""
from __future__ import annotations

import json


def _codes(run) -> list[tuple[str, str, str]]:
    data = json.loads(run.out)
    return sorted((d["code"], d["file"], d["path"] or "") for d in data["diagnostics"])


def test_a_typo_does_not_hide_a_bad_source_kind_and_an_out_of_scale_score(tree, cli):
    tree.replace("companies/beta.yaml", "tier: standard", "teir: standard")
    tree.replace("companies/beta.yaml", "  service: 5\n", "  service:\n    evidence:\n"
                 "      - {source: mystery-shoper, value: 5, date: 2026-10-01}\n")
    tree.replace("companies/beta.yaml", "    setup: 6", "    setup: 16")
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 1
    assert _codes(run) == [
        ("out-of-scale", "content/companies/beta.yaml", "scores.usability.setup"),
        ("unknown-key", "content/companies/beta.yaml", "prices[0].teir"),
        ("unknown-source-kind", "content/companies/beta.yaml", "scores.service.evidence[0].source"),
    ]


def test_a_badly_named_file_has_its_content_checked_too(tree, cli):
    bad = tree.read("companies/gamma.yaml").replace("name: Gamma", "name: Gamma Two\nfoo: 1")
    bad = bad.replace("  service: 7", "  servise: 7")
    tree.write("companies/Gamma Two.yaml", bad)
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 1
    codes = _codes(run)
    assert ("slug-invalid", "content/companies/Gamma Two.yaml", "") in codes
    assert ("unknown-key", "content/companies/Gamma Two.yaml", "foo") in codes
    assert ("unknown-dimension", "content/companies/Gamma Two.yaml", "scores.servise") in codes


def test_a_badly_named_page_has_its_front_matter_checked(tree, cli):
    tree.write("pages/About Us.md", "---\ntitle: About\naudience: everyone\n---\nText\n")
    run = cli(tree.root, "check", "--format", "json")
    codes = _codes(run)
    assert ("slug-invalid", "content/pages/About Us.md", "") in codes
    assert ("invalid-choice", "content/pages/About Us.md", "audience") in codes
