"""A design study's points: the results table with one output over one input, parallel
coordinates, a scatter matrix, the Pareto front of two objectives, the sensitivity bars and
what-if sliders on the study's surrogate.

Fed plain rows (no study model), so it shows a study while it runs: call :meth:`show_points`
again as points finish. Failed points are listed with their error and left out of the plots;
each point is a marker, so a Latin hypercube's spread over the input is visible at a glance. A
point selected in the table or on the Pareto front is drawn in red on every plot.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from cellwright.projects.model import unit_of
from cellwright.projects.readable import range_unit
from cellwright.viewers.axis_labels import label_axis
from cellwright.viewers.result_units import output_shown, shown_length, with_unit
from cellwright.viewers.study_front import ParetoView, SensitivityView
from cellwright.viewers.study_plots import OutputPicker, ParallelCoordinates, ScatterMatrix
from cellwright.viewers.study_whatif import WhatIfView
from cellwright.viewers.table_viewer import TableViewer

__all__ = ["StudyView"]

#: outputs ticked in the many-dimensional plots when the study names no objective or constraint
_DEFAULT_OUTPUTS = 3
_PARALLEL, _MATRIX, _FRONT = 1, 2, 3  # pages of the tabs


class StudyView(QtWidgets.QWidget):
    """A study's points as a table and plots, one tab each."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QtWidgets.QLabel("")
        self.table = TableViewer()
        self.x_choice, self.y_choice = QtWidgets.QComboBox(), QtWidgets.QComboBox()
        self.plot = pg.PlotWidget(background="w")
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.scatter = pg.ScatterPlotItem(size=9, pen=pg.mkPen("#1f4e79"), brush="#4a90d9")
        self.plot.addItem(self.scatter)
        self.parallel, self.matrix = ParallelCoordinates(), ScatterMatrix()
        self.pareto, self.sensitivity = ParetoView(), SensitivityView()
        self.whatif = WhatIfView()
        self.parallel_outputs, self.matrix_outputs = OutputPicker(), OutputPicker()
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.addTab(self._points_page(), "Points")
        self.tabs.addTab(_with_picker(self.parallel, self.parallel_outputs), "Parallel coordinates")
        self.tabs.addTab(_with_picker(self.matrix, self.matrix_outputs), "Scatter matrix")
        self.tabs.addTab(self.pareto, "Pareto front")
        self.tabs.addTab(self.sensitivity, "Sensitivity")
        self.tabs.addTab(self.whatif, "What if")
        self.tabs.setTabVisible(_FRONT, False)  # until the study has two objectives
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        self.key_outputs: list[str] = []
        #: a mechanical study's outputs show lengths in mm (see result_units): the view's
        #: names and numbers are the shown ones; a caller may name an output either way
        self.lengths_in_mm = False
        self.selected_row: int | None = None
        self._inputs: list[str] = []
        #: an input's path -> (its header as shown, factor from its stored value): the one
        #: place every page (table, sliders, bars, point texts) takes an input's name from
        self._shown_inputs: dict[str, tuple[str, float]] = {}
        #: an output's stored name -> (its header as shown, factor, offset): a cell's volume in
        #: cm^3, a peak temperature in °C, a crush's travel in mm (:func:`output_shown`, the
        #: report's rule). Set from the points by :meth:`show_points`
        self._shown_outputs: dict[str, tuple[str, float, float]] = {}
        self._indices: Mapping[str, Mapping] = {}  # as given: shown again when inputs are named
        self._surrogate: tuple | None = None  # likewise
        self._outputs: list[str] = []
        self._columns: dict[str, np.ndarray] = {}
        self._done_rows = np.zeros(0, dtype=int)
        self._stale: set[int] = set()  # pages to redraw when shown (a running study's points
        # arrive on the UI thread: only the page in view is drawn for each)
        self.tabs.currentChanged.connect(lambda _index: self._draw_shown())
        self.parallel_outputs.changed.connect(self._draw_parallel)
        self.matrix_outputs.changed.connect(self._draw_matrix)
        self.pareto.point_selected.connect(self.select_row)
        self.table.table.clicked.connect(lambda index: self.select_row(index.row()))

    def _points_page(self) -> QtWidgets.QWidget:
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
        return split

    def show_points(
        self,
        inputs: Sequence[str],
        outputs: Sequence[str],
        points: Sequence[Mapping],
        input_headers: Sequence[str] | None = None,
    ) -> None:
        """Show ``points`` (dicts with index, status, values, outputs, error; outputs by their
        stored names, shown as :meth:`shown` says).

        ``input_headers`` are the inputs' column names with their units, as the study's CSV
        writes them (``design.positive.coating_thickness [m]``); a length among them is shown
        as the outputs' lengths are (in mm for a mechanical study, its values scaled alike).
        Without them the inputs are shown by their paths.
        """
        headers = list(input_headers) if input_headers is not None else list(inputs)
        shown_inputs = {
            path: self._shown_input_header(header, [p["values"].get(path) for p in points])
            for path, header in zip(inputs, headers, strict=True)
        }
        shown_outputs = {
            name: self._shown_output(name, [p["outputs"].get(name) for p in points])
            for name in outputs
        }
        renamed = shown_inputs != self._shown_inputs or shown_outputs != self._shown_outputs
        self._shown_inputs, self._shown_outputs = shown_inputs, shown_outputs
        points = [
            {**p, "outputs": self.as_shown(p["outputs"]),
             "values": {label: _scaled(p["values"].get(path, ""), factor)
                        for path, (label, factor) in shown_inputs.items()}}
            for p in points
        ]  # fmt: skip
        inputs = [label for label, _ in shown_inputs.values()]
        outputs = [self.shown(n)[0] for n in outputs]
        header = ["Point", "Status", *inputs, *outputs, "Error"]
        rows = [
            [p["index"], p["status"], *(p["values"].get(n, "") for n in inputs),
             *(p["outputs"].get(n, float("nan")) for n in outputs), p.get("error", "")]
            for p in points
        ]  # fmt: skip
        self.table.set_rows(header, rows)
        done = [p for p in points if p["status"] == "done"]
        self._done_rows = np.array([k for k, p in enumerate(points) if p["status"] == "done"],
                                   dtype=int)  # fmt: skip
        failed = sum(p["status"] == "failed" for p in points)
        self.summary.setText(f"{len(done)} of {len(points)} points done, {failed} failed")
        self._inputs, self._outputs = list(inputs), list(outputs)
        self._columns = {n: _numbers([p["values"].get(n) for p in done]) for n in inputs}
        self._columns.update({n: _numbers([p["outputs"].get(n) for p in done]) for n in outputs})
        self._refill(self.x_choice, list(inputs))
        self._refill(self.y_choice, list(outputs))
        key = [self.shown(n)[0] for n in self.key_outputs]
        chosen = [n for n in key if n in outputs] or list(outputs[:_DEFAULT_OUTPUTS])
        self.parallel_outputs.set_names(list(outputs), chosen)
        self.matrix_outputs.set_names(list(outputs), chosen)
        self._draw()
        self._stale = {_PARALLEL, _MATRIX}
        self._draw_shown()
        if renamed:  # bars or sliders given before the inputs' headers were known
            if self._indices:
                self.show_sensitivity(self._indices)
            if self._surrogate is not None:
                self.set_surrogate(*self._surrogate)

    def _draw_shown(self) -> None:
        page = self.tabs.currentIndex()
        if page in self._stale:
            self._stale.discard(page)
            (self._draw_parallel if page == _PARALLEL else self._draw_matrix)()

    def _shown_output(self, name: str, values: Sequence[Any]) -> tuple[str, float, float]:
        """(header, factor, offset) of output ``name`` over the points' ``values``
        (:func:`output_shown`: mm, cm^3, g, °C), as the report lists it."""
        return output_shown(name, values, self.lengths_in_mm)

    def shown(self, name: str) -> tuple[str, float]:
        """(name as shown, factor from the stored value) of output ``name``; a spread or
        error scales by the factor alone (see :meth:`offset`)."""
        found = self._shown_outputs.get(name)
        return found[:2] if found is not None else shown_length(name, self.lengths_in_mm)

    def offset(self, name: str) -> float:
        """What is subtracted from output ``name``'s scaled value: 273.15 for a temperature
        shown in °C, else 0."""
        found = self._shown_outputs.get(name)
        return found[2] if found is not None else 0.0

    def as_shown(self, values: Mapping[str, Any], spread: bool = False) -> dict[str, Any]:
        """``values`` by output name as stored -> by name as shown, scaled (a temperature in
        °C); ``spread``: they are differences (a standard deviation), scaled only."""
        shown = {}
        for name, value in values.items():
            label, factor = self.shown(name)
            value = _scaled(value, factor)
            offset = 0.0 if spread else self.offset(name)
            shown[label] = _scaled(value, 1.0, offset)
        return shown

    @staticmethod
    def _shown_input_header(header: str, values: Sequence[Any]) -> tuple[str, float]:
        """(header as shown, factor) of an input column: a length in the unit its points span
        (``[µm]`` for a coating thickness, ``[mm]`` for a cell spacing; :func:`range_unit`), as
        the report writes the study's ranges; any other unit as stored."""
        if unit_of(header) != "m":
            return header, 1.0
        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        unit, factor = range_unit("m", numbers)
        return with_unit(header, unit), factor

    def shown_input(self, path: str) -> tuple[str, float]:
        """(header as shown, factor from the stored value) of the input at ``path``, as the
        Points table shows it (the path itself before :meth:`show_points` named it)."""
        return self._shown_inputs.get(path, (path, 1.0))

    def inputs_as_shown(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` by input path -> by header as shown, lengths scaled."""
        shown = {}
        for path, value in values.items():
            label, factor = self.shown_input(path)
            shown[label] = _scaled(value, factor)
        return shown

    def select(self, output: str, over: str) -> None:
        """Plot ``output`` (stored or shown name) over the input ``over`` (its path or its
        header as shown)."""
        self.y_choice.setCurrentText(self.shown(output)[0])
        self.x_choice.setCurrentText(self.shown_input(over)[0])

    def show_sensitivity(self, indices: Mapping[str, Mapping]) -> None:
        """The Sensitivity tab's indices per output (stored names, the inputs by path; shown
        by their headers as the table names them, a length's RMSE scaled)."""
        self._indices = indices
        shown = {}
        for name, found in indices.items():
            label, factor = self.shown(name)
            names = [self.shown_input(path)[0] for path in found.get("names", [])]
            shown[label] = {**found, "names": names, "rmse": _scaled(found.get("rmse"), factor)}
        self.sensitivity.show_indices(shown)

    def set_surrogate(self, inputs: Sequence[tuple[str, float, float]], predict,
                      note: str) -> None:  # fmt: skip
        """The What-if tab's surrogate over ``inputs`` (path, low, high in SI); ``predict``
        takes SI values and answers by stored names in SI. The sliders are named and move in
        the units of the table's columns."""
        self._surrogate = (inputs, predict, note)
        shown = [self.shown_input(path) for path, _low, _high in inputs]
        factors = np.array([factor for _label, factor in shown], dtype=float)
        ranges = [
            (label, low * factor, high * factor)
            for (label, factor), (_path, low, high) in zip(shown, inputs, strict=True)
        ]

        def in_shown_units(values):
            means, deviations, outside = predict(np.asarray(values, dtype=float) / factors)
            return self.as_shown(means), self.as_shown(deviations, spread=True), outside

        self.whatif.set_surrogate(ranges, in_shown_units, note)

    def select_row(self, row: int | None) -> None:
        """Select point ``row`` of the table and draw it in red on the plots."""
        if row == self.selected_row:
            return
        self.selected_row = row
        if row is not None:
            self.table.table.selectRow(row)
        if _PARALLEL not in self._stale:
            self.parallel.highlight(self._done_index(row))
        self._stale.add(_MATRIX)
        self._draw_shown()
        if row is not None and self.tabs.isTabVisible(_FRONT):
            self.pareto.select(row)

    def plotted(self) -> tuple[np.ndarray, np.ndarray]:
        """The points in the scatter (x, y)."""
        x, y = self.scatter.getData()
        return np.asarray(x), np.asarray(y)

    def _done_index(self, row: int | None) -> int | None:
        if row is None:
            return None
        found = np.flatnonzero(self._done_rows == row)
        return int(found[0]) if found.size else None

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
        label_axis(self.plot, "bottom", self.x_choice.currentText())
        label_axis(self.plot, "left", self.y_choice.currentText())

    def _draw_parallel(self) -> None:
        chosen = self.parallel_outputs.chosen()
        columns = {n: self._columns[n] for n in [*self._inputs, *chosen] if n in self._columns}
        self.parallel.show_columns(columns, chosen)
        self.parallel.highlight(self._done_index(self.selected_row))

    def _draw_matrix(self) -> None:
        inputs = {n: self._columns[n] for n in self._inputs if n in self._columns}
        outputs = {n: self._columns[n] for n in self.matrix_outputs.chosen() if n in self._columns}
        self.matrix.show_columns(inputs, outputs, self._done_index(self.selected_row))

    def show_front(
        self,
        names: tuple[str, str],
        front: Sequence[int],
        feasible: Sequence[int],
        texts: Sequence[str],
        values: Sequence[tuple[float, float]],
    ) -> None:
        """Show the Pareto-front tab (rows are table rows; ``values`` the two objectives of
        every row, NaN where a point is not done)."""
        xy = np.asarray(values, dtype=float).reshape(len(values), 2)
        (x_name, x_factor), (y_name, y_factor) = self.shown(names[0]), self.shown(names[1])
        x = x_factor * xy[:, 0] - self.offset(names[0])
        y = y_factor * xy[:, 1] - self.offset(names[1])
        self.tabs.setTabVisible(_FRONT, True)
        self.pareto.show_front((x_name, y_name), x, y, front, feasible, texts)


def _with_picker(view: QtWidgets.QWidget, picker: OutputPicker) -> QtWidgets.QWidget:
    side = QtWidgets.QWidget()
    column = QtWidgets.QVBoxLayout(side)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(QtWidgets.QLabel("Outputs shown"))
    column.addWidget(picker, 1)
    split = QtWidgets.QSplitter()
    split.addWidget(view)
    split.addWidget(side)
    split.setSizes([800, 300])
    return split


def _scaled(value, factor: float, offset: float = 0.0):
    """``value`` times ``factor`` less ``offset`` when it is a number (a failed point's output
    may be None)."""
    if (factor == 1.0 and not offset) or isinstance(value, bool):
        return value
    if not isinstance(value, int | float):
        return value
    return value * factor - offset


def _numbers(values: list) -> np.ndarray:
    out = np.full(len(values), np.nan)
    for k, value in enumerate(values):
        with contextlib.suppress(TypeError, ValueError):  # a choice ("DFN") has no number
            out[k] = float(value)
    return out
