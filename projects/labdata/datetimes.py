"""Vendors' wall-clock stamps as unix seconds: the layout guessed once per column (day first
where the column shows it), then parsed in C by pandas, by polars' chrono, or scanned byte by
byte (:mod:`._text_kernels`) for strict layouts."""

from __future__ import annotations

import itertools
import re
import warnings
from collections.abc import Callable
from datetime import UTC, datetime

import numpy as np

from cellwright.projects.labdata import text_cells
from cellwright.projects.labdata.table import LabDataError
from cellwright.projects.labdata.text_cells import polars_strings


def parse_datetimes(values: np.ndarray, fmt: str | None = None) -> np.ndarray:
    """Vendor date-time text -> unix seconds (NaN where unparseable), via pandas' C parser.

    Without ``fmt`` the layout is guessed from the first stamp and the column is parsed with
    it in C; only the cells it does not fit are parsed one by one by dateutil ("mixed", ~0.1 ms
    a cell: 100 s for a million rows), as every cell was before.
    """
    import pandas as pd

    guessed = fmt is None
    fmt = fmt or _guess_layout(values)
    if fmt and "%" in fmt and len(values) >= text_cells.POLARS_ROWS:
        found = _datetimes_polars(values, fmt)  # a TextCells' own polars strings, if kept
        if found is not None:
            seconds, empty = found
            missed = np.isnan(seconds) & ~empty
            if missed.any():  # cells of another layout: pandas' element-wise parser
                cells = np.asarray(values, dtype=object)
                seconds[missed] = parse_datetimes(cells[missed], "mixed")
            return seconds
    text = pd.Series(np.asarray(values, dtype=object)).astype("string").str.strip()
    # utc: a stamp with its UTC offset (ISO 8601 "…+02:00", "…Z", the offset changing with
    # daylight saving) is the instant it names; one without stays its digits, as before
    stamps = pd.to_datetime(text, format=fmt or "mixed", errors="coerce", utc=True)
    missed = (stamps.isna() & text.notna() & (text != "")).to_numpy(dtype=bool)
    if guessed and fmt and missed.any():
        stamps[missed] = pd.to_datetime(text[missed], format="mixed", errors="coerce", utc=True)
    seconds = (stamps - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds()
    return seconds.to_numpy(dtype=np.float64, na_value=np.nan)


def iso_stamp(text: str) -> str | None:
    """A vendor's start-of-test text (``19.06.2023 17:56:53``, ``23-Nov-23 3:56:08 PM``) as
    ISO 8601 in UTC, the form a run's start takes from its records' clock
    (:func:`.finish.finish`); None for text that reads as no stamp."""
    seconds = parse_datetimes(np.array([text.strip()], dtype=object))[0]
    if not np.isfinite(seconds):
        return None
    try:
        return datetime.fromtimestamp(float(seconds), tz=UTC).isoformat()
    except (ValueError, OverflowError, OSError):
        return None


#: a time of day (``15:75:53``, ``3:56:61 PM``) with minutes or seconds of 60 or more
_BAD_TIME = r"(?:^|[^\d:])\d{1,2}:(?:[6-9]\d(?::\d\d)?|[0-5]\d:[6-9]\d)(?:$|[^\d:])"
#: an hour of 24 or more after a date (``03/31/2016 25:10:00``, ``2024-01-01T24:00:00``); a
#: clock without a date is left alone, it may be a duration's hours (``125:30:00``)
_BAD_HOUR = r"\d[./-]\w{1,9}[./-]\d{1,4}[ T]\s*(?:2[4-9]|[3-9]\d|\d{3,}):\d"


def first_bad_time(text, seconds: np.ndarray) -> tuple[int, str, str] | None:
    """The first cell of a clock column that :func:`parse_datetimes` left NaN and whose time
    of day is out of range: (row, the cell, what is out of range), or None.

    A wall clock may have gaps, and cells nobody can read; but ``15:75:53`` or
    ``03/31/2016 25:10:00`` is a damaged cell.  Only the cells left NaN are looked at, so a
    column that reads costs one ``isnan``.
    """
    import pandas as pd

    missed = np.flatnonzero(np.isnan(seconds))
    if not missed.size:
        return None
    cells = pd.Series(np.asarray(text, dtype=object)[missed], dtype="string")
    minutes = cells.str.contains(_BAD_TIME, regex=True).fillna(False).to_numpy(dtype=bool)
    hours = cells.str.contains(_BAD_HOUR, regex=True).fillna(False).to_numpy(dtype=bool)
    if not (minutes.any() or hours.any()):
        return None
    k = int(np.argmax(minutes | hours))
    why = "minutes or seconds of 60 or more" if minutes[k] else "hours of 24 or more"
    return int(missed[k]), str(cells.iloc[k]).strip(), why


def refuse_bad_times(
    text, seconds: np.ndarray, name: str, path, first_line: int = 0,
    place: Callable[[int], str] | None = None,
) -> None:  # fmt: skip
    """Refuse a clock column whose unparsed cells hold a time of day out of range
    (:func:`first_bad_time`).

    ``place`` names where row ``k`` of the column stands in the file (a sheet and row of a
    workbook, the line of a table that lost rows); by default line ``first_line + k``.

    Raises
    ------
    LabDataError
        At the place and column of the first such cell.
    """
    found = first_bad_time(text, seconds)
    if found is None:
        return
    row, cell, why = found
    where = place(row) if place is not None else f"line {first_line + row}"
    raise LabDataError(f"{path}: {where}: column {name!r} has time of day {cell[:40]!r} ({why})")


#: strptime directives that chrono (polars) reads as Python does; others (%f: chrono counts
#: nanoseconds, %z/%Z, %b month names in other locales) stay with pandas
_CHRONO_SAFE = re.compile(r"^(?:[^%]|%[YmdHIMSp%])*$")


def _datetimes_polars(values: np.ndarray, fmt: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(unix seconds of the cells in layout ``fmt``, which cells are empty) by polars
    (chrono), or None when the layout is one chrono may read differently or a check against
    pandas on a sample of the cells disagrees."""
    from cellwright.projects.labdata._text_kernels import clock_seconds

    if not _CHRONO_SAFE.match(fmt):
        return None
    scanned = clock_seconds(polars_strings(values), fmt)  # strict layouts: no chrono needed
    return scanned if scanned is not None else _datetimes_chrono(values, fmt)


def _datetimes_chrono(values: np.ndarray, fmt: str) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`_datetimes_polars` by chrono, checked against pandas on a sample."""
    import pandas as pd
    import polars as pl

    cells = polars_strings(values).str.strip_chars()  # eager: a lazy query planned slower
    try:
        stamps = cells.str.to_datetime(fmt, strict=False, time_unit="us")
    except (pl.exceptions.PolarsError, ValueError):
        return None
    seconds = stamps.dt.epoch("us").cast(pl.Float64).to_numpy().astype(np.float64) / 1e6
    sample = np.unique(np.linspace(0, len(values) - 1, 64).astype(np.int64))
    reference = pd.Series(np.asarray(values)[sample]).astype("string").str.strip()
    expected = (
        (pd.to_datetime(reference, format=fmt, errors="coerce") - pd.Timestamp("1970-01-01"))
        .dt.total_seconds()
        .to_numpy(dtype=np.float64, na_value=np.nan)
    )
    if not np.allclose(seconds[sample], expected, rtol=0.0, atol=1e-6, equal_nan=True):
        return None
    return seconds, (cells.is_null() | (cells == "")).to_numpy()


def _guess_layout(values: np.ndarray) -> str | None:
    """strptime layout of the first non-empty stamp (month first when ambiguous, as dateutil),
    or None; layouts with a UTC offset are left to the element-wise parser."""
    from pandas.tseries.api import guess_datetime_format

    filled = (v.strip() for v in values[:1000] if isinstance(v, str))
    stamps = list(itertools.islice((v for v in filled if v), 5))
    if not stamps:
        return None
    layout = None
    with warnings.catch_warnings():  # "day first although dayfirst=False": the layout decides
        warnings.simplefilter("ignore", UserWarning)
        for stamp in stamps[:5]:  # pandas guesses none for some stamps ("5/11/2021 3:40:24 PM")
            layout = _iso_layout(stamp) or guess_datetime_format(stamp)
            if layout:
                break
    if not layout:
        layout = next((f for f in _COMMON_LAYOUTS if _fits(f, stamps[:5])), None)
    if layout and _MONTH_FIRST.search(layout) and _day_first(layout, values):
        layout = _MONTH_FIRST.sub(r"%d\1%m\1", layout, count=1)
    return layout if layout and "%z" not in layout and "%Z" not in layout else None


_MONTH_FIRST = re.compile(r"%m([./-])%d\1")
_LEADING_FIELDS = re.compile(r"\s*(\d{1,2})[./-](\d{1,2})[./-]")


def _day_first(layout: str, values) -> bool:
    """Whether a column guessed month first (``01.03.2024``: dateutil's reading of an
    ambiguous stamp) writes the day first: always with dots (German, Russian and other
    locales; none writes the month first so), and with slashes or dashes when a stamp of
    the column has a first field past 12 and none a second one."""
    if _MONTH_FIRST.search(layout).group(1) == ".":
        return True
    n = len(values)
    picks = sorted({*range(min(n, 1000)), *np.linspace(0, n - 1, min(n, 1000)).astype(int)})
    firsts, seconds = set(), set()
    for k in picks:
        cell = values[int(k)]
        found = _LEADING_FIELDS.match(cell) if isinstance(cell, str) else None
        if found:
            firsts.add(int(found.group(1)))
            seconds.add(int(found.group(2)))
    return bool(firsts) and max(firsts) > 12 and max(seconds) <= 12


_ISO_STAMP = re.compile(
    r"((?:19|2[0-2])[0-9]{2})([-/])([0-9]{2})\2([0-9]{2})([ T])"
    r"([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
)


def _iso_layout(stamp: str) -> str | None:
    """The layout pandas' ``guess_datetime_format`` gives a year-first stamp with two-digit
    fields and a real date and time of 1900-2261 (``2022-05-18 16:27:52``), without its
    dateutil parse (a quarter of a millisecond); None for any other stamp."""
    found = _ISO_STAMP.fullmatch(stamp)
    if found is None:
        return None
    year, sep, month, day, t, hour, minute, second, fraction = found.groups()
    if int(year) > 2261:  # beyond pandas' timestamps: it guesses nothing
        return None
    try:
        datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError:
        return None
    return f"%Y{sep}%m{sep}%d{t}%H:%M:%S" + (".%f" if fraction else "")


#: wall-clock layouts of cycler exports, tried when pandas guesses none (month first, as
#: dateutil decides an ambiguous stamp)
_COMMON_LAYOUTS = (
    "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S",
    "%d.%m.%Y %H:%M:%S", "%m/%d/%Y %I:%M:%S.%f %p", "%m/%d/%Y %H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S.%f", "%d.%m.%Y %H:%M:%S.%f",
)  # fmt: skip


def _fits(layout: str, stamps: list[str]) -> bool:
    try:
        for stamp in stamps:
            datetime.strptime(stamp, layout)
    except ValueError:
        return False
    return True
