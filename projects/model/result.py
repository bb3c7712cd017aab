"""Results: time series, fields on meshes over time, scalars and provenance.

Series are named like PyBaMM's variables, with the unit in brackets (``"Voltage [V]"``); all
series of one result share the ``"Time [s]"`` axis.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

import numpy as np
from pydantic import ConfigDict, Field, field_validator, model_validator

from cellwright.projects.model.base import CWModel, FloatArray, IntArray, new_id, unit_of

__all__ = [
    "TIME",
    "FieldData",
    "MeshData",
    "Provenance",
    "Result",
    "ResultStatus",
]

TIME = "Time [s]"


class ResultStatus(StrEnum):
    """How a run ended."""

    COMPLETE = "complete"
    PARTIAL = "partial"  # the solver stopped early; what was solved is kept, with the reason
    CANCELLED = "cancelled"


class MeshData(CWModel):
    """An unstructured mesh: points, cell blocks by meshio cell type, and named regions."""

    points: FloatArray
    cells: dict[str, IntArray] = Field(description="meshio cell type -> connectivity (n, k)")
    cell_sets: dict[str, dict[str, IntArray]] = Field(
        default_factory=dict, description="region name -> cell type -> cell indices"
    )

    @field_validator("points")
    @classmethod
    def _points_3d(cls, points: np.ndarray) -> np.ndarray:
        if points.ndim != 2 or points.shape[1] != 3:
            raise ValueError(f"points must have shape (n, 3), got {points.shape}")
        return points

    @property
    def n_points(self) -> int:
        """Number of points."""
        return int(self.points.shape[0])

    @property
    def n_cells(self) -> int:
        """Number of cells over all blocks."""
        return int(sum(c.shape[0] for c in self.cells.values()))


class FieldData(CWModel):
    """A field on a mesh over time: ``values[t, i]`` (or ``values[t, i, component]``)."""

    name: str = Field(description='name with unit, e.g. "Temperature [K]"')
    mesh: str = Field(description="key of the mesh in Result.meshes")
    association: str = Field("point", pattern="^(point|cell)$")
    times: FloatArray
    values: FloatArray

    @model_validator(mode="after")
    def _shape(self) -> FieldData:
        if self.values.ndim not in (2, 3) or self.values.shape[0] != self.times.shape[0]:
            raise ValueError(
                f"{self.name}: values must be (n_times, n[, components]) with n_times = "
                f"{self.times.shape[0]}, got {self.values.shape}"
            )
        return self

    @property
    def unit(self) -> str:
        """Unit from the name."""
        return unit_of(self.name)


class Provenance(CWModel):
    """Where a result came from, enough to reproduce it."""

    engine_id: str
    engine_version: str
    spec_hash: str
    library_versions: dict[str, str] = Field(default_factory=dict)
    started_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    wall_time: float = Field(0.0, ge=0, description="wall time [s]")
    warnings: list[str] = Field(default_factory=list)
    methods: list[str] = Field(
        default_factory=list, description="models and correlations used, each with its source"
    )


class Result(CWModel):
    """What an engine returns: series, fields, scalars and provenance."""

    model_config = ConfigDict(allow_inf_nan=True)  # a scalar an engine could not compute is NaN

    id: str = Field(default_factory=new_id)
    study_id: str = ""
    name: str = ""
    status: ResultStatus = ResultStatus.COMPLETE
    message: str = Field("", description="why a run ended early, when it did")
    series: dict[str, FloatArray] = Field(default_factory=dict)
    meshes: dict[str, MeshData] = Field(default_factory=dict)
    fields: list[FieldData] = Field(default_factory=list)
    scalars: dict[str, float] = Field(default_factory=dict)
    tables: dict[str, dict[str, FloatArray]] = Field(
        default_factory=dict, description="named tables of equal-length columns (per cycle …)"
    )
    provenance: Provenance

    @model_validator(mode="after")
    def _series_share_time(self) -> Result:
        if not self.series:
            return self
        if TIME not in self.series:
            raise ValueError(f'series need a "{TIME}" axis')
        n = self.series[TIME].shape
        for name, values in self.series.items():
            if values.shape != n:
                raise ValueError(f"series {name!r} has shape {values.shape}, time has {n}")
        for field in self.fields:
            if field.mesh not in self.meshes:
                raise ValueError(f"field {field.name!r} refers to unknown mesh {field.mesh!r}")
        return self

    def field(self, name: str) -> FieldData:
        """The field called ``name``."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"no field {name!r}; fields: {[f.name for f in self.fields]}")
