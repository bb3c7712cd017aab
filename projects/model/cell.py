"""Cells: reference commercial cells of the library, electrodes, and user cell designs.

The cell/pack builder (projects.design) computes the derived figures; these models only hold
and validate what a user or a datasheet states.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from cellwright.projects.model.base import CWModel, Slug, Unit, new_id

__all__ = [
    "CellDesign",
    "CellFormat",
    "CellGeometry",
    "CylindricalGeometry",
    "Electrode",
    "PouchGeometry",
    "PrismaticGeometry",
    "ReferenceCell",
    "Tab",
]


class CellFormat(StrEnum):
    """Mechanical format of a cell."""

    CYLINDRICAL = "cylindrical"
    POUCH = "pouch"
    PRISMATIC = "prismatic"


Length = Annotated[float, Unit("m"), Field(gt=0, le=2.0)]
Fraction = Annotated[float, Unit("1"), Field(ge=0, le=1)]
Gap = Annotated[float, Unit("m"), Field(ge=0, le=0.1)]
Wall = Annotated[float, Unit("m"), Field(gt=0, le=0.02)]
Voltage = Annotated[float, Unit("V"), Field(gt=0, le=6)]
# Outer sizes a single cell can have: the generic Length (2 m) let a "21700" of 2 m diameter
# through as a 533 kg cell. The limits leave room above the largest production cells (46-60 mm
# cylinders up to 120-150 mm tall, 15 mm pouches, 70-80 mm thick prismatic cases).
CanDiameter = Annotated[float, Unit("m"), Field(gt=0, le=0.1)]
CanHeight = Annotated[float, Unit("m"), Field(gt=0, le=0.3)]
PouchThickness = Annotated[float, Unit("m"), Field(gt=0, le=0.05)]
CaseThickness = Annotated[float, Unit("m"), Field(gt=0, le=0.15)]


class ReferenceCell(CWModel):
    """A commercial cell as its datasheet (or the paper that characterised it) describes it.

    Every numeric value that is set must have an entry in ``sources`` naming where it comes from.
    """

    id: Slug
    name: str = Field(min_length=1)
    manufacturer: str = ""
    format: CellFormat
    cathode: str = Field("", description="cathode active material chemistry, e.g. NMC811")
    anode: str = Field("", description="anode active material, e.g. graphite-SiOx")
    nominal_capacity: Annotated[float, Unit("A.h"), Field(gt=0, le=2000)]
    nominal_voltage: Annotated[float, Unit("V"), Field(gt=0, le=6)]
    min_voltage: Annotated[float, Unit("V"), Field(gt=0, le=6)]
    max_voltage: Annotated[float, Unit("V"), Field(gt=0, le=6)]
    mass: Annotated[float, Unit("kg"), Field(gt=0, le=20)]
    diameter: Length | None = None
    height: Length | None = None
    length: Length | None = None
    width: Length | None = None
    thickness: Length | None = None
    max_discharge_current: Annotated[float, Unit("A"), Field(gt=0, le=5000)] | None = None
    max_charge_current: Annotated[float, Unit("A"), Field(gt=0, le=5000)] | None = None
    pybamm_parameter_set: str | None = Field(
        None, description="PyBaMM parameter set that models this cell, if any"
    )
    sources: dict[str, str] = Field(default_factory=dict)
    notes: str = ""
    pybamm_parameter_factors: dict[str, Annotated[float, Field(gt=0)]] = Field(
        default_factory=dict,
        description="factors on values of the PyBaMM set (number or function), as fitted to lab "
        "data; sourced like every value",
    )

    @model_validator(mode="after")
    def _consistent(self) -> ReferenceCell:
        if not self.min_voltage < self.nominal_voltage < self.max_voltage:
            raise ValueError(
                f"voltages must satisfy min < nominal < max, got {self.min_voltage:g} V, "
                f"{self.nominal_voltage:g} V, {self.max_voltage:g} V"
            )
        if self.format == CellFormat.CYLINDRICAL:
            needed = ("diameter", "height")
        else:
            needed = ("length", "width", "thickness")
        missing = [n for n in needed if getattr(self, n) is None]
        if missing:
            raise ValueError(f"a {self.format} cell needs {', '.join(missing)}")
        unsourced = [
            name for name, value in self if isinstance(value, float) and name not in self.sources
        ]
        if self.pybamm_parameter_factors:
            unsourced.extend([] if "pybamm_parameter_factors" in self.sources
                             else ["pybamm_parameter_factors"])  # fmt: skip
        if unsourced:
            raise ValueError(f"values without a source: {', '.join(unsourced)}")
        return self

    @property
    def nominal_energy(self) -> float:
        """Nominal energy [W.h] = nominal capacity × nominal voltage."""
        return self.nominal_capacity * self.nominal_voltage

    @property
    def volume(self) -> float:
        """Envelope volume [m^3]."""
        import math

        if self.format == CellFormat.CYLINDRICAL:
            return math.pi * (self.diameter / 2) ** 2 * self.height  # type: ignore[operator]
        return self.length * self.width * self.thickness  # type: ignore[operator]


class Electrode(CWModel):
    """One coated electrode: active material, composition, coating and collector."""

    active_material: Slug
    active_fraction: Annotated[float, Unit("1"), Field(gt=0, le=1)] = 0.94
    binder: Slug | None = None
    binder_fraction: Fraction = 0.03
    conductive_additive: Slug | None = None
    additive_fraction: Fraction = 0.03
    coating_thickness: Annotated[float, Unit("m"), Field(ge=1e-6, le=500e-6)] = 70e-6
    porosity: Annotated[float, Unit("1"), Field(ge=0.05, le=0.8)] = 0.3
    particle_radius: Annotated[float, Unit("m"), Field(ge=1e-8, le=1e-4)] = 5e-6
    current_collector: Slug
    collector_thickness: Annotated[float, Unit("m"), Field(ge=1e-6, le=100e-6)] = 12e-6
    coated_sides: int = Field(2, ge=1, le=2)
    active_volume_fraction: Annotated[float, Unit("1"), Field(gt=0, lt=1)] | None = Field(
        None,
        description="volume fraction of active material in the coating, as PyBaMM parameter "
        "sets state it; default: computed from porosity, mass fractions and densities",
    )
    stoichiometry_min: Fraction | None = Field(
        None, description="lowest lithiation reached between the cell's cut-off voltages"
    )
    stoichiometry_max: Fraction | None = Field(
        None, description="highest lithiation reached between the cell's cut-off voltages"
    )
    utilisation: Annotated[float, Unit("1"), Field(gt=0, le=1)] = Field(
        1.0, description="share of the specific capacity used (when no stoichiometry window)"
    )

    @model_validator(mode="after")
    def _fractions_sum_to_one(self) -> Electrode:
        total = self.active_fraction + self.binder_fraction + self.additive_fraction
        if abs(total - 1.0) > 1e-6:
            raise ValueError(
                f"active + binder + additive mass fractions must sum to 1, got {total:.4f}"
            )
        if self.active_volume_fraction is not None and (
            self.active_volume_fraction > 1.0 - self.porosity + 1e-9
        ):
            raise ValueError(
                f"active_volume_fraction {self.active_volume_fraction:g} leaves no room: it "
                f"must not exceed 1 - porosity = {1.0 - self.porosity:g}"
            )
        lo, hi = self.stoichiometry_min, self.stoichiometry_max
        if (lo is None) != (hi is None):
            raise ValueError("give both stoichiometry_min and stoichiometry_max, or neither")
        if lo is not None and hi is not None and lo >= hi:
            raise ValueError(f"stoichiometry_min ({lo:g}) must be below stoichiometry_max ({hi:g})")
        return self


class Tab(CWModel):
    """A current-collector tab: a metal strip from the electrode stack to the terminal."""

    material: Slug
    width: Annotated[float, Unit("m"), Field(gt=0, le=0.5)] = 4e-3
    thickness: Annotated[float, Unit("m"), Field(gt=0, le=5e-3)] = 0.1e-3
    length: Annotated[float, Unit("m"), Field(gt=0, le=0.5)] = 5e-3


def _al_tab() -> Tab:
    return Tab(material="aluminium-foil")


def _cu_tab() -> Tab:
    return Tab(material="copper-foil")


class CylindricalGeometry(CWModel):
    """A wound cell in a cylindrical can (18650, 21700, 4680 ...).

    The jelly roll fills the can between the mandrel and the can wall (less a radial
    clearance) over the can height less the headspace. The headspace holds, from the bottom:
    the can bottom, a bottom gap (insulator, negative tab), and at the top a gap with the
    positive tab and the cap assembly.
    """

    kind: Literal["cylindrical"] = "cylindrical"
    diameter: CanDiameter = Field(description="outer can diameter (at most 100 mm)")
    height: CanHeight = Field(description="can height (at most 300 mm)")
    can_wall_thickness: Wall = 0.25e-3
    can_bottom_thickness: Wall = 0.3e-3
    cap_thickness: Annotated[float, Unit("m"), Field(gt=0, le=0.05)] = 2.5e-3
    cap_mass: Annotated[float, Unit("kg"), Field(ge=0, le=5)] = Field(
        3e-3, description="cap/header assembly: cap, vent, CID, PTC and gasket"
    )
    headspace: Gap = Field(5e-3, description="can height not taken by the jelly roll")
    bottom_gap: Gap = 0.5e-3
    mandrel_diameter: Gap = 2e-3
    radial_clearance: Gap = Field(
        0.2e-3, description="jelly roll to can wall: outer separator wraps, tape, play"
    )
    jelly_roll_length: Length | None = Field(
        None, description="wound length of the positive; default: as much as the can holds"
    )
    can_material: Slug = "nickel-plated-steel"
    positive_tab: Tab = Field(default_factory=_al_tab)
    negative_tab: Tab = Field(default_factory=_cu_tab)


class PouchGeometry(CWModel):
    """A stacked cell in a laminate pouch: x along ``length``, y along ``width``, z through.

    The stack holds ``cathode_layers`` double-sided positive sheets between
    ``cathode_layers + 1`` negative sheets; the two outer negatives may be coated on their
    inner side only. Tabs leave through the seal on the +x edge.
    """

    kind: Literal["pouch"] = "pouch"
    length: Length
    width: Length
    thickness: PouchThickness = Field(description="through the stack (at most 50 mm)")
    cathode_layers: int = Field(ge=1, le=500)
    electrode_length: Length = Field(description="coated length of a positive sheet (x)")
    electrode_width: Length = Field(description="coated width of a positive sheet (y)")
    outer_negatives_single_sided: bool = True
    seal_width: Gap = 4e-3
    laminate_material: Slug = "pouch-laminate"
    laminate_thickness: Annotated[float, Unit("m"), Field(gt=0, le=1e-3)] = 132e-6
    positive_tab: Tab = Field(
        default_factory=lambda: Tab(
            material="aluminium-foil", width=30e-3, thickness=0.2e-3, length=20e-3
        )
    )
    negative_tab: Tab = Field(
        default_factory=lambda: Tab(
            material="copper-foil", width=30e-3, thickness=0.2e-3, length=20e-3
        )
    )


class PrismaticGeometry(CWModel):
    """A hard-case cell: x along ``length``, y through ``thickness``, z up along ``width``.

    The electrodes are either wound into flat (racetrack) jelly rolls or stacked; either way
    they stand upright in the aluminium can below the lid and terminals (the headspace).
    """

    kind: Literal["prismatic"] = "prismatic"
    length: Length
    width: Length = Field(description="height of the can (the terminals are on top)")
    thickness: CaseThickness = Field(description="of the case (at most 150 mm)")
    construction: Literal["wound", "stacked"] = "wound"
    jelly_rolls: int = Field(1, ge=1, le=8, description="flat jelly rolls side by side (wound)")
    cathode_layers: int | None = Field(None, ge=1, le=500, description="stacked only")
    core_thickness: Gap = Field(1e-3, description="flat mandrel gap in a wound roll")
    can_wall_thickness: Wall = 0.8e-3
    headspace: Gap = Field(8e-3, description="can height taken by the lid and terminals")
    clearance: Gap = 0.3e-3
    cap_mass: Annotated[float, Unit("kg"), Field(ge=0, le=5)] = Field(
        20e-3, description="lid with terminals, vent and insulators"
    )
    can_material: Slug = "aluminium-3003"
    positive_tab: Tab = Field(
        default_factory=lambda: Tab(
            material="aluminium-foil", width=20e-3, thickness=0.2e-3, length=10e-3
        )
    )
    negative_tab: Tab = Field(
        default_factory=lambda: Tab(
            material="copper-foil", width=20e-3, thickness=0.2e-3, length=10e-3
        )
    )

    @model_validator(mode="after")
    def _stacked_needs_layers(self) -> PrismaticGeometry:
        if self.construction == "stacked" and self.cathode_layers is None:
            raise ValueError("a stacked prismatic cell needs cathode_layers")
        return self


CellGeometry = Annotated[
    CylindricalGeometry | PouchGeometry | PrismaticGeometry, Field(discriminator="kind")
]


class CellDesign(CWModel):
    """A user's cell design.

    It may be based on a library reference cell and a PyBaMM parameter set; the cell/pack
    builder adds the electrode stack and geometry and derives capacity, energy and mass.
    """

    id: str = Field(default_factory=new_id)
    name: str = Field(min_length=1)
    format: CellFormat = CellFormat.CYLINDRICAL
    reference_cell: Slug | None = None
    pybamm_parameter_set: str | None = None
    positive: Electrode | None = None
    negative: Electrode | None = None
    separator: Slug | None = None
    separator_thickness: Annotated[float, Unit("m"), Field(ge=1e-6, le=100e-6)] = 12e-6
    electrolyte: Slug | None = None
    ecm_parameters: str | None = Field(
        None, description="id of fitted equivalent-circuit parameters stored in the project"
    )
    geometry: CellGeometry | None = Field(None, description="can, pouch or case and the stack")
    nominal_voltage: Voltage | None = None
    min_voltage: Voltage | None = None
    max_voltage: Voltage | None = None
    negative_overhang: Annotated[float, Unit("m"), Field(ge=0, le=0.01)] = Field(
        0.0, description="negative coating beyond the positive on each edge"
    )
    electrolyte_excess: Annotated[float, Unit("1"), Field(ge=0, le=3)] = Field(
        0.0, description="electrolyte beyond the pore volume, as a fraction of it"
    )
    notes: str = ""

    @model_validator(mode="after")
    def _geometry_matches_format(self) -> CellDesign:
        if self.geometry is not None and self.geometry.kind != self.format:
            raise ValueError(
                f"geometry is {self.geometry.kind} but the cell format is {self.format}"
            )
        volts = (self.min_voltage, self.nominal_voltage, self.max_voltage)
        if None not in volts and not volts[0] < volts[1] < volts[2]:  # type: ignore[operator]
            raise ValueError(
                "voltages must satisfy min_voltage < nominal_voltage < max_voltage, got "
                + ", ".join(f"{v:g} V" for v in volts)  # type: ignore[str-format]
            )
        return self
