"""Hypothesis mutates valid content (delete, rename, retype, random unicode, wrong nesting, raw text edits):
every build exits 0 or 1 with messages — never a traceback, never a partial or changed site on failure."""
from __future__ import annotations

import hashlib
import io
import os
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
    kind = draw(st.sampled_from(["structure", "structure", "structure", "text"]))
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
    path = draw(st.sampled_from(paths))
    op = draw(st.sampled_from(["delete", "retype", "rename", "nest"]))
    data = _mutate(data, path, op, draw(values), draw(st.text(max_size=15)))
    try:
        return name, yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False)
    except yaml.YAMLError:
        return name, text


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
