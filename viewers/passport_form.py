"""PassportForm: a battery passport as a form — every attribute of the long-list with its access
level, value and provenance — and an export button per access level.

The form shows what it is given (attribute rows as plain data); exporting is the window's job,
asked for through :attr:`PassportForm.export_requested`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from PySide6 import QtCore, QtGui, QtWidgets

__all__ = ["ACCESS_COLOURS", "PassportForm", "PassportRow"]

ACCESS_COLOURS = {
    "public": "#d9f2d9",
    "legitimate-interest": "#fff2cc",
    "authority": "#f8d7da",
}
_COLUMNS = ("#", "attribute", "access", "value", "source", "detail")


@dataclass(frozen=True)
class PassportRow:
    """One attribute as the form shows it."""

    number: int
    name: str
    category: str
    access: str
    value: object
    source: str
    detail: str


class PassportForm(QtWidgets.QWidget):
    """The passport of one battery.

    Parameters
    ----------
    title
        The passport identifier and version, shown above the form.
    rows
        One row per attribute, in long-list order.
    levels
        The access levels, lowest first (an export button each).
    """

    export_requested = QtCore.Signal(str, str)  # access level, format

    def __init__(
        self,
        title: str,
        rows: list[PassportRow],
        levels: tuple[str, ...],
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.rows = rows
        self.title = QtWidgets.QLabel(title)
        self.level_filter = QtWidgets.QComboBox()
        self.level_filter.addItems(["all levels", *levels])
        self.level_filter.currentTextChanged.connect(self._on_level_filter_changed)
        self.format = QtWidgets.QComboBox()
        self.format.addItems(["battery-pass", "catena-x"])
        self.table = QtWidgets.QTableWidget(len(rows), len(_COLUMNS))
        self.table.setHorizontalHeaderLabels(list(_COLUMNS))
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.export_buttons: dict[str, QtWidgets.QPushButton] = {}
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(QtWidgets.QLabel("show"))
        top.addWidget(self.level_filter)
        bottom = QtWidgets.QHBoxLayout()
        bottom.addWidget(QtWidgets.QLabel("Export as"))
        bottom.addWidget(self.format)
        for level in levels:
            button = QtWidgets.QPushButton(f"Export {level}…")
            button.setStyleSheet(f"background: {ACCESS_COLOURS.get(level, '#eeeeee')}")
            button.clicked.connect(lambda _=False, lv=level: self._on_export_clicked(lv))
            bottom.addWidget(button)
            self.export_buttons[level] = button
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addLayout(bottom)
        self._fill()

    def _fill(self) -> None:
        for r, row in enumerate(self.rows):
            value = (
                ""
                if row.value is None
                else (
                    row.value
                    if isinstance(row.value, str)
                    else json.dumps(row.value, ensure_ascii=False)
                )
            )
            cells = (str(row.number), row.name, row.access, value, row.source, row.detail)
            for c, text in enumerate(cells):
                item = QtWidgets.QTableWidgetItem(text)
                item.setToolTip(f"{row.category}\n{text}" if c == 1 else text[:500])
                if c == 2:
                    item.setBackground(QtGui.QColor(ACCESS_COLOURS.get(row.access, "#ffffff")))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(3, min(self.table.columnWidth(3), 320))
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), 300))

    def cell_text(self, row: int, column: int) -> str:
        """The text shown in a cell."""
        return self.table.item(row, column).text()

    def visible_numbers(self) -> list[int]:
        """Long-list numbers of the rows currently shown."""
        return [self.rows[r].number for r in range(len(self.rows)) if not self.table.isRowHidden(r)]

    def _on_level_filter_changed(self, level: str) -> None:
        for r, row in enumerate(self.rows):
            self.table.setRowHidden(r, level != "all levels" and row.access != level)

    def _on_export_clicked(self, level: str) -> None:
        self.export_requested.emit(level, self.format.currentText())
