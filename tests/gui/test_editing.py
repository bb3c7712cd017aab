"""Editing in the property editor: derived values follow, undo/redo, inline refusal, saving."""

from __future__ import annotations

import pytest

from cellwright.app.commands import PutObject
from cellwright.projects.model import PackDesign
from cellwright.projects.readable import number
from support.screens import screenshot

pytestmark = pytest.mark.gui


def test_edit_see_derived_undo_redo_refuse_save(window, tmp_path, qtbot) -> None:
    window.new_project()
    window.push(
        PutObject(window.project, PackDesign(name="Module", cell="lg-m50", series=12, parallel=4))
    )
    window.select_in_tree("Packs", "Module")
    editor = window.properties
    assert editor.derived["Nominal voltage"].text() == number(12 * 3.63)
    editor.type_into("series", "96")
    assert editor.derived["Nominal voltage"].text() == number(96 * 3.63)
    assert editor.derived["Energy"].text() == number(96 * 4 * 5.0 * 3.63 / 1e3)  # kW.h
    window.undo_action.trigger()
    assert window.project.find("pack", "Module").series == 12
    assert editor.derived["Nominal voltage"].text() == number(12 * 3.63)
    window.redo_action.trigger()
    assert window.project.find("pack", "Module").series == 96
    editor.type_into("series", "2000")
    assert "less than or equal to 1000" in editor.error.text()
    assert window.project.find("pack", "Module").series == 96  # refused: nothing changed
    editor.type_into("busbar_resistance", "0.2 mohm")
    assert window.project.find("pack", "Module").busbar_resistance == pytest.approx(2e-4)
    qtbot.wait(150)
    screenshot(window, "property_editor")
    target = tmp_path / "module.cwproj"
    window.save_as(target)
    window.close_project()
    window.open_project(target)
    pack = window.project.find("pack", "Module")
    assert (pack.series, pack.busbar_resistance) == (96, pytest.approx(2e-4))
    window.undo_action.trigger()  # a reopened project starts with a clean undo history
    assert window.project.find("pack", "Module").series == 96


def _pick(qtbot, combo, text: str) -> None:
    """Open ``combo``'s list and click the entry ``text``, as a user would."""
    from PySide6 import QtCore

    index = combo.findText(text)
    assert index >= 0, f"{text!r} not offered"
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    rect = view.visualRect(view.model().index(index, 0))
    qtbot.mouseClick(view.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_packs_cell_is_chosen_by_name_from_designs_and_the_library(window, qtbot) -> None:
    """A pack's cell was a text line holding an id; it is a list of the project's cell designs
    and the library's cells by name, and a choice is an undoable edit the figures follow."""
    from cellwright.resources import ROOT as RESOURCES

    window.new_project()
    window.import_design_file(RESOURCES / "examples" / "designs" / "lfp-21700.toml")
    window.select_in_tree("Cells", "LFP 21700")
    lfp_voltage = float(window.properties.derived["Nominal voltage"].text())
    window.push(
        PutObject(window.project, PackDesign(name="Module", cell="lg-m50", series=12, parallel=4))
    )
    window.select_in_tree("Packs", "Module")
    editor = window.properties
    combo = editor.editors["cell"]
    offered = [combo.itemText(i) for i in range(combo.count())]
    assert offered[0] == "LFP 21700"  # the project's designs first, then the library's cells
    assert "LG INR21700 M50 (library)" in offered
    assert "(none)" not in offered  # a pack cannot be without a cell
    assert combo.currentText() == "LG INR21700 M50 (library)"
    assert combo.toolTip().startswith("LG INR21700 M50 (library)\n")  # whole, if cut short
    assert editor.derived["Nominal voltage"].text() == number(12 * 3.63)
    _pick(qtbot, combo, "LFP 21700")
    lfp_id = window.project.find("cell", "LFP 21700").id
    assert window.project.find("pack", "Module").cell == lfp_id
    assert editor.editors["cell"].currentText() == "LFP 21700"
    assert float(editor.derived["Nominal voltage"].text()) == pytest.approx(12 * lfp_voltage)
    qtbot.wait(150)
    screenshot(window, "pack_cell_choice")
    window.undo_action.trigger()
    assert window.project.find("pack", "Module").cell == "lg-m50"
    assert editor.editors["cell"].currentText() == "LG INR21700 M50 (library)"
    assert editor.derived["Nominal voltage"].text() == number(12 * 3.63)
    # a cell id that names nothing (its design deleted) is shown as missing, and can be replaced
    window.project.delete("cell", lfp_id)
    window.redo_action.trigger()
    window.select_in_tree("Packs", "Module")
    combo = editor.editors["cell"]
    assert combo.currentText() == f"{lfp_id} (missing)"
    _pick(qtbot, combo, "Molicel INR21700-P42A (library)")
    assert window.project.find("pack", "Module").cell == "molicel-p42a"
    # a pack that names its cell design by name (stored so from a design file before imports
    # kept ids) shows that design, not a missing cell
    window.undo_stack.undo()  # back to the deleted design's id
    window.import_design_file(RESOURCES / "examples" / "designs" / "lfp-21700.toml")
    pack = window.project.find("pack", "Module")
    window.project.put(pack.model_copy(update={"cell": "LFP 21700"}))
    window.select_in_tree("Packs", "Module")
    assert editor.editors["cell"].currentText() == "LFP 21700"
