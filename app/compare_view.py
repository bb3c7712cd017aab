"""Variants side by side: every figure of two or more designs, differences highlighted.

Columns are the designs (the first is the baseline); a figure whose value differs from the
baseline's is tinted, green where it is higher and amber where it is lower, with the relative
change beside the value. "Only differences" hides the rows that are the same everywhere.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from cellwright.projects.design.compare import Comparison
from cellwright.projects.readable import number

__all__ = ["CompareView"]

_HIGHER, _LOWER = QtGui.QColor("#dcefdc"), QtGui.QColor("#f6e3c6")


class CompareView(QtWidgets.QWidget):
    """A table of a :class:`~cellwright.projects.design.compare.Comparison`."""

    def __init__(self, comparison: Comparison, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.comparison = comparison
        self.only_changes = QtWidgets.QCheckBox("Only differences")
        self.only_changes.toggled.connect(self._on_filter_toggled)
        n = len(comparison.names)
        self.table = QtWidgets.QTableWidget(len(comparison.rows), n + 2)
        self.table.setHorizontalHeaderLabels(["Figure", *comparison.names, "Unit"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        for col in range(1, n + 1):
            header.setSectionResizeMode(col, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self._fill()
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.only_changes)
        layout.addWidget(self.table, 1)

    def _fill(self) -> None:
        align = QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
        for r, row in enumerate(self.comparison.rows):
            name = QtWidgets.QTableWidgetItem(row.name)
            if row.differs:
                font = name.font()
                font.setBold(True)
                name.setFont(font)
            self.table.setItem(r, 0, name)
            for i, value in enumerate(row.values):
                # the report's comparison writes its numbers so (cellwright.projects.readable)
                text = number(value)
                change = row.change(i) if i else None
                if change:
                    text += f"  ({100 * change:+.1f} %)"
                item = QtWidgets.QTableWidgetItem(text)
                item.setTextAlignment(align)
                if i and change:
                    item.setBackground(_HIGHER if change > 0 else _LOWER)
                self.table.setItem(r, i + 1, item)
            unit = "" if row.unit == "1" else row.unit
            self.table.setItem(r, len(row.values) + 1, QtWidgets.QTableWidgetItem(unit))

    def _on_filter_toggled(self, only: bool) -> None:
        for r, row in enumerate(self.comparison.rows):
            self.table.setRowHidden(r, only and not row.differs)

    def cell_text(self, figure: str, design: int) -> str:
        """What the table shows for ``figure`` of design number ``design`` (0 = baseline)."""
        row = next(i for i, r in enumerate(self.comparison.rows) if r.name == figure)
        return self.table.item(row, design + 1).text()
