"""PlotViewer: series of a result as curves (pyqtgraph), with units on the axes.

Large series stay fluid: pyqtgraph downsamples to the view (peak mode keeps extremes) and clips
to the visible range, and finite checks are skipped for our finite engine output.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from projects.model import TIME, Result, unit_of

__all__ = ["PlotViewer"]

_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2"]


def _label(name: str) -> str:
    unit = unit_of(name)
    base = name[: name.rfind("[")].strip() if unit else name
    return f"{base} [{unit}]" if unit else base


class PlotViewer(QtWidgets.QWidget):
    """Curves of a :class:`projects.model.Result` (or any x/y arrays added with add_curve)."""

    def __init__(self, result: Result | None = None, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.result = result
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.x_combo = QtWidgets.QComboBox()
        self.y_list = QtWidgets.QListWidget()
        self.y_list.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.y_list.setMaximumWidth(260)
        self.readout = QtWidgets.QLabel(" ")
        self.log_x = QtWidgets.QCheckBox("log x")
        self.log_y = QtWidgets.QCheckBox("log y")
        self.plot = pg.PlotWidget(background="w")
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.legend = self.plot.addLegend(offset=(-10, 10))
        self.plot.setClipToView(True)
        self.plot.setDownsampling(auto=True, mode="peak")
        self._vline = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#888"))
        self._hline = pg.InfiniteLine(angle=0, movable=False, pen=pg.mkPen("#888"))
        self.plot.addItem(self._vline, ignoreBounds=True)
        self.plot.addItem(self._hline, ignoreBounds=True)
        # a second unit gets its own axis on the right, sharing x
        self._right = pg.ViewBox()
        self.plot.plotItem.scene().addItem(self._right)
        self.plot.plotItem.getAxis("right").linkToView(self._right)
        self._right.setXLink(self.plot.plotItem)
        self.plot.plotItem.vb.sigResized.connect(self._on_view_resized)
        self._layout()
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.x_combo.currentTextChanged.connect(self._on_selection_changed)
        self.y_list.itemSelectionChanged.connect(self._on_selection_changed)
        self.log_x.toggled.connect(self._on_log_changed)
        self.log_y.toggled.connect(self._on_log_changed)
        if result is not None:
            self.set_result(result)

    def _layout(self) -> None:
        side = QtWidgets.QVBoxLayout()
        side.addWidget(QtWidgets.QLabel("x axis"))
        side.addWidget(self.x_combo)
        side.addWidget(QtWidgets.QLabel("y series"))
        side.addWidget(self.y_list, 1)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.log_x)
        row.addWidget(self.log_y)
        side.addLayout(row)
        # the series chooser only makes sense for a result; curves added by hand stand alone
        self.side_panel = QtWidgets.QWidget()
        self.side_panel.setLayout(side)
        self.side_panel.setVisible(self.result is not None)
        main = QtWidgets.QVBoxLayout()
        main.addWidget(self.plot, 1)
        main.addWidget(self.readout)
        layout = QtWidgets.QHBoxLayout(self)
        layout.addWidget(self.side_panel)
        layout.addLayout(main, 1)

    def set_result(self, result: Result) -> None:
        """Show a result: time on x, voltage (or the first series) on y."""
        self.result = result
        self.side_panel.setVisible(True)
        names = list(result.series)
        self.x_combo.blockSignals(True)
        self.x_combo.clear()
        self.x_combo.addItems(names)
        self.x_combo.setCurrentText(TIME if TIME in names else names[0])
        self.x_combo.blockSignals(False)
        self.y_list.blockSignals(True)
        self.y_list.clear()
        self.y_list.addItems([n for n in names if n != TIME])
        default = "Voltage [V]" if "Voltage [V]" in names else names[-1]
        for item in self.y_list.findItems(default, QtCore.Qt.MatchFlag.MatchExactly):
            item.setSelected(True)
        self.y_list.blockSignals(False)
        self._on_selection_changed()

    def select(self, x: str, ys: list[str]) -> None:
        """Choose the x series and the y series to show."""
        self.x_combo.setCurrentText(x)
        self.y_list.clearSelection()
        for name in ys:
            for item in self.y_list.findItems(name, QtCore.Qt.MatchFlag.MatchExactly):
                item.setSelected(True)

    def add_curve(
        self, x: np.ndarray, y: np.ndarray, name: str, right: bool = False, points: bool = False
    ) -> pg.PlotDataItem:
        """Add a curve from arrays (lab data, comparisons); ``right`` uses the right axis,
        ``points`` draws markers without a line (measurements)."""
        colour = _COLOURS[len(self.curves) % len(_COLOURS)]
        pen = pg.mkPen(colour, width=2)
        x, y = np.asarray(x, float), np.asarray(y, float)
        if points:
            item = self.plot.plot(
                x, y, pen=None, symbol="o", symbolSize=6, symbolBrush=colour, name=name
            )
            self.curves[name] = item
            return item
        if right:
            # a bare ViewBox has no clip-to-view support; thin the curve to ~20k points instead
            step = max(1, x.size // 20000)
            item = pg.PlotDataItem(x[::step], y[::step], pen=pen, name=name, skipFiniteCheck=True)
            self._right.addItem(item)
            self.legend.addItem(item, name)
        else:
            item = self.plot.plot(x, y, pen=pen, name=name, skipFiniteCheck=True)
        self.curves[name] = item
        return item

    def clear_curves(self) -> None:
        """Remove every curve."""
        for item in self.curves.values():
            if item.getViewBox() is self._right:
                self._right.removeItem(item)
            else:
                self.plot.removeItem(item)
        self.curves.clear()
        self.legend.clear()
        self.plot.plotItem.hideAxis("right")

    def _on_view_resized(self) -> None:
        self._right.setGeometry(self.plot.plotItem.vb.sceneBoundingRect())
        self._right.linkedViewChanged(self.plot.plotItem.vb, self._right.XAxis)

    def _on_selection_changed(self) -> None:
        if self.result is None:
            return
        self.clear_curves()
        x_name = self.x_combo.currentText()
        ys = [item.text() for item in self.y_list.selectedItems()]
        if not x_name:
            return
        x = self.result.series[x_name]
        units = list(dict.fromkeys(unit_of(n) for n in ys))
        second = units[1] if len(units) == 2 else None
        for name in ys:
            self.add_curve(x, self.result.series[name], name, right=unit_of(name) == second)
        self.plot.setLabel("bottom", _label(x_name))
        left = [n for n in ys if unit_of(n) != second]
        self.plot.setLabel(
            "left",
            _label(left[0])
            if len(left) == 1
            else " / ".join(u for u in dict.fromkeys(unit_of(n) for n in left) if u),
        )
        if second is not None:
            right = [n for n in ys if unit_of(n) == second]
            self.plot.plotItem.showAxis("right")
            axis = self.plot.plotItem.getAxis("right")
            axis.setWidth(70)
            axis.linkToView(self._right)
            self.plot.setLabel("right", _label(right[0]) if len(right) == 1 else second)
            self._on_view_resized()
            self._right.autoRange(items=[self.curves[n] for n in right])

    def _on_log_changed(self) -> None:
        self.plot.setLogMode(x=self.log_x.isChecked(), y=self.log_y.isChecked())

    def _on_mouse_moved(self, pos: QtCore.QPointF) -> None:
        if not self.plot.sceneBoundingRect().contains(pos):
            return
        point = self.plot.plotItem.vb.mapSceneToView(pos)
        self._vline.setPos(point.x())
        self._hline.setPos(point.y())
        self.readout.setText(f"x = {point.x():.6g}    y = {point.y():.6g}")

    def export_csv(self, path: str | Path) -> None:
        """The shown curves as CSV columns (x, then each y)."""
        names = list(self.curves)
        x, _ = self.curves[names[0]].getOriginalDataset() if names else (np.array([]), None)
        columns = [x] + [self.curves[n].getOriginalDataset()[1] for n in names]
        with Path(path).open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow([self.x_combo.currentText(), *names])
            writer.writerows(np.column_stack(columns).tolist())

    def export_png(self, path: str | Path) -> None:
        """A picture of the plot."""
        self.plot.grab().save(str(path))
