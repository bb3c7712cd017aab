"""Design studies: many runs of one engine over varied spec and design fields.

A :class:`DesignStudy` says which fields vary (``spec.c_rate``, ``design.positive.porosity``,
``cell.positive.coating_thickness`` for a pack's cell) over which ranges, how the points are
drawn (full factorial, Latin hypercube, Sobol, or an optimiser: optuna TPE, NSGA-II), and which
outputs are objectives or constraints. Each drawn point is a :class:`StudyPoint`: its input
values, its status (pending, done, failed) and the outputs read from its stored result, so a
study's table is read without loading any result's arrays and an interrupted study resumes with
the points that are not done.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from cellwright.projects.model.base import CWModel, new_id
from cellwright.projects.model.study import DesignRef

__all__ = [
    "Constraint",
    "DesignStudy",
    "Objective",
    "PointStatus",
    "Sampler",
    "StudyInput",
    "StudyPoint",
    "point_id",
]


class Sampler(StrEnum):
    """How a study's points are drawn."""

    FACTORIAL = "factorial"
    LHS = "lhs"
    SOBOL = "sobol"
    TPE = "tpe"
    NSGA2 = "nsga2"

    @property
    def optimises(self) -> bool:
        """True for the optimisers: their points depend on the outputs of earlier ones."""
        return self in (Sampler.TPE, Sampler.NSGA2)


class StudyInput(CWModel):
    """One varied field: a range (``low``–``high``, numbers in the field's own unit) or a list
    of ``values`` (numbers or choices such as ``"DFN"``)."""

    path: str = Field(pattern=r"^(spec|design|cell)(\.[A-Za-z0-9_]+)+$")
    low: float | None = None
    high: float | None = None
    values: list[float | int | str] | None = None
    levels: int = Field(3, ge=2, le=100, description="grid levels of a range (factorial)")
    scale: Literal["linear", "log"] = "linear"
    integer: bool = False
    unit: str = Field("", description="the field's unit, as its model declares it")

    @model_validator(mode="after")
    def _range_or_values(self) -> StudyInput:
        if self.values is not None:
            if self.low is not None or self.high is not None:
                raise ValueError(f"{self.path}: give low/high or values, not both")
            if not self.values:
                raise ValueError(f"{self.path}: values is empty")
            return self
        if self.low is None or self.high is None:
            raise ValueError(f"{self.path}: give low and high, or a list of values")
        if not self.low < self.high:
            raise ValueError(f"{self.path}: low ({self.low:g}) must be below high ({self.high:g})")
        if self.scale == "log" and self.low <= 0:
            raise ValueError(f"{self.path}: a log scale needs low > 0 (got {self.low:g})")
        return self

    @property
    def is_range(self) -> bool:
        """True for a numeric range, False for a list of values."""
        return self.values is None


class Objective(CWModel):
    """An output to minimise or maximise."""

    output: str = Field(min_length=1)
    direction: Literal["minimize", "maximize"] = "minimize"


class Constraint(CWModel):
    """An output that must stay within bounds (``min`` ≤ output ≤ ``max``)."""

    output: str = Field(min_length=1)
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _a_bound(self) -> Constraint:
        if self.min is None and self.max is None:
            raise ValueError(f"constraint on {self.output!r} needs min or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"constraint on {self.output!r}: min {self.min:g} > max {self.max:g}")
        return self

    def violation(self, value: float) -> float:
        """How far ``value`` lies outside the bounds (0 inside; optuna's convention: > 0 is
        infeasible); NaN is outside every bound (infinitely far), as no comparison with it
        holds: it passed a bound on ``max`` alone."""
        if math.isnan(value):
            return math.inf
        below = (self.min - value) if self.min is not None else 0.0
        above = (value - self.max) if self.max is not None else 0.0
        return max(below, above, 0.0)


class DesignStudy(CWModel):
    """A study over many points: an engine, its base spec, a design and the varied fields."""

    id: str = Field(default_factory=new_id)
    name: str = Field(min_length=1)
    engine: str = Field(min_length=1, pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
    spec: dict[str, Any] = Field(default_factory=dict)
    design: DesignRef
    inputs: list[StudyInput] = Field(min_length=1)
    sampler: Sampler = Sampler.LHS
    points: int = Field(16, ge=1, le=100_000, description="points drawn (not for factorial)")
    seed: int = 0
    outputs: list[str] = Field(
        default_factory=list, description="outputs kept per point; default: every scalar"
    )
    objectives: list[Objective] = Field(default_factory=list)
    constraints: list[Constraint] = Field(default_factory=list)
    sensitivity: bool = Field(
        False, description="compute the outputs' Sobol' indices (on a surrogate) when it ends"
    )
    base_fingerprint: dict[str, str] = Field(
        default_factory=dict,
        description="digest per part of the base design its points read, taken when it started "
        "(a resume on an edited design is refused); empty for a study stored before they were kept",
    )
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    notes: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> DesignStudy:
        paths = [i.path for i in self.inputs]
        doubled = sorted({p for p in paths if paths.count(p) > 1})
        if doubled:
            raise ValueError(f"input {doubled[0]!r} is given twice")
        if self.sampler in (Sampler.TPE, Sampler.NSGA2) and not self.objectives:
            raise ValueError(f"the {self.sampler} optimiser needs at least one objective")
        if self.sampler == Sampler.NSGA2 and len(self.objectives) < 2:
            raise ValueError("NSGA-II is a multi-objective optimiser: give two or more objectives")
        return self

    @property
    def optimises(self) -> bool:
        """True when an optimiser draws the points (they depend on earlier outputs)."""
        return Sampler(self.sampler).optimises


class PointStatus(StrEnum):
    """Where a point is."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


def point_id(study_id: str, index: int) -> str:
    """The id of point ``index`` of a study (sorts in index order)."""
    return f"{study_id}.{index:06d}"


class StudyPoint(CWModel):
    """One point of a design study: its inputs, how its run went and the outputs it gave."""

    model_config = ConfigDict(allow_inf_nan=True)  # an output the point's run could not give is NaN

    id: str
    name: str
    study: str = Field(description="id of the DesignStudy")
    index: int = Field(ge=0)
    values: dict[str, float | int | str]
    status: PointStatus = PointStatus.PENDING
    result: str = Field("", description="id of the stored result")
    error: str = ""
    outputs: dict[str, float] = Field(default_factory=dict)
    wall_time: float = Field(0.0, ge=0)
    worker: str = ""
    finished_at: datetime | None = None
