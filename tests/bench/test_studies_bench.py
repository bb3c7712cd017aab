"""Design studies at scale (issue 20): Dask against inline, per-task overhead, a real scheduler
against a LocalCluster, and a GP surrogate's prediction speed.

Targets on this 2-core machine: a 64-point DFN study on Dask with 2 workers ≥ 1.7× the inline
run; per-task overhead ≤ 50 ms; a real scheduler + 2 `dask worker` processes within 10 % of
the LocalCluster; a GP trained on 200 points predicts 10,000 in ≤ 1 s.
"""

from __future__ import annotations

import importlib
import time

import numpy as np
import pytest
from scipy.stats import qmc

from cellwright.app.studies.backends import DaskBackend, InlineBackend
from cellwright.app.studies.execute import load_points, run_design_study
from cellwright.app.studies.surrogate import fit_surrogate
from cellwright.projects.model import StudyInput
from cellwright.projects.store import Project
from support.dask_cluster import Cluster
from support.studies import m50_project, rate_study

pytestmark = pytest.mark.bench


def _dfn_study(name: str):
    # each point its own design: a DFN model build and solve per point, as design studies are
    return rate_study(
        64, name, sampler="lhs", spec={"model": "DFN"},
        inputs=[{"path": "design.positive.coating_thickness", "low": 60e-6, "high": 77e-6},
                {"path": "spec.c_rate", "low": 0.5, "high": 2.0}],
    )  # fmt: skip


def _run(tmp_path, name: str, backend) -> tuple[float, list]:
    with Project.open(m50_project(tmp_path / f"{name}.cwproj")) as project:
        study = _dfn_study(name)
        started = time.perf_counter()
        try:
            progress = run_design_study(project, study, backend)
            # the study is done when its last point is stored; shutting a LocalCluster's
            # worker processes down afterwards (seconds) is not the study's work
            elapsed = time.perf_counter() - started
        finally:
            closing = time.perf_counter()
            backend.close()
            print(f"\n{name}: closing the backend took {time.perf_counter() - closing:.1f} s")
        assert progress.done == 64
        return elapsed, load_points(project, study)


def _warm(backend) -> None:  # both workers import PyBaMM before the clock starts
    # importlib.import_module, not __import__: a library in this process wraps
    # builtins.__import__, and the wrapper pickles by a name the workers do not have
    backend.client.run(importlib.import_module, "pybamm")


def test_64_point_dfn_study_dask_vs_inline_and_real_scheduler(tmp_path) -> None:
    t_inline, points = _run(tmp_path, "inline", InlineBackend())
    compute = sum(p.wall_time for p in points)
    local = DaskBackend(n_workers=2)
    _warm(local)
    t_local, local_points = _run(tmp_path, "local", local)
    cluster = Cluster(tmp_path)
    try:
        cluster.add_worker()
        cluster.add_worker()
        cluster.wait_for_workers(2)
        real = DaskBackend(address=cluster.address)
        _warm(real)
        t_real, _ = _run(tmp_path, "real", real)
    finally:
        cluster.stop()
    on_workers = sum(p.wall_time for p in local_points)
    overhead = (2 * t_local - on_workers) / 64  # worker time not spent in run_point, per task
    busy = {}
    for p in local_points:
        busy[p.worker] = busy.get(p.worker, 0.0) + p.wall_time
    print(
        f"\n64-point DFN study: inline {t_inline:.1f} s (points {compute:.1f} s), LocalCluster "
        f"2 workers {t_local:.1f} s (speed-up {t_inline / t_local:.2f}x), real scheduler + 2 "
        f"workers {t_real:.1f} s ({t_real / t_local:.2f}x the LocalCluster), per-task overhead "
        f"{1e3 * overhead:.0f} ms; points took {on_workers:.1f} s on the workers "
        f"({on_workers / compute:.2f}x inline: CPU shared), busiest worker "
        f"{max(busy.values()):.1f} s, {len(busy)} workers"
    )
    assert t_inline / t_local >= 1.7
    assert overhead <= 0.050
    assert t_real <= 1.10 * t_local


def test_gp_on_200_points_predicts_10000_in_a_second() -> None:
    inputs = [StudyInput(path=f"spec.x{k}", low=0.0, high=1.0) for k in range(3)]
    x = qmc.LatinHypercube(d=3, rng=np.random.default_rng(0)).random(200)
    y = np.column_stack([np.sin(6 * x[:, 0]) + x[:, 1] ** 2, x[:, 2] * x[:, 0]])
    surrogate = fit_surrogate(inputs, x, y, ["a", "b"])
    query = np.random.default_rng(1).random((10_000, 3))
    started = time.perf_counter()
    mean, _std = surrogate.predict(query)
    flags = surrogate.extrapolating(query)
    elapsed = time.perf_counter() - started
    print(f"\nGP (2 outputs, 200 points): 10,000 predictions with std and flags in "
          f"{1e3 * elapsed:.0f} ms")  # fmt: skip
    assert mean.shape == (10_000, 2) and flags.shape == (10_000,)
    assert elapsed <= 1.0
