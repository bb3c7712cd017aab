"""Checks on plot axes as a reader sees them."""

from __future__ import annotations

__all__ = ["prefixed_unit_labels"]


def prefixed_unit_labels(plot) -> list[str]:
    """The shown axes of ``plot`` (a pyqtgraph PlotItem or PlotWidget) whose label names its
    unit in brackets and still carries pyqtgraph's SI factor on top ("Z' [Ohm] (x0.001)"),
    as "side: label". A unit given to pyqtgraph as ``units=`` is its own to prefix ("(kPa)").
    """
    from cellwright.projects.model import unit_of

    item = plot.getPlotItem() if hasattr(plot, "getPlotItem") else plot
    found, checked = [], 0
    for side in ("left", "bottom", "right", "top"):
        axis = item.getAxis(side)
        if not (axis.isVisible() and axis.label.isVisible()) or axis.labelUnits:
            continue
        text = axis.labelString()
        checked += bool(unit_of(axis.labelText))
        if unit_of(axis.labelText) and (axis.autoSIPrefixScale != 1.0 or "(x" in text):
            found.append(f"{side}: {axis.labelText} {text[text.rfind('(') :]}")
    # a check over no axis that names a unit would pass whatever the plot shows
    assert checked, f"no shown axis of {plot!r} names a unit in brackets"
    return found
