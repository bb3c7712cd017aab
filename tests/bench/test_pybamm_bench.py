"""Our DFN 1C discharge of the LG M50 (Chen2020) against raw PyBaMM, same model and solver.

Goal (issue: foundation): wall-time ratio ≤ 1.10. Two comparisons: build + solve (a fresh
process's first study; our per-process model cache is cleared each round) and solve only
(the model already built, as in a sweep).
"""

from __future__ import annotations

import pybamm
import pytest

from cellwright.engines.api import run_study
from cellwright.projects.model import CellDesign, DesignSnapshot

pytestmark = pytest.mark.bench

LG_M50 = DesignSnapshot(cell=CellDesign(name="LG M50", pybamm_parameter_set="Chen2020"))
SPEC = {"model": "DFN", "c_rate": 1}


def _raw_build_and_solve():
    values = pybamm.ParameterValues("Chen2020")
    values["Current function [A]"] = 5.0
    sim = pybamm.Simulation(
        pybamm.lithium_ion.DFN(), parameter_values=values, solver=pybamm.IDAKLUSolver()
    )
    return sim.solve([0, 4920])


def _ours_build_and_solve():
    from cellwright.engines.electrochem import pybamm_discharge

    pybamm_discharge._cache.clear()
    return run_study("electrochem.pybamm_discharge", SPEC, LG_M50)


@pytest.mark.benchmark(group="dfn-build-solve")
def test_raw_pybamm_build_and_solve(benchmark) -> None:
    benchmark.pedantic(_raw_build_and_solve, rounds=5, warmup_rounds=1)


@pytest.mark.benchmark(group="dfn-build-solve")
def test_ours_build_and_solve(benchmark) -> None:
    benchmark.pedantic(_ours_build_and_solve, rounds=5, warmup_rounds=1)


@pytest.mark.benchmark(group="dfn-solve")
def test_raw_pybamm_solve_only(benchmark) -> None:
    values = pybamm.ParameterValues("Chen2020")
    values["Current function [A]"] = "[input]"
    sim = pybamm.Simulation(
        pybamm.lithium_ion.DFN(), parameter_values=values, solver=pybamm.IDAKLUSolver()
    )

    def solve_and_read():
        # like with like: a script also reads out the curves it solved for
        sol = sim.solve([0, 4920], inputs={"Current function [A]": 5.0})
        return [
            sol[name].entries
            for name in ("Time [s]", "Voltage [V]", "Current [A]", "Discharge capacity [A.h]")
        ]

    solve_and_read()
    benchmark.pedantic(solve_and_read, rounds=10)


@pytest.mark.benchmark(group="dfn-solve")
def test_ours_solve_only(benchmark) -> None:
    run_study("electrochem.pybamm_discharge", SPEC, LG_M50)
    benchmark.pedantic(run_study, args=("electrochem.pybamm_discharge", SPEC, LG_M50), rounds=10)
