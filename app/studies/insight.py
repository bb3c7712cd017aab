"""What the window shows of a study beyond its table: its Pareto front by table row, and the
Sobol' indices of its outputs from a surrogate fitted to its finished points.

Both take the stored points in table order, so the rows they name are the rows the window shows.
The sensitivity runs in the background (a surrogate per output, then a Sobol' design of
``n (d + 2)`` surrogate evaluations per output); it reports progress and stops between outputs
when asked. What it found is stored with the study as a result (``<study id>.sensitivity``: the
indices per output as tables, the surrogate's cross-validated error as scalars), so it is shown
again when the project is reopened without fitting anything.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from cellwright.app.studies.pareto import feasible, pareto_front
from cellwright.projects.model import DesignStudy, InputError, PointStatus, StudyPoint

__all__ = [
    "FrontRows",
    "front_rows",
    "load_sensitivity",
    "store_sensitivity",
    "study_sensitivity",
    "what_if",
]

_KEYS = ("first", "total", "first_conf", "total_conf")


class FrontRows:
    """A two-objective front by table row: ``front`` and ``feasible`` rows, the objectives of
    every row (NaN where a point is not done) and their names."""

    def __init__(self, names, front, feasible_rows, values) -> None:
        self.names: tuple[str, str] = names
        self.front: list[int] = front
        self.feasible: list[int] = feasible_rows
        self.values: list[tuple[float, float]] = values


def front_rows(study: DesignStudy, points: list[StudyPoint]) -> FrontRows | None:
    """The front of a study with two objectives (None for other studies)."""
    if len(study.objectives) != 2:
        return None
    on_front = {p.index for p in pareto_front(study, points)}
    names = tuple(o.output for o in study.objectives)
    values = [
        tuple(p.outputs.get(n, np.nan) if p.status == PointStatus.DONE else np.nan for n in names)
        for p in points
    ]
    return FrontRows(
        names,
        [k for k, p in enumerate(points) if p.index in on_front],
        [k for k, p in enumerate(points) if feasible(study, p)],
        values,
    )


def study_sensitivity(
    study: DesignStudy,
    points: list[StudyPoint],
    outputs: list[str],
    report: Callable[[float | None, str], None] = lambda _f, _m: None,
    cancelled: Callable[[], bool] = lambda: False,
    n: int = 512,
) -> dict[str, dict]:
    """Sobol' indices of each of ``outputs`` that varies over the finished points, from a
    Gaussian-process surrogate fitted to them (with its cross-validated error).

    Raises
    ------
    InputError
        Too few finished points for a surrogate, or no output that varies.
    """
    from cellwright.app.studies.sensitivity import surrogate_sobol
    from cellwright.app.studies.surrogate import fit_surrogate, study_units

    done = [p for p in points if p.status == PointStatus.DONE]
    y = np.array([[p.outputs.get(o, np.nan) for o in outputs] for p in done], dtype=float)
    y = y.reshape(len(done), len(outputs))
    varied = [
        j
        for j, _ in enumerate(outputs)
        if np.all(np.isfinite(y[:, j])) and np.ptp(y[:, j]) > 1e-12 * np.abs(y[:, j]).max()
    ]
    if not varied:
        raise InputError("no output varies over the finished points: nothing to be sensitive to")
    x = study_units(study.inputs, [p.values for p in done])
    found: dict[str, dict] = {}
    for k, j in enumerate(varied):
        if cancelled():
            break
        name = outputs[j]
        report(k / len(varied), f"surrogate and Sobol' indices of {name}")
        surrogate = fit_surrogate(study.inputs, x, y[:, [j]], [name], seed=study.seed)
        sobol = surrogate_sobol(surrogate, name, n=n, seed=study.seed)
        cv = surrogate.cv[name]
        found[name] = {"names": sobol.names, "first": sobol.s1, "total": sobol.st,
                       "first_conf": sobol.s1_conf, "total_conf": sobol.st_conf,
                       "r2": cv.r2, "rmse": cv.rmse, "surrogate": surrogate}  # fmt: skip
    return found


def what_if(study: DesignStudy, found: dict[str, dict]):
    """The inputs (path, low, high) and a ``predict(x)`` over the surrogates in ``found`` (as
    :func:`study_sensitivity` returns it) for the window's what-if sliders; a choice input
    slides over its index."""
    models = {name: v["surrogate"] for name, v in found.items() if "surrogate" in v}
    ranges = [(i.path, i.low, i.high) if i.is_range else (i.path, 0.0, len(i.values) - 1.0)
              for i in study.inputs]  # fmt: skip

    def predict(x: np.ndarray):
        x = np.atleast_2d(np.asarray(x, dtype=float))
        mean, std, outside = {}, {}, False
        for name, surrogate in models.items():
            m, s = surrogate.predict(x)
            mean[name], std[name] = float(m[0, 0]), float(s[0, 0])
            outside = outside or bool(surrogate.extrapolating(x)[0])
        return mean, std, outside

    return ranges, predict


def sensitivity_id(study: DesignStudy) -> str:
    """The id of the result that holds the sensitivity of ``study``."""
    return f"{study.id}.sensitivity"


def store_sensitivity(project, study: DesignStudy, found: dict[str, dict]) -> None:
    """Store (or replace) the sensitivity of ``study`` as its ``.sensitivity`` result."""
    from cellwright.projects.model import Provenance, Result

    scalars = {}
    for name, values in found.items():
        scalars[f"{name}: cross-validated R2"] = float(values["r2"])
        scalars[f"{name}: cross-validated RMSE"] = float(values["rmse"])
    result = Result(
        id=sensitivity_id(study), study_id=study.id, name=f"Sensitivity of {study.name}",
        tables={name: {k: np.asarray(values[k], dtype=float) for k in _KEYS}
                for name, values in found.items()},
        scalars=scalars,
        provenance=Provenance(engine_id="studies.sensitivity", engine_version="1.0",
                              spec_hash=""),
    )  # fmt: skip
    project.put_result(result)  # replaces an earlier one of the same id


def load_sensitivity(project, study: DesignStudy) -> dict[str, dict]:
    """The stored sensitivity of ``study`` (empty when none was computed)."""
    if not any(r.id == sensitivity_id(study) for r in project.results(study.id)):
        return {}
    result = project.get_result(sensitivity_id(study))
    names = [item.path for item in study.inputs]
    return {
        output: {"names": names, **{k: np.asarray(table[k]) for k in _KEYS},
                 "r2": result.scalars[f"{output}: cross-validated R2"],
                 "rmse": result.scalars[f"{output}: cross-validated RMSE"]}
        for output, table in result.tables.items()
    }  # fmt: skip
