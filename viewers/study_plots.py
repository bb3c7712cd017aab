"""Many-dimensional views of a design study: parallel coordinates and a scatter matrix.

Both are fed plain numeric columns (name -> one value per finished point), so they know nothing
of studies. Parallel coordinates (Inselberg 1985) draw each point as one polyline across a
vertical axis per input and output, every axis scaled to its own min–max so all fit one plot;
the lines are coloured by a chosen output, which is how a designer sees which inputs lead to the
good end of it. The scatter matrix puts each chosen output over each input (outputs down, inputs
across), the grid in which one-at-a-time trends and interactions show at a glance; its rows and
columns are named with their units, as the Points table names its columns.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from cellwright.projects.model import unit_of
from cellwright.viewers.axis_labels import label_axis

__all__ = ["OutputPicker", "ParallelCoordinates", "ScatterMatrix", "short_name"]

#: colour bins of a parallel-coordinates plot: one curve item per bin keeps a thousand-point
#: study to 24 items instead of a thousand
_BINS = 24


def short_name(name: str) -> str:
    """``design.positive.coating_thickness`` -> ``positive.coating_thickness``; an output's name
    without its unit (axes are labelled with the unit elsewhere)."""
    if name.startswith(("spec.", "design.", "cell.")):
        return name.split(".", 1)[1]
    return name.split(" [")[0]


class OutputPicker(QtWidgets.QListWidget):
    """Which outputs a view shows: a short list of check boxes."""

    changed = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(280)
        self.itemChanged.connect(lambda _item: self.changed.emit())

    def set_names(self, names: Sequence[str], checked: Sequence[str]) -> None:
        """Offer ``names``; keep the user's ticks when the names are the same as before."""
        if [self.item(k).text() for k in range(self.count())] == list(names):
            return
        self.blockSignals(True)
        self.clear()
        for name in names:
            item = QtWidgets.QListWidgetItem(name)
            item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(QtCore.Qt.CheckState.Checked if name in checked
                               else QtCore.Qt.CheckState.Unchecked)  # fmt: skip
            self.addItem(item)
        self.blockSignals(False)

    def chosen(self) -> list[str]:
        """The ticked names, in list order."""
        return [self.item(k).text() for k in range(self.count())
                if self.item(k).checkState() == QtCore.Qt.CheckState.Checked]  # fmt: skip

    def choose(self, names: Sequence[str]) -> None:
        """Tick exactly ``names``."""
        self.blockSignals(True)
        for k in range(self.count()):
            item = self.item(k)
            item.setCheckState(QtCore.Qt.CheckState.Checked if item.text() in names
                               else QtCore.Qt.CheckState.Unchecked)  # fmt: skip
        self.blockSignals(False)
        self.changed.emit()


def _normalise(column: np.ndarray) -> tuple[np.ndarray, float, float]:
    finite = column[np.isfinite(column)]
    if finite.size == 0:
        return np.full_like(column, np.nan), np.nan, np.nan
    low, high = float(finite.min()), float(finite.max())
    if high == low:
        return np.where(np.isfinite(column), 0.5, np.nan), low, high
    return (column - low) / (high - low), low, high


class ParallelCoordinates(QtWidgets.QWidget):
    """One polyline per point across an axis per column, coloured by one column."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.colour_by = QtWidgets.QComboBox()
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")  # each axis is named under its own line
        self.colour_bar = QtWidgets.QLabel("")
        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel("Colour by"))
        top.addWidget(self.colour_by, 1)
        top.addWidget(self.colour_bar, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.plot, 1)
        self.colour_by.currentIndexChanged.connect(self._draw)
        self.names: list[str] = []
        self.normalised = np.empty((0, 0))
        self.ranges: list[tuple[float, float]] = []
        self._columns: dict[str, np.ndarray] = {}
        self.highlighted: int | None = None
        # the curves are made once and given new data on every redraw (a redraw that made new
        # items would leave Qt objects to Python's garbage collector, which may run on a worker
        # thread); the axes are remade only when the columns change
        cmap = pg.colormap.get("viridis")
        self._curves = [pg.PlotCurveItem(pen=pg.mkPen(cmap.map((b + 0.5) / _BINS), width=1.5))
                        for b in range(_BINS)]  # fmt: skip
        for curve in self._curves:
            self.plot.addItem(curve)
        self._highlight = pg.PlotCurveItem(pen=pg.mkPen("#d62728", width=3))
        self.plot.addItem(self._highlight)
        self._axis_items: list = []
        self._retired: list = []
        self._axis_names: list[str] = []

    def show_columns(self, columns: Mapping[str, np.ndarray], colour_names: Sequence[str],
                     colour: str | None = None) -> None:  # fmt: skip
        """Axes for ``columns`` (name -> values per point, in order); lines coloured by one of
        ``colour_names`` (``colour`` when given, else the current choice)."""
        self._columns = {k: np.asarray(v, dtype=float) for k, v in columns.items()}
        self.names = list(self._columns)
        current = colour or self.colour_by.currentText()
        self.colour_by.blockSignals(True)
        self.colour_by.clear()
        self.colour_by.addItems(list(colour_names))
        if current in colour_names:
            self.colour_by.setCurrentText(current)
        self.colour_by.blockSignals(False)
        self._draw()

    def highlight(self, row: int | None) -> None:
        """Draw point ``row``'s line on top in red (None: none)."""
        self.highlighted = row
        if row is None or row >= self.normalised.shape[0]:
            self._highlight.setData([], [])
            return
        self._highlight.setData(np.arange(len(self.names), dtype=float), self.normalised[row])

    def _draw(self) -> None:
        n = len(next(iter(self._columns.values()), []))
        k = len(self.names)
        self.normalised = np.empty((n, k))
        self.ranges = []
        for j, name in enumerate(self.names):
            self.normalised[:, j], low, high = _normalise(self._columns[name])
            self.ranges.append((low, high))
        self._axes()
        for curve in self._curves:
            curve.setData([], [])
        if n == 0 or k < 2:
            self.highlight(None)
            return
        colour = self._columns.get(self.colour_by.currentText())
        shade = _normalise(colour)[0] if colour is not None else np.full(n, 0.5)
        shade = np.nan_to_num(shade, nan=0.0)
        bins = np.minimum((shade * _BINS).astype(int), _BINS - 1)
        x = np.arange(k, dtype=float)
        for b in np.unique(bins):
            rows = self.normalised[bins == b]
            xs = np.tile(x, (rows.shape[0], 1)).ravel()
            connect = np.ones_like(rows, dtype=bool)
            connect[:, -1] = False  # no line from one point's last axis to the next's first
            self._curves[b].setData(xs, rows.ravel(), connect=connect.ravel())
        self.highlight(self.highlighted)
        if colour is not None:
            low, high = np.nanmin(colour), np.nanmax(colour)
            self.colour_bar.setText(f"purple {low:.4g} … yellow {high:.4g}")

    def _axes(self) -> None:
        """An upright line per column with its name under it and its range at its ends."""
        if self._axis_names != self.names:
            for item in self._axis_items:
                self.plot.removeItem(item)
                item.deleteLater()  # deleted by this thread's event loop, not by a collector
            self._retired = self._axis_items  # held until then
            self._axis_items = []
            for j, name in enumerate(self.names):
                line = pg.PlotCurveItem([j, j], [0.0, 1.0], pen=pg.mkPen("#555555"))
                label = pg.TextItem(html=_label_html(name), anchor=(0.5, 0.0))
                label.setPos(j, -0.07)
                high = pg.TextItem("", color="#333333", anchor=(0.5, 1.0))
                high.setPos(j, 1.0)
                low = pg.TextItem("", color="#333333", anchor=(0.5, 0.0))
                low.setPos(j, 0.0)
                for item in (line, label, high, low):
                    self.plot.addItem(item)
                self._axis_items += [line, label, high, low]
            self._axis_names = list(self.names)
        for j, (low, high) in enumerate(self.ranges):
            self._axis_items[4 * j + 2].setText(f"{high:.4g}")
            self._axis_items[4 * j + 3].setText(f"{low:.4g}")
        self.plot.setXRange(-0.3, max(len(self.names) - 0.7, 0.3), padding=0)
        self.plot.setYRange(-0.3, 1.08, padding=0)


def _label_html(name: str) -> str:
    """An axis name on two lines (``positive.`` / ``coating_thickness``; name / [unit]), so
    neighbouring axes' names do not run into each other."""
    if name.startswith(("spec.", "design.", "cell.")):
        parts = name.split(".")
        text = ".".join(parts[1:-1]) + ".<br>" + parts[-1] if len(parts) > 2 else parts[-1]
    else:  # an output: its words wrapped, the unit on a line of its own
        base, _, unit = name.partition(" [")
        text = "<br>".join(textwrap.wrap(base, 16)) + (f"<br>[{unit}" if unit else "")
    return f'<div style="text-align:center; color:#222222">{text}</div>'


#: characters of a scatter-matrix row label on one line: a longer one runs into the next row
_ROW_CHARS = 24


def _row_label(name: str) -> str:
    """A row of the scatter matrix: the output with its unit, wrapped over lines
    (``Discharge cost per<br>energy<br>[USD.kWh-1]``) where it would not fit beside its row."""
    if len(name) <= _ROW_CHARS:
        return name
    base, _, unit = name.partition(" [")
    lines = textwrap.wrap(base, _ROW_CHARS - 4) + ([f"[{unit}"] if unit else [])
    return "<br>".join(lines)


class ScatterMatrix(pg.GraphicsLayoutWidget):
    """Each of several outputs (rows) over each input (columns), one small plot per pair.

    The grid is remade only when the outputs or inputs change; new points only get new data
    (see :class:`ParallelCoordinates` for why)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setBackground("w")
        self.cells: dict[tuple[str, str], pg.PlotItem] = {}
        self._items: dict[tuple[str, str], tuple[pg.ScatterPlotItem, pg.ScatterPlotItem]] = {}
        self._retired: list = []

    def show_columns(self, inputs: Mapping[str, np.ndarray], outputs: Mapping[str, np.ndarray],
                     highlighted: int | None = None) -> None:  # fmt: skip
        """Plot every output in ``outputs`` over every input in ``inputs`` (values per point);
        point ``highlighted`` is drawn in red."""
        keys = [(o, i) for o in outputs for i in inputs]
        if keys != list(self.cells):
            self._build(list(inputs), list(outputs))
        for (out_name, in_name), (points, marked) in self._items.items():
            x = np.asarray(inputs[in_name], dtype=float)
            y = np.asarray(outputs[out_name], dtype=float)
            keep = np.isfinite(x) & np.isfinite(y)
            points.setData(x[keep], y[keep])
            if highlighted is not None and highlighted < keep.size and keep[highlighted]:
                marked.setData([x[highlighted]], [y[highlighted]])
            else:
                marked.setData([], [])

    def _build(self, inputs: list[str], outputs: list[str]) -> None:
        self._retired = list(self.cells.values())  # deleted by the event loop, not a collector
        for cell in self._retired:
            cell.deleteLater()
        self.clear()
        self.cells, self._items = {}, {}
        for r, out_name in enumerate(outputs):
            for c, in_name in enumerate(inputs):
                cell = self.addPlot(row=r, col=c)
                cell.showGrid(x=True, y=True, alpha=0.2)
                points = pg.ScatterPlotItem(size=6, pen=pg.mkPen("#1f4e79"), brush="#4a90d9")
                marked = pg.ScatterPlotItem(size=10, brush="#d62728")
                cell.addItem(points)
                cell.addItem(marked)
                if c == 0:  # the output with its unit, as the Points table heads its column
                    label_axis(cell, "left", _row_label(out_name), bool(unit_of(out_name)))
                if r == len(outputs) - 1:
                    label_axis(cell, "bottom", short_name(in_name))
                self.cells[(out_name, in_name)] = cell
                self._items[(out_name, in_name)] = (points, marked)

    def plotted(self, output: str, over: str) -> tuple[np.ndarray, np.ndarray]:
        """The points of one cell of the matrix (x, y)."""
        x, y = self._items[(output, over)][0].getData()
        return np.asarray(x), np.asarray(y)
