"""Drawing a study's points: full factorial, Latin hypercube and Sobol.

The space-filling designs come from ``scipy.stats.qmc`` (Latin hypercube: McKay, Beckman &
Conover 1979, with scipy's optimised centred variant off so the draw is plain LHS; Sobol: Sobol'
1967 with Owen scrambling). Each draws points in the unit cube, mapped onto each input: linearly
or logarithmically onto a range (rounded for integers), or onto a list of values by equal-width
bins. Draws are reproducible from the study's seed, so a resumed study regenerates nothing: its
points are stored when it starts.
"""

from __future__ import annotations

import itertools
import math
import warnings
from typing import Any

import numpy as np

from cellwright.projects.model import DesignStudy, InputError, Sampler, StudyInput

__all__ = ["draw_points", "from_unit", "to_unit_cube"]


def from_unit(item: StudyInput, u: float) -> float | int | str:
    """The value of ``item`` at ``u`` in [0, 1]."""
    if not item.is_range:
        values = item.values or []
        return values[min(int(u * len(values)), len(values) - 1)]
    low, high = float(item.low), float(item.high)  # type: ignore[arg-type]
    if item.scale == "log":
        value = math.exp(math.log(low) + u * (math.log(high) - math.log(low)))
    else:
        value = low + u * (high - low)
    return round(value) if item.integer else float(value)


def to_unit_cube(item: StudyInput, value: Any) -> float:
    """Where ``value`` lies in [0, 1] along ``item`` (for surrogates and plots)."""
    if not item.is_range:
        values = item.values or []
        return (values.index(value) + 0.5) / len(values) if value in values else float("nan")
    low, high = float(item.low), float(item.high)  # type: ignore[arg-type]
    if item.scale == "log":
        return (math.log(float(value)) - math.log(low)) / (math.log(high) - math.log(low))
    return (float(value) - low) / (high - low)


def _levels(item: StudyInput) -> list[Any]:
    if not item.is_range:
        return list(item.values or [])
    grid = [from_unit(item, u) for u in np.linspace(0.0, 1.0, item.levels)]
    return list(dict.fromkeys(grid))  # an integer range may round two levels together


def draw_points(study: DesignStudy) -> list[dict[str, Any]]:
    """Every point of a study that is not an optimiser (whose points are asked one by one).

    Raises
    ------
    InputError
        If the sampler is an optimiser, or a factorial grid would exceed 100,000 points.
    """
    inputs = study.inputs
    if study.sampler == Sampler.FACTORIAL:
        grids = [_levels(item) for item in inputs]
        total = math.prod(len(g) for g in grids)
        if total > 100_000:
            raise InputError(f"the factorial grid has {total} points; at most 100,000")
        return [
            {item.path: v for item, v in zip(inputs, combo, strict=True)}
            for combo in itertools.product(*grids)
        ]
    if study.optimises:
        raise InputError(f"the {study.sampler} optimiser asks for its points as it goes")
    from scipy.stats import qmc

    d = len(inputs)
    if study.sampler == Sampler.LHS:
        unit = qmc.LatinHypercube(d=d, rng=np.random.default_rng(study.seed)).random(study.points)
    else:
        engine = qmc.Sobol(d=d, scramble=True, rng=np.random.default_rng(study.seed))
        with warnings.catch_warnings():  # balance is best at powers of two; any n is allowed
            warnings.simplefilter("ignore", UserWarning)
            unit = engine.random(study.points)
    return [{item.path: from_unit(item, u) for item, u in zip(inputs, row, strict=True)}
            for row in unit]  # fmt: skip
