"""Derived figures and warnings of the design selected in the window (no Qt).

The window shows, beside the fields of a cell or pack design, what the builder
(:mod:`cellwright.projects.design`) derives from it. This module gathers what the builder needs: the
design's cell (a project cell design, or a library cell when a pack names one), every material
the cell and the pack name (the project's library overrides shadow the seed library), and the
reference cell that supplies figures when a design has no geometry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cellwright.projects.model import (
    CellDesign,
    DesignSnapshot,
    InputError,
    PackDesign,
    ReferenceCell,
)

__all__ = ["DesignFigures", "design_figures", "design_snapshot"]


@dataclass
class DesignFigures:
    """What the window shows of a design: ``report`` (name -> (value, unit)), ``warnings``,
    and ``error`` when the design cannot be computed (the reason, naming the field)."""

    report: dict[str, tuple[float, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str = ""


def _library_for(project, library):
    if project is None:
        return library
    return library.with_overrides(project.list("material"), project.list("library_cell"))


def _cell_of(pack: PackDesign, project, library) -> CellDesign:
    if project is not None:
        try:
            return project.find("cell", pack.cell)
        except InputError:
            pass
    return library.design_for_cell(pack.cell)


def design_snapshot(design: CellDesign | PackDesign, project, library) -> DesignSnapshot:
    """The snapshot :func:`cellwright.projects.design.design_report` needs for ``design``.

    Parameters
    ----------
    design
        A cell or pack design.
    project
        The open project (its cell designs and library overrides), or None.
    library
        The loaded :class:`cellwright.projects.library.Library`.

    Raises
    ------
    InputError
        If the design names a cell or material the library does not have.
    """
    from cellwright.projects.design.materials import design_material_ids, pack_material_ids

    library = _library_for(project, library)
    cell = _cell_of(design, project, library) if isinstance(design, PackDesign) else design
    ids = set(design_material_ids(cell))
    if isinstance(design, PackDesign):
        ids |= set(pack_material_ids(design))
    materials = {m: library.material(m) for m in sorted(ids)}
    reference = library.cell(cell.reference_cell) if cell.reference_cell else None
    return DesignSnapshot(
        cell=cell,
        pack=design if isinstance(design, PackDesign) else None,
        reference_cell=reference,
        materials=materials,
        library_version=library.version,
    )


def design_figures(obj, project, library) -> DesignFigures | None:
    """Report and warnings of a cell or pack design, a library cell's datasheet figures,
    or None for anything else (studies, materials) or before the library has loaded."""
    from cellwright.projects.design import design_report, design_warnings

    if library is None:
        return None
    if isinstance(obj, ReferenceCell):
        obj = library.design_for_cell(obj.id)
    if not isinstance(obj, CellDesign | PackDesign):
        return None
    try:
        snapshot = design_snapshot(obj, project, library)
        return DesignFigures(design_report(obj, snapshot), design_warnings(obj, snapshot))
    except InputError as exc:
        return DesignFigures(error=str(exc))
