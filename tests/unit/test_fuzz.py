"""Hypothesis mutates valid content (delete, rename, retype, random unicode, wrong nesting, raw text edits,
numbers pushed to their extremes, control and invisible characters injected into text and keys): every build
exits 0 or 1 with messages — never a traceback, never a partial or changed site on failure."""
from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from tests.conftest import COMPANIES, SITE_YAML, company_yaml

EXAMPLES = int(os.environ.get("VALUEMAP_FUZZ_EXAMPLES", "1000"))
FILES = {"site.yaml": SITE_YAML, **{f"companies/{s}.yaml": company_yaml(s, **v) for s, v in COMPANIES.items()}}

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.sampled_from(["yes", "no", "on", "012", "1e3", ".nan", "2999-01-01", "../../x",
                                           "javascript:alert(1)", "<script>x</script>", "usabilty", "ȿ🙂\u202e"]),
    st.dates(),
)
# Numbers at and beyond every bound (docs/security.md, "Number bounds"), as data...
EXTREME_NUMBERS = [1e308, -1e308, 1.7976931348623157e308, 5e-324, -5e-324, 1e-320, 0, 0.0, -0.0, 10**29, -10**29,
                   10**30, 1e9, 1e9 + 1, 0.01, 0.0099, 1e6, 1e6 + 1, 1e-6, 9e-7, 100, 100.5, 1000, 1000.5, -1]
# ...and as text no YAML dumper writes: integers past 30 (and past Python's 4,300) digits, floats past a double.
EXTREME_LITERALS = ["1" + "0" * 400, "9" * 5000, "-" + "9" * 31, "1e400", "-1e400", "1e-400", "0x" + "f" * 64,
                    "0o" + "7" * 60, "0" * 300 + "1", "5e-324", "-0.0", "1_000_000_000_000_000_000_000_000_000_000"]
CONTROLS = ["\x1b", "\x07", "\u202e", "\u200b", "\x00", "\x1b[31m", "\u2066", "\ufeff", "\n", "\x7f", "\u0085"]
_NUMBER_TOKEN = re.compile(r"(?<=: )-?[0-9][0-9.]*(?=[,}\s])")
scalars = st.one_of(scalars, st.sampled_from(EXTREME_NUMBERS),
                    st.builds(lambda a, c, b: a + c + b, st.text(max_size=8), st.sampled_from(CONTROLS),
                              st.text(max_size=8)))

values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.text(max_size=12), inner, max_size=3)),
                      max_leaves=6)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


def _mutate(data, path, op, new_value, new_key):
    if not path:
        return new_value if op == "retype" else data
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if op == "delete":
        del parent[last]
    elif op == "retype":
        parent[last] = new_value
    elif op == "rename" and isinstance(parent, dict):
        parent[new_key] = parent.pop(last)
    elif op == "nest":
        parent[last] = [parent[last]] if not isinstance(parent[last], list) else {"x": parent[last]}
    return data


@st.composite
def mutations(draw):
    name = draw(st.sampled_from(sorted(FILES)))
    text = FILES[name]
    kind = draw(st.sampled_from(["structure", "structure", "structure", "text", "number", "control", "literal"]))
    if kind == "literal":  # a number token of the text replaced by a literal no dumper would write
        tokens = list(_NUMBER_TOKEN.finditer(text))
        if tokens:
            token = draw(st.sampled_from(tokens))
            return name, text[:token.start()] + draw(st.sampled_from(EXTREME_LITERALS)) + text[token.end():]
        kind = "number"
    if kind == "text":
        lines = text.splitlines(keepends=True)
        i = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["drop", "insert", "indent", "truncate"]))
        if edit == "drop":
            del lines[i]
        elif edit == "insert":
            lines.insert(i, draw(st.text(max_size=40)) + "\n")
        elif edit == "indent":
            lines[i] = draw(st.sampled_from(["\t", "   ", " "])) + lines[i]
        else:
            lines = lines[:i]
        return name, "".join(lines)
    data = yaml.safe_load(text)
    paths = list(_paths(data))
    if kind in ("number", "control"):
        leaves = [p for p in paths if p and _leaf_kind(data, p) == ("number" if kind == "number" else "text")]
        if leaves:
            path = draw(st.sampled_from(leaves))
            parent = data
            for part in path[:-1]:
                parent = parent[part]
            if kind == "number":
                parent[path[-1]] = draw(st.one_of(st.sampled_from(EXTREME_NUMBERS),
                                                  st.floats(allow_nan=False, allow_infinity=False)))
            else:
                old = parent[path[-1]]
                at = draw(st.integers(0, len(old)))
                parent[path[-1]] = old[:at] + draw(st.sampled_from(CONTROLS)) + old[at:]
                if isinstance(parent, dict) and draw(st.booleans()):  # the key too
                    key = path[-1]
                    parent[key[:1] + draw(st.sampled_from(CONTROLS)) + key[1:]] = parent.pop(key)
            try:
                return name, yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False)
            except yaml.YAMLError:
                return name, text
    path = draw(st.sampled_from(paths))
    op = draw(st.sampled_from(["delete", "retype", "rename", "nest"]))
    data = _mutate(data, path, op, draw(values), draw(st.text(max_size=15)))
    try:
        return name, yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False)
    except yaml.YAMLError:
        return name, text


def _leaf_kind(data, path) -> str | None:
    node = data
    for part in path:
        node = node[part]
    if isinstance(node, bool):
        return None
    if isinstance(node, (int, float)):
        return "number"
    return "text" if isinstance(node, str) else None


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _run(root: Path, *args: str) -> tuple[int, str]:
    cwd = os.getcwd()
    err = io.StringIO()
    try:
        os.chdir(root)
        with redirect_stdout(io.StringIO()), redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(cwd)
    return code, err.getvalue()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(mutation=mutations())
def test_mutated_content_never_crashes_or_damages_the_site(mutation):
    name, text = mutation
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel, body in FILES.items():
            (root / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / "content" / rel).write_text(body, encoding="utf-8")
        code, err = _run(root, "build")
        assert code == 0, err
        before = _snapshot(root / "site")
        (root / "content" / name).write_text(text, encoding="utf-8")
        code, err = _run(root, "build")
        assert code in (0, 1), err
        assert "Traceback" not in err
        leftovers = [p.name for p in root.iterdir() if p.name.startswith(".valuemap-")]
        assert not leftovers
        if code == 1:
            assert "error:" in err
            assert f"content/{name}" in err or "content/" in err
            assert _snapshot(root / "site") == before
        else:
            assert (root / "site" / "index.html").is_file()
        shutil.rmtree(root / "site")
