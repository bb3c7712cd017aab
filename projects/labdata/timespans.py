"""Durations in the colon forms the fast duration grammar of :mod:`.numeric_columns` does not read.

.NET software formats a TimeSpan with ``"c"`` as ``d.hh:mm:ss.fffffff`` (read by
:data:`DURATION`), but with the general ``"g"``/``"G"`` formats as
``d:hh:mm:ss.fffffff`` (``1:02:03:04.5000000``: a day, 2 h, 3 min, 4.5 s; "g" leaves out a
zero day count and a zero fraction).  Some exporters write short steps as ``mm:ss.f``.  What a
cell means is decided by its number of colon-separated fields, and by whether a ``.`` stands
before the hours (the day separator of ``"c"``):

* four fields: ``d:hh:mm:ss[.f]``, hours below 24, minutes and seconds below 60;
* three fields: ``h:mm:ss[.f]`` with hours of any count (``26:03:04``), or ``d.hh:mm:ss``;
* two fields with a fraction: ``mm:ss.f``; two fields without one could be ``hh:mm`` as well
  and are read as ``mm:ss`` only when another cell of the column shows the form (a fraction
  on two fields, or three or four fields).

Anything else with colons, or fields out of range (in the fast grammar's forms too:
``0d 00:75:00``, and hours after a day count: ``1d 25:00:00``), is refused at its line and
column rather than read as some other duration.  Only cells the fast grammar left unread
come here, so the large-file scanner (:mod:`._text_kernels`) keeps its speed on the forms it
knows.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from cellwright.projects.labdata.table import LabDataError, RowPlace, row_place

#: the durations :mod:`.numeric_columns` reads fast (and the byte scanner of :mod:`._text_kernels`):
#: Maccor's ``0d 00:00:5.05`` (seconds not zero-padded), PEC's ``hh:mm:ss.xxx`` past 99 h,
#: .NET's ``"c"`` TimeSpan ``d.hh:mm:ss.fffffff`` (``1.02:03:04.500``: a day, 2 h ...).
#: Minutes and seconds are below 60 in every one of these forms: ``00:75:00`` is a damaged
#: cell, not 1 h 15 min, and is left unread here so :func:`read_unread` refuses it.  Hours
#: after a day count are below 24 as well (``1d 25:00:00``), but polars' engine has no
#: look-ahead to say so here: the byte scanner and the readers of this pattern's groups
#: (:mod:`.numeric_columns`) leave such a cell unread; without a day count any hours go
#: (``125:30:00``).
DURATION = r"^(?:(\d+)(?:-|d\s*|\s|\.))?(\d+):([0-5]\d):([0-5]?\d(?:[.,]\d*)?)$"
#: the shape of those forms without the range of their fields: a cell of this shape that
#: :data:`DURATION` does not read has minutes or seconds of 60 or more
_DURATION_SHAPE = re.compile(r"^(?:\d+(?:-|d\s*|\s|\.))?\d+:\d\d:\d{1,2}(?:[.,]\d*)?$")
_FIELDS = re.compile(r"^(?:(\d+)\.)?\d+(?::\d+(?:[.,]\d*)?)+$")


def is_colon_form(cell: str) -> bool:
    """True for a cell of two to four colon-separated fields of digits (a fraction on the
    last), whether or not its fields are in range: a duration, not a header word."""
    cell = cell.strip()
    return bool(_FIELDS.match(cell)) and 1 <= cell.count(":") <= 3


def sample_is_duration(values: np.ndarray) -> bool:
    """Most of the first five filled cells of a text column are durations (all of them would
    have a damaged cell among them reported as the column's first cell, a good one)."""
    filled = []
    for value in values[:1000]:
        if isinstance(value, str) and value.strip():
            filled.append(value.strip())
            if len(filled) == 5:
                break
    known = sum(bool(_DURATION_SHAPE.match(c) or is_colon_form(c)) for c in filled)
    return 2 * known > len(filled)


def _seconds(cell: str, two_fields_are_minutes: bool) -> tuple[float, str]:
    """Seconds of one cell, or NaN and why not."""
    cell = cell.strip().replace(",", ".")
    fast = re.match(DURATION, cell)
    if _DURATION_SHAPE.match(cell) and not fast:
        return np.nan, "minutes or seconds of 60 or more"  # "0d 00:75:00" too
    if fast and fast.group(1) is not None and int(fast.group(2)) >= 24:
        return np.nan, "hours of 24 or more after a day count"  # "1d 25:00:00", "1-25:00:00"
    if not _FIELDS.match(cell):
        return np.nan, "not a duration"
    fields = cell.split(":")
    days, _, first = fields[0].rpartition(".") if "." in fields[0] else ("", "", fields[0])
    if days and len(fields) != 3:
        return np.nan, "a day count before the hours ('d.hh:') needs hh:mm:ss after it"
    if len(fields) > 4:
        return np.nan, f"{len(fields)} colon-separated fields (at most d:hh:mm:ss)"
    numbers = [float(first)] + [float(f) for f in fields[1:]]
    if any("." in f for f in [first, *fields[1:-1]]):
        return np.nan, "a fraction before the seconds"
    if any(len(f.split(".")[0]) != 2 for f in fields[1:-1]):
        return np.nan, "minutes (and hours after a day count) are written with two digits"
    if len(fields) == 2 and "." not in fields[1] and not two_fields_are_minutes:
        return np.nan, "two fields without a fraction: hh:mm or mm:ss?"
    if numbers[-1] >= 60 or any(n >= 60 for n in numbers[-2:-1]):
        return np.nan, "minutes or seconds of 60 or more"
    if (len(fields) == 4 or days) and numbers[-3] >= 24:
        return np.nan, "hours of 24 or more after a day count"
    scale = (86400.0, 3600.0, 60.0, 1.0)[-len(numbers) :]
    total = sum(n * s for n, s in zip(numbers, scale, strict=True))
    return total + (float(days) * 86400.0 if days else 0.0), ""


def read_unread(
    values: np.ndarray, seconds: np.ndarray, unread: np.ndarray, name: str, path: Path | str,
    first_line: RowPlace,
) -> np.ndarray:  # fmt: skip
    """``seconds`` with the ``unread`` cells of ``values`` read in the colon forms above.

    Returns ``seconds`` unchanged when none of the unread cells is in a colon form (the
    caller then reports its first unread cell as it did); otherwise every unread cell must
    be a duration.

    Raises
    ------
    LabDataError
        At the line and column of the first unread cell that is no duration, or an ambiguous
        or garbled one.
    """
    rows = np.flatnonzero(unread)
    cells = [str(values[row]).strip() for row in rows]
    if not any(is_colon_form(cell) or _DURATION_SHAPE.match(cell) for cell in cells):
        return seconds
    whole = [c.strip() for c in np.asarray(values, dtype=object) if isinstance(c, str)]
    two_fields_are_minutes = any(
        c.count(":") >= 2
        or (c.count(":") == 1 and c.split(":")[1].strip("0123456789")[:1] in (".", ","))
        for c in whole
    )
    out = np.array(seconds, dtype=np.float64, copy=True)
    for row, cell in zip(rows, cells, strict=True):
        value, why = _seconds(cell, two_fields_are_minutes)
        if why:
            raise LabDataError(
                f"{path}: {row_place(first_line, int(row))}: column {name!r} has non-numeric "
                f"value {cell[:40]!r} ({why})"
            )
        out[row] = value
    return out
