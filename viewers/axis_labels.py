"""Axis labels that name their unit, without pyqtgraph's SI prefix on top.

pyqtgraph scales an axis whose label has no ``units=`` when its range lies below 1 or above 1e9,
and writes the factor after the label: a coin cell's capacity read "Capacity [A.h] (x0.001)"
beside ticks 0-4, a cell's impedance "Z' [Ohm] (x0.001)", a coating thickness
"design.positive.coating_thickness [m] (x1e-06)". Beside a unit in brackets the factor reads as
a second, contradicting unit. Where the label names its unit the prefix is off, and the ticks
carry the numbers as they are (pyqtgraph writes 4e-05 or 2e+09 where a fixed point would not
fit). A label without a unit (Cycle, Sobol' index) keeps pyqtgraph's default.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from cellwright.projects.model import unit_of

__all__ = ["label_axis"]


def label_axis(plot: pg.PlotItem | pg.PlotWidget, side: str, text: str,
               names_unit: bool | None = None) -> None:  # fmt: skip
    """Label axis ``side`` of ``plot`` ``text``; no SI prefix when it names its unit.

    Parameters
    ----------
    plot
        The plot (a :class:`pyqtgraph.PlotItem`, or a widget holding one).
    side
        ``"left"``, ``"bottom"``, ``"right"`` or ``"top"``.
    text
        The label ("Capacity [A.h]").
    names_unit
        Whether ``text`` names its unit; by default, whether it ends in a unit in brackets.
        A label that is only units ("V / A") passes True.
    """
    item = plot.getPlotItem() if isinstance(plot, pg.PlotWidget) else plot
    if names_unit is None:
        names_unit = bool(unit_of(text))
    axis = item.getAxis(side)
    # toggled into log mode, pyqtgraph's SI-prefix check reads the last linear range as
    # powers of ten (10**7000) before the view re-ranges
    with np.errstate(over="ignore"):
        item.setLabel(side, text)  # (which resets the prefix ranges: set them after)
        axis.setSIPrefixEnableRanges(() if names_unit else None)  # None: pyqtgraph's default
        axis.updateAutoSIPrefix()
