"""What a design study teaches: the Pareto front of two objectives and the sensitivity bars.

Fed plain arrays (which points are feasible and which form the front are decided by the study
code, not here). On the front view each point can be clicked: it is selected (the study view
then selects its row in the table) and can be opened as a design. The sensitivity view shows,
per output, each input's first-order and total Sobol' index with its 95 % interval: a total far
above the first-order index says the input acts through interactions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from cellwright.viewers.axis_labels import label_axis
from cellwright.viewers.study_plots import short_name

__all__ = ["ParetoView", "SensitivityView"]

_FRONT, _DOMINATED, _INFEASIBLE = "#d62728", "#b8b8b8", "#dddddd"


class ParetoView(QtWidgets.QWidget):
    """Two objectives of every finished point; the front in colour, the rest grey."""

    point_selected = QtCore.Signal(int)  # table row
    open_design_requested = QtCore.Signal(int)  # table row

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.addLegend(offset=(-10, 10))
        self.info = QtWidgets.QLabel("Click a point to select it.")
        self.info.setWordWrap(True)
        self.info.setMinimumHeight(3 * self.info.fontMetrics().lineSpacing())
        self.open_button = QtWidgets.QPushButton("Open as design")
        self.open_button.setEnabled(False)
        self.open_button.setToolTip("a new design variant with this point's design inputs")
        self.open_button.clicked.connect(self._on_open_clicked)
        bottom = QtWidgets.QHBoxLayout()
        bottom.addWidget(self.info, 1)
        bottom.addWidget(self.open_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addLayout(bottom)
        self.front_rows: list[int] = []
        self.selected: int | None = None
        self._texts: list[str] = []
        self._xy = np.empty((0, 2))
        # the plot items are made once and given new data as points arrive: a redraw leaves
        # no Qt objects for Python's garbage collector, which may run on a worker thread
        self._groups = {
            name: self._scatter(name, brush, symbol, size)
            for name, brush, symbol, size in (("infeasible", _INFEASIBLE, "x", 9),
                                              ("dominated", _DOMINATED, "o", 9),
                                              ("Pareto front", _FRONT, "o", 11))
        }  # fmt: skip
        self._line = self.plot.plot([], [], pen=pg.mkPen(_FRONT, width=1.5))
        self._line.setZValue(-1)
        self._marker = pg.ScatterPlotItem(size=16, pen=pg.mkPen("k", width=2), brush=None)
        self.plot.addItem(self._marker)

    def _scatter(self, name: str, brush: str, symbol: str, size: int) -> pg.ScatterPlotItem:
        pen = pg.mkPen("#7a1010" if brush == _FRONT else "#666666")
        item = pg.ScatterPlotItem(size=size, symbol=symbol, brush=brush, pen=pen, name=name)
        item.sigClicked.connect(lambda _item, spots, *_: self.select(int(spots[0].data())))
        self.plot.addItem(item)
        return item

    def show_front(
        self, names: tuple[str, str], x: np.ndarray, y: np.ndarray, front: Sequence[int],
        feasible: Sequence[int], texts: Sequence[str],
    ) -> None:  # fmt: skip
        """Plot objective ``names`` (x, y per table row; NaN for points not done): the rows in
        ``front`` as the front, other ``feasible`` rows as dominated, the rest as infeasible.
        ``texts`` describe each row when it is selected."""
        self._xy = np.column_stack([np.asarray(x, float), np.asarray(y, float)])
        self.front_rows, self._texts = list(front), list(texts)
        done = np.all(np.isfinite(self._xy), axis=1)
        rows = np.arange(len(self._xy))
        in_front = np.isin(rows, self.front_rows)
        ok = np.isin(rows, list(feasible)) & ~in_front & done
        bad = done & ~in_front & ~np.isin(rows, list(feasible))
        order = np.array(sorted(self.front_rows, key=lambda r: self._xy[r, 0]), dtype=int)
        for name, keep in (("infeasible", rows[bad]), ("dominated", rows[ok]),
                           ("Pareto front", order)):  # fmt: skip
            self._groups[name].setData(self._xy[keep, 0], self._xy[keep, 1], data=list(keep))
        self._line.setData(self._xy[order, 0], self._xy[order, 1])
        label_axis(self.plot, "bottom", names[0])
        label_axis(self.plot, "left", names[1])
        self.select(self.selected if self.selected is not None and
                    self.selected < len(self._xy) else None)  # fmt: skip

    def select(self, row: int | None) -> None:
        """Mark point ``row`` (a table row) and say what it is; None clears the choice."""
        self.selected = row
        if row is None or not np.all(np.isfinite(self._xy[row])):
            self._marker.setData([], [])
            self.open_button.setEnabled(False)
            self.info.setText("Click a point to select it.")
            return
        self._marker.setData([self._xy[row, 0]], [self._xy[row, 1]])
        where = "on the Pareto front" if row in self.front_rows else "not on the front"
        self.info.setText(f"{self._texts[row]} ({where})")
        self.open_button.setEnabled(True)
        self.point_selected.emit(row)

    def _on_open_clicked(self) -> None:
        if self.selected is not None:
            self.open_design_requested.emit(self.selected)


class SensitivityView(QtWidgets.QWidget):
    """First-order and total Sobol' indices of one output per input, as grouped bars."""

    compute_requested = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.output = QtWidgets.QComboBox()
        self.compute_button = QtWidgets.QPushButton("Compute sensitivity")
        self.compute_button.setToolTip(
            "fit a Gaussian-process surrogate to the finished points, then Sobol' indices "
            "of each output from it (runs in the background)"
        )
        self.compute_button.clicked.connect(self.compute_requested)
        self.status = QtWidgets.QLabel("Not computed yet.")
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(2 * self.status.fontMetrics().lineSpacing() + 4)
        self.plot = pg.PlotWidget(background="w")
        self.plot.showGrid(y=True, alpha=0.3)
        self.plot.setLabel("left", "Sobol' index")
        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel("Output"))
        top.addWidget(self.output, 1)
        top.addWidget(self.compute_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.plot, 1)
        self.indices: dict[str, Mapping] = {}
        self.output.currentIndexChanged.connect(self._draw)
        legend = self.plot.addLegend(offset=(-10, 10))
        self._bars = {}  # made once, given new heights: see ParetoView
        for key, colour, label in (("first", "#4a90d9", "first order S1"),
                                   ("total", "#f28e2b", "total ST")):  # fmt: skip
            bars = pg.BarGraphItem(x=[], height=[], width=0.38, brush=colour)
            errors = pg.ErrorBarItem(x=np.zeros(0), y=np.zeros(0), height=np.zeros(0),
                                     pen=pg.mkPen("#333333"))  # fmt: skip
            self.plot.addItem(bars)
            self.plot.addItem(errors)
            legend.addItem(bars, label)
            self._bars[key] = (bars, errors)

    def show_indices(self, indices: Mapping[str, Mapping]) -> None:
        """``indices``: output -> {names, first, total, first_conf, total_conf, r2, rmse}."""
        self.indices = dict(indices)
        current = self.output.currentText()
        self.output.blockSignals(True)
        self.output.clear()
        self.output.addItems(list(self.indices))
        if current in self.indices:
            self.output.setCurrentText(current)
        self.output.blockSignals(False)
        self._draw()

    def bars(self) -> dict[str, tuple[float, float]]:
        """The shown output's (first-order, total) index per input."""
        found = self.indices.get(self.output.currentText())
        if not found:
            return {}
        return {
            n: (float(a), float(b))
            for n, a, b in zip(found["names"], found["first"], found["total"], strict=True)
        }

    def _draw(self) -> None:
        found = self.indices.get(self.output.currentText())
        if not found:
            for bars, errors in self._bars.values():
                bars.setOpts(x=[], height=[])
                errors.setData(x=np.zeros(0), y=np.zeros(0), height=np.zeros(0))
            return
        x = np.arange(len(found["names"]), dtype=float)
        for key, (bars, errors) in self._bars.items():
            shift = -0.2 if key == "first" else 0.2
            height = np.asarray(found[key], dtype=float)
            bars.setOpts(x=x + shift, height=height, width=0.38)
            conf = np.asarray(found[f"{key}_conf"], dtype=float)
            errors.setData(x=x + shift, y=height, height=2 * conf)
        self.plot.getAxis("bottom").setTicks([[(k, short_name(n))
                                               for k, n in enumerate(found["names"])]])  # fmt: skip
        self.plot.setXRange(-0.6, len(x) - 0.4, padding=0)
        top = max(1.0, float(np.nanmax(np.concatenate([found["first"], found["total"]]))) + 0.05)
        self.plot.setYRange(min(0.0, float(np.nanmin(found["first"]))), top)
        self.status.setText(
            f"{self.output.currentText()}: Gaussian-process surrogate, cross-validated "
            f"R² {found['r2']:.3f} (RMSE {found['rmse']:.4g}); Sobol' indices with 95 % "
            "intervals from the surrogate over the inputs' ranges"
        )
