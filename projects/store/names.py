"""Design names: one name means one design, and a rename takes the references by name along.

A study file, a design file and ``battery add --design`` may name a design by its name instead
of its id (``Project.find`` prefers an id). So that such a reference means one design:

- no two cell designs share a name, nor two pack designs, and no design is named what another
  of its kind has as its id: :meth:`Project.put` refuses a design that would (the message
  names the design that has the name). A design stored again under the name it already had
  passes, so a project saved before the rule, with two designs of one name, still opens, its
  designs can still be edited, and renamed apart; until then a reference by that name is
  refused (:meth:`Project.find` raises, :func:`ambiguous_name` lists the designs), never
  taken to mean the one stored last;
- a cell design and a pack design may share a name: a reference says which kind it means
  (``find_design`` takes the kind the context says, else refuses naming both);
- :func:`rename` rewrites, in the same transaction, every reference that named the design by
  its old name (a pack's cell, a study's or design study's design, a battery's design, a
  parameter fit's design), so nothing loses its design to a rename.

Other kinds (studies, batteries, lab runs …) may share names: nothing refers to them by name
that a second of the same name could capture (a study run again keeps its name on purpose).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from cellwright.projects.model.base import name_problem
from cellwright.projects.model.errors import InputError

__all__ = [
    "UNIQUE_NAME_KINDS",
    "ambiguous_name",
    "matched_by_name",
    "name_clash",
    "rename",
    "unique_name",
    "variant_name",
]

#: the kinds whose names are unique in a project (what a reference by name may point at)
UNIQUE_NAME_KINDS = ("cell", "pack")

_LABELS = {"cell": "cell design", "pack": "pack design"}


def name_clash(project: Any, kind: str, obj_id: str, name: str) -> str | None:
    """Why the ``kind`` object ``obj_id`` may not be stored under ``name``, or None.

    Only :data:`UNIQUE_NAME_KINDS` are checked. A name the object already has in the project
    is never a clash (see the module: older projects may hold duplicates). Nor may a cell
    design take the id of a library cell that something in the project names (a pack's cell,
    a battery's design): the project's design would take that cell's place in it.

    Returns
    -------
    str or None
        E.g. "a cell design named 'LG M50' is already in the project (id 3f2a9c01d4e5); choose
        another name".
    """
    if kind not in UNIQUE_NAME_KINDS or not name:
        return None
    named = project.ids_named(kind, name)
    if obj_id in named:  # its own name already (or its own id)
        return None
    label = _LABELS[kind]
    if name in named:  # find() prefers an id, so a reference by this name would mean that one
        return f"{name!r} is the id of another {label} in the project; choose another name"
    if len(named) > 1:  # only a project saved before the rule: say how to pick one, too
        ids = ", ".join(named)
        return (
            f"{len(named)} {label}s are named {name!r} in this project (ids {ids}: it was saved "
            "before design names had to be unique); choose another name; or, for a design file "
            "meant to update one of them, give its design that one's id; or rename one apart "
            "first (cellwright design rename ID NEW_NAME)"
        )
    if named:
        return (
            f"a {label} named {name!r} is already in the project (id {named[0]}); "
            "choose another name"
        )
    return _library_cell_taken(project, kind, name)


def ambiguous_name(kind: str, name: str, candidates: list[tuple[str, str]]) -> str:
    """Why a reference by ``name`` cannot be followed: two or more ``kind`` designs of a
    project saved before the rule have that name (``candidates``: their ids with when each was
    last stored, ISO 8601, "" if not known). The message lists them and says how to pick one.

    Returns
    -------
    str
        E.g. "2 cell designs are named 'LG M50' in this project (it was saved before design
        names had to be unique): id cell-1 (last stored 2026-12-04 08:41 UTC), id cell-2 (…);
        give the id of the one you mean, or rename one apart first (cellwright design rename
        ID NEW_NAME, or Rename in the window's design tree)".
    """
    listed = ", ".join(f"id {obj_id} ({_stored_when(stored)})" for obj_id, stored in candidates)
    return (
        f"{len(candidates)} {_LABELS[kind]}s are named {name!r} in this project (it was saved "
        f"before design names had to be unique): {listed}; give the id of the one you mean, "
        "or rename one apart first (cellwright design rename ID NEW_NAME, or Rename in the "
        "window's design tree)"
    )


def _stored_when(stored: str) -> str:
    """'last stored 2026-12-04 08:41 UTC' from the ISO 8601 time a row was written."""
    from datetime import datetime

    try:
        when = datetime.fromisoformat(stored)
    except ValueError:
        return "last stored: not recorded"
    return f"last stored {when:%Y-%m-%d %H:%M} UTC"


def _library_cell_taken(project: Any, kind: str, name: str) -> str | None:
    """Why ``name`` would take a library cell's place in what names it, or None."""
    from cellwright.projects.store.references import named_by

    if kind != "cell":
        return None
    found = named_by(project, kind, name, or_library=True)
    if not found:
        return None
    from cellwright.projects.design.resolve import library_for

    try:
        library_for(project).cell(name)
    except InputError:
        return None  # a reference to nothing yet: a design of that name is what it lacks
    return (
        f"{name!r} is the library cell that is {found[0]}; a cell design so named would "
        "take its place there; choose another name"
    )


def unique_name(
    project: Any, kind: str, wanted: str, numbered: Callable[[int], str] | None = None
) -> str:
    """``wanted`` if no other object of ``kind`` has it, else the first free of ``numbered(2)``,
    ``numbered(3)`` … (default ``wanted (2)``, ``wanted (3)`` …)."""
    if numbered is None:
        numbered = f"{wanted} ({{}})".format
    if project is None or name_clash(project, kind, "", wanted) is None:
        return wanted
    n = 2
    while name_clash(project, kind, "", numbered(n)) is not None:
        n += 1
    return numbered(n)


#: the end of a name :func:`variant_name` gave: " (variant)", " (variant 2)" …
_VARIANT_END = re.compile(r" \(variant(?: [0-9]+)?\)$")


def variant_name(project: Any, kind: str, name: str) -> str:
    """The name of a new variant of the ``kind`` design called ``name``: ``name (variant)``, else
    the first free of ``name (variant 2)``, ``(variant 3)`` …; a variant of a variant counts on
    from its original ("X (variant 2)", not "X (variant) (variant)")."""
    base = _VARIANT_END.sub("", name) or name
    return unique_name(project, kind, f"{base} (variant)", lambda n: f"{base} (variant {n})")


def rename(project: Any, kind: str, obj_id: str, name: str) -> list[str]:
    """Rename the ``kind`` object ``obj_id`` to ``name``, rewriting the references that named
    it by its old name to the new one, all in one transaction.

    Returns
    -------
    list of str
        The references rewritten, e.g. ``["the cell of pack 4s2p"]``.

    Raises
    ------
    InputError
        If ``name`` is not a valid name, or another design of the kind has it (nothing is
        changed then), or there is no such object.
    """
    from cellwright.projects.store.references import renamed_references

    problem = name_problem(name)
    if problem:
        raise InputError(f"name: {problem}")
    with project.transaction():
        obj = project.get(kind, obj_id)
        if obj.name == name:
            return []
        clash = name_clash(project, kind, obj_id, name)
        if clash:
            raise InputError(clash)
        rewritten = renamed_references(project, kind, obj_id, name)
        for _, holder in rewritten:
            project.put(holder)
        project.put(obj.model_copy(update={"name": name}))
    return [what for what, _ in rewritten]


def matched_by_name(project: Any, designs: list[Any]) -> list[Any]:
    """Designs read from a design file, each with the id of the project's design of its kind
    and name when the project does not have the id it came with.

    A design file without ids gives its designs new ones each time it is read, so the same
    file imported again (after an edit, say) is the same design again, to compare with the
    stored one (and replace it, if asked), not a second design of the same name. A pack that
    names a cell so matched names it by the matched id.
    """
    moved: dict[str, str] = {}
    out = []
    for design in designs:
        kind = "pack" if hasattr(design, "series") else "cell"
        if kind == "pack" and design.cell in moved:
            design = design.model_copy(update={"cell": moved[design.cell]})
        try:
            project.get(kind, design.id)
        except InputError:  # an id new to the project: the design of that name, if one
            same = [i for i in project.ids_named(kind, design.name) if i != design.name]
            if len(same) == 1:
                moved[design.id] = same[0]
                design = design.model_copy(update={"id": same[0]})
        out.append(design)
    return out
