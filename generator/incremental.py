"""Incremental builds for ``serve``: re-render only the pages whose inputs changed; reuse the others' files.

Correctness first — a page is reused only when every input it read is unchanged, so the site is byte-identical
to a full build (``tests/unit/test_incremental.py`` checks it). The scheme is the one of build systems that
record dynamic dependencies (redo, Shake): while a page renders, :mod:`generator.reads` records which
companies its view read; its **fingerprint** is a digest of

* the **site digest** — everything every page may read: valuemap's version, the audience and "today", every
  template and asset, every content file that is not a company file (site.yaml, pages, prospects, history),
  the plan (every page's kind, key and path, the prospect links), every company's slug and name (navigation,
  chart labels) and the number formats (their decimals come from every price);
* the **market digest** — the numbers behind every relative figure: each map's scenario, fair-value line,
  band and every company's position on it (relative quality and price, ranges, justified price, headroom,
  zone, rank…), plus every company's prices (the quotes the maps carry). A change to one company's scores or
  prices moves the market averages, hence this digest, hence the fingerprint of **every** page;
* the **digest of each read**: what the page read of each company, as :mod:`generator.reads` records it — a
  field of the company's validated model (``slug:summary``: the digest of that field's value, kept per file
  digest by :class:`Digests`), the whole company (``slug:``: the file's bytes), its scores (``slug:scores``,
  computed from that field) — or every company's file (``*``: the history, which holds every company's past).

Before a rebuild, each page's fingerprint is recomputed from the current digests with what it read *last
time*; if it equals the fingerprint stored then, the page reads the same inputs and renders the same bytes
(by induction over its reads: the first read that could differ is of an input whose digest changed), so its
previous file is kept. Every other page is rendered (and its reads recorded afresh). When the site and market
digests are unchanged, only the pages that read a company whose file changed are checked at all: the
:func:`read_index` (slug → the pages that read it, and what) names them, and a page is rendered again only if
the digest of one of those reads moved (:func:`_affected`). serve's folder is then updated in place — the
rendered pages moved over their old files, the others untouched (:mod:`generator.patch`); the first build,
and ``valuemap build``, still swap a whole new folder in.

So editing one company's summary re-renders its own page and the competitor list (the one list that shows
summaries); its talk track, its own pages; an evidence note (part of its scores), the pages that show its
scores; a score or a price, everything (correct: the market averages moved). Templates, site.yaml or another
content file: everything. Builds with translated content (``languages``) always render everything
(translations are read outside the tracked mappings).
``serve`` also keeps validated company files and the market's scores between rebuilds while their inputs are
unchanged (:mod:`generator.company_cache`).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from .reads import ALL


@dataclass
class SiteState:
    """What an incremental build needs to know about the site it built last (kept by ``serve`` in memory)."""

    out: Path
    site: str  # site digest
    market: str
    companies: dict[str, str]  # slug → company digest
    pages: dict[str, tuple[str, tuple[str, ...]]]  # path → (fingerprint, what it read: reads.read_key()s)
    rendered: tuple[str, ...] = ()  # the pages the last build rendered (the others were reused)
    reused: tuple[str, ...] = field(default=(), repr=False)
    fields: dict = field(default_factory=dict, repr=False)  # (company digest, field) → the field's digest
    market_inputs: tuple = field(default=(), repr=False)  # what the market digest was made from (market_inputs)
    files: dict = field(default_factory=dict, repr=False)  # every file written → its size (generator/patch.py)
    readers: dict = field(default_factory=dict, repr=False)  # slug (or ALL) → the pages that read it (read_index)
    positions: tuple = field(default=(), repr=False)  # (the maps, their positions, the positions file's text)


class Digests:
    """The digest of each thing a page may read (see the module docstring and :func:`generator.reads.read_key`).

    A field's digest is made from the field's value in the validated model (its ``repr``: every nested value)
    and kept per (company digest, field), so an unchanged file's fields are never digested twice."""

    def __init__(self, site: str, market: str, companies: dict[str, str], models, known: dict | None = None):
        self.site, self.market, self.companies = site, market, companies
        self.models = models  # slug → validated company (a plain mapping, never the tracked one)
        self.known = dict(known or {})

    def of(self, read: str) -> str:
        slug, _, name = read.partition(":")
        company = self.companies.get(slug, "-")
        if not name:
            return company
        key = (company, name)
        digest = self.known.get(key)
        if digest is None:
            model = self.models.get(slug)
            value = getattr(model, name, None) if model is not None else None
            digest = self.known[key] = hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).hexdigest()
        return digest

    def current(self) -> dict:
        """The field digests of the companies as they are now (those of changed or removed files dropped)."""
        alive = set(self.companies.values())
        return {key: value for key, value in self.known.items() if key[0] in alive}


def _files_digest(h, root: Path, skip: set[str] = frozenset(), files=None) -> None:
    """Every file below ``root`` but ``skip`` (absolute paths): its path and bytes. ``files`` (serve): a
    :class:`generator.company_cache.FileDigests` that reads a file again only when it changed."""
    root_text = str(root)
    for folder, dirs, names in os.walk(root_text):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = os.path.join(folder, name)
            if name.startswith(".") or path in skip:
                continue
            h.update(os.path.relpath(path, root_text).encode("utf-8", "surrogateescape") + b"\0")
            if files is not None:
                digest = files.digest(path)
                h.update(digest.encode() if digest is not None else b"?")
                continue
            try:
                with open(path, "rb") as fh:
                    h.update(hashlib.sha256(fh.read()).hexdigest().encode())
            except OSError:
                h.update(b"?")


def company_files(content) -> dict[str, Path]:
    # Absolute by string (os.path.abspath), not Path.resolve(): a thousand files, two system calls each, on
    # every rebuild. The content folder is walked from its absolute path the same way (site_digest), so the
    # two agree; a content folder reached through a symbolic link only makes the site digest include them.
    files, out, folders = content.files, {}, {}
    for slug in dict.keys(content.companies):
        path = files.get(f"company:{slug}")
        if path is not None:
            folder, name = os.path.split(str(path))
            if folder not in folders:  # one folder for them all: made absolute once
                folders[folder] = os.path.abspath(folder or ".")
            out[slug] = Path(os.path.join(folders[folder], name))
    return out


def site_digest(content_dir: Path, templates: Path, ctx, audience: str, files=None) -> str:
    from . import __version__

    content = ctx.content
    h = hashlib.sha256()
    h.update(repr((__version__, audience, ctx.scores.today, dict(ctx.asset_paths))).encode())
    _files_digest(h, Path(templates).resolve(), files=files)
    _files_digest(h, Path(os.path.abspath(content_dir)), {str(p) for p in company_files(content).values()}, files)
    plan = ctx.plan
    h.update(repr((plan.audience, plan.pages, plan.notes, plan.prospect_links, sorted(plan.withheld))).encode())
    h.update(repr([(slug, c.name) for slug, c in dict.items(content.companies)]).encode())
    h.update(repr(sorted((k, v) for k, v in vars(ctx.fmt).items() if isinstance(v, (str, int, float, type(None))))
                  ).encode())
    h.update(repr(sorted(ctx.decimals.items())).encode())  # a measured criterion's decimals: on every page of it
    return h.hexdigest()


def market_digest(ctx) -> str:
    """Canonical text, never pickle: pickle's bytes depend on which objects happen to be shared (a cache warm
    on the second load shares more), so equal values could give different digests."""
    import orjson

    h = hashlib.sha256()
    for slug, company in dict.items(ctx.content.companies):
        h.update(slug.encode() + b"\0")
        h.update(orjson.dumps([p.model_dump(mode="json") for p in company.prices], option=orjson.OPT_SORT_KEYS))
    for vmap in ctx.scores.maps():
        positions = [tuple(getattr(p, f.name) for f in fields(p) if f.name != "quote") for p in vmap.positions]
        h.update(repr((vmap.scenario, vmap.comparison, vmap.quality_ratio, vmap.rank_by, vmap.line, vmap.band,
                       positions, vmap.unplaced)).encode())
    return h.hexdigest()


def market_inputs(ctx) -> tuple:
    """The objects the market digest is made from: when the maps are the very objects of the last build (serve
    kept the scores: generator/company_cache.py) and every company's prices are equal, the digest is the last
    one."""
    return (tuple(ctx.scores.maps()), tuple(c.prices for c in dict.values(ctx.content.companies)))


def market_digest_since(ctx, previous: "SiteState | None") -> tuple[str, tuple]:
    inputs = market_inputs(ctx)
    last = previous.market_inputs if previous is not None else ()
    if last and len(last[0]) == len(inputs[0]) and len(last[1]) == len(inputs[1]) \
            and all(a is b for a, b in zip(last[0], inputs[0])) \
            and all(a is b or a == b for a, b in zip(last[1], inputs[1])):  # an edited file: a new, equal list
        return previous.market, inputs
    return market_digest(ctx), inputs


def company_digests(content) -> dict[str, str]:
    out = {}
    for slug, path in company_files(content).items():
        try:
            out[slug] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            out[slug] = "?"
    for slug in dict.keys(content.companies):  # a company without a file (never, today): always re-rendered
        out.setdefault(slug, os.urandom(8).hex())
    return out


def fingerprint(digests: Digests, reads: tuple[str, ...]) -> str:
    h = hashlib.sha256(f"{digests.site}\0{digests.market}\0".encode())
    if ALL in reads:
        for slug in sorted(digests.companies):
            h.update(f"{slug}={digests.companies[slug]}\0".encode())
    for read in reads:
        if read != ALL:
            h.update(f"{read}={digests.of(read)}\0".encode())
    return h.hexdigest()


def supported(content) -> bool:
    """Incremental builds need every company read to go through the tracked mappings: translated company
    fields (read from ``content.translations``) and multi-language builds always render everything. The
    translations of site.yaml and of the other content files (pages…) are in the site digest."""
    translations = getattr(content, "translations", None) or {}
    documents = {str(key[0] if isinstance(key, tuple) else key) for key in translations}
    if any(doc.startswith("compan") for doc in documents):  # "company:<slug>": read beside the tracked mapping
        return False
    return not getattr(content.site, "languages", None)


@dataclass
class Decision:
    render: list  # planned pages to render
    reuse: list  # planned pages whose previous file is linked
    digests: Digests
    market_inputs: tuple = ()


def _by_slug(reads: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for read in reads:
        out.setdefault(read.partition(":")[0], []).append(read)
    return {slug: tuple(keys) for slug, keys in out.items()}


def read_index(pages: dict, previous: dict | None = None, changed: dict | None = None) -> dict:
    """slug (or ALL) → {page path → what that page read of it}: the dependency map from content to pages.

    From scratch (``pages``: path → (fingerprint, reads)), or ``previous`` brought up to date for the pages in
    ``changed`` (path → their reads last time, or None for a new page): a few slugs' maps are copied, never
    the whole index (``previous`` is left as it was)."""
    if previous is None:
        index: dict[str, dict] = {}
        for path, (_, reads) in pages.items():
            for slug, keys in _by_slug(reads).items():
                index.setdefault(slug, {})[path] = keys
        return index
    index = dict(previous)
    copied: set[str] = set()

    def own(slug: str) -> dict:
        if slug not in copied:
            index[slug] = dict(index.get(slug, ()))
            copied.add(slug)
        return index[slug]

    for path, old_reads in (changed or {}).items():
        for slug in _by_slug(old_reads or ()):
            own(slug).pop(path, None)
        if path in pages:
            for slug, keys in _by_slug(pages[path][1]).items():
                own(slug)[path] = keys
    return index


def _affected(previous: SiteState, digests: "Digests") -> set[str] | None:
    """The pages that read something that changed since ``previous``; None when that cannot be told from the
    reads alone (the site or market digest moved: every fingerprint did), and every page must be checked.

    A page's fingerprint is made from the site and market digests and the digest of each thing it read
    (:func:`fingerprint`): when those of the reads of every changed company are as they were (its talk track
    changed, the page read its name), the fingerprint is the stored one, without hashing the page's reads again."""
    if previous.site != digests.site or previous.market != digests.market or not previous.readers and previous.pages:
        return None
    companies, before = digests.companies, previous.companies
    changed = [slug for slug in set(companies) | set(before) if companies.get(slug) != before.get(slug)]
    affected: set[str] = set()
    if not changed:
        return affected
    affected.update(previous.readers.get(ALL, ()))
    for slug in changed:
        was = before.get(slug, "-")
        for path, reads in previous.readers.get(slug, {}).items():
            if path in affected:
                continue
            for read in reads:
                field_name = read.partition(":")[2]
                old = previous.fields.get((was, field_name)) if field_name else was
                if old is None or old != digests.of(read):
                    affected.add(path)
                    break
    return affected


def decide(previous: SiteState | None, out: Path, pages, site: str, market: str,
           companies: dict[str, str], models, market_inputs: tuple = ()) -> Decision:
    usable = previous is not None and previous.out == out
    digests = Digests(site, market, companies, models, previous.fields if usable else None)
    affected = _affected(previous, digests) if usable else None
    render, reuse = [], []
    for page in pages:
        old = previous.pages.get(page.path) if usable else None
        if old is not None and (page.path not in affected if affected is not None
                                else fingerprint(digests, old[1]) == old[0]) \
                and os.path.isfile(f"{out}/{page.path}"):
            reuse.append(page)
        else:
            render.append(page)
    return Decision(render, reuse, digests, market_inputs)


def kept_positions(previous: SiteState | None, out: Path, ctx) -> tuple | None:
    """(maps, positions, file text) of the last build into ``out`` when its maps are the very objects this
    build shows (serve kept the scores: generator/company_cache.py): the positions file is the same."""
    if previous is None or previous.out != out or not previous.positions:
        return None
    maps = tuple(ctx.scores.maps())
    last = previous.positions[0]
    if len(last) == len(maps) and all(a is b for a, b in zip(last, maps)):
        return previous.positions
    return None


def next_state(out: Path, decision: Decision, previous: SiteState | None, records, files: dict | None = None,
               positions: tuple = ()) -> SiteState:
    pages: dict[str, tuple[str, tuple[str, ...]]] = {}
    for page in decision.reuse:
        pages[page.path] = previous.pages[page.path]
    digests = decision.digests
    for record in records:
        reads = record.reads if record.reads is not None else (ALL,)
        pages[record.path] = (fingerprint(digests, reads), reads)
    if previous is not None and previous.readers and previous.out == out:
        changed = {r.path: (previous.pages[r.path][1] if r.path in previous.pages else None) for r in records}
        changed.update((path, previous.pages[path][1]) for path in set(previous.pages) - set(pages))  # gone
        readers = read_index(pages, previous.readers, changed)
    else:
        readers = read_index(pages)
    return SiteState(out, digests.site, digests.market, digests.companies, pages,
                     tuple(r.path for r in records), tuple(p.path for p in decision.reuse), digests.current(),
                     decision.market_inputs, dict(files or {}), readers, positions)
