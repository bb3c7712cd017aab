"""A curve over a short abscissa (a crush's fraction of a millimetre) is drawn, not lost."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.model import Provenance, Result
from support.screens import screenshot

pytestmark = pytest.mark.gui


def test_a_short_travel_is_drawn(qtbot) -> None:
    """0.3 mm of travel in 9 points: pyqtgraph's auto-downsampling, sized from the view's first
    [0, 1] m, kept none of them and the force–displacement plot was empty."""
    from cellwright.viewers.plot_viewer import PlotViewer

    travel = np.linspace(0.0, 3e-4, 9)
    result = Result(
        name="squeeze",
        series={"Time [s]": travel / 2e-3, "Displacement [m]": travel, "Force [N]": 2.4e7 * travel},
        provenance=Provenance(engine_id="mechanics.crush", engine_version="1", spec_hash=""),
    )
    plot = PlotViewer(result)
    qtbot.addWidget(plot)
    plot.resize(450, 180)
    plot.show()
    qtbot.waitExposed(plot)
    plot.select("Displacement [m]", ["Force [N]"])
    qtbot.wait(50)
    x, _ = plot.curves["Force [N]"].getData()
    np.testing.assert_allclose(x, travel)
    (x0, x1), (y0, y1) = plot.plot.plotItem.vb.viewRange()
    assert x0 <= 0 and 3e-4 <= x1 < 1e-3 and y0 <= 0 and 7.2e3 <= y1 < 1e4
    # read in the units an engineer reads a squeeze in: not "[m]" with ticks 0-300 "(x1e-06)"
    bottom, left = plot.plot.getAxis("bottom"), plot.plot.getAxis("left")
    assert (bottom.labelText, bottom.scale) == ("Displacement [mm]", 1e3)
    assert (left.labelText, left.scale) == ("Force [kN]", 1e-3)
    for axis in (bottom, left):  # and not scaled again by pyqtgraph: 0-300 "(x0.001)"
        assert axis.autoSIPrefixScale == 1.0 and "(x" not in axis.labelString()
    from PySide6 import QtCore

    # the crosshair's readout reads like the ticks, with their units: 0.15 mm and 3.6 kN, not
    # 0.00015 and 3600
    text = plot._readout_text(QtCore.QPointF(), QtCore.QPointF(1.5e-4, 3.6e3))
    assert text == "x = 0.15 mm    y = 3.6 kN"
    plot.log_y.setChecked(True)  # a log axis keeps the SI values' powers of ten
    assert (left.labelText, left.scale) == ("Force [N]", 1.0)
    plot.log_y.setChecked(False)
    assert left.labelText == "Force [kN]"
    qtbot.wait(50)
    screenshot(plot, "short_travel_curve")


@pytest.mark.parametrize(
    ("name", "peak", "shown"),
    [("Displacement [m]", 3e-4, ("Displacement [mm]", 1e3)),
     ("Displacement [m]", 2e-5, ("Displacement [mm]", 1e3)),
     ("Cooling path [m]", 0.35, ("Cooling path [mm]", 1e3)),
     ("Cooling path [m]", 1.2, ("Cooling path [m]", 1.0)),
     ("Force [N]", 7.1e3, ("Force [kN]", 1e-3)),
     ("Force [N]", 50.0, ("Force [N]", 1.0)),
     ("Force [N]", 500.0, ("Force [N]", 1.0)),
     ("Force [N]", 100e3, ("Force [kN]", 1e-3)),
     ("Pressure drop [Pa]", 13.5e3, ("Pressure drop [kPa]", 1e-3)),
     # a run's time as the report's axes and the 3D view's time read it: min up to 2 h
     ("Time [s]", 3600.0, ("Time [min]", 1 / 60)),
     ("Time [s]", 240.0, ("Time [s]", 1.0)),
     ("Time [s]", 14400.0, ("Time [h]", 1 / 3600)),
     ("Force [N]", 0.0, ("Force [N]", 1.0))],
)  # fmt: skip
def test_an_axis_reads_in_its_values_unit(name, peak, shown) -> None:
    from cellwright.viewers.plot_viewer import readable_axis

    assert readable_axis(name, np.array([0.0, peak, np.nan])) == shown
