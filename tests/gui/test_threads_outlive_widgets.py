"""A worker thread that outlives the widget it works for hands that widget nothing and takes no
Qt object with it: its results wait in a plain list the widget's own timer polls.

A fit thread that emitted into a signals object of the lab-data viewer's killed the process
(segmentation fault) once the viewer was closed during the fit (3e32866). Each test here holds a
worker deterministically, deletes the widget it works for, then lets the worker finish: the
process lives on, nothing reaches the dead widget, and the worker's function reaches no QObject
(the emit target, or the widget itself, whose last reference, and so its destruction, would
otherwise go with the thread).
"""

from __future__ import annotations

import functools
import gc
import threading
import types
import weakref

import pytest

from support.twin_project import battery_project

pytestmark = pytest.mark.gui


def _qobjects_reachable(thread: threading.Thread) -> list:
    """The QObjects the thread's target and arguments reach through closures, bound methods,
    partials and containers (not through module globals)."""
    from PySide6 import QtCore

    found, seen = [], set()
    stack = [thread._target, thread._args, thread._kwargs]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, QtCore.QObject):
            found.append(obj)
        elif isinstance(obj, types.FunctionType):
            stack += [c.cell_contents for c in obj.__closure__ or () if c.cell_contents is not c]
            stack += [*(obj.__defaults__ or ()), *(obj.__kwdefaults__ or {}).values()]
        elif isinstance(obj, types.MethodType):
            stack += [obj.__self__, obj.__func__]
        elif isinstance(obj, functools.partial):
            stack += [obj.func, *obj.args, *obj.keywords.values()]
        elif isinstance(obj, (tuple, list, set)):
            stack += list(obj)
        elif isinstance(obj, dict):
            stack += list(obj.values())
    return found


def _held_thread(name: str, timeout: float = 20) -> threading.Thread:
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for thread in threading.enumerate():
            if thread.name == name:
                return thread
        time.sleep(0.01)
    raise AssertionError(f"no {name} thread started")


def _delete_now(widget) -> None:
    from PySide6 import QtCore

    widget.deleteLater()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)


def _hold(release: threading.Event, result=None, error: Exception | None = None):
    def held(*_args, **_kwargs):
        release.wait(20)
        if error is not None:
            raise error
        return result

    return held


def test_an_import_dialog_closed_during_its_preview_read(qtbot, fixtures_dir, monkeypatch):
    """The preview read emitted into a signals object the dialog owned and held the dialog
    itself; a dialog closed during a read the user cannot stop (a binary file) and dropped
    was destroyed when the read ended, on the read's thread."""
    from cellwright.app.labdata_import import ImportDialog
    from cellwright.projects import labdata

    release, delivered = threading.Event(), []
    monkeypatch.setattr(labdata, "read_cycler_file", _hold(release, error=IndexError("held")))
    monkeypatch.setattr(ImportDialog, "_on_preview_read", lambda _self, *a: delivered.append(a))
    dialog = ImportDialog([next((fixtures_dir / "cycler/maccor").iterdir())])
    thread = _held_thread("import-preview")
    assert _qobjects_reachable(thread) == []
    dialog.reject()  # waits a second for the held read, then gives up on it
    alive = weakref.ref(dialog)
    del dialog
    gc.collect()
    assert alive() is None  # destroyed here, on the UI thread, not when the read ends
    release.set()
    thread.join(20)
    qtbot.wait(200)
    assert delivered == []


@pytest.fixture(scope="module")
def project_file(tmp_path_factory):
    return battery_project(tmp_path_factory.mktemp("batteries"))


@pytest.mark.parametrize("worker", ["soh-curve", "soh-estimate"])
def test_a_battery_tab_closed_during_its_fit(window, qtbot, project_file, monkeypatch, worker):
    """The fade fit and the estimate emitted into a parentless signals object their thread
    held, so it was destroyed on that thread when it ended, after the tab might be closed."""
    from cellwright.app import twin_estimates
    from cellwright.app.window_batteries import BatteryTab
    from cellwright.projects.passport.batteries import batteries

    release, delivered = threading.Event(), []
    monkeypatch.setattr(twin_estimates, "soh_curve", _hold(release, result={}))
    monkeypatch.setattr(twin_estimates, "estimate_battery", _hold(release))
    monkeypatch.setattr(BatteryTab, "_on_curve", lambda _self, c: delivered.append(c))
    monkeypatch.setattr(BatteryTab, "on_estimated", lambda _self, r: delivered.append(r))
    assert window.open_project(project_file)
    tab = window.open_battery(batteries(window.project)[0].id)
    if worker == "soh-estimate":
        release.set()
        tab.curve_thread.join(20)
        qtbot.wait(200)
        delivered.clear()
        release.clear()
        window.estimate_battery(tab)
    thread = tab.curve_thread if worker == "soh-curve" else tab.estimate_thread
    assert thread.is_alive()
    assert _qobjects_reachable(thread) == []
    window._on_tab_close_requested(window.tabs.indexOf(tab))
    _delete_now(tab)
    del tab
    release.set()
    thread.join(20)
    qtbot.wait(200)
    assert delivered == []


def test_a_window_closed_while_the_library_loads(qtbot, tmp_path, monkeypatch):
    """The library loader emitted through a parentless signals object it reached through the
    window, so it held the window: a window closed and dropped before the load ended was
    released, with its parentless QObjects (that signals object, its QSettings), on the
    loader's thread."""
    from PySide6 import QtCore

    from cellwright.app.main_window import MainWindow
    from cellwright.projects.library import Library

    release, delivered = threading.Event(), []
    monkeypatch.setattr(Library, "load_builtin", _hold(release, result="library"))
    monkeypatch.setattr(MainWindow, "_on_library_loaded", lambda _self, lib: delivered.append(lib))
    settings = QtCore.QSettings(str(tmp_path / "settings.ini"), QtCore.QSettings.Format.IniFormat)
    win = MainWindow(tmp_path / "recovery", settings)
    win.quiet, win.confirm_discard = True, lambda: True
    thread = _held_thread("library-loader")
    assert _qobjects_reachable(thread) == []
    win.close()
    _delete_now(win)
    alive = weakref.ref(win)
    del win
    gc.collect()
    assert alive() is None  # the thread does not hold the window
    release.set()
    thread.join(60)  # the loader goes on to import VTK
    qtbot.wait(200)
    assert delivered == []
