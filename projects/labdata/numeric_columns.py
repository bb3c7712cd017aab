"""A mapped column as float64: numbers as they are, durations (``h:mm:ss``, Maccor's
``0d 00:00:05``, .NET TimeSpans) in seconds, and any other cell refused at its line."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from cellwright.projects.labdata import text_cells, timespans
from cellwright.projects.labdata.table import LabDataError, RowPlace, row_place
from cellwright.projects.labdata.text_cells import polars_strings
from cellwright.projects.labdata.timespans import DURATION as _DURATION
from cellwright.projects.labdata.timespans import sample_is_duration

#: cells that stand for no value where a number belongs: a hyphen, en or em dash, two hyphens
_NO_VALUE = ("-", "--", "\u2013", "\u2014")
#: a number with its thousands grouped by commas, as Maccor's CSV export writes large values
#: (quoted, so the separator comma stays in the cell): ``"5,577,644.47"``
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def durations(text) -> np.ndarray:
    """``h:mm:ss.fff``, ``d-hh:mm:ss``, ``1d 02:03:04`` or ``1.02:03:04`` text -> seconds (NaN
    if not)."""
    if len(text) >= text_cells.POLARS_ROWS:
        return durations_polars(text.to_numpy(dtype=object, na_value=None))[0]
    parts = text.str.replace(",", ".", regex=False).str.extract(_DURATION)  # NaN: no match
    return _total(*parts.astype(float).to_numpy().T)


def _total(days, hours, minutes, secs) -> np.ndarray:
    """Seconds of the groups of :data:`DURATION` (NaN where the cell did not match).

    After a day count the hours are an hour of the day: ``1d 25:00:00`` is a damaged cell, not
    2 days and 1 h, and is left NaN for :func:`.timespans.read_unread` to refuse, as the byte
    scanner leaves it.  The regular expression cannot say so itself: polars' engine has no
    look-ahead.
    """
    seconds = np.nan_to_num(days) * 86400.0 + hours * 3600.0 + minutes * 60.0 + secs
    unread = np.isnan(hours)
    past_a_day = hours >= 24.0
    if past_a_day.any():  # most columns have none: one comparison
        unread |= past_a_day & ~np.isnan(days)
    return np.where(unread, np.nan, seconds)


def durations_polars(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(:func:`durations` of the cells, which cells are empty), by polars' regex engine in one
    query: the same pattern and the same result as the pandas path."""
    from cellwright.projects.labdata._text_kernels import duration_parts

    cells = polars_strings(values)
    scanned = duration_parts(cells)  # the same groups, scanned: a tenth of the time
    if scanned is None:
        return _durations_regex(cells)
    parts, empty = scanned
    return _total(*parts.T), empty  # the scan already leaves hours past a day count unread


def _durations_regex(cells) -> tuple[np.ndarray, np.ndarray]:
    """:func:`durations_polars` of a polars string Series by polars' regex engine."""
    import polars as pl

    text = pl.col("t").str.strip_chars()
    groups = text.str.replace_all(",", ".", literal=True).str.extract_groups(_DURATION)
    # the groups once (a struct column), then its four fields: each field of the expression
    # would run the regular expression again
    frame = (
        pl.LazyFrame({"t": cells})
        .select((text.is_null() | (text == "")).alias("empty"), groups.alias("g"))
        .select(
            "empty",
            *[
                pl.col("g")
                .struct.field(str(k))
                .str.strip_suffix(".")
                .cast(pl.Float64, strict=False)
                .alias(f"p{k}")
                for k in range(1, 5)
            ],
        )
        .collect()
    )
    days, hours, minutes, secs = (
        frame[f"p{k}"].to_numpy().astype(np.float64) for k in (1, 2, 3, 4)
    )
    return _total(days, hours, minutes, secs), frame["empty"].to_numpy()


def numeric(raw: dict[str, np.ndarray], name: str, path: Path, first_line: RowPlace) -> np.ndarray:
    """Column ``name`` as float64; a non-numeric cell raises LabDataError naming its line
    (``first_line``: the line of row 0, or where a row stands, :data:`.table.RowPlace`)."""
    import pandas as pd

    if name not in raw:
        raise LabDataError(f"{path}: column {name!r} missing; found {sorted(raw)}")
    values = raw[name]
    if values.dtype.kind in "fiub":
        return values.astype(np.float64)
    if len(values) >= text_cells.POLARS_ROWS and sample_is_duration(values):
        converted, empty = durations_polars(values)
    else:
        text = pd.Series(np.asarray(values)).astype("string").str.strip()
        converted = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        if np.isnan(converted).all() and len(text) and sample_is_duration(values):
            converted = durations(text)
        # a dash alone is an export's "no value" (LANDdt's auxiliary temperature without a
        # probe, many spreadsheets' blanks), read as the empty cell it stands for
        blank = text.isin(_NO_VALUE) | (text == "")
        empty = ~(text.notna().to_numpy() & ~blank.to_numpy(dtype=bool, na_value=False))
    bad = np.isnan(converted) & ~empty
    if bad.any():
        converted = _ungrouped(values, converted, bad)
        bad = np.isnan(converted) & ~empty
    if bad.any():  # "g"-format TimeSpans, mm:ss.f: read, or refused as no duration
        converted = timespans.read_unread(values, converted, bad, name, path, first_line)
        bad = np.isnan(converted) & ~empty
    if bad.any():
        row = int(np.argmax(bad))
        raise LabDataError(
            f"{path}: {row_place(first_line, row)}: column {name!r} has non-numeric value "
            f"{str(values[row])[:40]!r}"
        )
    return converted


def _ungrouped(values: np.ndarray, converted: np.ndarray, bad: np.ndarray) -> np.ndarray:
    """``converted`` with the thousands-grouped cells of ``values`` read (``"1,020.00"``).

    Only when every unread cell is grouped and one of them cannot be a decimal comma (a point
    after the groups, or two groups): ``"1,020"`` alone may be a German 1.02.
    """
    cells = [str(values[i]).strip() for i in np.flatnonzero(bad)]
    if not all(_GROUPED.match(c) for c in cells):
        return converted
    if not any("." in c or c.count(",") > 1 for c in cells):
        return converted
    out = converted.copy()
    out[bad] = [float(c.replace(",", "")) for c in cells]
    return out
