"""Sweeps: a 20-point C-rate sweep reusing the built model vs 20 separate raw PyBaMM runs, and
a 16-study sweep on a Dask LocalCluster with 2 workers vs inline."""

from __future__ import annotations

import time

import numpy as np
import pybamm
import pytest

from cellwright.app.jobs import DaskRunner, InlineRunner, JobRequest
from cellwright.engines.api import run_study
from cellwright.projects.model import CellDesign, DesignSnapshot

pytestmark = pytest.mark.bench

LG_M50 = DesignSnapshot(cell=CellDesign(name="LG M50", pybamm_parameter_set="Chen2020"))
RATES = np.linspace(0.2, 3.0, 20)


def test_c_rate_sweep_reusing_the_model(benchmark) -> None:
    def ours() -> None:
        from cellwright.engines.electrochem import pybamm_discharge

        pybamm_discharge._cache.clear()  # the first point builds, the other 19 reuse
        for c in RATES:
            run_study("electrochem.pybamm_discharge", {"model": "DFN", "c_rate": float(c)}, LG_M50)

    def raw() -> None:
        for c in RATES:
            values = pybamm.ParameterValues("Chen2020")
            values["Current function [A]"] = 5.0 * float(c)
            sim = pybamm.Simulation(
                pybamm.lithium_ion.DFN(), parameter_values=values, solver=pybamm.IDAKLUSolver()
            )
            sim.solve([0, 3600 / c * 1.2 + 600])

    t0 = time.perf_counter()
    raw()
    t_raw = time.perf_counter() - t0
    benchmark.pedantic(ours, rounds=2, warmup_rounds=1)
    t_ours = benchmark.stats.stats.min
    benchmark.extra_info["raw_s"] = t_raw
    print(
        f"\n20-point DFN sweep: ours {t_ours:.2f} s, raw PyBaMM {t_raw:.2f} s "
        f"(speed-up {t_raw / t_ours:.1f}x)"
    )


def test_dask_two_workers_vs_inline(benchmark) -> None:
    # 16 designs: each has its own cut-off, so each needs its own model build (as different
    # designs do), not just another solve of a cached model
    requests = [
        JobRequest(
            "electrochem.pybamm_discharge",
            {"model": "DFN", "c_rate": 1.0, "cutoff_voltage": float(v)},
            LG_M50,
        )
        for v in np.linspace(2.5, 3.1, 16)
    ]
    from cellwright.engines.electrochem import pybamm_discharge

    pybamm_discharge._cache.clear()
    t0 = time.perf_counter()
    inline = [InlineRunner().submit(r) for r in requests]
    t_inline = time.perf_counter() - t0
    runner = DaskRunner(n_workers=2)
    warm = JobRequest("electrochem.pybamm_discharge", {"model": "SPM"}, LG_M50)
    for job in [runner.submit(warm) for _ in range(4)]:  # both workers import PyBaMM first
        job.wait(300)
    try:

        def on_dask() -> None:
            jobs = [runner.submit(r) for r in requests]
            for job in jobs:
                assert job.wait(600) and job.result is not None, job.error

        benchmark.pedantic(on_dask, rounds=1, warmup_rounds=0)
    finally:
        runner.close()
    assert all(j.result is not None for j in inline)
    t_dask = benchmark.stats.stats.min
    print(
        f"\n16 DFN studies: inline {t_inline:.2f} s, Dask 2 workers {t_dask:.2f} s "
        f"(speed-up {t_inline / t_dask:.2f}x on 2 cores)"
    )
