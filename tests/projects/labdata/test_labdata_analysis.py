"""Analysis on synthetic traces with known answers (analytic references beside each test)."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.labdata import (
    CyclerTable,
    LabDataError,
    capacity_fade,
    cycle_summary,
    detect_steps,
    dqdv,
    dvdq,
    equivalent_full_cycles,
    internal_resistance,
)
from cellwright.projects.labdata import table as t


def synthetic(capacities=(1.0, 0.99, 0.98), current=0.5, dt=1.0, r0=0.05):
    """CC charge, rest, CC discharge per cycle; V = OCV(Q) + R0 I with a linear OCV.

    Returns a table whose exact capacities (``capacities`` in Ah) and energies are known.
    """
    times, volts, amps, cycles, steps = [], [], [], [], []
    clock, step = 0.0, 0
    for cycle, capacity in enumerate(capacities, start=1):
        duration = capacity / current * 3600.0
        for sign, length in ((1.0, duration), (0.0, 600.0), (-1.0, duration), (0.0, 600.0)):
            step += 1
            n = round(length / dt)
            local = np.arange(n + 1) * (length / n)
            charge = local * current / 3600.0
            soc = charge / capacity if sign > 0 else 1 - charge / capacity
            if sign == 0:
                soc = np.full_like(local, 1.0 if step % 4 == 2 else 0.0)
            times.append(clock + local)
            volts.append(3.0 + 1.0 * soc + r0 * sign * current)
            amps.append(np.full_like(local, sign * current))
            cycles.append(np.full_like(local, cycle))
            steps.append(np.full_like(local, step))
            clock += length  # next step starts where this one ends: no gap interval
    cols = {
        t.TEST_TIME: np.concatenate(times),
        t.VOLTAGE: np.concatenate(volts),
        t.CURRENT: np.concatenate(amps),
        t.CYCLE: np.concatenate(cycles),
        t.STEP_COUNT: np.concatenate(steps),
    }
    return CyclerTable(cols, {"source": "synthetic"})


def test_cycle_summary_capacity_energy_and_efficiency():
    table = synthetic()
    summary = cycle_summary(table)
    np.testing.assert_allclose(summary["charge_capacity_ah"], [1.0, 0.99, 0.98], rtol=1e-9)
    np.testing.assert_allclose(summary["discharge_capacity_ah"], [1.0, 0.99, 0.98], rtol=1e-9)
    # Energy = Q (mean OCV 3.5 V +/- R0 I): charge 3.525 V, discharge 3.475 V.
    np.testing.assert_allclose(
        summary["charge_energy_wh"], 3.525 * np.array([1, 0.99, 0.98]), rtol=1e-6
    )
    np.testing.assert_allclose(summary["energy_efficiency"], 3.475 / 3.525, rtol=1e-6)
    np.testing.assert_allclose(summary["coulombic_efficiency"], 1.0, rtol=1e-9)
    assert summary["min_voltage_volt"][0] == pytest.approx(3.0 - 0.025)
    assert summary["max_voltage_volt"][0] == pytest.approx(4.0 + 0.025)
    assert np.isnan(summary["mean_temperature_celsius"]).all()
    assert summary["duration_second"][0] == pytest.approx(2 * 7200 + 1200)


def test_a_cycle_without_charge_has_no_charge_energy_and_no_efficiency():
    """A discharge whose first interval crosses from a sliver of charge current into the
    discharge (SINTEF's Landt half cell: +0.2 mA at 1.0 V, then -0.2 mA at 0.993 V): the
    trapezoids of I and I·V differ in sign there, and 4e-12 W.h of "charge energy" gave the
    cycle an energy efficiency of 7e7 beside a coulombic efficiency of NaN."""
    time = np.arange(5) * 60.0
    cols = {
        t.TEST_TIME: time,
        t.VOLTAGE: np.array([1.0, 0.9929, 0.95, 0.9, 0.85]),
        t.CURRENT: np.array([2e-4, -2e-4, -2e-4, -2e-4, -2e-4]),
        t.CYCLE: np.full(5, 2.0),
    }
    summary = cycle_summary(CyclerTable(cols, {"source": "synthetic"}))
    assert summary["charge_capacity_ah"][0] == 0.0 and summary["charge_energy_wh"][0] == 0.0
    assert np.isnan(summary["coulombic_efficiency"][0])
    assert np.isnan(summary["energy_efficiency"][0])
    # the discharge keeps its energy: three full intervals of trapezoids of I·V
    power = cols[t.CURRENT] * cols[t.VOLTAGE]
    expected = -0.5 * (power[1:] + power[:-1])[1:].sum() * 60.0 / 3600.0
    assert summary["discharge_energy_wh"][0] == pytest.approx(expected, rel=1e-12)


def test_a_cycle_that_only_charges_has_no_efficiency_not_zero():
    """A formation charge (cycle 1: charge, rest) before full cycles: discharge/charge was
    0 Ah / 1 Ah = 0, a coulombic efficiency of 0 % plotted and averaged into the report. A
    rest's offset current (-0.1 mA) under the charge must not make it an efficiency either."""
    time = np.arange(0.0, 7201.0, 60.0)
    current = np.where(time <= 3600.0, 1.0, -1e-4)  # 1 Ah in, then an hour's rest with offset
    cols = {
        t.TEST_TIME: time,
        t.VOLTAGE: np.linspace(3.0, 4.2, time.size),
        t.CURRENT: current,
        t.CYCLE: np.ones(time.size),
    }
    summary = cycle_summary(CyclerTable(cols, {"source": "synthetic"}))
    assert summary["charge_capacity_ah"][0] == pytest.approx(1.0, rel=1e-2)
    assert np.isnan(summary["coulombic_efficiency"][0])
    assert np.isnan(summary["energy_efficiency"][0])
    # the full cycles beside it keep theirs
    assert np.all(cycle_summary(synthetic())["coulombic_efficiency"] == pytest.approx(1.0))


def test_a_stored_summary_row_without_discharge_has_no_efficiency():
    cols = {
        t.CYCLE: np.array([1.0, 2.0]),
        t.CHARGE_CAPACITY: np.array([1.0, 1.0]),
        t.DISCHARGE_CAPACITY: np.array([0.0, 0.98]),
    }
    summary = cycle_summary(CyclerTable(cols, {"source": "x", "kind": "cycle_summary"}))
    assert np.isnan(summary["coulombic_efficiency"][0])
    assert summary["coulombic_efficiency"][1] == pytest.approx(0.98)
    assert np.isnan(summary["energy_efficiency"]).all()  # no energies in the file


def test_equivalent_full_cycles():
    table = synthetic()
    # throughput 2 * (1 + 0.99 + 0.98) Ah over 2 x 1 Ah nominal
    assert equivalent_full_cycles(table, 1.0) == pytest.approx(2.97, rel=1e-9)
    with pytest.raises(LabDataError):
        equivalent_full_cycles(table, 0.0)


def test_detect_steps_kinds():
    table = synthetic(capacities=(1.0,))
    steps = detect_steps(table)
    assert list(steps["kind"]) == ["CC", "rest", "CC", "rest"]
    np.testing.assert_allclose(steps["mean_current_ampere"], [0.5, 0, -0.5, 0])


def test_detect_cv_and_pulse():
    time = np.arange(0.0, 400.0)
    current = np.where(time < 10, 1.0, np.where(time < 100, 0.0, np.exp(-(time - 100) / 50)))
    voltage = np.where(time < 100, 3.7, 4.2)
    step = np.where(time < 10, 1, np.where(time < 100, 2, 3)).astype(float)
    table = CyclerTable(
        {
            t.TEST_TIME: time,
            t.VOLTAGE: voltage,
            t.CURRENT: current,
            t.STEP_COUNT: step,
            t.CYCLE: np.ones_like(time),
        }
    )
    assert list(detect_steps(table)["kind"]) == ["pulse", "rest", "CV"]


def test_internal_resistance_of_rc_model():
    """V = OCV - I (R0 + R1 (1 - exp(-t/tau))) after a step -> R(1 s), R(10 s) analytic."""
    r0, r1, tau = 0.02, 0.01, 5.0
    time = np.arange(0.0, 100.0, 0.1)
    on = time >= 50.0
    current = np.where(on, -2.0, 0.0)
    elapsed = np.clip(time - 49.9, 0, None)
    voltage = 3.7 + current * (r0 + r1 * (1 - np.exp(-elapsed / tau)))
    table = CyclerTable(
        {
            t.TEST_TIME: time,
            t.VOLTAGE: voltage,
            t.CURRENT: current,
            t.STEP_COUNT: np.where(on, 2.0, 1.0),
            t.CYCLE: np.ones_like(time),
        }
    )
    result = internal_resistance(table)
    assert result["delta_current_ampere"] == pytest.approx([-2.0])
    expect_1 = r0 + r1 * (1 - np.exp(-1.0 / tau))
    expect_10 = r0 + r1 * (1 - np.exp(-10.0 / tau))
    assert result["resistance_1s_ohm"][0] == pytest.approx(expect_1, rel=1e-3)
    assert result["resistance_10s_ohm"][0] == pytest.approx(expect_10, rel=1e-3)


def test_dqdv_conserves_charge_and_finds_the_plateau():
    """Plateau Q(V) = 0.5 + 0.5 tanh((V - 3.6)/0.05) -> dQ/dV = 10 sech^2(...) Ah/V peaks at
    3.6 V with height 10 Ah/V; its integral over 3.3-3.9 V is the 1 Ah capacity."""
    voltage = np.linspace(3.3, 3.9, 60001)
    q = 0.5 + 0.5 * np.tanh((voltage - 3.6) / 0.05)
    rng = np.random.default_rng(1)
    noisy = voltage + rng.normal(0.0, 0.0005, q.size)  # non-monotonic V from noise
    time = q * 3600.0
    table = CyclerTable(
        {
            t.TEST_TIME: time,
            t.VOLTAGE: noisy,
            t.CURRENT: np.ones_like(q),
            t.STEP_COUNT: np.ones_like(q),
            t.CYCLE: np.ones_like(q),
        }
    )
    centres, density = dqdv(table, 1, direction="charge", bin_width_v=0.002, smoothing_v=0.004)
    assert np.trapezoid(density, centres) == pytest.approx(1.0, rel=0.01)
    assert centres[np.argmax(density)] == pytest.approx(3.6, abs=0.005)
    assert density.max() == pytest.approx(10.0, rel=0.05)
    assert np.all(np.isfinite(density)) and density.min() >= 0
    charge, slope = dvdq(table, 1, direction="charge")
    middle = np.argmin(np.abs(charge - 0.5))
    assert slope[middle] == pytest.approx(0.1, rel=0.1)  # 1 / (dQ/dV) at the centre
    with pytest.raises(LabDataError, match="no discharge"):
        dqdv(table, 1, direction="discharge")


def test_capacity_fade_recovers_linear_and_sqrt_trends():
    cycles = np.arange(1.0, 201.0)
    linear = {"cycle": cycles, "discharge_capacity_ah": 2.0 - 1e-3 * cycles}
    fit = capacity_fade(linear)
    assert fit.model == "linear"
    assert (fit.q0_ah, fit.rate) == pytest.approx((2.0, 1e-3))
    assert fit.cycles_to_80_percent == pytest.approx(400.0)
    sqrt = {"cycle": cycles, "discharge_capacity_ah": 2.0 - 0.01 * np.sqrt(cycles)}
    fit = capacity_fade(sqrt)
    assert fit.model == "sqrt" and fit.r_squared == pytest.approx(1.0)
    assert fit.cycles_to_80_percent == pytest.approx((0.4 / 0.01) ** 2)
    np.testing.assert_allclose(fit.predict(cycles), sqrt["discharge_capacity_ah"])
    with pytest.raises(LabDataError):
        capacity_fade({"cycle": cycles[:1], "discharge_capacity_ah": np.ones(1)})


def test_capacity_fade_of_a_time_series_fits_its_cycles_not_its_rows():
    # each row of the time series was taken for a cycle; without a capacity column the fit
    # failed on a KeyError
    capacities = (1.0, 0.98, 0.96, 0.94)
    table = synthetic(capacities, dt=60.0)
    fit = capacity_fade(table)
    np.testing.assert_allclose(fit.capacity_ah, capacities, rtol=1e-9)
    assert fit.model == "linear" and fit.rate == pytest.approx(0.02, rel=1e-9)
    assert capacity_fade(cycle_summary(table)).rate == pytest.approx(fit.rate, rel=1e-12)


def test_analysis_refuses_impedance_tables():
    table = CyclerTable(
        {t.FREQUENCY: [1.0, 2.0], t.Z_REAL: [1.0, 1.0], t.Z_IMAG: [0.0, 0.0]}, {"kind": "impedance"}
    )
    with pytest.raises(LabDataError, match="an impedance spectrum, not a time record"):
        cycle_summary(table)


def test_cycle_summary_is_the_same_whatever_order_the_cycles_come_in():
    """Cycles recorded in order take a run-wise path, others the general one: a table and
    the same records with its cycles numbered out of order (cycle 2 before cycle 1, gaps of
    NaN voltage, a cycle of NaN temperature) summarise alike, cycle by cycle."""
    table = synthetic(capacities=(1.0, 0.99, 0.98, 0.97))
    columns = {name: table[name].copy() for name in table.names}
    rng = np.random.default_rng(3)
    columns[t.VOLTAGE][rng.choice(len(table), 40, replace=False)] = np.nan
    temperature = 25.0 + rng.normal(0, 1, len(table))
    temperature[columns[t.CYCLE] == 2] = np.nan
    columns[t.SURFACE_TEMPERATURE] = temperature
    ordered = cycle_summary(CyclerTable(columns, {}))
    renumbered = dict(columns)
    renumbered[t.CYCLE] = np.choose(columns[t.CYCLE].astype(int) - 1, [7, 3, 9, 5]).astype(float)
    shuffled = cycle_summary(CyclerTable(renumbered, {}))
    order = np.argsort([7, 3, 9, 5])  # the renumbered summary lists cycles 3, 5, 7, 9
    back = np.argsort(order)
    assert list(shuffled["cycle"]) == [3.0, 5.0, 7.0, 9.0]
    for key, values in ordered.items():
        if key == "cycle":
            continue
        np.testing.assert_allclose(shuffled[key][back], values, rtol=1e-12, err_msg=key)
    assert np.isnan(ordered["mean_temperature_celsius"][1])
    assert np.isfinite(ordered["min_voltage_volt"]).all()


def test_real_summaries_keep_their_cycle_times_and_capacity_checks() -> None:
    """BatteryArchive's cycle_data (CALCE CX2-33) and INL's summary (XCEL p492-13), read with
    the test time of each cycle and, for INL, which cycles it labels capacity checks."""
    from cellwright.projects.labdata import read_cycler_file
    from support.paths import FIXTURES

    if not FIXTURES.is_dir():
        pytest.skip("../shared/fixtures absent: the real summaries are there")
    archive = FIXTURES / "cycler/batteryarchive_csv"
    summary = cycle_summary(
        read_cycler_file(archive / "CALCE_CX2-33_prism_LCO_25C_0-100_0.5-0.5C_d_cycle_data.csv")
    )
    assert summary["end_time_second"][:2] == pytest.approx([12923.434, 29533.288])
    assert np.isnan(summary["start_time_second"]).all()  # the file does not give it
    inl = cycle_summary(read_cycler_file(FIXTURES / "aging/inl_xcel_p492-13-summary.csv"))
    checks = np.flatnonzero(inl["reference_cycle"] == 1.0)
    assert inl["cycle"][checks].tolist() == [2, 36, 95, 153, 262]
    assert inl["start_time_second"][1] == pytest.approx(6359.94)
    assert inl["end_time_second"][1] == pytest.approx(175214.568)
