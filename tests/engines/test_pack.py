"""electrochem.pack: conservation, even split, 1s1p = single cell, limits, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.api import run_study
from cellwright.projects.model import CellDesign, DesignSnapshot, InputError, PackDesign


@pytest.fixture(scope="module")
def params():
    from cellwright.engines.electrochem.ecm_parameters import ecm_parameters_from_pybamm

    return ecm_parameters_from_pybamm("ECM_Example")


def _snap(params, series, parallel, busbar=0.0) -> DesignSnapshot:
    return DesignSnapshot(
        cell=CellDesign(name="cell"),
        ecm_parameters=params,
        pack=PackDesign(
            name="pack", cell="cell", series=series, parallel=parallel, busbar_resistance=busbar
        ),
    )


def _group_currents(result, series, parallel) -> np.ndarray:
    values = result.field("Cell current [A]").values
    return values.reshape(values.shape[0], series, parallel)


def test_charge_is_conserved_in_every_group_at_every_step(params) -> None:
    spec = {
        "c_rate": 1,
        "duration": 300,
        "initial_soc": 0.8,
        "capacity_std": 0.05,
        "resistance_std": 0.1,
        "initial_soc_std": 0.02,
        "rail_resistance": 2e-4,
        "tab_resistance": 1e-4,
        "seed": 7,
    }
    r = run_study("electrochem.pack", spec, _snap(params, 4, 3))
    sums = _group_currents(r, 4, 3).sum(axis=2)
    np.testing.assert_allclose(
        sums, r.series["Current [A]"][:, None] * np.ones((1, 4)), rtol=0, atol=1e-9
    )
    assert r.scalars["Maximum SoC spread"] > 0


def test_identical_parallel_cells_split_exactly_evenly(params) -> None:
    r = run_study(
        "electrochem.pack", {"c_rate": 1, "duration": 300, "initial_soc": 0.8}, _snap(params, 2, 5)
    )
    currents = _group_currents(r, 2, 5)
    expected = r.series["Current [A]"][:, None, None] / 5
    assert np.max(np.abs(currents - expected)) < 1e-11


def test_one_cell_pack_reproduces_the_single_cell_ecm(params) -> None:
    spec = {"parameters": "design", "current": 80.0, "duration": 1200, "initial_soc": 0.9}
    pack = run_study("electrochem.pack", spec, _snap(params, 1, 1))
    cell = run_study("electrochem.ecm", spec, _snap(params, 1, 1))
    np.testing.assert_allclose(
        pack.series["Voltage [V]"], cell.series["Voltage [V]"], rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        pack.field("Cell temperature [K]").values[:, 0],
        cell.series["Cell temperature [K]"],
        rtol=0,
        atol=1e-10,
    )


def test_series_voltage_adds_with_busbar_drop(params) -> None:
    one = run_study("electrochem.pack", {"current": 50.0, "duration": 60}, _snap(params, 1, 1))
    three = run_study(
        "electrochem.pack", {"current": 50.0, "duration": 60}, _snap(params, 3, 1, busbar=1e-3)
    )
    np.testing.assert_allclose(
        three.series["Voltage [V]"], 3 * one.series["Voltage [V]"] - 2 * 50.0 * 1e-3, atol=1e-12
    )


def test_first_cell_at_the_limit_is_named(params) -> None:
    spec = {"c_rate": 2, "duration": 3600, "initial_soc": 0.3, "capacity_std": 0.1, "seed": 1}
    r = run_study("electrochem.pack", spec, _snap(params, 3, 2))
    assert "went below the minimum cell voltage" in r.message
    worst = int(r.scalars["First cell at a limit"])
    last = r.field("Cell voltage [V]").values[-1]
    assert last[worst] == last.min() < params.lower_voltage


def test_pack_engine_needs_a_pack(params) -> None:
    with pytest.raises(InputError, match="needs a pack design"):
        run_study(
            "electrochem.pack",
            {"c_rate": 1},
            DesignSnapshot(cell=CellDesign(name="c"), ecm_parameters=params),
        )


def test_given_cell_temperatures_steer_the_current_split(params) -> None:
    """ECM_Example's resistances rise in the cold: a cold cell in parallel carries less."""
    spec = {
        "current": 100.0,
        "duration": 120,
        "initial_soc": 0.6,
        "cell_temperatures": ["0 degC", "25 degC"],
    }
    r = run_study("electrochem.pack", spec, _snap(params, 1, 2))
    cold, warm = _group_currents(r, 1, 2)[5, 0]
    assert cold < warm and cold + warm == pytest.approx(100.0, abs=1e-9)
    np.testing.assert_allclose(r.field("Cell temperature [K]").values[-1], [273.15, 298.15])
    with pytest.raises(InputError, match="cell_temperatures has 1 values; the pack has 2"):
        run_study("electrochem.pack", {**spec, "cell_temperatures": [300.0]}, _snap(params, 1, 2))


def test_a_duration_not_a_multiple_of_dt_runs_as_long_as_asked(params) -> None:
    # whole dt steps ran 120 s for 150 s at dt = 60: now three steps of 50 s
    spec = {"current": 50.0, "duration": 150, "dt": 60, "initial_soc": 0.8}
    r = run_study("electrochem.pack", spec, _snap(params, 1, 2))
    np.testing.assert_allclose(r.series["Time [s]"], [0.0, 50.0, 100.0])


def test_a_complete_run_lasts_its_duration(params) -> None:
    # the duration was the last row's time, the START of the last step: 240 s of 300
    spec = {"current": 50.0, "duration": 300, "dt": 60, "initial_soc": 0.8}
    r = run_study("electrochem.pack", spec, _snap(params, 2, 2))
    assert r.scalars["Duration [s]"] == pytest.approx(300.0)
    stopped = run_study("electrochem.pack", {**spec, "initial_soc": 0.05, "duration": 3600},
                        _snap(params, 2, 2))  # fmt: skip
    assert stopped.message and stopped.scalars["Duration [s]"] < 3600
    assert stopped.scalars["Duration [s]"] == pytest.approx(stopped.series["Time [s]"][-1])


def test_more_cell_states_than_memory_holds_are_refused_naming_output_every(params) -> None:
    # 96 cells over 100 h in 1 s steps: 3.5e7 cell states of five values each
    spec = {"c_rate": 0.01, "duration": 360000, "dt": 1}
    with pytest.raises(InputError, match=r"spec\.output_every: .* set output_every to at least 4"):
        run_study("electrochem.pack", spec, _snap(params, 96, 1))
