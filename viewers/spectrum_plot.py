"""SpectrumPlot: frequency-domain tables of a result (PSDs, SRS, sine responses) on log-log axes.

Vibration results keep their spectra as tables whose first column is ``Frequency [Hz]``; each
other column is a curve. A table picker switches between them (input and response PSDs, shock
response spectrum, sine response); the axes are logarithmic, as the standards draw spectra.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from cellwright.projects.model import Result

__all__ = ["FREQUENCY", "SpectrumPlot", "spectrum_tables"]

FREQUENCY = "Frequency [Hz]"
_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd"]


def _unit(column: str) -> str:
    return column[column.rfind("[") + 1 : column.rfind("]")] if "[" in column else "-"


def spectrum_tables(result: Result) -> list[str]:
    """One entry per frequency table and unit, e.g. ``"psd [g^2/Hz]"``: curves of one unit share
    a log axis (the mode table excepted)."""
    out = []
    for name, table in result.tables.items():
        if FREQUENCY in table and name != "modes":
            units = dict.fromkeys(_unit(c) for c in table if c != FREQUENCY)
            out.extend(f"{name} [{u}]" for u in units)
    return out


class SpectrumPlot(QtWidgets.QWidget):
    """Log-log curves of one frequency table of a result at a time."""

    def __init__(self, result: Result, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.result = result
        self.table_combo = QtWidgets.QComboBox()
        self.table_combo.addItems(spectrum_tables(result))
        self.plot = pg.PlotWidget(background="w")
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.setLogMode(x=True, y=True)
        for side in ("left", "bottom"):  # decades, not a "(x0.001)" prefix on a log axis
            self.plot.getAxis(side).enableAutoSIPrefix(False)
        self.plot.setLabel("bottom", FREQUENCY)
        self.legend = self.plot.addLegend(offset=(-10, 10))
        self.curves: dict[str, pg.PlotDataItem] = {}
        row = QtWidgets.QHBoxLayout()
        row.addWidget(QtWidgets.QLabel("Spectrum"))
        row.addWidget(self.table_combo)
        row.addStretch(1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.plot, 1)
        self.table_combo.currentTextChanged.connect(self._on_table_changed)
        self._on_table_changed(self.table_combo.currentText())

    def _on_table_changed(self, name: str) -> None:
        self.plot.clear()
        self.legend.clear()
        self.curves = {}
        if not name:
            return
        table_name, unit = name.rsplit(" [", 1)
        unit = unit[:-1]
        table = self.result.tables[table_name]
        f = np.asarray(table[FREQUENCY])
        columns = [(c, v) for c, v in table.items() if c != FREQUENCY and _unit(c) == unit]
        for k, (column, values) in enumerate(columns):
            y = np.asarray(values, dtype=float)
            shown = (f > 0) & (y > 0)  # a log axis cannot show zero (outside the profile's band)
            pen = pg.mkPen(_COLOURS[k % len(_COLOURS)], width=2)
            self.curves[column] = self.plot.plot(f[shown], y[shown], pen=pen, name=column)
        self.plot.setLabel("left", f"[{unit}]")
