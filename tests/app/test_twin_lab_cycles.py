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
