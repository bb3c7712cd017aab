"""electrochem.pybamm: protocols, per-cycle summaries, aging options, clear errors."""

from __future__ import annotations

import pytest

from cellwright.engines.api import run_study
from cellwright.projects.model import CellDesign, DesignSnapshot, InputError

ENGINE = "electrochem.pybamm"
CHEN = DesignSnapshot(cell=CellDesign(name="LG M50", pybamm_parameter_set="Chen2020"))
OKANE = DesignSnapshot(cell=CellDesign(name="LG M50 aging", pybamm_parameter_set="OKane2022"))


def test_one_protocol_only() -> None:
    with pytest.raises(InputError, match="give one protocol"):
        run_study(ENGINE, {"c_rate": 1, "drive_cycle": "US06"}, CHEN)


def test_cv_above_the_maximum_voltage_names_the_step() -> None:
    steps = ["Discharge at 1C until 3 V", "Hold at 4.5 V until C/50"]
    with pytest.raises(
        InputError,
        match=r"step 2 \('Hold at 4.5 V until C/50'\): 4.5 V is "
        r"outside the cell's window \[2.5, 4.2\] V",
    ):
        run_study(ENGINE, {"experiment": steps}, CHEN)


@pytest.mark.parametrize(
    ("step", "message"),
    [
        # mV escaped the window check; 0C ended in "float division by zero"; a negative
        # discharge charged the cell past 4.2 V
        ("Charge at 1 A until 5000 mV", r"5 V is outside the cell's window"),
        ("Hold at 4500mV until C/50", r"4.5 V is outside the cell's window"),
        ("Discharge at 0C until 2.5 V", r"at zero never ends on its voltage; write 'Rest"),
        ("Charge at 0 A until 4.2 V", r"at zero never ends on its voltage"),
        ("Discharge at -1 A for 10 minutes", r"negative value in a Discharge step"),
        ("Charge at -2 W for 1 minute", r"negative value in a Charge step"),
    ],
)
def test_step_values_are_checked_in_any_unit(step, message) -> None:
    with pytest.raises(InputError, match=r"step 1 .*" + message):
        run_study(ENGINE, {"experiment": [step]}, CHEN)


def test_a_step_by_time_stops_at_the_cut_off() -> None:
    # PyBaMM widens the cut-offs by 1 V in experiments: this ran on to 1.5 V
    steps = ["Discharge at 1C until 3 V", "Rest for 10 minutes", "Discharge at 2C for 10 minutes"]
    r = run_study(ENGINE, {"model": "SPM", "experiment": steps}, CHEN)
    assert r.scalars["Minimum voltage [V]"] >= 2.5 - 1e-3


def test_a_charge_of_a_full_cell_is_refused_clearly() -> None:
    # ended in "'EmptySolution' object is not subscriptable"
    with pytest.raises(InputError, match="already at its cut-off voltage"):
        run_study(ENGINE, {"model": "SPM", "experiment": ["Charge at 1 A for 10 minutes"]}, CHEN)


def test_misspelt_step_is_named_with_an_example() -> None:
    with pytest.raises(InputError, match=r"step 1 .* is not PyBaMM's step grammar"):
        run_study(ENGINE, {"experiment": ["Discharge at 1C untill 3 V"]}, CHEN)


def test_a_step_without_for_or_until_is_refused_in_one_line() -> None:
    # PyBaMM's refusal went on with 16 lines of examples, all printed after "error:"
    with pytest.raises(InputError) as refused:
        run_study(ENGINE, {"experiment": ["Discharge at 1C"]}, CHEN)
    assert "\n" not in str(refused.value)
    assert "(Operating conditions must contain keyword 'for' or 'until')" in str(refused.value)


def test_drive_cycle_file_errors_name_the_line(tmp_path) -> None:
    bad = tmp_path / "cycle.csv"
    bad.write_text("Time [s],Current [A]\n0,1\n2,1\n1,1\n")
    with pytest.raises(InputError, match=r"cycle.csv: line 4: time 1 s does not increase"):
        run_study(ENGINE, {"drive_cycle": str(bad)}, CHEN)
    with pytest.raises(
        InputError, match=r"spec.drive_cycle: no profile 'US07' \(shipped: UDDS, US06, WLTC"
    ):
        run_study(ENGINE, {"drive_cycle": "US07"}, CHEN)


def test_drive_cycle_that_charges_on_balance_is_said(tmp_path) -> None:
    # a cycler's export (discharge negative) read with our sign charges the cell
    cycle = tmp_path / "cycler.csv"
    cycle.write_text("Time (min),Current (A)\n0,-2\n1,-1\n2,0\n")
    r = run_study(ENGINE, {"model": "SPM", "drive_cycle": str(cycle), "initial_soc": 0.5}, CHEN)
    assert "charges the cell on balance; current is positive on discharge" in r.message
    assert r.series["Time [s]"][-1] == pytest.approx(120.0)  # minutes, not seconds


def test_repeated_cycles_give_a_per_cycle_table() -> None:
    steps = ["Discharge at 1C until 3.2 V", "Charge at 1C until 4.1 V"]
    r = run_study(ENGINE, {"model": "SPM", "experiment": steps, "cycles": 3}, CHEN)
    table = r.tables["cycles"]
    assert table["Cycle"].tolist() == [1.0, 2.0, 3.0]
    capacity = table["Discharge capacity [A.h]"]
    # the first discharge starts full; later ones start from the 1C CC charge (no CV)
    assert capacity[0] > capacity[1] and capacity[1] == pytest.approx(capacity[2], rel=1e-3)


def test_drive_cycle_with_heat_split() -> None:
    r = run_study(
        ENGINE,
        {"model": "SPMe", "drive_cycle": "US06", "initial_soc": 0.8, "thermal": "lumped"},
        CHEN,
    )
    assert r.series["Time [s]"][-1] == pytest.approx(600.0)
    total = r.series["Total heat generation [W.m-3]"]
    parts = (
        r.series["Ohmic heat generation [W.m-3]"]
        + r.series["Irreversible heat generation [W.m-3]"]
        + r.series["Reversible heat generation [W.m-3]"]
    )
    assert abs(total - parts).max() < 1e-6 * abs(total).max() + 1e-9


def test_sei_aging_reduces_capacity_over_cycles() -> None:
    steps = ["Discharge at 1C until 3 V", "Charge at 1C until 4.1 V", "Hold at 4.1 V until C/10"]
    r = run_study(
        ENGINE, {"model": "SPM", "experiment": steps, "cycles": 3, "aging": ["SEI"]}, OKANE
    )
    capacity = r.tables["cycles"]["Discharge capacity [A.h]"]
    assert capacity[2] < capacity[1]


def test_an_unscaled_vehicle_profile_is_refused() -> None:
    # WLTC is a whole vehicle's power: on one cell it stopped after 13 s with result-like numbers
    with pytest.raises(
        InputError, match=r"spec.drive_cycle: WLTC peaks at .* W .*drive_cycle_scale"
    ):
        run_study(ENGINE, {"model": "SPM", "drive_cycle": "WLTC"}, CHEN)


def test_a_regenerative_stop_on_a_full_cell_says_what_to_do() -> None:
    r = run_study(ENGINE, {"model": "SPM", "drive_cycle": "US06"}, CHEN)
    assert "Maximum voltage" in r.message and "initial_soc" in r.message


def test_throughput_energy_is_the_integral_of_the_power() -> None:
    # the column was PyBaMM's constant 0 (its "calculate discharge energy" option was off)
    steps = ["Discharge at 1C for 20 minutes", "Rest for 5 minutes", "Charge at 1C for 10 minutes"]
    r = run_study(ENGINE, {"model": "SPM", "experiment": steps}, CHEN)
    t, p = r.series["Time [s]"], r.series["Power [W]"]
    energy = r.series["Throughput energy [W.h]"]
    assert energy[-1] == pytest.approx(
        r.scalars["Discharged energy [W.h]"] + r.scalars["Charged energy [W.h]"], rel=5e-3
    )
    assert energy[-1] > 5.0  # 20 + 10 minutes at about 18 W
    assert (energy[1:] - energy[:-1] >= -1e-9).all() and t[-1] > 2000  # cumulative
    assert p.max() > 0 > p.min()


def test_an_electrolyte_run_out_is_said() -> None:
    r = run_study(ENGINE, {"model": "SPMe", "c_rate": 3.0}, CHEN)
    assert any("electrolyte ran out" in w for w in r.provenance.warnings)


def test_a_discharge_of_an_empty_cell_is_refused_naming_initial_soc() -> None:
    with pytest.raises(
        InputError, match=r"spec\.initial_soc: the cell starts at its lower cut-off"
    ):
        run_study(ENGINE, {"model": "SPM", "c_rate": 1.0, "initial_soc": 0.0}, CHEN)
