"""PlotViewer: series of a result as curves (pyqtgraph), with units on the axes.

The legend sits in the corner of the plot its curves leave emptiest: in the fixed top right it
covered the end of a crush's force-displacement curve, the point a reader looks for first.

Large series stay fluid: pyqtgraph downsamples to the view (peak mode keeps the extremes a
voltage spike would otherwise lose) and clips to the visible range, and finite checks are
skipped because engine output is finite by contract. Series of a second unit get their own axis
on the right, sharing x.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from cellwright.projects.model import TIME, InputError, Result, unit_of
from cellwright.projects.readable import (
    celsius_shown,
    number,
    region_names,
    series_label,
    time_unit,
)
from cellwright.viewers.axis_labels import label_axis
from cellwright.viewers.export import write_curves_csv
from cellwright.viewers.legend_corner import emptiest_corner

__all__ = ["PlotViewer", "axis_label", "readable_axis", "set_readable_axis"]

_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2"]


#: the item data role holding a side-panel series' stored name
_NAME = QtCore.Qt.ItemDataRole.UserRole

#: the largest share of the plot's width or height the legend may take and still be shown
_LEGEND_MOST = 0.5


def axis_label(name: str) -> str:
    """``"Voltage [V]"`` -> ``"Voltage [V]"``; a name without a unit stays as it is."""
    unit = unit_of(name)
    base = name[: name.rfind("[")].strip() if unit else name
    return f"{base} [{unit}]" if unit else base


#: units whose ticks read better with a prefix, largest first: (size of one, shown unit)
_PREFIXED = {
    "m": ((1.0, "m"), (1e-3, "mm")),  # no µm: a live travel would switch from µm to mm
    "N": ((1e6, "MN"), (1e3, "kN"), (1.0, "N")),
    "Pa": ((1e9, "GPa"), (1e6, "MPa"), (1e3, "kPa"), (1.0, "Pa")),
    # a cell's DC resistance read "[Ohm] (x0.001)" beside ticks 50-60
    "Ohm": ((1.0, "Ohm"), (1e-3, "mOhm")),
}


def readable_axis(name: str, values: np.ndarray) -> tuple[str, float]:
    """The axis label and tick scale for series ``name`` holding ``values``.

    A length, force or pressure is labelled in the unit its values read in: a crush's 0.3 mm
    travel read "Displacement [m]" with ticks 0-300 and "(x1e-06)" beside them, its 7 kN
    "Force [N]" 0-7000; now "Displacement [mm]" 0-0.3 and "Force [kN]" 0-7. The data stay SI;
    only the ticks are scaled. An absolute temperature is labelled in °C
    (:func:`cellwright.projects.readable.celsius_shown`); its curve is drawn from the values
    less :data:`~cellwright.projects.readable.CELSIUS_ZERO` (an offset no tick scale holds).
    """
    name = celsius_shown(name, values)[0]
    label, steps = axis_label(name), _PREFIXED.get(unit_of(name))
    v = np.abs(np.asarray(values, dtype=float))
    v = v[np.isfinite(v)]
    if unit_of(name) == "s" and v.size:  # a run's time in s, min or h, as the report's axes
        unit, size = time_unit(float(v.max()))
        return f"{label[: label.rfind('[')].strip()} [{unit}]", 1.0 / size
    if steps is None or v.size == 0 or v.max() == 0:
        return label, 1.0
    # the first unit in which the largest value is at least 1 (100 kN, not 0.1 MN; 500 N, not
    # 0.5 kN); the smallest listed otherwise (0.3 mm: no µm, which a live travel would leave)
    size, shown = next(((z, u) for z, u in steps if v.max() >= z), steps[-1])
    return f"{label[: label.rfind('[')].strip()} [{shown}]", 1.0 / size


def set_readable_axis(plot: pg.PlotItem, side: str, name: str, values: np.ndarray) -> None:
    """Label ``side`` of ``plot`` for series ``name`` in its readable unit (:func:`readable_axis`;
    no scaling on a log axis, whose ticks are powers of ten of the SI values)."""
    axis = plot.getAxis(side)
    label, scale = readable_axis(name, values)
    if axis.logMode:  # (a temperature is drawn in °C on a log axis too)
        label, scale = axis_label(celsius_shown(name, values)[0]), 1.0
    axis.setScale(scale)
    # pyqtgraph's own prefix would scale 0.3 mm again, to ticks 0-300 "(x0.001)", and put
    # "(x0.001)" beside a coin cell's "Current [A]": none where the label names its unit
    label_axis(plot, side, label)


def _from_log10(value: float) -> float:
    """10**value, infinite past the float range.

    Right after a log box is ticked the view still holds the linear range (3600 s of a
    discharge) until it re-ranges, and 10**3600 raised OverflowError in the mouse handler.
    """
    return 10.0**value if value < 308.0 else math.inf


def _read(value: float, axis: pg.AxisItem) -> str:
    """A cursor coordinate as the axis' ticks read it: in its unit (mm, kN, °C), to 4
    significant figures (:func:`cellwright.projects.readable.number`), "3.712 V" and not
    "3.71234"; the unit named where the axis' label names one."""
    if not math.isfinite(value):  # a log view not yet re-ranged: 10**3600
        return "–"
    return f"{number(value * axis.scale)} {unit_of(axis.labelText)}".rstrip()


class PlotViewer(QtWidgets.QWidget):
    """Curves of a :class:`cellwright.projects.model.Result` (or any x/y arrays added with
    add_curve).

    Parameters
    ----------
    result
        The result whose series can be chosen; None for a plot of hand-added curves only.
    parent
        The Qt parent widget.
    x_axis
        The bottom axis item, for ticks of their own (a
        :class:`~cellwright.viewers.cycle_axis.CycleAxis`); pyqtgraph's by default.
    """

    def __init__(
        self,
        result: Result | None = None,
        parent: QtWidgets.QWidget | None = None,
        x_axis: pg.AxisItem | None = None,
    ):
        super().__init__(parent)
        self.result: Result | None = None
        self.curves: dict[str, pg.PlotDataItem] = {}
        #: what was subtracted from each drawn series (273.15 for a temperature drawn in °C);
        #: the CSV export adds it back, so exports keep the stored SI values
        self.offsets: dict[str, float] = {}
        self.x_combo = QtWidgets.QComboBox()
        self.y_list = QtWidgets.QListWidget()
        self.y_list.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.y_list.setMaximumWidth(260)
        self.y_list.setMinimumHeight(48)  # a short list scrolls; the plot keeps the height
        self.readout = QtWidgets.QLabel(" ")
        self.log_x = QtWidgets.QCheckBox("log x")
        self.log_y = QtWidgets.QCheckBox("log y")
        self.export_button = QtWidgets.QToolButton()
        self.export_button.setText("Export")
        self.export_button.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QtWidgets.QMenu(self.export_button)
        self.export_csv_action = menu.addAction("Shown series as CSV…")
        self.export_png_action = menu.addAction("Picture as PNG…")
        self.export_button.setMenu(menu)
        # given at construction: an axis swapped in later leaves the old one in the scene
        axes = {"bottom": x_axis} if x_axis is not None else None
        self.plot = pg.PlotWidget(background="w", axisItems=axes)
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.legend = self.plot.addLegend(offset=(-10, 10))
        self.plot.setClipToView(True)
        self.plot.setDownsampling(auto=True, mode="peak")
        self._vline = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#888"))
        self._hline = pg.InfiniteLine(angle=0, movable=False, pen=pg.mkPen("#888"))
        for line in (self._vline, self._hline):  # hidden until the mouse is over the plot
            line.hide()
            self.plot.addItem(line, ignoreBounds=True)
        # a second unit gets its own ViewBox and axis on the right, sharing x
        self._right = pg.ViewBox()
        self.plot.plotItem.scene().addItem(self._right)
        self.plot.plotItem.getAxis("right").linkToView(self._right)
        self._right.setXLink(self.plot.plotItem)
        self.plot.plotItem.vb.sigResized.connect(self._on_view_resized)
        self.legend_corner = (1, 0)  # (right, bottom): where _place_legend last anchored it
        # a zoom or pan moves the curves under the legend: place it again once the view rests
        # (a wheel zoom changes the range many times a second)
        self._legend_timer = QtCore.QTimer(self, singleShot=True, interval=150)
        self._legend_timer.timeout.connect(self._place_legend)
        self.plot.plotItem.vb.sigRangeChanged.connect(self._legend_timer.start)
        self._layout()
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.x_combo.currentTextChanged.connect(self._on_selection_changed)
        self.y_list.itemSelectionChanged.connect(self._on_selection_changed)
        self.log_x.toggled.connect(self._on_log_changed)
        self.log_y.toggled.connect(self._on_log_changed)
        self.export_csv_action.triggered.connect(self._on_export_csv_triggered)
        self.export_png_action.triggered.connect(self._on_export_png_triggered)
        if result is not None:
            self.set_result(result)

    def _layout(self) -> None:
        side = QtWidgets.QVBoxLayout()
        side.addWidget(QtWidgets.QLabel("x axis"))
        side.addWidget(self.x_combo)
        side.addWidget(QtWidgets.QLabel("y series"))
        side.addWidget(self.y_list, 1)
        # the series chooser only makes sense for a result; curves added by hand stand alone
        self.side_panel = QtWidgets.QWidget()
        self.side_panel.setLayout(side)
        self.side_panel.setVisible(False)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.readout, 1)
        row.addWidget(self.log_x)
        row.addWidget(self.log_y)
        row.addWidget(self.export_button)
        main = QtWidgets.QVBoxLayout()
        main.addWidget(self.plot, 1)
        main.addLayout(row)
        layout = QtWidgets.QHBoxLayout(self)
        layout.addWidget(self.side_panel)
        layout.addLayout(main, 1)

    # -- what is shown --------------------------------------------------------------------------
    def set_result(self, result: Result) -> None:
        """Show a result: time on x, voltage (or the last series) on y."""
        if not result.series:
            raise InputError("this result has no series to plot", where=result.name or result.id)
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
        for name in names:
            if name != TIME:
                # a pack region named as the report names it ("Cell 0 maximum temperature
                # [°C]", not "cell_0000 ... [K]": in the unit it is drawn in); the stored
                # name stays the item's data
                shown = celsius_shown(region_names(name), result.series[name])[0]
                item = QtWidgets.QListWidgetItem(shown, self.y_list)
                item.setData(_NAME, name)
        # voltage when there is one, else the engine's headline series (the first after time)
        others = [n for n in names if n != TIME] or names
        default = "Voltage [V]" if "Voltage [V]" in names else others[0]
        for item in self._series_items(default):
            item.setSelected(True)
        self.y_list.blockSignals(False)
        self._on_selection_changed()

    def select(self, x: str, ys: list[str]) -> None:
        """Choose the x series and the y series to show, as a person does in the side panel."""
        if self.result is None:
            raise InputError("this plot shows hand-added curves; there are no series to choose")
        unknown = [n for n in (x, *ys) if n not in self.result.series]
        if unknown:
            raise InputError(
                f"no series {', '.join(map(repr, unknown))}; series: {list(self.result.series)}",
                where=self.result.name or self.result.id,
            )
        self.x_combo.setCurrentText(x)
        self.y_list.blockSignals(True)
        self.y_list.clearSelection()
        for name in ys:
            for item in self._series_items(name):
                item.setSelected(True)
        self.y_list.blockSignals(False)
        self._on_selection_changed()

    def _series_items(self, name: str) -> list[QtWidgets.QListWidgetItem]:
        """The side panel's items of stored series ``name`` (shown under its readable name)."""
        items = (self.y_list.item(row) for row in range(self.y_list.count()))
        return [item for item in items if item.data(_NAME) == name]

    def add_curve(
        self,
        x: np.ndarray,
        y: np.ndarray,
        name: str,
        right: bool = False,
        points: bool = False,
        label: str | None = None,
    ) -> pg.PlotDataItem:
        """Add a curve from arrays (lab data, comparisons, probes).

        Parameters
        ----------
        x, y
            Equal-length 1-D arrays.
        name
            Legend entry; a curve of the same name is replaced.
        right
            Draw against the right axis (a second unit).
        points
            Draw markers without a line (measurements).
        label
            The legend's text where it differs from ``name`` (a series' readable name).
        """
        x, y = np.asarray(x, float).ravel(), np.asarray(y, float).ravel()
        if x.shape != y.shape:
            raise InputError(f"x has {x.size} values but y has {y.size}", where=f"curve {name!r}")
        if name in self.curves:
            self._remove(name)
        colour = _COLOURS[len(self.curves) % len(_COLOURS)]
        if points and right:
            # hollow squares: each axis fits its own data, so the extremes of two series that
            # fall together sit on the same spot, and a filled dot hid the point beneath
            style = {"pen": None, "symbol": "s", "symbolSize": 9, "symbolBrush": None,
                     "symbolPen": pg.mkPen(colour, width=2)}  # fmt: skip
        elif points:
            style = {"pen": None, "symbol": "o", "symbolSize": 6, "symbolBrush": colour}
        else:
            style = {"pen": pg.mkPen(colour, width=2)}
            if np.count_nonzero(np.isfinite(x) & np.isfinite(y)) == 1:
                # a line through one point draws nothing: a run of one cycle showed an empty
                # Cycles plot; its point is marked instead (not a curve of no finite point:
                # pyqtgraph's scatter warns on an all-NaN bound)
                style.update(symbol="o", symbolSize=7, symbolBrush=colour, symbolPen=colour)
        label = name if label is None else label
        item = pg.PlotDataItem(x, y, name=label, skipFiniteCheck=True, **style)
        if right:
            # a bare ViewBox does not pass on the plot's settings; give them to the item once
            # it is inside the box (clipping asks the item's view, which must be the box)
            self._right.addItem(item)
            item.setDownsampling(auto=True, method="peak")
            item.setClipToView(True)
            item.setLogMode(self.log_x.isChecked(), self.log_y.isChecked())
            self.legend.addItem(item, label)
        else:
            self.plot.addItem(item)
        self.curves[name] = item
        if right:
            # without its axis a right curve reads on the left scale: a run's coulombic
            # efficiency of 0.98 sat at "0 A.h" beside capacities of 470 µA.h
            self._show_right_axis(unit_of(name))
        self._place_legend()
        return item

    def _remove(self, name: str) -> None:
        item = self.curves.pop(name)
        if item.getViewBox() is self._right:
            self._right.removeItem(item)
            self.legend.removeItem(item)
        else:
            self.plot.removeItem(item)

    def clear_curves(self) -> None:
        """Remove every curve."""
        for name in list(self.curves):
            self._remove(name)
        self.legend.clear()
        self.plot.plotItem.hideAxis("right")

    @property
    def right_curves(self) -> list[str]:
        """Names of the curves drawn against the right axis."""
        return [n for n, item in self.curves.items() if item.getViewBox() is self._right]

    # -- handlers -------------------------------------------------------------------------------
    def _on_view_resized(self) -> None:
        self._right.setGeometry(self.plot.plotItem.vb.sceneBoundingRect())
        self._right.linkedViewChanged(self.plot.plotItem.vb, self._right.XAxis)
        self._legend_timer.start()  # shown again, or hidden, for the room the plot now has

    def _on_selection_changed(self, *_: object) -> None:
        if self.result is None:
            return
        self.clear_curves()
        x_name = self.x_combo.currentText()
        ys = [item.data(_NAME) for item in self.y_list.selectedItems()]
        if not x_name:
            return
        x = self._drawn(x_name)
        units = list(dict.fromkeys(unit_of(n) for n in ys))
        second = units[1] if len(units) == 2 else None
        for name in ys:
            # the legend names the series as the report's does: its unit is the axis's (a
            # swelling's "End-plate force [N]" sat beside an axis in kN), a region "Cell 0"
            self.add_curve(x, self._drawn(name), name, right=unit_of(name) == second,
                           label=series_label(name))  # fmt: skip
        self._label_axes()
        self._start_at_x_range(np.asarray(x, dtype=float))
        self.plot.plotItem.vb.enableAutoRange()  # a new choice of series is seen whole
        if second is not None:
            self._show_right_axis(second)
        self._place_legend()

    def _drawn(self, name: str) -> np.ndarray:
        """Series ``name`` as drawn: an absolute temperature in °C (the stored K less
        273.15; :attr:`offsets` keeps what was subtracted, for the CSV), else as stored."""
        values = np.asarray(self.result.series[name], dtype=float)
        offset = celsius_shown(name, values)[1]
        self.offsets[name] = offset
        return values - offset if offset else values

    def _label_axes(self) -> None:
        """The bottom and left axes' labels, in the unit the shown series read in."""
        item, x_name = self.plot.plotItem, self.x_combo.currentText()
        set_readable_axis(item, "bottom", x_name, self.result.series[x_name])
        left = [n for n in self.curves if n not in self.right_curves]
        shown = [celsius_shown(n, self.result.series[n])[0] if n in self.result.series else n
                 for n in left]  # fmt: skip
        left_units = " / ".join(u for u in dict.fromkeys(unit_of(n) for n in shown) if u)
        if len(left) == 1 and left[0] in self.result.series:
            set_readable_axis(item, "left", left[0], self.result.series[left[0]])
        else:
            item.getAxis("left").setScale(1.0)
            label_axis(item, "left", left_units, names_unit=bool(left_units))

    def _start_at_x_range(self, x: np.ndarray) -> None:
        """Put the view on ``x``'s range before it auto-ranges.

        pyqtgraph's auto-downsampling takes its step from the view's range: a crush's 0.3 mm
        travel (9 points over 3e-4 m) seen in the view's first [0, 1] was downsampled to no
        point at all, and auto-range then found nothing to fit; the plot stayed empty.
        """
        if self.log_x.isChecked():
            return
        finite = x[np.isfinite(x)]
        if finite.size > 1 and finite.max() > finite.min():
            self.plot.plotItem.vb.setXRange(float(finite.min()), float(finite.max()), padding=0)

    def _show_right_axis(self, unit: str) -> None:
        right = self.right_curves
        self.plot.plotItem.showAxis("right")
        axis = self.plot.plotItem.getAxis("right")
        axis.setWidth(70)
        axis.linkToView(self._right)
        axis.setLogMode(self.log_x.isChecked(), self.log_y.isChecked())
        if len(right) == 1:  # in the unit its values read in (mOhm, not "[Ohm] (x0.001)")
            stored = self.result.series if self.result is not None else {}
            # the stored values name the unit (a temperature drawn in °C is stored in K)
            values = stored.get(right[0], self.curves[right[0]].getOriginalDataset()[1])
            set_readable_axis(self.plot.plotItem, "right", right[0], values)
        else:
            if self.result is not None and any(self.offsets.get(n) for n in right):
                unit = "°C"  # the right curves are drawn in °C (:meth:`_drawn`)
            axis.setScale(1.0)
            label_axis(self.plot.plotItem, "right", unit, names_unit=bool(unit))
        self._on_view_resized()
        # y only: x follows the main view (autoRange here would fit x to what the right curves
        # show now, which is clipped to the main view's range, e.g. [0, 1] before first show)
        self._right.enableAutoRange(axis=pg.ViewBox.YAxis)

    def _on_log_changed(self, *_: object) -> None:
        log_x, log_y = self.log_x.isChecked(), self.log_y.isChecked()
        self.plot.setLogMode(x=log_x, y=log_y)
        right = [self.curves[n] for n in self.right_curves]
        for item in right:
            item.setLogMode(log_x, log_y)
        self.plot.plotItem.getAxis("right").setLogMode(log_x, log_y)
        if right:
            self._right.enableAutoRange(axis=pg.ViewBox.YAxis)
        if self.result is not None and self.x_combo.currentText():  # log: SI powers of ten
            self._label_axes()
        self._place_legend()

    def _place_legend(self) -> None:
        """Anchor the legend in the corner the curves leave emptiest (:func:`emptiest_corner`)."""
        view, box = self.plot.plotItem.vb.boundingRect(), self.legend.boundingRect()
        if view.width() <= 0 or view.height() <= 0:
            return
        # the legend's share of the view, with its 10 px offset from the corner
        size = ((box.width() + 10) / view.width(), (box.height() + 10) / view.height())
        # in a plot too small for it (a result's plot beside its 3D field is ~180 px wide) no
        # corner holds the legend clear of the curves: it hid most of them and was cut at the
        # edge. Hidden there; the axis labels name the series, and it returns when the plot is
        # given room
        self.legend.setVisible(max(size) <= _LEGEND_MOST)
        right = set(self.right_curves)
        curves = [(*item.getOriginalDataset(), name in right) for name, item in self.curves.items()]
        log = (self.log_x.isChecked(), self.log_y.isChecked())
        ranges = None
        if not all(self.plot.plotItem.vb.autoRangeEnabled()):  # zoomed or panned: what shows
            x_range, y_range = self.plot.plotItem.vb.viewRange()
            ranges = {False: (tuple(x_range), tuple(y_range)),
                      True: (tuple(x_range), tuple(self._right.viewRange()[1]))}  # fmt: skip
        right, bottom = emptiest_corner(curves, size, log, ranges)
        self.legend_corner = (right, bottom)
        self.legend.anchor((right, bottom), (right, bottom),
                           offset=(-10 if right else 10, -10 if bottom else 10))  # fmt: skip

    def _on_mouse_moved(self, pos: QtCore.QPointF) -> None:
        if not self.plot.sceneBoundingRect().contains(pos):
            return
        point = self.plot.plotItem.vb.mapSceneToView(pos)
        for line, value in ((self._vline, point.x()), (self._hline, point.y())):
            line.setPos(value)
            line.show()
        self.readout.setText(self._readout_text(pos, point))

    def _readout_text(self, pos: QtCore.QPointF, point: QtCore.QPointF) -> str:
        # in log mode the view holds log10 of the data; the readout shows data values
        log_x, log_y = self.log_x.isChecked(), self.log_y.isChecked()
        x = _from_log10(point.x()) if log_x else point.x()
        y = _from_log10(point.y()) if log_y else point.y()
        # in the unit the axes are labelled in (mm, kN: set_readable_axis), as the ticks read
        item = self.plot.plotItem
        text = (f"x = {_read(x, item.getAxis('bottom'))}    "
                f"y = {_read(y, item.getAxis('left'))}")  # fmt: skip
        if self.right_curves:
            y2 = self._right.mapSceneToView(pos).y()
            text += (
                f"    y (right) = {_read(_from_log10(y2) if log_y else y2, item.getAxis('right'))}"
            )
        return text

    # -- exports --------------------------------------------------------------------------------
    def _export_through_dialog(self, title: str, pattern: str, write) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, title, "", pattern)
        if not path:
            return
        try:
            written = write(path)
        except InputError as exc:
            self.readout.setText(f"not exported: {exc}")
        else:
            self.readout.setText(f"exported {written}")

    def _on_export_csv_triggered(self) -> None:
        self._export_through_dialog("Export series", "CSV (*.csv)", self.export_csv)

    def _on_export_png_triggered(self) -> None:
        self._export_through_dialog("Export picture", "PNG (*.png)", self.export_png)

    def export_csv(self, path: str | Path) -> Path:
        """The shown curves as CSV: one x column then each y when they share x, else x/y pairs."""
        if not self.curves:
            raise InputError("there are no curves to export", where=str(path))
        # in the stored units: a temperature drawn in °C is written in K, as its name says
        data = {}
        for name, item in self.curves.items():
            x, y = item.getOriginalDataset()
            x_offset = self.offsets.get(self.x_combo.currentText(), 0.0) if self.result else 0.0
            data[name] = (x + x_offset, y + self.offsets.get(name, 0.0))
        # curves added by hand (a run's cycles, dQ/dV, a comparison) have no series chooser:
        # their x is what the bottom axis says ("Cycle", "Voltage [V]"), not a bare "x"
        axis = self.plot.plotItem.getAxis("bottom").labelText
        x_name = self.x_combo.currentText() if self.result is not None else (axis or "x")
        return write_curves_csv(path, x_name, data)

    def export_png(self, path: str | Path) -> Path:
        """A picture of the plot as it is on screen (PNG)."""
        path = Path(path)
        if not self.plot.grab().save(str(path), "PNG"):
            raise InputError("the picture could not be written", where=str(path))
        return path

    def export_svg(self, path: str | Path) -> Path:
        """The plot as a vector drawing (SVG), for reports and papers.

        Drawn with Qt's own SVG generator (pyqtgraph's SVG exporter cannot parse the path data
        of current Qt versions).
        """
        from PySide6 import QtGui, QtSvg

        path = Path(path)
        size = self.plot.size()
        generator = QtSvg.QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(size)
        generator.setViewBox(QtCore.QRect(0, 0, size.width(), size.height()))
        generator.setTitle(self.result.name if self.result is not None else "Cellwright plot")
        painter = QtGui.QPainter()
        if not painter.begin(generator):
            raise InputError("the drawing could not be written", where=str(path))
        try:
            self.plot.render(painter)
        finally:
            painter.end()
        if not path.is_file() or path.stat().st_size == 0:
            raise InputError("the drawing could not be written", where=str(path))
        return path
