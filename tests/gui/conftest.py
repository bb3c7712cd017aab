"""The main-window fixture: temporary settings and recovery folder, no leaked windows."""

from __future__ import annotations

import pytest


@pytest.fixture
def window(qtbot, tmp_path):
    from PySide6 import QtCore, QtWidgets

    from cellwright.app.main_window import MainWindow

    before = set(QtWidgets.QApplication.topLevelWidgets())
    settings = QtCore.QSettings(str(tmp_path / "settings.ini"), QtCore.QSettings.Format.IniFormat)
    win = MainWindow(tmp_path / "recovery", settings)
    win.quiet = True  # errors go to the log and status bar, not modal boxes, in tests
    win.confirm_discard = lambda: True
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.library is not None, timeout=20000)
    yield win
    win.close()
    for job in win.jobs.jobs:
        job.wait(10)
    QtWidgets.QApplication.processEvents()
    leaked = [
        w
        for w in set(QtWidgets.QApplication.topLevelWidgets()) - before
        if w.isVisible() and w is not win
    ]
    assert not leaked, f"top-level widgets left open: {leaked}"


@pytest.fixture(autouse=True)
def _no_circuit_fit_outlives_its_test():
    """A lab-data viewer fits an impedance spectrum on a thread of its own ("eis-fit"); each
    test waits for its own fits, so none runs on into the next test's work."""
    yield
    import threading

    for thread in threading.enumerate():
        if thread.name == "eis-fit":
            thread.join(120)
