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
