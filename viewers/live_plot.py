"""LivePlot: the headline curve of a study while it runs, from the partial results it sends.

An engine may attach a partial :class:`~cellwright.projects.model.Result` to its progress reports
(the crush engine sends its force–displacement curve every half second). The jobs dock shows the
headline series of the selected running job against its displacement, time or first series, so
a squeeze can be watched and cancelled when it goes wrong instead of after it ends.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from cellwright.projects.model import Result
from cellwright.viewers.plot_viewer import set_readable_axis
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

    def show_partial(self, result: Result | None, title: str = "") -> bool:
        """Draw ``result``'s headline curve; returns False (and hides) when there is none."""
        axes = live_axes(result) if result is not None else None
        if axes is None:
            self.hide()
            self._shown = None
            return False
        if self._shown is result:
            return True
        x_name, y_name = axes
        x = np.asarray(result.series[x_name], dtype=float)
        y = np.asarray(result.series[y_name], dtype=float)
        n = min(x.size, y.size)
        self.curve.setData(x[:n], y[:n])
        set_readable_axis(self.plot.plotItem, "bottom", x_name, x[:n])
        set_readable_axis(self.plot.plotItem, "left", y_name, y[:n])
        self.title.setText(f"{title}: {y_name} while it runs ({n} points)" if title else y_name)
        self._shown = result
        self.show()
        return True

    def points(self) -> tuple[np.ndarray, np.ndarray]:
        """The drawn curve (for tests)."""
        x, y = self.curve.getData()
        return (np.asarray(x if x is not None else []), np.asarray(y if y is not None else []))
