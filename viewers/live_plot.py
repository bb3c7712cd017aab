"""LivePlot: the headline curve of a study while it runs, from the partial results it sends.

An engine may attach a partial :class:`~cellwright.projects.model.Result` to its progress reports
(the crush engine sends its force–displacement curve every half second). The jobs dock shows the
headline series of the selected running job against its displacement, time or first series, so
a squeeze can be watched and cancelled when it goes wrong instead of after it ends.

An axis keeps its unit while the curve grows: a force that passed 100 N used to turn the
"Force [N]" axis into "Force [kN]" under the reader's eyes. The unit is chosen from the run's
expected reach when the study states one (its force or travel stop), so it is right from the
first point; without one it only ever changes upward, and the title says that it did.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from cellwright.projects.model import Result, unit_of
from cellwright.projects.readable import celsius_shown
from cellwright.viewers.plot_viewer import readable_axis, set_readable_axis
from cellwright.viewers.result_focus import result_focus

__all__ = ["LivePlot", "live_axes"]


def live_axes(result: Result) -> tuple[str, str] | None:
    """(x, y) series names to draw for ``result``, or None when it has nothing to draw."""
    focus = result_focus(result)
    if focus.series is None or focus.x is None:
        return None
    return focus.x, focus.series


class LivePlot(QtWidgets.QWidget):
    """One curve, redrawn from each new partial result; hidden while there is none."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QtWidgets.QLabel("")
        self.plot = pg.PlotWidget(background="w")
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.setMinimumHeight(150)  # a readable curve even in a short dock
        self.curve = self.plot.plot([], [], pen=pg.mkPen("#1f77b4", width=2), symbol="o",
                                    symbolSize=4)  # fmt: skip
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)
        # the result drawn, held: by id() alone, a new partial allocated where the last freed
        # one lay was taken for it and not drawn
        self._shown: Result | None = None
        self._run: tuple[str, str, str] | None = None  # (title, x, y) of the run drawn
        #: per axis side: the largest magnitude drawn in this run, and the label first shown
        self._reach: dict[str, float] = {}
        self._first_label: dict[str, str] = {}

    def show_partial(
        self, result: Result | None, title: str = "", expected: Mapping[str, float] | None = None
    ) -> bool:
        """Draw ``result``'s headline curve; returns False (and hides) when there is none.

        ``expected`` maps a unit (``"N"``, ``"m"``) to the magnitude the run is expected to
        reach (a study's force or travel stop): the axes take their unit from it.
        """
        axes = live_axes(result) if result is not None else None
        if axes is None:
            self.hide()
            self._shown = self._run = None
            return False
        if self._shown is result:
            return True
        x_name, y_name = axes
        if self._run != (title, x_name, y_name):  # a new run: its axes start afresh
            self._run, self._reach, self._first_label = (title, x_name, y_name), {}, {}
        x = np.asarray(result.series[x_name], dtype=float)
        y = np.asarray(result.series[y_name], dtype=float)
        n = min(x.size, y.size)
        # a temperature drawn in °C, as its axis is labelled (:func:`readable_axis`)
        x_shift, y_shift = celsius_shown(x_name, x)[1], celsius_shown(y_name, y)[1]
        self.curve.setData(x[:n] - x_shift, y[:n] - y_shift)
        changed = [
            self._label_axis(side, name, values, expected or {})
            for side, name, values in (("bottom", x_name, x[:n]), ("left", y_name, y[:n]))
        ]
        text = f"{title}: {y_name} while it runs ({n} points)" if title else y_name
        notes = [note for note in changed if note]
        self.title.setText(f"{text}; {', '.join(notes)}" if notes else text)
        self._shown = result
        self.show()
        return True

    def _label_axis(
        self, side: str, name: str, values: np.ndarray, expected: Mapping[str, float]
    ) -> str:
        """Label ``side`` in a unit that holds for the run; a note when it had to change."""
        finite = np.abs(values[np.isfinite(values)])
        seen = max(self._reach.get(side, 0.0), float(finite.max()) if finite.size else 0.0)
        self._reach[side] = seen
        stated = abs(expected.get(unit_of(name)) or 0.0)
        # a stated reach is labelled in the unit it reads in (a 100 kN stop in kN), while the
        # curve keeps within it; past it, or with none, the largest value seen so far decides
        basis = np.array([stated if stated > 0 and seen <= stated else seen])
        set_readable_axis(self.plot.plotItem, side, name, basis)
        label = readable_axis(name, basis)[0]
        first = self._first_label.setdefault(side, label)
        return "" if label == first else f"axis now in {unit_of(label)}"

    def points(self) -> tuple[np.ndarray, np.ndarray]:
        """The drawn curve (for tests)."""
        x, y = self.curve.getData()
        return (np.asarray(x if x is not None else []), np.asarray(y if y is not None else []))
