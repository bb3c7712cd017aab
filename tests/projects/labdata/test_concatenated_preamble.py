"""Two Maccor exports of one channel appended into one file, the second with the preamble line
MIMS writes at the top of every export (``Today's Date … Filename … Procedure``) before its
header: one run, the second export's test time and cycle count continuing the first's, said
in the run's notes.  A preamble of another test (another procedure) does not join."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.labdata import LabDataError, read_cycler_file

HEADER = (
    "Rec#\tCyc#\tStep\tTest (Min)\tStep (Min)\tAmp-hr\tWatt-hr\tAmps\tVolts\tState\tES\tDPt Time"
)


def _export(day: int, rows: int, procedure: str = "Form.000Formation") -> list[str]:
    """A MIMS text export of ``rows`` records from 10:00 on April ``day``: rest, two charge
    records, a discharge one, per cycle of four; its test time and cycle count from zero."""
    lines = [
        f"Today's Date 04/{day:02d}/2024  Date of Test:\t04/{day:02d}/2024\t Filename:\t"
        f"C:\\Data\\MIMS\\Backup\\cell7.00{day} Procedure: {procedure}\tComment/Barcode: cell7",
        HEADER,
    ]
    for k in range(rows):
        state, amps = ("R", 0.0) if k % 4 == 0 else ("D", 1.5) if k % 4 == 3 else ("C", 1.5)
        lines.append(
            f"{k + 1}\t{k // 4}\t{1 + k % 4}\t{k:.4f}\t{k % 4:.4f}\t{0.025 * (k % 4):.10f}\t"
            f"{0.09 * (k % 4):.10f}\t{amps:.10f}\t{3.6 + 0.001 * k:.8f}\t{state}\t1\t"
            f"04/{day:02d}/2024 10:{k:02d}:00"
        )
    return lines


def _write(tmp_path, *parts: list[str]):
    path = tmp_path / "cell7.001"
    lines = [line for part in parts for line in part]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
    return path


def test_an_export_appended_with_its_own_preamble_continues_the_first(tmp_path):
    path = _write(tmp_path, _export(1, 12), _export(2, 8))
    run = read_cycler_file(path)
    time, cycle = run["test_time_second"], run["cycle_count"]
    assert len(time) == 20
    # the first export's 11 minutes, then the day between the two by the wall clock
    np.testing.assert_array_equal(time[:12], np.arange(12) * 60.0)
    gap = 86400.0 - 11 * 60.0
    np.testing.assert_allclose(time[12:], 11 * 60.0 + gap + np.arange(8) * 60.0)
    np.testing.assert_array_equal(cycle, [0] * 4 + [1] * 4 + [2] * 4 + [3] * 4 + [4] * 4)
    assert np.all(np.diff(time) > 0)
    notes = " ".join(run.metadata["notes"])
    assert "2 appended exports with one header read as one (1 with its own preamble" in notes
    assert "test_time_second restarted in the appended export(s) from data record 13" in notes


def test_a_third_export_with_its_preamble_joins_as_well(tmp_path):
    path = _write(tmp_path, _export(1, 8), _export(2, 8), _export(3, 4))
    run = read_cycler_file(path)
    assert len(run["voltage_volt"]) == 20
    assert np.all(np.diff(run["test_time_second"]) > 0)
    assert "3 appended exports" in " ".join(run.metadata["notes"])


def test_the_preamble_of_another_test_is_refused_at_its_line(tmp_path):
    path = _write(tmp_path, _export(1, 12), _export(2, 8, procedure="Cycle.000Ageing"))
    with pytest.raises(LabDataError, match=r"cell7\.001: line 15: column '[^']+' has non-numeric"):
        read_cycler_file(path)
