"""Measured-data checks of the BDF conventions and of the analysis against vendor columns.

* Landt CSV and its official BDF conversion (Battery Data Alliance) agree column by column.
* Sign convention (I > 0 charges) and units: in every step with I > 0 only the vendor's
  charging capacity grows, with I < 0 only the discharging capacity, and the growth equals
  the integral of |I| dt (Ah) - on Arbin .res, Neware .ndax/.nda and Landt files.
"""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.labdata import cycle_summary, read_cycler_file
from cellwright.projects.labdata import table as t

LANDT = "cycler/landt_csv/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.csv"
BDF = "cycler/bdf_csv/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.bdf.csv"


def test_landt_matches_its_bdf_conversion(fixtures_dir):
    landt = read_cycler_file(fixtures_dir / LANDT)
    bdf = read_cycler_file(fixtures_dir / BDF)
    assert len(landt) == len(bdf) == 25162
    for column in (
        t.TEST_TIME,
        t.VOLTAGE,
        t.CURRENT,
        t.STEP_INDEX,
        t.CHARGE_CAPACITY,
        t.DISCHARGE_CAPACITY,
        t.AMBIENT_TEMPERATURE,
    ):
        np.testing.assert_allclose(landt[column], bdf[column], rtol=0, atol=1e-9, err_msg=column)
    np.testing.assert_array_equal(landt[t.STEP_COUNT], bdf[t.STEP_COUNT])


# (file, relative tolerance of vendor capacity vs integral of current)
# Landt logs current with 0.1 mA resolution on a ~0.18 mA test, hence its wide tolerance.
VENDORS = [
    ("cycler/arbin_res/arbin_example.res", 0.02),
    ("cycler/neware_nda/test.ndax", 0.02),
    ("cycler/neware_nda/test.nda", 0.05),
    (LANDT, 0.15),
]


@pytest.mark.parametrize(("name", "rtol"), VENDORS)
def test_sign_and_capacity_convention(fixtures_dir, name, rtol):
    table = read_cycler_file(fixtures_dir / name)
    steps = table[t.STEP_COUNT]
    seen = set()
    for step in np.unique(steps):
        rows = steps == step
        current, time = table[t.CURRENT][rows], table[t.TEST_TIME][rows]
        if len(current) < 3 or np.abs(current).max() == 0:
            continue
        integral = np.trapezoid(np.abs(current), time) / 3600.0
        grow_charge = np.ptp(table[t.CHARGE_CAPACITY][rows])
        grow_discharge = np.ptp(table[t.DISCHARGE_CAPACITY][rows])
        if np.median(current) > 0:
            seen.add("charge")
            assert grow_discharge == pytest.approx(0.0, abs=1e-9)
            assert grow_charge == pytest.approx(integral, rel=rtol, abs=2e-6)
        else:
            seen.add("discharge")
            assert grow_charge == pytest.approx(0.0, abs=1e-9)
            assert grow_discharge == pytest.approx(integral, rel=rtol, abs=2e-6)
    assert seen == {"charge", "discharge"}


def test_cycle_summary_matches_arbin_cycle_capacities(fixtures_dir):
    """Arbin's Charge/Discharge_Capacity accumulate within a cycle: their per-cycle maximum
    is the instrument's own coulomb count, which the trapezoid integral must reproduce."""
    table = read_cycler_file(fixtures_dir / "cycler/arbin_res/arbin_example.res")
    summary = cycle_summary(table)
    cycles = table[t.CYCLE]
    for k, cycle in enumerate(summary["cycle"]):
        vendor_charge = table[t.CHARGE_CAPACITY][cycles == cycle].max()
        vendor_discharge = table[t.DISCHARGE_CAPACITY][cycles == cycle].max()
        assert summary["charge_capacity_ah"][k] == pytest.approx(vendor_charge, rel=0.01, abs=1e-7)
        assert summary["discharge_capacity_ah"][k] == pytest.approx(
            vendor_discharge, rel=0.01, abs=1e-7
        )
    assert summary["coulombic_efficiency"][1] == pytest.approx(0.471 / 0.475, rel=0.01)


@pytest.mark.parametrize(
    ("name", "cycle"),
    [("cycler/arbin_res/arbin_example.res", 2), ("cycler/neware_nda/test.ndax", 1)],
)
def test_dqdv_on_measured_half_cycles_conserves_capacity(fixtures_dir, name, cycle):
    """The binned dQ/dV integrates back to the instrument's own half-cycle capacity."""
    from cellwright.projects.labdata import dqdv

    table = read_cycler_file(fixtures_dir / name)
    rows = table[t.CYCLE] == cycle
    for direction, column in (("charge", t.CHARGE_CAPACITY), ("discharge", t.DISCHARGE_CAPACITY)):
        volts, density = dqdv(table, cycle, direction=direction)
        assert np.all(np.isfinite(density)) and density.min() >= 0
        vendor = table[column][rows].max()
        assert np.trapezoid(density, volts) == pytest.approx(vendor, rel=0.02)


def test_capacity_fade_on_batteryarchive_cycle_data(fixtures_dir):
    """CALCE CX2-33 cycles 1-9: discharge capacities 1.292 ... 1.291 Ah (from the file)."""
    from cellwright.projects.labdata import capacity_fade

    folder = fixtures_dir / "cycler/batteryarchive_csv"
    table = read_cycler_file(next(folder.glob("*cycle_data.csv")))
    fit = capacity_fade(table)
    assert len(fit.cycle) == 9
    assert fit.capacity_ah[0] == pytest.approx(1.292) and fit.capacity_ah[-1] == pytest.approx(
        1.291
    )
    residual = fit.capacity_ah - fit.predict(fit.cycle)
    assert np.abs(residual).max() < 0.005  # the trend describes every cycle within 5 mAh
    assert fit.q0_ah == pytest.approx(1.29, abs=0.01)


def test_a_stored_cycle_summary_is_its_own_cycle_summary(fixtures_dir):
    """A per-cycle file (BatteryArchive cycle_data) gives its own rows as the summary, instead
    of 'analysis needs a time series' (which left `labdata summary` and the window's viewer
    without anything to show for it). Values as the file states them (CALCE CX2-33 cycle 2)."""
    from cellwright.projects.labdata import cycle_summary

    folder = fixtures_dir / "cycler/batteryarchive_csv"
    summary = cycle_summary(read_cycler_file(next(folder.glob("*cycle_data.csv"))))
    assert summary["cycle"].tolist() == list(range(1, 10))
    assert summary["charge_capacity_ah"][1] == pytest.approx(1.291)
    assert summary["discharge_capacity_ah"][1] == pytest.approx(1.295)
    assert summary["coulombic_efficiency"][1] == pytest.approx(1.295 / 1.291)
    assert summary["energy_efficiency"][1] == pytest.approx(4.781 / 5.184)
    assert summary["min_voltage_volt"][1] == pytest.approx(2.699)
    assert summary["max_voltage_volt"][1] == pytest.approx(4.2)
    assert np.isnan(summary["mean_temperature_celsius"]).all()  # the file has none
