"""The cell and pack builder in the window: nested fields, live figures, warnings, 3D preview."""

from __future__ import annotations

import pytest

from cellwright.app.commands import PutObject
from cellwright.projects.design.reference_designs import lg_m50
from cellwright.projects.model import (
    Busbar,
    CoolingPlate,
    ModuleArrangement,
    PackDesign,
    ThermalInterface,
)
from support.screens import SCREENSHOTS, screenshot

pytestmark = pytest.mark.gui


def _capacity(editor) -> float:
    return float(editor.derived["Capacity"].text().replace("\u202f", ""))


def test_cell_builder_edit_refuse_undo(window, qtbot) -> None:
    window.new_project()
    design = lg_m50()
    window.push(PutObject(window.project, design))
    window.select_in_tree("Cells", design.name)
    editor = window.properties
    assert {"positive", "negative", "geometry", "geometry.positive_tab"} <= set(editor.groups)
    assert editor.editors["geometry.diameter"].text() == "21.1 mm"  # lengths carry a unit
    assert editor.editors["format"].currentText() == "cylindrical"  # an enum is a choice
    before = _capacity(editor)
    assert before == pytest.approx(5.15, abs=0.05)
    assert editor.figures.warnings.isVisible()  # unpriced materials are a warning, in amber
    assert window.preview is not None and window.tabs.currentWidget() is window.preview
    assert set(window.preview.parts) == {"housing", "electrode stack", "tabs"}

    editor.type_into("positive.coating_thickness", "60 um")
    stored = window.project.find("cell", design.id)
    assert stored.positive.coating_thickness == pytest.approx(60e-6)
    thinner = _capacity(editor)
    assert editor.editors["positive.coating_thickness"].text() == "60 um"
    editor.type_into("positive.coating_thickness", "60 um")  # unchanged text: no new edit
    assert window.undo_stack.count() == 2
    assert thinner < before - 0.3

    editor.type_into("positive.coating_thickness", "900 um")
    assert "positive.coating_thickness" in editor.error.text()
    assert "less than or equal" in editor.error.text()
    assert "b00020" in editor.editors["positive.coating_thickness"].styleSheet()
    assert window.project.find("cell", design.id).positive.coating_thickness == pytest.approx(60e-6)

    window.undo_action.trigger()
    assert window.project.find("cell", design.id).positive.coating_thickness == pytest.approx(
        75.6e-6
    )
    assert _capacity(editor) == pytest.approx(before)
    assert editor.editors["positive.coating_thickness"].text() == "75.6 um"
    window.redo_action.trigger()
    assert _capacity(editor) == pytest.approx(thinner)

    editor.type_into("geometry.diameter", "18 mm")  # the stated jelly roll no longer fits
    assert "jelly_roll_length" in editor.figures.problem.text()
    assert not editor.derived
    qtbot.wait(200)
    screenshot(window, "cell_builder_refused_geometry")
    window.undo_action.trigger()
    assert _capacity(editor) == pytest.approx(thinner)
    qtbot.wait(200)
    screenshot(window, "cell_builder")
    editor.scroll.ensureWidgetVisible(editor.editors["positive.coating_thickness"])
    qtbot.wait(100)
    screenshot(editor, "cell_builder_electrode_fields")
    window.preview.save_screenshot(SCREENSHOTS / "cell_preview_3d.png")


def _pack(cell_id: str) -> PackDesign:
    return PackDesign(
        name="96s4p",
        cell=cell_id,
        series=96,
        parallel=4,
        arrangement=ModuleArrangement(rows=4, columns=12, module_rows=2),
        busbar=Busbar(),
        cooling_plate=CoolingPlate(),
        thermal_interface=ThermalInterface(),
    )


def test_pack_builder_nested_edit_and_preview(window, qtbot) -> None:
    window.new_project()
    cell = lg_m50()
    window.push(PutObject(window.project, cell))
    window.push(PutObject(window.project, _pack(cell.id)))
    window.select_in_tree("Packs", "96s4p")
    editor = window.properties
    assert float(editor.derived["Cells"].text().replace("\u202f", "")) == 384
    assert _capacity(editor) == pytest.approx(4 * 5.15, abs=0.2)
    parts = window.preview.parts
    assert {"cells", "cooling plate", "channels", "busbars", "thermal interface"} <= set(parts)
    assert parts["cells"].cell_data["copy"].max() == 383  # one merged actor for 384 cells

    channels = parts["channels"].n_cells
    # store, figures, fields and preview (timed by tests/bench/test_design_preview_bench.py)
    editor.type_into("cooling_plate.channel_count", "6")
    assert window.project.find("pack", "96s4p").cooling_plate.channel_count == 6
    assert window.preview.parts["channels"].n_cells > channels

    editor.type_into("cooling_plate.channel_height", "7 mm")
    assert "must be less than the plate thickness" in editor.error.text()
    assert window.project.find("pack", "96s4p").cooling_plate.channel_height == 3e-3

    mass = float(editor.derived["Mass"].text().replace("\u202f", ""))
    editor.type_into("cooling_plate.thickness", "12 mm")
    assert float(editor.derived["Mass"].text().replace("\u202f", "")) > mass
    window.undo_action.trigger()
    assert float(editor.derived["Mass"].text().replace("\u202f", "")) == pytest.approx(mass)
    editor.buttons["remove busbar"].click()  # optional parts are removed and added back
    assert window.project.find("pack", "96s4p").busbar is None
    assert "busbars" not in window.preview.parts
    editor.buttons["add busbar"].click()
    # sized from the 21.1 mm cell: 0.4 of its width, one cell pitch (cell + 2 mm gap) long
    busbar = window.project.find("pack", "96s4p").busbar
    assert busbar.width == pytest.approx(8.4e-3) and busbar.length_per_connection == 23.1e-3
    assert "busbars" in window.preview.parts
    editor.buttons["add enclosure"].click()  # sized around the laid-out pack
    enclosure = window.project.find("pack", "96s4p").enclosure
    assert enclosure is not None and "enclosure" in window.preview.parts
    assert float(editor.derived["Mass"].text().replace("\u202f", "")) > mass
    for _ in range(3):
        window.undo_action.trigger()
    assert window.project.find("pack", "96s4p").busbar == Busbar()
    qtbot.wait(200)
    screenshot(window, "pack_builder")
    window.preview.save_screenshot(SCREENSHOTS / "pack_preview_3d.png")


def test_library_cell_shows_datasheet_figures_and_envelope(window) -> None:
    window.new_project()
    window.select_in_tree("Library", "LG INR21700 M50")
    editor = window.properties
    assert _capacity(editor) == pytest.approx(5.0)
    assert set(window.preview.parts) == {"housing"}
    editor.type_into("nominal_capacity", "5.2")  # an edit of a seed cell makes an override
    assert window.project.get("library_cell", "lg-m50").nominal_capacity == 5.2
    assert _capacity(editor) == pytest.approx(5.2)
    window.undo_action.trigger()
    assert window.project.list("library_cell") == []
    assert _capacity(editor) == pytest.approx(5.0)  # the seed cell again
