"""The main-window fixture: temporary settings and recovery folder, no leaked windows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


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


def screenshot(widget, name: str) -> Path:
    """Save a picture of ``widget`` under build/screenshots and check it is not blank."""
    from PySide6 import QtGui

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    image = widget.grab().toImage().convertToFormat(QtGui.QImage.Format.Format_RGB32)
    assert image.save(str(path))
    ptr = image.constBits()
    pixels = np.frombuffer(ptr, dtype=np.uint8, count=image.sizeInBytes())
    assert pixels.reshape(-1, 4)[:, :3].std() > 10, f"{name} looks blank"
    return path
