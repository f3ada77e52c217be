"""The root of a multi-language site (``index.html``): a redirect (no script) to the first language's home,
and a link to each language with its ``hreflang``, for readers and crawlers that do not follow it.
"""
from __future__ import annotations

from typing import Mapping

from .common import Links
from .frame import absolute_url
from .languages import autonym


def languages_view(ctx, page) -> dict:
    """The root of a multi-language site: a redirect to the first language, and a link to each."""
    variants: Mapping = ctx.variants
    first = ctx.plan.languages[0]
    here = variants[first]
    links = Links(here, page)
    entries = []
    for lang, vctx in variants.items():
        home = vctx.plan.find("home")
        entries.append({"lang": lang, "label": autonym(lang), "href": links.to(home.path),
                        "url": absolute_url(vctx, home.path) or links.to(home.path),
                        "title": vctx.site.title})
    return {"lang": first, "t": here.t, "title": here.site.title, "entries": entries,
            "redirect": entries[0]["href"],
            "text": here.t("languages.redirect", language=entries[0]["label"]),
            "css": links.to(here.asset_paths["css"]), "robots": "noindex"}
