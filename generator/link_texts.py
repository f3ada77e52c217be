"""Which content may link to the site's own pages: the narrative pages and the Markdown written in YAML, each
with the page it is shown on. A plain walk over the validated content (no Markdown parser, nothing heavy to
import): planning asks :func:`linking_texts` for the texts that may hold a link, and imports
:mod:`generator.links`, which parses and checks them, only when there are some (``check``'s start-up stays
light)."""
from __future__ import annotations

import re

from .plan import page_path

_NOT_ELSEWHERE = r"(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|//)"  # after an atomic group: no backtracking into the spaces
# Each starts with its literal, which the regular-expression engine finds at C speed: one pattern with the
# three as alternatives was tried at every position of the text (0.1 s over a 1,000-company market's texts;
# these: 0.02 s, most texts ruled out by a substring test before any pattern runs).
_INLINE = re.compile(r"\]\((?>\s*<?\s*)" + _NOT_ELSEWHERE)
_DEFINITION = re.compile(r"\]:(?>\s*<?\s*)" + _NOT_ELSEWHERE)
_RAW = re.compile(r"""href(?>\s*=\s*["']?\s*)""" + _NOT_ELSEWHERE, re.I)


def may_hold_link(text: str) -> bool:
    """Whether ``text`` holds what every link to the site's own pages contains: an inline link's "](", a
    reference definition's "]:" or raw HTML's href, not followed by a scheme (https:), another host (//) or
    only a fragment (an autolink needs a scheme: it never leads to a page of the site). A text without it is
    not parsed. (A link to the site's full address is not looked for: the external build still withholds it.)
    A raw href is looked for only in a text with an "=" (one character: found at C speed; lowering the case
    of every text first took a third of the whole test)."""
    if "](" in text and _INLINE.search(text):
        return True
    if "]:" in text and _DEFINITION.search(text):
        return True
    return "=" in text and ("href" in text or "href" in text.lower()) and _RAW.search(text) is not None


def linking_texts(content, known: dict | None = None) -> tuple[list, list]:
    """The narrative pages ``(slug, page)``, in slug order, and the Markdown written in YAML ``(text, page path,
    document id, field path, internal only)`` that may hold a link to the site's own pages (:func:`may_hold_link`):
    what :func:`generator.links.check_links` parses. A company's texts are shown on its competitor page and
    battlecard, a segment's on its page and the segment list, a dimension's and its criteria's on the
    dimension's page, a prospect's note on its page — all one folder deep.

    ``known`` (``serve``: kept between its rebuilds, :class:`generator.company_cache.CompanyCache`): company
    slug → (its model, its texts that may hold a link). A company file that did not change keeps its model, so a
    rebuild after one edit looks at that company's texts only (a 1,000-company market: 26 ms → under 1)."""
    pages = [(slug, page) for slug, page in sorted(content.pages.items()) if may_hold_link(page.body)]
    texts = [t for t in _site_texts(content.site) if t[0] and may_hold_link(t[0])]
    if known is not None:
        for gone in set(known).difference(content.companies):
            del known[gone]
    for slug, company in content.companies.items():
        kept = known.get(slug) if known is not None else None
        if kept is not None and kept[0] is company:
            found = kept[1]
        else:
            found = tuple(t for t in _company_texts(company) if t[0] and may_hold_link(t[0]))
            if known is not None:
                known[slug] = (company, found)
        if found:
            shown_on, doc_id = page_path("competitor", slug), f"company:{slug}"
            texts.extend((text, shown_on, doc_id, field, internal) for text, field, internal in found)
    texts.extend((prospect.note, "prospects/index.html", f"prospect:{slug}", ("note",), False)
                 for slug, prospect in content.prospects.items() if prospect.note and may_hold_link(prospect.note))
    return pages, texts


def every_text(content):
    """Every Markdown text a page may show, unfiltered — ``(text, document id, field path, internal only)``,
    and each narrative page's body as ``(body, page)``: where a prospect page's address is looked for
    (:func:`generator.links.check_prospect_addresses`), whatever host it is written with."""
    for slug, page in sorted(content.pages.items()):
        yield page.body, page, ("body",), False
    for text, _, doc_id, field, internal in _site_texts(content.site):
        yield text, doc_id, field, internal
    for slug, company in content.companies.items():
        for text, field, internal in _company_texts(company):
            yield text, f"company:{slug}", field, internal
    for slug, prospect in content.prospects.items():
        yield prospect.note, f"prospect:{slug}", ("note",), False


def _site_texts(site):
    """site.yaml's Markdown: each segment's and dimension's description, each criterion's."""
    for i, seg in enumerate(site.segments):
        yield seg.description, page_path("segment", seg.id), "site", ("segments", i, "description"), False
    for i, dim in enumerate(site.dimensions):
        yield dim.description, page_path("dimension", dim.id), "site", ("dimensions", i, "description"), False
        for j, crit in enumerate(dim.criteria):
            yield (crit.description, page_path("dimension", dim.id), "site",
                   ("dimensions", i, "criteria", j, "description"), False)


def _company_texts(company):
    """A company's Markdown: (text, field path, internal only)."""
    yield company.summary, ("summary",), False
    for name in ("strengths", "weaknesses"):  # the other Markdown of a company (its notes are plain text)
        for i, item in enumerate(getattr(company, name)):
            yield item.text, (name, i, "text"), item.internal
    yield company.talk_track, ("talk_track",), True
    for i, objection in enumerate(company.objections):
        yield objection.response, ("objections", i, "response"), True
