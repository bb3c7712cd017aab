"""The pack calculator: voltage window, capacity, energy, mass/volume/cost, busbars and BOM.

Series voltages add and parallel capacities add; the busbar of one series connection has the
resistance of a uniform bar, ``R = ρ L / A`` with ``ρ = 1 / σ`` (Ohm's law for a conductor of
uniform cross-section, e.g. Griffiths, Introduction to Electrodynamics, 4th ed., eq. 7.3 ff.),
and dissipates ``P = I² R`` at pack current ``I`` (Joule heating).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cellwright.projects.design.cell_summary import CellSummary, cell_box
from cellwright.projects.design.materials import MaterialTable
from cellwright.projects.design.pack_layout import PackLayout, pack_layout
from cellwright.projects.model import InputError, Material, PackDesign

__all__ = ["BomLine", "PackFigures", "pack_design_figures"]

MAX_BUSBAR_LOSS_SHARE = 0.005  # warn above 0.5 % of the pack power lost in the busbars


@dataclass(frozen=True)
class BomLine:
    """One line of the bill of materials."""

    item: str
    material: str
    quantity: float
    unit: str
    mass: float
    cost: float


@dataclass
class PackFigures:
    """Everything derived from one pack design (SI; capacity in A.h, energy in W.h)."""

    cell: CellSummary
    series: int
    parallel: int
    modules: int
    layout: PackLayout
    mass: dict[str, float]
    volume: dict[str, float]
    cost: dict[str, float]
    busbar_resistance: float
    current: float
    bom: list[BomLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    nominal_voltage = property(lambda self: self.series * self.cell.nominal_voltage)
    capacity = property(lambda self: self.parallel * self.cell.capacity)
    energy = property(lambda self: self.nominal_voltage * self.capacity)
    total_mass = property(lambda self: sum(self.mass.values()))
    total_volume = property(lambda self: sum(self.volume.values()))
    total_cost = property(lambda self: sum(self.cost.values()))

    @property
    def min_voltage(self) -> float | None:
        """Lowest pack voltage [V] (None if the cell's is unknown)."""
        v = self.cell.min_voltage
        return None if v is None else self.series * v

    @property
    def max_voltage(self) -> float | None:
        """Highest pack voltage [V] (None if the cell's is unknown)."""
        v = self.cell.max_voltage
        return None if v is None else self.series * v

    @property
    def series_busbar_resistance(self) -> float:
        """All series connections together [ohm] (they carry the full pack current)."""
        return (self.series - 1) * self.busbar_resistance

    def busbar_loss(self, current: float | None = None) -> float:
        """Joule loss [W] in the series busbars at ``current`` [A] (default: the design current)."""
        i = self.current if current is None else current
        return i * i * self.series_busbar_resistance

    @property
    def cell_to_pack_mass(self) -> float:
        """Share of the pack mass that is cells."""
        return self.mass["cells"] / self.total_mass

    @property
    def cell_to_pack_volume(self) -> float:
        """Share of the pack volume that is cells."""
        return self.volume["cells"] / self.total_volume


def pack_design_figures(
    pack: PackDesign,
    cell: CellSummary,
    materials: Mapping[str, Material],
    current: float | None = None,
) -> PackFigures:
    """Derive the figures of ``pack`` built from ``cell``.

    Parameters
    ----------
    pack
        The pack design (arrangement, busbar, cooling plate, interface, enclosure optional).
    cell
        The cell's figures (from :func:`cellwright.projects.design.cell_figures` or a library cell).
    materials
        Material id -> material for busbars, plate, coolant, interface, frames, enclosure.
    current
        Pack current [A] for the busbar loss; default 1C (the pack capacity in A).
    """
    table = MaterialTable(materials, pack.name)
    layout = pack_layout(pack, cell_box(cell, pack))
    current = pack.parallel * cell.capacity if current is None else current
    lines = [BomLine("cell " + cell.name, cell.name, pack.cell_count, "pcs",
                     pack.cell_count * cell.mass, pack.cell_count * cell.cost)]  # fmt: skip
    volume = {"cells": pack.cell_count * layout.cell.volume}
    resistance = 0.0
    if pack.busbar is not None:
        bar = pack.busbar
        sigma = table.value(bar.material, "busbar.material", "electrical_conductivity")
        resistance = bar.length_per_connection / (sigma * bar.cross_section)
        bar_volume = max(pack.series - 1, 0) * bar.length_per_connection * bar.cross_section
        lines.append(_line(table, "busbars", bar.material, "busbar.material", bar_volume))
        volume["busbars"] = bar_volume
    lines += _thermal_parts(pack, layout, table, volume)
    lines += _frames_and_enclosure(pack, layout, table, volume)
    total = _total_volume(pack, layout)
    volume["free space"] = total - sum(volume.values())
    if volume["free space"] < -1e-9 * total:
        raise InputError("the parts take more volume than the pack offers", pack.name)
    volume["free space"] = max(volume["free space"], 0.0)
    figures = PackFigures(
        cell=cell,
        series=pack.series,
        parallel=pack.parallel,
        modules=pack.module_count,
        layout=layout,
        mass={_key(line): line.mass for line in lines},
        volume=volume,
        cost={_key(line): line.cost for line in lines},
        busbar_resistance=resistance,
        current=current,
        bom=lines,
    )
    figures.warnings = _warnings(figures, sorted(table.unpriced))
    return figures


def _key(line: BomLine) -> str:
    return "cells" if line.item.startswith("cell ") else line.item


def _line(table: MaterialTable, item: str, material: str, where: str, volume: float) -> BomLine:
    mass = volume * table.density(material, where)
    return BomLine(item, material, mass, "kg", mass, mass * table.price(material, where))


def _thermal_parts(pack, layout: PackLayout, table, volume) -> list[BomLine]:
    lines = []
    if layout.plate is not None:
        spec = pack.cooling_plate
        channels = sum(box.volume for box in layout.channels)
        solid = layout.plate.volume - channels
        lines.append(_line(table, "cooling plate", spec.material, "cooling_plate.material", solid))
        lines.append(_line(table, "coolant", spec.coolant, "cooling_plate.coolant", channels))
        volume["cooling plate"], volume["coolant"] = solid, channels
    if layout.interface is not None:
        tim = pack.thermal_interface
        v = layout.interface.volume
        where = "thermal_interface.material"
        lines.append(_line(table, "thermal interface", tim.material, where, v))
        volume["thermal interface"] = v
    return lines


def _frames_and_enclosure(pack, layout: PackLayout, table, volume) -> list[BomLine]:
    lines = []
    arrangement = pack.arrangement
    if arrangement is not None and arrangement.frame_mass_per_cell > 0:
        where = "arrangement.frame_material"
        mass = arrangement.frame_mass_per_cell * pack.cell_count
        price = table.price(arrangement.frame_material, where)
        lines.append(BomLine("module frames", arrangement.frame_material or "", mass, "kg", mass,
                             mass * price))  # fmt: skip
    box = pack.enclosure
    if box is not None:
        w = box.wall_thickness
        outer = (box.length + 2 * w) * (box.width + 2 * w) * (box.height + 2 * w)
        walls = outer - box.length * box.width * box.height
        lines.append(_line(table, "enclosure", box.material, "enclosure.material", walls))
        volume["enclosure"] = walls
    return lines


def _total_volume(pack: PackDesign, layout: PackLayout) -> float:
    box = pack.enclosure
    if box is None:
        return layout.bounding.volume
    w = box.wall_thickness
    return (box.length + 2 * w) * (box.width + 2 * w) * (box.height + 2 * w)


def _warnings(figures: PackFigures, unpriced: list[str]) -> list[str]:
    out = []
    power = figures.nominal_voltage * figures.current
    loss = figures.busbar_loss()
    if power > 0 and loss > MAX_BUSBAR_LOSS_SHARE * power:
        out.append(
            f"busbars lose {loss:.1f} W at {figures.current:.0f} A, {loss / power:.1%} of the "
            "pack power: use a larger cross-section or shorter connections"
        )
    if figures.bom[0].cost == 0:
        # a library cell's datasheet holds no cost: its cells were a silent 0 in the pack's
        unpriced = [f"cell {figures.cell.name}", *unpriced]
    if unpriced:
        out.append(f"no price for {', '.join(unpriced)}: counted as 0 in the cost")
    return out
