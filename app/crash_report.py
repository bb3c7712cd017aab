"""No crash escapes the window: an unexpected error becomes a dialog, the window stays usable.

:func:`install_exception_hook` replaces ``sys.excepthook`` (which PySide6 calls for an exception
raised in a slot or an event handler) and ``threading.excepthook``. The handler writes the
traceback to the log file, then shows what failed, where the log is and a button that copies the
details — on the UI thread, whichever thread failed. Errors the user can act on
(:class:`~cellwright.projects.model.InputError`) are shown as such, without the traceback.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6 import QtCore, QtGui, QtWidgets

from cellwright.projects.model import InputError

__all__ = ["CrashReporter", "install_exception_hook", "log_file"]

_log = logging.getLogger("cellwright")


def log_file() -> Path:
    """The log file of this user (created on first use)."""
    import platformdirs

    folder = Path(platformdirs.user_log_dir("cellwright"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "cellwright.log"


def _attach_log_file(path: Path) -> None:
    from logging.handlers import RotatingFileHandler

    if any(getattr(h, "baseFilename", None) == str(path) for h in _log.handlers):
        return
    handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _log.addHandler(handler)
    _log.setLevel(logging.INFO)


class CrashReporter(QtCore.QObject):
    """Shows unexpected errors on the UI thread. ``reported`` carries (title, text, details)."""

    reported = QtCore.Signal(str, str, str)

    def __init__(self, parent: QtWidgets.QWidget, log_path: Path) -> None:
        super().__init__(parent)
        self.window = parent
        self.log_path = log_path
        self.last_details = ""
        self._showing = False
        self.reported.connect(self._on_reported, QtCore.Qt.ConnectionType.QueuedConnection)

    def handle(
        self,
        kind: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
        where: str = "",
    ) -> None:
        """Log an exception and queue its dialog (safe from any thread)."""
        details = "".join(traceback.format_exception(kind, exc, tb))
        if isinstance(exc, InputError):
            _log.warning("%s%s", f"{where}: " if where else "", exc)
            self.reported.emit("Cannot do that", str(exc), "")
            return
        _log.error("unexpected error%s\n%s", f" in {where}" if where else "", details)
        text = (
            f"Something went wrong{f' in {where}' if where else ''}: "
            f"{kind.__name__}: {exc}\n\nThe window is still usable and your project is kept in "
            f"its working copy. The details are in the log:\n{self.log_path}"
        )
        self.reported.emit("Unexpected error", text, details)

    def _on_reported(self, title: str, text: str, details: str) -> None:
        self.last_details = details or text
        log = getattr(self.window, "log_message", None)
        if log is not None:
            log(f"{title}: {text.splitlines()[0]}")
        if self._showing or getattr(self.window, "quiet", False):
            return  # one dialog at a time; the rest are in the log
        self._showing = True
        try:
            self._dialog(title, text, details).exec()
        finally:
            self._showing = False

    def _dialog(self, title: str, text: str, details: str) -> QtWidgets.QMessageBox:
        box = QtWidgets.QMessageBox(self.window)
        box.setIcon(
            QtWidgets.QMessageBox.Icon.Critical if details else QtWidgets.QMessageBox.Icon.Warning
        )
        box.setWindowTitle(title)
        box.setText(text)
        if details:
            box.setDetailedText(details)
            copy = box.addButton("Copy details", QtWidgets.QMessageBox.ButtonRole.ActionRole)
            copy.clicked.disconnect()  # keep the box open after copying
            copy.clicked.connect(lambda: QtGui.QGuiApplication.clipboard().setText(details))
        box.addButton(QtWidgets.QMessageBox.StandardButton.Ok)
        return box


def install_exception_hook(
    window: QtWidgets.QWidget, log_path: Path | None = None
) -> CrashReporter:
    """Route every uncaught exception (UI thread and other threads) to a dialog over ``window``.

    Returns the reporter; the previous hooks are restored when ``window`` is destroyed.
    """
    log_path = log_path or log_file()
    _attach_log_file(log_path)
    reporter = CrashReporter(window, log_path)
    previous_sys, previous_thread = sys.excepthook, threading.excepthook

    def sys_hook(kind, exc, tb) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous_sys(kind, exc, tb)
            return
        reporter.handle(kind, exc, tb)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "a background thread"
        reporter.handle(args.exc_type, args.exc_value, args.exc_traceback, f"thread {name}")

    sys.excepthook, threading.excepthook = sys_hook, thread_hook

    def restore() -> None:
        if sys.excepthook is sys_hook:
            sys.excepthook = previous_sys
        if threading.excepthook is thread_hook:
            threading.excepthook = previous_thread

    window.destroyed.connect(restore)
    reporter.restore = restore
    return reporter
