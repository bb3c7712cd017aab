"""The main window's library: the browser tab, copying entries as overrides, importing them."""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtWidgets

from cellwright.projects.model import InputError

__all__ = ["LibraryMixin"]


class LibraryMixin:
    """Part of :class:`cellwright.app.main_window.MainWindow` (expects its project, tabs and undo
    stack)."""

    def open_library_browser(self):
        """A tab to search, compare and copy library entries."""
        from cellwright.app.library_browser import LibraryBrowser

        if self.library is None:
            self.statusBar().showMessage("the library is still loading", 3000)
            return None
        browser = LibraryBrowser(self.library)
        browser.copy_requested.connect(self._on_library_copy_requested)
        self.tabs.setCurrentIndex(self.tabs.addTab(browser, "Library"))
        return browser

    def _on_library_copy_requested(self, entry) -> None:
        from cellwright.app.commands import PutObject

        if self.project is None:
            self.new_project()
        self.push(PutObject(self.project, entry))
        self.log_message(f"copied {entry.id} into the project as an editable override")

    def import_library_entries(self, folder: str | Path) -> int:
        """Add the materials and cells of a folder in the seed format as project overrides.

        The folder holds ``materials.csv`` with ``material_properties.csv`` and/or
        ``cells.toml`` (resources/library/README.md). Nothing is added if any entry is invalid.
        """
        from cellwright.projects.library.seed import read_cells, read_materials

        folder = Path(folder)
        entries = []
        if (folder / "materials.csv").exists():
            entries += read_materials(folder)
        if (folder / "cells.toml").exists():
            entries += read_cells(folder)
        if not entries:
            raise InputError("no materials.csv or cells.toml in this folder", str(folder))
        if self.project is None:
            self.new_project()
        with self.project.transaction():
            for entry in entries:
                self.project.put(entry)
        self.undo_stack.clear()
        self._refresh_tree()
        self._update_title()
        self.log_message(f"imported {len(entries)} library entries from {folder}")
        return len(entries)

    def _on_import_library_triggered(self) -> None:
        folder = QtWidgets.QFileDialog.getExistingDirectory(self, "Folder with library files")
        if folder:
            try:
                self.import_library_entries(folder)
            except InputError as exc:
                self.show_error("Cannot import library entries", str(exc))
