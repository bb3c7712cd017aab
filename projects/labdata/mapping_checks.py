"""What is wrong with a user's column mapping (:mod:`.mapper`), said by its entries: one of
the wrong shape, required targets no entry names (a target misspelt, an entry written the
wrong way round), columns the file read with it does not have."""

from __future__ import annotations

from difflib import get_close_matches
from typing import TYPE_CHECKING

import numpy as np

from cellwright.projects.labdata import table as t
from cellwright.projects.labdata import vocabulary as v

if TYPE_CHECKING:
    from cellwright.projects.labdata.mapper import Mapping

#: the targets the readers know; a mapping may name others, kept as columns of those names
KNOWN_TARGETS = frozenset(v.BY_TARGET) | {t.UNIX_TIME, t.STEP_COUNT, t.TECHNIQUE}


def unmapped_required(mapping: Mapping) -> str | None:
    """Which required targets no entry of a user's mapping names, and the entries that look
    meant for them (written the wrong way round, a target misspelt), or None."""
    missing = mapping.missing()
    if not missing:
        return None
    unknown = [g for g in mapping.guesses if g.target not in KNOWN_TARGETS]
    turned = [g for g in unknown if g.column in KNOWN_TARGETS]
    parts = []
    if turned:
        names = ", ".join(repr(g.column) for g in turned)
        which = f"entry {names} is" if len(turned) == 1 else f"entries {names} are"
        parts.append(
            f"{which} the wrong way round: an entry is "
            f'"file column": "target", as {turned[0].target!r}: {turned[0].column!r}'
        )
    for g in [g for g in unknown if g not in turned][:3]:
        close = get_close_matches(g.target, sorted(KNOWN_TARGETS), n=1)
        hint = f" ({close[0]!r}?)" if close else ""
        parts.append(f"entry {g.column!r}: {g.target!r} is not a column Cellwright reads{hint}")
    why = "; ".join(parts) or 'an entry is "file column": "target"'
    return f"no column is mapped to {', '.join(missing)} ({why})"


def absent_columns(mapping: Mapping, headers: list[str]) -> str | None:
    """The entries of ``mapping`` whose column a table of ``headers`` does not have, with the
    columns it does have, or None when every mapped column is there."""
    absent = [g for g in mapping.guesses if g.column not in headers]
    if not absent:
        return None
    whose = f"the column mapping {mapping.source}" if mapping.source else "the column mapping"
    asked = []
    for g in absent:
        close = get_close_matches(g.column, headers, n=1, cutoff=0.75)
        hint = f", {close[0]!r}?" if close else ""
        asked.append(f"{g.column!r} (entry {g.column!r}: {g.target!r}{hint})")
    noun = "column" if len(absent) == 1 else "columns"
    return (
        f"{whose} asks for {noun} {', '.join(asked)}, which the file does not have "
        f"(its columns: {listed(headers)})"
    )


def listed(names: list[str], most: int = 8) -> str:
    """The first ``most`` names, quoted, and how many more."""
    shown = ", ".join(repr(n) for n in names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def entry_problem(target: object) -> str | None:
    """What is wrong with one ``column: target`` entry of a mapping, or None.

    A target is a name or ``[name, factor]`` / ``[name, factor, offset]`` with finite numbers;
    anything else ended in a bare ``IndexError``/``TypeError`` deep inside the reader.
    """
    if isinstance(target, str):
        return None
    shape = "a target name or [target, factor] or [target, factor, offset]"
    if not isinstance(target, list) or not 2 <= len(target) <= 3:
        return f"must be {shape}"
    if not isinstance(target[0], str):
        return f"must be {shape}; the target name comes first"
    for what, number in zip(("factor", "offset"), target[1:], strict=False):
        if isinstance(number, bool) or not isinstance(number, int | float):
            return f"the {what} must be a number"
        if not np.isfinite(number):
            return f"the {what} must be a finite number"
    return None
