"""Validated company files kept between ``serve``'s rebuilds: a file whose bytes did not change is not parsed
or validated again.

Validation of one company file depends on the file's bytes, on site.yaml (the dimensions, segments, source
kinds and rules it is checked against), on the day (dates in the future, stale prices) and on valuemap itself;
an entry is reused only when all four are the same (:func:`site_key`, the file's sha256). A reused entry
brings back the model, the released document (for positions) and the diagnostics the file gave (its
warnings are reported again, every time, as a fresh validation would). Files with translated fields are never
kept: their translations are recorded beside the model (see :mod:`generator.languages`).

The checks across files (duplicate names, ``us``, prospects, history) run on every rebuild, on the models.

The market's scores are kept too (:meth:`CompanyCache.market_scores`): scoring reads each company's name,
prices and scores and the site, so when none of these changed — an edit to a summary, a talk track, a
strength — the previous scores are the scores, and the rebuild does not score 1,000 companies again.

The session's template environment is kept here too (:meth:`CompanyCache.environment`): its compiled
templates are reused, and each template's file is checked for changes when it is used.

A build without a cache (``valuemap build``, CI) validates and scores everything, as before.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic
from .rescore import ScoreMemo


@dataclass(frozen=True)
class Entry:
    key: tuple[str, str]  # (site key, the file's sha256)
    company: object | None  # the validated model (None: the file had errors)
    document: object  # the released Document
    diagnostics: tuple[Diagnostic, ...]
    tiers: frozenset = frozenset()  # the tiers the file writes, when it had errors (validate.check_tiers)


def _digest(path: Path | str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None


class FileDigests:
    """The sha256 of files, read again only when a file's status changed (its modification and change times,
    size or inode): a rebuild after one edit reads one file, not the thousand unchanged ones.

    A file changed in the last :attr:`RACY_NS` is never trusted to its status — it is read every time — so an
    edit made within the clock's granularity of the previous read, at the same size, is still seen (git's
    "racily clean" entries)."""

    RACY_NS = 2_000_000_000

    def __init__(self) -> None:
        self._known: dict[str, tuple[tuple, str]] = {}

    def digest(self, path: Path | str) -> str | None:
        path = str(path)
        try:
            st = os.stat(path)
        except OSError:
            self._known.pop(path, None)
            return None
        status = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_dev)
        known = self._known.get(path)
        if known is not None and known[0] == status:
            return known[1]
        digest = _digest(path)
        if digest is not None and time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > self.RACY_NS:
            self._known[path] = (status, digest)
        else:
            self._known.pop(path, None)
        return digest


def site_key(site_source: str | None, day: _dt.date, files: FileDigests | None = None) -> str:
    """What every company file is validated against: site.yaml's bytes, the day and valuemap's version."""
    from . import __version__

    digest = (files.digest(site_source) if files is not None else _digest(site_source)) if site_source else "-"
    return f"{__version__}\0{day.isoformat()}\0{digest}"


class CompanyCache:
    """slug → :class:`Entry`, owned by one ``serve`` session (never shared, never global)."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self._scores: tuple | None = None  # (site, audience, day, inputs per slug, MarketScores)
        self.score_memo = ScoreMemo()  # each company's scores and quotes, the quality table (rescore.py)
        self._environment: tuple | None = None  # (templates folder, jinja2 environment)
        self._formatters: dict[tuple, object] = {}  # (lang, currency, decimals) → Formatter
        self.link_texts: dict = {}  # slug → (model, its texts that may link to a page: link_texts.linking_texts)
        self.files = FileDigests()  # every file's digest, by its status (also the site digest's: incremental.py)
        self.hits = 0  # files reused by the last validation (tests and timings read these)
        self.misses = 0

    def start(self) -> None:
        self.hits = self.misses = 0

    def get(self, slug: str, path: Path, site: str) -> tuple[Entry | None, tuple[str, str] | None]:
        """The entry for ``slug`` if its file and site are unchanged, and the key a new entry would have."""
        digest = self.files.digest(path)
        key = (site, digest) if digest is not None else None
        entry = self._entries.get(slug)
        if entry is not None and key is not None and entry.key == key:
            self.hits += 1
            return entry, key
        self.misses += 1
        return None, key

    def put(self, slug: str, key: tuple[str, str] | None, company, document, diagnostics,
            tiers: frozenset = frozenset()) -> None:
        if key is not None:
            self._entries[slug] = Entry(key, company, document, tuple(diagnostics), tiers)

    def forget(self, slug: str) -> None:
        self._entries.pop(slug, None)

    def keep_only(self, slugs) -> None:
        """Drop the entries of files that are gone."""
        for slug in set(self._entries) - set(slugs):
            del self._entries[slug]

    def market_scores(self, site, companies, audience: str, day: _dt.date, score):
        """``score(site, companies, audience, day, memo=…)``, or the previous result when what it reads is
        unchanged: the site, the audience, the day and each company's name, prices and scores. When some of it
        changed, the session's :class:`generator.rescore.ScoreMemo` keeps what did not (one company's price
        edited: its quotes are made again, not every company's scores and the quality table)."""
        inputs = {slug: (c.name, c.prices, c.scores) for slug, c in companies.items()}
        last = self._scores
        if (last is not None and last[1] == audience and last[2] == day and last[0] == site
                and last[3] == inputs):  # unchanged models compare by identity first: cheap
            return last[4]
        scores = score(site, companies, audience, day, memo=self.score_memo)
        self._scores = (site, audience, day, inputs, scores)
        return scores

    def environment(self, templates: Path, make):
        """The template environment for ``templates`` (``make()`` the first time, or for another folder)."""
        if self._environment is None or self._environment[0] != templates:
            self._environment = (templates, make())
        return self._environment[1]

    def formatter(self, lang: str, currency: str, decimals: int):
        """The number formats for these settings, kept for the session: a laid-out number is the same text on
        every rebuild, so its memo stays warm (a 1,000-company list page lays out ~2,000 numbers)."""
        from .formats import Formatter

        key = (lang, currency, decimals)
        kept = self._formatters.get(key)
        if kept is None:
            kept = self._formatters[key] = Formatter(lang, currency, decimals)
        return kept

    def file_digests(self, slugs) -> dict[str, str] | None:
        """The sha256 of each of ``slugs``' files as this validation read them (None if one is missing)."""
        out = {}
        for slug in slugs:
            entry = self._entries.get(slug)
            if entry is None:
                return None
            out[slug] = entry.key[1]
        return out
