"""A swelling result in the window: the end-plate force over the cycle is the curve it opens
on, the scalars beside it, and the force-limit warning above them."""

from __future__ import annotations

import numpy as np
import pytest

from support.screens import screenshot

pytestmark = pytest.mark.gui

NAME = "12 Kokam pouch cells between end plates: swelling force over a cycle and life"


def test_swelling_result_shows_the_force_over_the_cycle(window, example_project, qtbot) -> None:
    window.open_project(example_project)
    result_id = next(r.id for r in window.project.results() if r.name == NAME)
    page = window.open_result(result_id)
    result = page.result
    plot = page.plot_viewer
    assert plot.y_list.selectedItems()[0].text() == "End-plate force [N]"
    x, y = plot.curves["End-plate force [N]"].getData()
    assert np.allclose(x, result.series["Time [s]"])
    assert np.allclose(y, result.series["End-plate force [N]"])
    assert "End-plate force [N]" in page.note.text()
    assert page.message.isVisible() and "design limit 3000 N" in page.message.text()
    table = page.table_viewer
    shown = {table.cell_text(row, 0) for row in range(table.table.rowCount())}
    assert {"Maximum end-plate force", "Maximum pad strain"} <= shown
    # the pad strain is there to pick as well
    plot.select("Time [s]", ["Pad strain [-]"])
    _, strain = plot.curves["Pad strain [-]"].getData()
    assert strain.max() == pytest.approx(result.scalars["Maximum pad strain [-]"])
    plot.select("Time [s]", ["End-plate force [N]"])
    life = page.life_plot  # the force at full charge over the cycles of life, and the limit
    cycles, force = life.curves["Force at 100 % SOC [N]"].getData()
    assert np.allclose(cycles, result.tables["life"]["Cycle"])
    assert np.allclose(force, result.tables["life"]["Force at 100 % SOC [N]"])
    assert life.limit.value() == 3000.0
    qtbot.wait(100)
    screenshot(window, "swelling_result")
