"""No axis reads a unit in brackets with pyqtgraph's SI factor after it.

pyqtgraph scales an axis labelled without ``units=`` whose numbers are below 1 or above 1e9 and
writes the factor after the label: a cell's impedance read "Z' [Ohm] (x0.001)", a coin cell's
capacity "Capacity [A.h] (x0.001)", a coating thickness "... [m] (x1e-06)", a state of health
of 0.8-0.95 "(x0.001)" with ticks 800-950. One check over a plot of each kind that labels its
axes so, each given the small numbers that brought the factor out.
"""

from __future__ import annotations

import numpy as np
import pytest

from support.axes import prefixed_unit_labels
from support.screens import screenshot

pytestmark = pytest.mark.gui


def _settled(qtbot, widget) -> None:
    widget.resize(700, 450)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.wait(50)  # the views range to their data, and the axes' prefixes follow


def _series_result(series: dict):
    from cellwright.projects.model import Provenance, Result

    provenance = Provenance(engine_id="x", engine_version="1", spec_hash="")
    return Result(name="r", series=series, provenance=provenance)


def test_a_result_plot_of_a_coin_cells_current(qtbot) -> None:
    from cellwright.viewers.plot_viewer import PlotViewer

    t = np.linspace(0.0, 3600.0, 50)
    plot = PlotViewer(_series_result({"Time [s]": t, "Current [A]": np.full(50, 4.7e-4),
                                      "Voltage [V]": 3.0 + t / 7200}))  # fmt: skip
    qtbot.addWidget(plot)
    plot.select("Time [s]", ["Current [A]"])
    _settled(qtbot, plot)
    assert plot.plot.plotItem.getAxis("left").labelText == "Current [A]"
    assert prefixed_unit_labels(plot.plot) == []


def test_a_coin_cells_state_of_health_plot(qtbot) -> None:
    from cellwright.viewers.soh_view import SohView

    days = np.array([0.0, 30.0, 60.0, 90.0])
    curve = {"days": days, "capacity": np.array([4.1e-3, 4.0e-3, 3.9e-3, 3.85e-3]),
             "grid": days, "threshold": 3.3e-3}  # fmt: skip
    view = SohView(curve, ["lab"] * 4)
    qtbot.addWidget(view)
    _settled(qtbot, view)
    assert prefixed_unit_labels(view.plot) == []


def test_a_swelling_life_plot_over_state_of_health(qtbot) -> None:
    from cellwright.projects.model import Provenance, Result
    from cellwright.viewers.life_plot import SOH, LifePlot

    soh = np.linspace(0.95, 0.8, 6)
    result = Result(name="life", tables={"life": {SOH: soh, "Force at full charge [N]":
                                                  np.linspace(2e3, 3e3, 6)}},
                    provenance=Provenance(engine_id="mechanics.swelling", engine_version="1",
                                          spec_hash=""))  # fmt: skip
    plot = LifePlot(result)
    qtbot.addWidget(plot)
    _settled(qtbot, plot)
    assert prefixed_unit_labels(plot.plot) == []


@pytest.mark.parametrize("ohms", [1.0, 1e-5])  # Gamry's example circuit; a cell's mOhm
def test_a_cells_nyquist_plot_reads_in_milliohm(qtbot, fixtures_dir, ohms) -> None:
    from dataclasses import replace

    from cellwright.projects.labdata import read_cycler_file
    from cellwright.projects.labdata import table as cols
    from cellwright.viewers.labdata_viewer import LabDataViewer

    table = read_cycler_file(fixtures_dir / "cycler/gamry_eis_dta/exampleDataGamry.DTA")
    scaled = {cols.Z_REAL: table[cols.Z_REAL] * ohms, cols.Z_IMAG: table[cols.Z_IMAG] * ohms}
    table = replace(table, columns={**table.columns, **scaled}, metadata=dict(table.metadata))
    viewer = LabDataViewer(table, "eis")
    qtbot.addWidget(viewer)
    _settled(qtbot, viewer)
    item = viewer.nyquist.plot.plotItem
    assert prefixed_unit_labels(item) == []
    # the aspect is locked: both axes in one unit, the one the larger part reads in
    unit = "mOhm" if np.nanmax(np.abs(table[cols.Z_REAL])) < 1 else "Ohm"
    labels = [item.getAxis(side).labelText for side in ("bottom", "left")]
    assert labels == [f"Z' [{unit}]", f"-Z'' [{unit}]"]
    assert item.getAxis("bottom").scale == item.getAxis("left").scale
    screenshot(viewer, f"axis_units_nyquist_{unit}")


def test_a_design_studys_plots_of_a_thin_coating(qtbot) -> None:
    from cellwright.viewers.study_view import StudyView

    thickness, onset = "design.positive.coating_thickness", "Onset displacement [m]"
    view = StudyView()
    qtbot.addWidget(view)
    points = [{"index": k, "status": "done", "values": {thickness: t},
               "outputs": {onset: d, "Peak force [N]": f}, "error": ""}
              for k, (t, d, f) in enumerate([(60e-6, 4e-3, 9e3), (70e-6, 5e-3, 1.1e4),
                                             (80e-6, 4.5e-3, 1e4)])]  # fmt: skip
    view.show_points([thickness], [onset, "Peak force [N]"], points, [f"{thickness} [m]"])
    view.select(onset, thickness)
    view.show_front((onset, "Peak force [N]"), [0, 1], [0, 1, 2], ["a", "b", "c"],
                    [(4e-3, 9e3), (5e-3, 1.1e4), (4.5e-3, 1e4)])  # fmt: skip
    view.tabs.setCurrentIndex(0)
    _settled(qtbot, view)
    assert prefixed_unit_labels(view.plot) == []
    qtbot.wait(400)
    screenshot(view, "axis_units_study_points")
    view.tabs.setCurrentIndex(3)
    qtbot.wait(50)
    assert prefixed_unit_labels(view.pareto.plot) == []
    view.tabs.setCurrentIndex(2)
    qtbot.wait(50)
    # the bottom row names the inputs with their units (the rows' outputs are named without)
    last = view.matrix_outputs.chosen()[-1]
    cells = [cell for (output, _input), cell in view.matrix.cells.items() if output == last]
    assert cells and all(prefixed_unit_labels(cell) == [] for cell in cells)
