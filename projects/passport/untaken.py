"""What of an imported passport document no attribute takes.

An import reads each attribute at its path (:mod:`.paths`); whatever else the document holds is
found here as the largest parts no attribute path reaches into, each under a path
:func:`.paths.set_path` writes it back at. An element of a list that an attribute selects by a
field (``carbonFootprint[lifecycle=total]``) is found by that field; one without a text value of
it (or with the value of an element before it) cannot be written back apart from the others.
"""

from __future__ import annotations

import copy
from typing import Any

from cellwright.projects.passport.paths import parse_path

__all__ = ["leaves", "untaken"]

_Step = tuple[str, "str | None", "str | None"]
#: characters a name in a path cannot hold
_NOT_IN_NAME = set("/[]{}")


def _claim(path: str) -> list[_Step]:
    """The steps of an attribute path, a wrapped value (``{value}``) as a last step of its own:
    the wrapper's other fields (its time) are not the attribute's value."""
    steps, wrap = parse_path(path)
    return [*steps, (wrap, None, None)] if wrap else steps


def untaken(document: dict, taken: list[str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """``({path: value}, [(path, why not)])``: what of ``document`` lies outside the attribute
    paths ``taken``, with paths to write it back at, and what has no such path."""
    kept: dict[str, Any] = {}
    lost: list[tuple[str, str]] = []
    _walk(document, [_claim(p) for p in taken], "", kept, lost)
    return kept, lost


def _walk(node: Any, claims: list[list[_Step]], at: str, kept: dict, lost: list) -> None:
    if any(not claim for claim in claims):
        return  # the whole node is an attribute's value
    if not isinstance(node, dict):
        kept[at] = copy.deepcopy(node)
        return
    for key, child in node.items():
        here = f"{at}/{key}"
        mine = [claim for claim in claims if claim[0][0] == key]
        if _NOT_IN_NAME & set(key):
            lost.append((here, "a name with / [ ] { } cannot be written back"))
        elif not mine:
            kept[here] = copy.deepcopy(child)
        elif isinstance(child, list) and any(claim[0][1] for claim in mine):
            _walk_list(child, mine, here, kept, lost)
        else:
            _walk(child, [claim[1:] for claim in mine], here, kept, lost)


def _walk_list(items: list, claims: list[list[_Step]], at: str, kept: dict, lost: list) -> None:
    field = min(claim[0][1] for claim in claims if claim[0][1])
    seen: set[str] = set()
    for i, item in enumerate(items):
        name = item.get(field) if isinstance(item, dict) else None
        if not isinstance(name, str) or "]" in name or name in seen:
            why = f"no {field} of its own to keep it apart from the element an attribute takes"
            lost.append((f"{at}[{i}]", why))
            continue
        seen.add(name)
        here = f"{at}[{field}={name}]"
        rest = {k: v for k, v in item.items() if k != field}
        mine = [claim[1:] for claim in claims if claim[0][1:] == (field, name)]
        if mine:
            _walk(rest, mine, here, kept, lost)
        else:
            kept[here] = copy.deepcopy(rest)


def leaves(value: Any, at: str) -> list[str]:
    """The paths of every value (not object or list) in ``value``, lists by index."""
    if isinstance(value, dict) and value:
        return [p for k, v in value.items() for p in leaves(v, f"{at}/{k}")]
    if isinstance(value, list) and value:
        return [p for i, v in enumerate(value) for p in leaves(v, f"{at}[{i}]")]
    return [at]
