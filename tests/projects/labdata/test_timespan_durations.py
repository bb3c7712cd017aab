"""Test and step times written as .NET TimeSpans, ``d.hh:mm:ss.fff`` (``1.02:03:04.500`` is a
day, 2 h, 3 min and 4.5 s), as cycler software built on .NET exports them: read as durations
wherever ``hh:mm:ss`` is, by the regular expression (small columns) and by the byte scanner
(large ones) alike, with ``hh:mm:ss`` and Maccor's ``0d 00:00:5.05`` read as before."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cellwright.projects.labdata import (
    LabDataError,
    numeric_columns,
    read_cycler_file,
    sniff,
    text_cells,
)

C = "cycler/"
LANDT = "landt_csv/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.csv"
MACCOR = "maccor/maccor_test_file_4267-66-6519.041"
NOVONIX = "novonix/sample_data_novonix.csv"
#: small columns go through pandas' regular expression, large ones through the byte scanner
PATHS = pytest.mark.parametrize("rows", [10**9, 1], ids=["small-file path", "large-file path"])


def _timespan(seconds: float) -> str:
    days, rest = divmod(seconds, 86400.0)
    hours, rest = divmod(rest, 3600.0)
    minutes, secs = divmod(rest, 60.0)
    return f"{int(days)}.{int(hours):02d}:{int(minutes):02d}:{secs:06.3f}"


CELLS = {
    "1.02:03:04.500": 93784.5,
    "0.00:00:30.000": 30.0,
    "12.00:00:00": 12 * 86400.0,
    " 3.23:59:59.9999999 ": 3 * 86400.0 + 86399.9999999,
    "27:55:43": 27 * 3600.0 + 55 * 60 + 43,  # hh:mm:ss past a day, as before
    "0d 00:00:5.05": 5.05,  # Maccor, as before
    "1d 02:03:04": 93784.0,
    "1-02:03:04": 93784.0,
}


@PATHS
def test_timespan_cells_read_as_seconds(monkeypatch, rows):
    monkeypatch.setattr(text_cells, "POLARS_ROWS", rows)
    cells = list(CELLS) * 3
    values = np.array(cells, dtype=object)
    seconds = numeric_columns.numeric({"t": values}, "t", "x.csv", 2)
    np.testing.assert_allclose(seconds, [CELLS[c] for c in cells], rtol=1e-15)
    assert all(sniff.is_duration(c) for c in CELLS)


@PATHS
def test_a_cell_that_is_no_timespan_is_named_with_its_line_and_column(monkeypatch, rows):
    monkeypatch.setattr(text_cells, "POLARS_ROWS", rows)
    cells = ["0.00:00:01.000", "0.00:00:02.000", "1.02:3:04.500", "0.00:00:04.000"]
    cells = cells + ["0.00:00:05.000"] * 5
    with pytest.raises(
        LabDataError, match=r"x\.csv: line 4: column 'Test Time' has non-numeric value '1\.02:3:"
    ):
        numeric_columns.numeric(
            {"Test Time": np.array(cells, dtype=object)}, "Test Time", "x.csv", 2
        )


def _rewrite_column(source, path, sep: str, header_word: str, write) -> None:
    """``source`` with the cells of the first column whose header holds ``header_word`` (and
    every column of that header) replaced by ``write(cell)``."""
    text = source.read_bytes().decode("latin-1")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.rstrip("\r\n").split(newline)
    start = next(n for n, line in enumerate(lines) if header_word in line.split(sep))
    column = lines[start].split(sep).index(header_word)
    for n in range(start + 1, len(lines)):
        cells = lines[n].split(sep)
        cells[column] = write(cells[column])
        lines[n] = sep.join(cells)
    path.write_bytes((newline.join(lines) + newline).encode("latin-1"))


@PATHS
def test_a_landt_test_time_written_as_timespans_reads_as_the_seconds(
    fixtures_dir, tmp_path, monkeypatch, rows
):
    """Landt's ``test_time_s`` (three days) written as TimeSpans, days and all."""
    monkeypatch.setattr(text_cells, "POLARS_ROWS", rows)
    source, path = fixtures_dir / C / LANDT, tmp_path / "timespan.csv"
    _rewrite_column(source, path, ",", "test_time_s", lambda cell: _timespan(float(cell)))
    original, variant = read_cycler_file(source), read_cycler_file(path)
    assert variant["test_time_second"].max() > 3 * 86400
    np.testing.assert_allclose(
        variant["test_time_second"], original["test_time_second"], rtol=0, atol=1e-9
    )
    for name in original.names:
        if name != "test_time_second":
            np.testing.assert_array_equal(variant[name], original[name], err_msg=name)


@PATHS
def test_maccor_durations_written_as_timespans_read_as_its_own(
    fixtures_dir, tmp_path, monkeypatch, rows
):
    """Maccor's ``  0d 00:00:01.0000`` test time written as ``0.00:00:01.0000`` reads to the
    same seconds as the original (which keeps Maccor's form)."""
    monkeypatch.setattr(text_cells, "POLARS_ROWS", rows)
    source, path = fixtures_dir / C / MACCOR, tmp_path / "timespan.041"

    def as_timespan(cell: str) -> str:
        days, clock = cell.strip().split("d ")
        return f"{days}.{clock}"

    _rewrite_column(source, path, "\t", "TestTime", as_timespan)
    original, variant = read_cycler_file(source), read_cycler_file(path)
    assert original["test_time_second"][-1] > 0
    for name in original.names:
        np.testing.assert_array_equal(variant[name], original[name], err_msg=name)


def test_both_paths_give_the_same_seconds(monkeypatch):
    """The byte scanner against polars' regular expression on TimeSpan cells (the fuzzed
    comparison in test_text_conversions covers the grammar around them)."""
    import polars as pl

    rng = np.random.default_rng(3)
    seconds = rng.uniform(0, 40 * 86400, 5000).round(3)
    cells = [_timespan(s) for s in seconds]
    fast = numeric_columns.durations_polars(np.array(cells, dtype=object))[0]
    slow = numeric_columns._durations_regex(pl.Series(cells, dtype=pl.String))[0]
    monkeypatch.setattr(text_cells, "POLARS_ROWS", 10**9)
    small = numeric_columns.durations(pd.Series(cells))  # pandas' regular expression
    np.testing.assert_array_equal(fast, slow)
    np.testing.assert_allclose(small, slow, rtol=1e-15)
    np.testing.assert_allclose(fast, seconds, rtol=0, atol=1e-6)


def test_a_duration_under_a_header_in_hours_is_not_scaled_again(fixtures_dir, tmp_path):
    """Novonix's ``Run Time (h)`` written as TimeSpans: a duration is seconds whatever unit
    the header names (it had been multiplied by 3600 once more)."""
    source, path = fixtures_dir / C / NOVONIX, tmp_path / "timespan.csv"
    _rewrite_column(source, path, ",", "Run Time (h)", lambda cell: _timespan(float(cell) * 3600.0))
    original, variant = read_cycler_file(source), read_cycler_file(path)
    np.testing.assert_allclose(
        variant["test_time_second"], original["test_time_second"], rtol=0, atol=1e-3
    )


OUT_OF_RANGE = ["00:75:00", "0d 00:00:75", "1.02:61:00", "00:00:60.5", "12:60:00", "0d 00:99:00"]


@PATHS
@pytest.mark.parametrize("cell", OUT_OF_RANGE)
def test_minutes_or_seconds_of_60_or_more_are_refused_at_their_cell(monkeypatch, rows, cell):
    """The fast grammar read ``00:75:00`` as 1 h 15 min: a damaged cell, refused at its line
    and column with the reason, whichever path reads the column."""
    monkeypatch.setattr(text_cells, "POLARS_ROWS", rows)
    cells = ["0d 00:00:01.0", "0d 00:00:02.0", cell] + ["0d 00:00:05.0"] * 5
    with pytest.raises(LabDataError, match=r"x\.csv: line 4: column 'Test Time' .*60 or more"):
        numeric_columns.numeric(
            {"Test Time": np.array(cells, dtype=object)}, "Test Time", "x.csv", 2
        )


@PATHS
def test_fields_just_below_60_and_hours_past_a_day_still_read(monkeypatch, rows):
    monkeypatch.setattr(text_cells, "POLARS_ROWS", rows)
    cells = {"00:59:59.999": 3599.999, "0d 00:00:59": 59.0, "100:59:00": 363540.0,
             "1.23:59:59": 172799.0, "0d 00:00:5.05": 5.05}  # fmt: skip
    seconds = numeric_columns.numeric({"t": np.array(list(cells), dtype=object)}, "t", "x.csv", 2)
    np.testing.assert_allclose(seconds, list(cells.values()), rtol=1e-15)


PAST_A_DAY = ["1d 25:00:00", "1-25:00:00", "1.25:00:00", "1 25:00:00", "0d 24:00:00.5",
              "2d 30:10:00", "1:24:00:00"]  # fmt: skip


@PATHS
@pytest.mark.parametrize("cell", PAST_A_DAY)
def test_hours_of_24_or_more_after_a_day_count_are_refused_at_their_cell(monkeypatch, rows, cell):
    """After a day count the hours are an hour of the day: ``1d 25:00:00`` was read as a day
    and 25 h, silently; refused as minutes of 60 or more are, whichever path reads it."""
    monkeypatch.setattr(text_cells, "POLARS_ROWS", rows)
    cells = ["0d 00:00:01.0", "0d 00:00:02.0", cell] + ["0d 00:00:05.0"] * 5
    with pytest.raises(
        LabDataError,
        match=r"x\.csv: line 4: column 'Test Time' has non-numeric value '[^']+' "
        r"\(hours of 24 or more after a day count\)",
    ):
        numeric_columns.numeric(
            {"Test Time": np.array(cells, dtype=object)}, "Test Time", "x.csv", 2
        )


@PATHS
def test_hours_below_24_after_a_day_count_and_any_hours_without_one_still_read(monkeypatch, rows):
    monkeypatch.setattr(text_cells, "POLARS_ROWS", rows)
    cells = {"1d 23:59:59": 172799.0, "3-00:00:01": 259201.0, "2 23:00:00": 255600.0,
             "125:30:00": 451800.0, "24:00:00": 86400.0, "0d 00:00:5.05": 5.05}  # fmt: skip
    seconds = numeric_columns.numeric({"t": np.array(list(cells), dtype=object)}, "t", "x.csv", 2)
    np.testing.assert_allclose(seconds, list(cells.values()), rtol=1e-15)


def test_a_maccor_test_time_past_a_day_in_its_hours_is_refused(fixtures_dir, tmp_path):
    """The real Maccor export, one ``TestTime`` cell's day rolled into its hours."""
    source, path = fixtures_dir / C / MACCOR, tmp_path / "rolled.041"
    text = source.read_bytes().decode("latin-1")
    lines = text.split("\n")
    header = next(n for n, line in enumerate(lines) if line.startswith("Rec#"))
    column = lines[header].split("\t").index("TestTime")
    cells = lines[header + 3].split("\t")
    cells[column] = "1d 25:00:00"
    lines[header + 3] = "\t".join(cells)
    path.write_bytes("\n".join(lines).encode("latin-1"))
    with pytest.raises(
        LabDataError,
        match=rf"rolled\.041: line {header + 4}: column 'TestTime' has non-numeric value "
        r"'1d 25:00:00' \(hours of 24 or more after a day count\)",
    ):
        read_cycler_file(path)
