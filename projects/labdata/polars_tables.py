"""Text tables tokenized by polars, typed as pandas' C parser types them: numbers where every
cell is one (or a missing-value word), text otherwise.

:func:`read_polars` returns None for anything pandas would read differently or report, and
:mod:`.delimited` then reads the table with pandas.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from cellwright.projects.labdata.file_head import clean_name, read_head
from cellwright.projects.labdata.text_cells import text_column

#: the cells pandas' C parser reads as missing by default (``na_values``), read alike
_NA_CELLS = [
    *("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN"),
    *("<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"),
]


def read_polars(
    path: Path, header_line: int, sep: str, usecols, decimal: str, skip_after_header: int
) -> dict[str, np.ndarray] | None:
    """The table as :func:`.delimited.read_delimited` returns it, tokenized by polars; None
    (and pandas reads it) for anything pandas would read differently or report: duplicate or
    unnamed header cells, blank lines in the table, ragged rows, a parse error."""
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
            table[clean_name(name)] = frame[name].to_numpy().astype(np.float64, copy=False)
        elif kinds[name] == _TEXT:
            table[clean_name(name)] = text_column(cells[name])
        else:
            table[clean_name(name)] = rest[clean_name(name)]
    return table


def _typed_columns(
    frame, decimal: str, *, blank_lines: bool = True
) -> dict[str, np.ndarray] | None:
    """Each column of a frame of text cells as pandas' C parser gives it: float64 when every
    cell is a number or one of pandas' missing-value words, else the text (leading blanks
    stripped, missing-value words as None) as :class:`.text_cells.TextCells`; None (pandas
    reads it) when a row is empty in every column (a blank line, which pandas skips).

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
            table[clean_name(name)] = numbers[name].to_numpy().astype(np.float64, copy=False)
        elif name not in text and second[f"ok {name}"][0]:
            table[clean_name(name)] = second[f"number {name}"].to_numpy().astype(np.float64)
        else:
            table[clean_name(name)] = text_column(second[f"text {name}"])
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
