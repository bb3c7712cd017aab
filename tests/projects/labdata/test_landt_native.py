"""LANDdt's own export (Landt/LANHE testers), as its software writes it: a workbook with a
``Cycle-Tab`` of per-cycle figures and a ``Record-Tab`` of records, or the same record table as
CSV. The header below is LANDdt's record header as a real export carries it (cellpy's
``custom_002`` instrument file and its test workbook name the same columns): ``Capacity/mAh``
and ``Energy/mWh`` count within the step, ``Step-State`` names the work mode, ``AuxTemp/dC.`` is
the auxiliary probe, ``-`` in every cell when no probe is fitted, and a blank column stands
between ``SysTime`` and ``Cycle-Index``.

Before, the workbook was labelled a Neware export (its sheet starts with "Record"), the CSV was
refused as an unknown format, and with the probe column mapped a ``-`` cell refused the file.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from cellwright.projects.labdata import read_cycler_file
from cellwright.projects.labdata.resolve import state_sign

HEADER = [
    "Record", "TestTime/Sec", "StepTime/Sec", "Current/mA", "Capacity/mAh", "SpeCap/mAh/g",
    "SOC|DOD/%", "Voltage/V", "Energy/mWh", "SpeEnergy/Wh/kg", "AuxTemp/dC.", "AuxVolt/V",
    "SysTime", None, "Cycle-Index", "Step-Index", "Step-State",
]  # fmt: skip

#: (state, current [mA], seconds) of the steps: a rest, a discharge and a charge per cycle
STEPS = [("R", 0.0, 240), ("RateD", -1.5, 3600), ("RateC", 1.2, 3600)] * 2
START = dt.datetime(2021, 2, 25, 13, 41, 24)
DT = 120


def _records() -> list[list]:
    rows, record, test_time = [], 1, 0
    for k, (state, milliamps, seconds) in enumerate(STEPS):
        cycle = 1 + k // 3
        for step_time in range(0, seconds + 1, DT):
            capacity = abs(milliamps) * step_time / 3600.0  # mAh within the step
            rows.append([
                record, test_time, step_time, milliamps, round(capacity, 6), 0, 0,
                3.0 + 0.1 * np.sign(milliamps), round(3.0 * capacity, 6), 0, "-", "-",
                START + dt.timedelta(seconds=test_time), None, cycle, k + 1, state,
            ])  # fmt: skip
            record += 1
            test_time += DT
    return rows


def _workbook(path):
    from openpyxl import Workbook

    book = Workbook()
    cycles = book.active
    cycles.title = "Cycle-Tab"
    cycles.append(["Cycle", "CapC/mAh", "CapD/mAh", "Efficiency/%"])
    cycles.append([1, 1.2, 1.5, 80.0])
    records = book.create_sheet("Record-Tab")
    records.append(HEADER)
    for row in _records():
        records.append(row)
    book.save(path)
    return path


def _csv(path):
    def cell(value):
        if value is None:
            return ""
        return value.strftime("%Y-%m-%d %H:%M:%S") if hasattr(value, "strftime") else str(value)

    lines = [",".join(cell(c) for c in row) for row in [HEADER, *_records()]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("make", "name", "fmt"), [(_workbook, "run.xlsx", "landt_xlsx"),
                                                     (_csv, "run.csv", "landt_csv")])  # fmt: skip
def test_a_landdt_export_is_read_as_landt_with_its_step_capacities_split(tmp_path, make, name, fmt):
    table = read_cycler_file(make(tmp_path / name))
    assert table.metadata["format"] == fmt
    assert len(table) == len(_records())
    np.testing.assert_allclose(np.unique(table["current_ampere"]), [-1.5e-3, 0.0, 1.2e-3])
    # per-step mAh split by the step's direction: 1.5 mAh out and 1.2 mAh in each cycle
    ends = np.r_[np.flatnonzero(np.diff(table["step_count"])), len(table) - 1]
    discharged = table["discharging_capacity_ah"][ends]
    charged = table["charging_capacity_ah"][ends]
    np.testing.assert_allclose(discharged[[1, 4]], [1.5e-3, 1.5e-3], rtol=1e-9)
    np.testing.assert_allclose(charged[[2, 5]], [1.2e-3, 1.2e-3], rtol=1e-9)
    assert np.all(charged[[1, 4]] == 0) and np.all(discharged[[2, 5]] == 0)
    np.testing.assert_allclose(table["cycle_count"][ends], [1, 1, 1, 2, 2, 2])
    # the wall clock from SysTime, the test time in seconds as its header says
    assert table.metadata["start_time"].startswith("2021-02-25T13:41:24")
    np.testing.assert_allclose(table["test_time_second"][:3], [0, DT, 2 * DT])
    # the probe column with "-" in every cell holds no temperature (the viewer offers no
    # series of a column without a value; the import preview shows its cells as "—")
    assert np.isnan(table["surface_temperature_celsius"]).all()


def test_a_probe_that_reads_in_some_records_keeps_its_numbers_and_blanks_the_dashes(tmp_path):
    rows = _records()
    for row in rows[::2]:
        row[10] = 25.0
    lines = [",".join("" if c is None else str(c) for c in HEADER)]
    lines += [",".join("" if c is None else str(c) for c in row) for row in rows]
    path = tmp_path / "run.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    temperature = read_cycler_file(path)["surface_temperature_celsius"]
    assert np.all(temperature[::2] == 25.0) and np.isnan(temperature[1::2]).all()


def test_landdt_work_modes_tell_the_current_direction():
    modes = np.array(["R", "CCC", "CCD", "CVC", "CPC", "CPD", "CRD", "RateC", "RateD", "rest"])
    np.testing.assert_array_equal(state_sign(modes), [0, 1, -1, 1, 1, -1, -1, 1, -1, 0])
