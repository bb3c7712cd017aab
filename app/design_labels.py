"""How the project tree names designs of one kind that share a name.

A project saved before design names were unique may hold two cell designs called "M50" (a
design file without ids imported again after an edit); new names are refused
(``projects/store/names.py``), but such a project still opens. The tree listed both as "M50",
and a user could not tell which one they were editing. Only those designs get their kind and
the start of their id ("M50 (cell m50-a)", the report dialog's form), the whole id in the
tooltip; a name no other design of the kind has stays as it is, so it reads (and is selected
by) its name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

__all__ = ["shared_name_labels"]

#: the fewest characters of an id a label shows: ids are 12 hex digits (``new_id``), six of
#: them tell two apart but for one chance in 16 million
_SHORTEST = 6


def shared_name_labels(designs: Iterable, kind: str) -> dict[str, tuple[str, str]]:
    """Design id -> (label, tooltip) for each of ``designs`` (all of ``kind``, "cell" or
    "pack") whose name another of them has; designs of a name of their own are left out."""
    designs = list(designs)
    count = Counter(d.name for d in designs)
    shared: dict[str, list[str]] = defaultdict(list)
    for design in designs:
        if count[design.name] > 1:
            shared[design.name].append(design.id)
    labels = {}
    for name, ids in shared.items():
        length = _distinct_prefix(ids)
        for design_id in ids:
            short = design_id if len(design_id) <= length else f"{design_id[:length]}…"
            labels[design_id] = (
                f"{name} ({kind} {short})",
                f"{name}: {kind} design id {design_id} ({len(ids)} {kind} designs have this "
                "name; rename one apart with Design ▸ Rename…)",
            )
    return labels


def _distinct_prefix(ids: list[str]) -> int:
    """The fewest leading characters (at least :data:`_SHORTEST`) that tell ``ids`` apart."""
    length = _SHORTEST
    # ids of one kind are distinct, so their prefixes are at the longest id's length at most
    while len({i[:length] for i in ids}) < len(ids):
        length += 1
    return length
