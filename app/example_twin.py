"""The example project's physical cells: two LG M50 cells with a simulated life.

Everything here is simulated and says so: the end-of-line records, three capacity checks per
cell (C/3 discharges written as Battery Data Format CSV and imported as lab runs), and a day of
10-second BMS telemetry a month, all from the ECM fitted to the design (the cells age 5 and 8 %
over 120 days, a hot-climate fleet). The twin then does what it does with real data: it filters
the telemetry, fits the fade, forecasts the remaining life, fills and issues the passports, and
verifies the chain.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from cellwright.resources import ROOT

__all__ = ["add_example_batteries"]

DAY = 86400.0
START = datetime(2024, 3, 1, tzinfo=UTC).timestamp()
#: serial, capacity as built (fraction of the ECM's), fade over 120 days, seed
CELLS = (("M50-0001", 0.998, 0.05, 3), ("M50-0002", 1.002, 0.08, 4))


def _bank(ecm, capacity_fraction: float, soc: float):
    from cellwright.engines.electrochem.ecm_cells import CellBank

    return CellBank(ecm, 1, initial_soc=soc, capacity_scale=capacity_fraction)


def _run(bank, currents: np.ndarray, dt: float, v_limits=None):
    """Voltages under ``currents`` (> 0 discharging); stops at a voltage limit."""
    volts = np.empty(currents.size)
    step = np.zeros(1)
    for k, current in enumerate(currents):
        step[0] = current
        volts[k] = bank.step(step, dt, 298.15, isothermal=True).voltage[0]
        if v_limits and not v_limits[0] <= volts[k] <= v_limits[1]:
            return volts[: k + 1]
    return volts


def _capacity_check(ecm, fraction: float, start: float, path: Path) -> Path:
    """A capacity check as a BDF CSV lab file: from full, a rest, a C/3 discharge to the lower
    cut-off, a rest, and a C/3 charge back to full (the end of a CC-CV charge, taken from the
    simulated cell's own state of charge)."""
    bank = _bank(ecm, fraction, 1.0)
    dt, current = 10.0, ecm.capacity / 3.0
    parts = [(0.0, _run(bank, np.zeros(60), dt))]
    parts.append(
        (current, _run(bank, np.full(int(4 * 3600 / dt), current), dt, (ecm.lower_voltage, 5.0)))
    )
    parts.append((0.0, _run(bank, np.zeros(60), dt)))
    steps = int(np.ceil((1.0 - bank.soc[0]) * 3600 * ecm.capacity * fraction / current / dt))
    parts.append((-current, _run(bank, np.full(steps, -current), dt)))
    voltage = np.concatenate([v for _, v in parts])
    amps = np.concatenate([np.full(v.size, -i) for i, v in parts])  # lab files: > 0 charges
    t = dt * np.arange(voltage.size)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["Test Time / s", "Unix Time / s", "Voltage / V", "Current / A", "Cycle Count / 1"]
        )
        for row in zip(t, start + t, voltage, amps, np.ones(t.size), strict=True):
            writer.writerow([f"{v:.6f}" for v in row])
    return path


def _telemetry(ecm, fraction: float, start: float, seed: int, path: Path) -> Path:
    """A day of 10 s BMS samples: driving pulses and parking, a C/2 recharge whenever the cell
    is below 30 %; read through 5 mV and 0.5 %-of-C sensor noise."""
    rng = np.random.default_rng(seed)
    dt, n = 10.0, 8640
    bank = _bank(ecm, fraction, 0.9)
    currents, volts = np.zeros(n), np.zeros(n)
    step, k = np.zeros(1), 0
    while k < n:
        if bank.soc[0] < 0.3:
            rate, steps = -0.5, int(0.6 * 3600 / 0.5 / dt)
        else:
            rate = rng.choice([0.0, 0.4, 1.0, 2.0, -0.5], p=[0.4, 0.3, 0.2, 0.05, 0.05])
            steps = int(rng.integers(6, 90))
        for _ in range(min(steps, n - k)):
            if (rate > 0 and bank.soc[0] < 0.25) or (rate < 0 and bank.soc[0] > 0.95):
                break  # the driver parks before the cell is empty; the BMS stops charging
            step[0] = currents[k] = rate * ecm.capacity
            volts[k] = bank.step(step, dt, 298.15, isothermal=True).voltage[0]
            k += 1
    noisy_i = -currents + 0.005 * ecm.capacity * rng.standard_normal(n)
    noisy_v = volts + 0.005 * rng.standard_normal(n)
    temp = 25.0 + 3.0 * np.sin(np.arange(n) * dt / DAY * 2 * np.pi) + 0.1 * rng.standard_normal(n)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Time [s]", "Current [A]", "Voltage [V]", "Temperature [degC]"])
        for row in zip(start + dt * np.arange(n), noisy_i, noisy_v, temp, strict=True):
            writer.writerow([f"{v:.4f}" for v in row])
    return path


def _manufacturing(folder: Path, ecm) -> Path:
    path = folder / "m50-end-of-line.csv"
    rows = ["serial,production_date,capacity_ah,acir_mohm,ocv_v,note"]
    for n, (serial, built, _, _) in enumerate(CELLS):
        capacity = ecm.capacity * built
        rows.append(
            f"{serial},2024-02-{20 + n:02d},{capacity:.4f},{21.0 + 0.4 * n:.1f},3.62,"
            "simulated end-of-line record"
        )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _life(project, folder: Path, ecm, cell: tuple) -> None:
    from cellwright.projects.passport.records import import_labrun
    from cellwright.projects.passport.telemetry import import_telemetry

    serial, built, fade, seed = cell
    for day in (0, 60, 120):
        lab = _capacity_check(
            ecm,
            built * (1 - fade * day / 120),
            START + day * DAY,
            folder / f"{serial}-check-day{day:03d}.csv",
        )
        import_labrun(project, lab, serial)
    for n, day in enumerate((15, 45, 75, 105)):
        path = _telemetry(
            ecm,
            built * (1 - fade * day / 120),
            START + day * DAY,
            seed * 10 + n,
            folder / f"{serial}-bms-day{day:03d}.csv",
        )
        import_telemetry(project, path, serial)


def add_example_batteries(project, folder: Path, design_id: str, ecm) -> None:
    """Two physical M50 cells with records, lab runs, telemetry, estimates and passports."""
    from cellwright.app.twin_estimates import estimate_battery
    from cellwright.projects.passport.batteries import add_battery
    from cellwright.projects.passport.compile import set_user_values
    from cellwright.projects.passport.records import import_manufacturing
    from cellwright.projects.passport.versions import issue_passport

    folder.mkdir(parents=True, exist_ok=True)
    entries = json.loads((ROOT / "examples" / "passport_entries.json").read_text("utf-8"))
    for serial, *_ in CELLS:
        add_battery(
            project,
            serial,
            design_id,
            manufacturer="LG Energy Solution",
            production_site="Ochang, Republic of Korea",
        )
        set_user_values(project, serial, entries["values"], entries["catenax"])
    import_manufacturing(project, _manufacturing(folder, ecm))
    for serial, *_ in CELLS:
        issue_passport(project, serial)  # version 1: as it left the factory
    for cell in CELLS:
        _life(project, folder, ecm, cell)
        estimate_battery(project, cell[0])
        issue_passport(project, cell[0])  # version 2: after four months in the field
    problems = project.verify_history()
    if problems:
        raise RuntimeError(f"the example's history does not verify: {problems[0]}")
