"""What a result tab shows besides curves, scalars and the 3D view: the mode panel of a modal
result, the log-log spectra of a vibration result and the force over life of a swelling result
(kept out of main_window.py)."""

from __future__ import annotations

from PySide6 import QtWidgets

from cellwright.projects.model import Result

__all__ = ["add_result_extras"]


def add_result_extras(page: QtWidgets.QSplitter, result: Result) -> None:
    """Add a ModePanel under the FieldViewer of a modal result and a SpectrumPlot for results
    with frequency tables, a LifePlot for a life table; ``page.mode_panel``,
    ``page.spectrum_plot`` and ``page.life_plot`` name them (or None)."""
    from cellwright.viewers.life_plot import LifePlot, has_life_table
    from cellwright.viewers.mode_panel import ModePanel, is_modal
    from cellwright.viewers.spectrum_plot import SpectrumPlot, spectrum_tables

    page.mode_panel = page.spectrum_plot = None
    below = 1 if page.field_viewer is not None else 0
    if page.field_viewer is not None and is_modal(result):
        page.mode_panel = ModePanel(result, page.field_viewer)
        page.insertWidget(below, page.mode_panel)
        below += 1
    if spectrum_tables(result):
        page.spectrum_plot = SpectrumPlot(result)
        page.insertWidget(below, page.spectrum_plot)
    page.life_plot = None
    if has_life_table(result):  # a swelling study's force over life, under its cycle curves
        page.life_plot = LifePlot(result)
        page.insertWidget(page.count() - 1, page.life_plot)
    if any(w is not None for w in (page.mode_panel, page.spectrum_plot, page.life_plot)):
        # the 3D view keeps the most height; the panel or spectrum and the scalars share the rest
        shares = [6 if page.field_viewer is not None else 4] + [3] * (page.count() - 1)
        shares[-1] = 1  # the scalar table
        page.setSizes([100 * s for s in shares])
