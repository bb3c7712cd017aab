"""Optimisation with optuna on real engine runs: constraints, the Pareto front, resume."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.app.studies.backends import InlineBackend, StudyInterrupted
from cellwright.app.studies.execute import load_points, run_design_study
from cellwright.app.studies.pareto import feasible, objective_matrix, pareto_front
from cellwright.projects.store import Project
from support.studies import m50_project, rate_study

ENERGY, USE = "Specific energy [W.h.kg-1]", "Capacity utilisation [1]"


def _study(points: int):
    return rate_study(
        points, "front", sampler="nsga2", spec={"model": "SPM", "c_rate": 3.0},
        inputs=[{"path": "design.positive.coating_thickness", "low": 50e-6, "high": 77e-6},
                {"path": "design.positive.particle_radius", "low": 2e-6, "high": 12e-6}],
        objectives=[{"output": ENERGY, "direction": "maximize"},
                    {"output": USE, "direction": "maximize"}],
        constraints=[{"output": USE, "min": 0.6}],
    )  # fmt: skip


def test_nsga2_front_is_non_dominated_and_feasible_and_resumes(tmp_path) -> None:
    study = _study(6)
    with Project.open(m50_project(tmp_path / "p.cwproj")) as project:

        def stop(progress) -> None:
            if progress.finished == 3:
                raise KeyboardInterrupt

        with pytest.raises(StudyInterrupted, match="after 3 of 6 points"):
            run_design_study(project, study, InlineBackend(), stop)
        first = {p.index: p.result for p in load_points(project, study) if p.status == "done"}
        stored = project.get("design_study", study.id)
        progress = run_design_study(project, stored, InlineBackend())
        points = load_points(project, study)
        assert progress.done + progress.failed == 6 and len(points) == 6
        assert all(points[i].result == rid for i, rid in first.items())
        front = pareto_front(study, points)
    assert front and all(feasible(study, p) for p in front)
    assert all(p.outputs[USE] >= 0.6 for p in front)
    f = objective_matrix(study, [p for p in points if feasible(study, p)])
    g = objective_matrix(study, front)
    for row in g:  # nothing feasible beats a front point on both objectives
        assert not np.any(np.all(f <= row, axis=1) & np.any(f < row, axis=1))
    # the physics of the trade-off: along the front, more energy costs rate capability
    energies = [p.outputs[ENERGY] for p in front]
    uses = [p.outputs[USE] for p in front]
    assert energies == sorted(energies, reverse=True) and uses == sorted(uses)


class _NanAt(InlineBackend):
    """Real runs, with ``output`` NaN at the points of ``indices``: as an engine's scalar is
    where it has no answer (a runaway's neighbour onset when nothing propagates)."""

    def __init__(self, output: str, indices: set[int]) -> None:
        super().__init__()
        self.output, self.indices = output, indices

    def next_outcome(self):
        outcome = super().next_outcome()
        if outcome.index in self.indices:
            outcome.outputs[self.output] = float("nan")
        return outcome


ENERGY_RUN = "Discharge energy [W.h]"


@pytest.mark.parametrize(
    ("nan_output", "bound"), [(ENERGY_RUN, "max"), (USE, "max"), (USE, "min")]
)  # the objective; the constraint on a max alone, on a min alone
def test_an_output_that_is_nan_at_a_point_neither_stops_nor_blocks_resuming(
    tmp_path, nan_output, bound
) -> None:
    # a NaN constraint made optuna raise ValueError mid-study; a NaN objective was told with a
    # UserWarning and then stopped every resume ("values should not contain NaN")
    study = rate_study(
        4, "nan", sampler="tpe", spec={"model": "SPM"},
        objectives=[{"output": ENERGY_RUN, "direction": "maximize"}],
        constraints=[{"output": USE, bound: 2.0 if bound == "max" else 0.1}],
    )  # fmt: skip

    def stop(progress) -> None:
        if progress.finished == 2:
            raise KeyboardInterrupt

    with Project.open(m50_project(tmp_path / "p.cwproj")) as project:
        with pytest.raises(StudyInterrupted, match="after 2 of 4 points"):
            run_design_study(project, study, _NanAt(nan_output, {0}), stop)
        stored = project.get("design_study", study.id)
        progress = run_design_study(project, stored, _NanAt(nan_output, {2}))
        points = load_points(project, study)
    assert progress.done == 4 and len(points) == 4
    assert [np.isnan(p.outputs[nan_output]) for p in points] == [True, False, True, False]
    front = pareto_front(study, points)  # a NaN is beaten by nothing, yet is no optimum
    assert front and all(np.isfinite(p.outputs[nan_output]) for p in front)
    # a NaN constraint output is outside its bound, even a bound on max alone
    assert feasible(study, points[0]) is (nan_output != USE)
