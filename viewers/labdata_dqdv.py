"""DqdvPage: dQ/dV of the cycles a person ticks, drawn over each other.

Differentiating a long cycle takes tens of milliseconds, and a person ticks many: the window
gives the page a ``run_task`` that computes off the UI thread (a task in its jobs dock, with
progress and Cancel). Without one (a viewer on its own, a test) the page computes inline.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
from PySide6 import QtCore, QtWidgets

from cellwright.viewers.axis_labels import label_axis
from cellwright.viewers.plot_viewer import PlotViewer

__all__ = ["DqdvPage", "RunTask", "dqdv_curves"]

#: ``run_task(title, work, on_done)``: run ``work(report, is_cancelled)`` in the background and
#: call ``on_done(result, error)`` on the UI thread when it ends (result None when cancelled or
#: failed, with the error's text when it failed)
RunTask = Callable[[str, Callable, Callable[[object, str], None]], object]


def dqdv_curves(
    table, cycles: list[float], direction: str, report, is_cancelled
) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], list[str]]:
    """dQ/dV of each of ``cycles`` on its ``direction`` half (Qt-free: the worker's).

    Returns the curves by legend name and, for the cycles without that half, why; the curves
    done so far when cancelled.
    """
    from cellwright.projects.labdata import LabDataError, dqdv

    curves, missing = {}, []
    for n, cycle in enumerate(cycles):
        if is_cancelled():
            break
        report(n / len(cycles), f"dQ/dV of cycle {cycle:g}")
        try:
            v, dq = dqdv(table, cycle, direction=direction)
        except LabDataError as exc:  # a cycle without that half (e.g. a formation step)
            missing.append(f"cycle {cycle:g}: {exc}")
            continue
        curves[f"cycle {cycle:g}"] = (np.asarray(v), np.asarray(dq))
    return curves, missing


class DqdvPage(QtWidgets.QWidget):
    """The run's cycles to tick, the half to differentiate, and the dQ/dV plot.

    Parameters
    ----------
    table
        The run (a :class:`cellwright.projects.labdata.CyclerTable`).
    cycles
        The run's cycle numbers.
    run_task
        How to compute off the UI thread (:data:`RunTask`); None computes inline.
    capacity_unit
        The unit the run's capacities read in and the factor from A.h to it
        (:func:`~cellwright.viewers.labdata_viewer.capacity_unit`): dQ/dV reads in it per volt.
    """

    def __init__(
        self,
        table,
        cycles,
        run_task: RunTask | None = None,
        parent=None,
        capacity_unit: tuple[str, float] = ("A.h", 1.0),
    ) -> None:
        super().__init__(parent)
        self.table, self.run_task, self.task = table, run_task, None
        self._request = 0  # the latest choice; a result computed for an older one is dropped
        self.cycle_list = QtWidgets.QListWidget()
        self.cycle_list.setMaximumWidth(160)
        for c in cycles:
            item = QtWidgets.QListWidgetItem(f"cycle {c:g}")
            item.setData(QtCore.Qt.ItemDataRole.UserRole, float(c))
            item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(QtCore.Qt.CheckState.Unchecked)
            self.cycle_list.addItem(item)
        self.direction = QtWidgets.QComboBox()
        self.direction.addItems(["discharge", "charge"])
        self.plot = PlotViewer()
        self._label_axes(*capacity_unit)
        # a ticked cycle without the chosen half left the plot empty with no word why
        self.note = QtWidgets.QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        side = QtWidgets.QVBoxLayout()
        side.addWidget(self.direction)
        side.addWidget(self.cycle_list, 1)
        plot_side = QtWidgets.QVBoxLayout()
        plot_side.addWidget(self.plot, 1)
        plot_side.addWidget(self.note)
        layout = QtWidgets.QHBoxLayout(self)
        layout.addLayout(side)
        layout.addLayout(plot_side, 1)
        self.cycle_list.itemChanged.connect(self._on_cycles_changed)
        self.direction.currentTextChanged.connect(self._on_cycles_changed)

    def tick_cycles(self, *cycles: float) -> None:
        """Tick cycles for the dQ/dV overlay."""
        for i in range(self.cycle_list.count()):
            item = self.cycle_list.item(i)
            if item.data(QtCore.Qt.ItemDataRole.UserRole) in cycles:
                item.setCheckState(QtCore.Qt.CheckState.Checked)

    def ticked(self) -> list[float]:
        """The ticked cycles."""
        items = [self.cycle_list.item(i) for i in range(self.cycle_list.count())]
        return [
            item.data(QtCore.Qt.ItemDataRole.UserRole)
            for item in items
            if item.checkState() == QtCore.Qt.CheckState.Checked
        ]

    def _on_cycles_changed(self, *_: object) -> None:
        self._request += 1
        direction, cycles = self.direction.currentText(), self.ticked()
        work = partial(dqdv_curves, self.table, cycles, direction)
        done = partial(self._on_dqdv_done, self._request, direction)
        if self.task is not None:  # the choice it computes for is gone
            self.task.cancel()
            self.task = None
        if self.run_task is None or not cycles:
            done(work(lambda *_: None, lambda: False), "")
            return
        self.plot.clear_curves()
        self.note.setText(f"computing the {direction} dQ/dV of {len(cycles)} cycles…")
        self.note.show()
        self.task = self.run_task(f"dQ/dV: {len(cycles)} cycles", work, done)

    def _on_dqdv_done(self, request: int, direction: str, result, error: str) -> None:
        if request != self._request:
            return
        self.task = None
        self.plot.clear_curves()
        if result is None:
            self.note.setText(f"dQ/dV not computed: {error}" if error else "dQ/dV cancelled")
            self.note.show()
            return
        curves, missing = result
        for name, (v, dq) in curves.items():
            self.plot.add_curve(v, dq, name)
        self.note.setText(f"No {direction} dQ/dV for " + "; ".join(missing))
        self.note.setVisible(bool(missing))

    def _label_axes(self, unit: str, factor: float) -> None:
        """dQ/dV in the run's capacity ``unit`` per volt, as its other pages read capacity.

        The data stay in A.h/V; only the ticks are scaled. A coin cell's 0.002 A.h/V read
        "dQ/dV [A.h/V] (x0.001)": pyqtgraph's own prefix is off where the unit is named here.
        """
        label_axis(self.plot.plot, "bottom", "Voltage [V]")
        self.plot.plot.plotItem.getAxis("left").setScale(factor)
        label_axis(self.plot.plot, "left", f"dQ/dV [{unit}/V]")
