"""What moved on the maps since the previous build into the same folder: every company's rank, zone and
justified price on each map, as its pages show them, kept in the site (:data:`STATE_FILE`) and compared with
the next build's (``valuemap build`` reports the moves)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .views.common import SiteContext

# The positions of the last build, kept in the site for "what moved" (see :func:`positions`); listed in the
# manifest like every file valuemap writes. Not a dot-file: a site from before manifests carries dot-entries
# over. It holds only what the pages already show.
STATE_FILE = "valuemap-positions.json"
STATE_VERSION = 1


@dataclass(frozen=True)
class Change:
    what: str  # "rank" | "zone" | "justified" | "placed" (newly on the map) | "unplaced" (left the map)
    before: object
    after: object


@dataclass(frozen=True)
class Move:
    map_id: str  # "overall" or "segment:<id>"
    map_label: str
    slug: str
    name: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Moved:
    """The companies whose rank, zone or justified price changed on any map since the previous build."""

    first_build: bool  # no previous positions to compare with (a new folder, or one from another audience)
    moves: tuple[Move, ...] = ()

    def as_dict(self) -> dict:
        return {"first_build": self.first_build,
                "moves": [{"map": m.map_id, "map_label": m.map_label, "company": m.slug, "name": m.name,
                           "changes": {c.what: {"before": c.before, "after": c.after} for c in m.changes}}
                          for m in self.moves]}


def positions(ctx: SiteContext) -> dict:
    """Where every company stands on the overall map and on each segment map, as its pages show it: rank, zone
    and the justified price as formatted on the page. Only what the built pages already show (an external
    build's state holds the external scores only)."""
    site, scores, fmt = ctx.site, ctx.scores, ctx.fmt
    maps = [("overall", "overall map", scores.overall)]
    maps += [(f"segment:{s.id}", f"segment {s.label}", scores.segments[s.id]) for s in site.segments
             if s.id in scores.segments]
    return {
        "valuemap_positions": STATE_VERSION,
        "audience": scores.audience,
        "maps": [{"id": map_id, "label": label,
                  "companies": [{"slug": p.slug, "name": p.name, "rank": p.rank, "zone": p.zone,
                                 "justified": fmt.money(p.justified_price)} for p in vmap.positions]}
                 for map_id, label, vmap in maps],
    }


def state_text(state: dict) -> str:
    """Deterministic: the same content writes the same bytes. orjson: 1,000 companies in ~5 ms, not ~60."""
    import orjson

    return orjson.dumps(state, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode("utf-8") + "\n"


def read_positions(out: Path) -> dict | None:
    """The positions the previous build wrote into ``out`` (only if its manifest lists them), else None."""
    from .site_folder import MARKER, read_manifest

    marker = out / MARKER
    try:
        if not marker.is_file() or STATE_FILE not in (read_manifest(marker) or ()):
            return None
        state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("valuemap_positions") != STATE_VERSION:
        return None
    return state


def compare_positions(previous: dict | None, current: dict) -> Moved:
    """What moved between two position states, map by map, company by company (in the current rank order)."""
    if previous is None or previous.get("audience") != current.get("audience"):
        return Moved(first_build=True)
    if previous is current:  # serve kept them (incremental.kept_positions)
        return Moved(first_build=False)
    try:
        before_maps = {m["id"]: {c["slug"]: c for c in m["companies"]} for m in previous["maps"]}
    except (KeyError, TypeError):
        return Moved(first_build=True)
    moves: list[Move] = []
    for vmap in current["maps"]:
        before = before_maps.get(vmap["id"])
        if before is None:  # a new segment: nothing to compare with
            continue
        seen = set()
        for now in vmap["companies"]:
            seen.add(now["slug"])
            was = before.get(now["slug"])
            if was is None:
                changes = [Change("placed", None, now["rank"])]
            else:
                changes = [Change(key, was.get(key), now[key]) for key in ("rank", "zone", "justified")
                           if was.get(key) != now[key]]
            if changes:
                moves.append(Move(vmap["id"], vmap["label"], now["slug"], now["name"], tuple(changes)))
        for slug, was in before.items():
            if slug not in seen:
                moves.append(Move(vmap["id"], vmap["label"], slug, str(was.get("name", slug)),
                                  (Change("unplaced", was.get("rank"), None),)))
    return Moved(first_build=False, moves=tuple(moves))
