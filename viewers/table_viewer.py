"""TableViewer: scalars and summaries in a table, with copy to clipboard and CSV/XLSX export.

The values live in a :class:`ValueTableModel` (a QAbstractTableModel over plain Python rows),
so a summary of ten thousand cycles costs no widget per cell; the view asks only for what is on
screen. Numbers are shown as :func:`cellwright.projects.readable.number` writes them (4
significant digits, 43 200 grouped, 7.4 × 10⁻⁴⁴ for a power of ten: the report's rule) and
exported at full precision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from cellwright.projects.model import InputError
from cellwright.projects.readable import Shown, number
from cellwright.viewers.export import write_table_csv
from cellwright.viewers.result_units import result_scalars_shown

__all__ = ["TableViewer", "ValueTableModel", "ValueTableView", "scalar_rows"]

_Role = QtCore.Qt.ItemDataRole
#: the most rows whose names wrap (each row's text is measured to size it)
WRAPPED_ROWS = 200


def _shown(value: object) -> str:
    if isinstance(value, float | np.floating):
        # NaN is how results say "none" (no neighbour caught fire, no verdict): a dash, as an
        # engineer's table writes it; the exact value (tooltip, CSV) keeps "nan"
        if np.isnan(value):
            return "—"
        # a scalar carries its text (an absolute temperature's 298.15 K, two decimals)
        return value.text if isinstance(value, Shown) else number(float(value))
    return "" if value is None else str(value)


def _exact(value: object) -> str:
    if isinstance(value, float | np.floating):
        return repr(float(value))
    return "" if value is None else str(value)


def scalar_rows(scalars: Mapping[str, float], in_mm: bool = False) -> list[list[object]]:
    """``{"Peak force [N]": 20423.4}`` -> ``[["Peak force", 20.4234, "kN"]]``: each scalar's
    quantity, value and unit as :func:`cellwright.projects.readable.scalar_shown` shows it (a
    flag "yes"/"no", a pressure in kPa, a flow in L/min; the report shows them so too); lengths
    in mm where ``in_mm`` (a mechanical study's: :mod:`cellwright.viewers.result_units`).
    """
    return [list(row) for row in result_scalars_shown(scalars, in_mm)]


class ValueTableModel(QtCore.QAbstractTableModel):
    """Read-only rows of values under a header; numbers sort as numbers (UserRole)."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.header: list[str] = []
        self.rows: list[list[object]] = []
        #: columns whose text is aligned as numbers are (a scalar's "yes" under "20.42")
        self.value_columns: frozenset[int] = frozenset()

    def set_rows(self, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        """Replace the whole content."""
        width = len(header)
        for row_number, row in enumerate(rows, start=1):
            if len(row) != width:
                message = f"has {len(row)} values but the header has {width}"
                raise InputError(message, where=f"row {row_number}")
        self.beginResetModel()
        self.value_columns = frozenset()
        self.header = [str(h) for h in header]
        self.rows = [list(r) for r in rows]
        self.endResetModel()

    def rowCount(self, parent: QtCore.QModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent: QtCore.QModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.header)

    def data(self, index: QtCore.QModelIndex, role: int = _Role.DisplayRole) -> object:
        if not index.isValid():
            return None
        value = self.rows[index.row()][index.column()]
        if role == _Role.DisplayRole:
            return _shown(value)
        if role == _Role.UserRole:
            return value
        if role == _Role.ToolTipRole and isinstance(value, str):
            return value  # the whole name where a narrow column cuts it short
        numeric = isinstance(value, int | float | np.number) or index.column() in self.value_columns
        if role == _Role.TextAlignmentRole and numeric:
            return int(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: QtCore.Qt.Orientation, role: int = _Role.DisplayRole
    ) -> object:
        if role != _Role.DisplayRole:
            return None
        if orientation == QtCore.Qt.Orientation.Horizontal:
            return self.header[section] if section < len(self.header) else None
        return str(section + 1)


class ValueTableView(QtWidgets.QTableView):
    """A QTableView that copies its whole selection on Ctrl+C and answers rowCount/columnCount
    like a QTableWidget would."""

    # QAbstractItemView handles the Copy key itself (the current cell only) and so swallows a
    # QShortcut; the view passes the key on as this signal instead
    copy_requested = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._text_columns: list[int] = []
        self._content_widths: list[int] = []
        self.setWordWrap(False)  # until a name does not fit (fit_columns)
        # fitted once the event loop has laid the view out: in a resize event the viewport
        # does not yet know whether the vertical scroll bar takes part of its width
        self._fit_later = QtCore.QTimer(self, singleShot=True, interval=0)
        self._fit_later.timeout.connect(self.fit_columns)
        self.verticalScrollBar().rangeChanged.connect(self._fit_later.start)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        if event.matches(QtGui.QKeySequence.StandardKey.Copy):
            self.copy_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def set_content_widths(self, text_columns: Sequence[int], widths: Sequence[int]) -> None:
        """The columns that hold text and every column's width for its contents."""
        self._text_columns, self._content_widths = list(text_columns), list(widths)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Keep every column in sight: when the columns sized to their contents are wider than
        the view, the widest text column (a quantity's name) gives up the excess, down to a
        third of its width, and shows the rest elided with the whole text as its tooltip.
        Numbers are never cut."""
        text, content = self._text_columns, self._content_widths
        header = self.horizontalHeader()
        if not text or len(content) != header.count():
            return
        widest = max(text, key=content.__getitem__)
        # the last column stretches to fill the view but never below the default section size
        others = [max(w, header.defaultSectionSize()) if i == len(content) - 1 else w
                  for i, w in enumerate(content) if i != widest]  # fmt: skip
        room = self.viewport().width() - sum(others)
        keep = max(content[widest] // 3, 60)
        width = min(content[widest], max(room, keep))
        header.resizeSection(widest, width)
        self._wrap_names(width < content[widest])

    def _wrap_names(self, narrowed: bool) -> None:
        """A name its column cuts short wraps onto a second line in a row grown to hold it
        ("Displacement at pea…" read as sloppy); rows stay one line while the names fit, and a
        long table keeps one-line rows ("…", the whole name as its tooltip), since measuring
        every row's text costs what the model was written to save."""
        wrap = narrowed and self.model().rowCount() <= WRAPPED_ROWS
        if wrap == self.wordWrap() and not wrap:
            return
        self.setWordWrap(wrap)
        rows, one_line = self.verticalHeader(), self.verticalHeader().defaultSectionSize()
        for row in range(self.model().rowCount()):  # a wrapped name keeps a one-line row's air
            rows.resizeSection(
                row, max(one_line, self.sizeHintForRow(row) + 8) if wrap else one_line
            )

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_later.start()

    def rowCount(self) -> int:
        return self.model().rowCount()

    def columnCount(self) -> int:
        return self.model().columnCount()


class TableViewer(QtWidgets.QWidget):
    """Scalars (name / value / unit) or summaries (rows of dicts, 2-D arrays, named columns)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ValueTableModel(self)
        self.table = ValueTableView()
        self.table.setModel(self.model)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setDefaultSectionSize(48)  # a unit column's width
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self.table.copy_requested.connect(self.copy_selection)
        # right-click: copy, or export the whole table
        self.table.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.ActionsContextMenu)
        copy = QtGui.QAction("Copy", self.table)
        copy.triggered.connect(self.copy_selection)
        export = QtGui.QAction("Export as CSV…", self.table)
        export.triggered.connect(self._on_export_triggered)
        self.table.addActions([copy, export])

    # -- content --------------------------------------------------------------------------------
    def set_rows(self, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        """Show ``rows`` (each as long as ``header``) under ``header``."""
        self.model.set_rows(header, rows)
        self.table.resizeColumnsToContents()
        columns = self.table.horizontalHeader()
        widths = [columns.sectionSize(i) for i in range(len(header))]
        text = [i for i, v in enumerate(rows[0]) if isinstance(v, str)] if rows else []
        self.table.set_content_widths(text, widths)

    def set_scalars(self, scalars: Mapping[str, float], in_mm: bool = False) -> None:
        """Name, value and unit of each scalar; the unit comes from the name's brackets, lengths
        are shown in mm where ``in_mm`` (:func:`cellwright.viewers.result_units.lengths_in_mm`).
        """
        self.set_rows(["Quantity", "Value", "Unit"], scalar_rows(scalars, in_mm))
        self.model.value_columns = frozenset({1})  # a flag's "yes" aligned with the numbers

    def set_records(self, records: Sequence[Mapping[str, object]]) -> None:
        """Rows of dicts; the columns are every key, in order of first appearance."""
        header = list(dict.fromkeys(k for record in records for k in record))
        self.set_rows(header, [[record.get(k) for k in header] for record in records])

    def set_array(self, values: np.ndarray, header: Sequence[str] | None = None) -> None:
        """A 2-D array; columns are named by ``header`` or numbered from 1."""
        values = np.asarray(values)
        if values.ndim != 2:
            raise InputError(f"a table needs a 2-D array, got shape {values.shape}")
        if header is None:
            header = [str(i + 1) for i in range(values.shape[1])]
        self.set_rows(list(header), values.tolist())

    def set_columns(self, columns: Mapping[str, Sequence[object]]) -> None:
        """Named equal-length columns (a ``Result.tables`` entry)."""
        lengths = {name: len(values) for name, values in columns.items()}
        if len(set(lengths.values())) > 1:
            raise InputError(f"columns differ in length: {lengths}")
        n = next(iter(lengths.values()), 0)
        arrays = [np.asarray(v).tolist() for v in columns.values()]
        self.set_rows(list(columns), [[a[i] for a in arrays] for i in range(n)])

    def cell_text(self, row: int, column: int) -> str:
        """The text shown in a cell."""
        return self.model.data(self.model.index(row, column)) or ""

    # -- copy and export ------------------------------------------------------------------------
    def copy_selection(self) -> str:
        """Copy the selected cells, as shown, to the clipboard (tab separated) and return it.

        A selection that is not a rectangle is copied as its bounding rectangle with the
        unselected cells left empty, which is what a spreadsheet pastes back into place.
        """
        indexes = self.table.selectionModel().selectedIndexes()
        if not indexes:
            return ""
        chosen = {(i.row(), i.column()) for i in indexes}
        rows = range(min(r for r, _ in chosen), max(r for r, _ in chosen) + 1)
        cols = range(min(c for _, c in chosen), max(c for _, c in chosen) + 1)
        text = "\n".join(
            "\t".join(self.cell_text(r, c) if (r, c) in chosen else "" for c in cols) for r in rows
        )
        QtWidgets.QApplication.clipboard().setText(text)
        return text

    def _on_export_triggered(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "Export table", "", "CSV (*.csv)")
        if not path:
            return
        try:
            self.export_csv(path)
        except InputError as exc:
            QtWidgets.QMessageBox.warning(self, "Cannot export", str(exc))

    def export_csv(self, path: str | Path) -> Path:
        """The whole table as CSV, numbers at full precision."""
        rows = ([_exact(v) for v in row] for row in self.model.rows)
        return write_table_csv(path, self.model.header, rows)

    def export_xlsx(self, path: str | Path) -> Path:
        """The whole table as an Excel workbook (openpyxl), numbers as numbers."""
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(self.model.header)
        for row in self.model.rows:
            sheet.append([float(v) if isinstance(v, np.number) else v for v in row])
        try:
            book.save(str(path))
        except OSError as exc:
            message = f"cannot write the workbook ({exc.strerror})"
            raise InputError(message, where=str(path)) from exc
        return Path(path)
