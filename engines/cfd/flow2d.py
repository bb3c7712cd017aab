"""``cfd.flow2d``: 2D laminar incompressible flow with heat transfer on a Cartesian grid.

For what correlations cannot answer: air gaps between cells, a duct's cross-section, the plan
view of a cold plate (depth-averaged, with the 12 mu/H^2 wall friction of a thin channel),
pin-fin or serpentine plates. The domain is drawn from primitives (rectangles, circles,
polygons, a black-and-white image) or taken from the pack's cooling plate; named edges carry
inlets, outlets, walls (moving, at a temperature, with a heat flux) and symmetry; solids conduct
(conjugate heat transfer) or are inert walls.

Method: finite volumes on a staggered grid, SIMPLEC pressure-velocity coupling with multigrid
inner solvers, numba kernels parallel over both cores (:mod:`flow2d_flow`); the temperature
follows in one sparse solve (:mod:`flow2d_energy`). Steady runs iterate to the tolerance with
grid sequencing; transient runs step implicitly, cutting a step that fails into shorter ones
(:mod:`flow2d_transient`). Results are cell fields on a quad mesh (velocity, pressure,
temperature, vorticity, stream function) and scalars.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel

from cellwright.engines.api import Progress
from cellwright.engines.cfd.flow2d_spec import Flow2DSpec
from cellwright.projects.model import DesignSnapshot, Result

__all__ = ["Flow2DEngine"]


class Flow2DEngine:
    """2D laminar flow and heat transfer (SIMPLEC, multigrid, numba)."""

    id: ClassVar[str] = "cfd.flow2d"
    title: ClassVar[str] = "2D laminar flow with heat transfer (conjugate, steady or transient)"
    version: ClassVar[str] = "1.0"
    Spec: ClassVar[type[BaseModel]] = Flow2DSpec
    libraries: ClassVar[tuple[str, ...]] = ("numba", "numpy", "scipy", "CoolProp")

    def validate(self, spec: Flow2DSpec, design: DesignSnapshot) -> None:
        """Draw the domain at a coarse resolution: every shape, edge and material is checked."""
        from cellwright.engines.cfd.flow2d_setup import build_problem

        build_problem(spec, design, cells=min(spec.cells, 64))

    def run(
        self, spec: Flow2DSpec, design: DesignSnapshot, progress: Progress, workdir: Path
    ) -> Result:
        """Solve the flow (and the temperature) and return the fields and scalars."""
        from functools import partial

        from threadpoolctl import threadpool_limits

        from cellwright.engines.cfd.flow2d_result import steady_result, transient_result
        from cellwright.engines.cfd.flow2d_setup import build_problem
        from cellwright.engines.cfd.flow2d_solve import solve_steady_flow
        from cellwright.engines.cfd.flow2d_transient import solve_transient

        started = time.perf_counter()
        progress.update(0.01, "drawing the domain")
        problem = build_problem(spec, design)
        # the sparse and dense algebra here is level-1 work on small vectors: BLAS threads only
        # contend with the numba kernels for the two cores (see engines/thermal/solver.py)
        with threadpool_limits(1, user_api="blas"):
            if spec.mode == "transient":
                solver, conv, history = solve_transient(problem, spec, progress)
                return transient_result(spec, problem, solver, conv, history, started)
            build = partial(build_problem, spec, design)
            solver, conv = solve_steady_flow(problem, spec, progress, build=build)
            progress.update(0.85, "temperature")
            return steady_result(spec, problem, solver, conv, started)
