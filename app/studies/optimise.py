"""Optimising a design with optuna: each trial a real engine run, as many at once as the
backend has workers.

optuna's ask-and-tell interface keeps every worker busy: a trial is asked for each free slot,
its point runs on the backend, and its objectives (and constraint violations, optuna's
``Trial.set_constraint`` convention: ≤ 0 is feasible) are told when it finishes. TPE (Bergstra et
al. 2011) with constant liar for parallel single- or multi-objective runs; NSGA-II (Deb et al.
2002) for multi-objective fronts. Every trial is a stored :class:`StudyPoint`, so a resumed
optimisation first tells optuna the finished points again, re-runs the ones that were in
flight, then asks for the rest of its budget.
"""

from __future__ import annotations

import math
from typing import Any

from cellwright.app.studies.backends import StudyInterrupted
from cellwright.app.studies.execute import (
    StudyProgress,
    _count,
    _stopped,
    discard_points,
    load_points,
    new_point,
    store_outcome,
    stored_study,
    unchecked_note,
)
from cellwright.app.studies.validate import as_started, base_snapshot, check_study
from cellwright.projects.model import DesignStudy, InputError, PointStatus, Sampler, StudyPoint

__all__ = ["optimisation_steps", "run_optimisation"]


def _distributions(study: DesignStudy) -> dict[str, Any]:
    from optuna.distributions import (
        CategoricalDistribution,
        FloatDistribution,
        IntDistribution,
    )

    out: dict[str, Any] = {}
    for item in study.inputs:
        if not item.is_range:
            out[item.path] = CategoricalDistribution(item.values)
        elif item.integer:
            out[item.path] = IntDistribution(int(item.low), int(item.high),
                                             log=item.scale == "log")  # fmt: skip
        else:
            out[item.path] = FloatDistribution(item.low, item.high, log=item.scale == "log")
    return out


def _violations(study: DesignStudy, outputs: dict[str, float]) -> dict[str, float]:
    """optuna's constraint values: > 0 is infeasible (a missing output, or one that is NaN at
    this point, counts as far out: optuna refuses a NaN constraint with a ValueError)."""
    return {f"{k}: {c.output}": c.violation(outputs[c.output])
            if math.isfinite(outputs.get(c.output, math.nan)) else 1e9
            for k, c in enumerate(study.constraints)}  # fmt: skip


def _objectives(study: DesignStudy, point: StudyPoint) -> list[float] | None:
    """The point's objectives, or None when one is not a finite number there (optuna takes
    such a trial as failed: told a NaN, it warns; given one to replay, it raises)."""
    missing = [o.output for o in study.objectives if o.output not in point.outputs]
    if missing:
        raise InputError(
            f"objective {missing[0]!r} is not an output of {study.engine}; its outputs: "
            + ", ".join(point.outputs)
        )
    values = [point.outputs[o.output] for o in study.objectives]
    return values if all(math.isfinite(v) for v in values) else None


def _optuna_study(study: DesignStudy):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    if study.sampler == Sampler.NSGA2:
        size = min(50, max(4, study.points // 4))
        sampler = optuna.samplers.NSGAIISampler(population_size=size, seed=study.seed)
    else:
        sampler = optuna.samplers.TPESampler(
            seed=study.seed, constant_liar=True,
            n_startup_trials=min(10, max(2, study.points // 3)),
        )  # fmt: skip
    return optuna.create_study(directions=[o.direction for o in study.objectives],
                               sampler=sampler)  # fmt: skip


def _replay(ostudy, study: DesignStudy, points: list[StudyPoint], dists) -> list[StudyPoint]:
    """Tell optuna the finished points again; return the points that must run again."""
    import optuna

    again = []
    for p in points:
        if p.status == PointStatus.PENDING:
            again.append(p)
            continue
        params = {k: v for k, v in p.values.items() if k in dists}
        values = _objectives(study, p) if p.status == PointStatus.DONE else None
        if values is not None:
            trial = optuna.trial.create_trial(
                params=params, distributions=dists, values=values,
                constraints=_violations(study, p.outputs) or None,
            )  # fmt: skip
        else:
            trial = optuna.trial.create_trial(
                params=params, distributions=dists, state=optuna.trial.TrialState.FAIL
            )
        ostudy.add_trial(trial)
    return again


def run_optimisation(project, study: DesignStudy, backend, on_point=None, snapshot=None):
    """Run (or resume) an optimisation study; see :func:`~.execute.run_design_study`."""
    progress = None
    for step in optimisation_steps(project, study, backend, on_point, snapshot):
        progress = step
    return progress


def optimisation_steps(
    project, study: DesignStudy, backend, on_point=None, snapshot=None, fresh: bool = False
):
    """:func:`run_optimisation` one step at a time (see :func:`~.execute.study_steps`; ``fresh``
    as there: the old trials are discarded when the study is stored afresh)."""
    snapshot = base_snapshot(study, project, snapshot)
    # an edited design first, as execute says
    stored = stored_study(project, study, snapshot, fresh)
    infos = check_study(study, snapshot)
    note, discarded = "", 0
    if stored is None or fresh:
        study = as_started(study, infos, snapshot)
        with project.transaction():
            discarded = discard_points(project, stored) if stored is not None else 0
            project.put(study)
    else:
        study, note = stored, unchecked_note(stored)
    points = load_points(project, study)
    dists = _distributions(study)
    ostudy = _optuna_study(study)
    again = _replay(ostudy, study, points, dists)
    progress = StudyProgress(total=study.points, note=note, discarded=discarded)
    progress.done = sum(p.status == PointStatus.DONE for p in points)
    progress.failed = sum(p.status == PointStatus.FAILED for p in points)
    running: dict[int, tuple[StudyPoint, Any]] = {}
    next_index = len(points)
    backend.start(study.engine, study.spec, snapshot)
    try:
        while True:
            while backend.in_flight < backend.slots and (again or next_index < study.points):
                if again:
                    point = again.pop(0)
                    ostudy.enqueue_trial({k: v for k, v in point.values.items() if k in dists})
                    trial = ostudy.ask(dists)
                else:
                    trial = ostudy.ask(dists)
                    point = new_point(study, next_index, dict(trial.params))
                    next_index += 1
                    project.put(point)
                running[point.index] = (point, trial)
                backend.submit(point.index, point.values)
            if not backend.in_flight:
                break
            yield progress
            outcome = backend.next_outcome()
            point, trial = running.pop(outcome.index)
            stored = store_outcome(project, study, point, outcome)
            _tell(ostudy, study, stored, trial)
            _count(progress, stored)
            if on_point is not None:
                on_point(progress)
    except (KeyboardInterrupt, StudyInterrupted) as exc:
        backend.cancel()
        why = "interrupted" if isinstance(exc, KeyboardInterrupt) else exc.detail
        raise StudyInterrupted(_stopped(study, progress, why)) from None
    yield progress


def _tell(ostudy, study: DesignStudy, point: StudyPoint, trial) -> None:
    import optuna

    values = _objectives(study, point) if point.status == PointStatus.DONE else None
    if values is None:
        ostudy.tell(trial, state=optuna.trial.TrialState.FAIL)
        return
    for key, value in _violations(study, point.outputs).items():
        trial.set_constraint(key, value)
    ostudy.tell(trial, values)
