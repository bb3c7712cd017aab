"""The cell calculator: capacity, voltages, energy, mass/volume/cost breakdowns and warnings.

Capacity is that of the limiting electrode over the positive's coated area (the negative's
overhang stores lithium that is never cycled); energy is capacity × nominal voltage. Every
breakdown is a dict whose values sum to the total it breaks down.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cellwright.projects.design.cell_layout import CellLayout, cell_layout
from cellwright.projects.design.electrode import CoatingFigures, coating_figures
from cellwright.projects.design.materials import MaterialTable
from cellwright.projects.model import CellDesign, Electrode, InputError, Material, ReferenceCell

__all__ = ["CellFigures", "cell_figures"]


@dataclass
class CellFigures:
    """Everything derived from one cell design (SI units; capacity in A.h, energy in W.h)."""

    capacity: float
    nominal_voltage: float
    min_voltage: float | None
    max_voltage: float | None
    np_ratio: float
    positive: CoatingFigures
    negative: CoatingFigures
    layout: CellLayout
    mass: dict[str, float]
    volume: dict[str, float]
    cost: dict[str, float]
    warnings: list[str] = field(default_factory=list)
    #: component of ``mass`` -> the id of the material it is priced as
    component_materials: dict[str, str] = field(default_factory=dict)

    @property
    def energy(self) -> float:
        """Nominal energy [W.h] = capacity × nominal voltage."""
        return self.capacity * self.nominal_voltage

    @property
    def total_mass(self) -> float:
        """Cell mass [kg]."""
        return sum(self.mass.values())

    @property
    def total_volume(self) -> float:
        """Envelope volume [m^3] (tabs outside a pouch not included)."""
        return sum(self.volume.values())

    @property
    def total_cost(self) -> float:
        """Material cost [USD]."""
        return sum(self.cost.values())

    @property
    def gravimetric_energy_density(self) -> float:
        """Specific energy [W.h/kg]."""
        return self.energy / self.total_mass

    @property
    def volumetric_energy_density(self) -> float:
        """Energy density [W.h/L]."""
        return self.energy / (self.total_volume * 1e3)

    @property
    def cost_per_kwh(self) -> float:
        """Material cost per nominal energy [USD/kWh]."""
        return self.total_cost / (self.energy / 1e3)

    @property
    def areal_capacity(self) -> float:
        """Usable capacity of one positive face [A.h/m^2]."""
        return self.capacity / self.layout.positive_area


def cell_figures(
    design: CellDesign,
    materials: Mapping[str, Material],
    reference: ReferenceCell | None = None,
) -> CellFigures:
    """Derive the figures of ``design`` from its geometry and the ``materials`` it names.

    Parameters
    ----------
    design
        A cell design with ``geometry``, ``positive``, ``negative``, ``separator`` and
        ``electrolyte`` set.
    materials
        Material id -> material (``DesignSnapshot.materials``).
    reference
        The library cell the design is based on: supplies voltages the design does not state.

    Raises
    ------
    InputError
        Naming the field that is missing, refers to an unknown material, or describes
        impossible geometry.
    """
    table = MaterialTable(materials, design.name)
    layout = cell_layout(design)
    pos = coating_figures(_electrode(design, "positive"), table, "positive")
    neg = coating_figures(_electrode(design, "negative"), table, "negative")
    # the negative's overhang does not face a positive: only the facing area is cycled
    capacity = layout.positive_area * min(pos.usable_capacity, neg.usable_capacity)
    nominal, low, high = _voltages(design, reference, table)
    mass, cost_materials = _mass_breakdown(design, layout, pos, neg, table)
    cost = {name: mass[name] * table.price(*cost_materials[name]) for name in mass}
    figures = CellFigures(
        capacity=capacity,
        nominal_voltage=nominal,
        min_voltage=low,
        max_voltage=high,
        np_ratio=neg.reversible_capacity / pos.usable_capacity,
        positive=pos,
        negative=neg,
        layout=layout,
        mass=mass,
        volume=_volume_breakdown(design, layout),
        cost=cost,
        component_materials={name: material for name, (material, _) in cost_materials.items()},
    )
    from cellwright.projects.design.cell_warnings import cell_warnings

    figures.warnings = cell_warnings(design, figures, reference, sorted(table.unpriced))
    return figures


def _electrode(design: CellDesign, side: str) -> Electrode:
    electrode = getattr(design, side)
    if electrode is None:
        raise InputError(f"{side}: the electrode is not set", design.name)
    return electrode


def _voltages(
    design: CellDesign, reference: ReferenceCell | None, table: MaterialTable
) -> tuple[float, float | None, float | None]:
    """Nominal, minimum and maximum voltage: the design's, else the reference cell's.

    Without either, the nominal voltage is the difference of the electrodes' average
    potentials vs Li/Li+ (a material property from the library).
    """
    found = []
    for name in ("nominal_voltage", "min_voltage", "max_voltage"):
        value = getattr(design, name)
        if value is None and reference is not None:
            value = getattr(reference, name)
        found.append(value)
    if found[0] is None:
        pos = table.optional(design.positive.active_material, "positive", "voltage_average")
        neg = table.optional(design.negative.active_material, "negative", "voltage_average")
        if pos is None or neg is None:
            raise InputError(
                "nominal_voltage: not given, no reference cell, and the active materials do "
                "not both state voltage_average",
                design.name,
            )
        found[0] = pos - neg
    return found[0], found[1], found[2]


def _mass_breakdown(design, layout: CellLayout, pos, neg, table: MaterialTable):
    """Component -> mass [kg], and component -> (material id, field) for pricing."""
    mass: dict[str, float] = {}
    priced: dict[str, tuple[str, str]] = {}

    def add(name: str, kg: float, material: str, where: str) -> None:
        mass[name] = kg
        priced[name] = (material, where)

    for side, coat, area, foil in (
        ("positive", pos, layout.positive_area, layout.positive_foil_area),
        ("negative", neg, layout.negative_area, layout.negative_foil_area),
    ):
        e: Electrode = getattr(design, side)
        add(f"{side} active material", coat.active_mass * area, e.active_material, side)
        shares = [(e.binder, e.binder_fraction, "binder"), (e.conductive_additive,
                  e.additive_fraction, "conductive additive")]  # fmt: skip
        named = [(m, w, n) for m, w, n in shares if m is not None and w > 0]
        total_w = sum(w for _, w, _ in named)
        for material, w, name in named:
            add(f"{side} {name}", coat.inactive_mass * area * w / total_w, material, side)
        add(f"{side} current collector", coat.collector_mass * foil, e.current_collector, side)
    sep_porosity = table.value(design.separator, "separator", "porosity")
    sep_volume = layout.separator_area * design.separator_thickness
    add(
        "separator",
        sep_volume * (1 - sep_porosity) * table.density(design.separator, "separator"),
        design.separator, "separator",
    )  # fmt: skip
    pores = pos.pore_volume * layout.positive_area + neg.pore_volume * layout.negative_area
    pores += sep_volume * sep_porosity
    rho_el = table.density(design.electrolyte, "electrolyte")
    add("electrolyte", pores * (1 + design.electrolyte_excess) * rho_el, design.electrolyte,
        "electrolyte")  # fmt: skip
    for part in layout.parts:
        kg = (
            part.mass
            if part.mass is not None
            else part.volume * table.density(part.material, part.field)
        )
        add(part.name, kg, part.material, part.field)
    return mass, priced


def _volume_breakdown(design: CellDesign, layout: CellLayout) -> dict[str, float]:
    """Component -> volume [m^3] inside the envelope; the rest is free space."""
    pos, neg = design.positive, design.negative
    volume = {
        "positive coating": layout.positive_area * pos.coating_thickness,
        "negative coating": layout.negative_area * neg.coating_thickness,
        "current collectors": layout.positive_foil_area * pos.collector_thickness
        + layout.negative_foil_area * neg.collector_thickness,
        "separator": layout.separator_area * design.separator_thickness,
    }
    for part in layout.parts:
        if part.inside:
            volume[part.name] = part.volume
    free = layout.envelope_volume - sum(volume.values())
    if free < -1e-9 * layout.envelope_volume:
        raise InputError(
            f"geometry: the stack and housing take {sum(volume.values()) * 1e6:.2f} cm^3, more "
            f"than the {layout.envelope_volume * 1e6:.2f} cm^3 envelope",
            design.name,
        )
    volume["free space"] = max(free, 0.0)
    return volume
