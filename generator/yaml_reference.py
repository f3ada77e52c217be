"""The reference YAML reader (:func:`compose`): a depth pass over the events, libyaml's composer, then
the node tree → data with the position of every key and value. Every problem — its message, its position and
which of several problems is reported — is decided here.

:func:`generator.yaml_reader.parse_yaml` reads a document in one pass over libyaml's events (the fast path)
and hands over to this module only a document it does not handle itself: anchors and aliases, explicit tags,
and any problem at all (``tests/unit/test_yaml_fast_path.py`` compares the two paths on many documents). The
limits both paths enforce are set here, with the loader both use. This module knows nothing of the fast path
or of :class:`generator.yaml_reader.Document`: :func:`compose` hands back the data and its positions.
"""
from __future__ import annotations

from typing import Any

import yaml

from .yaml_scalars import Mark, YamlProblem, plain_scalar

try:  # libyaml is ~7x faster; the pure-Python loader is the fallback where it is not compiled in.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 40
MAX_NODES = 200_000  # after alias expansion: stops "billion laughs"


# --- tags the reference path tells apart ----------------------------------------------------------------

_STR = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()  # what libyaml would have resolved implicitly: tells explicit tags apart
_STD_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:value",  # what a plain '=' resolves to: read as the text '='
}


# --- node tree → data -----------------------------------------------------------------------------------

class _Builder:
    def __init__(self, offset: int):
        self.values: dict[tuple, Mark] = {}
        self.keys: dict[tuple, Mark] = {}
        self.count = 0
        self.offset = offset

    def mark(self, node) -> Mark:
        return Mark(node.start_mark.line + 1 + self.offset, node.start_mark.column + 1)

    def build(self, node, path: tuple, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            m = self.mark(node)
            raise YamlProblem("yaml-too-many-nodes",
                             f"the file expands to more than {MAX_NODES:,} values (an alias bomb?)",
                             m.line, m.column, hint="anchors and aliases (&name / *name) may not multiply data")
        if depth > MAX_DEPTH:
            m = self.mark(node)
            raise YamlProblem("yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels", m.line, m.column)
        mark = self.mark(node)
        self.values[path] = mark
        tag = node.tag
        if tag not in _STD_TAGS:
            raise YamlProblem("yaml-unsupported-tag", f"unsupported YAML tag '{tag}'", mark.line, mark.column,
                             hint="content files use plain YAML: remove the '!' tag")
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, mark)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self.mapping(node, path, depth)

    def scalar(self, node, mark: Mark) -> Any:
        if node.style:  # quoted or block scalars are always text
            return node.value
        if node.tag == _STR and _RESOLVER.resolve(yaml.ScalarNode, node.value, (True, False)) != _STR:
            return node.value  # an explicit !!str on a plain scalar: the author said "text"
        return plain_scalar(node.value, mark)

    def mapping(self, node, path: tuple, depth: int) -> dict:
        out: dict = {}
        first_line: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                m = self.mark(key_node)
                raise YamlProblem("yaml-merge-key", "merge keys ('<<') are not supported", m.line, m.column,
                                 hint="write the keys out; merges hide where a value comes from")
            if not isinstance(key_node, yaml.ScalarNode):
                m = self.mark(key_node)
                raise YamlProblem("yaml-complex-key", "a mapping key must be a plain name", m.line, m.column)
            if key_node.tag not in _STD_TAGS:
                m = self.mark(key_node)
                raise YamlProblem("yaml-unsupported-tag", f"unsupported YAML tag '{key_node.tag}' on a key",
                                  m.line, m.column, hint="content files use plain YAML: remove the '!' tag")
            key = key_node.value
            key_mark = self.mark(key_node)
            if key in out:
                prev = first_line[key]
                raise YamlProblem("yaml-duplicate-key",
                                 f"duplicate key '{key}' (first defined on line {prev.line})",
                                 key_mark.line, key_mark.column,
                                 hint="YAML keeps only the last of duplicate keys; merge the two entries")
            first_line[key] = key_mark
            self.keys[path + (key,)] = key_mark
            out[key] = self.build(value_node, path + (key,), depth + 1)
        return out


def _check_depth(text: str, offset: int) -> None:
    """Walk the event stream (no recursion) so deep nesting is refused before the recursive composer runs.

    libyaml 0.2.6 (PyYAML 6.0.4 on) has a nesting limit of its own, and its scanner reads ahead: on a line of
    10,000 '[' it stops with "exceeded maximum nesting depth" before the parser has handed over 41 events.
    That is the same problem, reported where libyaml stopped."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    m = event.start_mark
                    raise YamlProblem("yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels",
                                     m.line + 1 + offset, m.column + 1)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        if mark is None or "nesting depth" not in (exc.problem or ""):
            raise
        raise YamlProblem("yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels", mark.line + 1 + offset,
                          mark.column + 1) from None


# --- the reader -----------------------------------------------------------------------------------------

def _quote_hint(line: str) -> str:
    """The line with its value in quotes: a text holding ': ' is read as a second key."""
    key, sep, rest = line.partition(": ")
    rest = rest.strip()
    if sep and rest and '"' not in rest:
        return f'a text that holds \': \' needs quotes: {key.strip()}: "{rest}"'
    return "a text that holds ': ' needs quotes around it"


# libyaml's contexts whose mark is where the author's mistake is (its problem mark is where it gave up)
_AT_CONTEXT = ("while scanning a simple key", "while scanning a quoted scalar")


def compose(text: str, line_offset: int = 0) -> tuple[Any, dict[tuple, Mark], dict[tuple, Mark]]:
    """The reference reader: (data, the position of each value, of each mapping key), by field path; lines
    counted from ``line_offset`` (front matter). Every problem, its message, position and precedence are
    decided here."""
    try:
        _check_depth(text, line_offset)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and exc.context in _AT_CONTEXT:  # where the mistake is, not where
            mark = exc.context_mark  # libyaml gave up (the key without its ':' , the quote left open)
        line = (mark.line + 1 + line_offset) if mark else 1
        column = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        hint = None
        lines = text.splitlines()
        at = lines[mark.line][mark.column:mark.column + 1] if mark and mark.line < len(lines) else ""
        if "\t" in problem or "'\\t'" in problem or "tab" in problem.split() or (
                at == "\t" and "cannot start any token" in problem):  # libyaml's words for a tab, where it stands
            problem, hint = "a tab character is used for indentation", "YAML indents with spaces only"
        elif "expected a single document" in str(exc) or "but found another document" in problem:
            hint = "a content file holds one document: remove the extra '---'"
        elif exc.context == "while scanning a simple key":
            problem, hint = "a key without ':' after it", "write 'key: value' (a colon and a space after the key)"
        elif exc.context == "while scanning a quoted scalar":
            problem = "a quote that is not closed"
            hint = "add the closing quote at the end of the text (a quote inside it is written \\\" between " \
                   "double quotes, '' between single quotes)"
        elif exc.context in ("while parsing a flow sequence", "while parsing a flow mapping") and exc.context_mark:
            opened = "[" if "sequence" in exc.context else "{"
            closing = "]" if opened == "[" else "}"
            hint = f"the '{opened}' on line {exc.context_mark.line + 1 + line_offset} is not closed: add " \
                   f"'{closing}' where it ends"  # libyaml gives up lines later, at the next key
        elif "mapping values are not allowed" in problem:
            line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
            if mark and 0 <= line_text.find(": ") < mark.column:  # a second ': ' on the line: a text, unquoted
                hint = _quote_hint(line_text)
        raise YamlProblem("yaml-syntax", f"invalid YAML: {problem}", line, column, hint=hint)
    except yaml.YAMLError as exc:
        raise YamlProblem("yaml-syntax", f"invalid YAML: {exc}")
    except RecursionError:
        raise YamlProblem("yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels")
    if node is None:
        return None, {}, {}
    builder = _Builder(line_offset)
    return builder.build(node, (), 0), builder.values, builder.keys
