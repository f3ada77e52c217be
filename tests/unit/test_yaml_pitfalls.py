"""YAML pitfalls: each gives a clear error naming the file and the line (or, where YAML 1.2 says the text is
fine, builds as the author meant). Lines are computed from the text the test wrote."""
from __future__ import annotations

import json
import re
import resource
import time

import pytest

BETA = "content/companies/beta.yaml"


def locate(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    hits = [(i + 1, line) for i, line in enumerate(text.splitlines()) if needle in line]
    assert len(hits) >= nth, f"{needle!r} occurs on {len(hits)} line(s)"
    number, line = hits[nth - 1]
    return number, line.index(needle) + 1


def diagnostics_of(run) -> list[dict]:
    assert "Traceback" not in run.err and "Traceback" not in run.out, run.err
    return json.loads(run.out)["diagnostics"]


def beta(tree) -> str:
    return tree.read("companies/beta.yaml")


def put(tree, data: bytes | str) -> None:
    tree.write_bytes("companies/beta.yaml", data.encode("utf-8") if isinstance(data, str) else data)


def fails_with(tree, cli, code: str, *, line: int | None, column: int | None = None,
               file: str = BETA) -> dict:
    """Build (JSON report): exit 1, exactly one diagnostic with ``code``, at ``file:line[:column]``; the text
    report names the same place and there is no traceback. Returns the diagnostic."""
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 1, (run.out, run.err)
    diags = diagnostics_of(run)
    found = [d for d in diags if d["code"] == code]
    assert len(found) == 1, diags
    d = found[0]
    assert d["severity"] == "error"
    assert d["file"] == file
    if line is not None:
        assert d["line"] == line, d
    if column is not None:
        assert d["column"] == column, d
    text = cli(tree.root, "build")
    assert text.code == 1
    assert "Traceback" not in text.err
    assert f"{file}:{d['line']}:{d['column']}: error: {d['message']}" in text.err
    assert not (tree.root / "site").exists()
    return d


def builds(tree, cli) -> list[dict]:
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 0, (run.out, run.err)
    assert "Traceback" not in run.err
    assert (tree.root / "site" / "index.html").is_file()
    return json.loads(run.out)["diagnostics"] if run.out.strip() else []


def exported_names(tree, cli) -> set[str]:
    out = tree.root / "export.json"  # (stdout of the in-process runner has no binary buffer)
    run = cli(tree.root, "export", "--output", str(out))
    assert run.code == 0, run.err
    names: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("name"), str) and "slug" in node:
                names.add(node["name"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(out.read_bytes()))
    out.unlink()
    return names


# --- duplicate keys ------------------------------------------------------------------------------------

def test_duplicate_top_level_key_names_both_lines(tree, cli):
    put(tree, beta(tree) + "name: Beta Two\n")
    text = beta(tree)
    first, second = locate(text, "name: Beta")[0], locate(text, "name: Beta Two")[0]
    d = fails_with(tree, cli, "yaml-duplicate-key", line=second, column=1)
    assert "'name'" in d["message"]
    assert f"line {first}" in d["message"]
    assert d["hint"]


def test_duplicate_nested_key_names_both_lines(tree, cli):
    put(tree, beta(tree).replace("    setup: 6\n", "    setup: 6\n    setup: 7\n"))
    text = beta(tree)
    d = fails_with(tree, cli, "yaml-duplicate-key", line=locate(text, "setup: 7")[0], column=5)
    assert "'setup'" in d["message"] and f"line {locate(text, 'setup: 6')[0]}" in d["message"]


def test_duplicate_key_in_flow_mapping(tree, cli):
    put(tree, beta(tree).replace("{plan: Basic,", "{plan: Basic, plan: Pro,"))
    text = beta(tree)
    line, _ = locate(text, "plan: Pro")
    d = fails_with(tree, cli, "yaml-duplicate-key", line=line, column=text.splitlines()[line - 1].index("plan: Pro") + 1)
    assert f"line {line}" in d["message"]  # both on the same line


# --- numbers -------------------------------------------------------------------------------------------

def _ambiguous(tree, cli, old: str, new: str) -> tuple[str, dict]:
    """beta.yaml with ``old`` written as ``new``: the number token and its one yaml-ambiguous-number error,
    placed on the token."""
    put(tree, beta(tree).replace(old, new))
    token = new.split(": ")[1]
    line, column = locate(beta(tree), f": {token}")
    return token, fails_with(tree, cli, "yaml-ambiguous-number", line=line, column=column + 2)


@pytest.mark.parametrize("old, new, decimal", [
    ("  service: 5", "  service: 012", 12),
    ("price: 40", "price: 040", 40),
    ("    setup: 6", "    setup: 08", 8),
], ids=["score-012", "price-040", "invalid-octal-08"])
def test_leading_zero_number_is_ambiguous(tree, cli, old, new, decimal):
    token, d = _ambiguous(tree, cli, old, new)
    assert f"'{token}'" in d["message"]
    assert str(decimal) in d["hint"] and "quote" in d["hint"]


@pytest.mark.parametrize("old, new, number", [
    ("  service: 5", "  service: 1_0", "10"),
    ("price: 40", "price: 4_0", "40"),
    ("    setup: 6", "    setup: 0_6", "6"),
], ids=["score-1_0", "price-4_0", "octal-0_6"])
def test_digit_separators_are_ambiguous(tree, cli, old, new, number):
    """YAML 1.1 reads 1_0 as 10, YAML 1.2 (editors, the JSON Schema) as text: refused, with both readings."""
    token, d = _ambiguous(tree, cli, old, new)
    assert d["message"] == (f"'{token}' is ambiguous: YAML 1.1 tools read it as the number {number}, YAML 1.2 "
                            "(and editors) as text")
    assert d["hint"].startswith(f"write {number} without underscores")


def test_a_key_without_its_colon_is_named_on_its_own_line(tree, cli):
    put(tree, beta(tree).replace("  service: 5", "  service 5"))
    line, _ = locate(beta(tree), "  service 5")
    d = fails_with(tree, cli, "yaml-syntax", line=line, column=3)  # libyaml gives up a line later
    assert d["message"] == "invalid YAML: a key without ':' after it" and "colon" in d["hint"]


def test_a_quote_left_open_is_named_where_it_opens(tree, cli):
    put(tree, beta(tree).replace('internal_notes: "SECRET-NOTE-beta"', 'internal_notes: "SECRET-NOTE-beta'))
    line, column = locate(beta(tree), '"SECRET-NOTE-beta')
    d = fails_with(tree, cli, "yaml-syntax", line=line, column=column)  # not at the end of the file
    assert d["message"] == "invalid YAML: a quote that is not closed" and "closing quote" in d["hint"]


def test_a_list_left_open_is_named_by_the_line_it_opens_on(tree, cli):
    """`setup: [6` — libyaml gives up at the next key, lines later: the hint names the '[' left open."""
    put(tree, beta(tree).replace("    setup: 6\n", "    setup: [6\n"))
    line, _ = locate(beta(tree), "setup: [6")
    d = fails_with(tree, cli, "yaml-syntax", line=None)
    assert d["line"] > line and d["hint"] == f"the '[' on line {line} is not closed: add ']' where it ends", d


def test_a_text_holding_colon_space_gets_the_line_with_quotes_as_its_hint(tree, cli):
    put(tree, beta(tree).replace('summary: "Beta sells widgets."', "summary: Annual billing: automations"))
    line, column = locate(beta(tree), "billing: automations")
    d = fails_with(tree, cli, "yaml-syntax", line=line, column=column + 7)
    assert d["hint"] == 'a text that holds \': \' needs quotes: summary: "Annual billing: automations"'


def test_exponent_is_a_number_and_out_of_scale(tree, cli):
    put(tree, beta(tree).replace("  service: 5", "  service: 1e3"))
    line, column = locate(beta(tree), "1e3")
    d = fails_with(tree, cli, "out-of-scale", line=line, column=column)
    assert "1000" in d["message"] and d["path"] == "scores.service"


def test_quoted_leading_zero_is_text(tree, cli):
    put(tree, beta(tree).replace("name: Beta", 'name: "012"'))
    builds(tree, cli)
    assert "012" in exported_names(tree, cli)


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", "+.Inf"])
def test_nan_and_inf_score_is_not_finite(tree, cli, value):
    put(tree, beta(tree).replace("  service: 5", f"  service: {value}"))
    line, column = locate(beta(tree), value)
    d = fails_with(tree, cli, "not-finite", line=line, column=column)
    assert d["path"] == "scores.service"
    assert "finite" in d["message"]


def test_nan_in_evidence_and_inf_price_are_not_finite(tree, cli):
    text = beta(tree).replace("price: 40", "price: .inf").replace(
        "  service: 5\n",
        "  service:\n    evidence:\n      - {source: mystery-shopper, value: .nan, date: 2024-01-01}\n")
    put(tree, text)
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 1
    diags = {d["path"]: d for d in diagnostics_of(run)}
    assert diags["prices[0].price"]["code"] == "not-finite"
    assert (diags["prices[0].price"]["line"], diags["prices[0].price"]["column"]) == locate(text, ".inf")
    ev = diags["scores.service.evidence[0].value"]
    assert ev["code"] == "not-finite"
    assert (ev["line"], ev["column"]) == locate(text, ".nan")


def test_bare_nan_word_is_text_not_a_number(tree, cli):
    put(tree, beta(tree).replace("  service: 5", "  service: nan"))
    line, column = locate(beta(tree), "nan")
    d = fails_with(tree, cli, "wrong-type", line=line, column=column)
    assert "'nan'" in d["message"]


# --- yes / no / on / off -------------------------------------------------------------------------------

@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "y", "n", "NO"])
def test_yaml11_booleans_stay_text_where_text_is_meant(tree, cli, word):
    put(tree, beta(tree).replace("name: Beta", f"name: {word}").replace('strengths: ["Fast"]', f"strengths: [{word}]"))
    builds(tree, cli)
    assert word in exported_names(tree, cli)
    html = (tree.root / "site" / "competitors" / "beta.html").read_text(encoding="utf-8")
    assert re.search(rf"<h1[^>]*>\s*{word}\s*</h1>", html), "the company's page is headed by its name"


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes"])
def test_yaml11_boolean_where_boolean_expected_is_wrong_type_with_hint(tree, cli, word):
    tree.replace("site.yaml", "independent: false", f"independent: {word}")
    line, column = locate(tree.read("site.yaml"), f"independent: {word}")
    d = fails_with(tree, cli, "wrong-type", line=line, column=column + len("independent: "),
                   file="content/site.yaml")
    assert d["path"] == "source_kinds[1].independent"
    assert "true or false" in d["message"]
    assert d["hint"] and "true" in d["hint"] and "false" in d["hint"]


def test_evidence_internal_yes_is_wrong_type(tree, cli):
    put(tree, beta(tree).replace(
        "  service: 5\n",
        "  service:\n    evidence:\n      - {source: mystery-shopper, value: 5, date: 2024-01-01, internal: yes}\n"))
    line, column = locate(beta(tree), "yes}")
    d = fails_with(tree, cli, "wrong-type", line=line, column=column)
    assert d["path"] == "scores.service.evidence[0].internal"
    assert "true or false" in d["hint"]


# --- whitespace and encodings --------------------------------------------------------------------------

def test_tab_indentation_is_a_syntax_error_naming_the_line(tree, cli):
    put(tree, beta(tree).replace("  service: 5", "\tservice: 5"))
    d = fails_with(tree, cli, "yaml-syntax", line=locate(beta(tree), "\tservice")[0])
    assert "tab" in d["message"].lower()
    assert "space" in (d["message"] + " " + (d["hint"] or "")).lower(), d  # says what to do instead


def test_tab_at_start_of_top_level_line(tree, cli):
    put(tree, beta(tree).replace("strengths:", "\tstrengths:"))
    d = fails_with(tree, cli, "yaml-syntax", line=locate(beta(tree), "\tstrengths")[0])
    assert "tab" in (d["message"] + " " + (d["hint"] or "")).lower(), d


def test_tab_after_colon_is_fine(tree, cli):
    put(tree, beta(tree).replace("name: Beta", "name:\tBeta"))
    builds(tree, cli)
    assert "Beta" in exported_names(tree, cli)


def test_utf8_bom_is_a_warning_and_still_builds(tree, cli):
    put(tree, b"\xef\xbb\xbf" + beta(tree).encode("utf-8"))
    diags = builds(tree, cli)
    assert [(d["code"], d["severity"], d["file"], d["line"]) for d in diags] == [("encoding-bom", "warning", BETA, 1)]
    assert "Beta" in exported_names(tree, cli)
    text = cli(tree.root, "build")
    assert text.code == 0
    assert f"{BETA}:1:1: warning: " in text.err


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_file_is_an_encoding_error(tree, cli, codec):
    put(tree, beta(tree).encode(codec))
    d = fails_with(tree, cli, "encoding", line=1)
    assert "UTF-8" in (d["hint"] or "") + d["message"], d  # says what to save it as


def test_latin1_byte_is_an_encoding_error_with_the_line(tree, cli):
    text = beta(tree).replace('summary: "Beta sells', 'summary: "Béta sells')
    put(tree, text.encode("latin-1"))
    line, column = locate(text, "é")
    d = fails_with(tree, cli, "encoding", line=line, column=column)
    assert "0xe9" in d["message"]
    assert "UTF-8" in d["hint"]


@pytest.mark.parametrize("content", ["", "\n\n   \n", "# nothing here yet\n\n# still nothing\n"],
                         ids=["zero-bytes", "blank-lines", "comments-only"])
def test_empty_file(tree, cli, content):
    put(tree, content)
    d = fails_with(tree, cli, "file-empty", line=1)
    assert "empty" in d["message"]


@pytest.mark.parametrize("content, kind", [
    ("- name: Beta\n- name: Beta 2\n", "a list"),
    ("just some words\n", "a single value"),
    ("---\n", None),
], ids=["list", "scalar", "document-marker-only"])
def test_file_that_is_not_a_mapping(tree, cli, content, kind):
    put(tree, content)
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 1
    diags = diagnostics_of(run)
    assert len(diags) == 1 and diags[0]["file"] == BETA and diags[0]["line"] == 1, diags
    assert diags[0]["code"] in ({"file-not-mapping"} if kind else {"file-not-mapping", "file-empty"})
    if kind:
        assert kind in diags[0]["message"] and "mapping" in diags[0]["message"]


# --- hostile YAML --------------------------------------------------------------------------------------

def _alias_bomb() -> str:
    lines = ["name: Beta", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"  # a8 expands to 9**9 = 387,420,489 strings


def test_alias_bomb_is_refused_quickly(tree, cli):
    put(tree, _alias_bomb())
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    run = cli(tree.root, "build", "--format", "json")
    elapsed = time.perf_counter() - start
    rss_growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert run.code == 1
    assert elapsed < 3, f"took {elapsed:.1f} s"
    assert rss_growth_mb < 300, f"peak memory grew by {rss_growth_mb:.0f} MB"
    diags = [d for d in diagnostics_of(run) if d["code"] == "yaml-too-many-nodes"]
    assert len(diags) == 1
    assert diags[0]["file"] == BETA
    assert 2 <= diags[0]["line"] <= 10  # on one of the anchor/alias lines
    assert "alias" in (diags[0]["message"] + diags[0]["hint"])


def test_shared_aliases_within_limits_are_fine(tree, cli):
    put(tree, beta(tree).replace('strengths: ["Fast"]', 'strengths: &s ["Fast"]').replace(
        'weaknesses: ["Small"]', "weaknesses: *s"))
    builds(tree, cli)


@pytest.mark.parametrize("opener, closer", [("[", "]"), ("{a: ", "}")], ids=["lists", "mappings"])
def test_nesting_10000_deep_is_refused_without_crash(tree, cli, opener, closer):
    put(tree, "name: Beta\nscores: " + opener * 10_000 + closer * 10_000 + "\n")
    start = time.perf_counter()
    d = fails_with(tree, cli, "yaml-too-deep", line=2)
    assert time.perf_counter() - start < 5
    assert "deep" in d["message"]


def test_whole_file_nested_10000_deep(tree, cli):
    put(tree, "[" * 10_000 + "]" * 10_000 + "\n")
    fails_with(tree, cli, "yaml-too-deep", line=1)


def test_deep_block_nesting_names_the_line(tree, cli):
    lines = ["name: Beta"] + [("  " * i) + "a:" for i in range(60)]
    put(tree, "\n".join(lines) + " 1\n")
    d = fails_with(tree, cli, "yaml-too-deep", line=None)
    assert 30 <= d["line"] <= 45, d  # where the limit (about 40 levels) is crossed, not line 1


def test_file_over_1mb_is_refused(tree, cli):
    data = beta(tree) + "# " + "x" * (1_048_576 + 10) + "\n"
    put(tree, data)
    d = fails_with(tree, cli, "file-too-large", line=1)
    assert f"{len(data.encode()):,}" in d["message"]


def test_big_but_allowed_file_builds(tree, cli):
    put(tree, beta(tree) + ("# " + "x" * 98 + "\n") * 9_000)  # ~900 kB of comments
    builds(tree, cli)


@pytest.mark.parametrize("tagged", [
    "!!python/object/apply:os.mkdir [pwned]",
    "!!python/object:builtins.dict {}",
    "!!python/name:os.system",
    "!!binary aGVsbG8=",
], ids=["apply", "object", "name", "binary"])
def test_python_and_custom_tags_are_refused(tree, cli, tagged):
    put(tree, beta(tree).replace("name: Beta", f"name: {tagged}"))
    line, column = locate(beta(tree), "!!")
    d = fails_with(tree, cli, "yaml-unsupported-tag", line=line, column=column)
    assert "tag" in d["message"]
    assert not (tree.root / "pwned").exists()


@pytest.mark.parametrize("tagged", ["!foo Beta", "!<tag:example.com,2024:x> Beta", "!Ref Beta"])
def test_unknown_local_tag_is_refused(tree, cli, tagged):
    put(tree, beta(tree).replace("name: Beta", f"name: {tagged}"))
    line, column = locate(beta(tree), "!")
    d = fails_with(tree, cli, "yaml-unsupported-tag", line=line, column=column)
    assert d["hint"]


def test_explicit_str_tag_makes_text(tree, cli):
    """``!!str`` is the standard YAML way to say "this is text": honoured, not silently ignored."""
    put(tree, beta(tree).replace("name: Beta", "name: !!str 2024"))
    builds(tree, cli)
    assert "2024" in exported_names(tree, cli)


def test_merge_key_is_refused(tree, cli):
    put(tree, beta(tree).replace('strengths: ["Fast"]', "base: &b {x: 1}\nextra:\n  <<: *b"))
    line, column = locate(beta(tree), "<<")
    d = fails_with(tree, cli, "yaml-merge-key", line=line, column=column)
    assert "merge" in d["message"]


def test_multiple_documents_are_a_syntax_error(tree, cli):
    put(tree, beta(tree) + "---\nname: Other\n")
    text = beta(tree)
    d = fails_with(tree, cli, "yaml-syntax", line=locate(text, "---")[0])
    assert "---" in (d["hint"] or "")


def test_single_explicit_document_is_fine(tree, cli):
    put(tree, "---\n" + beta(tree) + "...\n")
    builds(tree, cli)


def test_unclosed_quote_names_a_line(tree, cli):
    put(tree, beta(tree).replace('summary: "Beta sells widgets."', 'summary: "Beta sells widgets.'))
    d = fails_with(tree, cli, "yaml-syntax", line=None)
    summary_line = locate(beta(tree), "summary:")[0]
    assert summary_line <= d["line"] <= len(beta(tree).splitlines()) + 1  # at or after the opening quote


def test_impossible_date(tree, cli):
    put(tree, beta(tree).replace("  service: 5\n",
                                 "  service:\n    value: 5\n    as_of: 2024-02-30\n"))
    line, column = locate(beta(tree), "2024-02-30")
    d = fails_with(tree, cli, "yaml-bad-date", line=line, column=column)
    assert "YYYY-MM-DD" in d["hint"]


def test_yaml_problem_in_page_front_matter_names_the_file_line(tree, cli):
    tree.write("pages/about.md", "---\ntitle: About us\norder: 012\n---\n# Why\n")
    fails_with(tree, cli, "yaml-ambiguous-number", line=3, column=8, file="content/pages/about.md")


def test_problems_in_several_files_with_broken_yaml_are_all_reported(tree, cli):
    put(tree, beta(tree) + "name: Again\n")
    tree.write("prospects/acme.yaml", "name: Acme\nsegment: small\nweights: {service: 07}\n")
    tree.replace("site.yaml", "us: alpha", "us: alpah")
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 1
    got = [(d["file"], d["code"]) for d in diagnostics_of(run)]
    assert got == [(BETA, "yaml-duplicate-key"), ("content/prospects/acme.yaml", "yaml-ambiguous-number"),
                   ("content/site.yaml", "unknown-company")]
