"""Incremental builds for ``serve``: re-render only the pages whose inputs changed; reuse the others' files.

Correctness first — a page is reused only when every input it read is unchanged, so the site is byte-identical
to a full build (``tests/unit/test_incremental.py`` checks it). The scheme is the one of build systems that
record dynamic dependencies (redo, Shake): while a page renders, :mod:`generator.parallel` records which
companies its view read; its **fingerprint** is a digest of

* the **site digest** — everything every page may read: valuemap's version, the audience and "today", every
  template and asset, every content file that is not a company file (site.yaml, pages, prospects, history),
  the plan (every page's kind, key and path, the prospect links), every company's slug and name (navigation,
  chart labels) and the number formats (their decimals come from every price);
* the **market digest** — the numbers behind every relative figure: each map's scenario, fair-value line,
  band and every company's position on it (relative quality and price, ranges, justified price, headroom,
  zone, rank…), plus every company's prices (the quotes the maps carry). A change to one company's scores or
  prices moves the market averages, hence this digest, hence the fingerprint of **every** page;
* the **digest of each read**: what the page read of each company, as :mod:`generator.parallel` records it — a
  field of the company's validated model (``slug:summary``: the digest of that field's value, kept per file
  digest by :class:`Digests`), the whole company (``slug:``: the file's bytes), its scores (``slug:scores``,
  computed from that field) — or every company's file (``*``: the history, which holds every company's past).

Before a rebuild, each page's fingerprint is recomputed from the current digests with what it read *last
time*; if it equals the fingerprint stored then, the page reads the same inputs and renders the same bytes
(by induction over its reads: the first read that could differ is of an input whose digest changed), so its
previous file is hard-linked into the new temporary folder instead. Every other page is rendered (and its
reads recorded afresh). The atomic swap is unchanged.

So editing one company's summary re-renders its own page and the competitor list (the one list that shows
summaries); its talk track, its own pages; an evidence note (part of its scores), the pages that show its
scores; a score or a price, everything (correct: the market averages moved). Templates, site.yaml or another content file: everything. Builds with translated
content (``languages``) always render everything (translations are read outside the tracked mappings).
``serve`` also keeps validated company files and the market's scores between rebuilds while their inputs are
unchanged (:mod:`generator.company_cache`).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from .parallel import ALL


@dataclass
class SiteState:
    """What an incremental build needs to know about the site it built last (kept by ``serve`` in memory)."""

    out: Path
    site: str  # site digest
    market: str
    companies: dict[str, str]  # slug → company digest
    pages: dict[str, tuple[str, tuple[str, ...]]]  # path → (fingerprint, what it read: parallel.read_key()s)
    rendered: tuple[str, ...] = ()  # the pages the last build rendered (the others were reused)
    reused: tuple[str, ...] = field(default=(), repr=False)
    fields: dict = field(default_factory=dict, repr=False)  # (company digest, field) → the field's digest
    market_inputs: tuple = field(default=(), repr=False)  # what the market digest was made from (market_inputs)


class Digests:
    """The digest of each thing a page may read (see the module docstring and :func:`generator.parallel.read_key`).

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


def _files_digest(h, root: Path, skip: set[Path] = frozenset()) -> None:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith(".") or path in skip:
                continue
            h.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0")
            try:
                h.update(hashlib.sha256(path.read_bytes()).digest())
            except OSError:
                h.update(b"?")


def company_files(content) -> dict[str, Path]:
    # Absolute by string (os.path.abspath), not Path.resolve(): a thousand files, two system calls each, on
    # every rebuild. The content folder is walked from its absolute path the same way (site_digest), so the
    # two agree; a content folder reached through a symbolic link only makes the site digest include them.
    return {slug: Path(os.path.abspath(content.files[f"company:{slug}"]))
            for slug in dict.keys(content.companies) if f"company:{slug}" in content.files}


def site_digest(content_dir: Path, templates: Path, ctx, audience: str) -> str:
    from . import __version__

    content = ctx.content
    h = hashlib.sha256()
    h.update(repr((__version__, audience, ctx.scores.today, dict(ctx.asset_paths))).encode())
    _files_digest(h, Path(templates).resolve())
    _files_digest(h, Path(os.path.abspath(content_dir)), set(company_files(content).values()))
    plan = ctx.plan
    h.update(repr((plan.audience, plan.pages, plan.notes, plan.prospect_links)).encode())
    h.update(repr([(slug, c.name) for slug, c in dict.items(content.companies)]).encode())
    h.update(repr(sorted((k, v) for k, v in vars(ctx.fmt).items() if isinstance(v, (str, int, float, type(None))))
                  ).encode())
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


def decide(previous: SiteState | None, out: Path, pages, site: str, market: str,
           companies: dict[str, str], models, market_inputs: tuple = ()) -> Decision:
    usable = previous is not None and previous.out == out
    digests = Digests(site, market, companies, models, previous.fields if usable else None)
    render, reuse = [], []
    for page in pages:
        old = previous.pages.get(page.path) if usable else None
        if old is not None and fingerprint(digests, old[1]) == old[0] and os.path.isfile(f"{out}/{page.path}"):
            reuse.append(page)
        else:
            render.append(page)
    return Decision(render, reuse, digests, market_inputs)


def next_state(out: Path, decision: Decision, previous: SiteState | None, records) -> SiteState:
    pages: dict[str, tuple[str, tuple[str, ...]]] = {}
    for page in decision.reuse:
        pages[page.path] = previous.pages[page.path]
    digests = decision.digests
    for record in records:
        reads = record.reads if record.reads is not None else (ALL,)
        pages[record.path] = (fingerprint(digests, reads), reads)
    return SiteState(out, digests.site, digests.market, digests.companies, pages,
                     tuple(r.path for r in records), tuple(p.path for p in decision.reuse), digests.current(),
                     decision.market_inputs)
