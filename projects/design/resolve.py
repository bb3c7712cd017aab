"""What a study, the builder or a command needs of a design: the design and its snapshot.

A :class:`~cellwright.projects.model.DesignSnapshot` is everything an engine or the builder
reads of a design: the cell (and pack) design, the reference cell, every material they name and,
when fitted, the cell's ECM parameters. Where those come from is decided here and nowhere else:

- the library is the built-in one with the project's overrides (edited materials and cells)
  shadowing the seed entries;
- a pack's cell is a cell design of the project, else the library cell as its datasheet gives it;
- a cell's ECM parameters are those stored in the project under its ``ecm_parameters`` id.

``project`` is duck-typed (``list``, ``find``, ``get``): an open
:class:`~cellwright.projects.store.Project` or a working copy's project.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cellwright.projects.model import (
    CellDesign,
    DesignKind,
    DesignSnapshot,
    InputError,
    PackDesign,
    Study,
)

if TYPE_CHECKING:
    from cellwright.projects.library import Library

__all__ = [
    "design_meant",
    "design_snapshot",
    "find_design",
    "library_for",
    "pack_cell_snapshot",
    "study_snapshot",
]


def library_for(project=None, library: Library | None = None) -> Library:
    """The library a project sees: ``library`` (default: built-in) with its overrides."""
    if library is None:
        from cellwright.projects.library import Library

        library = Library.load_builtin()
    if project is None:
        return library
    return library.with_overrides(project.list("material"), project.list("library_cell"))


def _cell_named(cell: str, project, library: Library) -> CellDesign:
    from cellwright.projects.store.project import AmbiguousNameError

    if project is not None:
        try:
            return project.find("cell", cell)
        except AmbiguousNameError:
            raise  # two cell designs of an older project have the name: not the library's
        except InputError:
            pass
    # a library cell as the datasheet gives it; engines that need its geometry (thermal) use
    # the entered reference design themselves
    return _library_cell_design(cell, project, library)


def _library_cell_design(cell: str, project, library: Library) -> CellDesign:
    """Library cell ``cell``'s design: the project's stored copy of it where there is one
    (``ecm fit --cell lg-m50`` stores ``lib-lg-m50`` with the fitted ECM), else the
    datasheet's. A pack of lg-m50 and a study of ``library_cell = "lg-m50"`` read "no fitted
    ECM parameters" right after the fit had said it stored them with the cell."""
    from cellwright.projects.store.project import NotInProjectError

    design = library.design_for_cell(cell)  # raises naming the library's cells
    if project is None:
        return design
    try:
        return project.get("cell", design.id)
    except NotInProjectError:
        return design


def pack_cell_snapshot(cell: str, project=None, library: Library | None = None) -> DesignSnapshot:
    """The snapshot of cell ``cell`` (id or name) as a pack of it sees it: the project's cell
    design, else the library cell as its datasheet gives it.

    The arrangement wizard sizes a pack with this: it took a library cell's entered reference
    design (the LG M50's 5.153 A.h from its electrodes) and proposed 5.107 kW.h for a pack
    whose figures, from the datasheet's 5.0 A.h, came to 4.955 kW.h, under the 5 kW.h asked.

    Raises
    ------
    InputError
        Naming the library's cells when neither the project nor the library has ``cell``.
    """
    library = library_for(project, library)
    return library.snapshot_for(_cell_named(cell, project, library))


def design_snapshot(
    design: CellDesign | PackDesign, project=None, library: Library | None = None
) -> DesignSnapshot:
    """The snapshot of a cell or pack design as the project sees it.

    Parameters
    ----------
    design
        A cell or pack design (of the project, a reference design, or a library cell's).
    project
        The open project (its cell designs, ECM parameters and library overrides), or None.
    library
        The loaded library (default: the built-in one); the project's overrides are applied.

    Raises
    ------
    InputError
        If the design names a cell or material the library does not have.
    """
    library = library_for(project, library)
    pack = design if isinstance(design, PackDesign) else None
    cell = _cell_named(design.cell, project, library) if pack is not None else design
    snapshot = library.snapshot_for(cell, pack)
    if project is not None and cell.ecm_parameters:
        try:
            ecm = project.get("ecm_parameters", cell.ecm_parameters)
        except InputError:
            raise InputError(
                f"ecm_parameters: {cell.ecm_parameters!r} is not stored in this project",
                cell.name,
            ) from None
        snapshot = snapshot.model_copy(update={"ecm_parameters": ecm})
    return snapshot


def find_design(
    name: str, project=None, library: Library | None = None, prefer: str | None = None
) -> tuple[CellDesign | PackDesign, DesignSnapshot]:
    """A design by id or name with its snapshot: a cell or pack design of the project, the
    entered reference design of a library cell, or a library cell's datasheet design.

    A cell design and a pack design may share a name; ``prefer`` ("cell" or "pack") says
    which is meant where the context says it (a physical pack is built to a pack design).

    Raises
    ------
    InputError
        Naming the library's cells (with close matches) when nothing is called ``name``; or,
        without ``prefer``, when a cell design and a pack design are both called ``name``
        (an id is exact); or when two designs of an older project share the name
        (:class:`~cellwright.projects.store.AmbiguousNameError`).
    """
    from cellwright.projects.design.reference_designs import (
        reference_design_for,
        reference_snapshot,
    )
    from cellwright.projects.store.project import NotInProjectError

    if project is not None:
        found = {}
        for kind in ("cell", "pack"):
            try:
                found[kind] = project.find(kind, name)
            except NotInProjectError:  # a stored design that is damaged is reported, not skipped
                continue
        if found:
            obj = design_meant(found, name, prefer, project)
            return obj, design_snapshot(obj, project, library)
    library = library_for(project, library)
    cell = reference_design_for(name)
    if cell is not None:
        return cell, reference_snapshot(cell, library)
    try:
        cell = library.design_for_cell(name)  # raises naming the library's cells
    except InputError as exc:
        if project is None:
            raise
        # "no library cell 'x' in the library" alone reads as if the project was not searched
        raise InputError(
            f"no cell or pack design {name!r} in this project, and {exc.detail}",
            str(project.path),
        ) from None
    return cell, library.snapshot_for(cell)


def design_meant(found: dict, name: str, prefer: str | None, project):
    """The design ``name`` means of ``found`` ({kind: the cell and/or pack design so called
    or identified}): the one of its kind, the one of the kind ``prefer``, the one whose id it
    is; else an InputError naming both."""
    if len(found) == 1:
        return next(iter(found.values()))
    if prefer in found:
        return found[prefer]
    exact = [obj for obj in found.values() if obj.id == name]
    if len(exact) == 1:  # an id is exact, a name is not
        return exact[0]
    cell, pack = found["cell"], found["pack"]
    raise InputError(
        f"a cell design (id {cell.id}) and a pack design (id {pack.id}) are both named "
        f"{name!r} in this project; give the id of the one you mean",
        str(project.path),
    )


def study_snapshot(study: Study, project=None, library: Library | None = None) -> DesignSnapshot:
    """The snapshot of the design a study refers to.

    Raises
    ------
    InputError
        If the study names a project design but no project is given, or a design that is not
        in the project or the library.
    """
    ref = study.design
    if ref.kind == DesignKind.LIBRARY_CELL:
        design = _library_cell_design(ref.id, project, library_for(project, library))
        snapshot = design_snapshot(design, project, library)
    elif project is None:
        raise InputError(f"[design] {ref.kind} = {ref.id!r} refers to the project: give --project")
    else:
        kind = "cell" if ref.kind == DesignKind.CELL else "pack"
        snapshot = design_snapshot(project.find(kind, ref.id), project, library)
    return _with_geometry_materials(snapshot, study, project, library)


def _with_geometry_materials(snapshot: DesignSnapshot, study: Study, project, library):
    """Add the library materials an imported geometry names (spec.geometry.materials)."""
    geometry = study.spec.get("geometry")
    if not isinstance(geometry, dict) or not isinstance(geometry.get("materials"), dict):
        return snapshot
    library = library_for(project, library)
    materials = dict(snapshot.materials)
    for group, material_id in geometry["materials"].items():
        if material_id not in materials:
            try:
                materials[material_id] = library.material(material_id)
            except InputError as exc:
                raise InputError(f"spec.geometry.materials.{group}: {exc.detail}") from None
    return snapshot.model_copy(update={"materials": materials})
