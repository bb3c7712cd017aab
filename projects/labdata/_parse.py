"""Shared parsing helpers: header sniffing, C-speed delimited parsing, error positions.

Text tables are parsed by pandas' C tokenizer in chunks (never row by row in Python); the
result is handed on as plain numpy arrays so nothing downstream depends on pandas.
"""

from __future__ import annotations

import itertools
import re
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from cellwright.projects.labdata import timespans
from cellwright.projects.labdata.table import (
    CURRENT,
    CYCLE,
    STEP_COUNT,
    STEP_INDEX,
    TIME_SERIES_REQUIRED,
    UNIX_TIME,
    CyclerTable,
    LabDataError,
)
from cellwright.projects.labdata.timespans import DURATION as _DURATION
from cellwright.projects.labdata.timespans import sample_is_duration as _sample_is_duration

HEAD_BYTES = 65536
CHUNK_ROWS = 250_000


def read_head(path: Path, n_bytes: int = HEAD_BYTES) -> bytes:
    """Return the first ``n_bytes`` of ``path`` or raise a LabDataError for unreadable files."""
    try:
        with open(path, "rb") as handle:
            return handle.read(n_bytes)
    except OSError as exc:
        raise LabDataError(f"{path}: cannot open ({exc.strerror or exc})") from exc


def head_lines(path: Path, encoding: str, n_lines: int = 200) -> list[str]:
    """Decode the head of a text file into lines, reporting the byte of a bad character."""
    raw = read_head(path)
    if not raw.strip():
        raise LabDataError(f"{path}: file is empty")
    if b"\x00" in raw[:4096]:
        nul = raw.index(b"\x00")
        raise LabDataError(f"{path}: byte {nul}: NUL byte in a text format")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.start < len(raw) - 4:  # a multi-byte char cut by the head limit is fine
            raise LabDataError(f"{path}: byte {exc.start}: not valid {encoding} text") from exc
        text = raw[: exc.start].decode(encoding)
    return text.splitlines()[:n_lines]


def find_line(lines: list[str], predicate, path: Path, what: str) -> int:
    """Index of the first line satisfying ``predicate``; LabDataError naming ``what`` if none."""
    for number, line in enumerate(lines):
        if predicate(line):
            return number
    raise LabDataError(f"{path}: no {what} found in the first {len(lines)} lines")


class Cancelled(LabDataError):
    """The user cancelled a read; nothing was stored."""


def read_delimited(
    path: Path,
    *,
    header_line: int,
    sep: str,
    encoding: str,
    usecols: list[str] | None = None,
    decimal: str = ".",
    skip_after_header: int = 0,
    quoted_lines: bool = False,
    names: list[str] | None = None,
    progress=None,
    lazy_text: bool = False,
) -> dict[str, np.ndarray]:
    """Parse a delimited table whose header is on (0-based) ``header_line``.

    Returns column name -> numpy array (object arrays for text columns; with ``lazy_text``
    large text columns tokenized by polars may be :class:`LazyText`, for a caller that
    converts them with :func:`numeric`, :func:`parse_datetimes` or takes them as arrays).
    The table is parsed in chunks of :data:`CHUNK_ROWS` by pandas' C tokenizer;
    ``progress(fraction, message)`` is called after each chunk and may raise
    :class:`Cancelled`.
    """
    import pandas as pd

    if _polars_tokenizer_fits(path, encoding, quoted_lines, names):
        table = _read_polars(path, header_line, sep, usecols, decimal, skip_after_header)
        if table is not None:
            table = _checked_tail(table, path, header_line + skip_after_header, sep, encoding)
            if progress is not None:
                progress(1.0, f"read {len(next(iter(table.values()))):,} rows")
            if not lazy_text:
                table = {k: v.array() if isinstance(v, LazyText) else v for k, v in table.items()}
            return table
    columns: dict[str, list[np.ndarray]] = {}
    size = max(path.stat().st_size, 1) if progress is not None else 1
    source = _unquoted(path, encoding) if quoted_lines else path
    with warnings.catch_warnings():  # ragged rows -> error, not a silent warning
        try:
            warnings.simplefilter("error", pd.errors.ParserWarning)
            reader = pd.read_csv(
                source,
                sep=sep,
                skiprows=list(range(header_line))
                + [header_line + 1 + k for k in range(skip_after_header)]
                if skip_after_header
                else header_line,
                header=0,
                names=names,
                encoding=encoding if not quoted_lines else None,
                engine="c",
                usecols=usecols,
                chunksize=CHUNK_ROWS,
                skipinitialspace=True,
                low_memory=False,
                index_col=False,
                decimal=decimal,
                encoding_errors="strict",
                on_bad_lines="error",
            )
            with reader:  # closed on a cancel or a parse error too
                for chunk in reader:
                    for name in chunk.columns:
                        columns.setdefault(_clean_name(name), []).append(chunk[name].to_numpy())
                    if progress is not None:
                        done = reader.handles.handle.tell() if hasattr(reader, "handles") else 0
                        rows = sum(len(p) for p in next(iter(columns.values())))
                        progress(min(done / size, 1.0), f"read {rows:,} rows")
        except Cancelled:
            raise  # a LabDataError too, but the user's, not the file's
        except UnicodeDecodeError as exc:
            raise LabDataError(f"{path}: byte ~{exc.start}: not valid {encoding} text") from exc
        except pd.errors.EmptyDataError as exc:
            raise LabDataError(
                f"{path}: line {header_line + 1}: no table after the header"
            ) from exc
        except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError) as exc:
            raise LabDataError(
                f"{path}: table starting at line {header_line + 1}: {_short(exc)}"
            ) from exc
    if not columns or not any(len(v) and len(v[0]) for v in columns.values()):
        raise LabDataError(f"{path}: line {header_line + 2}: header but no data rows")
    table = {name: np.concatenate(parts) for name, parts in columns.items()}
    return _checked_tail(table, path, header_line + skip_after_header, sep, encoding)


#: text tables of this size and more (up to :data:`POLARS_MAX_BYTES`, beyond which pandas'
#: chunks keep the memory bounded and report progress) are tokenized by polars: 4.4 ms
#: against pandas' 13.4 ms on a 3.5 MB Maccor export (multithreaded Rust, only the mapped
#: columns materialised)
POLARS_BYTES = 1 << 20
POLARS_MAX_BYTES = 256 << 20
#: the cells pandas' C parser reads as missing by default (``na_values``), read alike
_NA_CELLS = [
    *("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN"),
    *("<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"),
]


def _polars_tokenizer_fits(path: Path, encoding: str, quoted_lines: bool, names) -> bool:
    """Polars reads the table when it is UTF-8, plain and of :data:`POLARS_BYTES` or more, and
    when pandas would have read it in one chunk anyway (its rows estimated from the lines of
    the file's head): a larger table keeps its chunks, with progress and cancel per chunk."""
    if quoted_lines or names is not None or encoding not in ("utf-8", "ascii"):
        return False
    try:
        size = path.stat().st_size
        if not POLARS_BYTES <= size <= POLARS_MAX_BYTES:
            return False
        head = read_head(path)
    except (OSError, LabDataError):
        return False
    lines = max(head.count(b"\n"), 1)
    return size * lines / max(len(head), 1) <= CHUNK_ROWS


def _read_polars(
    path: Path, header_line: int, sep: str, usecols, decimal: str, skip_after_header: int
) -> dict[str, np.ndarray] | None:
    """The table as :func:`read_delimited` returns it, tokenized by polars; None (and pandas
    reads it) for anything pandas would read differently or report: duplicate or unnamed
    header cells, blank lines in the table, ragged rows, a parse error."""
    import polars as pl

    options = dict(separator=sep, skip_rows=header_line, has_header=True, quote_char='"',
                   infer_schema_length=0, raise_if_empty=False)  # fmt: skip
    wanted = usecols if usecols is None or callable(usecols) else set(usecols).__contains__

    def choose(header: list[str]) -> list[str] | None:
        if any(not h.strip() for h in header[:-1]):
            return None  # pandas names it "Unnamed: n"
        # polars names the second "x" of a header "x_duplicated_0": never a column we want
        first = [h for k, h in enumerate(header) if h.strip() and header.index(h) == k]
        return [h for h in first if wanted is None or wanted(h)]

    try:
        head = _head(path, header_line, skip_after_header, sep) if decimal == "." else None
        if head is not None and TYPED_READ:
            chosen = choose(head[0])
            if chosen is None:
                return None
            frame = None
            if not any(_DUPLICATE_NAME.search(h) for h in chosen):  # polars' name of a copy
                kinds = _head_kinds(*head, chosen)
                frame = _read_typed(path, chosen, kinds, skip_after_header, options)
            if frame is not None:
                return _typed_frame(frame, kinds)
        chosen = choose(pl.read_csv(path, n_rows=0, **options).columns)
        if chosen is None:
            return None
        frame = pl.read_csv(
            path, columns=chosen, skip_rows_after_header=skip_after_header, **options
        )
    except (pl.exceptions.PolarsError, OSError, ValueError):
        return None
    if frame.height == 0 or frame.width == 0:
        return None
    return _typed_columns(frame, decimal)


#: the data rows of a table's head that tell what its columns hold
HEAD_ROWS = 16
#: whether the columns a table's head shows as numbers are typed by the tokenizer itself
#: (switched off by the tests that compare it with typing after the read)
TYPED_READ = True
_NUMBER, _TEXT, _UNSEEN = "number", "text", "unseen"
_DUPLICATE_NAME = re.compile(r"_duplicated_[0-9]+$")
#: the blanks polars' ``strip_chars_start`` takes off (Unicode White_Space, as Rust's trim)
_BLANKS = (
    " \t\n\x0b\x0c\r\x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + ("\u2028\u2029\u202f\u205f\u3000")
)
#: the cells polars' float parser reads (a test fuzzes it against the parser)
_NUMBER_CELL = re.compile(
    r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|(?i:inf|infinity|nan))"
)


def _head(
    path: Path, header_line: int, skip: int, sep: str
) -> tuple[list[str], list[list[str]]] | None:
    """The header cells of a table whose header is on (0-based) line ``header_line`` and its
    first :data:`HEAD_ROWS` data rows (``skip`` lines after the header skipped), split as
    polars splits them (lines at ``\\n``, a UTF-8 byte-order mark dropped, quoted cells);
    None when the head is not a plain table: blank or ragged rows, a quoted line break."""
    import csv

    text = read_head(path).decode("utf-8", errors="replace").removeprefix("\ufeff")
    lines = text.split("\n")
    first = header_line + 1 + skip
    if len(lines) <= first + 1:
        return None
    body = [lines[header_line], *lines[first : min(first + HEAD_ROWS, len(lines) - 1)]]
    header, *rows = csv.reader((line.removesuffix("\r") for line in body), delimiter=sep)
    # a trailing separator on the header or on the rows only (Landt, EC-Lab): a cell more
    width = len(header) - 1 if header and not header[-1] else len(header)
    rows = [row[:width] if not any(row[width:]) else row for row in rows]
    if not rows or any(len(row) != width for row in rows):
        return None
    return header[:width], rows


def _head_kinds(header: list[str], rows: list[list[str]], chosen: list[str]) -> dict[str, str]:
    """What each chosen column holds in a table's first rows: numbers (every filled cell
    one), text (a filled cell, not a missing-value word, that is no number:
    ``_typed_columns`` makes the whole column text, whatever follows) or nothing yet."""
    na = set(_NA_CELLS)
    kinds = {}
    for name in chosen:
        k = header.index(name)
        filled = [c for c in (row[k].lstrip(_BLANKS) for row in rows) if c not in na]
        if not filled:
            kinds[name] = _UNSEEN
        elif all(_NUMBER_CELL.fullmatch(c) for c in filled):
            kinds[name] = _NUMBER
        else:
            kinds[name] = _TEXT
    return kinds


def _read_typed(path: Path, chosen: list[str], kinds: dict[str, str], skip: int, options):
    """The table with the columns its head shows as numbers parsed as float64 by the
    tokenizer, or None when a cell of them is no number (a word, a missing-value word other
    than NaN): the tokenizer's float parser is the one ``_typed_columns`` casts with, so
    every cell it accepts reads the same, and a refused cell sends the table the general
    way. (Missing-value words as the tokenizer's ``null_values`` made every read 40 %
    slower.)"""
    import polars as pl

    floats = {n: pl.Float64 for n in chosen if kinds[n] == _NUMBER}
    try:
        return pl.read_csv(
            path,
            columns=chosen,
            skip_rows_after_header=skip,
            schema_overrides=floats,
            **options,
        )
    except pl.exceptions.PolarsError:  # a word among numbers; a header polars names otherwise
        return None


def _typed_frame(frame, kinds: dict[str, str]) -> dict[str, np.ndarray] | None:
    """:func:`_typed_columns` of a frame read by :func:`_read_typed`: its float columns as
    they are, the text its head showed stripped and missing-value words None, and the columns
    empty in the head typed from all their cells."""
    import polars as pl

    if frame.height == 0:
        return None
    empty = frame.null_count().row(0)
    if min(empty) > 0 and frame.select(pl.all_horizontal(pl.all().is_null()).any()).item():
        return None  # a blank line: pandas reads it
    names = frame.columns
    text = [n for n in names if kinds[n] == _TEXT]
    cells = frame.select(_text_expression(pl.col(n)).alias(n) for n in text)
    unseen = [n for n in names if kinds[n] == _UNSEEN]
    rest = _typed_columns(frame.select(unseen), ".", blank_lines=False) if unseen else {}
    table: dict[str, np.ndarray] = {}
    for name in names:
        if kinds[name] == _NUMBER:
            table[_clean_name(name)] = frame[name].to_numpy().astype(np.float64, copy=False)
        elif kinds[name] == _TEXT:
            table[_clean_name(name)] = _text_cells(cells[name])
        else:
            table[_clean_name(name)] = rest[_clean_name(name)]
    return table


def _text_cells(cells) -> np.ndarray:
    if len(cells) >= POLARS_ROWS:  # its conversions read the polars strings, not these
        return LazyText(cells)
    return _text_array(cells)


def _text_array(cells) -> np.ndarray:
    values = cells.to_numpy().astype(object, copy=False).view(TextCells)
    values.polars = cells
    return values


class LazyText:
    """A large text column as its polars strings, made a :class:`TextCells` object array only
    when something asks for the array: durations, clocks and states convert from the polars
    strings and look at the first cells only, and Python strings for every cell of a date and
    a duration column were ~0.35 ms of a 10k-row Neware export's ~6.5 ms.

    Indexing a cell or a contiguous slice reads only those cells; anything else (``np.asarray``,
    fancy indexing, comparisons, any ndarray attribute) works on the whole array, made once.
    """

    __slots__ = ("_array", "polars")
    dtype = np.dtype(object)
    ndim = 1

    def __init__(self, cells) -> None:
        self.polars = cells
        self._array: np.ndarray | None = None

    def array(self) -> np.ndarray:
        """The column as a :class:`TextCells` object array (made on the first call)."""
        if self._array is None:
            self._array = _text_array(self.polars)
        return self._array

    def __len__(self) -> int:
        return self.polars.len()

    @property
    def shape(self) -> tuple[int]:
        return (len(self),)

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        values = self.array()
        return values if dtype is None else values.astype(dtype, copy=False)

    def __getitem__(self, key):
        if isinstance(key, (int, np.integer)):
            return self.polars[int(key)]
        if isinstance(key, slice) and self._array is None:
            start, stop, step = key.indices(len(self))
            if step == 1:
                return self.polars.slice(start, max(stop - start, 0)).to_numpy().astype(object)
        return self.array()[key]

    def __iter__(self):
        return iter(self.array())

    def __eq__(self, other):
        return self.array() == other

    def __ne__(self, other):
        return self.array() != other

    __hash__ = None  # type: ignore[assignment]

    def __getattr__(self, name: str):
        return getattr(self.array(), name)


class TextCells(np.ndarray):
    """An object array of a column's text cells that keeps the polars strings it was made from
    (:attr:`polars`), so that durations and clocks are converted from those without turning
    thousands of Python strings back into Arrow strings. Anything derived from it (a slice, a
    copy, a ufunc's result) has ``polars`` None."""

    polars: Any = None

    def __array_finalize__(self, obj: Any) -> None:
        self.polars = None


def _typed_columns(
    frame, decimal: str, *, blank_lines: bool = True
) -> dict[str, np.ndarray] | None:
    """Each column of a frame of text cells as pandas' C parser gives it: float64 when every
    cell is a number or one of pandas' missing-value words, else the text (leading blanks
    stripped, missing-value words as None) as :class:`TextCells`; None (pandas reads it) when
    a row is empty in every column (a blank line, which pandas skips).

    All columns are cast in one query and counted from its result: each polars call costs its
    own ~0.1 ms of planning, which, a few per column, was half the read of a 10-column export.
    Only the columns with cells that are no number are looked at again, in one more query."""
    import polars as pl

    def number(cells):
        cells = cells.str.replace_all(",", ".", literal=True) if decimal == "," else cells
        return cells.cast(pl.Float64, strict=False)

    names = frame.columns
    numbers = frame.select(number(pl.col(n)) for n in names)
    empty, failed = frame.null_count().row(0), numbers.null_count().row(0)
    blank = blank_lines and min(empty) > 0
    if blank and frame.select(pl.all_horizontal(pl.all().is_null()).any()).item():
        return None  # a blank line
    na = pl.Series(_NA_CELLS).implode()
    others = [n for k, n in enumerate(names) if failed[k] != empty[k]]
    text = set(_text_columns(frame, others, number, na))
    second = frame.select(
        expression.alias(f"{what} {name}")
        for name in others
        for what, expression in _column_checks(pl.col(name), number, na, name in text)
    )  # "ok" broadcasts along the column: one query, read from its first row
    table: dict[str, np.ndarray] = {}
    for name in names:
        if name not in others:
            table[_clean_name(name)] = numbers[name].to_numpy().astype(np.float64, copy=False)
        elif name not in text and second[f"ok {name}"][0]:
            table[_clean_name(name)] = second[f"number {name}"].to_numpy().astype(np.float64)
        else:
            table[_clean_name(name)] = _text_cells(second[f"text {name}"])
    return table


def _filled(column, na):
    """The cells of a column that are neither empty nor a missing-value word (leading blanks
    stripped, as pandas' skipinitialspace)."""
    cells = column.str.strip_chars_start()
    return cells.filter(cells.is_not_null() & ~cells.is_in(na))


def _text_columns(frame, names: list[str], number, na) -> list[str]:
    """The columns among ``names`` that hold text (states, clocks, durations): no number in
    their first 64 filled cells, found in the table's first rows where they hold 64 filled
    cells, and in the whole column where they do not."""
    import polars as pl

    def query(rows, columns):
        filled = {n: _filled(pl.col(n), na) for n in columns}
        found = rows.select(
            expression
            for n, cells in filled.items()
            for expression in (
                number(cells.head(64)).is_null().all().alias(f"text {n}"),
                cells.len().alias(f"filled {n}"),
            )
        ).row(0, named=True)
        return {
            n: (found[f"text {n}"] and found[f"filled {n}"] > 0, found[f"filled {n}"])
            for n in columns
        }

    if not names:
        return []
    rows = 1024
    first = query(frame.head(rows), names)
    unsure = [n for n in names if first[n][1] < 64 and frame.height > rows]
    rest = query(frame, unsure) if unsure else {}
    return [n for n in names if (rest[n] if n in rest else first[n])[0]]


def _column_checks(column, number, na, is_text: bool):
    """(name, expression) of a column with cells that are no number: its text (leading blanks
    stripped as pandas' skipinitialspace, missing-value words None), and unless it is text its
    numbers and whether every cell is a number or a missing-value word."""

    cells = column.str.strip_chars_start()
    yield "text", _text_expression(column)
    if not is_text:
        yield "number", number(cells)
        yield "ok", (number(cells).is_not_null() | cells.is_null() | cells.is_in(na)).all()


def _text_expression(column):
    """A text column's cells with leading blanks stripped (pandas' skipinitialspace) and
    missing-value words None."""
    return column.str.strip_chars_start().replace(_NA_CELLS, None)  # faster than when(is_in)


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200]


def _unquoted(path: Path, encoding: str):
    """A text stream of ``path`` with each line's outer quotes removed (Novonix HPC)."""
    import io

    with open(path, encoding=encoding, errors="strict", newline="") as handle:
        text = handle.read()
    lines = [
        line[1:-1] if line[:1] == '"' and line[-1:] == '"' else line for line in text.splitlines()
    ]
    return io.StringIO("\n".join(lines))


def _checked_tail(
    table: dict[str, np.ndarray], path: Path, header_line: int, sep: str, encoding: str
) -> dict[str, np.ndarray]:
    """The table without the empty records that end it, its last record checked whole.

    A sheet saved as CSV by Excel ends in rows of separators only (``,,,,``): records with
    no cell at all, not data.  A file cut mid-row leaves its last record short: cells filled
    in every preceding row are missing.  That is reported, never kept as half a record,
    whether the export stopped there (no final newline) or something was written after it.
    """
    import pandas as pd

    n_rows = len(next(iter(table.values())))
    end = n_rows
    while end > 1 and all(_blank(values[end - 1]) for values in table.values()):
        end -= 1
    if end < n_rows:
        table = {name: values[:end] for name, values in table.items()}
    if end < 3 or not _last_record_cut(path, sep, encoding):
        return table
    always_filled = [
        name for name, values in table.items() if not pd.isna(values[-min(end, 6) : -1]).any()
    ]
    if always_filled and _blank(table[always_filled[-1]][-1]):  # rightmost cell is cut off
        line = header_line + 1 + end
        raise LabDataError(
            f"{path}: line {line}: truncated record (column {always_filled[-1]!r} empty)"
        )
    return table


def _blank(cell) -> bool:
    if isinstance(cell, str):
        return not cell.strip()
    return cell is None or (isinstance(cell, float) and cell != cell)


def _last_record_cut(path: Path, sep: str, encoding: str) -> bool:
    """Whether the file's last record may be cut: no newline after it, or fewer fields than
    the record before it (rows of separators only and blank lines after it left aside)."""
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, 2)
            handle.seek(max(size - 65536, 0) & ~1)  # even: a UTF-16 character stays whole
            tail = handle.read()
    except OSError:
        return False
    if encoding.lower().replace("_", "-") == "utf-16":
        encoding = "utf-16-be" if _big_endian_bom(path) else "utf-16-le"
    text = tail.decode(encoding.replace("-sig", ""), errors="replace")
    if not text.endswith(("\n", "\r")):
        return True
    lines = [line for line in text.splitlines() if line.replace(sep, "").strip()]
    return len(lines) >= 2 and lines[-1].count(sep) < lines[-2].count(sep)


def _big_endian_bom(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(2) == b"\xfe\xff"


#: columns from this many rows on convert their text (durations, clocks) with polars' Rust
#: string kernels (~0.05 µs a cell against ~2.4 µs for pandas' Python-level regex): a
#: million-row Neware export spent seconds per duration column. Below it, polars' import
#: (~0.3 s once per process) would cost a one-file import more than it saves.
POLARS_ROWS = 4096


def durations(text) -> np.ndarray:
    """``h:mm:ss.fff``, ``d-hh:mm:ss``, ``1d 02:03:04`` or ``1.02:03:04`` text -> seconds (NaN
    if not)."""
    if len(text) >= POLARS_ROWS:
        return _durations_polars(text.to_numpy(dtype=object, na_value=None))[0]
    parts = text.str.replace(",", ".", regex=False).str.extract(_DURATION)
    numbers = parts.apply(lambda col: np.asarray(col.astype("string").fillna("0").astype(float)))
    seconds = numbers.to_numpy(dtype=float) @ np.array([86400.0, 3600.0, 60.0, 1.0])
    seconds[~text.str.match(_DURATION).fillna(False).to_numpy(dtype=bool)] = np.nan
    return seconds


def _polars_strings(values: np.ndarray):
    """A polars string Series of an object array of text cells (missing cells null); the one
    a :class:`TextCells` was made from, as it is."""
    import pandas as pd
    import polars as pl

    if getattr(values, "polars", None) is not None:  # a TextCells or LazyText as it came
        return values.polars

    missing = pd.isna(values)
    cells = np.where(missing, None, values) if missing.any() else values
    # from a list: polars cannot build strings from an object array that starts with None
    return pl.Series(np.asarray(cells, dtype=object).tolist(), dtype=pl.String, strict=False)


def _durations_polars(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(:func:`durations` of the cells, which cells are empty), by polars' regex engine in one
    query: the same pattern and the same result as the pandas path."""
    from cellwright.projects.labdata._text_kernels import duration_parts

    cells = _polars_strings(values)
    scanned = duration_parts(cells)  # the same groups, scanned: a tenth of the time
    if scanned is None:
        return _durations_regex(cells)
    parts, empty = scanned
    days, hours, minutes, secs = parts.T
    seconds = np.nan_to_num(days) * 86400.0 + hours * 3600.0 + minutes * 60.0 + secs
    return np.where(np.isnan(hours), np.nan, seconds), empty


def _durations_regex(cells) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_durations_polars` of a polars string Series by polars' regex engine."""
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
    seconds = np.nan_to_num(days) * 86400.0 + hours * 3600.0 + minutes * 60.0 + secs
    return np.where(np.isnan(hours), np.nan, seconds), frame["empty"].to_numpy()


def _clean_name(name: object) -> str:
    """Strip a header cell and repair the degree sign that vendors mangle (latin-1/UTF-8)."""
    return str(name).strip().replace("\u00ef\u00bf\u00bd", "°").replace("\ufffd", "°")


def numeric(raw: dict[str, np.ndarray], name: str, path: Path, first_line: int) -> np.ndarray:
    """Column ``name`` as float64; a non-numeric cell raises LabDataError naming its line."""
    import pandas as pd

    if name not in raw:
        raise LabDataError(f"{path}: column {name!r} missing; found {sorted(raw)}")
    values = raw[name]
    if values.dtype.kind in "fiub":
        return values.astype(np.float64)
    if len(values) >= POLARS_ROWS and _sample_is_duration(values):
        converted, empty = _durations_polars(values)
    else:
        text = pd.Series(np.asarray(values)).astype("string").str.strip()
        converted = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        if np.isnan(converted).all() and len(text) and _sample_is_duration(values):
            converted = durations(text)
        empty = ~(text.notna().to_numpy() & (text != "").to_numpy(dtype=bool, na_value=False))
    bad = np.isnan(converted) & ~empty
    if bad.any():  # "g"-format TimeSpans, mm:ss.f: read, or refused as no duration
        converted = timespans.read_unread(values, converted, bad, name, path, first_line)
        bad = np.isnan(converted) & ~empty
    if bad.any():
        row = int(np.argmax(bad))
        raise LabDataError(
            f"{path}: line {first_line + row}: column {name!r} has non-numeric value "
            f"{str(values[row])[:40]!r}"
        )
    return converted


def finish(columns: dict[str, np.ndarray], metadata: dict[str, Any], path: Path) -> CyclerTable:
    """Check required columns, derive step/cycle counters, and build the CyclerTable."""
    for name in TIME_SERIES_REQUIRED:
        if name not in columns:
            raise LabDataError(f"{path}: no {name} column could be mapped")
        if len(columns[name]) == 0:
            raise LabDataError(f"{path}: no data rows")
        if np.isnan(columns[name]).all():
            raise LabDataError(f"{path}: column for {name} holds no numbers")
        _check_finite(columns[name], name, path)
    if STEP_COUNT not in columns:
        columns[STEP_COUNT] = derive_step_count(columns)
    if CYCLE not in columns:
        columns[CYCLE] = np.ones_like(columns[CURRENT])
    metadata.setdefault("source", str(path))
    if not metadata.get("start_time") and UNIX_TIME in columns:
        first = columns[UNIX_TIME][np.isfinite(columns[UNIX_TIME])][:1]
        try:  # ISO 8601, UTC: vendors' own clocks are local and unlabelled
            if first.size:
                stamp = datetime.fromtimestamp(float(first[0]), tz=UTC)
                metadata["start_time"] = stamp.isoformat()
        except (ValueError, OverflowError, OSError):
            pass  # a clock of no known epoch: the run keeps its records, without a start time
    return CyclerTable(columns, metadata)


def _check_finite(values: np.ndarray, name: str, path: Path) -> None:
    """Time, voltage and current are measured on every record: an empty cell or an infinite
    value there is a damaged record, reported by its row rather than imported as a gap."""
    bad = ~np.isfinite(values)
    if bad.any():
        row = int(np.argmax(bad))
        what = "is empty" if np.isnan(values[row]) else f"is {values[row]}"
        more = int(bad.sum()) - 1
        also = f" (and {more} more record{'s' if more > 1 else ''})" if more else ""
        raise LabDataError(f"{path}: data record {row + 1}: {name} {what}{also}")


def derive_step_count(columns: dict[str, np.ndarray]) -> np.ndarray:
    """BDF step count: 1 + number of changes of step index (or of current sign) so far."""
    key = columns[STEP_INDEX] if STEP_INDEX in columns else np.sign(np.round(columns[CURRENT], 9))
    changes = np.concatenate(([0], (np.diff(key) != 0).astype(np.int64)))
    return (1 + np.cumsum(changes)).astype(np.float64)


def parse_datetimes(values: np.ndarray, fmt: str | None = None) -> np.ndarray:
    """Vendor date-time text -> unix seconds (NaN where unparseable), via pandas' C parser.

    Without ``fmt`` the layout is guessed from the first stamp and the column is parsed with
    it in C; only the cells it does not fit are parsed one by one by dateutil ("mixed", ~0.1 ms
    a cell: 100 s for a million rows), as every cell was before.
    """
    import pandas as pd

    guessed = fmt is None
    fmt = fmt or _guess_layout(values)
    if fmt and "%" in fmt and len(values) >= POLARS_ROWS:
        found = _datetimes_polars(values, fmt)  # a TextCells' own polars strings, if kept
        if found is not None:
            seconds, empty = found
            missed = np.isnan(seconds) & ~empty
            if missed.any():  # cells of another layout: pandas' element-wise parser
                cells = np.asarray(values, dtype=object)
                seconds[missed] = parse_datetimes(cells[missed], "mixed")
            return seconds
    text = pd.Series(np.asarray(values, dtype=object)).astype("string").str.strip()
    stamps = pd.to_datetime(text, format=fmt or "mixed", errors="coerce")
    missed = (stamps.isna() & text.notna() & (text != "")).to_numpy(dtype=bool)
    if guessed and fmt and missed.any():
        stamps[missed] = pd.to_datetime(text[missed], format="mixed", errors="coerce")
    seconds = (stamps - pd.Timestamp("1970-01-01")).dt.total_seconds()
    return seconds.to_numpy(dtype=np.float64, na_value=np.nan)


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
    scanned = clock_seconds(_polars_strings(values), fmt)  # strict layouts: no chrono needed
    return scanned if scanned is not None else _datetimes_chrono(values, fmt)


def _datetimes_chrono(values: np.ndarray, fmt: str) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`_datetimes_polars` by chrono, checked against pandas on a sample."""
    import pandas as pd
    import polars as pl

    cells = _polars_strings(values).str.strip_chars()  # eager: a lazy query planned slower
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
