"""Equivalent-circuit (Thevenin) cell parameters: OCV, R0 and n RC pairs as look-up tables.

The layout follows PyBaMM's ECM parameter sets (``pybamm.equivalent_circuit.Thevenin``):
R and C tables over (cell temperature, current, SOC) on a regular grid, the current axis signed
(positive = discharge, PyBaMM's convention) so the tables carry the current direction; OCV over
SOC; the entropic coefficient dU/dT over (OCV, temperature); and a two-node lumped thermal model
(cell and jig). Tables are interpolated linearly and extrapolated linearly past their edges, as
PyBaMM's ``Interpolant`` does.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np
from pydantic import Field, model_validator

from cellwright.projects.model.base import CWModel, FloatArray, Unit, new_id

__all__ = ["EcmParameters", "RCTables"]


def _axis_ok(name: str, axis: np.ndarray) -> None:
    if axis.ndim != 1 or axis.size < 2 or np.any(np.diff(axis) <= 0):
        raise ValueError(f"{name} must be 1-D, at least 2 values, strictly increasing")


class RCTables(CWModel):
    """Resistance [Ohm] and capacitance [F] of one RC pair, each of shape (nT, nI, nSOC)."""

    resistance: FloatArray
    capacitance: FloatArray


class EcmParameters(CWModel):
    """A Thevenin model with R0 and 1–3 RC pairs, with where its numbers came from."""

    id: str = Field(default_factory=new_id)
    name: str = Field(min_length=1)
    source: str = Field(min_length=3, description="fit, data set or paper the tables come from")
    capacity: Annotated[float, Unit("A.h"), Field(gt=0, le=5000)]
    temperature_axis: FloatArray = Field(description="cell temperature grid [K]")
    current_axis: FloatArray = Field(description="current grid [A], positive on discharge")
    soc_axis: FloatArray = Field(description="state-of-charge grid [1]")
    r0: FloatArray = Field(description="series resistance [Ohm], shape (nT, nI, nSOC)")
    rc: list[RCTables] = Field(min_length=1, max_length=3)
    ocv_soc: FloatArray = Field(description="SOC points of the OCV curve [1]")
    ocv: FloatArray = Field(description="open-circuit voltage [V] at ocv_soc")
    entropic_ocv_axis: FloatArray = Field(description="OCV grid of the dU/dT table [V]")
    entropic_temperature_axis: FloatArray = Field(description="temperature grid of dU/dT [K]")
    entropic: FloatArray = Field(description="dU/dT [V/K], shape (nOCV, nT)")
    cell_thermal_mass: Annotated[float, Unit("J/K"), Field(gt=0)] = 1000.0
    jig_thermal_mass: Annotated[float, Unit("J/K"), Field(gt=0)] = 500.0
    cell_jig_conductance: Annotated[float, Unit("W/K"), Field(ge=0)] = 10.0
    jig_air_conductance: Annotated[float, Unit("W/K"), Field(ge=0)] = 10.0
    lower_voltage: Annotated[float, Unit("V"), Field(gt=0, le=6)] = 2.5
    upper_voltage: Annotated[float, Unit("V"), Field(gt=0, le=6)] = 4.2

    @model_validator(mode="after")
    def _shapes(self) -> EcmParameters:
        for name in (
            "temperature_axis",
            "current_axis",
            "soc_axis",
            "ocv_soc",
            "entropic_ocv_axis",
            "entropic_temperature_axis",
        ):
            _axis_ok(name, getattr(self, name))
        grid = (self.temperature_axis.size, self.current_axis.size, self.soc_axis.size)
        tables = {"r0": self.r0}
        for i, pair in enumerate(self.rc, start=1):
            tables[f"r{i}"] = pair.resistance
            tables[f"c{i}"] = pair.capacitance
        for name, table in tables.items():
            if table.shape != grid:
                raise ValueError(f"{name} has shape {table.shape}, the grid is {grid}")
            if np.any(table <= 0):
                raise ValueError(f"{name} must be positive everywhere")
        if self.ocv.shape != self.ocv_soc.shape:
            raise ValueError("ocv and ocv_soc must have the same length")
        ent = (self.entropic_ocv_axis.size, self.entropic_temperature_axis.size)
        if self.entropic.shape != ent:
            raise ValueError(f"entropic has shape {self.entropic.shape}, expected {ent}")
        if self.lower_voltage >= self.upper_voltage:
            raise ValueError("lower_voltage must be below upper_voltage")
        return self

    @property
    def n_rc(self) -> int:
        """Number of RC pairs."""
        return len(self.rc)
