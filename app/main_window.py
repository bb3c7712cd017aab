"""The Cellwright main window: project tree, tabs of viewers, jobs and log docks.

The window edits a working copy of the project (projects.store.open_for_editing): every change
is committed at once to the copy in the recovery folder, Save writes it back to the user's
file. Studies run in worker processes; the jobs panel polls them. Nothing slow runs on the UI
thread: the library loads in a background thread, engines run in other processes.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from cellwright.app.jobs_panel import JobsPanel
from cellwright.app.property_editor import PropertyEditor
from cellwright.app.undo import UndoStack
from cellwright.app.window_cooling import CoolingMixin
from cellwright.app.window_editing import EditingMixin
from cellwright.app.window_labdata import LabDataMixin
from cellwright.app.window_library import LibraryMixin
from cellwright.app.window_preview import PreviewMixin
from cellwright.app.window_studies import StudiesMixin
from cellwright.projects.model import InputError

__all__ = ["MainWindow"]

_GROUPS = ("Library", "Overrides", "Cells", "Packs", "Studies", "Results", "Lab data")


class _LibraryLoader(QtCore.QObject):
    loaded = QtCore.Signal(object)


class MainWindow(
    StudiesMixin,
    EditingMixin,
    PreviewMixin,
    LabDataMixin,
    LibraryMixin,
    CoolingMixin,
    QtWidgets.QMainWindow,
):
    """The main window. ``recovery_dir`` holds working copies; ``settings`` persists layout."""

    def __init__(self, recovery_dir: Path, settings: QtCore.QSettings | None = None) -> None:
        super().__init__()
        self.recovery_dir = Path(recovery_dir)
        self.settings = settings or QtCore.QSettings("Cellwright", "Cellwright")
        self.work = None  # projects.store.WorkingCopy
        self.library = None
        self.setWindowTitle("Cellwright")
        self.resize(1400, 860)
        self.tree = QtWidgets.QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.itemDoubleClicked.connect(self._on_tree_activated)
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setTabsClosable(True)
        self.tabs.tabCloseRequested.connect(self._on_tab_close_requested)
        self.setCentralWidget(self.tabs)
        self.jobs = JobsPanel(parent=self)
        self.jobs.finished.connect(self._on_job_finished)
        self.log = QtWidgets.QPlainTextEdit()
        self.log.setReadOnly(True)
        self.undo_stack = UndoStack(self)
        self.undo_stack.edited.connect(self._on_project_edited)
        self.properties = PropertyEditor()
        self.properties.edit_requested.connect(self._on_property_edit_requested)
        self.tree.itemSelectionChanged.connect(self._on_tree_selection_changed)
        self._dock("Project", self.tree, QtCore.Qt.DockWidgetArea.LeftDockWidgetArea)
        self._dock("Properties", self.properties, QtCore.Qt.DockWidgetArea.RightDockWidgetArea)
        self._dock("Jobs", self.jobs, QtCore.Qt.DockWidgetArea.BottomDockWidgetArea)
        self._dock("Log", self.log, QtCore.Qt.DockWidgetArea.BottomDockWidgetArea)
        self._init_cooling()
        self._make_menus()
        self.statusBar().showMessage("Ready")
        self.setAcceptDrops(True)
        self._restore_layout()
        self._load_library_in_background()
        self._refresh_tree()

    # -- construction -------------------------------------------------------------------------
    def _dock(self, title: str, widget: QtWidgets.QWidget, area) -> QtWidgets.QDockWidget:
        dock = QtWidgets.QDockWidget(title, self)
        dock.setObjectName(f"dock-{title}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, menu, text: str, slot, shortcut=None) -> QtGui.QAction:
        action = QtGui.QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _make_menus(self) -> None:
        keys = QtGui.QKeySequence.StandardKey
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&New project", self.new_project, keys.New)
        self._action(file_menu, "&Open…", self._on_open_triggered, keys.Open)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self._action(file_menu, "&Save", self.save, keys.Save)
        self._action(file_menu, "Save &as…", self._on_save_as_triggered, keys.SaveAs)
        self._action(file_menu, "&Close project", self.close_project, keys.Close)
        self._action(file_menu, "&Import lab data…", self._on_import_labdata_triggered, "Ctrl+I")
        self._action(file_menu, "Compare selected lab runs", self._on_compare_runs_triggered)
        export_menu = file_menu.addMenu("&Export")
        self._action(export_menu, "Result series as &CSV…", self._on_export_csv_triggered)
        self._action(export_menu, "&Figure as PNG…", self._on_export_png_triggered)
        file_menu.addSeparator()
        self._action(file_menu, "&Preferences…", self._on_preferences_triggered, keys.Preferences)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, keys.Quit)
        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(keys.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(keys.Redo)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        library_menu = self.menuBar().addMenu("&Library")
        self._action(library_menu, "&Browse library", self.open_library_browser, "Ctrl+L")
        self._action(library_menu, "&Import library entries…", self._on_import_library_triggered)
        study_menu = self.menuBar().addMenu("&Study")
        self._action(study_menu, "&Run study…", self.show_run_dialog, "Ctrl+R")
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&About Cellwright", self._on_about_triggered)
        self._fill_recent_menu()

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)

    def _load_library_in_background(self) -> None:
        self._loader = _LibraryLoader()
        self._loader.loaded.connect(self._on_library_loaded)

        def load() -> None:
            from cellwright.projects.library import Library

            self._loader.loaded.emit(Library.load_builtin())
            # warm the Qt-free imports the first result needs (array codec, VTK: ~0.6 s) so
            # opening it stalls the event loop less; Qt-based modules (pyqtgraph, pyvistaqt)
            # are left to the UI thread, where Qt objects belong
            import blosc2  # noqa: F401
            import pyvista  # noqa: F401

        threading.Thread(target=load, daemon=True, name="library-loader").start()

    def _on_library_loaded(self, library) -> None:
        self.library = library
        self._refresh_tree()
        if self.properties.obj is not None:  # figures need the library: show them now
            self._on_tree_selection_changed()
        self.log_message(
            f"library loaded: {len(library.materials())} materials, {len(library.cells())} cells"
        )

    # -- projects -----------------------------------------------------------------------------
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
        except InputError as exc:
            self.show_error("Cannot open project", str(exc))
            return False
        self._remember_recent(Path(path))
        self._after_open(str(path))
        return True

    def _after_open(self, label: str) -> None:
        self.undo_stack.clear()
        self._refresh_tree()
        self._update_title()
        self.log_message(f"opened {label}")

    def save(self) -> bool:
        """Save to the project's file (asks for one if it has none)."""
        if self.work is None:
            return False
        if self.work.original is None:
            return self._on_save_as_triggered()
        self.work.save()
        self._update_title()
        self.statusBar().showMessage(f"saved {self.work.original}", 5000)
        return True

    def save_as(self, path: str | Path) -> None:
        """Save under a new name."""
        self.work.save_as(Path(path))
        self._remember_recent(Path(path))
        self._update_title()

    def close_project(self) -> bool:
        """Close the project, asking about unsaved edits; False if the user backs out."""
        if self.work is None:
            return True
        if self.work.dirty and not self.confirm_discard():
            return False
        self.work.discard()
        self.work = None
        self.undo_stack.clear()
        self.properties.set_object(None)
        for i in reversed(range(self.tabs.count())):
            self._on_tab_close_requested(i)
        self._refresh_tree()
        self._update_title()
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

    # -- tree and tabs ------------------------------------------------------------------------
    def _refresh_tree(self) -> None:
        selected = [i.data(0, QtCore.Qt.ItemDataRole.UserRole) for i in self.tree.selectedItems()]
        self.tree.blockSignals(True)
        self.tree.clear()
        groups = {g: QtWidgets.QTreeWidgetItem(self.tree, [g]) for g in _GROUPS}
        if self.library is not None:
            for cell in self.library.cells():
                item = QtWidgets.QTreeWidgetItem(groups["Library"], [cell.name])
                item.setData(0, QtCore.Qt.ItemDataRole.UserRole, ("library_cell", cell.id))
        if self.project is not None:
            for kind, group in (
                ("material", "Overrides"),
                ("library_cell", "Overrides"),
                ("cell", "Cells"),
                ("pack", "Packs"),
                ("study", "Studies"),
            ):
                for obj in self.project.list(kind):
                    item = QtWidgets.QTreeWidgetItem(groups[group], [obj.name])
                    item.setData(0, QtCore.Qt.ItemDataRole.UserRole, (kind, obj.id))
            for run in self.project.list("labrun"):
                item = QtWidgets.QTreeWidgetItem(groups["Lab data"], [run.name])
                item.setData(0, QtCore.Qt.ItemDataRole.UserRole, ("labrun", run.id))
            for info in self.project.results():
                item = QtWidgets.QTreeWidgetItem(groups["Results"], [info.name or info.id])
                item.setData(0, QtCore.Qt.ItemDataRole.UserRole, ("result", info.id))
        for group in groups.values():
            group.setExpanded(group.text(0) != "Library")
            for i in range(group.childCount()):
                if (
                    selected
                    and group.child(i).data(0, QtCore.Qt.ItemDataRole.UserRole) == selected[0]
                ):
                    group.child(i).setSelected(True)
        self.tree.blockSignals(False)

    def tree_items(self, group: str) -> list[QtWidgets.QTreeWidgetItem]:
        """The items under a top-level group of the project tree."""
        top = self.tree.findItems(group, QtCore.Qt.MatchFlag.MatchExactly)[0]
        return [top.child(i) for i in range(top.childCount())]

    def _on_tree_activated(self, item: QtWidgets.QTreeWidgetItem, _column: int) -> None:
        data = item.data(0, QtCore.Qt.ItemDataRole.UserRole)
        if data and data[0] == "result":
            self.open_result(data[1])
        elif data and data[0] == "labrun":
            self.open_labrun(data[1])

    def open_result(self, result_id: str) -> QtWidgets.QWidget:
        """Show a stored result: its curves and its scalars (and fields, when it has them)."""
        from cellwright.viewers.plot_viewer import PlotViewer
        from cellwright.viewers.table_viewer import TableViewer

        result = self.project.get_result(result_id)
        page = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        plot = PlotViewer(result) if result.series else None
        if plot is not None:
            page.addWidget(plot)
        table = TableViewer()
        table.set_scalars(result.scalars)
        page.addWidget(table)
        page.setStretchFactor(0, 4)
        page.field_viewer = None
        if result.fields:
            from cellwright.viewers.field_viewer import FieldViewer

            page.field_viewer = FieldViewer(result)
            page.insertWidget(0, page.field_viewer)
            # the 3D view gets most of the height; curves and scalars stay readable below
            shares = [6, 3, 1] if plot is not None else [8, 2]
            for i, share in enumerate(shares):
                page.setStretchFactor(i, share)
            page.setSizes([100 * share for share in shares])
        page.plot_viewer, page.table_viewer = plot, table
        self.add_cooling_views(page, result)
        index = self.tabs.addTab(page, result.name or result.id)
        self.tabs.setCurrentIndex(index)
        return page

    def _on_tab_close_requested(self, index: int) -> None:
        widget = self.tabs.widget(index)
        self.tabs.removeTab(index)
        self._forget_preview(widget)
        if getattr(widget, "field_viewer", None) is not None:
            widget.field_viewer.close_viewer()
        if hasattr(widget, "close_viewer"):
            widget.close_viewer()
        widget.deleteLater()

    # -- messages -----------------------------------------------------------------------------
    def log_message(self, text: str) -> None:
        """Append a line to the log dock."""
        stamp = QtCore.QDateTime.currentDateTime().toString("HH:mm:ss")
        self.log.appendPlainText(f"{stamp}  {text}")

    def show_error(self, title: str, text: str) -> None:
        """Report a problem in the log and the status bar (and a message box when visible)."""
        self.log_message(f"{title}: {text}")
        self.statusBar().showMessage(text, 10000)
        if self.isVisible() and not getattr(self, "quiet", False):
            QtWidgets.QMessageBox.warning(self, title, text)

    def current_viewers(self):
        """The plot and field viewers of the current tab (either may be None)."""
        page = self.tabs.currentWidget()
        return getattr(page, "plot_viewer", None), getattr(page, "field_viewer", None)

    def export_current(self, path: str | Path) -> Path:
        """Export the current tab: .csv writes the plotted series, .png a picture."""
        path = Path(path)
        plot, field = self.current_viewers()
        if path.suffix == ".csv" and plot is not None:
            plot.export_csv(path)
        elif path.suffix == ".png" and field is not None:
            field.save_screenshot(path)
        elif path.suffix == ".png" and plot is not None:
            plot.export_png(path)
        else:
            raise InputError(f"nothing in this tab can be exported as {path.suffix}")
        self.log_message(f"exported {path}")
        return path

    def _on_export_csv_triggered(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "Export series", "", "CSV (*.csv)")
        if path:
            self._export_or_report(path)

    def _on_export_png_triggered(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "Export figure", "", "PNG (*.png)")
        if path:
            self._export_or_report(path)

    def _export_or_report(self, path: str) -> None:
        try:
            self.export_current(path)
        except InputError as exc:
            self.show_error("Cannot export", str(exc))

    def _on_preferences_triggered(self) -> None:
        from cellwright.app.preferences import PreferencesDialog, make_runner

        if PreferencesDialog(self.settings, self).exec():
            self.jobs.runner_factory = lambda: make_runner(self.settings)

    def _on_about_triggered(self) -> None:
        from cellwright.app.about import versions_text

        QtWidgets.QMessageBox.about(self, "About Cellwright", versions_text())

    # -- dialogs and events -------------------------------------------------------------------
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
        self.save_as(path if path.endswith(".cwproj") else path + ".cwproj")
        return True

    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:
        if any(u.toLocalFile().endswith(".cwproj") for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.toLocalFile().endswith(".cwproj"):
                self.open_project(url.toLocalFile())
                break

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if not self.close_project():
            event.ignore()
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.jobs.timer.stop()
        for job in self.jobs.jobs:
            job.cancel()
        event.accept()
