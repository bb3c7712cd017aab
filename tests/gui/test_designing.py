"""Designing from scratch in the window, as a new designer would: a cell from a template, its
cathode changed, a pack of it, a variant, a comparison, and undo all the way back."""

from __future__ import annotations

import pytest
from PySide6 import QtCore, QtWidgets

from cellwright.resources import ROOT as RESOURCES
from support.screens import SCREENSHOTS, screenshot

pytestmark = pytest.mark.gui


def _in_dialog(qtbot, kind, act, trigger) -> None:
    """Run ``trigger``; when a dialog of ``kind`` is up, call ``act(dialog)`` on it."""
    done = []

    def answer() -> None:
        dialog = QtWidgets.QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QtCore.QTimer.singleShot(20, answer)
            return
        act(dialog)
        done.append(True)

    QtCore.QTimer.singleShot(20, answer)
    trigger()
    qtbot.waitUntil(lambda: bool(done), timeout=10000)


def _figure(window, name: str) -> float:
    return float(window.properties.derived[name].text().replace("\u202f", ""))


def test_a_commercial_cell_estimated_from_its_datasheet_is_a_starting_point(window, qtbot) -> None:
    from cellwright.app.new_design_dialog import NewCellDialog

    window.new_project()

    def new_cell(dialog) -> None:
        dialog.choose("datasheet:samsung-inr21700-50e")
        index = dialog.start.currentIndex()
        assert (
            dialog.start.itemText(index) == "Estimated from the datasheet: Samsung SDI INR21700-50E"
        )
        assert "not the cell's own design" in dialog.source.text()
        # the datasheet's 4.9 A.h, from the template stack with its coatings scaled
        assert float(
            dialog.figures.values["Capacity"].text().replace("\u202f", "")
        ) == pytest.approx(4.90, abs=0.01)
        dialog.name.setText("My 50E")
        screenshot(dialog, "new_cell_dialog_datasheet")
        dialog.create_button.click()

    _in_dialog(qtbot, NewCellDialog, new_cell, window.design_actions["new_cell"].trigger)
    cell = window.project.find("cell", "My 50E")
    assert cell.geometry.diameter == 21.25e-3 and cell.positive.active_material == "nca"
    assert "Estimated from the datasheet of library cell 'samsung-inr21700-50e'" in cell.notes
    assert _figure(window, "Capacity") == pytest.approx(4.90, abs=0.01)


def test_design_a_cell_and_a_pack_from_scratch(window, qtbot) -> None:
    from cellwright.app.new_design_dialog import NewCellDialog
    from cellwright.app.new_pack_dialog import NewPackDialog

    window.new_project()
    actions = window.design_actions

    def new_cell(dialog) -> None:
        dialog.choose("template:21700")
        assert "IEC 61960-3" in dialog.source.text()
        assert float(
            dialog.figures.values["Capacity"].text().replace("\u202f", "")
        ) == pytest.approx(5.30, abs=0.01)
        dialog.name.setText("My 21700")
        screenshot(dialog, "new_cell_dialog")
        dialog.create_button.click()

    _in_dialog(qtbot, NewCellDialog, new_cell, actions["new_cell"].trigger)
    assert [i.text(0) for i in window.tree_items("Cells")] == ["My 21700"]
    editor = window.properties
    assert editor.title.text() == "CellDesign: My 21700"
    nmc_capacity = _figure(window, "Capacity")
    assert _figure(window, "Maximum voltage") == 4.2

    editor.choose_material("positive.active_material", "lfp")  # the cathode becomes LFP
    assert _figure(window, "Maximum voltage") == 3.6 and _figure(window, "Minimum voltage") == 2.0
    assert _figure(window, "Capacity") < 0.8 * nmc_capacity
    cell = window.project.find("cell", "My 21700")
    assert cell.pybamm_parameter_set == "Prada2013" and cell.positive.particle_radius < 1e-7

    def new_pack(dialog) -> None:
        assert dialog.cell.currentData() == cell.id  # the selected cell
        dialog.name.setText("Module")
        dialog.voltage.setText("48 V")
        dialog.energy.setText("2 kWh")
        dialog.propose_button.click()
        assert dialog.series.value() == 15 and dialog.options.rowCount() == 3
        dialog.parts["enclosure"].setChecked(True)
        assert dialog.parts["cooling_plate"].isChecked()
        screenshot(dialog, "new_pack_dialog")
        dialog.create_button.click()

    _in_dialog(qtbot, NewPackDialog, new_pack, actions["new_pack"].trigger)
    pack = window.project.find("pack", "Module")
    assert pack.cell == cell.id and pack.cooling_plate is not None and pack.enclosure is not None
    window.select_in_tree("Packs", "Module")
    assert _figure(window, "Energy") >= 2.0  # kW.h: at least what was asked for
    assert _figure(window, "Nominal voltage") == pytest.approx(15 * 3.3)

    window.select_in_tree("Cells", "My 21700")
    actions["variant"].trigger()
    assert window.properties.title.text() == "CellDesign: My 21700 (variant)"
    editor.type_into("positive.coating_thickness", "130 um")
    editor.type_into("negative.coating_thickness", "110 um")
    thick = window.project.find("cell", "My 21700 (variant)")
    assert thick.positive.coating_thickness == pytest.approx(130e-6)

    window.tree.clearSelection()
    for item in window.tree_items("Cells"):
        item.setSelected(True)
    actions["compare"].trigger()
    view = window.tabs.currentWidget()
    assert view.comparison.names == ("My 21700", "My 21700 (variant)")
    capacity = view.cell_text("Capacity", 1)
    assert "(+" in capacity and view.comparison.row("Capacity").differs
    view.only_changes.setChecked(True)
    hidden = sum(view.table.isRowHidden(r) for r in range(view.table.rowCount()))
    assert 0 < hidden < view.table.rowCount()
    screenshot(window, "compare_variants")

    while window.undo_stack.canUndo():  # undo everything: back to an empty project
        window.undo_action.trigger()
    assert window.project.list("cell") == [] and window.project.list("pack") == []


def test_rename_delete_refused_while_in_use_and_undo(window, qtbot) -> None:
    from cellwright.projects.design.authoring import new_cell, new_pack
    from cellwright.projects.model import DesignKind, DesignRef, Study

    window.new_project()
    cell = new_cell("template:18650", "Cell A")
    window.add_design(cell)
    window.add_design(new_pack("Pack A", cell.id, 4, 1))
    study = Study(name="s", engine="electrochem.ecm",
                  design=DesignRef(kind=DesignKind.CELL, id=cell.id))  # fmt: skip
    window.project.put(study)
    window.select_in_tree("Cells", "Cell A")
    window.rename_design(window.project.find("cell", "Cell A"), "Cell B")
    assert [i.text(0) for i in window.tree_items("Cells")] == ["Cell B"]
    errors = []
    window.show_error = lambda title, text: errors.append((title, text))
    steps = window.undo_stack.index()
    assert not window.delete_designs([window.project.find("cell", "Cell B")])
    assert errors[0][1] == (
        "cell design Cell B is the design of study s and the cell of pack Pack A; "
        "delete those first"
    )
    assert window.project.list("cell") and window.undo_stack.index() == steps
    window.project.delete("study", study.id)  # a study without results may go
    packs = window.project.list("pack")
    # the pack and its cell together: the pack goes first, so its cell is free
    assert window.delete_designs([window.project.find("cell", "Cell B"), *packs])
    assert window.project.list("cell") == [] and window.project.list("pack") == []
    window.undo_action.trigger()
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert [c.name for c in window.project.list("cell")] == ["Cell A"]


def test_tree_context_menus_offer_the_design_actions(window) -> None:
    window.new_project()
    window.import_design_file(RESOURCES / "examples" / "designs" / "module-4s2p.toml")

    def texts(group, name=None):
        items = window.tree_items(group)
        item = next(i for i in items if i.text(0) == name) if name else window.tree.findItems(
            group, QtCore.Qt.MatchFlag.MatchExactly)[0]  # fmt: skip
        return [a.text().replace("&", "") for a in window.context_menu_for(item).actions()]

    assert "New cell design…" in texts("Cells") and "Import design file…" in texts("Cells")
    pack_menu = texts("Packs", "4s2p module")
    assert {"Duplicate as variant", "Rename…", "Delete", "Export design file…"} <= set(pack_menu)
    library_menu = texts("Library", "LG INR21700 M50")
    assert "New cell design…" in library_menu and "New pack…" in library_menu


def test_design_files_from_and_to_the_window(window, tmp_path) -> None:
    from cellwright.projects.design.design_file import read_design_file

    window.new_project()
    added = window.import_design_file(RESOURCES / "examples" / "designs" / "lfp-21700.toml")
    assert [d.name for d in added] == ["LFP 21700"]
    out = window.export_design_file(added[0], tmp_path / "lfp.toml")
    assert read_design_file(out).cell == window.project.find("cell", "LFP 21700")
    bad = tmp_path / "bad.toml"
    bad.write_text('[cell]\nname = "x"\nfrom = "template:21700"\n[cell.positive]\nporosity = 2\n')
    assert window.import_design_file(bad) == []
    assert "bad.toml:5: cell.positive.porosity" in window.log.toPlainText()


def test_export_of_a_name_typed_without_suffix_takes_the_chosen_format(
    window, tmp_path, monkeypatch
) -> None:
    from PySide6 import QtWidgets

    from cellwright.projects.design.design_file import read_design_file

    window.new_project()
    added = window.import_design_file(RESOURCES / "examples" / "designs" / "lfp-21700.toml")
    monkeypatch.setattr(window, "selected_designs", lambda: added)
    for chosen, suffix in (("JSON (*.json)", ".json"), ("TOML (*.toml)", ".toml")):
        typed = str(tmp_path / f"typed{suffix.upper()[1:]}")
        monkeypatch.setattr(
            QtWidgets.QFileDialog, "getSaveFileName", lambda *a, t=typed, c=chosen: (t, c)
        )
        window._on_export_design_triggered()
        assert read_design_file(typed + suffix).cell.name == "LFP 21700"
    # a name with a suffix the dialog does not offer is refused, not written as TOML
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getSaveFileName", lambda *a: (str(tmp_path / "d.txt"), "")
    )
    errors = []
    monkeypatch.setattr(window, "show_error", lambda title, text: errors.append(text))
    window._on_export_design_triggered()
    assert errors and "cannot write .txt; use .toml, .json" in errors[0]
    assert not (tmp_path / "d.txt").exists()


def test_a_cells_ecm_parameters_are_chosen_by_name_not_typed_as_an_id(window) -> None:
    from cellwright.engines.electrochem.ecm_parameters import ecm_parameters_from_pybamm

    window.new_project()
    stored = ecm_parameters_from_pybamm()
    window.project.put(stored)
    window.import_design_file(RESOURCES / "examples" / "designs" / "lfp-21700.toml")
    window.select_in_tree("Cells", "LFP 21700")
    combo = window.properties.editors["ecm_parameters"]
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "(none)",
        f"{stored.name} ({stored.id})",
    ]
    assert combo.currentText() == "(none)"
    combo.activated.emit(1)  # the user picks the stored fit by its name
    assert window.project.find("cell", "LFP 21700").ecm_parameters == stored.id
    combo = window.properties.editors["ecm_parameters"]
    assert combo.currentText() == f"{stored.name} ({stored.id})"
    window.undo_action.trigger()
    assert window.project.find("cell", "LFP 21700").ecm_parameters is None
    # an id that names nothing stored (its fit deleted) is shown as such, and can be cleared
    window.project.delete("ecm_parameters", stored.id)
    window.undo_stack.redo()
    window.select_in_tree("Cells", "LFP 21700")
    combo = window.properties.editors["ecm_parameters"]
    assert combo.currentText() == f"{stored.id} (missing)"
    combo.activated.emit(0)
    assert window.project.find("cell", "LFP 21700").ecm_parameters is None


def test_a_cells_pybamm_parameter_set_is_chosen_from_the_installed_sets(window) -> None:
    from cellwright.projects.library import lithium_ion_parameter_sets

    window.new_project()
    window.import_design_file(RESOURCES / "examples" / "designs" / "lfp-21700.toml")
    window.select_in_tree("Cells", "LFP 21700")
    combo = window.properties.editors["pybamm_parameter_set"]
    # a typed 'abc' was taken, and the study failed only when it ran
    assert isinstance(combo, QtWidgets.QComboBox)
    names = [combo.itemText(i) for i in range(combo.count())]
    assert names[0] == "(none)" and set(names[1:]) == set(lithium_ion_parameter_sets())
    before = window.project.find("cell", "LFP 21700").pybamm_parameter_set
    assert combo.currentText() == (before or "(none)")
    combo.activated.emit(combo.findText("Chen2020"))
    assert window.project.find("cell", "LFP 21700").pybamm_parameter_set == "Chen2020"
    window.undo_action.trigger()
    assert window.project.find("cell", "LFP 21700").pybamm_parameter_set == before


def test_material_picker_filters_and_shows_sources(window, qtbot) -> None:
    from cellwright.app.material_picker import MaterialPicker

    picker = MaterialPicker(window.library, ("cathode_active",), {"nmc811"}, "nmc811")
    qtbot.addWidget(picker)
    assert set(picker.shown_ids()) >= {"lfp", "nmc811", "nca"}
    assert "[project override]" in picker.matches.currentItem().text()
    picker.property.setCurrentIndex(picker.property.findData("specific_capacity"))
    picker.low.setText("180")
    assert set(picker.shown_ids()) == {"nca", "nmc622", "nmc811"}
    picker.search.setText("nca")
    assert picker.shown_ids() == ["nca"]
    sources = [picker.details.item(r, 2).text() for r in range(picker.details.rowCount())]
    assert any("Nitta" in s for s in sources)
    picker.choose_button.click()
    assert picker.chosen == "nca"
    picker.grab().save(str(SCREENSHOTS / "material_picker.png"))


def test_a_row_of_18650s_and_too_many_in_parallel_in_the_new_pack_dialog(window, qtbot) -> None:
    """A pack of one row of 18650s could not be made (its default cooling plate's channels did
    not fit the 28 mm plate), and 201 in parallel raised inside the dialog (a pydantic error
    that no one caught); the dialog now makes the first and names the field for the second."""
    from cellwright.app.new_pack_dialog import NewPackDialog
    from cellwright.projects.design.authoring import new_cell

    window.new_project()
    cell = new_cell("template:18650", "Small")
    window.add_design(cell)
    window.select_in_tree("Cells", "Small")
    seen = {}

    def act(dialog) -> None:
        dialog.name.setText("Row")
        dialog.series.setValue(4)
        dialog.parallel.setValue(1)
        seen["row"] = (dialog.create_button.isEnabled(), dialog.problem.text())
        dialog.parallel.setValue(201)
        seen["wide"] = (dialog.create_button.isEnabled(), dialog.problem.text())
        screenshot(dialog, "new_pack_too_many_in_parallel")
        dialog.parallel.setValue(1)
        dialog.create_button.click()

    _in_dialog(qtbot, NewPackDialog, act, window.design_actions["new_pack"].trigger)
    assert seen["row"] == (True, "")
    enabled, problem = seen["wide"]
    assert not enabled and problem.startswith("parallel: 201 cells in parallel")
    pack = window.project.find("pack", "Row")
    assert pack.series == 4 and pack.cooling_plate.channel_count == 3
    window.select_in_tree("Packs", "Row")
    assert _figure(window, "Nominal voltage") == pytest.approx(4 * _figure_of_cell(window))


def _figure_of_cell(window) -> float:
    window.select_in_tree("Cells", "Small")
    voltage = _figure(window, "Nominal voltage")
    window.select_in_tree("Packs", "Row")
    return voltage
