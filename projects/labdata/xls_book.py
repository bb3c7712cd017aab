"""Legacy Excel workbooks (.xls, BIFF8) behind the small part of openpyxl's interface that
:mod:`.readers_xlsx` uses, so one reader serves both.

Older Arbin MITS Pro and Neware BTS 7 software export .xls: ``Detail_``/``Statis_``/``Cycle_``
sheets (Neware) or ``Channel_`` sheets (Arbin). xlrd reads BIFF; its date cells are serial
days in the workbook's date system and become :class:`datetime.datetime` like openpyxl's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class XlsSheet:
    """One sheet: ``title`` and ``iter_rows`` as openpyxl's read-only worksheet has them."""

    def __init__(self, book, index: int) -> None:
        self._book = book
        self._sheet = book.sheet_by_index(index)
        self.title = self._sheet.name

    def iter_rows(
        self, min_row: int = 1, max_row: int | None = None, values_only: bool = True
    ) -> Iterator[tuple]:
        """Rows ``min_row``..``max_row`` (1-based, inclusive) as tuples of Python values."""
        import xlrd

        stop = self._sheet.nrows if max_row is None else min(max_row, self._sheet.nrows)
        for r in range(max(min_row, 1) - 1, stop):
            types = self._sheet.row_types(r)
            values = self._sheet.row_values(r)
            yield tuple(
                _value(kind, value, self._book.datemode, xlrd)
                for kind, value in zip(types, values, strict=False)
            )


def _value(kind: int, value, datemode: int, xlrd):
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return None
    if kind == xlrd.XL_CELL_ERROR:
        return None
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    return value


class XlsBook:
    """An .xls workbook: ``worksheets``, ``book[title]`` and ``close()``."""

    def __init__(self, path: Path) -> None:
        import xlrd

        self._book = xlrd.open_workbook(str(path), on_demand=True)
        self.worksheets = [XlsSheet(self._book, i) for i in range(self._book.nsheets)]

    def __getitem__(self, title: str) -> XlsSheet:
        for sheet in self.worksheets:
            if sheet.title == title:
                return sheet
        raise KeyError(title)

    def close(self) -> None:
        """Free the workbook's memory."""
        self._book.release_resources()


def is_xls(path: Path) -> bool:
    """True when ``path`` starts with the OLE2 compound-document signature of .xls files."""
    with open(path, "rb") as handle:
        return handle.read(8) == OLE2_MAGIC
