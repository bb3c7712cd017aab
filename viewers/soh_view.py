"""SohView: a battery's capacity over time — measured and estimated points, the fitted fade
curve with its credible band, the end-of-life threshold and the remaining-life forecast."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from cellwright.viewers.axis_labels import label_axis

__all__ = ["SOURCE_STYLE", "SohView"]

#: symbol and colour of each kind of capacity point
SOURCE_STYLE = {
    "manufacturing": ("s", "#8c564b"),
    "lab": ("o", "#1f77b4"),
    "service": ("t", "#ff7f0e"),
    "ekf": ("d", "#2ca02c"),
}


class SohView(QtWidgets.QWidget):
    """Capacity [A.h] against days since the first point.

    Parameters
    ----------
    curve
        ``app.twin_estimates.soh_curve``'s dict: ``days``, ``capacity``, ``grid`` and, with
        enough points, ``median``, ``low``, ``high``; ``threshold`` [A.h] or None.
    sources
        The source of each point (``lab``, ``ekf`` …), for its symbol.
    rul
        The stored forecast (``median``, ``low``, ``high`` days after the last point, and its
        ``message``), or None.
    """

    def __init__(
        self,
        curve: dict,
        sources: list[str],
        rul: dict | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget()
        self.plot.setBackground("w")
        self.plot.addLegend(offset=(-10, 10))
        label_axis(self.plot, "bottom", "Time since the first capacity point [days]")
        label_axis(self.plot, "left", "Capacity [A.h]")  # a coin cell's 0.004 A.h too
        self.summary = QtWidgets.QLabel((rul or {}).get("message", "no remaining-life forecast"))
        self.summary.setWordWrap(True)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        layout.addWidget(self.summary)
        self.items: dict[str, object] = {}
        self._draw(curve, sources, rul)

    def _frame(self, days, capacity, curve: dict, rul: dict | None) -> None:
        """Frame the data, the threshold and the forecast (a far posterior draw of an
        exponential model must not set the scale)."""
        threshold = curve.get("threshold") or float(np.min(capacity))
        low = min(threshold, float(np.min(capacity)))
        high = float(np.max(capacity))
        self.plot.setYRange(low - 0.05 * (high - low + 1e-9), high + 0.05 * (high - low + 1e-9))
        end = float(curve["grid"][-1]) if len(curve["grid"]) else float(days[-1])
        if rul and rul.get("high") is not None and days.size:
            end = max(end, float(days[-1]) + rul["high"] * 1.05)
        self.plot.setXRange(0.0, end)

    def _draw(self, curve: dict, sources: list[str], rul: dict | None) -> None:
        days, capacity = np.asarray(curve["days"]), np.asarray(curve["capacity"])
        if "median" in curve:
            grid = curve["grid"]
            low = pg.PlotCurveItem(grid, curve["low"], pen=pg.mkPen("#aaaaaa"))
            high = pg.PlotCurveItem(grid, curve["high"], pen=pg.mkPen("#aaaaaa"))
            band = pg.FillBetweenItem(low, high, brush=pg.mkBrush(100, 100, 200, 60))
            for item in (low, high, band):
                self.plot.addItem(item)
            self.items["band"] = band
            self.items["fit"] = self.plot.plot(
                grid,
                curve["median"],
                pen=pg.mkPen("#444", width=2),
                name=f"{curve.get('model', 'fade')} fit; band: 90 % of all models",
            )
        for source in dict.fromkeys(sources):
            mask = np.array([s == source for s in sources])
            symbol, colour = SOURCE_STYLE.get(source, ("x", "#333333"))
            self.items[source] = self.plot.plot(
                days[mask], capacity[mask], pen=None, symbol=symbol, symbolBrush=colour, name=source
            )
        if curve.get("threshold"):
            line = pg.InfiniteLine(
                curve["threshold"],
                angle=0,
                pen=pg.mkPen("#d62728", style=QtCore.Qt.PenStyle.DashLine),
                label="end of life",
                labelOpts={"position": 0.1},
            )
            self.plot.addItem(line)
            self.items["threshold"] = line
        self._frame(days, capacity, curve, rul)
        if rul and rul.get("median") is not None and days.size:
            last = float(days[-1])
            lo = last + (rul.get("low") or 0.0)
            hi = last + (rul.get("high") or rul["median"] * 2)
            region = pg.LinearRegionItem((lo, hi), movable=False, brush=pg.mkBrush(214, 39, 40, 40))
            self.plot.addItem(region)
            marker = pg.InfiniteLine(
                last + rul["median"],
                pen=pg.mkPen("#d62728", width=2),
                label="RUL",
                labelOpts={"position": 0.9},
            )
            self.plot.addItem(marker)
            self.items["rul"] = region
