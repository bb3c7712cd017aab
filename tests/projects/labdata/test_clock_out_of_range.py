"""Wall clocks with a time of day out of range (``16:66:01``, ``3:56:75 PM``): a damaged cell,
refused at its file, line and column, where it was imported as a silent gap in the clock."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.labdata import LabDataError, datetimes, read_cycler_file

MACCOR = "cycler/maccor/maccor_example.001"  # tab-separated, "03/31/2016 16:05:31"
MACCOR_CSV = "cycler/maccor/sample_data_maccor.csv"  # "23-Nov-23 3:56:11 PM"


def _damaged(fixtures_dir, tmp_path, name: str, old: str, new: str):
    text = (fixtures_dir / name).read_bytes().decode("latin-1")
    assert text.count(old) == 1, old
    path = tmp_path / ("damaged" + (fixtures_dir / name).suffix)
    path.write_bytes(text.replace(old, new).encode("latin-1"))
    return path


@pytest.mark.parametrize(
    ("name", "old", "new", "line"),
    [
        (MACCOR, "16:06:01", "16:66:01", 6),  # minutes
        (MACCOR_CSV, "3:56:15 PM", "3:56:75 PM", 8),  # seconds, 12-hour clock
    ],
)
def test_a_time_of_day_out_of_range_is_refused_at_its_line_and_column(
    fixtures_dir, tmp_path, name, old, new, line
):
    path = _damaged(fixtures_dir, tmp_path, name, old, new)
    column = "DPt Time" if name == MACCOR else "DPT Time"
    with pytest.raises(
        LabDataError,
        match=rf"damaged\.\w+: line {line}: column '{column}' has time of day '[^']*{new}'"
        r" \(minutes or seconds of 60 or more\)",
    ):
        read_cycler_file(path)


def test_the_fixtures_clocks_still_read(fixtures_dir):
    for name in (MACCOR, MACCOR_CSV):
        clock = read_cycler_file(fixtures_dir / name)["unix_time_second"]
        assert np.isfinite(clock).all(), name


def test_only_times_out_of_range_are_refused():
    """Cells left unread for any other reason (a gap, a word, hours past a day) stay gaps,
    as before; 59 minutes and 59.9 seconds are in range."""
    cells = np.array(["", "n/a", "03/31/2016 24:05:31", "03/31/2016 16:59:59.9", "16:05"],
                     dtype=object)  # fmt: skip
    datetimes.refuse_bad_times(cells, np.full(len(cells), np.nan), "t", "x.csv", 2)
    for bad in ("16:60", "1:05:60.5", "2016-03-31T16:99:00"):
        cells[1] = bad
        with pytest.raises(LabDataError, match=r"x\.csv: line 3: column 't'"):
            datetimes.refuse_bad_times(cells, np.full(len(cells), np.nan), "t", "x.csv", 2)
