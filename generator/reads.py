"""What each page reads of the content, recorded while it renders (``serve``'s incremental builds:
:mod:`generator.incremental` decides from these which pages to render again).

With ``track=True`` (:func:`generator.parallel.render_pages`) each page records what its view read of each
company: from ``content.companies`` each field of the company's model it touched (``slug:summary``; a method
or property: the whole company, ``slug:``), from ``scores.companies`` the company's scores (``slug:scores``:
they are computed from that field). ``.values()`` and ``.items()`` hand out every company the same way; only
``.copy()`` and the history (every company's past, in plain mappings) count as reading everything (``"*"``).
Iterating over the slugs alone, or asking for a
company's name through ``ctx.name``, is not a read of that company: slugs and names are part of the
site-wide digest (see :mod:`generator.incremental`).

A block two pages share (:func:`generator.views.common.shared_block`) is made once: :func:`recorded` keeps
what making it read, and :func:`replay` counts that again for each page that reuses it.
"""
from __future__ import annotations

from dataclasses import fields, replace

ALL = "*"  # a page read every company


def read_key(slug: str, field: str = "") -> str:
    """One recorded read: ``slug:field`` (a field of the company's file), ``slug:`` (the whole company)."""
    return f"{slug}:{field}"


class TrackedCompanies(dict):
    """A slug → company mapping that records which entries are read (see the module docstring).

    Every way of reading values goes through ``__getitem__``, ``get``, ``values``, ``items`` or ``copy``:
    ``__iter__`` is overridden too, so ``dict(d)`` and ``{**d}`` take the slow path through ``keys()`` and
    ``__getitem__`` rather than copying the values behind the tracker's back. What a read records is
    :meth:`_read`'s choice (the subclasses): by default the whole company.
    """

    reads: set | None = None  # the current page's reads; None: not recording

    def _note(self, key) -> None:
        if TrackedCompanies.reads is not None:
            TrackedCompanies.reads.add(key)

    def _read(self, slug, value):
        self._note(read_key(slug))
        return value

    def __getitem__(self, key):
        return self._read(key, dict.__getitem__(self, key))

    def get(self, key, default=None):
        if dict.__contains__(self, key):
            return self._read(key, dict.__getitem__(self, key))
        return default

    def values(self):
        return [self._read(k, v) for k, v in dict.items(self)]

    def items(self):
        return [(k, self._read(k, v)) for k, v in dict.items(self)]

    def copy(self):
        self._note(ALL)
        return dict(dict.items(self))

    def __iter__(self):
        return dict.__iter__(self)

    def __reduce__(self):  # pickled (never in a build; by tools) as a plain dict
        return (dict, (dict(dict.items(self)),))


class TrackedModels(TrackedCompanies):
    """``content.companies``: each company is handed out behind a :class:`_Fields` that records which fields
    of it are read (``slug:summary``), so a page that shows every company's name and prices is not rendered
    again when one company's prose changes. A method or property read counts as the whole company."""

    def _read(self, slug, value):
        return _Fields(slug, value)


class TrackedScores(TrackedCompanies):
    """``scores.companies``: a company's scores are computed from its file's ``scores`` field alone (with the
    site and the day, which are in the site digest): a read of them is a read of that field."""

    def _read(self, slug, value):
        self._note(read_key(slug, "scores"))
        return value


class _Fields:
    """A read-only stand-in for a company model that records each attribute read (see TrackedModels)."""

    __slots__ = ("_slug", "_target")

    def __init__(self, slug: str, target):
        object.__setattr__(self, "_slug", slug)
        object.__setattr__(self, "_target", target)

    def __getattr__(self, name):
        target = object.__getattribute__(self, "_target")
        value = getattr(target, name)
        if TrackedCompanies.reads is not None:
            slug = object.__getattribute__(self, "_slug")
            field = name if name in type(target).model_fields else ""
            TrackedCompanies.reads.add(read_key(slug, field))
        return value

    def __setattr__(self, name, value):
        raise AttributeError("a company model is read-only while pages render")

    def __repr__(self) -> str:
        return repr(object.__getattribute__(self, "_target"))


def recording() -> bool:
    """Whether the current page's reads are being recorded (serve's incremental builds)."""
    return TrackedCompanies.reads is not None


def recorded(make):
    """``make()`` and the reads it made (None when not recording); they count for the current page as well."""
    outer = TrackedCompanies.reads
    if outer is None:
        return make(), None
    TrackedCompanies.reads = inner = set()
    try:
        result = make()
    finally:
        TrackedCompanies.reads = outer
        outer.update(inner)
    return result, frozenset(inner)


def replay(reads) -> None:
    """Count ``reads`` (made earlier by :func:`recorded`) for the current page: what it reuses, it read."""
    if reads and TrackedCompanies.reads is not None:
        TrackedCompanies.reads.update(reads)


class _ReadsAll:
    """An object whose every attribute read counts as reading every company (the history: each step holds
    every company's data in plain mappings)."""

    def __init__(self, target):
        object.__setattr__(self, "_target", target)

    def __getattr__(self, name):
        if TrackedCompanies.reads is not None:
            TrackedCompanies.reads.add(ALL)
        return getattr(object.__getattribute__(self, "_target"), name)

    def __bool__(self):
        return bool(object.__getattribute__(self, "_target"))


def tracked_context(ctx):
    """The same context with its company mappings tracked, and ``name`` reading names untracked."""
    content = replace(ctx.content, companies=TrackedModels(ctx.content.companies))
    scores = replace(ctx.scores, companies=TrackedScores(ctx.scores.companies))
    history = getattr(scores, "history", None)
    if history is not None and len(history.steps) >= 2:  # a single step (now) is no history: no page shows it
        scores = replace(scores, history=_ReadsAll(history))
    names = {slug: c.name for slug, c in dict.items(ctx.content.companies)}
    values = {f.name: getattr(ctx, f.name) for f in fields(ctx)}
    values.update(content=content, scores=scores)
    tracked = type(ctx)(**values)
    object.__setattr__(tracked, "name", names.__getitem__)  # instance attribute: shadows the method
    return tracked
