"""Column values of Jet 4 rows: fixed-length columns for all rows at once, text and memo
values one by one (see :mod:`.jet4` for the page and row layout)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from cellwright.projects.labdata.jet4 import Column, Jet4Database, TableDef

BOOL, MONEY, DATETIME, BINARY, TEXT, OLE, MEMO = 0x01, 0x05, 0x08, 0x09, 0x0A, 0x0B, 0x0C
#: fixed-length Jet types read as little-endian numbers (MONEY is an int64 of 1/10000 units;
#: DATETIME an OLE automation date, days since 1899-12-30, kept as such)
FIXED_DTYPES = {
    0x02: np.dtype("u1"),  # byte
    0x03: np.dtype("<i2"),  # integer
    0x04: np.dtype("<i4"),  # long integer
    MONEY: np.dtype("<i8"),
    0x06: np.dtype("<f4"),  # single
    0x07: np.dtype("<f8"),  # double
    DATETIME: np.dtype("<f8"),
    0x12: np.dtype("<i4"),  # complex-column id (Access 2007+)
    0x13: np.dtype("<i8"),  # big integer (Access 2016+)
}
MEMO_INLINE, MEMO_ONE_PAGE = 0x80000000, 0x40000000
MAX_LVAL_PAGES = 1 << 16
PAGE = 4096


@dataclass(frozen=True)
class Rows:
    """Byte ranges ``[first, stop)`` in the file of a table's live rows, in page order."""

    first: np.ndarray
    stop: np.ndarray


def unaligned(buf: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """A view of ``buf`` as ``dtype`` starting at every byte: ``view[i]`` is the value stored
    at byte ``i``, so one fancy index reads a column for all rows (no per-byte gather)."""
    return np.ndarray((buf.size - dtype.itemsize + 1,), dtype, buffer=buf, strides=(1,))


def u16(buf: np.ndarray, at: np.ndarray) -> np.ndarray:
    return unaligned(buf, np.dtype("<u2"))[at].astype(np.int64)


@dataclass
class _Layout:
    """Per-row column count, null-mask position and variable-column count."""

    n_cols: np.ndarray
    mask_at: np.ndarray
    n_var: np.ndarray
    mask: list[np.ndarray]  # null-mask bytes: mask[k][row] is byte k of the row's mask
    row_fixed: np.ndarray  # fixed-length columns stored in the row
    room: np.ndarray  # bytes between the column count and the row's trailer

    def __post_init__(self) -> None:
        self.least_fixed = int(self.row_fixed.min(initial=0))
        self.least_room = int(self.room.min(initial=0))


def layout(db: Jet4Database, table: TableDef, rows: Rows) -> _Layout:
    """Check every row's trailer against its byte range and read where its parts are."""
    buf, first, stop = db.buf, rows.first, rows.stop
    short = stop - first < 3
    if short.any():
        raise _row_error(db, table, first, short, "expected at least 3 bytes in a row")
    n_cols = u16(buf, first)
    bad = n_cols > table.max_cols
    if bad.any():
        raise _row_error(db, table, first, bad, f"more than the table's {table.max_cols} columns")
    mask_at = stop - (n_cols + 7) // 8
    n_var = np.zeros_like(n_cols)
    if table.var_count:
        at = mask_at - 2
        bad = at < first + 2
        if bad.any():
            raise _row_error(db, table, first, bad, "null mask overlaps the column count")
        n_var = u16(buf, at)
        bad = (mask_at - 4 - 2 * n_var < first + 2) | (n_var > n_cols)
    else:
        bad = mask_at < first + 2
    if bad.any():
        raise _row_error(db, table, first, bad, "row trailer (null mask, offsets) overlaps it")
    n_bytes = (int(n_cols.max(initial=0)) + 7) // 8
    mask = [buf[np.minimum(mask_at + k, stop - 1)] for k in range(n_bytes)]
    return _Layout(n_cols, mask_at, n_var, mask, n_cols - n_var, mask_at - first - 2)


def _row_error(db, table, first, bad, what):
    i = int(np.argmax(bad))
    at = int(first[i])
    return db.fail(
        f"page {at // 4096} byte {at % 4096} (row {i} of {table.name!r})", f"bad row: {what}"
    )


def _present(layout: _Layout, col: Column) -> np.ndarray:
    """Null-mask bit of ``col`` (1: a value is stored); rows with fewer columns lack it."""
    inside = col.number < layout.n_cols
    if col.number // 8 >= len(layout.mask):
        return inside
    bits = layout.mask[col.number // 8] & (1 << (col.number % 8))
    return inside & (bits != 0)


def columns(
    db: Jet4Database, table: TableDef, rows: Rows, layout: _Layout, wanted: list[Column]
) -> dict[str, np.ndarray]:
    """Values of the ``wanted`` columns for every row in ``rows``."""
    numeric = [c for c in wanted if c.fixed and _dtype(c) is not None]
    block = _fixed_block(db, rows, numeric)
    in_block = {c.name for c in numeric}
    out = {}
    for col in wanted:
        present = _present(layout, col)
        if col.type == BOOL:  # stored in the null mask itself
            out[col.name] = present
        elif col.fixed:
            present = _fixed_present(db, table, rows, layout, col, present)
            if col.name in in_block:
                out[col.name] = _numeric(block[col.name], col, present)
            else:  # GUID, NUMERIC: the stored bytes
                at = rows.first[present] + 2 + col.fixed_offset
                out[col.name] = np.full(rows.first.size, None, dtype=object)
                out[col.name][present] = [db.buf[i : i + col.size].tobytes() for i in at]
        else:
            out[col.name] = _variable(db, table, rows, layout, col, present)
    return out


def _dtype(col: Column) -> np.dtype | None:
    dtype = FIXED_DTYPES.get(col.type)
    return dtype if dtype is not None and dtype.itemsize == col.size else None


def _fixed_block(db: Jet4Database, rows: Rows, cols: list[Column]) -> np.ndarray:
    """The fixed-length area of every row copied into one record array whose fields are the
    numeric columns at their offsets: one gather of whole rows, then zero-copy fields."""
    if not cols:
        return np.zeros(rows.first.size, dtype=[])
    width = max(c.fixed_offset + c.size for c in cols)
    layout = np.dtype(
        {
            "names": [c.name for c in cols],
            "formats": [_dtype(c) for c in cols],
            "offsets": [c.fixed_offset for c in cols],
            "itemsize": width,
        }
    )
    at = rows.first + 2
    last = db.buf.size - width  # a short row near the end of the file: read from a copy
    tail = at > last
    windows = np.lib.stride_tricks.sliding_window_view(db.buf, width)
    block = windows[np.where(tail, 0, at)]
    if tail.any():
        padded = np.zeros(2 * PAGE + width, np.uint8)
        padded[: 2 * PAGE] = db.buf[-2 * PAGE :]
        tail_windows = np.lib.stride_tricks.sliding_window_view(padded, width)
        block[tail] = tail_windows[at[tail] - (db.buf.size - 2 * PAGE)]
    return block.view(layout).ravel()


def _fixed_present(db, table, rows, layout, col, present) -> np.ndarray:
    rank = [c.number for c in table.columns if c.fixed].index(col.number)  # as mdbtools
    end = col.fixed_offset + col.size
    if rank < layout.least_fixed and end <= layout.least_room:
        return present  # every row holds this column in full: the common case
    present = present & (rank < layout.row_fixed)  # older rows lack newer columns
    overrun = present & (end > layout.room)
    if overrun.any():
        raise _row_error(db, table, rows.first, overrun, f"column {col.name!r} runs past it")
    return present


def _numeric(values: np.ndarray, col: Column, present: np.ndarray) -> np.ndarray:
    if col.type == MONEY:
        values = values / 10_000.0
    if present.all():
        return values  # a field of the row records: strided, no copy
    out = values.astype(np.float64)
    out[~present] = np.nan
    return out


def _variable(db, table, rows, layout, col, present) -> np.ndarray:
    v = col.var_index
    present &= v < layout.n_var
    table_at = layout.mask_at - 4 - 2 * v
    start = u16(db.buf, np.where(present, table_at, 0))
    end = u16(db.buf, np.where(present, table_at - 2, 0))
    length = layout.mask_at - 4 - 2 * layout.n_var - rows.first
    bad = present & ((start < 2) | (start > end) | (end > length))
    if bad.any():
        raise _row_error(db, table, rows.first, bad, f"offsets of {col.name!r} out of range")
    out = np.full(rows.first.size, None, dtype=object)
    for i in np.flatnonzero(present):
        data = db.buf[rows.first[i] + start[i] : rows.first[i] + end[i]].tobytes()
        if col.type == TEXT:
            out[i] = decode_text(data)
        elif col.type == MEMO:
            out[i] = decode_text(_long_value(db, data, col.name))
        else:  # BINARY, OLE (the 12-byte long-value header), unknown: the stored bytes
            out[i] = data
    return out


def _long_value(db: Jet4Database, header: bytes, name: str) -> bytes:
    """A memo's bytes: inline after its 12-byte header, or in long-value (LVAL) rows."""
    if len(header) < 12:
        raise db.fail(f"memo {name!r}", f"expected a 12-byte header, found {len(header)} bytes")
    flags = int.from_bytes(header[:4], "little")
    length = flags & 0x3FFFFFFF
    if flags & MEMO_INLINE:
        return header[12 : 12 + length]
    pointer = int.from_bytes(header[4:8], "little")
    if flags & MEMO_ONE_PAGE:
        first, end = db.record(pointer >> 8, pointer & 0xFF, f"memo {name!r}")
        return db.buf[first:end].tobytes()
    parts, total = [], 0
    for _ in range(MAX_LVAL_PAGES):  # chain of LVAL rows: next pointer, then data
        first, end = db.record(pointer >> 8, pointer & 0xFF, f"memo {name!r}")
        if end - first < 4:
            break
        parts.append(db.buf[first + 4 : end].tobytes())
        total += end - first - 4
        pointer = db.u32(first)
        if not pointer >> 8 or total >= length:
            break
    return b"".join(parts)[:length]


def decode_text(data: bytes) -> str:
    """Jet 4 text: UCS-2 little-endian, or after 0xFF 0xFE the compressed form in which a
    0x00 byte toggles between one byte per character (high byte zero) and two bytes."""
    if not data.startswith(b"\xff\xfe"):
        return data[: len(data) & ~1].decode("utf-16-le", errors="replace")
    body = data[2:]
    if b"\x00" not in body:  # the common case: all characters below U+0100
        return body.decode("latin-1")
    pieces, compressed, i = [], True, 0
    while i < len(body):
        if body[i] == 0:
            compressed, i = not compressed, i + 1
        elif compressed:
            stop = body.find(b"\x00", i)
            stop = len(body) if stop < 0 else stop
            pieces.append(body[i:stop].decode("latin-1"))
            i = stop
        elif i + 1 < len(body):
            pieces.append(body[i : i + 2].decode("utf-16-le", errors="replace"))
            i += 2
        else:
            break  # odd trailing byte, as mdbtools
    return "".join(pieces)
