"""The derived-figures panel: what the builder computes from the selected design.

A table of name / value / unit (from :func:`cellwright.projects.design.design_report`), the
design-rule warnings in amber below it, and, when the design cannot be computed (a jelly roll that
does not fit its can, a material the library lacks), the reason in red instead of stale numbers.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from cellwright.app.design_figures import DesignFigures
from cellwright.projects.readable import number

__all__ = ["AMBER", "FiguresPanel"]

AMBER = "#9a5b00"
_RED = "#b00020"


class FiguresPanel(QtWidgets.QGroupBox):
    """Read-only derived figures and warnings of one design."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__("Derived", parent)
        self.values: dict[str, QtWidgets.QTableWidgetItem] = {}
        self.table = QtWidgets.QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Figure", "Value", "Unit"])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.warnings = QtWidgets.QLabel("")
        self.warnings.setStyleSheet(f"color: {AMBER}")
        self.warnings.setWordWrap(True)
        self.problem = QtWidgets.QLabel("")
        self.problem.setStyleSheet(f"color: {_RED}")
        self.problem.setWordWrap(True)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.problem)
        layout.addWidget(self.warnings)
        layout.addWidget(self.table, 1)

    def show_figures(self, figures: DesignFigures | None) -> None:
        """Show ``figures`` (None hides the panel)."""
        self.setVisible(figures is not None)
        self.values.clear()
        self.table.setRowCount(0)
        figures = figures or DesignFigures()
        self.problem.setText(f"Cannot compute: {figures.error}" if figures.error else "")
        self.problem.setVisible(bool(figures.error))
        self.warnings.setText("\n".join(f"⚠ {w}" for w in figures.warnings))
        self.warnings.setVisible(bool(figures.warnings))
        self.table.setVisible(bool(figures.report))
        self.table.setRowCount(len(figures.report))
        align = QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
        for row, (name, (value, unit)) in enumerate(figures.report.items()):
            # four figures, as every other table of the window reads (66.61 g, not 66.6083)
            value_item = QtWidgets.QTableWidgetItem(number(value))
            value_item.setTextAlignment(align)
            name_item = QtWidgets.QTableWidgetItem(name)
            name_item.setToolTip(name)
            self.table.setItem(row, 0, name_item)
            self.table.setItem(row, 1, value_item)
            self.table.setItem(row, 2, QtWidgets.QTableWidgetItem("" if unit == "1" else unit))
            self.values[name] = value_item
