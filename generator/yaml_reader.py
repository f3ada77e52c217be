"""YAML with positions: text → plain data plus the line and column of every key and value.

YAML is parsed with libyaml (``CSafeLoader``'s C parser) and turned into data here rather than by PyYAML's
constructor, so that we can

* remember where each key and value stands (``file:line:column`` for every later error),
* refuse what PyYAML accepts silently: duplicate keys (it keeps the last), YAML 1.1 octals such as ``012``,
  unknown tags (on keys too), alias bombs, absurd nesting, files too large to be content, text that is not
  UTF-8, numbers too large to be content (more than 30 digits, or beyond a float's range),
* resolve plain scalars by the YAML 1.2 core schema: ``yes``/``no``/``on``/``off`` stay text, ``1e3`` is a
  number, ``2026-10-01`` is a date. (:mod:`generator.yaml_scalars`)

**One pass.** :func:`parse_yaml` reads libyaml's event stream once and builds the data and both position
tables from it directly (:class:`_Events`): no node tree, no PyYAML resolver (its regular expressions ran
for every scalar), no second pass to bound the nesting (depth is counted as the events arrive). On the bench's
13 KB company files that is ~2.5x faster than composing a node tree after a separate depth pass, and it is
the path every valid content file takes. A document the fast path does not handle itself — anchors and
aliases, explicit tags, and any problem at all (a syntax error, a duplicate key, a YAML 1.1 number, nesting
past :data:`MAX_DEPTH`…) — is parsed again by the reference path, :func:`parse_composed`
(:mod:`generator.yaml_reference`: depth pass, libyaml's composer, node tree), whose messages, positions and
precedence of problems are the contract;
``tests/unit/test_yaml_fast_path.py`` compares the two on many documents. Without libyaml both paths run on
PyYAML's pure-Python parser, with the same results.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (AliasEvent, DocumentEndEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                         SequenceEndEvent, SequenceStartEvent, StreamEndEvent)

from . import yaml_reference
from .yaml_reference import MAX_DEPTH, MAX_NODES, _Loader  # set there, for both paths (constants: never changed)
from .yaml_scalars import FALSE, NULLS, NUMBER_START, TRUE, Mark, YamlProblem, plain_scalar

MAX_FILE_BYTES = 1_000_000
__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_NODES", "Document", "Mark", "YamlProblem", "parse_yaml",
           "parse_composed", "read_text"]

Path_ = tuple  # a field path: ('scores', 'usability', 0, 'value')


@dataclass
class Document:
    """One parsed file: its data and where each value (and each mapping key) stands in it."""

    file: str  # path as shown to the author, relative to the project when possible
    data: Any
    values: dict[Path_, Mark] = field(default_factory=dict)
    keys: dict[Path_, Mark] = field(default_factory=dict)
    line_offset: int = 0  # front matter: lines before the YAML starts
    source: str | None = None  # the file on disk, when the document can be read again (see released())
    reread: bool = False  # released: data and positions are read again from ``source`` when a position is asked

    def released(self) -> "Document":
        """The same document without its data and positions: they are parsed again from ``source`` the first
        time a position is asked for. Validated content keeps one document per company file only to point at
        lines later (the ``--strict`` gate); holding every file's parse — a dict entry, a path and a mark per
        value — was most of a large build's memory (~90 KB per company file)."""
        if self.source is None:
            return self
        return Document(self.file, None, {}, {}, self.line_offset, self.source, reread=True)

    def _read_again(self) -> None:
        self.reread = False
        try:
            again = parse_yaml(read_text(Path(self.source), self.file)[0], self.file,
                               line_offset=self.line_offset)
        except (YamlProblem, OSError):  # changed or gone since the build read it: the file alone is named
            return
        self.values, self.keys = again.values, again.keys

    def where(self, path: Path_ = (), *, key: bool = False) -> dict:
        """``file``/``line``/``column`` for a field path: the nearest known ancestor if the path is unknown."""
        if self.reread:
            self._read_again()
        table = self.keys if key else self.values
        probe = tuple(path)
        while True:
            mark = table.get(probe) or (self.values.get(probe) if key else None)
            if mark is not None:
                return {"file": self.file, "line": mark.line, "column": mark.column}
            if not probe:
                return {"file": self.file, "line": 1, "column": 1}
            probe = probe[:-1]



def _decode(raw: bytes) -> tuple[str, str | None]:
    """bytes → text; returns (text, warning). Raises YamlProblem for what is not UTF-8."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlProblem("encoding", "the file is UTF-16 encoded", hint="save it as UTF-8")
    warning = None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        warning = "the file starts with a byte-order mark (BOM); it was ignored — save as UTF-8 without BOM"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblem("encoding", f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})", line, column,
                         hint="save the file as UTF-8")
    if "\x00" in text and (raw[1::2].count(0) > len(raw) // 4 or raw[0::2].count(0) > len(raw) // 4):
        raise YamlProblem("encoding", "the file looks UTF-16 encoded (every other byte is zero)",
                          hint="save it as UTF-8")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise YamlProblem("encoding", "the file contains a NUL character (is it binary?)", line, 1)
    return text, warning


# --- the fast path: events → data in one pass ------------------------------------------------------------

class _Unusual(Exception):
    """The fast path leaves this document to the reference path (see the module's docstring)."""


_IMPLICIT_TAGS = (None, "!")  # no tag, or the non-specific '!': resolved as if untagged
_MERGE = "<<"  # a plain '<<' resolves to YAML's merge tag: refused by the reference path, as key or value


class _Events:
    """Data and positions straight from the event stream of one document; raises :class:`_Unusual` for
    anything the reference path must judge. Recursion is bounded: it stops at MAX_DEPTH + 1 levels.

    ``positions=False``: the data alone, with the same checks (what it accepts, the positions path accepts
    too, and the reverse) — a third faster. A document read so asks for its positions again the first time
    one is needed (``Document.reread``): most company files of a large market never need one."""

    def __init__(self, loader, offset: int, values: dict, keys: dict, positions: bool = True):
        self.next = loader.get_event
        self.offset = offset
        self.values, self.keys = values, keys
        self.positions = positions
        self.count = 0

    def document(self) -> Any:
        get = self.next
        get()  # StreamStartEvent
        event = get()
        if event.__class__ is StreamEndEvent:  # no document at all
            return None
        # DocumentStartEvent (an explicit '%TAG' or '%YAML' directive changes nothing we accept)
        data = self.node(get(), (), 0)
        if get().__class__ is not DocumentEndEvent or get().__class__ is not StreamEndEvent:
            raise _Unusual  # a second document (or a problem after the first): the reference path says which
        return data

    def node(self, event, path: tuple, depth: int) -> Any:
        """The value ``event`` starts, at ``path``; ``depth`` collections enclose it."""
        cls = event.__class__
        if cls is ScalarEvent:
            return self.scalar(event, path)
        if cls is AliasEvent or event.anchor is not None or event.tag not in _IMPLICIT_TAGS:
            raise _Unusual
        depth += 1  # the reference refuses the (MAX_DEPTH + 1)th nested collection
        self.count += 1
        if depth > MAX_DEPTH or self.count > MAX_NODES:
            raise _Unusual
        positions = self.positions
        if positions:
            start = event.start_mark
            self.values[path] = Mark(start.line + 1 + self.offset, start.column + 1)
        get = self.next
        if cls is SequenceStartEvent:
            items: list = []
            while True:
                event = get()
                cls = event.__class__
                if cls is ScalarEvent:
                    items.append(self.scalar(event, path + (len(items),) if positions else path))
                elif cls is SequenceEndEvent:
                    return items
                else:
                    items.append(self.node(event, path + (len(items),) if positions else path, depth))
        if cls is not MappingStartEvent:  # pragma: no cover - libyaml emits nothing else here
            raise _Unusual
        out: dict = {}
        keys = self.keys
        offset = self.offset
        while True:
            event = get()
            cls = event.__class__
            if cls is MappingEndEvent:
                return out
            if cls is not ScalarEvent or event.anchor is not None or event.tag not in _IMPLICIT_TAGS:
                raise _Unusual  # a complex, anchored, aliased or tagged key
            key = event.value
            if key in out or (key == _MERGE and not event.style):
                raise _Unusual  # a duplicate key, a merge key
            if positions:
                start = event.start_mark
                key_path = path + (key,)
                keys[key_path] = Mark(start.line + 1 + offset, start.column + 1)
            else:
                key_path = path  # no position is kept: no path needed
            event = get()
            if event.__class__ is ScalarEvent:
                out[key] = self.scalar(event, key_path)
            else:
                out[key] = self.node(event, key_path, depth)

    def scalar(self, event, path: tuple) -> Any:
        if event.anchor is not None or event.tag not in _IMPLICIT_TAGS:
            raise _Unusual
        self.count += 1
        if self.count > MAX_NODES:
            raise _Unusual
        text = event.value
        if self.positions:
            start = event.start_mark
            self.values[path] = mark = Mark(start.line + 1 + self.offset, start.column + 1)
        elif event.style or (text and text != _MERGE and text[0] not in NUMBER_START and not text[0].isdigit()
                             and text not in NULLS and text not in TRUE and text not in FALSE):
            return text  # text: no position needed to read it
        else:
            start = event.start_mark
            mark = Mark(start.line + 1 + self.offset, start.column + 1)
        if event.style:  # quoted or block scalars are always text
            return text
        if text == _MERGE:
            raise _Unusual
        try:
            return plain_scalar(text, mark)
        except YamlProblem:
            raise _Unusual from None


def _parse_events(text: str, file: str, line_offset: int, positions: bool = True) -> Document:
    doc = Document(file=file, data=None, line_offset=line_offset)
    try:
        loader = _Loader(text)  # the pure-Python reader checks the characters here
    except yaml.YAMLError:
        raise _Unusual from None
    try:
        doc.data = _Events(loader, line_offset, doc.values, doc.keys, positions).document()
    except (yaml.YAMLError, RecursionError):
        raise _Unusual from None
    finally:
        loader.dispose()
    return doc


def parse_yaml(text: str, file: str, *, line_offset: int = 0, positions: bool = True) -> Document:
    """Parse one YAML document held in ``text``; raises YamlProblem with a position on any problem.

    ``positions=False``: the data without the position of each value (a third faster) when the document
    can be read again for them (the caller sets ``source`` and ``reread``); a problem still has its position."""
    try:
        return _parse_events(text, file, line_offset, positions)
    except _Unusual:
        return parse_composed(text, file, line_offset=line_offset)


def parse_composed(text: str, file: str, *, line_offset: int = 0) -> Document:
    """The document as the reference path reads it (:func:`generator.yaml_reference.compose`)."""
    data, values, keys = yaml_reference.compose(text, line_offset)
    return Document(file=file, data=data, values=values, keys=keys, line_offset=line_offset)


def read_text(path: Path, display: str) -> tuple[str, str | None]:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise YamlProblem("file-too-large",
                         f"the file is {size:,} bytes; content files are limited to {MAX_FILE_BYTES:,} bytes",
                         hint="split the content, or move long prose to a Markdown page")
    with open(path, "rb") as fh:
        raw = fh.read(MAX_FILE_BYTES + 1)
    return _decode(raw)


