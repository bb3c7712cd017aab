"""TwinTimeline: a battery's history on a time axis — events as marks, telemetry as spans —
with the event list beneath it (kind, time, source, hash).

It takes plain event records (what ``Project.events`` returns) and draws them; it never reads
the project itself.
"""

from __future__ import annotations

from datetime import datetime

import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

__all__ = ["KIND_ROWS", "TwinTimeline"]

#: one row of the timeline per kind of event, with its colour
KIND_ROWS = {
    "registered": (0, "#7f7f7f"),
    "manufacturing": (0, "#8c564b"),
    "pack_membership": (0, "#7f7f7f"),
    "labrun": (1, "#1f77b4"),
    "telemetry": (2, "#2ca02c"),
    "service": (3, "#ff7f0e"),
    "field": (3, "#d62728"),
    "second_life": (3, "#9467bd"),
    "recycling": (3, "#000000"),
    "estimate": (4, "#e377c2"),
    "passport": (5, "#17becf"),
}
_ROW_NAMES = ("record", "lab runs", "telemetry", "service / field", "estimates", "passports")


def _seconds(text: str) -> float | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


class TwinTimeline(QtWidgets.QWidget):
    """The events of one battery.

    Parameters
    ----------
    events
        Stored events (objects with ``seq``, ``kind``, ``time``, ``source``, ``payload``,
        ``hash``), in chain order.
    """

    def __init__(self, events: list, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.events = list(events)
        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
        self.plot.setBackground("w")
        self.plot.setMouseEnabled(y=False)
        left = self.plot.getAxis("left")
        left.setTicks([list(enumerate(_ROW_NAMES))])
        self.plot.setYRange(-0.5, len(_ROW_NAMES) - 0.5)
        self.table = QtWidgets.QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["#", "kind", "time", "source", "hash"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        splitter.addWidget(self.plot)
        splitter.addWidget(self.table)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.marks: dict[str, pg.ScatterPlotItem] = {}
        self.spans: list[pg.PlotCurveItem] = []
        self._draw()
        self._fill_table()

    def _draw(self) -> None:
        points: dict[str, list[float]] = {}
        for event in self.events:
            t = _seconds(event.time)
            if t is None:
                continue
            if event.kind == "telemetry" and "span_s" in event.payload:
                start, end = event.payload["span_s"]
                row, colour = KIND_ROWS["telemetry"]
                span = pg.PlotCurveItem([start, end], [row, row], pen=pg.mkPen(colour, width=10))
                self.plot.addItem(span)
                self.spans.append(span)
            points.setdefault(event.kind, []).append(t)
        for kind, times in points.items():
            row, colour = KIND_ROWS.get(kind, (3, "#333333"))
            mark = pg.ScatterPlotItem(
                times,
                [row] * len(times),
                size=11,
                brush=pg.mkBrush(colour),
                pen=pg.mkPen("k"),
                name=kind,
            )
            self.plot.addItem(mark)
            self.marks[kind] = mark

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.events))
        for r, event in enumerate(self.events):
            for c, text in enumerate(
                (str(event.seq), event.kind, event.time, event.source, event.hash[:16])
            ):
                self.table.setItem(r, c, QtWidgets.QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
