"""What in a project still refers to an object, so that nothing is removed from under it.

Every route by which an object leaves a project (Design ▸ Delete in the window, Edit ▸ Undo of
the edit that added it, a redo of its deletion, :meth:`Project.delete` itself) asks
:func:`removal_problem` first, so a battery, pack, study, fit or result is never left naming
something that is gone. The references followed (:data:`LINKS`, and a result's study):

- a pack design -> its cell (``PackDesign.cell``)
- a study and a design study -> their design (``design.kind``/``design.id``)
- a physical cell or pack (a battery) -> its design (``design``)
- a parameter fit -> its cell design, its battery and its lab runs (``design``,
  ``physical_cell``, ``runs``); a battery -> its parameter fit (``parameter_fit``)
- a cell design -> its ECM parameter set (``ecm_parameters``)
- a lab run -> its battery (``physical_cell``); a physical cell -> its pack (``pack``)
- a result -> its study (``study_id``)

A reference to a design may name it by its name rather than its id (a study file, a design
file and ``battery add --design`` accept either; ``Project.find`` prefers an id), so a name
counts when the project resolves it to the object; :func:`renamed_references` rewrites those
when the design is renamed. Library overrides (``material``, ``library_cell``) are not
guarded: removing one falls back to the seed library entry of the same id.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from cellwright.projects.model.errors import InputError

__all__ = [
    "GUARDED_KINDS",
    "LINKS",
    "Link",
    "named_by",
    "referrers",
    "removal_problem",
    "renamed_references",
]

_LABELS = {
    "cell": "cell design",
    "pack": "pack design",
    "study": "study",
    "ecm_parameters": "ECM parameter set",
    "labrun": "lab run",
    "parameter_fit": "parameter fit",
    "physical_cell": "battery",
    "physical_pack": "battery",
}

#: the kinds whose designs a battery is built to (it is never deleted, so they stay)
_DESIGN_KINDS = ("cell", "pack")


@dataclass(frozen=True)
class Link:
    """A field by which objects of kind ``holder`` refer to an object of kind ``target``.

    ``path`` leads to the field (``("design", "id")`` for a study's design); ``role`` and
    ``label`` say it to the user ("the cell of pack 4s2p"); ``by_name`` when the field may hold
    the target's name instead of its id; ``many`` when it holds a list of ids; ``when`` picks
    the holders whose field means this kind (a study's design is a cell or a pack);
    ``or_library`` when a value no project object has may be a library cell's id (not so a
    study's design, whose kind says that: ``library_cell``).
    """

    target: str
    holder: str
    label: str
    role: str
    path: tuple[str, ...]
    by_name: bool = False
    many: bool = False
    when: Callable[[Any], bool] | None = None
    or_library: bool = False

    def value(self, obj: Any) -> Any:
        """The field's value in ``obj``."""
        for part in self.path:
            obj = getattr(obj, part)
        return obj

    def refers(self, obj: Any, refs: set[str]) -> bool:
        """True when ``obj`` refers through this link to one of ``refs`` (an id, a name)."""
        if self.when is not None and not self.when(obj):
            return False
        value = self.value(obj)
        return bool(refs & set(value)) if self.many else value in refs

    def replaced(self, obj: Any, new: str) -> Any:
        """``obj`` with this link's field set to ``new`` (a single-valued link)."""
        return _replaced(obj, self.path, new)


def _designed_as(kind: str) -> Callable[[Any], bool]:
    return lambda study: str(study.design.kind) == kind


def _study_links(kind: str) -> tuple[Link, ...]:
    return (
        Link(kind, "study", "study", "the design", ("design", "id"), True, when=_designed_as(kind)),
        Link(
            kind,
            "design_study",
            "design study",
            "the design",
            ("design", "id"),
            True,
            when=_designed_as(kind),
        ),
    )


#: every reference between stored objects that :func:`referrers` follows (results aside)
LINKS: tuple[Link, ...] = (
    *_study_links("cell"),
    # a pack's cell, a battery's and a fit's design may be a library cell's id instead
    Link("cell", "pack", "pack", "the cell", ("cell",), True, or_library=True),
    Link("cell", "physical_cell", "battery", "the design", ("design",), True, or_library=True),
    Link(
        "cell",
        "parameter_fit",
        "parameter fit",
        "the design",
        ("design",),
        by_name=True,
        or_library=True,
    ),
    *_study_links("pack"),
    Link("pack", "physical_pack", "battery", "the design", ("design",), True),
    Link("ecm_parameters", "cell", "cell design", "the ECM parameters", ("ecm_parameters",)),
    Link("labrun", "parameter_fit", "parameter fit", "a fitted run", ("runs",), many=True),
    Link("parameter_fit", "physical_cell", "battery", "the parameter fit", ("parameter_fit",)),
    Link("physical_cell", "labrun", "lab run", "the cell", ("physical_cell",)),
    Link("physical_cell", "parameter_fit", "parameter fit", "the cell", ("physical_cell",)),
    Link("physical_pack", "physical_cell", "battery", "the pack", ("pack",)),
)

#: the kinds something else can refer to (others may go without asking)
GUARDED_KINDS = ("study", *dict.fromkeys(link.target for link in LINKS))


def referrers(project: Any, kind: str, obj_id: str) -> list[str]:
    """What refers to the ``kind`` object ``obj_id``, each as "the <role> of <what> <name>".

    Parameters
    ----------
    project
        An open :class:`~cellwright.projects.store.Project` (duck-typed: ``get``, ``find``,
        ``list``, ``results``).
    kind
        The kind of the object (one of :data:`GUARDED_KINDS`; others have no referrers).
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
    refs = _refs_of(project, kind, obj_id)
    if not refs:
        return []
    if kind == "study":
        return [f"the study of result {r.name}" for r in project.results(obj_id)]
    found = _holders(project, kind, obj_id, refs)
    return [f"{link.role} of {link.label} {holder.name}" for link, holder in found]


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
    if kind in _DESIGN_KINDS and any(" of battery " in f for f in found):
        return f"{_LABELS[kind]} {name} is {listed}; a design stays while a battery is built to it"
    return f"{_LABELS[kind]} {name} is {listed}; delete those first"


def renamed_references(
    project: Any, kind: str, obj_id: str, new_name: str
) -> list[tuple[str, Any]]:
    """The objects that name the ``kind`` object ``obj_id`` by its present name, each as
    ("the <role> of <what> <name>", the object naming ``new_name`` instead).

    Nothing is stored: :func:`cellwright.projects.store.names.rename` stores them with the
    renamed object in one transaction. A reference by id is left alone (it survives a rename),
    and so is one by a name the project resolves to something else.
    """
    refs = _refs_of(project, kind, obj_id) - {obj_id}
    if not refs:
        return []
    return [
        (f"{link.role} of {link.label} {holder.name}", link.replaced(holder, new_name))
        for link, holder in _holders(project, kind, obj_id, refs)
        if link.by_name and link.value(holder) in refs
    ]


def named_by(project: Any, kind: str, name: str, or_library: bool = False) -> list[str]:
    """What names ``name`` where a reference by name to a ``kind`` object may stand, each as
    "the <role> of <what> <name>", whatever ``name`` resolves to now; with ``or_library``,
    only where a library cell's id may stand too (a pack's cell "lg-m50")."""
    found = _holders(project, kind, "", {name})
    return [
        f"{link.role} of {link.label} {holder.name}"
        for link, holder in found
        if link.by_name and (link.or_library or not or_library)
    ]


def _holders(project: Any, kind: str, obj_id: str, refs: set[str]) -> list[tuple[Link, Any]]:
    """(link, object) for each object referring to the ``kind`` object ``obj_id`` by one of
    ``refs`` (by its id alone through a link that takes no name)."""
    found = []
    for link in LINKS:
        if link.target != kind:
            continue
        wanted = refs if link.by_name else {obj_id} - {""}
        if not wanted:
            continue
        if len(link.path) == 1 and not link.many:  # only the matching holders are validated
            holders = [h for ref in sorted(wanted)
                       for h in project.list_where(link.holder, link.path[0], ref)]  # fmt: skip
        else:
            holders = project.list(link.holder)
        found += [(link, h) for h in holders if link.refers(h, wanted)]
    return found


def _refs_of(project: Any, kind: str, obj_id: str) -> set[str]:
    """The references that mean this object: its id, and its name where the project resolves
    that name to it (not when another object of the kind has that id, or was stored later)."""
    try:
        obj = project.get(kind, obj_id)
    except InputError:
        return set()
    from cellwright.projects.store.project import AmbiguousNameError

    refs = {obj_id}
    name = getattr(obj, "name", "")
    # a name two designs of an older project share means neither: it stays with the name
    with suppress(AmbiguousNameError):
        if name and project.find(kind, name).id == obj_id:
            refs.add(name)
    return refs


def _replaced(obj: Any, path: tuple[str, ...], new: Any) -> Any:
    head, *rest = path
    value = _replaced(getattr(obj, head), tuple(rest), new) if rest else new
    return obj.model_copy(update={head: value})
