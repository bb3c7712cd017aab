"""Editing in the property editor: derived values follow, undo/redo, inline refusal, saving."""

from __future__ import annotations

import pytest

from cellwright.app.commands import PutObject
from cellwright.projects.model import PackDesign
from support.screens import screenshot

pytestmark = pytest.mark.gui


def test_edit_see_derived_undo_redo_refuse_save(window, tmp_path, qtbot) -> None:
    window.new_project()
    window.push(
        PutObject(window.project, PackDesign(name="Module", cell="lg-m50", series=12, parallel=4))
    )
    window.select_in_tree("Packs", "Module")
    editor = window.properties
    assert editor.derived["Nominal voltage"].text() == f"{12 * 3.63:.6g}"
    editor.type_into("series", "96")
    assert editor.derived["Nominal voltage"].text() == f"{96 * 3.63:.6g}"
    assert editor.derived["Energy"].text() == f"{96 * 4 * 5.0 * 3.63 / 1e3:.6g}"  # kW.h
    window.undo_action.trigger()
    assert window.project.find("pack", "Module").series == 12
    assert editor.derived["Nominal voltage"].text() == f"{12 * 3.63:.6g}"
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
