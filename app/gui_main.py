"""Start the Cellwright window: ``cellwright gui [PROJECT]`` or ``cellwright-gui``."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["main"]


def main(
    argv: list[str] | None = None, show_results: bool = False, open_example: bool = False
) -> int:
    """Create the application and the main window, open a project if one is given (and, with
    ``show_results``, its results in tabs), or with ``open_example`` the example project with
    its results, built in the background first if needed: the first look of ``make run``."""
    import os

    import platformdirs
    from PySide6 import QtWidgets

    from cellwright.app.crash_report import install_exception_hook
    from cellwright.app.launch import has_display
    from cellwright.app.main_window import MainWindow

    argv = list(sys.argv[1:] if argv is None else argv)
    app = QtWidgets.QApplication.instance()
    # without a display Qt aborts the process (a core dump after a page of plugin names); a
    # platform the user chose (offscreen, vnc ...) is theirs to keep
    if app is None and not has_display() and not os.environ.get("QT_QPA_PLATFORM"):
        print(
            "error: no display to show the window on (DISPLAY and WAYLAND_DISPLAY are unset); "
            "run it on a desktop, through 'ssh -X', or under 'xvfb-run cellwright gui'",
            file=sys.stderr,
        )
        return 2
    app = app or QtWidgets.QApplication(["cellwright"])
    app.setApplicationName("Cellwright")
    app.setOrganizationName("Cellwright")
    recovery = Path(platformdirs.user_state_dir("cellwright")) / "recovery"
    window = MainWindow(recovery)
    install_exception_hook(window)
    window.show()
    _offer_recovery(window, recovery)
    if argv and show_results:
        window.open_with_results(Path(argv[0]))
    elif argv:
        window.open_project(argv[0])
    elif open_example and window.project is None:
        window.open_example()
    return app.exec()


def _offer_recovery(window, recovery: Path) -> None:
    from PySide6 import QtWidgets

    from cellwright.projects.store import discard_recovered, recoverable_projects

    for entry in recoverable_projects(recovery):
        name = entry.original.name if entry.original else "an unsaved project"
        answer = QtWidgets.QMessageBox.question(
            window,
            "Recover unsaved work",
            f"Cellwright did not close normally. Recover the unsaved work on {name} "
            f"(last change {entry.modified:%Y-%m-%d %H:%M})?",
        )
        if answer == QtWidgets.QMessageBox.StandardButton.Yes:
            if window.open_project(entry.copy) and window.work is not None:
                window.work.original = entry.original
                discard_recovered(entry.copy)  # its work is in the new working copy
            return


if __name__ == "__main__":
    sys.exit(main())
