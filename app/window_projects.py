"""The main window's projects: new, open, save, save as, close, recent files, the title.

The window edits a working copy (projects.store.open_for_editing); Save writes it back over the
user's file, Save As writes the new file first and only then makes it the project's file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6 import QtWidgets

from cellwright.projects.model import InputError

__all__ = ["ProjectsMixin"]


class ProjectsMixin:
    """Part of :class:`cellwright.app.main_window.MainWindow` (expects its settings, tree, tabs,
    undo stack and property editor)."""

    @property
    def project(self):
        """The open project (the working copy), or None."""
        return self.work.project if self.work is not None else None

    def new_project(self) -> None:
        """Start a new, unsaved project."""
        from cellwright.projects.store import new_for_editing

        if not self.close_project():
            return
        self.work = new_for_editing(self.recovery_dir)
        self._after_open("new project")

    def open_project(self, path: str | Path) -> bool:
        """Open a project file; a bad file is reported and nothing changes."""
        from cellwright.projects.store import open_for_editing

        if not self.close_project():
            return False
        try:
            self.work = open_for_editing(path, self.recovery_dir)
            self._after_open(str(path))  # reads every record: a damaged or newer one fails here
        except InputError as exc:
            problem = exc
        except sqlite3.DatabaseError as exc:
            if type(exc) is not sqlite3.DatabaseError:  # a locked file, a constraint: not damage
                raise
            # a damaged page the check at open did not reach, met by the tree
            problem = InputError(f"the project file is damaged ({exc})", str(path))
        else:
            self._remember_recent(Path(path))
            return True
        if self.work is not None:
            self.work.discard()  # the working copy only: the file itself is untouched
            self.work = None
            self._after_open("nothing: the project could not be read")
        self.show_error("Cannot open project", str(problem))
        return False

    def _after_open(self, label: str) -> None:
        self.undo_stack.clear()
        self._refresh_tree()
        self._update_title()
        self.update_central()
        self.log_message(f"opened {label}")

    def save(self) -> bool:
        """Save to the project's file (asks for one if it has none); False if it failed."""
        if self.work is None:
            return False
        if self.work.original is None:
            return self._on_save_as_triggered()
        try:
            self.work.save()
        except InputError as exc:
            self.show_error("Cannot save", str(exc))
            return False
        self._update_title()
        self.statusBar().showMessage(f"saved {self.work.original}", 5000)
        return True

    def save_as(self, path: str | Path) -> bool:
        """Save under a new name; if that fails the project keeps its file and nothing else
        changes."""
        try:
            self.work.save_as(Path(path))
        except InputError as exc:
            self.show_error("Cannot save", str(exc))
            return False
        self._remember_recent(Path(path))
        self._update_title()
        self.statusBar().showMessage(f"saved {path}", 5000)
        return True

    def close_project(self) -> bool:
        """Close the project, asking about unsaved edits; False if the user backs out."""
        if self.work is None:
            return True
        if self.work.dirty and not self.confirm_discard():
            return False
        self.cancel_design_studies()  # they write to this project
        self.work.discard()
        self.work = None
        self.undo_stack.clear()
        self.properties.set_object(None)
        for i in reversed(range(self.tabs.count())):
            self._on_tab_close_requested(i)
        self._refresh_tree()
        self._update_title()
        self.update_central()
        return True

    def confirm_discard(self) -> bool:
        """Ask whether unsaved edits may be saved (True to go on, False to stay)."""
        answer = QtWidgets.QMessageBox.question(
            self,
            "Unsaved changes",
            "Save the changes to this project first?",
            QtWidgets.QMessageBox.StandardButton.Save
            | QtWidgets.QMessageBox.StandardButton.Discard
            | QtWidgets.QMessageBox.StandardButton.Cancel,
        )
        if answer == QtWidgets.QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QtWidgets.QMessageBox.StandardButton.Discard

    def _update_title(self) -> None:
        if self.work is None:
            self.setWindowTitle("Cellwright")
            return
        name = self.work.original.name if self.work.original else "Untitled"
        self.setWindowTitle(f"{name}{' *' if self.work.dirty else ''} — Cellwright")

    def _remember_recent(self, path: Path) -> None:
        recent = [p for p in self.settings.value("recent", [], list) if p != str(path)]
        self.settings.setValue("recent", [str(path), *recent][:10])
        self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.value("recent", [], list):
            self._action(self.recent_menu, path, lambda _=False, p=path: self.open_project(p))

    # -- dialogs ------------------------------------------------------------------------------
    def _on_open_triggered(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, "Open project", "", "Cellwright projects (*.cwproj)"
        )
        if path:
            self.open_project(path)

    def _on_save_as_triggered(self) -> bool:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, "Save project as", "", "Cellwright projects (*.cwproj)"
        )
        if not path:
            return False
        return self.save_as(path if path.endswith(".cwproj") else path + ".cwproj")
