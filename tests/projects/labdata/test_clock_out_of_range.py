"""Wall clocks with a time of day out of range (``16:66:01``, ``3:56:75 PM``): a damaged cell,
refused at its file, line and column, where it was imported as a silent gap in the clock."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cellwright.projects.labdata import LabDataError, datetimes, read_cycler_file
from support.xls_files import biff8_workbook, ole2

MACCOR = "cycler/maccor/maccor_example.001"  # tab-separated, "03/31/2016 16:05:31"
MACCOR_CSV = "cycler/maccor/sample_data_maccor.csv"  # "23-Nov-23 3:56:11 PM"
ARBIN = "cycler/arbin_csv/sample_data_arbin.csv"  # "09/20/2024 08:32:34.558"
LANDT = "cycler/landt_csv/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.csv"
NOVONIX = "cycler/novonix/sample_data_novonix.csv"  # "2025-07-19 15:26:20"
BATTERYARCHIVE = (
    "cycler/batteryarchive_csv/CALCE_CX2-33_prism_LCO_25C_0-100_0.5-0.5C_d_timeseries.csv"
)


def _damaged(fixtures_dir, tmp_path, name: str, old: str, new: str):
    text = (fixtures_dir / name).read_bytes().decode("latin-1")
    assert text.count(old) == 1, old
    path = tmp_path / ("damaged" + (fixtures_dir / name).suffix)
    path.write_bytes(text.replace(old, new).encode("latin-1"))
    return path


MINUTES, HOURS = "minutes or seconds of 60 or more", "hours of 24 or more"


@pytest.mark.parametrize(
    ("name", "old", "new", "line", "column", "why"),
    [
        (MACCOR, "16:06:01", "16:66:01", 6, "DPt Time", MINUTES),
        (MACCOR, "16:06:01", "26:06:01", 6, "DPt Time", HOURS),
        (MACCOR_CSV, "3:56:15 PM", "3:56:75 PM", 8, "DPT Time", MINUTES),  # 12-hour clock
        (ARBIN, "08:33:04.559", "08:73:04.559", 3, "Date Time", MINUTES),
        (ARBIN, "09/20/2024 08:33:04.559", "09/20/2024 25:33:04.559", 3, "Date Time", HOURS),
        (LANDT, "04/30/2024 14:33:49", "04/30/2024 14:33:99", 10, "date_time_iso_string", MINUTES),
        (LANDT, "04/30/2024 14:33:49", "04/30/2024 24:33:49", 10, "date_time_iso_string", HOURS),
        (NOVONIX, "2025-07-19 15:26:20,1", "2025-07-19 15:86:20,1", 22, "Date and Time", MINUTES),
        (BATTERYARCHIVE, "14:36:10", "34:36:10", 3, "Date_Time", HOURS),
    ],
)
def test_a_time_of_day_out_of_range_is_refused_at_its_line_and_column(
    fixtures_dir, tmp_path, name, old, new, line, column, why
):
    path = _damaged(fixtures_dir, tmp_path, name, old, new)
    with pytest.raises(
        LabDataError,
        match=rf"damaged\.\w+: line {line}: column '{column}' has time of day "
        rf"'[^']*{new.split(',')[0]}[^']*' \({why}\)",
    ):
        read_cycler_file(path)


def test_the_fixtures_clocks_still_read(fixtures_dir):
    for name in (MACCOR, MACCOR_CSV, ARBIN, LANDT, NOVONIX, BATTERYARCHIVE):
        clock = read_cycler_file(fixtures_dir / name)["unix_time_second"]
        assert np.isfinite(clock).all(), name


def test_only_times_out_of_range_are_refused():
    """Cells left unread for any other reason (a gap, a word, hours without a date, which may
    be a duration's) stay gaps, as before; 59 minutes, 59.9 seconds and 23 h are in range."""
    cells = np.array(["", "n/a", "25:05:31", "03/31/2016 16:59:59.9", "16:05",
                      "2016-03-31 23:59:59"], dtype=object)  # fmt: skip
    datetimes.refuse_bad_times(cells, np.full(len(cells), np.nan), "t", "x.csv", 2)
    for bad, why in (
        ("16:60", "minutes or seconds"), ("1:05:60.5", "minutes or seconds"),
        ("2016-03-31T16:99:00", "minutes or seconds"), ("03/31/2016 24:05:31", "hours"),
        ("2016-03-31T25:00:00", "hours"), ("31.03.2016 30:00:00", "hours"),
        ("31-Mar-16 24:10:00", "hours"),
    ):  # fmt: skip
        cells[1] = bad
        with pytest.raises(LabDataError, match=rf"x\.csv: line 3: column 't' .*\({why} of"):
            datetimes.refuse_bad_times(cells, np.full(len(cells), np.nan), "t", "x.csv", 2)


# --- every reader of wall-clock text ---------------------------------------------------------
#
# Each case writes a small export whose clock is text, once good and once with one cell
# damaged; the good one reads its stamps, the damaged one is refused at its place.

STAMPS = [f"2024-03-01 10:{m:02d}:05" for m in range(6)]
SECONDS = (pd.to_datetime(pd.Series(STAMPS)) - pd.Timestamp("1970-01-01")).dt.total_seconds()


def _arbin_csv(path, stamps):
    """Arbin MITS CSV whose second export was appended (the header again after three rows):
    the rows of the second part stand one line further down than their row number says."""
    header = "Data_Point,Date_Time,Test_Time(s),Step_Index,Cycle_Index,Current(A),Voltage(V)"
    rows = [f"{k + 1},{s},{60.0 * k},1,1,0.5,{3.6 + k / 100:.2f}" for k, s in enumerate(stamps)]
    path.write_text("\n".join([header, *rows[:3], header, *rows[3:], ""]), encoding="utf-8")


def _biologic_mpt(path, stamps):
    """EC-Lab ASCII export with the absolute time option: ``time/s`` holds the wall clock."""
    header = "mode\tox/red\terror\tcontrol changes\tNs changes\tcounter inc.\tNs\ttime/s\tEcell/V"
    rows = [f"1\t1\t0\t0\t0\t0\t0\t{s}\t{3.6 + k / 100:.4f}" for k, s in enumerate(stamps)]
    text = "\n".join([header + "\tI/mA\tcycle number", *(r + "\t100.0\t0" for r in rows), ""])
    path.write_text(text.replace("2024-03-01 ", "03/01/2024 "), encoding="latin-1")


def _neware_layered_csv(path, stamps):
    """Neware BTS CSV in cycle / step / record layers: records are not every line."""
    lines = [
        "Cycle Index,Chg. Cap.(Ah),DChg. Cap.(Ah),Chg.-DChg. Eff(%)",
        ",Step Index,Step Number,Step Type,Step Time,Capacity(Ah)",
        ",,DataPoint,Time,Total Time,Current(A),Voltage(V),Capacity(Ah),Date",
        "1,0.02,0.03,100.0",
        ",1,1,CC Chg,00:05:00,0.02",
    ]
    for k, stamp in enumerate(stamps):
        if k == 3:
            lines.append(",2,2,Rest,00:02:00,0")
        lines.append(f",,{k + 1},00:0{k}:00,00:0{k}:00,0.5,{3.6 + k / 100:.2f},0.0,{stamp}")
    path.write_text("\n".join([*lines, ""]), encoding="utf-8")


ARBIN_HEADER = ["Data_Point", "Date_Time", "Test_Time(s)", "Step_Index", "Cycle_Index",
                "Current(A)", "Voltage(V)"]  # fmt: skip


def _arbin_rows(stamps):
    return [[k + 1, s, 60.0 * k, 1, 1, 0.5, 3.6 + k / 100] for k, s in enumerate(stamps)]


def _arbin_xlsx(path, stamps):
    """Arbin MITS Pro workbook, a long test split over two channel sheets of one header, the
    clock written as text."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "Channel_1_1"
    second = book.create_sheet("Channel_1_2")
    rows = _arbin_rows(stamps)
    for sheet, part in ((first, rows[:3]), (second, rows[3:])):
        sheet.append(ARBIN_HEADER)
        for row in part:
            sheet.append(row)
    book.save(path)


def _neware_xls(path, stamps):
    """Neware BTS 7 legacy .xls: the ``Detail_`` sheet's ``Absolute Time`` as text cells."""
    detail = [["Record Index", "Status", "Cycle", "Step", "Cur(mA)", "Voltage(V)",
               "CapaCity(mAh)", "Relative Time(h:min:s.ms)", "Absolute Time"]]  # fmt: skip
    for k, stamp in enumerate(stamps):
        detail.append([k + 1, "CC_Chg", 1, 1, 500.0, 3.6 + k / 100, 0.0, f"0:0{k}:00.000", stamp])
    book = {"Info": [["Testing Information"]], "Detail_14_1_3": detail}
    path.write_bytes(ole2(biff8_workbook(book)))


def _bdf_parquet(path, stamps):
    """BDF as Parquet with a text wall clock beside its test time."""
    import polars as pl

    n = len(stamps)
    columns = {"test_time_second": [60.0 * k for k in range(n)], "voltage_volt": [3.6] * n,
               "current_ampere": [0.5] * n, "Date Time": stamps}  # fmt: skip
    pl.DataFrame(columns).write_parquet(path)


CASES = {
    # format: (writer, file name, damaged row, where the damaged row stands, clock column)
    "arbin_csv appended": (_arbin_csv, "run.csv", 4, "line 7", "Date_Time"),
    "biologic_mpt": (_biologic_mpt, "run.mpt", 2, "line 4", "time/s"),
    "neware_csv layered": (_neware_layered_csv, "run.csv", 4, "line 11", "Date"),
    "arbin_xlsx": (_arbin_xlsx, "run.xlsx", 4, "sheet 'Channel_1_2', row 3", "Date_Time"),
    "neware_xls": (_neware_xls, "run.xls", 3, "sheet 'Detail_14_1_3', row 5", "Absolute Time"),
    "bdf_parquet": (_bdf_parquet, "run.bdf.parquet", 2, "row 3", "Date Time"),
}
DAMAGES = pytest.mark.parametrize(
    ("time", "why"),
    [("10:66:05", "minutes or seconds of 60 or more"), ("10:04:75", "minutes or seconds of 60 "
     "or more"), ("25:04:05", "hours of 24 or more"), ("24:00:00", "hours of 24 or more")],
)  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_a_good_export_reads_its_wall_clock(tmp_path, case):
    write, name, *_ = CASES[case]
    write(tmp_path / name, STAMPS)
    np.testing.assert_array_equal(read_cycler_file(tmp_path / name)["unix_time_second"], SECONDS)


@pytest.mark.parametrize("case", list(CASES))
@DAMAGES
def test_a_damaged_time_of_day_is_refused_where_it_stands(tmp_path, case, time, why):
    write, name, row, where, column = CASES[case]
    stamps = list(STAMPS)
    stamps[row] = stamps[row][:11] + time
    write(tmp_path / name, stamps)
    with pytest.raises(LabDataError) as refused:
        read_cycler_file(tmp_path / name)
    message = str(refused.value)
    assert message.startswith(f"{tmp_path / name}: {where}: column {column!r} has time of day ")
    assert f"{time}" in message and message.endswith(f"({why})")


@pytest.mark.parametrize("case", list(CASES))
def test_an_empty_clock_cell_stays_a_gap(tmp_path, case):
    write, name, row, *_ = CASES[case]
    stamps = list(STAMPS)
    stamps[row] = ""
    write(tmp_path / name, stamps)
    if case in ("biologic_mpt", "neware_xls"):  # test time from the clock: empty, as before
        with pytest.raises(LabDataError, match=rf"data record {row + 1}: test_time_second is "):
            read_cycler_file(tmp_path / name)
        return
    clock = read_cycler_file(tmp_path / name)["unix_time_second"]
    assert np.isnan(clock[row])
    np.testing.assert_array_equal(np.delete(clock, row), np.delete(SECONDS.to_numpy(), row))


def test_a_text_cell_among_a_workbooks_date_cells_is_refused_at_its_sheet_and_row(tmp_path):
    """A clock of date cells reads a text cell as a gap; a damaged time typed over a date is
    refused at its sheet and row, a blank or other text stays a gap as before."""
    from openpyxl import Workbook

    def write(texts: dict[int, str]):
        book = Workbook()
        sheet = book.active
        sheet.title = "Channel_1_1"
        sheet.append(ARBIN_HEADER)
        for k, row in enumerate(_arbin_rows(pd.to_datetime(pd.Series(STAMPS)).dt.to_pydatetime())):
            row[1] = texts.get(k, row[1])
            sheet.append(row)
        book.save(tmp_path / "dates.xlsx")
        return tmp_path / "dates.xlsx"

    clock = read_cycler_file(write({}))["unix_time_second"]
    np.testing.assert_array_equal(clock, SECONDS)
    clock = read_cycler_file(write({2: "n/a"}))["unix_time_second"]
    assert np.isnan(clock[2]) and np.isfinite(np.delete(clock, 2)).all()
    with pytest.raises(
        LabDataError,
        match=r"dates\.xlsx: sheet 'Channel_1_1', row 4: column 'Date_Time' has time of day "
        r"'2024-03-01 10:02:65' \(minutes or seconds of 60 or more\)",
    ):
        read_cycler_file(write({2: "2024-03-01 10:02:65"}))


def _damage_voltage(path, row: int) -> None:
    """Put ``abc`` where the voltage of data row ``row`` stands (3.6 + row / 100)."""
    volts = f"{3.6 + row / 100:.2f}"
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        for sheet in book.worksheets:
            for cells in sheet.iter_rows():
                value = cells[-1].value
                if isinstance(value, float) and f"{value:.2f}" == volts:
                    cells[-1].value = "abc"
        book.save(path)
        return
    lines = path.read_text(encoding="utf-8").split("\n")
    (k,) = [k for k, line in enumerate(lines) if f",{volts}," in line or line.endswith(volts)]
    lines[k] = lines[k].replace(f",{volts}", ",abc", 1)
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("case", ["arbin_csv appended", "neware_csv layered", "arbin_xlsx"])
def test_a_non_numeric_cell_is_refused_where_it_stands(tmp_path, case):
    """Its line was counted from the rows read: an appended export's repeated header and a
    layered file's cycle and step rows put it lines too early (line 6 for line 7), and a
    workbook's second sheet was named as a line of the first."""
    write, name, row, where, _ = CASES[case]
    write(tmp_path / name, STAMPS)
    _damage_voltage(tmp_path / name, row)
    with pytest.raises(LabDataError) as refused:
        read_cycler_file(tmp_path / name)
    assert str(refused.value).startswith(f"{tmp_path / name}: {where}: column ")
    assert "non-numeric value 'abc'" in str(refused.value)
