"""Design names in the window: a rename takes what names the design along (one undo step), and
a name another design has is refused wherever a design gets one."""

from __future__ import annotations

import pytest
from PySide6 import QtCore, QtWidgets

from cellwright.resources import ROOT as RESOURCES

pytestmark = pytest.mark.gui


def _answer_rename(qtbot, window, name: str) -> None:
    """Design ▸ Rename… with ``name`` typed into its dialog, as a user would."""
    done = []

    def answer() -> None:
        dialog = QtWidgets.QApplication.activeModalWidget()
        if not isinstance(dialog, QtWidgets.QInputDialog):
            QtCore.QTimer.singleShot(20, answer)
            return
        dialog.setTextValue(name)
        dialog.accept()
        done.append(True)

    QtCore.QTimer.singleShot(20, answer)
    window.design_actions["rename"].trigger()
    qtbot.waitUntil(lambda: bool(done), timeout=10000)


def test_a_rename_in_the_window_keeps_the_pack_study_and_battery_by_name(window, qtbot) -> None:
    from cellwright.projects.design.authoring import new_cell, new_pack
    from cellwright.projects.model import DesignKind, DesignRef, Study
    from cellwright.projects.model.labrun import PhysicalCell

    window.new_project()
    cell = new_cell("template:18650", "Cell A")
    window.add_design(cell)
    # as a design file, a study file and `battery add --design` may store them: by name
    pack = new_pack("Pack A", "Cell A", 4, 1)
    window.project.put(pack)
    study = Study(name="s", engine="electrochem.ecm",
                  design=DesignRef(kind=DesignKind.CELL, id="Cell A"))  # fmt: skip
    window.project.put(study)
    window.project.put(PhysicalCell(name="SN-1", design="Cell A"))
    window.select_in_tree("Cells", "Cell A")

    steps = window.undo_stack.index()
    _answer_rename(qtbot, window, "Cell A")  # accepted unchanged: no step to undo
    assert window.undo_stack.index() == steps
    _answer_rename(qtbot, window, "Cell B")

    project = window.project
    assert [i.text(0) for i in window.tree_items("Cells")] == ["Cell B"]
    assert project.get("pack", pack.id).cell == "Cell B"
    assert project.find("cell", project.get("pack", pack.id).cell).id == cell.id
    assert project.find("cell", project.get("study", study.id).design.id).id == cell.id
    assert project.list("physical_cell")[0].design == "Cell B"
    assert "renamed Cell A to Cell B (and the design of study s" in window.log.toPlainText()
    # one step undoes the rename and the references together, and redoes them
    window.undo_action.trigger()
    assert project.get("cell", cell.id).name == "Cell A"
    assert project.get("pack", pack.id).cell == "Cell A"
    assert project.get("study", study.id).design.id == "Cell A"
    window.redo_action.trigger()
    assert project.get("pack", pack.id).cell == "Cell B"
    assert project.list("physical_cell")[0].design == "Cell B"


def test_a_name_another_design_has_is_refused_in_the_window(window, qtbot) -> None:
    from cellwright.projects.design.authoring import new_cell

    window.new_project()
    errors = []
    window.show_error = lambda title, text: errors.append((title, text))
    first, second = new_cell("template:18650", "Cell A"), new_cell("template:18650", "Cell B")
    window.add_design(first)
    window.add_design(second)
    steps = window.undo_stack.index()

    window.select_in_tree("Cells", "Cell B")
    _answer_rename(qtbot, window, "Cell A")
    assert errors[-1] == (
        "Cannot rename Cell B to Cell A",
        f"a cell design named 'Cell A' is already in the project (id {first.id}); "
        "choose another name",
    )
    # the property editor's name field is the same rename, refused the same way
    window.properties.edit_requested.emit("name", "Cell A")
    assert errors[-1][0] == "Cannot rename Cell B to Cell A"
    assert not window.add_design(new_cell("template:18650", "Cell A"))
    assert errors[-1][0] == "Cannot add cell Cell A"
    assert [c.name for c in window.project.list("cell")] == ["Cell A", "Cell B"]
    assert window.undo_stack.index() == steps  # nothing refused is on the undo stack

    # a variant gets a free name; undoing a rename back to a name taken since is refused
    variant = window.duplicate_design(window.project.get("cell", first.id))
    assert variant.name == "Cell A (variant)"
    assert window.duplicate_design(first).name == "Cell A (variant 2)"
    assert window.rename_design(window.project.get("cell", second.id), "Cell C")
    taken = new_cell("template:18650", "Cell B")
    window.project.put(taken)  # the old name taken since (here past the undo stack)
    window.undo_action.trigger()
    assert errors[-1] == (
        "Cannot undo Rename Cell B to Cell C",
        f"a cell design named 'Cell B' is already in the project (id {taken.id}); "
        "choose another name",
    )
    assert window.project.get("cell", second.id).name == "Cell C"


def test_a_design_file_imported_again_is_the_same_design_not_a_second(window, tmp_path) -> None:
    window.new_project()
    source = RESOURCES / "examples" / "designs" / "module-4s2p.toml"
    assert len(window.import_design_file(source)) == 2
    pack = window.project.find("pack", "4s2p module")
    steps = window.undo_stack.index()
    window.import_design_file(source)  # unchanged: nothing to do
    assert window.undo_stack.index() == steps
    changed = tmp_path / "changed.toml"
    changed.write_text(source.read_text().replace("series = 4", 'series = 4\nnotes = "v2"'))
    window.import_design_file(changed)  # edited: replaces the pack of that name, undoably
    assert [(p.id, p.notes) for p in window.project.list("pack")] == [(pack.id, "v2")]
    window.undo_action.trigger()
    assert [(p.id, p.notes) for p in window.project.list("pack")] == [(pack.id, pack.notes)]


def test_duplicate_as_variant_twice_and_of_a_variant_gives_readable_free_names(window) -> None:
    """The names were "X variant", "X variant (2)" and, of a variant, "X variant variant"."""
    from cellwright.projects.design.authoring import new_cell, new_pack

    window.new_project()
    cell = new_cell("template:21700", "Cell A")
    window.add_design(cell)
    window.add_design(new_pack("Module", cell.id, 4, 2))
    variant = window.design_actions["variant"]

    for _ in range(2):
        window.select_in_tree("Cells", "Cell A")
        variant.trigger()
    window.select_in_tree("Cells", "Cell A (variant)")
    variant.trigger()  # a variant of a variant counts on from the original
    window.select_in_tree("Packs", "Module")
    variant.trigger()

    names = [item.text(0) for item in window.tree_items("Cells")]
    assert sorted(names) == ["Cell A", "Cell A (variant 2)", "Cell A (variant 3)",
                             "Cell A (variant)"]  # fmt: skip
    assert [item.text(0) for item in window.tree_items("Packs")] == ["Module", "Module (variant)"]
    assert window.properties.title.text() == "PackDesign: Module (variant)"
    # each a design of its own: the copies are found by their names
    ids = {window.project.find("cell", name).id for name in names}
    assert len(ids) == 4


def test_designs_of_one_name_in_an_older_project_are_told_apart_in_the_tree(
    window, qtbot, tmp_path
) -> None:
    """Two cell designs of an older project (saved before names were unique) were two
    identical "M50" entries in the tree: which one was being edited could not be told. Each
    gets its kind and the start of its id, the whole id in its tooltip; names of their own
    stay as they are, and a rename apart gives both their plain names back."""
    from cellwright.projects.design.authoring import new_pack
    from cellwright.projects.design.reference_designs import lg_m50
    from cellwright.projects.store import Project

    path = tmp_path / "older.cwproj"
    # ids of the form new_id gives, alike in their first six digits
    first = lg_m50().model_copy(update={"id": "a1b2c3d4e5f6", "name": "M50"})
    second = lg_m50().model_copy(update={"id": "a1b2c3ffffff", "name": "M50"})
    other = lg_m50().model_copy(update={"id": "0123456789ab", "name": "M50 spare"})
    with Project.create(path) as project:
        project.put(first)
        project.put(other)
        project._db.execute(  # as a version before unique names stored it, past today's put()
            "INSERT INTO objects (kind, id, name, json, updated_at) VALUES ('cell', ?, ?, ?, '')",
            (second.id, second.name, second.model_dump_json()),
        )
        project.put(new_pack("M50", first.id, 4, 2))  # a pack of the name: in its own group
    window.open_project(path)

    items = {i.text(0): i for i in window.tree_items("Cells")}
    assert sorted(items) == ["M50 (cell a1b2c3d…)", "M50 (cell a1b2c3f…)", "M50 spare"]
    for label, design in (("M50 (cell a1b2c3d…)", first), ("M50 (cell a1b2c3f…)", second)):
        assert items[label].data(0, QtCore.Qt.ItemDataRole.UserRole) == ("cell", design.id)
        assert f"cell design id {design.id}" in items[label].toolTip(0)
    assert items["M50 spare"].toolTip(0) == "M50 spare"
    assert [i.text(0) for i in window.tree_items("Packs")] == ["M50"]

    window.select_in_tree("Cells", "M50 (cell a1b2c3f…)")
    assert window.properties.obj.id == second.id
    _answer_rename(qtbot, window, "M50 B")
    assert sorted(i.text(0) for i in window.tree_items("Cells")) == ["M50", "M50 B", "M50 spare"]
    assert all(i.toolTip(0) == i.text(0) for i in window.tree_items("Cells"))
