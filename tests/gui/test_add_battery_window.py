"""Registering a physical battery in the window, from the project tree's context menu and the
File menu, as ``cellwright battery add`` does on the command line — used as a person would."""

from __future__ import annotations

import pytest

from support.screens import screenshot

pytestmark = pytest.mark.gui


def _project_with_designs(window):
    from cellwright.projects.design.authoring import new_cell, new_pack

    window.new_project()
    cell = new_cell("template:18650", "Cell A", window.project, window.library)
    window.add_design(cell)
    window.add_design(new_pack("Pack A", cell.id, 4, 2, project=window.project))
    return cell


def _when_modal(qtbot, kind, then) -> None:
    """Once a modal ``kind`` shows, call ``then`` with it (from the event loop it runs)."""
    from PySide6 import QtCore, QtWidgets

    def poll() -> None:
        widget = QtWidgets.QApplication.activeModalWidget()
        if not isinstance(widget, kind):
            QtCore.QTimer.singleShot(20, poll)
            return
        then(widget)

    QtCore.QTimer.singleShot(0, poll)


def _right_click(window, qtbot, item, pick: str, seen: list) -> None:
    """Right-click ``item`` in the tree and choose ``pick`` in the menu that opens."""
    from PySide6 import QtCore, QtGui, QtWidgets

    def choose() -> None:
        menu = QtWidgets.QApplication.activePopupWidget()
        if not isinstance(menu, QtWidgets.QMenu):
            QtCore.QTimer.singleShot(20, choose)
            return
        seen.append([a.text().replace("&", "") for a in menu.actions()])
        (action,) = [a for a in menu.actions() if a.text().replace("&", "") == pick]
        menu.setActiveAction(action)
        qtbot.keyClick(menu, QtCore.Qt.Key.Key_Return)

    window.tree.scrollToItem(item)
    where = window.tree.visualItemRect(item).center()
    viewport = window.tree.viewport()
    QtCore.QTimer.singleShot(0, choose)
    event = QtGui.QContextMenuEvent(
        QtGui.QContextMenuEvent.Reason.Mouse, where, viewport.mapToGlobal(where)
    )
    QtWidgets.QApplication.sendEvent(viewport, event)


def _fill(qtbot, dialog, serial: str, design: str = "", date: str = "", kind: str = "cell"):
    from PySide6 import QtCore

    dialog.serial.clear()
    qtbot.keyClicks(dialog.serial, serial)
    dialog.kind.setCurrentText(kind)
    index = dialog.design.findText(design) if design else 0
    assert index >= 0, [dialog.design.itemText(i) for i in range(dialog.design.count())]
    dialog.design.setCurrentIndex(index)
    dialog.production_date.clear()
    qtbot.keyClicks(dialog.production_date, date)
    qtbot.mouseClick(dialog.add_button, QtCore.Qt.MouseButton.LeftButton)


def test_a_cell_added_from_the_tree_shows_and_opens_its_history(window, qtbot) -> None:
    from PySide6 import QtCore

    from cellwright.app.window_add_battery import AddBatteryDialog
    from cellwright.projects.passport.batteries import find_battery

    _project_with_designs(window)
    (group,) = window.tree.findItems("Batteries", QtCore.Qt.MatchFlag.MatchExactly)
    seen: list = []

    def add(dialog) -> None:
        seen.append([dialog.design.itemText(i) for i in range(dialog.design.count())])
        dialog.kind.setCurrentText("pack")
        seen.append([dialog.design.itemText(i) for i in range(dialog.design.count())])
        dialog.kind.setCurrentText("cell")
        qtbot.keyClicks(dialog.serial, "SN-1")
        dialog.design.setCurrentIndex(dialog.design.findText("Cell A"))
        qtbot.keyClicks(dialog.production_date, "2024-03-01")
        qtbot.keyClicks(dialog.manufacturer, "Acme")
        screenshot(dialog, "add_battery_dialog")
        qtbot.mouseClick(dialog.add_button, QtCore.Qt.MouseButton.LeftButton)

    _when_modal(qtbot, AddBatteryDialog, add)
    _right_click(window, qtbot, group, "Add battery…", seen)
    assert seen[0] == ["Add battery…"]
    assert seen[1][:2] == ["none", "Cell A"]  # the project's cells, then the library's
    assert any(label.endswith("(library)") for label in seen[1])
    assert seen[2] == ["none", "Pack A"]  # a pack is built to a pack design
    assert [i.text(0) for i in window.tree_items("Batteries")] == ["SN-1"]
    assert window.tree.currentItem().text(0) == "SN-1"
    battery = find_battery(window.project, "SN-1")
    assert (battery.kind, battery.obj.design) == ("cell", window.project.find("cell", "Cell A").id)
    assert battery.obj.production_date.isoformat() == "2024-03-01"
    assert battery.obj.manufacturer == "Acme"
    assert window.work.dirty and window.windowTitle().startswith("Untitled *")
    assert "added cell SN-1" in window.statusBar().currentMessage()

    window._on_tree_activated(window.tree.currentItem(), 0)  # as a double-click does
    tab = window.tabs.currentWidget()
    assert tab.serial == "SN-1"
    assert list(tab.timeline.marks) == ["registered"]
    assert tab.timeline.table.item(0, 1).text() == "registered"


def test_a_cell_added_from_its_pack_goes_into_it(window, qtbot) -> None:
    from cellwright.app.window_add_battery import AddBatteryDialog
    from cellwright.projects.passport.batteries import find_battery

    _project_with_designs(window)
    _when_modal(qtbot, AddBatteryDialog, lambda d: _fill(qtbot, d, "PK-1", "Pack A", kind="pack"))
    window.add_battery_action.trigger()  # File ▸ Add battery…
    (pack_item,) = window.tree_items("Batteries")
    assert pack_item.text(0) == "PK-1 (pack)"

    offered: list = []

    def add_cell(dialog) -> None:
        offered.append((dialog.pack.currentText(), dialog.pack.isEnabled()))
        _fill(qtbot, dialog, "SN-7", "Cell A")

    _when_modal(qtbot, AddBatteryDialog, add_cell)
    _right_click(window, qtbot, pack_item, "Add battery…", [])
    assert offered == [("PK-1", True)]  # a cell added from its pack goes into it
    cell = find_battery(window.project, "SN-7")
    assert cell.obj.pack == find_battery(window.project, "PK-1").id
    assert [e.kind for e in window.project.events(cell.id)] == ["registered", "pack_membership"]
    assert [i.text(0) for i in window.tree_items("Batteries")] == ["PK-1 (pack)", "SN-7"]


def test_a_duplicate_serial_or_a_bad_date_is_shown_and_nothing_is_saved(window, qtbot) -> None:
    from cellwright.app.window_add_battery import AddBatteryDialog
    from cellwright.projects.passport.batteries import add_battery, batteries

    cell = _project_with_designs(window)
    add_battery(window.project, "SN-1", cell.id)
    window._refresh_tree()
    before = (len(batteries(window.project)), len(window.project.events()))
    shown: dict = {}

    def state(dialog, field) -> tuple:
        label = dialog.error  # the whole message shows, not its first line
        whole = label.height() >= label.heightForWidth(label.width())
        return (dialog.isVisible(), label.text(), dialog.focusWidget() is field, whole)

    def refuse(dialog) -> None:
        _fill(qtbot, dialog, "SN-1", "Cell A")
        shown["serial"] = state(dialog, dialog.serial)
        screenshot(dialog, "add_battery_duplicate")
        _fill(qtbot, dialog, "SN-2", "Cell A", date="2023-02-29")
        shown["date"] = state(dialog, dialog.production_date)
        screenshot(dialog, "add_battery_bad_date")
        shown["saved"] = len(batteries(window.project))  # while the dialog is open
        dialog.reject()

    _when_modal(qtbot, AddBatteryDialog, refuse)
    window.add_battery_action.trigger()
    message = "Serial: a battery with serial 'SN-1' exists already"
    assert shown["serial"] == (True, message, True, True)
    message = (
        "Production date: production date '2023-02-29' is not a date: February 2023 has 28 days; "
        "expected a calendar date, as 2024-02-29 (YYYY-MM-DD)"
    )
    assert shown["date"] == (True, message, True, True)
    assert shown["saved"] == before[0]
    assert (len(batteries(window.project)), len(window.project.events())) == before
    assert [i.text(0) for i in window.tree_items("Batteries")] == ["SN-1"]


def test_undoing_the_design_a_battery_was_registered_to_is_refused(window, qtbot) -> None:
    """Edit ▸ Undo of "add cell design" after a battery was registered to it deleted the design
    and left the battery naming one that no longer existed."""
    from cellwright.app.window_add_battery import AddBatteryDialog
    from cellwright.projects.design.authoring import new_cell
    from cellwright.projects.passport.batteries import find_battery

    window.new_project()
    cell = new_cell("template:18650", "Cell A", window.project, window.library)
    window.add_design(cell)
    _when_modal(qtbot, AddBatteryDialog, lambda d: _fill(qtbot, d, "SN-1", "Cell A"))
    window.add_battery_action.trigger()  # File ▸ Add battery…
    assert find_battery(window.project, "SN-1").obj.design == cell.id
    errors: list = []
    window.show_error = lambda title, text: errors.append((title, text))
    steps, undo_text = window.undo_stack.index(), window.undo_action.text()

    window.undo_action.trigger()  # Edit ▸ Undo "Add cell Cell A"
    assert errors == [
        ("Cannot undo Add cell Cell A", "cell design Cell A is the design of battery SN-1; "
         "a design stays while a battery is built to it")
    ]  # fmt: skip
    assert window.project.get("cell", cell.id).name == "Cell A"  # the design stays
    # the stack did not move: Undo still offers the same step, Redo nothing
    assert window.undo_stack.index() == steps and window.undo_action.text() == undo_text
    assert not window.undo_stack.canRedo()
    assert [i.text(0) for i in window.tree_items("Cells")] == ["Cell A"]


def test_redoing_a_delete_after_a_battery_was_registered_is_refused(window, qtbot) -> None:
    from cellwright.app.window_add_battery import AddBatteryDialog

    cell = _project_with_designs(window)
    window.delete_designs(window.project.list("pack"))
    window.undo_action.trigger()  # the pack is back; a battery is registered to it
    _when_modal(qtbot, AddBatteryDialog, lambda d: _fill(qtbot, d, "PK-1", "Pack A", kind="pack"))
    window.add_battery_action.trigger()
    errors: list = []
    window.show_error = lambda title, text: errors.append((title, text))
    steps = window.undo_stack.index()

    window.redo_action.trigger()  # Edit ▸ Redo "Delete Pack A"
    assert errors == [
        ("Cannot redo Delete Pack A", "pack design Pack A is the design of battery PK-1; "
         "a design stays while a battery is built to it")
    ]  # fmt: skip
    assert [p.name for p in window.project.list("pack")] == ["Pack A"]
    assert window.undo_stack.index() == steps and window.undo_stack.canRedo()
    # and Design ▸ Delete of its cell names the pack design
    assert not window.delete_designs([window.project.get("cell", cell.id)])
    assert errors[1][1] == "cell design Cell A is the cell of pack Pack A; delete those first"
