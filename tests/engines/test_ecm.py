"""electrochem.ecm behaviour: spec errors, limits, conservation, isothermal option."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.api import run_study
from cellwright.projects.model import CellDesign, DesignSnapshot, InputError


@pytest.fixture(scope="module")
def snapshot() -> DesignSnapshot:
    from cellwright.engines.electrochem.ecm_parameters import ecm_parameters_from_pybamm

    return DesignSnapshot(
        cell=CellDesign(name="ECM example cell"),
        ecm_parameters=ecm_parameters_from_pybamm("ECM_Example"),
    )


def test_needs_exactly_one_load(snapshot) -> None:
    with pytest.raises(InputError, match="exactly one of current, c_rate or profile_file"):
        run_study("electrochem.ecm", {"current": 1, "c_rate": 1}, snapshot)
    with pytest.raises(InputError, match="exactly one"):
        run_study("electrochem.ecm", {}, snapshot)


def test_design_without_parameters_is_refused() -> None:
    bare = DesignSnapshot(cell=CellDesign(name="bare"))
    with pytest.raises(InputError, match="no fitted ECM parameters"):
        run_study("electrochem.ecm", {"c_rate": 1}, bare)


def test_stops_at_lower_voltage_and_conserves_charge(snapshot) -> None:
    r = run_study("electrochem.ecm", {"c_rate": 2, "duration": 7200, "initial_soc": 0.5}, snapshot)
    assert "lower voltage limit" in r.message
    v = r.series["Voltage [V]"]
    assert v[-1] < snapshot.ecm_parameters.lower_voltage <= v[-2]
    charge = r.series["Current [A]"].sum() * 1.0 / 3600  # A.h drawn, 1 s steps
    soc_drop = 0.5 - r.series["SoC"][-1]
    # SoC at the start of the last step plus that step's charge
    expected = soc_drop + r.series["Current [A]"][-1] / 3600 / snapshot.ecm_parameters.capacity
    assert charge / snapshot.ecm_parameters.capacity == pytest.approx(expected, rel=1e-12)


def test_isothermal_keeps_temperature(snapshot) -> None:
    r = run_study(
        "electrochem.ecm",
        {"c_rate": 1, "duration": 600, "thermal": "isothermal", "ambient_temperature": "35 degC"},
        snapshot,
    )
    np.testing.assert_allclose(r.series["Cell temperature [K]"], 308.15)
    assert r.series["Irreversible heat generation [W]"].min() > 0


def test_profile_file_errors_name_the_line(snapshot, tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Time [s],Current [A]\n0,1\n1,2\n1,3\n")
    with pytest.raises(InputError, match=r"bad.csv: line 4: time 1 s does not increase"):
        run_study("electrochem.ecm", {"profile_file": str(bad)}, snapshot)
    missing = tmp_path / "cols.csv"
    missing.write_text("t,I\n0,1\n")
    with pytest.raises(InputError, match="need a 'Time"):
        run_study("electrochem.ecm", {"profile_file": str(missing)}, snapshot)


def test_profile_beyond_a_cells_current_is_refused(snapshot, tmp_path) -> None:
    # a cycler's column in mA read as A would otherwise run at 1000 times the current
    big = tmp_path / "ma.csv"
    big.write_text("Time [s],Current [A]\n0,1500\n10,6000\n20,0\n")
    with pytest.raises(InputError, match=r"ma.csv: spec.profile_file: 6000 A at t = 10 s"):
        run_study("electrochem.ecm", {"profile_file": str(big)}, snapshot)


def test_a_profile_that_charges_on_balance_is_said(snapshot, tmp_path) -> None:
    negative = tmp_path / "cycler.csv"
    negative.write_text("Time [s],Current [A]\n0,-1\n10,-2\n20,0\n")
    r = run_study("electrochem.ecm", {"profile_file": str(negative), "initial_soc": 0.5}, snapshot)
    assert "charges the cell on balance; current is positive on discharge" in r.message
    r = run_study("electrochem.ecm", {"profile_file": "US06", "initial_soc": 0.5}, snapshot)
    assert "charges" not in r.message


def test_a_profile_finer_than_the_step_keeps_its_charge(snapshot, tmp_path) -> None:
    # a 10 Hz log alternating 2 A and 0 A: sampling each 1 s step's start would read 2 A
    fine = tmp_path / "fine.csv"
    t = np.arange(0, 60.01, 0.1)
    fine.write_text(
        "Time [s],Current [A]\n"
        + "\n".join(f"{x:.1f},{2.0 * (k % 2 == 0)}" for k, x in enumerate(t))
    )
    r = run_study("electrochem.ecm", {"profile_file": str(fine), "initial_soc": 0.5}, snapshot)
    np.testing.assert_allclose(r.series["Current [A]"], 1.0, rtol=1e-9)


def test_a_stock_ecm_set_on_another_cell_says_so() -> None:
    # ECM_Example (100 A.h) on the 5 A.h LG M50 gave 98.6 A.h with no word
    from cellwright.projects.library import Library

    library = Library.load_builtin()
    m50 = library.snapshot_for(library.design_for_cell("lg-m50"))
    spec = {"parameters": "pybamm:ECM_Example", "current": 5.0, "duration": 60.0}
    r = run_study("electrochem.ecm", spec, m50)
    assert "not lg-m50's 5 A.h" in r.message


def test_run_on_a_packs_design_says_it_ran_one_cell(snapshot) -> None:
    """A one-cell engine given a pack ran the pack's cell and stored it as the pack's study
    without a word (a 2s1p pack of 18650s reported one cell's 11.9 W.h)."""
    from cellwright.projects.model import PackDesign

    pack = PackDesign(name="P", cell=snapshot.cell.id, series=2, parallel=1)
    alone = run_study("electrochem.ecm", {"c_rate": 1, "duration": 60}, snapshot)
    assert not any("models one cell" in w for w in alone.provenance.warnings)
    packed = snapshot.model_copy(update={"pack": pack})
    result = run_study("electrochem.ecm", {"c_rate": 1, "duration": 60}, packed)
    [note] = [w for w in result.provenance.warnings if "models one cell" in w]
    assert "of pack 'P', 2s1p; electrochem.pack runs the pack" in note


@pytest.mark.parametrize(("duration", "dt"), [(10.0, 30.0), (150.0, 60.0), (90.0, 60.0)])
def test_a_duration_not_a_multiple_of_dt_runs_as_long_as_asked(snapshot, duration, dt) -> None:
    # whole dt steps ran 30 s for 10 s at dt = 30 (three times the charge) and 120 s for 150 s
    r = run_study(
        "electrochem.ecm",
        {"current": 36.0, "duration": duration, "dt": dt, "stop_at_voltage_limits": False},
        snapshot,
    )
    assert r.scalars["Duration [s]"] == pytest.approx(duration)
    assert r.scalars["Discharge capacity [A.h]"] == pytest.approx(36.0 * duration / 3600)
    assert np.diff(r.series["Time [s]"]).max(initial=0.0) <= dt


def test_the_final_soc_is_the_state_after_the_last_step(snapshot) -> None:
    # it was the last row's SoC, the state at the START of the last step: 0.933 after 300 s at
    # 1C in 60 s steps, where the 8.33 A.h drawn leave 0.917
    r = run_study(
        "electrochem.ecm",
        {"c_rate": 1.0, "duration": 300, "dt": 60, "stop_at_voltage_limits": False},
        snapshot,
    )
    drawn = r.scalars["Discharge capacity [A.h]"] / snapshot.ecm_parameters.capacity
    assert r.scalars["Final SoC"] == pytest.approx(1.0 - drawn, rel=1e-12)
    assert r.scalars["Final SoC"] == pytest.approx(1.0 - 300 / 3600, rel=1e-9)


def test_a_run_of_more_steps_than_memory_holds_is_refused_naming_dt(snapshot) -> None:
    # duration = 1e8 s at dt = 1 s (both allowed) set 1e8 steps going: 11 GB and hours
    with pytest.raises(InputError, match=r"spec\.dt: 1e\+08 s in 1 s steps is 1e\+08 steps"):
        run_study("electrochem.ecm", {"c_rate": 0.01, "duration": 1e8, "dt": 1}, snapshot)


def test_a_profile_not_a_multiple_of_dt_runs_as_long_as_it_lasts(snapshot, tmp_path) -> None:
    # whole dt steps ran a 10 s profile for 30 s at dt = 30 (three times its charge), and each
    # repeat of a 600 s profile for 602 s at dt = 7
    short = tmp_path / "short.csv"
    short.write_text("Time [s],Current [A]\n0,5\n10,5\n")
    spec = {"profile_file": str(short), "dt": 30, "initial_soc": 0.5}
    r = run_study("electrochem.ecm", spec, snapshot)
    assert r.scalars["Duration [s]"] == pytest.approx(10.0)
    assert r.scalars["Discharge capacity [A.h]"] == pytest.approx(5.0 * 10 / 3600)
    long = tmp_path / "long.csv"
    long.write_text("Time [s],Current [A]\n0,2\n300,-1\n600,-1\n")
    spec = {"profile_file": str(long), "dt": 7, "repeat": 3, "initial_soc": 0.5}
    r = run_study("electrochem.ecm", spec, snapshot)
    assert r.scalars["Duration [s]"] == pytest.approx(1800.0)
    assert r.scalars["Discharge capacity [A.h]"] == pytest.approx(3 * (600 - 300) / 3600)


def test_a_fitted_ecm_carries_its_cells_heat_capacity_and_cooling() -> None:
    """An ECM fitted to a design took the model's defaults, ECM_Example's 1000 J/K cell in a
    500 J/K jig with 10 W/K between them: a 48 g 18650 at 10C stayed within 3 K of the
    ambient. Now the lumped cell of the parameter set: the LG M50 (69 g) holds ~60 J/K."""
    from cellwright.engines.electrochem.ecm_fit import fit_ecm_from_pybamm

    m50 = DesignSnapshot(cell=CellDesign(name="LG M50", pybamm_parameter_set="Chen2020"))
    params = fit_ecm_from_pybamm(m50, model="SPM", n_rc=1, soc_points=3)
    assert 0.069 * 600 < params.cell_thermal_mass < 0.069 * 1200
    fitted = m50.model_copy(update={"ecm_parameters": params})
    spec = {"c_rate": 5.0, "duration": 60.0, "initial_soc": 0.9}
    r = run_study("electrochem.ecm", spec, fitted)
    heat = np.sum(r.series["Total heat generation [W]"][1:])  # J over the 1 s steps
    rise = r.series["Cell temperature [K]"][-1] - r.series["Cell temperature [K]"][0]
    # a minute at 5C is nearly adiabatic: h A = 10 W/(m² K) × ~53 cm² loses well under 1 %
    assert rise == pytest.approx(heat / params.cell_thermal_mass, rel=0.05)
