"""Library browser: search, sources, side-by-side comparison, copy as an editable override."""

from __future__ import annotations

import pytest

from support.screens import screenshot

pytestmark = pytest.mark.gui


def test_search_compare_and_copy_override(window, qtbot) -> None:
    window.new_project()
    browser = window.open_library_browser()
    browser.search.setText("nmc")
    ids = {e.id for e in browser.entries()}
    assert {"nmc111", "nmc532", "nmc622", "nmc811"} <= ids
    browser.select("nmc811")
    rows = {
        browser.cell_text(r, 0): (browser.cell_text(r, 1), browser.cell_text(r, 2))
        for r in range(browser.details.rowCount())
    }
    assert rows["specific_capacity"][0] == "203 A.h/kg"
    assert "Noh et al. 2013" in rows["specific_capacity"][1]
    browser.select("nmc811", "nmc622")
    assert browser.details.columnCount() == 3
    header = [browser.details.horizontalHeaderItem(c).text() for c in range(3)]
    assert header[1:] == [
        "NMC 622 (LiNi0.6Mn0.2Co0.2O2)",
        "NMC 811 (LiNi0.8Mn0.1Co0.1O2)",
    ] or header[1:] == ["NMC 811 (LiNi0.8Mn0.1Co0.1O2)", "NMC 622 (LiNi0.6Mn0.2Co0.2O2)"]
    qtbot.wait(100)
    screenshot(window, "library_browser")
    browser.class_combo.setCurrentText("cells")
    browser.search.setText("")
    assert all(e.id for e in browser.entries()) and len(browser.entries()) == 11
    browser.class_combo.setCurrentText("all")
    browser.select("lfp")
    browser.copy_button.click()
    assert [m.id for m in window.project.list("material")] == ["lfp"]
    window.select_in_tree("Overrides", "Lithium iron phosphate (LiFePO4)")
    window.properties.type_into("name", "LFP from our supplier")
    assert window.project.get("material", "lfp").name == "LFP from our supplier"
    window.undo_action.trigger()
    assert window.project.get("material", "lfp").name == "Lithium iron phosphate (LiFePO4)"
    assert window.library.material("lfp").name == "Lithium iron phosphate (LiFePO4)"


def test_import_library_entries_from_a_folder(window, tmp_path) -> None:
    folder = tmp_path / "supplier"
    folder.mkdir()
    (folder / "materials.csv").write_text(
        "id,name,material_class,chemistry,description\n"
        "nmc955,NMC 955 from supplier X,cathode_active,NMC955,sample lot 42\n"
    )
    (folder / "material_properties.csv").write_text(
        "material_id,property,value,unit,source,note\n"
        "nmc955,specific_capacity,215,mA.h/g,Supplier X data sheet rev. 3,\n"
    )
    assert window.import_library_entries(folder) == 1
    assert window.project.get("material", "nmc955").value("specific_capacity") == 215.0
    assert [i.text(0) for i in window.tree_items("Overrides")] == ["NMC 955 from supplier X"]
    (folder / "material_properties.csv").write_text(
        "material_id,property,value,unit,source,note\nnmc955,specific_capacity,215,kg,x,\n"
    )
    from cellwright.projects.model import InputError

    with pytest.raises(InputError, match=r"material_properties.csv:2: field 'value'/'unit'"):
        window.import_library_entries(folder)
