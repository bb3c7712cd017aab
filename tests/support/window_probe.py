"""Run by tests/gui/test_screen_sizes.py in a fresh process on an X display of a given size:
open the window on a project with its results, then print what a user would see of its layout
as JSON and save a screenshot (argv: project, screenshot path, settings file)."""

from __future__ import annotations

import json
import sys
import tempfile
import traceback
from pathlib import Path


def main() -> None:
    from PySide6 import QtCore, QtWidgets

    project, picture, settings_file = (Path(a) for a in sys.argv[1:4])
    app = QtWidgets.QApplication(["cellwright"])
    from cellwright.app.main_window import MainWindow

    settings = QtCore.QSettings(str(settings_file), QtCore.QSettings.Format.IniFormat)
    window = MainWindow(Path(tempfile.mkdtemp()), settings)
    window.quiet = True
    window.show()
    report: dict = {}

    def when_loaded() -> None:
        if window.library is None:
            QtCore.QTimer.singleShot(100, when_loaded)
            return
        window.open_with_results(project)
        QtCore.QTimer.singleShot(1500, measure)

    def measure() -> None:
        frame, area = window.frameGeometry(), window.screen().availableGeometry()
        metrics = window.tree.fontMetrics()
        longest_top = max(
            metrics.horizontalAdvance(window.tree.topLevelItem(i).text(0))
            for i in range(window.tree.topLevelItemCount())
        )
        # sibling names shown alike once elided (two studies read "4s2p modu… two-way")
        alike = []
        for i in range(window.tree.topLevelItemCount()):
            group = window.tree.topLevelItem(i)
            if not group.childCount():
                continue
            room = window.tree.viewport().width() - 2 * window.tree.indentation() - 8
            shown: dict[str, str] = {}
            for k in range(group.childCount()):
                name = group.child(k).text(0)
                text = metrics.elidedText(name, window.tree.textElideMode(), room)
                if text in shown and shown[text] != name:
                    alike.append([shown[text], name, text])
                shown[text] = name
        window.grab().save(str(picture))
        report.update(
            frame=[frame.x(), frame.y(), frame.width(), frame.height()],
            available=[area.x(), area.y(), area.width(), area.height()],
            inside=area.contains(frame),
            tree_width=window.tree.viewport().width(),
            longest_top_level_name=longest_top + window.tree.indentation(),
            device_pixel_ratio=window.devicePixelRatioF(),
            tabs=window.tabs.count(),
            alike=alike,
        )
        app.quit()

    def fail(kind, value, tb) -> None:
        # an exception in a Qt callback is only printed, and the window would wait for ever
        # for the measure that never comes: end with the traceback instead, so the test says why
        traceback.print_exception(kind, value, tb)
        app.exit(1)

    sys.excepthook = fail
    QtCore.QTimer.singleShot(0, when_loaded)
    if app.exec() != 0:
        sys.exit(1)
    window.close()  # saves the layout, for the next start on another screen
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
