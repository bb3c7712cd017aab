"""What a pack needs to know about its cell, from a cell design's figures or a library cell."""

from __future__ import annotations

from dataclasses import dataclass

from cellwright.projects.design.pack_layout import CellBox
from cellwright.projects.model import CellDesign, CellFormat, InputError, PackDesign, ReferenceCell

__all__ = ["CellSummary", "cell_box"]


@dataclass(frozen=True)
class CellSummary:
    """Electrical figures, mass, cost and envelope of one cell.

    ``dims`` is (diameter, height) for a cylindrical cell and (length, width, thickness)
    for pouch and prismatic cells [m].
    """

    name: str
    format: CellFormat
    capacity: float
    nominal_voltage: float
    min_voltage: float | None
    max_voltage: float | None
    mass: float
    cost: float
    dims: tuple[float, ...]

    @property
    def energy(self) -> float:
        """Nominal energy [W.h]."""
        return self.capacity * self.nominal_voltage

    @classmethod
    def from_figures(cls, design: CellDesign, figures) -> CellSummary:
        """From a designed cell (:class:`cellwright.projects.design.cell_figures.CellFigures`)."""
        g = design.geometry
        if g is None:
            raise InputError("geometry: not set", design.name)
        if g.kind == "cylindrical":
            dims: tuple[float, ...] = (g.diameter, g.height)
        else:
            dims = (g.length, g.width, g.thickness)
        return cls(
            design.name,
            CellFormat(design.format),
            figures.capacity,
            figures.nominal_voltage,
            figures.min_voltage,
            figures.max_voltage,
            figures.total_mass,
            figures.total_cost,
            dims,
        )

    @classmethod
    def from_reference(cls, cell: ReferenceCell, cost: float = 0.0) -> CellSummary:
        """From a library cell's datasheet values (its cost is not in the library)."""
        if cell.format == CellFormat.CYLINDRICAL:
            dims: tuple[float, ...] = (cell.diameter, cell.height)  # type: ignore[assignment]
        else:
            dims = (cell.length, cell.width, cell.thickness)  # type: ignore[assignment]
        return cls(
            cell.name,
            CellFormat(cell.format),
            cell.nominal_capacity,
            cell.nominal_voltage,
            cell.min_voltage,
            cell.max_voltage,
            cell.mass,
            cost,
            dims,
        )


def cell_box(cell: CellSummary, pack: PackDesign) -> CellBox:
    """The cell's bounding box in the pack frame for the pack's orientation.

    Upright: a cylinder's axis, or a flat cell's width, is vertical, and flat cells stand with
    their thickness along x (face to face along a module row). Flat: a cylinder lies along x;
    a flat cell lies on its large face.
    """
    upright = pack.arrangement is None or pack.arrangement.orientation == "upright"
    if cell.format == CellFormat.CYLINDRICAL:
        diameter, height = cell.dims
        if upright:
            return CellBox(cell.format, (diameter, diameter, height), "z")
        return CellBox(cell.format, (height, diameter, diameter), "x")
    length, width, thickness = cell.dims
    if upright:
        return CellBox(cell.format, (thickness, length, width), "z")
    return CellBox(cell.format, (length, width, thickness), "z")
