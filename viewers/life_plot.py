"""LifePlot: a result's quantities over life — the ``life`` table of a swelling study (end-plate
force at full and empty charge against cycles or state of health), with the design limit drawn
across when the study set one."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from cellwright.projects.model import Result
from cellwright.viewers.axis_labels import label_axis

__all__ = ["LifePlot", "has_life_table"]

SOH = "State of health [-]"
_COLOURS = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e"]


def has_life_table(result: Result) -> bool:
    """True when the result holds a ``life`` table over state of health."""
    return SOH in result.tables.get("life", {})


class LifePlot(QtWidgets.QWidget):
    """The force columns of the life table against cycles (or state of health)."""

    def __init__(self, result: Result, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        table = result.tables["life"]
        self.x_name = "Cycle" if "Cycle" in table else SOH
        x = np.asarray(table[self.x_name], dtype=float)
        self.plot = pg.PlotWidget(background="w")
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        label_axis(self.plot, "bottom", self.x_name)  # a state of health of 0.8-0.95 too
        label_axis(self.plot, "left", "End-plate force [N]")
        self.legend = self.plot.addLegend(offset=(10, 10))
        self.curves: dict[str, pg.PlotDataItem] = {}
        forces = [c for c in table if c.startswith("Force at")]
        for k, column in enumerate(forces):
            pen = pg.mkPen(_COLOURS[k % len(_COLOURS)], width=2)
            y = np.asarray(table[column], dtype=float)
            self.curves[column] = self.plot.plot(x, y, pen=pen, symbol="o", symbolSize=5,
                                                 symbolBrush=_COLOURS[k % len(_COLOURS)],
                                                 name=column)  # fmt: skip
        self.limit = None
        limit = result.scalars.get("Force limit [N]")
        if limit is not None:
            pen = pg.mkPen("#555555", width=1, style=QtCore.Qt.PenStyle.DashLine)
            self.limit = pg.InfiniteLine(pos=limit, angle=0, pen=pen, label="design limit",
                                         labelOpts={"position": 0.1})  # fmt: skip
            self.plot.addItem(self.limit)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QtWidgets.QLabel("Over life"))
        layout.addWidget(self.plot, 1)
