"""Names and ids: no control or invisible characters in names, labels and titles (and no controls or bidi
overrides in any text), a warning for two companies whose names read the same, and no id that becomes a file
name Windows reserves for a device. Every error: exit 1, file, line, column, field path, no traceback.

Lines and columns are computed from the text the test wrote."""
from __future__ import annotations

import json
import re

import pytest

BETA = "content/companies/beta.yaml"
SITE = "content/site.yaml"


def locate(text: str, needle: str) -> tuple[int, int]:
    hits = [(i + 1, line) for i, line in enumerate(text.splitlines()) if needle in line]
    assert hits, f"{needle!r} not found"
    number, line = hits[0]
    return number, line.index(needle) + 1


def diagnostics_of(run) -> list[dict]:
    assert "Traceback" not in run.err and "Traceback" not in run.out, run.err
    assert "internal error" not in run.err, run.err
    return json.loads(run.out)["diagnostics"] if run.out.strip() else []


def check(tree, cli, command: str = "check") -> tuple[int, list[dict]]:
    run = cli(tree.root, command, "--format", "json")
    return run.code, diagnostics_of(run)


def one_error(tree, cli, code: str, path: str | None, file: str, at: str | None) -> dict:
    status, diags = check(tree, cli)
    assert status == 1, diags
    found = [d for d in diags if d["code"] == code and d["path"] == path]
    assert len(found) == 1, json.dumps(diags, indent=1)
    d = found[0]
    assert d["severity"] == "error" and d["file"] == file, d
    if at is not None:
        assert (d["line"], d["column"]) == locate((tree.root / file).read_text(encoding="utf-8"), at), d
    text = cli(tree.root, "build")
    assert text.code == 1 and "Traceback" not in text.err, text.err
    for bad in ("\x1b", "\x07", "\u202e", "\u200b"):
        assert bad not in text.err, "content characters reach the terminal unescaped"
    assert not (tree.root / "site").exists()
    return d


# --- control and invisible characters ------------------------------------------------------------------

# (YAML escape written in a double-quoted string, code point, name shown)
CHARACTERS = [
    ("\\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ("\\u202a", "U+202A (LEFT-TO-RIGHT EMBEDDING)"),
    ("\\u2066", "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
    ("\\u200b", "U+200B (ZERO WIDTH SPACE)"),
    ("\\u200d", "U+200D (ZERO WIDTH JOINER)"),
    ("\\u2060", "U+2060 (WORD JOINER)"),
    ("\\ufeff", "U+FEFF (ZERO WIDTH NO-BREAK SPACE)"),
    ("\\e", "U+001B (ESCAPE)"),
    ("\\a", "U+0007 (BELL)"),
    ("\\0", "U+0000 (NULL)"),
    ("\\x7f", "U+007F (DELETE)"),
]

# (file, the text replaced, its replacement with {x} for the escape, field path, text on the reported line)
NAME_FIELDS = [
    ("companies/beta.yaml", "name: Beta", 'name: "Be{x}ta"', "name", '"Be'),
    ("site.yaml", "title: Test market", 'title: "Test{x} market"', "title", '"Test'),
    ("site.yaml", "label: Ease of use", 'label: "Ease{x} of use"', "dimensions[0].label", '"Ease'),
    ("site.yaml", "label: Setup,", 'label: "Set{x}up",', "dimensions[0].criteria[0].label", '"Set'),
    ("site.yaml", "label: Small teams", 'label: "Small{x} teams"', "segments[0].label", '"Small'),
    ("site.yaml", "label: Mystery shopper", 'label: "Mystery{x} shopper"', "source_kinds[0].label", '"Mystery'),
    ("companies/beta.yaml", "{plan: Basic,", '{plan: "Ba{x}sic",', "prices[0].plan", '"Ba'),
    ("pages/about.md", "title: About us", 'title: "About{x} us"', "title", '"About'),
]


@pytest.mark.parametrize("escape, described", CHARACTERS, ids=[c[1].split()[0] for c in CHARACTERS])
def test_invisible_or_control_character_in_a_company_name(tree, cli, escape, described):
    tree.replace("companies/beta.yaml", "name: Beta", f'name: "Be{escape}ta"')
    d = one_error(tree, cli, "invalid-character", "name", BETA, '"Be')
    assert d["message"].endswith(f"character {described}"), d
    assert d["hint"]


@pytest.mark.parametrize("field", NAME_FIELDS, ids=[f[3] if f[0] != "pages/about.md" else "page-title"
                                                   for f in NAME_FIELDS])
def test_every_name_label_and_title_refuses_a_bidi_override(tree, cli, field):
    rel, old, new, path, at = field
    tree.replace(rel, old, new.replace("{x}", "\\u202e"))
    d = one_error(tree, cli, "invalid-character", path, f"content/{rel}", at)
    assert "U+202E (RIGHT-TO-LEFT OVERRIDE)" in d["message"]
    assert "\\u202e" in d["message"]  # the text is shown with the character spelled out


def test_prospect_name_refuses_a_zero_width_space(tree, cli):
    tree.write("prospects/acme.yaml", 'name: "Ac\\u200bme"\nsegment: small\n')
    d = one_error(tree, cli, "invalid-character", "name", "content/prospects/acme.yaml", '"Ac')
    assert "U+200B (ZERO WIDTH SPACE)" in d["message"]


def test_a_line_break_in_a_name_is_refused(tree, cli):
    tree.replace("companies/beta.yaml", "name: Beta", 'name: "Be\\nta"')
    d = one_error(tree, cli, "invalid-character", "name", BETA, '"Be')
    assert "line break" in d["message"] and "U+000A (LINE FEED)" in d["message"]
    assert "one line" in d["hint"]


@pytest.mark.parametrize("written", ['"   "', '"\\t "', '"\\u3000"'], ids=["spaces", "tab", "ideographic-space"])
def test_blank_name_is_empty(tree, cli, written):
    tree.replace("companies/beta.yaml", "name: Beta", f"name: {written}")
    status, diags = check(tree, cli)
    assert status == 1
    assert [(d["code"], d["path"]) for d in diags] in ([("empty-value", "name")], [("invalid-character", "name")]), diags


def test_name_of_invisible_characters_only_is_refused(tree, cli):
    tree.replace("companies/beta.yaml", "name: Beta", 'name: "\\u200b\\u200b"')
    one_error(tree, cli, "invalid-character", "name", BETA, '"')


@pytest.mark.parametrize("escape, ok", [
    ("\\u202e", False), ("\\u2067", False), ("\\e[31m", False), ("\\a", False), ("\\0", False),
    ("\\n\\n- item\\n", True), ("\\tindented", True), ("\\r\\n", True), ("\\u200b", True),
], ids=["rlo", "rli", "escape", "bell", "nul", "newlines", "tab", "crlf", "zero-width-space"])
def test_markdown_allows_line_breaks_but_no_controls_or_bidi_overrides(tree, cli, escape, ok):
    tree.replace("companies/beta.yaml", 'summary: "Beta sells widgets."', f'summary: "Beta sells{escape} widgets."')
    if ok:
        status, diags = check(tree, cli)
        assert status == 0, diags
    else:
        one_error(tree, cli, "invalid-character", "summary", BETA, '"Beta sells')


@pytest.mark.parametrize("rel, old, new, path", [
    ("companies/beta.yaml", 'strengths: ["Fast"]', 'strengths: ["Fa\\u202est"]', "strengths[0]"),
    ("companies/beta.yaml", "talk_track: \"SECRET", "talk_track: \"\\e]0;pwned\\a SECRET", "talk_track"),
    ("site.yaml", "price_basis: per seat per month", 'price_basis: "per seat\\u2066 per month"', "price_basis"),
], ids=["strength", "talk-track", "price-basis"])
def test_other_text_fields_refuse_controls_too(tree, cli, rel, old, new, path):
    tree.replace(rel, old, new)
    one_error(tree, cli, "invalid-character", path, f"content/{rel}", None)


def test_unknown_key_with_an_escape_is_shown_escaped(tree, cli):
    tree.replace("companies/beta.yaml", "  service: 5", '  service: 5\n  "\\e[2Jx": 5')
    status, diags = check(tree, cli)
    assert status == 1
    d = next(d for d in diags if d["code"] == "unknown-dimension")
    assert "\x1b" not in d["message"] and "\\x1b[2Jx" in d["message"], d


# --- duplicate names -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, warned, other, ours", [
    ("Alpha", "beta", "alpha", True),  # a competitor with exactly our name: the competitor is warned
    ("ALPHA", "beta", "alpha", True),
    ('"  alpha  "', "beta", "alpha", True),
    ("Ｇａｍｍａ", "gamma", "beta", False),  # full-width letters: the same after NFKC; the later file is warned
    ('"GAMMA\\u00a0"', "gamma", "beta", False),
    ('"gam  ma"', None, None, False),  # different words: not a duplicate
], ids=["exact-ours", "case", "spaces", "full-width", "nbsp", "different"])
def test_two_companies_with_the_same_name_is_a_warning(tree, cli, name, warned, other, ours):
    tree.replace("companies/beta.yaml", "name: Beta", f"name: {name}")
    status, diags = check(tree, cli)
    dup = [d for d in diags if d["code"] == "duplicate-name"]
    assert status == 0, diags  # a warning: shown, but the build goes on
    if other is None:
        assert dup == [], dup
        return
    assert len(dup) == 1, diags
    d = dup[0]
    file = f"content/companies/{warned}.yaml"
    assert (d["severity"], d["file"], d["path"]) == ("warning", file, "name"), d
    assert (d["line"], d["column"]) == locate((tree.root / file).read_text(encoding="utf-8"), "name:")[0:1] + (7,), d
    assert f"content/companies/{other}.yaml" in d["message"], d
    assert ("our own company" in d["message"]) == ours, d
    shown = cli(tree.root, "check")
    assert shown.code == 0 and f"{file}:{d['line']}:7: warning: " in shown.err, shown.err
    built = cli(tree.root, "build")
    assert built.code == 0 and "duplicate-name" in built.err and "Traceback" not in built.err, built.err


# --- Windows device names ------------------------------------------------------------------------------

@pytest.mark.parametrize("rel", ["companies/con.yaml", "companies/nul.yaml", "companies/com0.yaml",
                                 "companies/com9.yaml", "companies/lpt0.yaml", "companies/lpt5.yaml",
                                 "prospects/aux.yaml", "pages/prn.md"])
def test_device_name_as_a_file_name_is_refused(tree, cli, rel):
    body = tree.read("companies/gamma.yaml") if rel.startswith("companies") else (
        "name: Aux\nsegment: small\n" if rel.startswith("prospects") else "---\ntitle: Prn\n---\nText\n")
    tree.write_bytes(rel, body.encode())
    status, diags = check(tree, cli)
    assert status == 1
    found = [d for d in diags if d["code"] == "slug-reserved" and d["file"] == f"content/{rel}"]
    assert len(found) == 1, diags
    slug = rel.split("/")[1].split(".")[0]
    assert "device name on Windows" in found[0]["message"] and f"{slug}-1" in found[0]["hint"], found


def test_upper_case_device_name_is_not_suggested_as_its_lower_case(tree, cli):
    tree.write_bytes("companies/COM1.yaml", tree.read("companies/gamma.yaml").encode())
    status, diags = check(tree, cli)
    d = next(d for d in diags if d["file"] == "content/companies/COM1.yaml")
    assert d["code"] == "slug-invalid"
    assert "'com1.yaml'" not in d["hint"] and "com1-1.yaml" in d["hint"], d


@pytest.mark.parametrize("old, new, path, at", [
    ("  - id: small\n", "  - id: aux\n", "segments[0].id", "id: aux"),
    ("  - id: small\n", "  - id: LPT1\n", None, None),  # not an id at all: invalid-id, no crash
    ("  - id: service\n", "  - id: com7\n", "dimensions[1].id", "id: com7"),
])
def test_device_name_as_a_dimension_or_segment_id_is_refused(tree, cli, old, new, path, at):
    tree.replace("site.yaml", old, new)
    status, diags = check(tree, cli)
    assert status == 1
    if path is None:
        assert any(d["code"] == "invalid-id" for d in diags), diags
        return
    d = next((d for d in diags if d["code"] == "reserved-id" and d["path"] == path), None)
    assert d is not None, diags
    line, column = locate(tree.read("site.yaml"), at)
    assert (d["file"], d["line"], d["column"]) == (SITE, line, column + len("id: ")), d
    assert "Windows" in d["message"] and re.search(r"(segments|dimensions)/\w+\.html", d["message"]), d
    assert d["hint"] and "-1" in d["hint"]
