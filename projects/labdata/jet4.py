"""In-process reader for MS Access Jet 4 databases (Arbin MITS Pro ``.res`` files).

Layout as documented by mdbtools (``HACKING.md``; ``src/libmdb/{file,table,data,map}.c``) and
Jackcess (``TableImpl``: which row-offset flag means deleted and which overflow):

* the file is a sequence of 4096-byte pages; byte 0 of a page is its type (0x00 database
  header, 0x01 data, 0x02 table definition, 0x05 usage bitmap);
* a table definition (TDEF, possibly continued on further pages from byte 8) holds the
  column descriptors (25 bytes each) and names, and a pointer to the table's usage map, a
  bitmap of the pages that hold its rows;
* a data page holds the row count at 0x0C and a table of 2-byte row offsets from 0x0E; rows
  grow from the end of the page, so row ``i`` ends where row ``i - 1`` starts.  Flag 0x8000
  marks a deleted row, 0x4000 a 4-byte pointer (row byte, 3-byte page) to the row's new home;
* a row is: column count (2 bytes), the fixed-length columns at their descriptor offsets,
  the variable-length values, and from the end backwards: the null bitmap (1 = present),
  the variable-column count and the variable-column offsets.

Fixed-length columns are decoded for every row of the table at once with numpy gathers;
variable-length values (text, memo) are decoded per value (see :mod:`.jet4_values`).
"""

from __future__ import annotations

import mmap
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cellwright.projects.labdata import jet4_values as values
from cellwright.projects.labdata.table import LabDataError

PAGE = 4096
DATA_PAGE, TDEF_PAGE, MAP_PAGE = 0x01, 0x02, 0x05
CATALOG_PAGE = 2  # MSysObjects' TDEF is always page 2
OFFSET_MASK, DELETED, OVERFLOW = 0x1FFF, 0x8000, 0x4000
ROWS_AT = 0x0C  # row count on a data page; the row-offset table follows at 0x0E
COL_ENTRY = 25
MAX_ROWS = (PAGE - ROWS_AT - 2) // 2  # row offsets that fit a page
MAX_TDEF_PAGES = 64


@dataclass(frozen=True)
class Column:
    """One column descriptor of a TDEF page."""

    name: str
    type: int  # Jet type code (values.FIXED_DTYPES, values.TEXT, ...)
    number: int  # bit of the row null mask
    var_index: int  # slot in the variable-offset table (variable-length columns)
    fixed_offset: int  # byte offset after the 2-byte column count (fixed-length columns)
    size: int
    fixed: bool


@dataclass(frozen=True)
class TableDef:
    name: str
    page: int
    columns: list[Column]
    var_count: int
    usage_map: tuple[int, int]  # (page, row) of the usage-map record
    max_cols: int  # most columns a row can hold (deleted columns included)


class Jet4Database:
    """A Jet 4 file opened for reading tables by name.

    Every inconsistency raises :class:`LabDataError` naming the file, the page or byte
    offset and what was expected there.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            with open(self.path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                self._check_size(size)
                # mapped, not read: only the pages a table uses are touched
                self.buf = np.frombuffer(
                    mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ), np.uint8
                )
        except OSError as exc:
            raise LabDataError(f"{self.path}: cannot open ({exc.strerror})") from exc
        self.pages = self.buf.reshape(-1, PAGE)
        self._check_header()
        self._catalog: dict[str, int] | None = None

    def _check_size(self, size: int) -> None:
        if size % PAGE:
            raise LabDataError(
                f"{self.path}: byte {size}: truncated Jet 4 database (expected a whole number "
                f"of {PAGE}-byte pages, found {size // PAGE} and {size % PAGE} bytes)"
            )
        if size < 3 * PAGE:
            raise LabDataError(
                f"{self.path}: byte {size}: truncated Jet 4 database (expected at least 3 "
                f"pages: header, usage map and catalog; found {size // PAGE})"
            )

    # -- low-level access -------------------------------------------------------------
    def fail(self, where: str, what: str) -> LabDataError:
        return LabDataError(f"{self.path}: {where}: {what}")

    def u16(self, at: int) -> int:
        return int(self.buf[at]) | int(self.buf[at + 1]) << 8

    def u32(self, at: int) -> int:
        return int.from_bytes(self.buf[at : at + 4].tobytes(), "little")

    def page(self, number: int, expected_type: int | None, what: str) -> int:
        """Byte offset of page ``number``, checked against the file end and its type."""
        if not 0 < number < self.pages.shape[0]:
            raise self.fail(
                f"page {number}",
                f"{what} points past the end of the file ({self.pages.shape[0]} pages): truncated?",
            )
        kind = int(self.pages[number, 0])
        if expected_type is not None and kind != expected_type:
            raise self.fail(
                f"page {number} (byte {number * PAGE})",
                f"expected {what} (page type 0x{expected_type:02x}), found type 0x{kind:02x}",
            )
        return number * PAGE

    def _check_header(self) -> None:
        head = self.buf[:32].tobytes()
        if head[4:19] != b"Standard Jet DB":
            raise self.fail("byte 4", "expected the 'Standard Jet DB' signature")
        version = head[0x14]
        if version == 0:
            raise self.fail("byte 20", "Jet 3 (Access 97) database; only Jet 4 is read")

    # -- catalog and table definitions ------------------------------------------------
    def table_names(self) -> list[str]:
        return sorted(self._tables())

    def _tables(self) -> dict[str, int]:
        if self._catalog is None:
            catalog = self.table_def_at(CATALOG_PAGE, "MSysObjects")
            rows = self.read(catalog, ["Id", "Name", "Type"])
            self._catalog = {
                name: int(ident) & 0xFFFFFF
                for ident, name, kind in zip(rows["Id"], rows["Name"], rows["Type"], strict=True)
                if kind == 1 and isinstance(name, str) and np.isfinite(ident)  # 1: local table
            }
        return self._catalog

    def table_def(self, name: str) -> TableDef:
        tables = self._tables()
        if name not in tables:
            raise self.fail("catalog", f"no table {name!r} (tables: {', '.join(sorted(tables))})")
        return self.table_def_at(tables[name], name)

    def _tdef_bytes(self, number: int, name: str) -> np.ndarray:
        """The TDEF of ``name`` with its continuation pages joined (each from byte 8)."""
        parts, seen = [], set()
        while number and len(parts) < MAX_TDEF_PAGES:
            if number in seen:
                raise self.fail(f"page {number}", f"TDEF chain of {name!r} loops")
            seen.add(number)
            start = self.page(number, TDEF_PAGE, f"table definition of {name!r}")
            parts.append(self.buf[start + (8 if parts else 0) : start + PAGE])
            number = self.u32(start + 4)
        return np.concatenate(parts)

    def table_def_at(self, number: int, name: str) -> TableDef:
        tdef = self._tdef_bytes(number, name)
        where = f"page {number} (table definition of {name!r})"

        def u16(at: int) -> int:
            if at + 2 > tdef.size:
                raise self.fail(where, f"byte {at}: column definitions run past the TDEF")
            return int(tdef[at]) | int(tdef[at + 1]) << 8

        max_cols, var_count, n_cols = u16(41), u16(43), u16(45)
        n_real_idx = int.from_bytes(tdef[51:55].tobytes(), "little")
        usage = int.from_bytes(tdef[55:59].tobytes(), "little")
        pos = 63 + 12 * n_real_idx
        if n_cols == 0 or pos + COL_ENTRY * n_cols > tdef.size:
            raise self.fail(where, f"expected {n_cols} column descriptors from byte {pos}")
        entries = tdef[pos : pos + COL_ENTRY * n_cols].reshape(n_cols, COL_ENTRY)
        pos += COL_ENTRY * n_cols
        names = []
        for _ in range(n_cols):
            length = u16(pos)
            if pos + 2 + length > tdef.size:
                raise self.fail(where, f"byte {pos}: column name runs past the TDEF")
            names.append(values.decode_text(tdef[pos + 2 : pos + 2 + length].tobytes()))
            pos += 2 + length
        le16 = entries.astype(np.int64)
        columns = [
            Column(
                name=names[i],
                type=int(entries[i, 0]),
                number=int(le16[i, 5] | le16[i, 6] << 8),
                var_index=int(le16[i, 7] | le16[i, 8] << 8),
                fixed_offset=int(le16[i, 21] | le16[i, 22] << 8),
                size=int(le16[i, 23] | le16[i, 24] << 8),
                fixed=bool(entries[i, 15] & 0x01),
            )
            for i in range(n_cols)
        ]
        columns.sort(key=lambda c: c.number)
        for col in columns:  # a fixed-length value lies inside a row, so inside a page
            if col.fixed and col.fixed_offset + col.size > PAGE:
                raise self.fail(
                    where,
                    f"column {col.name!r}: fixed offset {col.fixed_offset} + {col.size} "
                    f"bytes, expected within a {PAGE}-byte page",
                )
        usage_map = (usage >> 8, usage & 0xFF)
        return TableDef(name, number, columns, var_count, usage_map, max(max_cols, n_cols))

    # -- pages and rows ---------------------------------------------------------------
    def record(self, page: int, row: int, what: str) -> tuple[int, int]:
        """(first byte, end byte) in the file of row ``row`` on page ``page``."""
        start = self.page(page, None, what)
        n_rows = self.u16(start + ROWS_AT)
        if row >= min(n_rows, MAX_ROWS):
            raise self.fail(f"page {page}", f"{what}: row {row} of {n_rows}")
        first = self.u16(start + ROWS_AT + 2 + 2 * row) & OFFSET_MASK
        end = PAGE if row == 0 else self.u16(start + ROWS_AT + 2 * row) & OFFSET_MASK
        if not ROWS_AT + 2 <= first <= end <= PAGE:
            raise self.fail(f"page {page} row {row}", f"{what}: bad row bounds {first}..{end}")
        return start + first, start + end

    def data_pages(self, table: TableDef) -> np.ndarray:
        """Pages owned by ``table`` from its usage map (type 0: inline bitmap; type 1:
        pointers to 0x05 bitmap pages), each checked to be a data page of this table."""
        what = f"usage map of {table.name!r}"
        first, end = self.record(*table.usage_map, what)
        record = self.buf[first:end]
        if record.size < 5:
            raise self.fail(f"byte {first}", f"{what}: expected at least 5 bytes")
        if record[0] == 0:
            start_page = int.from_bytes(record[1:5].tobytes(), "little")
            bits = np.unpackbits(record[5:], bitorder="little")
            pages = start_page + np.flatnonzero(bits)
        elif record[0] == 1:
            per_map = (PAGE - 4) * 8
            found = []
            for i, map_page in enumerate(record[1 : 1 + 4 * ((record.size - 1) // 4)].view("<u4")):
                if map_page:
                    at = self.page(int(map_page), MAP_PAGE, f"{what} bitmap page")
                    bits = np.unpackbits(self.buf[at + 4 : at + PAGE], bitorder="little")
                    found.append(i * per_map + np.flatnonzero(bits))
            pages = np.concatenate(found) if found else np.zeros(0, np.int64)
        else:
            raise self.fail(f"byte {first}", f"{what}: unknown map type {record[0]}")
        return self._check_data_pages(pages.astype(np.int64), table)

    def _check_data_pages(self, pages: np.ndarray, table: TableDef) -> np.ndarray:
        n_pages = self.pages.shape[0]
        if pages.size and pages.max() >= n_pages:
            beyond = int(pages[pages >= n_pages][0])
            raise self.fail(
                f"page {beyond}",
                f"table {table.name!r} has rows on page {beyond} but the file ends at page "
                f"{n_pages}: truncated",
            )
        kinds = self.pages[pages, 0]
        owners = self.pages[pages, 4:8].copy().view("<u4").ravel()
        wrong = (kinds != DATA_PAGE) | (owners != table.page)
        if wrong.any():
            bad = int(pages[np.argmax(wrong)])
            raise self.fail(
                f"page {bad} (byte {bad * PAGE})",
                f"expected a data page (type 0x01) of table {table.name!r} (TDEF page "
                f"{table.page}), found type 0x{self.pages[bad, 0]:02x} owned by page "
                f"{self.u32(bad * PAGE + 4)}",
            )
        return pages

    def read(self, table: TableDef | str, columns: list[str] | None = None) -> dict:
        """Columns of every live row, in page order: numpy arrays (fixed-length types; NaN
        for a null in a float column, float64 with NaN for a null integer) or object arrays
        of str/bytes/None (variable-length types)."""
        if isinstance(table, str):
            table = self.table_def(table)
        wanted = table.columns
        if columns is not None:
            by_name = {c.name: c for c in table.columns}
            missing = [n for n in columns if n not in by_name]
            if missing:
                raise self.fail(f"table {table.name!r}", f"no column(s) {missing}")
            wanted = [by_name[n] for n in columns]
        rows = self.locate_rows(table)
        return values.columns(self, table, rows, values.layout(self, table, rows), wanted)

    def locate_rows(self, table: TableDef) -> values.Rows:
        pages = self.data_pages(table)
        counts = self.pages[pages, ROWS_AT].astype(np.int64)
        counts |= self.pages[pages, ROWS_AT + 1].astype(np.int64) << 8
        if counts.size and counts.max() > MAX_ROWS:
            bad = int(pages[np.argmax(counts)])
            raise self.fail(f"page {bad}", f"row count {counts.max()} cannot fit a page")
        page_of = np.repeat(pages, counts)
        slot = np.arange(page_of.size) - np.repeat(np.cumsum(counts) - counts, counts)
        table_at = page_of * PAGE + ROWS_AT + 2 + 2 * slot
        raw, prev = values.u16(self.buf, table_at), values.u16(self.buf, table_at - 2)
        start = raw & OFFSET_MASK
        end = np.where(slot == 0, PAGE, prev & OFFSET_MASK)
        live = (raw & DELETED) == 0
        bad = live & ((start < ROWS_AT + 2 + 2 * np.repeat(counts, counts)) | (start >= end))
        if bad.any():
            i = int(np.argmax(bad))
            raise self.fail(
                f"page {page_of[i]} row {slot[i]} (byte {page_of[i] * PAGE + start[i]})",
                f"expected a row between bytes {ROWS_AT + 2} and {end[i]} of the page",
            )
        first, stop = page_of * PAGE + start, page_of * PAGE + end
        moved = live & ((raw & OVERFLOW) != 0)
        for i in np.flatnonzero(moved):  # rare: rows rewritten elsewhere after growing
            first[i], stop[i] = self._follow_overflow(int(first[i]), int(page_of[i]))
        return values.Rows(first[live], stop[live])

    def _follow_overflow(self, at: int, page: int) -> tuple[int, int]:
        for _ in range(8):  # Jackcess caps the chain as well
            row, target = int(self.buf[at]), self.u32(at) >> 8
            first, end = self.record(target, row, f"overflow row from page {page}")
            flags = self.u16(target * PAGE + ROWS_AT + 2 + 2 * row)
            if not flags & OVERFLOW:
                return first, end
            at, page = first, target
        raise self.fail(f"page {page}", "overflow row chain does not end")
