"""The one-pass YAML reader agrees with the reference reader, and valid content takes the one pass.

:func:`generator.yaml_reader.parse_yaml` reads the event stream once (the fast path) and leaves every document
it does not handle itself to :func:`generator.yaml_reader.parse_composed` (the reference: a depth pass, then
libyaml's composer). These tests pin that the two give the same data, the same positions of every key and
value, and the same problem (code, message, line, column, hint) — on hand-picked pitfalls and on generated
documents — and that the sample content and a bench company never need the second pass (counted, not timed).
The data-only reading (``positions=False``, company files) gives the same data and the same problems.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import yaml_reader, yaml_reference
from generator.yaml_reader import MAX_DEPTH, YamlProblem, parse_composed, parse_yaml

ROOT = Path(__file__).resolve().parents[2]


def outcome(parse, text: str, offset: int = 0):
    """Everything a caller can observe: data, values, keys — or the problem raised."""
    try:
        doc = parse(text, "f.yaml", line_offset=offset)
    except YamlProblem as exc:
        return ("problem", exc.code, exc.message, exc.line, exc.column, exc.hint)
    return ("ok", _comparable(doc.data), list(doc.values.items()), list(doc.keys.items()), doc.file,
            doc.line_offset)


def _comparable(value):
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    if isinstance(value, dict):
        return [("dict",)] + [(k, _comparable(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [("list",)] + [_comparable(v) for v in value]
    return (type(value).__name__, value)


def same(text: str, offset: int = 0) -> tuple:
    fast, reference = outcome(parse_yaml, text, offset), outcome(parse_composed, text, offset)
    assert fast == reference, text
    # Read without positions (company files: yaml_reader._Events with positions=False): the same data, the same problem.
    lean = outcome(lambda t, f, line_offset: parse_yaml(t, f, line_offset=line_offset, positions=False), text, offset)
    assert lean[:2] == fast[:2] if fast[0] == "ok" else lean == fast, text
    return fast


def nested(depth: int, leaf: str = "1") -> str:
    return "[" * depth + leaf + "]" * depth


PITFALLS = [
    "", "   \n", "# only a comment\n", "---\n", "---\n...\n", "--- 1\n", "a: 1\n---\nb: 2\n", "a: 1\n...\n",
    "name: Acme\nscores:\n  usability: 7\n  support: {value: 8, note: ok}\nlist: [1, 2.5, -3, +4, .5]\n",
    "a: yes\nb: No\nc: on\nd: off\ne: true\nf: FALSE\ng: ~\nh: null\ni:\nj: Null\n",
    "a: 012\n", "a: 0o17\n", "a: 0x1F\n", "a: 1_000\n", "a: 08\n", "a: -012\n", "a: '012'\n",
    "a: 1e3\nb: 1E-3\nc: .inf\nd: -.Inf\ne: .nan\nf: 1e400\ng: 1e-400\nh: 0e0\n",
    "a: " + "9" * 31 + "\n", "a: " + "9" * 30 + "\n", "a: 0x" + "f" * 130 + "\n",
    "a: 2026-10-01\nb: '2026-10-01'\nc: 2026-02-30\nd: 2026-1-1\ne: 2026-10-01T10:00:00\n",
    "a: 1\na: 2\n", "a:\n  b: 1\n  c: 2\n  b: 3\n", "{a: 1, a: 1}\n", "a: 1\nb: [1, {c: 1, c: 2}]\n",
    "a: 1\na: 2\nb: [\n", "a: 012\nb: {\n", "<<: {a: 1}\n", "'<<': 1\n", "a: <<\n", "a: '<<'\n",
    "! <<: 1\n", "a: &x 1\nb: *x\n", "a: &x [1, {b: 2}]\nc: *x\nd: *x\n", "a: *nowhere\n",
    "a: &x 1\nb: &x 2\nc: *x\n", "a: &x [*x]\n", "&a [*a, 1]\n", "a: &x {b: *x}\n",
    "a: !!str 12\nb: !!str 0o17\nc: !!str yes\nd: !!str 2026-01-01\ne: !!int 12\nf: !!int abc\n",
    "a: ! 12\nb: ! '12'\nc: ! [1]\nd: ! {e: 1}\n", "a: !foo 1\n", "!foo a: 1\n", "a: !!python/name:os.system\n",
    "a: !!set {b}\n", "a: !!omap [b: 1]\n", "a: !!binary aGk=\n", "!!map {a: 1}\n", "!!seq {a: 1}\n",
    "!!merge '<<': 1\n", "!!str a: 1\n", "!!int 1: 1\n", "? [1]\n: 2\n", "? {a: 1}\n: 2\n", "? a\n: 1\n",
    "1: a\ntrue: b\nnull: c\n2026-01-01: d\n'': e\n", "a: =\n", "=: 1\n",
    "a: |\n  line\n  012\nb: >\n  folded\n  text\n", "a: \"quoted\\ttab\"\nb: 'single'\n",
    "a:\n\t- 1\n", "\tb: 1\n", "a: 'unclosed\n", "a: [1, 2\n", "a: b: c\n", "- a\nb: 1\n", "a: @x\n",
    "%YAML 1.2\n---\na: 1\n", "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
    "- - - - 1\n", nested(MAX_DEPTH), nested(MAX_DEPTH + 1), nested(MAX_DEPTH - 1, "{a: 1}"),
    nested(MAX_DEPTH, "{a: 1}"), nested(1000), "a: " + nested(MAX_DEPTH) + "\nb: 1\nb: 2\n",
    "a: 1\nb: " + nested(MAX_DEPTH + 1) + "\n", "a: [1\n" + nested(MAX_DEPTH + 5),
    "a: &x [" + ", ".join(["1"] * 20) + "]\nb: &y [" + ", ".join(["*x"] * 20) + "]\n"
    "c: [" + ", ".join(["*y"] * 20) + "]\n",
    "a: &x " + nested(30) + "\nb: " + nested(15, "*x") + "\n",
    "a: [" + ", ".join(["1"] * 1000) + "]\n",
    "a: \u00e9t\u00e9\nb: \U0001F600\nc: '\\u0007'\n", "a: \x07\n", "a: \ufeff1\n",
]


@pytest.mark.parametrize("text", PITFALLS)
def test_fast_path_agrees_with_the_reference(text):
    same(text)
    same(text, offset=3)  # front matter: lines before the YAML


def test_without_libyaml_the_paths_agree_too(monkeypatch):
    """Where PyYAML has no libyaml, both paths run on its pure-Python parser (messages may differ from
    libyaml's; the two paths may not differ from each other)."""
    monkeypatch.setattr(yaml_reader, "_Loader", yaml.SafeLoader)
    monkeypatch.setattr(yaml_reference, "_Loader", yaml.SafeLoader)  # yaml_reader imports it from here: patch both
    for text in PITFALLS:
        same(text)
    assert same("a: [1, {b: 2026-10-01}]\n")[1] == [("dict",), ("a", [("list",), ("int", 1), [("dict",), (
        "b", ("date", __import__("datetime").date(2026, 10, 1)))]])]


def test_alias_bomb_agrees(monkeypatch):
    monkeypatch.setattr(yaml_reader, "MAX_NODES", 500)  # the fast path's copy of the limit,
    monkeypatch.setattr(yaml_reference, "MAX_NODES", 500)  # and the reference path's (where it is set)
    bomb = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
           "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    assert same(bomb)[1] == "yaml-too-many-nodes"
    assert same("a: [" + ", ".join(["1"] * 600) + "]\n")[1] == "yaml-too-many-nodes"  # no alias needed


def test_sample_and_bench_files_take_one_pass(monkeypatch, tmp_path):
    """Every valid content file is parsed once: the reference path is never needed for it."""
    import importlib.util

    def never(*args, **kwargs):
        raise AssertionError("the reference path ran for a valid file")

    texts = {str(p): p.read_text(encoding="utf-8") for p in sorted((ROOT / "content").rglob("*.yaml"))}
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_run", bench)  # its dataclasses look their module up
    spec.loader.exec_module(bench)
    site = yaml.safe_load((ROOT / "content" / "site.yaml").read_text(encoding="utf-8"))
    company = bench.make_company(site, "Albel Point Hub", "albelpoint-hub", 2026)
    texts["bench"] = bench.company_yaml(company.data)
    assert len(texts) > 10
    expected = {name: outcome(parse_composed, text) for name, text in texts.items()}
    monkeypatch.setattr(yaml_reference, "compose", never)
    for name, text in texts.items():
        assert expected[name][0] == "ok", name
        assert outcome(parse_yaml, text) == expected[name], name
        lean = parse_yaml(text, name, positions=False)  # company files: the data alone, in one pass too
        assert _comparable(lean.data) == expected[name][1] and not lean.values and not lean.keys, name


# Generated documents: YAML-ish text from the pieces that matter (indentation, flow, keys, scalars of every
# kind, anchors, aliases, tags, comments, document markers), most of it valid, much of it not.
_SCALARS = st.sampled_from([
    "1", "012", "0x1f", "1e3", "1e999", ".5", "-0", ".nan", "yes", "no", "~", "null", "", "2026-10-01",
    "2026-02-30", "'2026-10-01'", "\"x\"", "'<<'", "<<", "=", "!!str 7", "! 7", "!x 1", "&a 1", "*a", "a b",
    "text", "-", "- 1", "[1, 2]", "{a: 1}", "{a: 1, a: 2}", "[", "'", "|\n  block", "@", "#c", "9" * 31,
])
_KEYS = st.sampled_from(["a", "b", "a", "'a'", "<<", "1", "? x", "[k]", "!!str k", "!t k", "&k a", "'<<'", ""])


@st.composite
def _documents(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        indent = "  " * draw(st.integers(0, 3))
        kind = draw(st.integers(0, 4))
        if kind == 0:
            lines.append(f"{indent}{draw(_KEYS)}: {draw(_SCALARS)}")
        elif kind == 1:
            lines.append(f"{indent}{draw(_KEYS)}:")
        elif kind == 2:
            lines.append(f"{indent}- {draw(_SCALARS)}")
        elif kind == 3:
            lines.append(draw(st.sampled_from(["---", "...", "# comment", "", "\t"])))
        else:
            depth = draw(st.integers(0, MAX_DEPTH + 2))
            lines.append(f"{indent}{draw(_KEYS)}: {nested(depth, draw(_SCALARS))}")
    return "\n".join(lines) + draw(st.sampled_from(["\n", ""]))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents())
def test_generated_documents_agree(text):
    same(text)


@settings(max_examples=150, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers(-10**35, 10**35) | st.floats()
                    | st.text(max_size=12) | st.dates(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
                    max_leaves=25))
def test_dumped_data_agrees(data):
    same(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    same(yaml.safe_dump(data, default_flow_style=True, sort_keys=False))
