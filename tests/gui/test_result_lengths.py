"""A mechanical study's lengths are read in mm in its result tab (scalars table and plot axes),
while other studies keep metres (viewers.result_units states the rule)."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.model import Provenance, Result
from support.screens import screenshot

pytestmark = pytest.mark.gui


def _result(engine: str, scalars: dict[str, float], series: dict | None = None) -> Result:
    return Result(
        name=engine,
        series=series or {},
        scalars=scalars,
        provenance=Provenance(engine_id=engine, engine_version="1", spec_hash=""),
    )


def _rows(page) -> dict[str, tuple[str, str]]:
    """Quantity -> (value, unit) as the result tab's scalars table shows them."""
    table = page.table_viewer
    return {
        table.cell_text(r, 0): (table.cell_text(r, 1), table.cell_text(r, 2))
        for r in range(table.table.rowCount())
    }


def test_a_crushs_lengths_are_in_mm_and_a_packs_flow_path_in_m(window, qtbot) -> None:
    window.new_project()
    travel = np.linspace(0.0, 4.12e-3, 20)
    crush = _result(
        "mechanics.crush",
        {"Peak force [N]": 7012.0, "Displacement at peak force [m]": 4.12e-3,
         "Short-circuit onset x [m]": -0.0105, "Part size along the load [m]": 0.07,
         "Indenter speed [m/s]": 1e-4},
        {"Time [s]": travel / 1e-4, "Displacement [m]": travel, "Force [N]": 1.7e6 * travel},
    )  # fmt: skip
    crush.name = "Crush"
    window.project.put_result(crush)
    page = window.open_result(crush.id)
    rows = _rows(page)
    assert rows["Displacement at peak force"] == ("4.12", "mm")
    assert rows["Short-circuit onset x"] == ("-10.5", "mm")
    assert rows["Part size along the load"] == ("70", "mm")
    assert rows["Peak force"] == ("7.012", "kN")  # as the plot axis reads it
    assert rows["Indenter speed"] == ("0.0001", "m/s")  # a speed is no length
    plot = page.plot_viewer.plot.plotItem
    assert plot.getAxis("bottom").labelText == "Displacement [mm]"
    assert window.project.get_result(crush.id).scalars["Part size along the load [m]"] == 0.07
    qtbot.wait(100)
    screenshot(page, "crush_result_lengths")
    network = _result("cfd.network", {"Flow path length [m]": 2.4, "Channel depth [m]": 0.004})
    window.project.put_result(network)
    rows = _rows(window.open_result(network.id))
    assert rows["Flow path length"] == ("2.4", "m")
    assert rows["Channel depth"] == ("0.004", "m")  # metres stay metres outside mechanics


def test_a_result_tab_reads_as_the_report_does(window) -> None:
    """A swelling cycle's result tab as the window showed it raw: "t = 1.44e+04 s" in the line
    above, "End-plate force [N]" in the legend beside an axis in kN, "Exceeds force limit 1 -"
    and "151065 Pa" in the table. Now as the report writes them."""
    window.new_project()
    t = np.linspace(0.0, 14400.0, 50)
    swelling = _result(
        "mechanics.swelling",
        {"Maximum cell face pressure [Pa]": 151065.0, "Exceeds force limit [-]": 1.0,
         "Maximum end-plate force [N]": 1296.89},
        {"Time [s]": t, "End-plate force [N]": 1000.0 + 0.02 * t},
    )  # fmt: skip
    window.project.put_result(swelling)
    page = window.open_result(swelling.id)
    # the time as the 3D view reads it: in the unit of the run's length (4 h), not 14 400 s
    assert "at t = 4 h (end of the run)" in page.note.text()
    rows = _rows(page)
    assert rows["Maximum cell face pressure"] == ("151.1", "kPa")
    assert rows["Exceeds force limit"] == ("yes", "")
    assert rows["Maximum end-plate force"] == ("1.297", "kN")
    plot = page.plot_viewer
    assert plot.plot.plotItem.getAxis("left").labelText == "End-plate force [kN]"
    assert [label.text for _, label in plot.legend.items] == ["End-plate force"]
    # stored as the engine wrote it
    assert (
        window.project.get_result(swelling.id).scalars["Maximum cell face pressure [Pa]"]
        == 151065.0
    )
