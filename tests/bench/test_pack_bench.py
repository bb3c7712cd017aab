"""Pack engine speed: 100s10p (1000 two-RC ECM cells) on 600 s of US06 at 1 s steps.

Goal (issue: electrochemical engines): ≤ 5 µs per cell-step; liionpack, the reference, costs
about 1 ms per cell-step with SPM cells. The cell tables are PyBaMM's ECM_Example (1 RC pair);
the 2-RC case duplicates the RC pair with a 10x time constant.
"""

from __future__ import annotations

import pytest

from cellwright.engines.api import run_study
from cellwright.projects.model import CellDesign, DesignSnapshot, PackDesign
from cellwright.projects.model.ecm import RCTables

pytestmark = pytest.mark.bench


@pytest.fixture(scope="module")
def snapshot():
    from cellwright.engines.electrochem.ecm_parameters import ecm_parameters_from_pybamm

    params = ecm_parameters_from_pybamm("ECM_Example")
    pair = params.rc[0]
    slow = RCTables(resistance=pair.resistance * 0.5, capacitance=pair.capacitance * 20)
    params = params.model_copy(update={"rc": [pair, slow]})
    return DesignSnapshot(
        cell=CellDesign(name="cell"),
        ecm_parameters=params,
        pack=PackDesign(
            name="100s10p", cell="cell", series=100, parallel=10, busbar_resistance=1e-4
        ),
    )


def test_pack_100s10p_us06(benchmark, snapshot, fixtures_dir) -> None:
    us06 = fixtures_dir / "validation/pybamm-23.5/drive_cycles/US06.csv"
    # the profile is for a 5 A.h cell; scale it to this 1000 A.h pack
    spec = {
        "profile_file": str(us06),
        "profile_scale": 200.0,
        "initial_soc": 0.5,
        "capacity_std": 0.02,
        "resistance_std": 0.05,
        "initial_soc_std": 0.01,
        "rail_resistance": 1e-5,
        "tab_resistance": 5e-5,
        "seed": 1,
    }
    run_study("electrochem.pack", spec, snapshot)  # compile (cached on disk after the first run)
    result = benchmark.pedantic(
        run_study, args=("electrochem.pack", spec, snapshot), rounds=5, iterations=1
    )
    steps = result.series["Time [s]"].size
    per = benchmark.stats.stats.min / (steps * 1000) * 1e6
    benchmark.extra_info["us_per_cell_step"] = per
    print(f"\n100s10p US06: {steps} steps, {per:.2f} µs per cell-step (goal ≤ 5)")
    assert result.message == "" and steps == 600, result.message
