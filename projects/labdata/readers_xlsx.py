"""Excel exports (XLSX, and legacy .xls through :mod:`.xls_book`): Arbin MITS Pro /
MitsPro7, Neware (record/step/cycle sheets; BTS 7 ``Detail_`` sheets), Landt.

The data sheet is found from its header row, not its name: the first sheet (in workbook
order) whose header maps to time, voltage and current.  Arbin splits long tests over
``Channel_N_1``, ``Channel_N_2`` ... sheets with one header: those are concatenated.  A
Neware workbook also holds step and cycle layers; only the record layer is the time series.
Read with openpyxl in read-only mode (rows streamed, not the whole workbook in memory).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from cellwright.projects.labdata import datetimes, mapper, numeric_columns
from cellwright.projects.labdata.mapping_checks import absent_columns
from cellwright.projects.labdata.readers_table import finish_any
from cellwright.projects.labdata.resolve import refuse_damaged_clock, resolve
from cellwright.projects.labdata.table import TEST_TIME, CyclerTable, LabDataError
from cellwright.projects.labdata.vendor_profiles import profile_for_headers

_HEADER_SEARCH_ROWS = 30
#: names of a Neware workbook's record layer: BTS 8 "record", BTS 7 "Detail_…", Chinese "记录…"
_RECORD_SHEETS = ("record", "detail", "记录")


def _open(path: Path):
    from cellwright.projects.labdata.xls_book import XlsBook, is_xls

    try:
        if is_xls(path):
            return XlsBook(path)
        from openpyxl import load_workbook

        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged archives
        raise LabDataError(
            f"{path}: cannot open the workbook ({type(exc).__name__}: {exc})"
        ) from exc


def _header_row(rows: list[tuple], wanted: set[str] | None = None) -> int | None:
    for n, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        names = [str(c).strip() for c in row if c is not None and str(c).strip()]
        if wanted is not None:
            if wanted <= set(names):
                return n
        elif len(names) >= 3 and not mapper.propose_mapping(names).missing(mapper.AUTO_THRESHOLD):
            return n
    return None


def _closest_header(workbook, wanted: set[str]) -> tuple[str, int, list[str]]:
    """(sheet, row, header) of the row of the first rows of any sheet that holds the most of
    the ``wanted`` columns (the first sheet's first row when none holds any)."""
    best: tuple[int, str, int, list[str]] | None = None
    for sheet in workbook.worksheets:
        head = sheet.iter_rows(max_row=_HEADER_SEARCH_ROWS, values_only=True)
        for n, row in enumerate(head):
            names = [str(c).strip() for c in row if c is not None and str(c).strip()]
            if names and (best is None or len(wanted & set(names)) > best[0]):
                best = (len(wanted & set(names)), sheet.title, n, names)
    if best is None:
        return workbook.worksheets[0].title, 0, []
    return best[1], best[2], best[3]


def _sheets(
    path: Path, workbook, wanted: set[str] | None = None
) -> list[tuple[str, int, list[str]]]:
    """(sheet, header row, header) of every sheet that holds a time series (or, with
    ``wanted``, a header row holding all those columns)."""
    found = []
    for sheet in workbook.worksheets:
        head = list(sheet.iter_rows(max_row=_HEADER_SEARCH_ROWS, values_only=True))
        row = _header_row(head, wanted)
        if row is not None:
            found.append(
                (sheet.title, row, [str(c).strip() if c is not None else "" for c in head[row]])
            )
    return found


def xlsx_format(path: Path) -> str:
    """``arbin_xlsx``, ``neware_xlsx``, ``landt_xlsx`` or plain ``xlsx``."""
    workbook = _open(path)
    try:
        sheets = _sheets(path, workbook)
        titles = [s.title.lower() for s in workbook.worksheets]
    finally:
        workbook.close()
    if not sheets:
        return "xlsx"
    headers = sheets[0][2]
    if any(title.startswith("global_info") for title in titles) or "Test_Time(s)" in headers:
        return "arbin_xlsx"
    profile = profile_for_headers(headers)
    if profile is not None and profile.vendor == "landt":
        # before the layers: LANDdt names its record sheet "Record-Tab" (Neware "record")
        return "landt_xlsx"
    neware_layers = any(title.startswith(_RECORD_SHEETS) for title in titles)
    if (profile is not None and profile.vendor == "neware") or neware_layers:
        return "neware_xlsx"
    return "xlsx"


def read_xlsx(path: Path, mapping: dict | str | None = None) -> CyclerTable:
    """The time-series sheet(s) of a workbook as a :class:`CyclerTable`."""
    chosen = mapper.mapping_from_json(mapping) if isinstance(mapping, dict) else None
    wanted = {g.column for g in chosen.guesses} if chosen is not None else None
    workbook = _open(path)
    try:
        sheets = _sheets(path, workbook, wanted)
        if not sheets and chosen is not None:
            # not "no sheet has a header row with time, voltage and current … give --mapping
            # FILE.json" (skipped as not cycler data) to a user who gave one
            title, row, header = _closest_header(workbook, wanted)
            problem = absent_columns(chosen, header)
            raise LabDataError(f"{path}: sheet {title!r}, row {row + 1}: {problem}")
        if not sheets:
            raise LabDataError(
                f"{path}: no sheet has a header row with time, voltage and current "
                f"(sheets: {', '.join(s.title for s in workbook.worksheets)}); not cycler data "
                "or give --mapping FILE.json"
            )
        # a Neware workbook's layers: the record ("Detail_…"/"record") sheets are the series;
        # its step ("Statis_…") sheet also maps to voltage and current, one row a step
        records = [s for s in sheets if s[0].lower().startswith(_RECORD_SHEETS)]
        sheets = records or sheets
        first_header = sheets[0][2]
        parts = [
            (s, *_sheet_columns(workbook[s], row, first_header, path))
            for s, row, h in sheets
            if h == first_header
        ]
    finally:
        workbook.close()
    raw = {name: np.concatenate([p[1][name] for p in parts]) for name in parts[0][1]}
    # where each row of raw stands: Arbin splits a long test over sheets of one header
    titles = np.concatenate([np.full(len(rows), title, dtype=object) for title, _, rows in parts])
    sheet_rows = np.concatenate([rows for _, _, rows in parts])

    def place(k: int) -> str:
        return f"sheet {titles[k]!r}, row {sheet_rows[k]}"

    fmt = xlsx_format(path) if wanted is None else "generic"
    vendor = {"arbin_xlsx": "arbin", "neware_xlsx": "neware", "landt_xlsx": "landt"}.get(fmt)
    if chosen is None:
        chosen = mapper.propose_mapping(first_header, vendor)
        chosen.guesses = [g for g in chosen.guesses if g.confidence >= mapper.AUTO_THRESHOLD]
        if vendor is None and mapping != "auto":
            from cellwright.projects.labdata.readers_table import unrecognised

            raise unrecognised(path, sheets[0][1], mapper.propose_mapping(first_header))
    cols = mapper.apply_mapping(
        raw, chosen, lambda c, _: numeric_columns.numeric(raw, c, path, place)
    )
    cols = resolve(cols, path, time_unit_stated=mapper.states_time_unit(chosen))
    refuse_damaged_clock(raw, chosen, cols, path, place)
    _refuse_restarting_sheets(cols.get(TEST_TIME), titles, path)
    meta = {
        "format": fmt if vendor or mapping is None else "generic",
        "instrument": {"arbin": "Arbin", "neware": "Neware", "landt": "Landt"}.get(
            vendor or "", ""
        ),
        "column_map": mapper.used_columns(chosen),
        "sheets": [s for s, _, h in sheets if h == first_header],
    }
    return finish_any(cols, meta, path, "timeseries", place)


def _refuse_restarting_sheets(time: np.ndarray | None, titles: np.ndarray, path: Path) -> None:
    """Sheets of one header are one record split for length (Arbin's ``Channel_N_1``,
    ``Channel_N_2`` …), whose test time runs on; a sheet whose test time starts over is
    another channel's or test's record (a workbook of several channels), not a part of this."""
    if time is None or len(titles) == 0:
        return
    starts = np.flatnonzero(titles[1:] != titles[:-1]) + 1
    for start in starts:
        before, after = time[:start][np.isfinite(time[:start])], time[start:]
        first = after[np.isfinite(after)][:1]
        if before.size and first.size and first[0] < before[-1]:
            raise LabDataError(
                f"{path}: sheet {titles[start]!r} starts its test time again ({first[0]:g} s "
                f"after {before[-1]:g} s in sheet {titles[start - 1]!r}): the workbook holds "
                "the records of several channels or tests; export one per file"
            )


def first_sheet_columns(path: Path) -> dict[str, np.ndarray]:
    """The columns of a workbook's first sheet under its first row (a plain table such as
    end-of-line records), by header name: numbers as floats, dates as POSIX seconds, text as
    text."""
    workbook = _open(path)
    try:
        sheet = workbook.worksheets[0]
        head = next(sheet.iter_rows(max_row=1, values_only=True), ())
        header = [str(c).strip() if c is not None else "" for c in head]
        if not any(header):
            raise LabDataError(f"{path}: the first sheet has no header row")
        return _sheet_columns(sheet, 0, header, path)[0]
    finally:
        workbook.close()


def _sheet_columns(
    sheet, header_row: int, header: list[str], path: Path
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The columns under ``header`` (a 0-based row) by name, and the sheet's row number
    (1-based, as Excel shows it) of each of their rows: empty rows are left out."""
    rows = sheet.iter_rows(min_row=header_row + 2, values_only=True)
    numbered = [
        (number, row[: len(header)])
        for number, row in enumerate(rows, start=header_row + 2)
        if any(c is not None for c in row)
    ]
    if not numbered:
        raise LabDataError(f"{path}: sheet {sheet.title!r} has a header but no data rows")
    numbers = np.array([number for number, _ in numbered], dtype=np.int64)
    out = {}
    for index, name in enumerate(header):
        if not name:
            continue
        column = [row[index] if index < len(row) else None for _, row in numbered]
        out[name] = _as_array(column)
        if isinstance(next((c for c in column if c is not None), None), dt.datetime):
            # a column of date cells reads a text cell as a gap; "2024-03-01 16:66:01" typed
            # over a date is a damaged cell (the text cells are looked at only: NaN stamps)
            datetimes.refuse_bad_times(
                column, out[name], name, path,
                place=lambda k: f"sheet {sheet.title!r}, row {numbers[k]}",
            )  # fmt: skip
    return out, numbers


def _as_array(column: list) -> np.ndarray:
    sample = next((c for c in column if c is not None), None)
    if _duration_cell(sample):
        return _duration_seconds(column)
    if isinstance(sample, dt.datetime):
        stamps = [
            c.replace(tzinfo=dt.UTC).timestamp() if isinstance(c, dt.datetime) else np.nan
            for c in column
        ]
        return np.asarray(stamps, dtype=np.float64)
    if isinstance(sample, int | float) and not any(isinstance(c, str) for c in column):
        return np.asarray([np.nan if c is None else c for c in column], dtype=np.float64)
    # a text cell among numbers stays text, so numeric() reads "3.6" and refuses "abc" at its
    # sheet and row (it was a silent gap, refused later as an empty value of a data record)
    return np.asarray(["" if c is None else str(c) for c in column], dtype=object)


#: a date cell before this is no cycler's clock but a duration Excel shows as a time of day:
#: past 24 h its serial days become a date from the workbook's epoch, 1900-01-00 (or, in the
#: 1904 date system of old Mac workbooks, 1904-01-01)
_EXCEL_DURATION_DATES = dt.datetime(1905, 1, 1)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


def _duration_cell(cell) -> bool:
    """A cell of a time column typed as a duration: ``[h]:mm:ss`` cells come as timedelta,
    ``h:mm:ss`` ones as a time of day (and, past 24 h, as a datetime in 1900)."""
    if isinstance(cell, dt.datetime):
        return cell < _EXCEL_DURATION_DATES
    return isinstance(cell, dt.timedelta | dt.time)


def _duration_seconds(column: list) -> np.ndarray:
    """Seconds of a column of duration cells (a test or step time that Excel parsed from
    ``26:03:04`` text or the exporter typed as time); other cells stay as they are, as text,
    for :func:`.numeric_columns.numeric` to read or refuse at their row."""
    from openpyxl.utils.datetime import to_excel

    values = []
    for cell in column:
        if isinstance(cell, dt.timedelta):
            values.append(cell.total_seconds())
        elif isinstance(cell, dt.datetime) and _duration_cell(cell):
            if cell >= _EPOCH_1904:
                values.append((cell - _EPOCH_1904).total_seconds())
            else:
                values.append(float(to_excel(cell)) * 86400.0)  # Excel's 1900 leap day undone
        elif isinstance(cell, dt.time):
            values.append(
                cell.hour * 3600.0 + cell.minute * 60.0 + cell.second + cell.microsecond / 1e6
            )
        else:
            values.append(cell)
    if all(isinstance(c, float) or c is None for c in values):
        return np.asarray([np.nan if c is None else c for c in values], dtype=np.float64)
    return np.asarray(["" if c is None else str(c) for c in values], dtype=object)
