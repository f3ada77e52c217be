"""Which content may link to the site's own pages: the narrative pages and the Markdown written in YAML, each
with the page it is shown on. A plain walk over the validated content (no Markdown parser, nothing heavy to
import): planning asks :func:`may_link` first, and only then imports :mod:`generator.links`, which parses and
checks them (``check``'s start-up stays light)."""
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


def may_link(content, known: dict | None = None) -> bool:
    """Whether any narrative page or YAML text holds something that may be a link to the site's own pages.

    ``known`` (``serve``: kept between its rebuilds, :class:`generator.company_cache.CompanyCache`): company
    slug → (its model, the answer for its texts). A company file that did not change keeps its model, so a
    rebuild after one edit looks at that company's texts only (a 1,000-company market: 26 ms → under 1)."""
    if any(may_hold_link(page.body) for page in content.pages.values()):
        return True
    if any(text and may_hold_link(text) for text, *_ in _site_texts(content.site)):
        return True
    if any(prospect.note and may_hold_link(prospect.note) for prospect in content.prospects.values()):
        return True
    if known is not None:
        for gone in set(known).difference(content.companies):
            del known[gone]
    for slug, company in content.companies.items():
        kept = known.get(slug) if known is not None else None
        if kept is not None and kept[0] is company:
            answer = kept[1]
        else:
            answer = any(text and may_hold_link(text) for text, _, _ in company_texts(company))
            if known is not None:
                known[slug] = (company, answer)
        if answer:
            return True
    return False


def yaml_texts(content):
    """The Markdown written in YAML, with the page it is shown on (the link's starting point): (text, page
    path, document id, field path, internal only). A company's texts are shown on its competitor page and
    battlecard, a segment's on its page and the segment list, a dimension's and its criteria's on the
    dimension's page, a prospect's note on its page — all one folder deep."""
    yield from _site_texts(content.site)
    for slug, company in content.companies.items():
        shown_on = page_path("competitor", slug)
        doc_id = f"company:{slug}"
        for text, field, internal in company_texts(company):
            yield text, shown_on, doc_id, field, internal
    for slug, prospect in content.prospects.items():
        yield prospect.note, "prospects/index.html", f"prospect:{slug}", ("note",), False


def _site_texts(site):
    """site.yaml's Markdown: each segment's and dimension's description, each criterion's."""
    for i, seg in enumerate(site.segments):
        yield seg.description, page_path("segment", seg.id), "site", ("segments", i, "description"), False
    for i, dim in enumerate(site.dimensions):
        yield dim.description, page_path("dimension", dim.id), "site", ("dimensions", i, "description"), False
        for j, crit in enumerate(dim.criteria):
            yield (crit.description, page_path("dimension", dim.id), "site",
                   ("dimensions", i, "criteria", j, "description"), False)


def company_texts(company):
    """A company's Markdown: (text, field path, internal only)."""
    yield company.summary, ("summary",), False
    for name in ("strengths", "weaknesses"):  # the other Markdown of a company (its notes are plain text)
        for i, item in enumerate(getattr(company, name)):
            yield item.text, (name, i, "text"), item.internal
    yield company.talk_track, ("talk_track",), True
    for i, objection in enumerate(company.objections):
        yield objection.response, ("objections", i, "response"), True
