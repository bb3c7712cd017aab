"""What a ``mechanics.swelling`` study states: the module stack, the cycle, the life."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cellwright.projects.model import Unit

__all__ = [
    "CycleSpec",
    "LifeSpec",
    "PadSpec",
    "SeiSpec",
    "StressCurve",
    "SwellingSpec",
    "VolumeCurve",
]

Length = Annotated[float, Unit("m"), Field(gt=0, le=1.0)]
Force = Annotated[float, Unit("N"), Field(ge=0, le=1e8)]
Fraction = Annotated[float, Field(ge=0, le=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StressCurve(_Strict):
    """A compression curve: engineering strain [-] and compressive stress [Pa], both rising."""

    strain: list[Annotated[float, Field(ge=0, lt=1)]] = Field(min_length=2)
    stress: list[Annotated[float, Field(ge=0, le=1e10)]] = Field(min_length=2)


class VolumeCurve(_Strict):
    """Particle volume change ΔV/V [-] against stoichiometry [-] (increasing)."""

    stoichiometry: list[Fraction] = Field(min_length=2)
    volume_change: list[Annotated[float, Field(ge=-0.9, le=5)]] = Field(min_length=2)


class PadSpec(_Strict):
    """The compression pads between the cells (and against the end plates)."""

    curve: str | StressCurve = Field(
        "poron-4701-30",
        description="a shipped curve (resources/swelling/compression.csv) or the pad's own "
        "compression-force-deflection points",
    )
    thickness: Length = 3e-3
    count: int | None = Field(
        None, ge=0, le=1001, description="pads in the stack; default: one between each pair of "
        "cells and one at each end plate (cells + 1)"
    )  # fmt: skip
    area: Annotated[float, Unit("m^2"), Field(gt=0, le=10)] | None = Field(
        None, description="pad area; default: the cell's loaded face"
    )


class CycleSpec(_Strict):
    """A constant-current charge and discharge between two states of charge."""

    c_rate: Annotated[float, Field(gt=0, le=20)] = 0.5
    soc_min: Fraction = 0.0
    soc_max: Fraction = 1.0
    cycles: int = Field(1, ge=1, le=100)
    points: int = Field(101, ge=3, le=10001, description="points per charge or discharge")
    soh: Annotated[float, Field(gt=0.3, le=1)] = Field(
        1.0, description="state of health the cycle is run at"
    )

    @model_validator(mode="after")
    def _window(self) -> CycleSpec:
        if self.soc_max <= self.soc_min:
            raise ValueError("soc_max must be above soc_min")
        return self


class SeiSpec(_Strict):
    """Irreversible growth as the volume of the SEI the lost lithium formed."""

    molar_volume: Annotated[float, Unit("m^3/mol"), Field(gt=0, le=1e-3)] = Field(
        9.585e-5, description="SEI partial molar volume (PyBaMM default, Safari et al. 2009)"
    )
    electrons: Annotated[float, Field(gt=0, le=4)] = Field(
        2.0, description="electrons per SEI molecule (z_SEI)"
    )
    thickness_fraction: Fraction = Field(
        1.0, description="share of the SEI volume that shows as thickness (the rest fills pores)"
    )


#: the lowest state of health a life table reaches (excluded): far past any second life
_SOH_FLOOR = 0.3


class LifeSpec(_Strict):
    """States of health to evaluate, given directly or as cycles at a fade rate."""

    soh: list[Annotated[float, Field(gt=_SOH_FLOOR, le=1)]] | None = Field(
        None, description="states of health; default 1.0, 0.95 … 0.80"
    )
    cycles: list[Annotated[float, Field(ge=0, le=1e6)]] | None = Field(
        None, description="cycle counts, with fade_per_cycle (linear fade)"
    )
    fade_per_cycle: Annotated[float, Field(gt=0, le=0.01)] | None = None
    growth: Literal["sei", "linear"] = Field(
        "sei", description="irreversible growth: SEI volume of the lost lithium, or a coefficient"
    )
    growth_coefficient: Annotated[float, Field(ge=0, le=10)] = Field(
        0.1, description="linear: cell thickness strain per unit capacity loss"
    )
    sei: SeiSpec = Field(default_factory=SeiSpec)

    @model_validator(mode="after")
    def _one_axis(self) -> LifeSpec:
        if self.soh is not None and self.cycles is not None:
            raise ValueError("give soh or cycles, not both")
        if self.cycles is not None and self.fade_per_cycle is None:
            raise ValueError("cycles need fade_per_cycle (capacity lost per cycle, e.g. 2e-4)")
        if self.cycles and 1.0 - self.fade_per_cycle * max(self.cycles) <= _SOH_FLOOR:
            # the states of health were clamped at the floor without a word: 100000 cycles at
            # 1.5e-4 (a capacity loss of 1500 %) were reported as cycle 100000 at SOH 0.3
            last = (1.0 - _SOH_FLOOR) / self.fade_per_cycle
            raise ValueError(
                f"{max(self.cycles):g} cycles at fade_per_cycle {self.fade_per_cycle:g} leave a "
                f"state of health of {1.0 - self.fade_per_cycle * max(self.cycles):.3g}; the "
                f"linear fade is taken down to {_SOH_FLOOR:g} (fewer than {last:.6g} cycles)"
            )
        return self

    def states(self) -> tuple[list[float], list[float] | None]:
        """States of health, and the cycle counts they came from (or None)."""
        if self.cycles is not None:
            return [1.0 - self.fade_per_cycle * n for n in self.cycles], self.cycles
        return self.soh or [1.0, 0.95, 0.9, 0.85, 0.8], None


class SwellingSpec(_Strict):
    """Module stack, cycle and life of a swelling study."""

    cells: int = Field(12, ge=1, le=1000, description="cells in the stack between the end plates")
    assembly_soc: Fraction = Field(0.3, description="state of charge the module is built at")
    preload: Force = Field(1000.0, description="end-plate force at assembly")
    tie_stiffness: Annotated[float, Unit("N/m"), Field(gt=0, le=1e12)] | None = Field(
        5e7,
        description='axial stiffness of all tie rods or bands together; "fixed": a fixed gap',
    )
    force_limit: Force | None = Field(None, description="design limit of the end-plate force")
    pad: PadSpec = Field(default_factory=PadSpec)
    cell_curve: str | StressCurve = Field(
        "pouch-stack", description="cell through-thickness compression curve"
    )
    cycle: CycleSpec = Field(default_factory=CycleSpec)
    life: LifeSpec = Field(default_factory=LifeSpec)
    negative_volume_change: VolumeCurve | None = None
    positive_volume_change: VolumeCurve | None = None

    @field_validator("tie_stiffness", mode="before")
    @classmethod
    def _fixed_gap(cls, value: object) -> object:
        # TOML has no null, so a study file could not ask for the fixed gap the engine models
        # (leaving the field out gives the default tie rods)
        if isinstance(value, str) and value.strip().lower() in ("fixed", "none"):
            return None
        return value
