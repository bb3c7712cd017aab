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

from cellwright.app.design_labels import shared_name_labels
from cellwright.app.jobs_panel import JobsPanel
from cellwright.app.property_editor import PropertyEditor
from cellwright.app.ui_thread_gc import UiThreadCollector
from cellwright.app.undo import UndoStack
from cellwright.app.window_add_battery import AddBatteryMixin
from cellwright.app.window_batteries import BatteriesMixin
from cellwright.app.window_cooling import CoolingMixin
from cellwright.app.window_design_studies import DesignStudiesMixin
from cellwright.app.window_designs import DesignsMixin
from cellwright.app.window_editing import EditingMixin
from cellwright.app.window_export import ExportMixin
from cellwright.app.window_labdata import LabDataMixin
from cellwright.app.window_labrun_link import LabRunLinkMixin
from cellwright.app.window_library import LibraryMixin
from cellwright.app.window_preview import PreviewMixin
from cellwright.app.window_projects import ProjectsMixin
from cellwright.app.window_report import ReportMixin
from cellwright.app.window_start import StartMixin, fit_to_screen
from cellwright.app.window_studies import StudiesMixin
from cellwright.projects.model import InputError
from cellwright.viewers.result_focus import focus_words
from cellwright.viewers.worker_result import deliver_when_ready

__all__ = ["MainWindow"]

_GROUPS = (
    "Library",
    "Overrides",
    "Cells",
    "Packs",
    "Studies",
    "Design studies",
    "Results",
    "Lab data",
    "Batteries",
)


def _load_library(out: list) -> None:
    """Runs in the "library-loader" thread: appends the built-in library to ``out``, which the
    window polls. It touches no Qt object, nor the window: it emitted through a parentless
    signals object reached through the window, so the thread held the window, and a window
    closed before the thread ended had its last reference, and its own parentless QObjects
    (that signals object, its QSettings), released on this thread."""
    from cellwright.projects.library import Library

    out.append(Library.load_builtin())
    # warm the Qt-free imports the first result needs (array codec, VTK: ~0.6 s) so opening it
    # stalls the event loop less; Qt-based modules (pyqtgraph, pyvistaqt) are left to the UI
    # thread, where Qt objects belong
    import blosc2  # noqa: F401

    from cellwright.viewers.vtk_imports import import_vtk_stack

    import_vtk_stack(qt=False)  # under the lock the UI thread's pyvistaqt import takes


class MainWindow(
    ProjectsMixin,
    StartMixin,
    StudiesMixin,
    DesignStudiesMixin,
    DesignsMixin,
    EditingMixin,
    ExportMixin,
    ReportMixin,
    PreviewMixin,
    LabDataMixin,
    LabRunLinkMixin,
    LibraryMixin,
    BatteriesMixin,
    AddBatteryMixin,
    CoolingMixin,
    QtWidgets.QMainWindow,
):
    """The main window. ``recovery_dir`` holds working copies; ``settings`` persists layout."""

    def __init__(self, recovery_dir: Path, settings: QtCore.QSettings | None = None) -> None:
        super().__init__()
        # the window's threads (library loader, tasks, viewers' fits) allocate too: Python's
        # cycle collector must not run there and destroy the window's Qt objects off-thread
        UiThreadCollector.install(QtWidgets.QApplication.instance())
        self.recovery_dir = Path(recovery_dir)
        self.settings = settings or QtCore.QSettings("Cellwright", "Cellwright")
        self.work = None  # projects.store.WorkingCopy
        self.library = None
        self.setWindowTitle("Cellwright")
        self.resize(1400, 860)
        self.tree = QtWidgets.QTreeWidget()
        self.tree.setHeaderHidden(True)
        # long names are cut at their end ("4s2p module of LG M50 on a cooling…"); the tooltip
        # has them whole
        self.tree.setTextElideMode(QtCore.Qt.TextElideMode.ElideRight)
        self.tree.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.itemDoubleClicked.connect(self._on_tree_activated)
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setTabsClosable(True)
        self.tabs.tabCloseRequested.connect(self._on_tab_close_requested)
        self.central = QtWidgets.QStackedWidget()
        self.central.addWidget(self.make_welcome_page())
        self.central.addWidget(self.tabs)
        self.setCentralWidget(self.central)
        self.jobs = JobsPanel(parent=self)
        self.design_study_runners, self.study_views = [], {}
        self._labruns_loading: dict = {}  # run id -> the task reading it (one per run)
        self.jobs.finished.connect(self._on_job_finished)
        self.log = QtWidgets.QPlainTextEdit()
        self.log.setReadOnly(True)
        self.undo_stack = UndoStack(self)
        self.undo_stack.edited.connect(self._on_project_edited)
        self.undo_stack.refused.connect(self._on_edit_refused)
        self.properties = PropertyEditor()
        self.properties.edit_requested.connect(self._on_property_edit_requested)
        self.tree.itemSelectionChanged.connect(self._on_tree_selection_changed)
        self.tree_dock = self._dock(
            "Project", self.tree, QtCore.Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self._dock("Properties", self.properties, QtCore.Qt.DockWidgetArea.RightDockWidgetArea)
        self.bottom_docks = [
            self._dock("Jobs", self.jobs, QtCore.Qt.DockWidgetArea.BottomDockWidgetArea),
            self._dock("Log", self.log, QtCore.Qt.DockWidgetArea.BottomDockWidgetArea),
        ]
        self.properties_dock = self.findChild(QtWidgets.QDockWidget, "dock-Properties")
        self._init_cooling()
        self._make_menus()
        self.statusBar().showMessage("Ready")
        self.setAcceptDrops(True)
        self._restore_layout()
        self._load_library_in_background()
        self._refresh_tree()
        self.update_central()

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
        self.make_add_battery_action(file_menu)
        self.fill_export_menu(file_menu.addMenu("&Export"))
        self._action(file_menu, "Export &report…", self.show_report_dialog, "Ctrl+Shift+E")
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
        design_menu = self.menuBar().addMenu("&Design")
        actions = self.make_design_actions(design_menu)
        library_menu = self.menuBar().addMenu("&Library")
        self._action(library_menu, "&Browse library", self.open_library_browser, "Ctrl+L")
        self._action(library_menu, "&Import library entries…", self._on_import_library_triggered)
        study_menu = self.menuBar().addMenu("&Study")
        run = self._action(study_menu, "&Run study…", self.show_run_dialog, "Ctrl+R")
        self._action(study_menu, "&Design study…", self.show_design_study_dialog, "Ctrl+Shift+R")
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("toolbar-main")
        toolbar.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (actions["new_cell"], actions["new_pack"], actions["variant"],
                       actions["compare"], run):  # fmt: skip
            toolbar.addAction(action)
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&Getting started", lambda: self.show_help("tour"), "F1")
        self._action(help_menu, "&Keyboard shortcuts", lambda: self.show_help("shortcuts"))
        self._action(help_menu, "&About Cellwright", self._on_about_triggered)
        self._fill_recent_menu()

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        fit_to_screen(self, restored=geometry is not None)
        if state is None:  # first start: the tree wide enough for its names
            self._size_tree_dock()

    def _size_tree_dock(self) -> None:
        """Give the project tree the width of its longest top-level name (at most a quarter
        of the window; longer names are cut at their end, with the whole name as tooltip)."""
        metrics = self.tree.fontMetrics()
        longest = max(metrics.horizontalAdvance(g) for g in _GROUPS)
        # room for typical design and result names too: at 34 characters, cut in the middle, two
        # of the example's studies, "4s2p module on 3 x US06: 3D temperature (ECM, two-way)" and
        # "4s2p module on US06, cooled through its coolant network (ECM, two-way)", both read
        # "4s2p modu… two-way"; names tell themselves apart near their start, and a method in
        # brackets at their end is often the same
        wanted = max(longest + 2 * self.tree.indentation() + 60, 54 * metrics.averageCharWidth())
        width = min(wanted, self.width() // 4)
        self.tree_dock.setMinimumWidth(min(longest + self.tree.indentation() + 40, width))
        self.resizeDocks([self.tree_dock], [width], QtCore.Qt.Orientation.Horizontal)
        # the results get the height: jobs and log start as a strip of about four lines
        strip = 4 * self.log.fontMetrics().lineSpacing() + 40
        self.resizeDocks(self.bottom_docks, [strip, strip], QtCore.Qt.Orientation.Vertical)
        side = max(300, min(420, self.width() // 4))
        self.resizeDocks([self.properties_dock], [side], QtCore.Qt.Orientation.Horizontal)

    def _load_library_in_background(self) -> None:
        loaded: list = []
        threading.Thread(
            target=_load_library, args=(loaded,), daemon=True, name="library-loader"
        ).start()
        deliver_when_ready(self, loaded, self._on_library_loaded)  # the thread holds no window

    def _on_library_loaded(self, library) -> None:
        self.library = library
        self._refresh_tree()
        if self.properties.obj is not None:  # figures need the library: show them now
            self._on_tree_selection_changed()
        self.log_message(
            f"library loaded: {len(library.materials())} materials, {len(library.cells())} cells"
        )

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
                ("design_study", "Design studies"),
            ):
                objs = self.project.list(kind)
                # two designs of an older project that share a name: each with kind and id
                shared = shared_name_labels(objs, kind) if kind in ("cell", "pack") else {}
                for obj in objs:
                    label, tooltip = shared.get(obj.id, (obj.name, ""))
                    item = QtWidgets.QTreeWidgetItem(groups[group], [label])
                    item.setData(0, QtCore.Qt.ItemDataRole.UserRole, (kind, obj.id))
                    item.setToolTip(0, tooltip)
            for run in self.project.list("labrun"):
                item = QtWidgets.QTreeWidgetItem(groups["Lab data"], [run.name])
                item.setData(0, QtCore.Qt.ItemDataRole.UserRole, ("labrun", run.id))
            in_studies = self.design_study_result_ids()
            for info in (i for i in self.project.results() if i.id not in in_studies):
                item = QtWidgets.QTreeWidgetItem(groups["Results"], [info.name or info.id])
                item.setData(0, QtCore.Qt.ItemDataRole.UserRole, ("result", info.id))
            self._add_battery_items(groups["Batteries"])
        for group in groups.values():
            group.setExpanded(group.text(0) != "Library")
            for i in range(group.childCount()):
                if not group.child(i).toolTip(0):
                    group.child(i).setToolTip(0, group.child(i).text(0))  # whole, when elided
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
        try:
            if data and data[0] == "result":
                self.open_result(data[1])
            elif data and data[0] == "design_study":
                self.open_design_study(data[1])
            elif data and data[0] == "labrun":
                self.open_labrun(data[1])
            elif data and data[0] in ("physical_cell", "physical_pack"):
                self.open_battery(data[1])
        except InputError as exc:  # a damaged result or run: say so, keep the window as it is
            self.show_error(f"Cannot open {item.text(0)}", str(exc))

    def open_result(self, result_id: str) -> QtWidgets.QWidget:
        """Show a stored result: its curves and its scalars (and fields, when it has them)."""
        from cellwright.viewers.plot_viewer import PlotViewer
        from cellwright.viewers.result_focus import result_focus
        from cellwright.viewers.result_units import lengths_in_mm
        from cellwright.viewers.table_viewer import TableViewer

        result = self.project.get_result(result_id)
        focus = result_focus(result)
        split = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        plot = PlotViewer(result) if result.series else None
        if plot is not None and focus.series and focus.x is not None:
            plot.select(focus.x, [focus.series])
        table = TableViewer()
        table.set_scalars(result.scalars, lengths_in_mm(result))
        field_viewer = None
        if result.fields:
            from cellwright.viewers.field_viewer import FieldViewer

            field_viewer = FieldViewer(result)
            field_viewer.focus(focus.field, focus.time)
            # the 3D view gets most of the height; the curves and the scalars share the strip
            # below it side by side
            below = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
            for widget in (plot, table):
                if widget is not None:
                    below.addWidget(widget)
            # the scalars need room for their names: a crush has "Short-circuit onset
            # displacement", a thermal study "Maximum cell surface temperature"
            below.setSizes([620, 380] if plot is not None else [1000])
            split.addWidget(field_viewer)
            split.addWidget(below)
            split.setStretchFactor(0, 7)
            split.setStretchFactor(1, 3)
            split.setSizes([700, 300])
        else:
            if plot is not None:
                split.addWidget(plot)
            split.addWidget(table)
            split.setStretchFactor(0, 4)
        from cellwright.app.result_extras import add_result_extras

        split.field_viewer = field_viewer
        add_result_extras(split, result)  # a modal result's mode panel, vibration spectra
        flow_split = self.add_cooling_views(split, result)  # a coolant network's flow split
        page = self._result_page(split, focus, result)
        page.result, page.focus = result, focus
        page.plot_viewer, page.table_viewer, page.field_viewer = plot, table, field_viewer
        page.mode_panel, page.spectrum_plot = split.mode_panel, split.spectrum_plot
        page.life_plot = split.life_plot
        page.flow_split_viewer = flow_split
        index = self.tabs.addTab(page, result.name or result.id)
        self.tabs.setCurrentIndex(index)
        return page

    def _result_page(self, split: QtWidgets.QSplitter, focus, result) -> QtWidgets.QWidget:
        """The tab of a result: a line saying what is shown first and why, the Export button,
        and the viewers below."""
        page = QtWidgets.QWidget()
        header = QtWidgets.QHBoxLayout()
        header.setContentsMargins(4, 2, 4, 0)
        note = ""
        if focus.time is not None and focus.reason:
            what, when = focus_words(result, focus)
            note = f"Showing {what} at t = {when} ({focus.reason})."
            travel = _travel_at(result, focus.time) if focus.x == "Displacement [m]" else None
            if travel is not None:  # a crush: where the indenter was, as its curve is drawn
                note = (f"Showing {what} at {travel * 1e3:.3g} mm, t = {when} "
                        f"({focus.reason}).")  # fmt: skip
        page.note = QtWidgets.QLabel(note)
        header.addWidget(page.note, 1)
        header.addWidget(self.export_button())
        layout = QtWidgets.QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        # what the run wants the reader to know first: a limit passed, why it stopped early
        page.message = QtWidgets.QLabel(result.message)
        page.message.setWordWrap(True)
        page.message.setStyleSheet("color: #a04000; padding: 0 4px;")
        page.message.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        # at most three lines, the rest scrolled: a crush verdict runs to five or six lines in a
        # laptop's window and took the height the 3D view needs
        holder = QtWidgets.QScrollArea()
        holder.setWidget(page.message)
        holder.setWidgetResizable(True)
        holder.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        holder.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder.setMaximumHeight(3 * page.message.fontMetrics().lineSpacing() + 6)
        holder.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred,
                             QtWidgets.QSizePolicy.Policy.Maximum)  # fmt: skip
        holder.setVisible(bool(result.message))
        page.message_area = holder
        layout.addWidget(holder)
        layout.addWidget(split, 1)
        return page

    def _on_tab_close_requested(self, index: int) -> None:
        widget = self.tabs.widget(index)
        self.tabs.removeTab(index)
        self._forget_preview(widget)
        if getattr(widget, "mode_panel", None) is not None:
            widget.mode_panel.stop()
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

    def _on_preferences_triggered(self) -> None:
        from cellwright.app.preferences import PreferencesDialog, make_runner

        if PreferencesDialog(self.settings, self).exec():
            self.jobs.runner_factory = lambda: make_runner(self.settings)

    def _on_about_triggered(self) -> None:
        from cellwright.app.about import versions_text

        QtWidgets.QMessageBox.about(self, "About Cellwright", versions_text())

    # -- dialogs and events -------------------------------------------------------------------
    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        """A dropped project opens; dropped cycler files or folders go to the import preview."""
        self.drop_paths([Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()])

    def drop_paths(self, paths: list[Path]) -> None:
        """What a drop of ``paths`` does: open the first project, else import the rest."""
        project = next((p for p in paths if p.suffix == ".cwproj"), None)
        if project is not None:
            self.open_project(project)
        elif paths:
            self.show_import_dialog(paths)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if not self.close_project():
            event.ignore()
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.jobs.timer.stop()
        for job in self.jobs.jobs:
            job.cancel()
        self.stop_example_build()
        event.accept()


def _travel_at(result, time: float) -> float | None:
    """The displacement of ``result`` at ``time`` (interpolated in its series), if it has one."""
    import numpy as np

    t = np.asarray(result.series.get("Time [s]", []), dtype=float)
    x = np.asarray(result.series.get("Displacement [m]", []), dtype=float)
    if t.size < 1 or t.size != x.size:
        return None
    return float(np.interp(time, t, x))
