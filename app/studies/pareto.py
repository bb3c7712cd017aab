"""The Pareto front of a study: feasible points no other feasible point beats on every
objective (Deb et al. 2002's non-domination, with constraints as a feasibility filter)."""

from __future__ import annotations

import math

import numpy as np

from cellwright.projects.model import DesignStudy, InputError, PointStatus, StudyPoint

__all__ = ["feasible", "objective_matrix", "pareto_front"]


def feasible(study: DesignStudy, point: StudyPoint) -> bool:
    """True when the point ran and meets every constraint of the study."""
    if point.status != PointStatus.DONE:
        return False
    return all(
        c.output in point.outputs and c.violation(point.outputs[c.output]) == 0.0
        for c in study.constraints
    )


def objective_matrix(study: DesignStudy, points: list[StudyPoint]) -> np.ndarray:
    """Objectives (n, k) of ``points``, turned so that smaller is better."""
    if not study.objectives:
        raise InputError(f"study {study.name!r} has no objectives")
    rows = []
    for p in points:
        row = []
        for o in study.objectives:
            if o.output not in p.outputs:
                raise InputError(
                    f"objective {o.output!r} is not an output of point #{p.index}; outputs: "
                    + ", ".join(p.outputs)
                )
            sign = -1.0 if o.direction == "maximize" else 1.0
            row.append(sign * p.outputs[o.output])
        rows.append(row)
    return np.array(rows, dtype=float).reshape(len(points), len(study.objectives))


def _finite_objectives(study: DesignStudy, point: StudyPoint) -> bool:
    return all(math.isfinite(point.outputs.get(o.output, 0.0)) for o in study.objectives)


def pareto_front(study: DesignStudy, points: list[StudyPoint]) -> list[StudyPoint]:
    """The non-dominated feasible points, sorted along the first objective; a point whose
    objective is NaN is on no front (no comparison with NaN holds, so it was never dominated)."""
    candidates = [p for p in points if feasible(study, p) and _finite_objectives(study, p)]
    if not candidates:
        return []
    f = objective_matrix(study, candidates)
    keep = []
    for i in range(len(candidates)):
        others = np.delete(f, i, axis=0)
        dominated = np.any(np.all(others <= f[i], axis=1) & np.any(others < f[i], axis=1))
        if not dominated:
            keep.append(i)
    keep.sort(key=lambda i: tuple(f[i]))
    return [candidates[i] for i in keep]
