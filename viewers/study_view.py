"""A design study's points: the results table and one output against one input.

Fed plain rows (no study model), so it shows a study while it runs: call :meth:`show_points`
again as points finish. Failed points are listed with their error and left out of the scatter;
each point is a marker, so a Latin hypercube's spread over the input is visible at a glance.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from cellwright.viewers.table_viewer import TableViewer

__all__ = ["StudyView"]


class StudyView(QtWidgets.QWidget):
    """The table of a study's points and a scatter of a chosen output over a chosen input."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QtWidgets.QLabel("")
        self.table = TableViewer()
        self.x_choice, self.y_choice = QtWidgets.QComboBox(), QtWidgets.QComboBox()
        self.plot = pg.PlotWidget(background="w")
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.scatter = pg.ScatterPlotItem(size=9, pen=pg.mkPen("#1f4e79"), brush="#4a90d9")
        self.plot.addItem(self.scatter)
        choices = QtWidgets.QHBoxLayout()
        for label, combo in (("Output", self.y_choice), ("over", self.x_choice)):
            choices.addWidget(QtWidgets.QLabel(label))
            choices.addWidget(combo, 1)
            combo.currentIndexChanged.connect(self._draw)
        right = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(choices)
        column.addWidget(self.plot, 1)
        split = QtWidgets.QSplitter()
        split.addWidget(self.table)
        split.addWidget(right)
        split.setSizes([600, 400])
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        self._columns: dict[str, np.ndarray] = {}

    def show_points(
        self, inputs: Sequence[str], outputs: Sequence[str], points: Sequence[Mapping]
    ) -> None:
        """Show ``points`` (dicts with index, status, values, outputs, error)."""
        header = ["Point", "Status", *inputs, *outputs, "Error"]
        rows = [
            [p["index"], p["status"], *(p["values"].get(n, "") for n in inputs),
             *(p["outputs"].get(n, float("nan")) for n in outputs), p.get("error", "")]
            for p in points
        ]  # fmt: skip
        self.table.set_rows(header, rows)
        done = [p for p in points if p["status"] == "done"]
        failed = sum(p["status"] == "failed" for p in points)
        self.summary.setText(f"{len(done)} of {len(points)} points done, {failed} failed")
        self._columns = {n: _numbers([p["values"].get(n) for p in done]) for n in inputs}
        self._columns.update({n: _numbers([p["outputs"].get(n) for p in done]) for n in outputs})
        self._refill(self.x_choice, list(inputs))
        self._refill(self.y_choice, list(outputs))
        self._draw()

    def select(self, output: str, over: str) -> None:
        """Plot ``output`` over the input ``over``."""
        self.y_choice.setCurrentText(output)
        self.x_choice.setCurrentText(over)

    def plotted(self) -> tuple[np.ndarray, np.ndarray]:
        """The points in the scatter (x, y)."""
        x, y = self.scatter.getData()
        return np.asarray(x), np.asarray(y)

    @staticmethod
    def _refill(combo: QtWidgets.QComboBox, names: list[str]) -> None:
        if [combo.itemText(i) for i in range(combo.count())] == names:
            return
        current = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItems(names)
        if current in names:
            combo.setCurrentText(current)
        combo.blockSignals(False)

    def _draw(self) -> None:
        x = self._columns.get(self.x_choice.currentText(), np.empty(0))
        y = self._columns.get(self.y_choice.currentText(), np.empty(0))
        keep = np.isfinite(x) & np.isfinite(y) if x.size == y.size else np.zeros(0, bool)
        self.scatter.setData(x[keep] if keep.size else [], y[keep] if keep.size else [])
        self.plot.setLabel("bottom", self.x_choice.currentText())
        self.plot.setLabel("left", self.y_choice.currentText())


def _numbers(values: list) -> np.ndarray:
    out = np.full(len(values), np.nan)
    for k, value in enumerate(values):
        with contextlib.suppress(TypeError, ValueError):  # a choice ("DFN") has no number
            out[k] = float(value)
    return out
