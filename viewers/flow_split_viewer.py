"""How the coolant shares out and what it does along the way: flow split bars of the parallel
channels, and pressure and coolant temperature along the flow path.

Takes the tables ``cfd.network`` returns (``channels``: one row per parallel channel;
``along flow path``: pressure and temperature at every segment boundary against the distance
from the inlet, with the branch they belong to) or their ``coolant …`` copies in a cooled
thermal result. A serpentine plate has no channels to split between: its bars are hidden.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

__all__ = ["FlowSplitViewer", "cooling_tables"]

_BAR = (60, 120, 200)
_PRESSURE = (200, 80, 40)
_TEMPERATURE = (40, 140, 90)


def cooling_tables(tables: dict) -> tuple[dict | None, dict | None]:
    """(channels, along flow path) of a network result or of a network-cooled thermal one."""
    channels = tables.get("channels") or tables.get("coolant channels")
    along = tables.get("along flow path") or tables.get("coolant along flow path")
    return channels, along


class FlowSplitViewer(QtWidgets.QWidget):
    """Flow share per parallel channel (bars, even split dashed) and pressure and coolant
    temperature along the flow path (one curve piece per branch)."""

    def __init__(
        self,
        channels: dict | None = None,
        along: dict | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground("w")
        self.split = self.graphics.addPlot(row=0, col=0, rowspan=2, title="Flow split")
        self.split.setLabel("bottom", "Channel")
        self.split.setLabel("left", "Share of the flow", units="%")
        self.pressure = self.graphics.addPlot(row=0, col=1, title="Along the flow path")
        self.pressure.setLabel("left", "Pressure", units="Pa")  # pyqtgraph picks kPa, MPa
        self.temperature = self.graphics.addPlot(row=1, col=1)
        self.temperature.setLabel("left", "Coolant", units="°C")
        # short enough for the Cooling dock's half width ("Distance from the inlet (mm)" was
        # cut to "Distance from the inlet ("); pyqtgraph scales the metres to mm or cm
        self.temperature.setLabel("bottom", "From the inlet", units="m")
        self.temperature.setXLink(self.pressure)
        # the shared distance is read below: the upper plot's own ticks were in metres (0.1 -
        # 0.3) beside the lower one's millimetres (100 - 300)
        self.pressure.getAxis("bottom").setStyle(showValues=False)
        self.bars: pg.BarGraphItem | None = None
        self.shares = np.zeros(0)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphics)
        self.set_tables(channels, along)

    def set_tables(self, channels: dict | None, along: dict | None) -> None:
        """Show new tables (None: nothing of that kind)."""
        self.split.clear()
        self.bars = None
        has_split = channels is not None and len(channels.get("Channel", [])) > 1
        self.split.setVisible(has_split)
        if has_split:
            self.shares = 100.0 * np.asarray(channels["Flow share [-]"], float)
            numbers = np.asarray(channels["Channel"], float)
            self.bars = pg.BarGraphItem(
                x=numbers, height=self.shares, width=0.7, brush=pg.mkBrush(*_BAR)
            )
            self.split.addItem(self.bars)
            ticks = [(n, f"{n:g}") for n in numbers]
            self.split.getAxis("bottom").setTicks([ticks])
            even = 100.0 / numbers.size
            self.split.addLine(y=even, pen=pg.mkPen((90, 90, 90), style=pg.QtCore.Qt.DashLine))
        else:
            self.shares = np.zeros(0)
        self._profiles(along)

    def _profiles(self, along: dict | None) -> None:
        self.pressure.clear()
        self.temperature.clear()
        if along is None:
            return
        x, pressure, temperature = _pieces(along)
        # one curve per plot, its branches separated by gaps: a handful of graphics items
        # however many branches the network has
        self.pressure.plot(x, pressure, pen=pg.mkPen(*_PRESSURE, width=2), connect="finite")
        self.temperature.plot(
            x, temperature - 273.15, pen=pg.mkPen(*_TEMPERATURE, width=2), connect="finite"
        )


def _pieces(along: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distance, pressure and temperature of every branch in flow order, NaN between them."""
    branch = np.asarray(along["Branch"])
    columns = [
        np.asarray(along[k], float)
        for k in ("Distance from inlet [m]", "Pressure [Pa]", "Coolant temperature [K]")
    ]
    parts: list[list[np.ndarray]] = [[], [], []]
    for k in np.unique(branch):
        piece = branch == k
        order = np.argsort(columns[0][piece])
        for part, column in zip(parts, columns, strict=True):
            part += [column[piece][order], [np.nan]]
    return tuple(np.concatenate(part) for part in parts)
