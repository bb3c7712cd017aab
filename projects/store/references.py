"""What in a project still refers to an object, so that nothing is removed from under it.

Every route by which a design or study leaves a project (Design ▸ Delete in the window, Edit ▸
Undo of the edit that added it, a redo of its deletion, :meth:`Project.delete` itself) asks
:func:`removal_problem` first, so a battery, pack, study or result is never left naming
something that is gone. The references followed:

- a pack design -> its cell (``PackDesign.cell``)
- a study and a design study -> their design (``design.kind``/``design.id``)
- a physical cell or pack (a battery) -> its design (``design``)
- a result -> its study (``study_id``)

A reference may name a design by its name rather than its id (a study file, a design file and
``battery add --design`` accept either; ``Project.find`` prefers an id), so a name counts when
the project resolves it to the object. Library overrides (``material``, ``library_cell``) are
not guarded: removing one falls back to the seed library entry of the same id.
"""

from __future__ import annotations

from typing import Any

from cellwright.projects.model.errors import InputError

__all__ = ["GUARDED_KINDS", "referrers", "removal_problem"]

#: the kinds something else can refer to (others may go without asking)
GUARDED_KINDS = ("cell", "pack", "study")

_LABELS = {"cell": "cell design", "pack": "pack design", "study": "study"}


def referrers(project: Any, kind: str, obj_id: str) -> list[str]:
    """What refers to the ``kind`` object ``obj_id``, each as "the <role> of <what> <name>".

    Parameters
    ----------
    project
        An open :class:`~cellwright.projects.store.Project` (duck-typed: ``get``, ``find``,
        ``list``, ``results``).
    kind
        The kind of the object (``"cell"``, ``"pack"``, ``"study"``; others have no referrers).
    obj_id
        Its id.

    Returns
    -------
    list of str
        E.g. ``["the design of battery SN-1", "the cell of pack 4s2p"]``; empty when nothing
        refers to it (or it is not in the project).
    """
    if kind not in GUARDED_KINDS:
        return []
    names = _names_of(project, kind, obj_id)
    if not names:
        return []
    if kind == "study":
        return [f"the study of result {r.name}" for r in project.results(obj_id)]
    found = [
        f"the design of {label} {s.name}"
        for label, study_kind in (("study", "study"), ("design study", "design_study"))
        for s in project.list(study_kind)
        if str(s.design.kind) == kind and s.design.id in names
    ]
    if kind == "cell":
        found += [f"the cell of pack {p.name}" for p in project.list("pack") if p.cell in names]
    battery_kind = "physical_cell" if kind == "cell" else "physical_pack"
    found += [
        f"the design of battery {b.name}" for b in project.list(battery_kind) if b.design in names
    ]
    return found


def removal_problem(project: Any, kind: str, obj_id: str) -> str | None:
    """Why the ``kind`` object ``obj_id`` may not be removed now, or None if it may.

    The message names the object and everything that still refers to it, e.g. "cell design
    LG M50 (entered) is the cell of pack 4s2p and the design of study s1; delete those first".
    A battery is never deleted (its history is append-only), so its design is said to stay.
    """
    found = referrers(project, kind, obj_id)
    if not found:
        return None
    name = project.get(kind, obj_id).name
    listed = found[0] if len(found) == 1 else f"{', '.join(found[:-1])} and {found[-1]}"
    if any(" of battery " in f for f in found):
        return f"{_LABELS[kind]} {name} is {listed}; a design stays while a battery is built to it"
    return f"{_LABELS[kind]} {name} is {listed}; delete those first"


def _names_of(project: Any, kind: str, obj_id: str) -> set[str]:
    """The references that mean this object: its id, and its name where the project resolves
    that name to it (not when another object of the kind has that id, or was stored later)."""
    try:
        obj = project.get(kind, obj_id)
    except InputError:
        return set()
    names = {obj_id}
    name = getattr(obj, "name", "")
    if name and project.find(kind, name).id == obj_id:
        names.add(name)
    return names
