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


@dataclass(frozen=True)
class Rows:
    """Byte ranges ``[first, stop)`` in the file of a table's live rows, in page order."""

    first: np.ndarray
    stop: np.ndarray


def u16(buf: np.ndarray, at: np.ndarray) -> np.ndarray:
    return buf[at].astype(np.int64) | buf[at + 1].astype(np.int64) << 8


@dataclass
class _Layout:
    """Per-row column count, null-mask position and variable-column count."""

    n_cols: np.ndarray
    mask_at: np.ndarray
    n_var: np.ndarray


def layout(db: Jet4Database, table: TableDef, rows: Rows) -> _Layout:
    """Check every row's trailer against its byte range and read where its parts are."""
    buf, first, stop = db.buf, rows.first, rows.stop
    short = stop - first < 3
    if short.any():
        raise _row_error(db, table, first, short, "expected at least 3 bytes in a row")
    n_cols = u16(buf, first)
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
    return _Layout(n_cols, mask_at, n_var)


def _row_error(db, table, first, bad, what):
    i = int(np.argmax(bad))
    at = int(first[i])
    return db.fail(
        f"page {at // 4096} byte {at % 4096} (row {i} of {table.name!r})", f"bad row: {what}"
    )


def _present(db: Jet4Database, layout: _Layout, col: Column) -> np.ndarray:
    byte = layout.mask_at + col.number // 8
    inside = col.number < layout.n_cols
    bits = db.buf[np.where(inside, byte, 0)] & (1 << (col.number % 8))
    return inside & (bits != 0)


def column(
    db: Jet4Database, table: TableDef, rows: Rows, layout: _Layout, col: Column
) -> np.ndarray:
    """Values of ``col`` for every row in ``rows``."""
    present = _present(db, layout, col)
    if col.type == BOOL:  # stored in the null mask itself
        return present
    if col.fixed:
        return _fixed(db, table, rows, layout, col, present)
    return _variable(db, table, rows, layout, col, present)


def _fixed(db, table, rows, layout, col, present) -> np.ndarray:
    rank = [c.number for c in table.columns if c.fixed and c.type != BOOL].index(col.number)
    present &= rank < layout.n_cols - layout.n_var  # older rows may lack later columns
    at = rows.first + 2 + col.fixed_offset
    overrun = present & (at + col.size > layout.mask_at)
    if overrun.any():
        raise _row_error(db, table, rows.first, overrun, f"column {col.name!r} runs past it")
    at = np.where(present, at, 0)
    raw = db.buf[at[:, None] + np.arange(col.size)]
    dtype = FIXED_DTYPES.get(col.type)
    if dtype is None or dtype.itemsize != col.size:
        out = np.array([bytes(r) for r in raw], dtype=object)  # GUID, NUMERIC: raw bytes
        out[~present] = None
        return out
    out = raw.view(dtype).ravel()
    if col.type == MONEY:
        out = out / 10_000.0
    if present.all():
        return out
    out = out.astype(np.float64)
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
