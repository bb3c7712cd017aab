"""Durations in the colon forms beside .NET's ``"c"`` TimeSpan (``test_timespan_durations``):
the general ``"g"``/``"G"`` formats, ``d:hh:mm:ss.fffffff`` (``1:02:03:04.5000000``; "g"
leaves out a zero day count and a zero fraction), hours past a day without a day count
(``26:03:04``) and ``mm:ss.f`` for short steps.  What a cell means is told by its number of
colon fields and by a ``.`` before the hours; a cell that could mean two things, or whose
fields are out of range, is refused at its line and column."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.labdata import (
    LabDataError,
    numeric_columns,
    read_cycler_file,
    sniff,
    text_cells,
)

#: small columns go through pandas' regular expression, large ones through the byte scanner
PATHS = pytest.mark.parametrize("rows", [10**9, 1], ids=["small-file path", "large-file path"])

CELLS = {
    "1:02:03:04.5000000": 93784.5,  # "G": days always, seven fraction digits
    "1:02:03:04.5": 93784.5,  # "g": the fraction trimmed
    "0:00:00:30": 30.0,
    "2:00:00:00": 2 * 86400.0,
    "0:00:05": 5.0,  # "g" of five seconds: no day count, no fraction
    "26:03:04": 26 * 3600.0 + 3 * 60 + 4,  # hours past a day, no day count
    "03:04.5": 184.5,  # mm:ss.f of a short step
    "59:59.25": 3599.25,
    "1.02:03:04.5": 93784.5,  # "c": a "." before the hours is the day separator
}


@PATHS
def test_colon_forms_read_as_seconds(monkeypatch, rows):
    monkeypatch.setattr(text_cells, "POLARS_ROWS", rows)
    cells = list(CELLS) * 3
    seconds = numeric_columns.numeric({"t": np.array(cells, dtype=object)}, "t", "x.csv", 2)
    np.testing.assert_allclose(seconds, [CELLS[c] for c in cells], rtol=1e-15)
    assert all(sniff.is_duration(c) for c in CELLS)


@PATHS
@pytest.mark.parametrize(
    ("cell", "why"),
    [
        # a column of two fields only never tells which
        ("03:04", r"two fields without a fraction: hh:mm or mm:ss\?"),
        ("1:25:03:04", "hours of 24 or more after a day count"),
        ("1:02:61:04", "minutes or seconds of 60 or more"),
        ("1.02:03:04:05", r"a day count before the hours \('d\.hh:'\)"),
        ("1:02.5:03", "a fraction before the seconds"),
        ("1:2:03:04", "minutes .and hours after a day count. are written with two digits"),
    ],
)
def test_an_ambiguous_or_garbled_duration_is_refused_at_its_line(monkeypatch, rows, cell, why):
    monkeypatch.setattr(text_cells, "POLARS_ROWS", rows)
    good = "03:05" if cell == "03:04" else "0:00:00:01"
    line = 2 if cell == "03:04" else 4  # a column of two fields only: its first cell
    cells = [good, good, cell] + [good] * 6
    with pytest.raises(
        LabDataError,
        match=rf"x\.csv: line {line}: column 'Test Time' has non-numeric value '[^']+' \({why}",
    ):
        numeric_columns.numeric(
            {"Test Time": np.array(cells, dtype=object)}, "Test Time", "x.csv", 2
        )


def test_two_fields_are_minutes_where_the_column_shows_it():
    """``mm:ss`` without a fraction is read where other cells of the column show the form."""
    cells = np.array(["00:59.5", "01:00", "01:00.5", "1:01:00"], dtype=object)
    seconds = numeric_columns.numeric({"t": cells}, "t", "x.csv", 2)
    np.testing.assert_array_equal(seconds, [59.5, 60.0, 60.5, 3660.0])


def _maccor_export(path, test_times: list[str]) -> None:
    """A Maccor MIMS text export (tab separated, CRLF) of a rest then a charge step, its
    ``TestTime`` written by ``test_times``."""
    lines = [
        "Today's Date 04/04/2024  Date of Test:\t04/01/2024\t Filename:\tC:\\Data\\MIMS\\"
        "cell7.001 Procedure: Form.000Formation\tComment/Barcode: cell7",
        "Rec#\tCyc#\tStep\tTestTime\tStepTime\tAmp-hr\tWatt-hr\tAmps\tVolts\tState\tES\tDPt Time",
    ]
    for k, stamp in enumerate(test_times):
        state, amps = ("R", 0.0) if k < 3 else ("C", 1.5)
        lines.append(
            f"{k + 1}\t0\t{1 if k < 3 else 2}\t{stamp}\t{stamp}\t{0.001 * max(k - 2, 0):.10f}\t"
            f"0.0000000000\t{amps:.10f}\t{3.6 + 0.001 * k:.8f}\t{state}\t{0 if k == 0 else 1}\t"
            f"04/01/2024 {10 + k:02d}:00:00"
        )
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))


@PATHS
def test_a_maccor_export_with_general_format_timespans_reads(tmp_path, monkeypatch, rows):
    """A whole export whose test time went through .NET's "G" format: days always written,
    colon-separated (it was refused as non-numeric)."""
    monkeypatch.setattr(text_cells, "POLARS_ROWS", rows)
    stamps = [f"{k // 24}:{k % 24:02d}:00:00.0000000" for k in range(0, 60, 10)]
    path = tmp_path / "cell7.001"
    _maccor_export(path, stamps)
    run = read_cycler_file(path)
    np.testing.assert_array_equal(run["test_time_second"], np.arange(0, 60, 10) * 3600.0)
    assert run["current_ampere"][-1] == 1.5
