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


def spectrum_tables(result: Result) -> list[str]:
    """Names of the result's tables that run over frequency (the mode table excepted)."""
    return [n for n, t in result.tables.items() if FREQUENCY in t and n != "modes"]


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
        table = self.result.tables[name]
        f = np.asarray(table[FREQUENCY])
        for k, (column, values) in enumerate((c, v) for c, v in table.items() if c != FREQUENCY):
            y = np.asarray(values, dtype=float)
            shown = (f > 0) & (y > 0)  # a log axis cannot show zero (outside the profile's band)
            pen = pg.mkPen(_COLOURS[k % len(_COLOURS)], width=2)
            self.curves[column] = self.plot.plot(f[shown], y[shown], pen=pen, name=column)
        units = {c[c.rfind("[") :] for c in self.curves if "[" in c}
        self.plot.setLabel("left", ", ".join(sorted(units)))
