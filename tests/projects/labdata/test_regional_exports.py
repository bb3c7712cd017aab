"""Real exports from the shared fixtures written as other locales write them: wall clocks with
the day first (``01.03.2024 13:05:07``, ``13/03/2024``).  Each reads to the original's numbers."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import numpy as np
import pytest

from cellwright.projects.labdata import LabDataError, read_cycler_file
from cellwright.projects.labdata.datetimes import parse_datetimes

BATTERYARCHIVE = (
    "cycler/batteryarchive_csv/CALCE_CX2-33_prism_LCO_25C_0-100_0.5-0.5C_d_timeseries.csv"
)


@pytest.mark.parametrize(
    ("stamps", "first"),
    [
        (["01.03.2024 13:05:07", "02.03.2024 13:05:07"], "2024-03-01T13:05:07"),
        (["11.02.2016 15:57:53.250"], "2016-02-11T15:57:53.250"),
        (["03/01/2024 13:05:07", "13/01/2024 13:05:07"], "2024-01-03T13:05:07"),
        (["03/01/2024 1:05:07 PM", "03/13/2024 1:05:07 PM"], "2024-03-01T13:05:07"),
        (["03/01/2024 13:05:07", "04/01/2024 13:05:07"], "2024-03-01T13:05:07"),
    ],
    ids=["dots", "dots with fraction", "slashes day first", "slashes month first", "ambiguous"],
)
def test_the_day_comes_first_where_the_locale_or_the_column_says_so(stamps, first):
    """Dotted dates are day first in every locale that writes them; with slashes a column
    whose first field passes 12 is day first; an ambiguous column stays month first
    (dateutil's reading, which Maccor's and Arbin's US exports need)."""
    seconds = parse_datetimes(np.array(stamps, dtype=object))
    expected = datetime.fromisoformat(first).replace(tzinfo=UTC).timestamp()
    assert seconds[0] == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("layout", ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M:%S.000"])
def test_a_day_first_wall_clock_reads_as_the_original(fixtures_dir, tmp_path, layout):
    """BatteryArchive's ``2010-09-02 14:35:40`` written as a German Excel writes it: the same
    unix times, not the 2nd of September read as the 9th of February.  (``02/09/2010`` in a
    British export cannot be told from the American one while no day passes 12.)"""
    source = fixtures_dir / BATTERYARCHIVE
    rows = list(csv.reader(io.StringIO(source.read_text())))
    for row in rows[1:]:
        row[0] = datetime.fromisoformat(row[0]).strftime(layout)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / "local.csv"
    path.write_text(out.getvalue())
    original, local = read_cycler_file(source), read_cycler_file(path)
    np.testing.assert_array_equal(local["unix_time_second"], original["unix_time_second"])


def test_an_english_header_with_chinese_step_types_past_the_head_reads_as_gb18030(tmp_path):
    """Chinese BTS software writing English column names and Chinese step types: the head
    (the first 64 KiB) is plain ASCII, the first GB18030 byte comes later.  The file was
    refused as 'byte ~0: not valid utf-8 text'; it is read in the encoding its text shows."""
    lines = ["DataPoint,Cycle Index,Step Index,Step Type,Total Time,Current(A),Voltage(V),"
             "Capacity(Ah)"]  # fmt: skip
    rest = 2500  # past the head
    for k in range(rest + 3):
        charging = k >= rest
        state, amps = ("恒流充电", 0.5) if charging else ("Rest", 0.0)
        capacity = (k - rest) * 0.001 if charging else 0.0
        lines.append(f"{k + 1},1,{2 if charging else 1},{state},{10 * k},{amps},3.6,{capacity}")
    path = tmp_path / "neware.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    assert path.read_bytes()[:65536].isascii()  # the head tells no encoding
    table = read_cycler_file(path)
    np.testing.assert_allclose(table["current_ampere"][-3:], [0.5, 0.5, 0.5])
    np.testing.assert_allclose(table["charging_capacity_ah"][-3:], [0.0, 0.001, 0.002])


MACCOR_GROUPED = (
    "Cyc#,Step,TestTime(s),StepTime(s),Capacity(Ah),Watt-hr,Current(A),Voltage(V),State,"
    "DPt Time\n"
    '0,1,"1,020.00",  0d 00:17:00.00,0,0,0,3.7094,R,1\n'
    '0,2,"18,000.05",  0d 00:00:00.05,0.0061,0.02,"1,499.8856",3.6917,C,1\n'
    '1,2,"5,577,644.47",  0d 00:22:05.05,552.0699,"2,082.06",800,3.9200,D,1\n'
    "1,3,5577700.00,  0d 00:00:05.00,0.0000,0.00,0.0000,3.8000,R,1\n"
)


def test_thousands_grouped_in_quoted_cells_read_as_numbers(tmp_path):
    """Maccor's CSV export (US number format) groups thousands with commas and quotes those
    cells, so the separator comma stays inside them: ``"5,577,644.47"`` is one cell and
    5577644.47, not three cells or an unreadable value."""
    path = tmp_path / "grouped.csv"
    path.write_text(MACCOR_GROUPED, encoding="utf-8")
    table = read_cycler_file(path)
    assert table.metadata["format"] == "maccor"
    np.testing.assert_allclose(table["test_time_second"], [1020.0, 18000.05, 5577644.47, 5577700])
    np.testing.assert_allclose(table["current_ampere"], [0, 1499.8856, -800, 0])
    np.testing.assert_allclose(table["voltage_volt"], [3.7094, 3.6917, 3.92, 3.8])


def test_a_lone_comma_group_stays_unread_as_it_may_be_a_decimal_comma(tmp_path):
    """``"1,020"`` with no point and one group may be a decimal comma (1.02): not guessed;
    the cell is named as non-numeric instead."""
    text = MACCOR_GROUPED.replace('"1,020.00"', '"1,020"').replace('"18,000.05"', "18000.05")
    text = text.replace('"5,577,644.47"', "5577644.47")
    path = tmp_path / "ambiguous.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        LabDataError, match=r"line 2: column 'TestTime\(s\)' has non-numeric value '1,020'"
    ):
        read_cycler_file(path)
