"""Durations and clock stamps of large text columns, scanned byte by byte (numba).

A Neware or Maccor export carries its test time as ``h:mm:ss.fff`` and its wall clock as
``2022-05-18 16:27:52`` in every record. Read through polars' regular expressions and chrono,
those two columns took about half the read of a 10k-row file (each ~3 ms). Both grammars are
small enough to scan directly: the cells' UTF-8 bytes and lengths come out of polars in one
join, and one pass over them gives the numbers.

The scanners are twins of the paths they shortcut. A duration follows
:data:`cellwright.projects.labdata.timespans.DURATION` (the cell stripped of whitespace, a decimal
comma read as a point; hours after a day count below 24, which the readers of the regular
expression check on its groups): it matches and fails on the same cells and gives the same
float64, or
within one unit in the last place where its seconds carry more than 15 significant digits
(:data:`_INT64_DIGITS`). A clock stamp is taken only in a strict reading of its layout
(four-digit year, two-digit fields, literal separators, a real calendar date between 1678 and
2261, pandas' range), where chrono and pandas agree by construction. A column with a byte
outside ASCII, a day or hour count too long to be exact in float64, or a stamp outside the
strict reading is handed back (``None``), and the polars and pandas paths read it as before.
"""

from __future__ import annotations

import numpy as np

from cellwright.projects.jit_cache import njit  # numba's: one process compiles at a time

__all__ = ["clock_seconds", "duration_parts", "text_bytes"]

#: the layout directives a clock scan understands, and their field numbers
_FIELDS = {"Y": 0, "m": 1, "d": 2, "H": 3, "M": 4, "S": 5}
_LITERAL = -1
#: up to 15 significant digits an integer is exact in float64 and its quotient by a power of
#: ten is the correctly rounded decimal, what a parser gives; the seconds of float32 clocks
#: printed in full (Maccor: "0d 00:00:0.0500000007450581", 16-17 digits) are read to 18
#: digits and rounded twice, within one unit in the last place of the parser's (1e-15 s)
_EXACT_DIGITS = 15
_INT64_DIGITS = 18
_POW10 = np.array([10.0**k for k in range(23)])


def text_bytes(cells) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The UTF-8 bytes of a polars string Series end to end, each cell's byte length, and
    which cells are null."""
    null = cells.is_null().to_numpy()
    lengths = cells.str.len_bytes().fill_null(0).to_numpy().astype(np.int64)
    joined = cells.str.join("").item() or ""
    return np.frombuffer(joined.encode("utf-8"), dtype=np.uint8), lengths, null


@njit(cache=True, inline="always")
def _space(b: int) -> bool:
    # the ASCII White_Space characters (Rust's trim and regex \s; \x1c-\x1f are not)
    return b == 32 or 9 <= b <= 13


@njit(cache=True, inline="always")
def _digit(b: int) -> bool:
    return 48 <= b <= 57


@njit(cache=True, inline="always")
def _stripped(data, lo: int, hi: int) -> tuple[int, int]:
    """The bounds of a cell's bytes without its leading and trailing blanks."""
    while lo < hi and _space(data[lo]):
        lo += 1
    while hi > lo and _space(data[hi - 1]):
        hi -= 1
    return lo, hi


@njit(cache=True)
def _scan_durations(data, lengths, null, parts, empty):
    """Fill ``parts`` (n, 4: days, hours, minutes, seconds; NaN where absent or unmatched)
    and ``empty``; False when the column must be read by the regular expression instead."""
    start = 0
    for i in range(lengths.shape[0]):
        lo = start
        hi = start + lengths[i]
        start = hi
        for k in range(4):
            parts[i, k] = np.nan
        if null[i]:
            empty[i] = True
            continue
        for j in range(lo, hi):
            if data[j] >= 128:
                return False
        lo, hi = _stripped(data, lo, hi)
        empty[i] = lo == hi
        if lo == hi:
            continue
        # (?:(\d+)(?:-|d\s*|\s|\.))?
        j = lo
        while j < hi and _digit(data[j]):
            j += 1
        if j == lo:
            continue
        days = np.nan
        if j < hi and (data[j] == 45 or data[j] == 100 or data[j] == 46 or _space(data[j])):
            if j - lo > _EXACT_DIGITS:
                return False
            days = 0.0
            for q in range(lo, j):
                days = days * 10.0 + (data[q] - 48)
            if data[j] == 100:  # "d", then any blanks
                j += 1
                while j < hi and _space(data[j]):
                    j += 1
            else:
                j += 1
            lo = j
            while j < hi and _digit(data[j]):
                j += 1
            if j == lo:
                continue
        # (\d+):([0-5]\d):
        if j - lo > _EXACT_DIGITS:
            return False
        hours = 0.0
        for q in range(lo, j):
            hours = hours * 10.0 + (data[q] - 48)
        if hours >= 24.0 and not np.isnan(days):  # an hour of the day: left unread, refused
            continue
        if not (j + 5 <= hi and data[j] == 58 and _digit(data[j + 1]) and _digit(data[j + 2])):
            continue
        if data[j + 3] != 58:
            continue
        minutes = (data[j + 1] - 48) * 10.0 + (data[j + 2] - 48)
        if minutes >= 60.0:  # ([0-5]\d): left unread, refused by the caller
            continue
        # ([0-5]?\d(?:[.,]\d*)?)$
        j += 4
        q = j
        while q < hi and q - j < 2 and _digit(data[q]):
            q += 1
        if q == j:
            continue
        digits = q - j
        whole = 0  # the seconds' digits as one integer, exact in int64 up to 18 of them
        for r in range(j, q):
            whole = whole * 10 + (data[r] - 48)
        if whole >= 60:  # ([0-5]?\d...): left unread, as minutes of 60 or more
            continue
        scale = 0
        if q < hi and (data[q] == 46 or data[q] == 44):
            q += 1
            while q < hi and _digit(data[q]):
                if digits + scale < _INT64_DIGITS:
                    whole = whole * 10 + (data[q] - 48)
                    scale += 1
                q += 1
        if q != hi:
            continue
        parts[i, 0] = days
        parts[i, 1] = hours
        parts[i, 2] = minutes
        parts[i, 3] = float(whole) / _POW10[scale] if scale else float(whole)
    return True


def duration_parts(cells) -> tuple[np.ndarray, np.ndarray] | None:
    """(days, hours, minutes, seconds) per cell of a polars string Series as the regular
    expression's groups give them (NaN where a group is absent or the cell does not match),
    and which cells are empty; None when the column needs the regular expression."""
    data, lengths, null = text_bytes(cells)
    parts = np.empty((lengths.size, 4))
    empty = np.empty(lengths.size, dtype=np.bool_)
    if not _scan_durations(data, lengths, null, parts, empty):
        return None
    return parts, empty


def _layout_tokens(fmt: str) -> np.ndarray | None:
    """(field or literal, byte) pairs of a layout made only of %Y %m %d %H %M %S and ASCII
    literals; None for any other layout."""
    tokens, k = [], 0
    while k < len(fmt):
        if fmt[k] == "%":
            field = _FIELDS.get(fmt[k + 1 : k + 2])
            if field is None:
                return None
            tokens.append((field, 0))
            k += 2
        elif ord(fmt[k]) < 128:
            tokens.append((_LITERAL, ord(fmt[k])))
            k += 1
        else:
            return None
    return np.array(tokens, dtype=np.int64).reshape(-1, 2)


@njit(cache=True)
def _days_from_civil(y: int, m: int, d: int) -> int:
    # Hinnant, "chrono-Compatible Low-Level Date Algorithms" (2013), days_from_civil
    if m <= 2:
        y -= 1
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


@njit(cache=True)
def _scan_clocks(data, lengths, null, tokens, seconds, empty):
    """Fill ``seconds`` (unix, NaN for empty cells) and ``empty``; False at the first filled
    cell outside the strict reading of the layout."""
    month_days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    field = np.zeros(6, dtype=np.int64)
    last = np.full(4, -1, dtype=np.int64)  # the last date read and its midnight [s]
    offset = np.zeros(tokens.shape[0], dtype=np.int64)  # every field has a fixed width
    width = 0
    for t in range(tokens.shape[0]):
        offset[t] = width
        width += 1 if tokens[t, 0] < 0 else (4 if tokens[t, 0] == 0 else 2)
    start = 0
    for i in range(lengths.shape[0]):
        lo = start
        hi = start + lengths[i]
        start = hi
        seconds[i] = np.nan
        if null[i]:
            empty[i] = True
            continue
        # (a byte outside ASCII is neither a digit nor a literal here: no strict reading)
        lo, hi = _stripped(data, lo, hi)
        empty[i] = lo == hi
        if lo == hi:
            continue
        if hi - lo != width:
            return False
        field[:] = 0
        for t in range(tokens.shape[0]):
            kind = tokens[t, 0]
            j = lo + offset[t]
            if kind < 0:
                if data[j] != tokens[t, 1]:
                    return False
                continue
            value = 0
            for q in range(j, j + (4 if kind == 0 else 2)):
                if not _digit(data[q]):
                    return False
                value = value * 10 + (data[q] - 48)
            field[kind] = value
        y, m, d = field[0], field[1], field[2]
        if y != last[0] or m != last[1] or d != last[2]:  # a log's records share their date
            if not (1678 <= y <= 2261 and 1 <= m <= 12 and d >= 1):
                return False
            leap = (y % 4 == 0 and y % 100 != 0) or y % 400 == 0
            if d > month_days[m - 1] + (1 if m == 2 and leap else 0):
                return False
            last[0], last[1], last[2] = y, m, d
            last[3] = _days_from_civil(y, m, d) * 86400
        if field[3] > 23 or field[4] > 59 or field[5] > 59:
            return False
        seconds[i] = float(last[3] + field[3] * 3600 + field[4] * 60 + field[5])
    return True


def clock_seconds(cells, fmt: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(unix seconds, which cells are empty) of a polars string Series of clock stamps in
    layout ``fmt`` (naive, read as UTC like pandas), or None when the layout or a cell is
    outside what the scan reads strictly."""
    tokens = _layout_tokens(fmt)
    if tokens is None or not all((tokens[:, 0] == _FIELDS[f]).any() for f in "Ymd"):
        return None
    data, lengths, null = text_bytes(cells)
    seconds = np.empty(lengths.size)
    empty = np.empty(lengths.size, dtype=np.bool_)
    if not _scan_clocks(data, lengths, null, tokens, seconds, empty):
        return None
    return seconds, empty
