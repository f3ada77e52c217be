"""Languages on the pages of a multi-language build (generator/languages.py): the language switch and the
``hreflang`` alternates of every page, and the root page that redirects to the first language.
"""
from __future__ import annotations

from typing import Any, Callable


def autonym(lang: str) -> str:
    """A language's name in itself: English, 日本語, Русский, Eesti."""
    from babel import Locale

    name = Locale.parse(lang.replace("-", "_")).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


def language_links(ctx, page, links, absolute: Callable[[Any, str], str | None]) -> dict:
    """The language switch and the ``hreflang`` alternates of one page (empty in a single-language build).

    ``switch``: relative links (they work from file://); ``alternates``: absolute URLs when base_url is
    absolute (what crawlers want), else the same relative links; ``x_default``: the root's redirect."""
    langs = getattr(ctx.plan, "languages", ())
    if not langs or not page.lang:
        return {"switch": [], "alternates": [], "x_default": None}
    prefix = page.lang + "/"
    rest = page.path[len(prefix):] if page.path.startswith(prefix) else page.path
    switch, alternates = [], []
    for lang in langs:
        target = f"{lang}/{rest}"
        href = links.to(target)
        switch.append({"lang": lang, "label": autonym(lang), "href": href, "current": lang == page.lang})
        alternates.append({"lang": lang, "href": absolute(ctx, target) or href})
    return {"switch": switch, "alternates": alternates,
            "x_default": absolute(ctx, "index.html") or links.to("index.html")}
