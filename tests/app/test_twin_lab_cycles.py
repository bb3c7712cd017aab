"""A linked lab run of many cycles gives the twin one capacity point per full discharge."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from cellwright.app.cli import main

START = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
HEADER = "Data_Point,Date_Time,Test_Time(s),Step_Index,Cycle_Index,Current(A),Voltage(V)"


def _fade_run(path, capacities, current=2.5, rest=1800.0):
    """An Arbin MITS CSV of one full discharge and recharge per cycle at ``current`` [A]:
    cycle k discharges ``capacities[k]`` A.h. Returns each cycle's start [s of test time]."""
    rows, starts, t = [], [], 0.0

    def row(step, cycle, amps, volts):
        stamp = (START + timedelta(seconds=t)).strftime("%m/%d/%Y %H:%M:%S")
        rows.append(f"{len(rows) + 1},{stamp},{t:.1f},{step},{cycle},{amps},{volts}")

    for k, q in enumerate(capacities, start=1):
        starts.append(t)
        row(1, k, 0.0, 4.2)
        t += rest
        row(1, k, 0.0, 4.2)
        hours = q / current
        for part in range(4):  # constant current: the trapezoids are exact
            t += 1.0 if part == 0 else hours * 3600.0 / 3
            row(2, k, -current, 4.1 - 0.3 * part)
        for part in range(4):
            t += 1.0 if part == 0 else hours * 3600.0 / 3
            row(3, k, current, 3.3 + 0.3 * part)
        t += 1.0
    path.write_text("\n".join([HEADER, *rows, ""]), encoding="utf-8")
    return np.array(starts)


def _project(tmp_path, run):
    p = ["--project", str(tmp_path / "f.cwproj")]
    assert main(["new", p[1]]) == 0
    assert main(["battery", "add", "M-1", "--design", "lg-m50", *p]) == 0  # rated 5 A.h
    assert main(["twin", "import", str(run), "--kind", "labrun", "--battery", "M-1", *p]) == 0
    return p


def test_a_fade_run_gives_a_point_per_full_cycle_and_a_forecast(tmp_path, capsys):
    n = 150
    rng = np.random.default_rng(7)
    capacity = 4.9 - 0.002 * np.arange(n) + rng.normal(0.0, 0.002, n)  # linear fade per cycle
    capacity[60] = 1.2  # an aborted discharge: under half the median, not a capacity
    starts = _fade_run(tmp_path / "fade.csv", capacity)
    p = _project(tmp_path, tmp_path / "fade.csv")
    capsys.readouterr()
    assert main(["twin", "soh", "M-1", "--json", *p]) == 0
    report = json.loads(capsys.readouterr().out)
    points = report["capacity_points"]
    assert len(points) == n - 1
    assert "lab run fade, cycle 61" not in [pt["detail"] for pt in points]
    assert points[-1]["detail"] == "lab run fade, cycle 150"
    times = [datetime.fromisoformat(pt["time"]) for pt in points]
    assert (times[-1] - START).total_seconds() == pytest.approx(starts[-1], abs=1.0)
    # the present capacity is the last full cycle's, not the run's largest (the first)
    assert report["capacity_ah"] == pytest.approx(capacity[-1], rel=1e-3)
    assert report["soh"] == pytest.approx(capacity[-1] / 5.0, rel=1e-3)
    note = next(s for s in report["notes"] if s.startswith("lab run fade:"))
    assert f"{n - 1} of {n} cycles taken" in note and "cycle(s) 61" in note
    # the fade is 0.002 A.h a cycle: the remaining life to 80 % of 5 A.h at that slope
    days_per_cycle = (starts[-1] - starts[0]) / (n - 1) / 86400
    slope = 0.002 / days_per_cycle  # A.h a day
    expected = (capacity[-1] - 4.0) / slope
    assert report["rul"]["median"] == pytest.approx(expected, rel=0.1)
    history = report["rul"]["history"]  # refitted a dozen times, not for each of 149 points
    assert len(history) == 12 and history[-1]["points"] == n - 1


def test_check_ups_are_kept_and_partial_cycles_are_not(tmp_path, capsys):
    # cycle 3 a check-up at a higher rate (a full discharge, below its neighbours), cycle 5
    # an aborted discharge (under half the median), cycle 6 one that only charges
    capacity = [4.8, 4.79, 4.3, 4.78, 2.0, 0.0, 4.76]
    _fade_run(tmp_path / "mixed.csv", capacity)
    p = _project(tmp_path, tmp_path / "mixed.csv")
    capsys.readouterr()
    assert main(["twin", "soh", "M-1", "--json", *p]) == 0
    report = json.loads(capsys.readouterr().out)
    taken = [pt["detail"].rsplit(" ", 1)[-1] for pt in report["capacity_points"]]
    assert taken == ["1", "2", "3", "4", "7"]
    assert [pt["capacity_ah"] for pt in report["capacity_points"]] == pytest.approx(
        [4.8, 4.79, 4.3, 4.78, 4.76], rel=1e-3
    )
    assert report["capacity_ah"] == pytest.approx(4.76, rel=1e-3)
    note = next(s for s in report["notes"] if s.startswith("lab run mixed:"))
    assert "5 of 7 cycles taken" in note and note.endswith("cycle(s) 5, 6")


def test_a_run_of_one_cycle_stays_one_point(tmp_path, capsys):
    _fade_run(tmp_path / "check.csv", [4.8])
    p = _project(tmp_path, tmp_path / "check.csv")
    capsys.readouterr()
    assert main(["twin", "soh", "M-1", "--json", *p]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [pt["detail"] for pt in report["capacity_points"]] == ["lab run check"]
    assert report["capacity_ah"] == pytest.approx(4.8, rel=1e-3)
    assert not any(s.startswith("lab run check:") for s in report["notes"])


def test_a_real_cycler_log_gives_its_last_full_cycle(tmp_path, capsys, fixtures_dir):
    """The Arbin bench log of ../shared (two full cycles of a 1.1 A.h cell)."""
    from cellwright.projects.labdata import read_cycler_file
    from cellwright.projects.labdata.analysis import cycle_summary

    path = fixtures_dir / "aging" / "arbin_bench_log.csv"
    summary = cycle_summary(read_cycler_file(path))
    p = ["--project", str(tmp_path / "f.cwproj")]
    assert main(["new", p[1]]) == 0
    assert main(["battery", "add", "B-1", *p]) == 0
    assert main(["twin", "import", str(path), "--kind", "labrun", "--battery", "B-1", *p]) == 0
    capsys.readouterr()
    assert main(["twin", "soh", "B-1", "--json", *p]) == 0
    report = json.loads(capsys.readouterr().out)
    points = report["capacity_points"]
    assert len(points) == 2 == len(summary["cycle"])
    assert [pt["capacity_ah"] for pt in points] == pytest.approx(
        list(summary["discharge_capacity_ah"])
    )
    assert report["capacity_ah"] == pytest.approx(summary["discharge_capacity_ah"][-1])
    gap = datetime.fromisoformat(points[1]["time"]) - datetime.fromisoformat(points[0]["time"])
    assert gap.total_seconds() == pytest.approx(np.diff(summary["start_time_second"])[0], abs=1)


# per-cycle summaries: BatteryArchive's cycle_data (Test_Time (s) is the test time at a cycle's
# end) and INL's batterydata summary (tsecs_start/tsecs_end, Cycle_Label marking capacity checks)
ARCHIVE_HEADER = (
    "Cycle_Index,Start_Time,End_Time,Test_Time (s),Min_Current (A),Max_Current (A),"
    "Min_Voltage (V),Max_Voltage (V),Charge_Capacity (Ah),Discharge_Capacity (Ah),"
    "Charge_Energy (Wh),Discharge_Energy (Wh)"
)
INL_HEADER = (
    "Cycle_Index,Cycle_Label,Time_s,Time_d,Datenum_d,datenum_d,Absolute_Charge_Throughput_Ah,"
    "Absolute_Energy_Throughput_Wh,Equivalent_Full_Cycles,Charge_Throughput_Ah,"
    "Energy_Throughput_Wh,Equivalent_Charge_Slippage,tsecs_start,tsecs_end,tsecs_cycle,Q_chg,"
    "q_chg,Q_dis,q_dis,CE,E_chg,e_chg,E_dis,e_dis,EE,DeltaV,deltaV,V_min,V_max,V_avg,I_min,"
    "I_max,I_avg,P_min,P_max,P_avg,T_min,T_max,T_avg"
)


def _soh(tmp_path, capsys, run):
    p = _project(tmp_path, run)
    capsys.readouterr()
    assert main(["twin", "soh", "M-1", "--json", *p]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_batteryarchive_cycle_data_file_gives_a_point_per_cycle_dated_by_its_end(
    tmp_path, capsys
):
    n, hours = 40, 5.0
    rng = np.random.default_rng(3)
    capacity = 4.9 - 0.004 * np.arange(n) + rng.normal(0.0, 0.001, n)  # a measured fade
    ends = 3600.0 * hours * np.arange(1, n + 1)
    rows = [
        f"{k + 1}.0,,,{ends[k]:.3f},-2.5,2.5,2.5,4.2,{q + 0.01:.4f},{q:.4f},{3.7 * q:.4f},"
        f"{3.6 * q:.4f}"
        for k, q in enumerate(capacity)
    ]
    run = tmp_path / "CELL_cycle_data.csv"
    run.write_text("\n".join([ARCHIVE_HEADER, *rows, ""]), encoding="utf-8")
    report = _soh(tmp_path, capsys, run)
    points = report["capacity_points"]
    assert len(points) == n  # before: "no capacity check, record or telemetry"
    times = [datetime.fromisoformat(pt["time"]).timestamp() for pt in points]
    assert np.diff(times) == pytest.approx(np.diff(ends), abs=1.0)
    assert report["capacity_ah"] == pytest.approx(capacity[-1], rel=1e-3)
    note = next(s for s in report["notes"] if s.startswith("lab run CELL_cycle_data:"))
    assert f"{n} of {n} cycles taken" in note and "the cycle's end" in note


def test_a_summary_that_labels_its_capacity_checks_is_judged_on_them(tmp_path, capsys):
    rows, t = [], 0.0
    checks = {1: 4.90, 12: 4.80, 23: 4.70, 34: 4.61}
    for k in range(1, 35):
        label = "Capacity check" if k in checks else "Aging cycle"
        # ageing cycles at a fast charge discharge less than a check at C/20 does
        q = checks.get(k, 4.2 - 0.01 * k)
        duration = 40 * 3600.0 if k in checks else 3 * 3600.0
        cells = dict.fromkeys(INL_HEADER.split(","), "NaN")
        cells |= {"Cycle_Index": str(k), "Cycle_Label": label, "Time_s": f"{t:.2f}",
                  "tsecs_start": f"{t:.2f}", "tsecs_end": f"{t + duration:.2f}",
                  "Q_chg": f"{q + 0.02:.4f}", "Q_dis": f"{q:.4f}", "E_chg": f"{3.7 * q:.4f}",
                  "E_dis": f"{3.6 * q:.4f}"}  # fmt: skip
        rows.append(",".join(cells.values()))
        t += duration
    run = tmp_path / "p1-summary.csv"
    run.write_text("\n".join([INL_HEADER, *rows, ""]), encoding="utf-8")
    report = _soh(tmp_path, capsys, run)
    details = [pt["detail"] for pt in report["capacity_points"]]
    assert details == [f"lab run p1-summary, cycle {k}" for k in checks]
    assert report["capacity_ah"] == pytest.approx(4.61, rel=1e-3)  # the last check's
    note = next(s for s in report["notes"] if s.startswith("lab run p1-summary:"))
    assert "4 of the 4 capacity checks the file labels taken" in note
    assert "its 30 other cycles not" in note
