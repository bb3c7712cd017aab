"""No crash escapes the window: unexpected errors become a dialog with the log's place and the
details to copy, errors on files are messages, and nothing changes when an action fails."""

from __future__ import annotations

import os
import threading

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from cellwright.app.commands import PutObject
from cellwright.app.crash_report import install_exception_hook
from cellwright.projects.model import CellDesign
from cellwright.projects.store import Project

pytestmark = [pytest.mark.gui, pytest.mark.qt_no_exception_capture]


@pytest.fixture
def reporter(window, tmp_path):
    reporter = install_exception_hook(window, tmp_path / "cellwright.log")
    yield reporter
    reporter.restore()


def _boom() -> None:
    raise ZeroDivisionError("the slot divided by zero")


def _answer_dialog(qtbot, trigger) -> tuple[str, str]:
    """Run ``trigger``; when the error dialog is up, read it, press Copy details, close it."""
    seen: list[tuple[str, str]] = []

    def answer() -> None:
        box = QtWidgets.QApplication.activeModalWidget()
        if not isinstance(box, QtWidgets.QMessageBox):
            QtCore.QTimer.singleShot(20, answer)  # not up yet
            return
        seen.append((box.text(), box.detailedText()))
        next(b for b in box.buttons() if b.text() == "Copy details").click()
        box.accept()

    QtCore.QTimer.singleShot(20, answer)
    trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    return seen[0]


def test_an_error_in_a_slot_shows_a_dialog_and_the_window_goes_on(
    window, reporter, qtbot, tmp_path
):
    window.quiet = False
    text, details = _answer_dialog(qtbot, lambda: QtCore.QTimer.singleShot(0, _boom))
    assert "ZeroDivisionError: the slot divided by zero" in text
    assert str(tmp_path / "cellwright.log") in text
    assert "Traceback" in details and "_boom" in details
    assert QtGui.QGuiApplication.clipboard().text() == details
    assert "the slot divided by zero" in (tmp_path / "cellwright.log").read_text()
    window.new_project()  # still usable
    window.push(PutObject(window.project, CellDesign(name="after the error")))
    assert [i.text(0) for i in window.tree_items("Cells")] == ["after the error"]


def test_an_error_in_a_thread_reaches_the_ui_thread(window, reporter, qtbot) -> None:
    window.quiet = False

    def start() -> None:
        worker = threading.Thread(target=_boom, name="loader")
        worker.start()
        worker.join()

    text, _ = _answer_dialog(qtbot, start)
    assert "in thread loader" in text and "ZeroDivisionError" in text


def test_a_damaged_result_is_reported_and_the_others_open(window, example_project, tmp_path):
    import shutil

    copy = tmp_path / "damaged.cwproj"
    shutil.copy(example_project, copy)
    with Project.open(copy) as project:
        studies = {s.id for s in project.list("design_study")}  # their results: in their tabs
        first, second = [r for r in project.results() if r.study_id not in studies][:2]
        project._db.execute("UPDATE results SET json = '{' WHERE id = ?", (first.id,))
    assert window.open_project(copy)
    items = {i.text(0): i for i in window.tree_items("Results")}
    window._on_tree_activated(items[first.name], 0)
    assert window.tabs.count() == 0
    assert (
        f"Cannot open {first.name}" in window.log.toPlainText()
        and "damaged" in window.log.toPlainText()
    )
    window._on_tree_activated(items[second.name], 0)
    assert window.tabs.count() == 1


def test_a_project_from_a_newer_cellwright_is_refused_and_the_window_goes_on(window, tmp_path):
    import json

    from cellwright.projects.model import PhysicalCell

    path = tmp_path / "newer.cwproj"
    with Project.create(path) as project:
        project.put(PhysicalCell(name="SN-1"))
        # a field this version does not know, as a later release may store
        row = project._db.execute("SELECT id, json FROM objects WHERE kind = 'physical_cell'")
        cell_id, text = row.fetchone()
        newer = {**json.loads(text), "fitted_sets": ["abc"]}
        update = "UPDATE objects SET json = ? WHERE id = ?"
        project._db.execute(update, (json.dumps(newer), cell_id))
    before = path.read_bytes()
    assert not window.open_project(path)
    assert window.project is None and window.work is None
    assert "stored physical_cell" in window.log.toPlainText()  # what is wrong, and where
    assert path.read_bytes() == before  # the file is as it was
    window.new_project()  # and the window goes on
    assert window.project is not None


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_save_as_into_a_read_only_folder_changes_nothing_posix(window, tmp_path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    _save_as_fails(window, tmp_path, locked / "p.cwproj", "permission denied")


def test_save_as_into_a_missing_folder_changes_nothing(window, tmp_path) -> None:
    _save_as_fails(window, tmp_path, tmp_path / "no such folder" / "p.cwproj", "does not exist")


def _save_as_fails(window, tmp_path, target, reason: str) -> None:
    first = tmp_path / "first.cwproj"
    window.new_project()
    window.push(PutObject(window.project, CellDesign(name="kept")))
    assert window.save_as(first)
    window.push(PutObject(window.project, CellDesign(name="unsaved edit")))
    title = window.windowTitle()
    assert not window.save_as(target)
    assert window.work.original == first and window.windowTitle() == title
    assert window.work.dirty and not target.exists()
    assert reason in window.log.toPlainText()
    assert window.save()  # the project still saves to its own file
    with Project.open(first, readonly=True) as saved:
        assert {c.name for c in saved.list("cell")} == {"kept", "unsaved edit"}
