"""Cells: reference commercial cells of the library, electrodes, and user cell designs.

The cell/pack builder (projects.design) computes the derived figures; these models only hold
and validate what a user or a datasheet states.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from projects.model.base import CWModel, Slug, Unit, new_id

__all__ = ["CellDesign", "CellFormat", "Electrode", "ReferenceCell"]


class CellFormat(StrEnum):
    """Mechanical format of a cell."""

    CYLINDRICAL = "cylindrical"
    POUCH = "pouch"
    PRISMATIC = "prismatic"


Length = Annotated[float, Unit("m"), Field(gt=0, le=2.0)]
Fraction = Annotated[float, Unit("1"), Field(ge=0, le=1)]


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

    @model_validator(mode="after")
    def _fractions_sum_to_one(self) -> Electrode:
        total = self.active_fraction + self.binder_fraction + self.additive_fraction
        if abs(total - 1.0) > 1e-6:
            raise ValueError(
                f"active + binder + additive mass fractions must sum to 1, got {total:.4f}"
            )
        return self


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
    notes: str = ""
