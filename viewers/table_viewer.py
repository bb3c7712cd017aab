"""TableViewer: scalars and summaries in a table, with copy to clipboard and CSV export."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6 import QtGui, QtWidgets

from projects.model import unit_of

__all__ = ["TableViewer"]


class TableViewer(QtWidgets.QWidget):
    """Rows of values; :meth:`set_scalars` shows name / value / unit."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QtWidgets.QTableWidget(0, 0)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        copy = QtGui.QShortcut(QtGui.QKeySequence.StandardKey.Copy, self.table)
        copy.activated.connect(self.copy_selection)

    def set_rows(self, header: list[str], rows: list[list[object]]) -> None:
        """Show ``rows`` under ``header``."""
        self.table.clear()
        self.table.setColumnCount(len(header))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(header)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                text = f"{value:.6g}" if isinstance(value, float) else str(value)
                self.table.setItem(r, c, QtWidgets.QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def set_scalars(self, scalars: dict[str, float]) -> None:
        """Name, value and unit of each scalar."""
        rows = []
        for name, value in scalars.items():
            unit = unit_of(name)
            base = name[: name.rfind("[")].strip() if unit else name
            rows.append([base, float(value), unit])
        self.set_rows(["Quantity", "Value", "Unit"], rows)

    def cell_text(self, row: int, column: int) -> str:
        """The text shown in a cell."""
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def copy_selection(self) -> str:
        """Copy the selected cells (tab separated) to the clipboard and return the text."""
        ranges = self.table.selectedRanges()
        lines = []
        for rng in ranges:
            for r in range(rng.topRow(), rng.bottomRow() + 1):
                lines.append(
                    "\t".join(
                        self.cell_text(r, c) for c in range(rng.leftColumn(), rng.rightColumn() + 1)
                    )
                )
        text = "\n".join(lines)
        QtWidgets.QApplication.clipboard().setText(text)
        return text

    def export_xlsx(self, path: str | Path) -> None:
        """The whole table as an Excel workbook (openpyxl)."""
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(
            [self.table.horizontalHeaderItem(c).text() for c in range(self.table.columnCount())]
        )
        for r in range(self.table.rowCount()):
            row = []
            for c in range(self.table.columnCount()):
                text = self.cell_text(r, c)
                try:
                    row.append(float(text))
                except ValueError:
                    row.append(text)
            sheet.append(row)
        book.save(str(path))

    def export_csv(self, path: str | Path) -> None:
        """The whole table as CSV."""
        with Path(path).open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(
                [self.table.horizontalHeaderItem(c).text() for c in range(self.table.columnCount())]
            )
            for r in range(self.table.rowCount()):
                writer.writerow([self.cell_text(r, c) for c in range(self.table.columnCount())])
