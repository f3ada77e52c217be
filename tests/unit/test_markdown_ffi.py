"""The cmark-gfm declarations text.py uses are parsed once, by tools/cmark_ffi.py, not on every start.

``generator/_cmark_ffi.py`` is generated (cffi's out-of-line ABI mode) from ``tools/cmark_ffi.CDEF``. These
tests keep the two in step — the committed module declares exactly the functions the CDEF does, each with
the same C type (structs compared by tag and fields) — and check that rendering Markdown no longer imports
the C parser (pycparser, ~35 ms).
"""
from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _tool():
    spec = importlib.util.spec_from_file_location("cmark_ffi_tool", ROOT / "tools" / "cmark_ffi.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_declarations_are_the_cdef():
    import cffi
    from cmarkgfm import _cmark

    from generator._cmark_ffi import ffi as committed

    tool = _tool()
    fresh = cffi.FFI()
    fresh.cdef(tool.CDEF)
    assert committed.list_types() == fresh.list_types()
    names = re.findall(r"\b(cmark_\w+)\s*\(", tool.CDEF)
    assert len(names) >= 20  # every function declared, found
    ours, theirs = committed.dlopen(_cmark.__file__), fresh.dlopen(_cmark.__file__)
    assert sorted(dir(ours)) == sorted(dir(theirs)) == sorted(names)  # no function more, none fewer
    # A typedef'd struct: the run-time parser names it by the typedef ("cmark_llist"), the out-of-line module
    # by its tag ("struct _cmark_llist"); both are compared by the tag.
    tags = dict(re.findall(r"typedef struct (\w+)\s*(?:\{[^}]*\})?\s*(\w+);", tool.CDEF))
    tag_of = {typedef: tag for tag, typedef in tags.items()}
    assert {"cmark_node", "cmark_parser", "cmark_llist", "cmark_mem"} <= set(tag_of)
    for name in names:
        assert _shape(committed, committed.typeof(getattr(ours, name)), tag_of) == \
            _shape(fresh, fresh.typeof(getattr(theirs, name)), tag_of), name


def _shape(ffi, ctype, tag_of: dict, seen: frozenset = frozenset()) -> tuple:
    """A C type by its structure, every struct by its tag (and its fields, when it has any)."""
    kind = ctype.kind
    if kind == "function":
        return (kind, _shape(ffi, ctype.result, tag_of, seen), tuple(_shape(ffi, a, tag_of, seen) for a in ctype.args),
                ctype.ellipsis)
    if kind == "pointer":
        return kind, _shape(ffi, ctype.item, tag_of, seen)
    if kind in ("struct", "union"):
        name = ctype.cname.removeprefix(kind + " ")
        tag = tag_of.get(name, name)
        if ctype in seen or not _complete(ffi, ctype):  # being described, or opaque (asking an opaque struct
            return kind, tag  # of the out-of-line module for its fields aborts the interpreter)
        return kind, tag, tuple((n, _shape(ffi, f.type, tag_of, seen | {ctype})) for n, f in ctype.fields)
    return kind, ctype.cname


def test_rendering_markdown_does_not_parse_c():
    probe = ("import json, sys\nfrom generator.text import markdown\nhtml = str(markdown('**a** [b](https://x.org)'))\n"
             "print(json.dumps([html, sorted(m for m in sys.modules if m.split('.')[0] in ('cffi', 'pycparser'))]))")
    run = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    html, loaded = json.loads(run.stdout)
    assert "<strong>a</strong>" in html and 'href="https://x.org"' in html
    assert loaded == []


def _complete(ffi, ctype) -> bool:
    unknown_size = (ValueError, getattr(ffi, "error", ValueError))  # cffi.FFI / the out-of-line backend FFI
    try:
        ffi.sizeof(ctype)
    except unknown_size:
        return False
    return True
