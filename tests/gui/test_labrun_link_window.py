"""Linking a lab run to the cell it was measured on, from the tree's context menu, as
``cellwright labdata link`` does on the command line."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def _project_with_run(window, qtbot, fixtures_dir, serials=("SN-1", "SN-2")):
    from cellwright.projects.passport.batteries import add_battery

    window.new_project()
    task = window.import_labdata([fixtures_dir / "cycler/arbin_res/arbin_example.res"])
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    qtbot.waitUntil(lambda: len(window.tree_items("Lab data")) == 1, timeout=5000)
    design = window.library.cells()[0]
    for serial in serials:
        add_battery(window.project, serial, design.id)
    window._refresh_tree()
    return window.project.list("labrun")[0], design


def _link_action(window):
    (item,) = window.tree_items("Lab data")
    window.tree.setCurrentItem(item)
    menu = window.context_menu_for(item)
    (action,) = [a for a in menu.actions() if a.text().replace("&", "") == "Link to battery…"]
    return menu, action


def _pick_in_dialog(qtbot, serial: str, shots: list) -> None:
    """When the modal dialog shows, pick ``serial`` in its list and press Link."""
    from PySide6 import QtCore, QtWidgets

    def pick() -> None:
        dialog = QtWidgets.QApplication.activeModalWidget()
        if dialog is None:
            QtCore.QTimer.singleShot(20, pick)
            return
        rows = [dialog.cells.item(i) for i in range(dialog.cells.count())]
        shots.append([r.text() for r in rows])
        shots.append(dialog.serial())  # the cell it offers first
        dialog.grab().save("/tmp/labwin_link_dialog.png")
        (row,) = [r for r in rows if r.data(QtCore.Qt.ItemDataRole.UserRole) == serial]
        dialog.cells.setCurrentItem(row)
        buttons = dialog.findChild(QtWidgets.QDialogButtonBox)
        qtbot.mouseClick(
            buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok),
            QtCore.Qt.MouseButton.LeftButton,
        )

    QtCore.QTimer.singleShot(0, pick)


def test_a_run_is_linked_to_the_cell_picked_once(window, qtbot, fixtures_dir) -> None:
    from cellwright.projects.passport.batteries import find_battery

    run, design = _project_with_run(window, qtbot, fixtures_dir)
    cell = find_battery(window.project, "SN-2")
    _, action = _link_action(window)
    assert action.isEnabled()
    seen: list = []
    _pick_in_dialog(qtbot, "SN-2", seen)
    action.trigger()
    assert seen == [[f"SN-1 — {design.name}", f"SN-2 — {design.name}"], "SN-1"]
    assert window.project.get("labrun", run.id).physical_cell == cell.id
    assert [e.kind for e in window.project.events(cell.id)].count("labrun") == 1
    assert "linked arbin_example to SN-2" in window.statusBar().currentMessage()
    assert window.work.dirty and window.windowTitle().startswith("Untitled *")

    _, action = _link_action(window)  # the tree was rebuilt: a fresh item and menu
    _pick_in_dialog(qtbot, "SN-2", seen)
    action.trigger()
    assert seen[-1] == "SN-2"  # linked already: the dialog starts on its cell
    assert [e.kind for e in window.project.events(cell.id)].count("labrun") == 1
    assert "already" in window.statusBar().currentMessage()


def test_a_run_of_another_cell_is_refused_with_a_message(window, qtbot, fixtures_dir) -> None:
    from cellwright.projects.passport.batteries import find_battery

    run, _ = _project_with_run(window, qtbot, fixtures_dir)
    window.link_labrun(run.id, "SN-1")
    _, action = _link_action(window)
    _pick_in_dialog(qtbot, "SN-2", [])
    action.trigger()  # a refusal raised out of the slot would fail the test (pytest-qt)
    assert "linked to cell 'SN-1' already" in window.statusBar().currentMessage()
    assert (
        window.project.get("labrun", run.id).physical_cell
        == find_battery(window.project, "SN-1").id
    )
    assert window.project.events(find_battery(window.project, "SN-2").id)[-1].kind != "labrun"


def test_an_open_battery_tab_shows_the_linked_run(window, qtbot, fixtures_dir) -> None:
    run, _ = _project_with_run(window, qtbot, fixtures_dir, serials=("SN-1",))
    tab = window.open_battery("SN-1")
    assert "labrun" not in tab.timeline.marks
    window.link_labrun(run.id, "SN-1")
    assert "labrun" in tab.timeline.marks
    qtbot.wait(150)
    tab.grab().save("/tmp/labwin_link_timeline.png")


def test_without_cells_the_action_is_greyed_and_says_how_to_add_one(
    window, qtbot, fixtures_dir
) -> None:
    _project_with_run(window, qtbot, fixtures_dir, serials=())
    menu, action = _link_action(window)
    assert not action.isEnabled()
    assert "File ▸ Add battery…" in action.toolTip()  # the window has it too
    assert "cellwright battery add" in action.toolTip()
    assert menu.toolTipsVisible()
