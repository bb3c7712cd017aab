"""Derived figures and warnings of the design selected in the window (no Qt).

The window shows, beside the fields of a cell or pack design, what the builder
(:mod:`cellwright.projects.design`) derives from it. The snapshot it needs is
resolved by :func:`cellwright.projects.design.resolve.design_snapshot`, as for a study.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cellwright.projects.model import (
    CellDesign,
    InputError,
    PackDesign,
    ReferenceCell,
)

__all__ = ["DesignFigures", "design_figures"]


@dataclass
class DesignFigures:
    """What the window shows of a design: ``report`` (name -> (value, unit)), ``warnings``,
    and ``error`` when the design cannot be computed (the reason, naming the field)."""

    report: dict[str, tuple[float, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str = ""


def design_figures(obj, project, library) -> DesignFigures | None:
    """Report and warnings of a cell or pack design, a library cell's datasheet figures,
    or None for anything else (studies, materials) or before the library has loaded."""
    from cellwright.projects.design import design_report, design_warnings
    from cellwright.projects.design.cost import with_project_prices
    from cellwright.projects.design.resolve import design_snapshot

    if library is None:
        return None
    if isinstance(obj, ReferenceCell):
        obj = library.design_for_cell(obj.id)
    if not isinstance(obj, CellDesign | PackDesign):
        return None
    try:
        snapshot = with_project_prices(design_snapshot(obj, project, library), project)
        return DesignFigures(design_report(obj, snapshot), design_warnings(obj, snapshot))
    except InputError as exc:
        return DesignFigures(error=str(exc))
