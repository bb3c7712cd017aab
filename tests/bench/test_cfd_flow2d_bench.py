"""2D solver speed (issue 15).

Throughput: the same SIMPLEC iterations (momentum assembly, additive-correction multigrid
V-cycles, multigrid-preconditioned CG for the pressure correction, corrections) on a 256 x 256
lid-driven cavity at Re = 400, with the numba kernels (parallel on both cores) and with the plain
vectorised NumPy implementation of the same scheme (engines/cfd/flow2d_numpy.py), measured in
this run; both start from the same state, and their results agree to round-off
(tests/engines/test_cfd_flow2d.py). Goal: >= 20x.

Convergence: the 256 x 256 cavity at Re = 100 from rest to the steady tolerance (1e-6), through
the engine, grid sequencing included. Goal: under a minute.
"""

from __future__ import annotations

import time

import pytest

from cellwright.engines.api import run_study
from cellwright.engines.cfd.flow2d_flow import FlowSolver
from cellwright.engines.cfd.flow2d_setup import build_problem
from cellwright.engines.cfd.flow2d_spec import Flow2DSpec
from support.designs import cavity

pytestmark = pytest.mark.bench


def _seconds_per_iteration(problem, backend: str, start, iterations: int) -> float:
    fl = problem.fluid
    solver = FlowSolver(problem.grid, fl.density, fl.viscosity, backend=backend)
    solver.u, solver.v, solver.p = (a.copy() for a in start)
    solver.iterate(relax=0.98, sweeps=2, pressure_rtol=1e-3)  # compile / warm caches
    began = time.perf_counter()
    for _ in range(iterations):
        solver.iterate(relax=0.98, sweeps=2, pressure_rtol=1e-3)
    return (time.perf_counter() - began) / iterations


def test_flow2d_throughput_against_numpy(library) -> None:
    from threadpoolctl import threadpool_limits

    design = library.snapshot_for(library.design_for_cell("lg-m50"))
    problem = build_problem(Flow2DSpec(**cavity(400, 256)), design)
    fl = problem.fluid
    warm = FlowSolver(problem.grid, fl.density, fl.viscosity)
    for _ in range(30):  # a developing flow, not the trivial state at rest
        warm.iterate(relax=0.98, sweeps=2, pressure_rtol=1e-3)
    start = (warm.u, warm.v, warm.p)
    cells = problem.grid.nx * problem.grid.ny
    with threadpool_limits(1, user_api="blas"):
        fast = _seconds_per_iteration(problem, "numba", start, 20)
        plain = _seconds_per_iteration(problem, "numpy", start, 5)
    ratio = plain / fast
    print(
        f"\n256x256 SIMPLEC iteration: numba {fast * 1e3:.1f} ms ({cells / fast / 1e6:.2f} M cell "
        f"updates/s), NumPy {plain * 1e3:.0f} ms ({cells / plain / 1e6:.3f} M cell updates/s): "
        f"{ratio:.1f}x (goal >= 20x)"
    )
    assert ratio > 1.0


def test_flow2d_256_steady_convergence(benchmark, library) -> None:
    design = library.snapshot_for(library.design_for_cell("lg-m50"))
    run_study("cfd.flow2d", cavity(100, 32), design)  # compiled kernels loaded
    result = benchmark.pedantic(
        run_study, args=("cfd.flow2d", cavity(100, 256), design), rounds=1, iterations=1
    )
    s = result.scalars
    print(
        f"\n256x256 cavity, Re = 100: converged in {benchmark.stats.stats.min:.1f} s wall "
        f"(goal < 60 s): {s['Iterations']:.0f} iterations on 256^2 after "
        f"{s['Coarse-grid iterations']:.0f} on the coarser grids; flow solve "
        f"{s['Flow solve wall time [s]']:.1f} s"
    )
    assert s["Converged [-]"] == 1.0
