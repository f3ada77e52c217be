"""The valid part of a file that failed its shape check (part of stage 2, validate): so one typo never hides the
file's other problems, the reference checks run on what is left, and their messages about what was left out
are dropped (:meth:`Salvaged.unaffected`).

* A key the model does not have goes; one that reads like a field absent at its place (``nmae`` for ``name``,
  ``units`` for ``unit``, ``critera`` for ``criteria``) is read as that field — what the author meant — so the
  later checks do not use the field's default in its place (the unknown key is reported all the same).
* A value that fails goes, and if its container then fails (a price item without its price, a score without
  its evidence), the container goes in the next round. A list loses the item *and the items after it*: the
  items kept keep their index, so every later message names the right item and line (the items cut off had
  their own shape problems reported already; their reference checks wait for the next run).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

from pydantic import ValidationError

from . import model as m
from .diagnostics import did_you_mean, format_path
from .model_errors import allowed_keys, value_at
from .yaml_reader import Document

UNKNOWN_KEY = "extra_forbidden"  # pydantic's error type for a key the model does not have
UNKNOWN_KEYS = frozenset({UNKNOWN_KEY})
ROUNDS = 8  # a removal can make its container fail in turn (a price without its price): a few rounds


def _under(path: str, prefix: str) -> bool:
    """``path`` is ``prefix`` or lies inside it, segment by segment ('summary_reviewed' is not in 'summary')."""
    return path == prefix or (path.startswith(prefix) and path[len(prefix)] in ".[")


@dataclass
class Salvaged:
    model: m._Model
    removed: list[str] = field(default_factory=list)  # left out: nothing is said of them, inside or around them
    renamed: list[str] = field(default_factory=list)  # read under the name meant: nothing is said of them

    def unaffected(self, path: str | None) -> bool:
        """Whether a later message about ``path`` still holds for the file as written."""
        if not path:
            return True
        if any(_under(path, r) or _under(r, path) for r in self.removed):
            return False
        return not any(_under(path, r) for r in self.renamed)


def salvage(doc: Document, model: type[m._Model], only: frozenset[str] | None = None) -> Salvaged | None:
    """The document without what failed the shape check, if that validates (None: nothing to salvage).
    ``only``: the kinds of problem (pydantic error types) that may be salvaged; any other gives None."""
    data = copy.deepcopy(doc.data)
    out = Salvaged(None)
    for _ in range(ROUNDS):
        try:
            out.model = model.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        else:
            return out if out.removed or out.renamed else None  # nothing failed
        errors = _read_as_meant(data, model, errors, out.renamed)
        if only is not None and any(err["type"] not in only for err in errors):
            return None
        targets = set()
        for err in errors:
            loc = _path(err)
            if err["type"] == "missing":  # the object that lacks the field goes
                loc = loc[:-1]
            if not loc:  # the document itself fails: nothing to salvage
                return None
            targets.add(loc)
        for loc in sorted(targets, key=len):
            if any(loc[:k] in targets for k in range(1, len(loc))):
                continue  # goes with its container
            parent = value_at(data, loc[:-1])
            try:
                if isinstance(parent, dict):
                    del parent[loc[-1]]
                elif isinstance(parent, list) and isinstance(loc[-1], int):
                    del parent[loc[-1]:]
                else:
                    return None
            except (KeyError, IndexError, TypeError):
                continue  # a list cut shorter already took it
            out.removed.append(format_path(list(loc)))
    return None


def _path(err) -> tuple:
    return tuple(p for p in err["loc"] if p not in m.UNION_TAGS)


def _read_as_meant(data, model: type[m._Model], errors: list[dict], renamed: list[str]) -> list[dict]:
    """Each unknown key that reads like a field absent from its mapping takes that field's name (a required
    field reported missing first, then any other). Returns the errors still to salvage."""
    handled = set()
    missing = {_path(err) for err in errors if err["type"] == "missing"}
    unknown = [err for err in errors if err["type"] == UNKNOWN_KEY and _path(err)
               and isinstance(_path(err)[-1], str)]
    for err in sorted(unknown, key=lambda e: not any(u[:-1] == _path(e)[:-1] for u in missing)):
        loc = _path(err)
        parent = value_at(data, loc[:-1])
        if not isinstance(parent, dict) or loc[-1] not in parent:
            continue
        absent = [name for name in allowed_keys(model, tuple(err["loc"])) if name not in parent]
        wanted = [u[-1] for u in missing if u[:-1] == loc[:-1] and isinstance(u[-1], str)]
        meant = did_you_mean(loc[-1], wanted) or did_you_mean(loc[-1], absent)
        if meant is None or did_you_mean(meant, [loc[-1]]) != loc[-1]:
            continue
        parent[meant] = parent.pop(loc[-1])
        handled.update({loc, loc[:-1] + (meant,)})
        renamed.append(format_path(list(loc[:-1] + (meant,))))
    return [err for err in errors if _path(err) not in handled]
