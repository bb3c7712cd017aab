"""The cost of a cell and a pack: materials, cell manufacturing and pack integration.

The structure is BatPaC's (Argonne, BatPaC v5.0, Knehr et al. 2022; see
:mod:`cellwright.projects.model.cost` for every default and the workbook cell it comes from):

- cell materials: each component's mass (the builder's breakdown) × its price ÷ the material's
  yield (BatPaC "Cost Input", materials yield per accepted cell), plus BatPaC's overhead
  distributed to materials;
- cell manufacturing: electrode processing, cell assembly, formation/testing/sealing and the
  plant (warehouse, building, support systems), each per kWh of cell energy as BatPaC's
  reference pack carries them ("Cost Breakdown with Overhead Distributed to Processes");
- pack integration: the cells, the designed structure and thermal parts (busbars, cooling plate,
  coolant, interface, frames, enclosure: mass × price, with the overhead), the BMS counted as
  BatPaC counts it (a battery management unit with one voltage-sense ASIC per ten series cells,
  a disconnect unit, interfaces, electronics per module) and module and pack assembly.

Every breakdown is a list of lines whose costs sum to its total. A material without a price is
named in :attr:`CostEstimate.unpriced` and its lines say "no price": it is never a silent 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from cellwright.projects.model import (
    CellDesign,
    CostAssumptions,
    DesignSnapshot,
    Material,
    PackDesign,
    PropertyValue,
)

__all__ = [
    "CostBreakdown",
    "CostEstimate",
    "CostLine",
    "PriceRow",
    "entered_cell_cost",
    "estimate_cost",
    "project_cost_assumptions",
    "with_prices",
    "with_project_prices",
]

MATERIALS, MANUFACTURING = "materials", "cell manufacturing"
STRUCTURE, BMS, ASSEMBLY, CELLS = "structure and thermal", "BMS", "assembly", "cells"


@dataclass(frozen=True)
class CostLine:
    """One line of a breakdown: what, how much [USD], its group and what it rests on."""

    name: str
    cost: float
    group: str
    note: str = ""


@dataclass(frozen=True)
class CostBreakdown:
    """Lines that sum to the total; ``energy`` [W.h] of what they price."""

    lines: tuple[CostLine, ...]
    energy: float

    @property
    def total(self) -> float:
        """Sum of the lines [USD]."""
        return math.fsum(line.cost for line in self.lines)

    @property
    def per_kwh(self) -> float:
        """Total per nominal energy [USD/kWh]."""
        return self.total / (self.energy / 1e3) if self.energy > 0 else float("nan")

    def by_group(self) -> dict[str, float]:
        """Group -> cost [USD], in the order the groups first appear."""
        groups: dict[str, float] = {}
        for line in self.lines:
            groups[line.group] = groups.get(line.group, 0.0) + line.cost
        return groups


@dataclass(frozen=True)
class PriceRow:
    """A price the estimate used: material, USD/kg, source, note, and whether the project set it."""

    material: str
    name: str
    price: float | None
    source: str
    note: str
    overridden: bool


@dataclass(frozen=True)
class SensitivityRow:
    """How the total moves when one material's price moves by ± the step."""

    material: str
    price: float
    low: float
    high: float

    @property
    def swing(self) -> float:
        """high - low [USD]."""
        return self.high - self.low


@dataclass
class CostEstimate:
    """The cost of one design: the cell's breakdown, the pack's (for a pack), prices used."""

    design: str
    cell: CostBreakdown | None
    pack: CostBreakdown | None
    cells_per_pack: int
    assumptions: CostAssumptions
    prices: list[PriceRow]
    unpriced: list[str]
    sensitivity: list[SensitivityRow] = field(default_factory=list)
    #: what the estimate rests on beyond its lines (a library cell priced on its entered design)
    notes: list[str] = field(default_factory=list)

    @property
    def headline(self) -> CostBreakdown | None:
        """The pack's breakdown for a pack, else the cell's."""
        return self.pack if self.pack is not None else self.cell


def with_prices(snapshot: DesignSnapshot, assumptions: CostAssumptions) -> DesignSnapshot:
    """The snapshot with the project's price overrides written into its materials."""
    if not assumptions.prices:
        return snapshot
    materials = dict(snapshot.materials)
    for material_id, override in assumptions.prices.items():
        if material_id in materials:
            materials[material_id] = _priced(materials[material_id], override.value,
                                             override.source, override.note)  # fmt: skip
    return snapshot.model_copy(update={"materials": materials})


def with_project_prices(snapshot: DesignSnapshot, project=None) -> DesignSnapshot:
    """The snapshot priced as ``project``'s cost model prices it (its ``cost price``
    overrides), so the builder's material cost and its "no price for …" agree with the cost
    breakdown and the report; no project, or no overrides, leaves its prices as they are.

    A library cell's entered design lends its materials, as in :func:`estimate_cost`, so the
    overrides reach the cell's cost in the pack's figures (:func:`entered_cell_cost`) too.
    """
    snapshot = _with_entered_materials(snapshot)
    if project is None:
        return snapshot
    return with_prices(snapshot, project_cost_assumptions(project))


def entered_cell_cost(snapshot: DesignSnapshot) -> float | None:
    """Material cost [USD] of the library's entered design of the snapshot's library cell,
    or None when the snapshot's cell has its own geometry or the library holds no entered
    design of it (a datasheet holds no cost)."""
    figures = _entered_reference(_with_entered_materials(snapshot))
    return None if figures is None else figures.total_cost


def _priced(material: Material, price: float, source: str, note: str = "") -> Material:
    prop = PropertyValue(value=price, unit="USD/kg", source=source, note=note)
    return material.model_copy(update={"properties": {**material.properties, "price": prop}})


def estimate_cost(
    design: CellDesign | PackDesign,
    snapshot: DesignSnapshot,
    assumptions: CostAssumptions | None = None,
    sensitivity: bool = True,
) -> CostEstimate:
    """The cost of ``design`` (its snapshot's materials, the project's assumptions and prices).

    Raises
    ------
    InputError
        If the design's figures cannot be derived (see :func:`design_report`).
    """
    assumptions = assumptions or CostAssumptions()
    priced = with_prices(_with_entered_materials(snapshot), assumptions)
    estimate = _estimate(design, priced, assumptions)
    if sensitivity:
        estimate.sensitivity = _sensitivity(design, priced, assumptions, estimate)
    return estimate


def _estimate(design, snapshot: DesignSnapshot, a: CostAssumptions) -> CostEstimate:
    from cellwright.projects.design.report import cell_summary_for

    summary, figures = cell_summary_for(snapshot)
    used: set[str] = set()
    cell, notes = None, []
    if figures is None:
        # a pack of a library cell reads its datasheet, which holds no cost; where the library
        # holds the cell's entered design (its electrodes, can and electrolyte), that prices it
        # (a pack of LG M50s had its cells at 0 USD: 396 of its 396 USD were BMS and assembly)
        figures = _entered_reference(snapshot)
        if figures is not None:
            notes.append(
                f"cell {summary.name} priced on the library's entered design of it "
                f"({figures.capacity:.4g} A.h from its electrodes; the pack's figures read "
                f"the datasheet's {summary.capacity:.4g} A.h)"
            )
    if figures is not None:
        cell = _cell_breakdown(figures, snapshot, a)
        used |= set(figures.component_materials.values())
    pack, count = None, 1
    if isinstance(design, PackDesign):
        from cellwright.projects.design.pack_calculator import pack_design_figures

        pack_figures = pack_design_figures(design, summary, snapshot.materials)
        pack = _pack_breakdown(pack_figures, cell, snapshot, a)
        used |= {line.material for line in pack_figures.bom[1:] if line.material}
        count = design.cell_count
    prices = [_price_row(snapshot.materials[m], a) for m in sorted(used)]
    unpriced = [row.material for row in prices if row.price is None]
    if figures is None:
        unpriced.insert(0, f"cell {summary.name} (no entered design to price)")
    return CostEstimate(design.name, cell, pack, count, a, prices, unpriced, notes=notes)


def _entered_design(snapshot: DesignSnapshot) -> CellDesign | None:
    """The library's entered design of a datasheet-only cell (its snapshot has no geometry),
    or None."""
    from cellwright.projects.design.reference_designs import reference_design_for

    if snapshot.cell.geometry is not None or snapshot.reference_cell is None:
        return None
    return reference_design_for(snapshot.reference_cell.id)


def _with_entered_materials(snapshot: DesignSnapshot) -> DesignSnapshot:
    """The snapshot with the materials of its library cell's entered design beside its own
    (its own, the project's view of the library, win), so that design can be priced."""
    from cellwright.projects.design.reference_designs import reference_snapshot

    entered = _entered_design(snapshot)
    if entered is None:
        return snapshot
    materials = {**reference_snapshot(entered).materials, **snapshot.materials}
    return snapshot.model_copy(update={"materials": materials})


def _entered_reference(snapshot: DesignSnapshot):
    """Figures of the library's entered design of the snapshot's library cell (its materials
    as the snapshot prices them), or None when the library holds none."""
    from cellwright.projects.design.cell_figures import cell_figures

    entered = _entered_design(snapshot)
    if entered is None:
        return None
    return cell_figures(entered, snapshot.materials, snapshot.reference_cell)


def _price_row(material: Material, a: CostAssumptions) -> PriceRow:
    prop = material.properties.get("price")
    if prop is None:
        return PriceRow(material.id, material.name, None, "", "", False)
    return PriceRow(material.id, material.name, prop.value, prop.source, prop.note,
                    material.id in a.prices)  # fmt: skip


def _yield(component: str, a: CostAssumptions) -> float:
    """BatPaC's materials yield per accepted cell for the component (1 for purchased parts)."""
    if component.endswith("current collector"):
        return a.foil_yield
    if component == "separator":
        return a.separator_yield
    if component == "electrolyte":
        return a.electrolyte_yield
    if component.startswith(("positive ", "negative ")) and "tab" not in component:
        return a.electrode_yield
    return 1.0


def _cell_breakdown(figures, snapshot: DesignSnapshot, a: CostAssumptions) -> CostBreakdown:
    lines = []
    for component, mass in figures.mass.items():
        material = figures.component_materials[component]
        price = snapshot.materials[material].value("price")
        grown = _yield(component, a)
        if price is None:
            lines.append(CostLine(component, 0.0, MATERIALS, f"no price for {material}"))
            continue
        cost = mass / grown * price * (1 + a.overhead)
        note = f"{mass * 1e3:.4g} g of {material} at {price:.4g} USD/kg"
        lines.append(CostLine(component, cost, MATERIALS, note + _yield_note(grown)))
    kwh = figures.energy / 1e3
    for name, per_kwh in (
        ("electrode processing", a.electrode_processing),
        ("cell assembly", a.cell_assembly),
        ("formation, testing and sealing", a.formation),
        ("plant: warehouse, building, support", a.plant),
    ):
        lines.append(CostLine(name, per_kwh * kwh, MANUFACTURING, f"{per_kwh:.4g} USD/kWh"))
    return CostBreakdown(tuple(lines), figures.energy)


def _yield_note(grown: float) -> str:
    return f", {grown:.1%} yield" if grown < 1 else ""


def _pack_breakdown(f, cell: CostBreakdown | None, snapshot, a: CostAssumptions) -> CostBreakdown:
    n = f.series * f.parallel
    if cell is None:
        lines = [CostLine(CELLS, 0.0, CELLS, f"no price for cell {f.cell.name}")]
    else:
        lines = [CostLine(CELLS, n * cell.total, CELLS, f"{n} × {cell.total:.4g} USD")]
    markup = 1 + a.overhead
    for bom in f.bom[1:]:
        price = snapshot.materials[bom.material].value("price") if bom.material else None
        if price is None:
            lines.append(CostLine(bom.item, 0.0, STRUCTURE, f"no price for {bom.material}"))
        else:
            note = f"{bom.mass:.4g} kg of {bom.material} at {price:.4g} USD/kg"
            lines.append(CostLine(bom.item, bom.cost * markup, STRUCTURE, note))
    asics = math.ceil(f.series / a.cells_per_asic)
    lines += [
        CostLine("battery management unit", (a.bms_unit + asics * a.bms_per_asic) * markup, BMS,
                 f"{asics} voltage-sense ASIC(s) for {f.series} series cells"),
        CostLine("disconnect unit", a.disconnect_unit * markup, BMS, "contactors, fuses, sensor"),
        CostLine("BMS interfaces", a.bms_interfaces * markup, BMS),
        CostLine("module electronics", f.modules * a.module_electronics * markup, BMS,
                 f"{f.modules} module(s)"),
        CostLine("module assembly", f.modules * a.module_assembly, ASSEMBLY,
                 f"{f.modules} module(s)"),
        CostLine("pack assembly", a.pack_assembly, ASSEMBLY),
    ]  # fmt: skip
    return CostBreakdown(tuple(lines), f.energy)


def _sensitivity(design, snapshot, a: CostAssumptions, base: CostEstimate) -> list[SensitivityRow]:
    """The five priced materials whose price moves the headline total most (± the step)."""
    rows = []
    for price_row in base.prices:
        if price_row.price is None or price_row.price == 0:
            continue
        totals = []
        for factor in (1 - a.sensitivity_step, 1 + a.sensitivity_step):
            material = snapshot.materials[price_row.material]
            moved = _priced(material, price_row.price * factor, "sensitivity")
            materials = {**snapshot.materials, material.id: moved}
            varied = _estimate(design, snapshot.model_copy(update={"materials": materials}), a)
            totals.append(varied.headline.total)
        rows.append(SensitivityRow(price_row.material, price_row.price, totals[0], totals[1]))
    rows.sort(key=lambda row: -abs(row.swing))
    return rows[:5]


def project_cost_assumptions(project=None) -> CostAssumptions:
    """The cost model a project stores (kind ``cost_model``), else BatPaC's defaults."""
    from cellwright.projects.model import COST_MODEL_ID
    from cellwright.projects.store.project import NotInProjectError

    if project is None:
        return CostAssumptions()
    try:
        return project.get("cost_model", COST_MODEL_ID)
    except NotInProjectError:
        # only when there is none: a damaged one read as "none" priced every design with the
        # defaults and `cost set` wrote them over the project's own assumptions
        return CostAssumptions()
