"""The main window's link of a lab run to the physical cell it was measured on (what
``cellwright labdata link`` does): a lab imports its files first and learns the cell later."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from cellwright.projects.model import InputError

__all__ = ["LabRunLinkMixin", "LinkBatteryDialog"]

#: why the action is greyed out, and how to get a cell to link to
NO_CELLS = (
    "this project has no physical cells to link to: add one with File ▸ Add battery… "
    "(or right-click Batteries in the project tree), or on the command line with "
    "`cellwright battery add SERIAL --design D --project P`"
)


class LinkBatteryDialog(QtWidgets.QDialog):
    """A list of the project's cells (serial and design); OK links the run to the one picked.

    Parameters
    ----------
    run_name
        The run being linked, for the title.
    cells
        ``(serial, label)`` per cell, in the order shown.
    linked
        The serial of the cell the run is linked to already, if any.
    """

    def __init__(
        self, run_name: str, cells: list[tuple[str, str]], linked: str = "", parent=None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Link {run_name} to a battery")
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(QtWidgets.QLabel(f"The cell {run_name} was measured on:"))
        self.cells = QtWidgets.QListWidget()
        for serial, label in cells:
            item = QtWidgets.QListWidgetItem(label)
            item.setData(QtCore.Qt.ItemDataRole.UserRole, serial)
            self.cells.addItem(item)
        serials = [serial for serial, _ in cells]
        # a run linked already starts on its cell: OK then changes nothing
        self.cells.setCurrentRow(serials.index(linked) if linked in serials else 0)
        self.cells.itemDoubleClicked.connect(self.accept)
        layout.addWidget(self.cells)
        note = QtWidgets.QLabel(
            "The cell's history records the run. A run linked to one cell is not moved to another."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText("Link")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def serial(self) -> str:
        """The serial of the cell picked ("" when none is)."""
        item = self.cells.currentItem()
        return item.data(QtCore.Qt.ItemDataRole.UserRole) if item is not None else ""


class LabRunLinkMixin:
    """Part of :class:`cellwright.app.main_window.MainWindow` (expects its project, library,
    tree, tabs, status bar and the battery tabs)."""

    def add_labrun_actions(self, menu: QtWidgets.QMenu, run_id: str) -> None:
        """Add a lab run's own actions to its context menu in the tree."""
        action = menu.addAction("Link to &battery…")
        action.triggered.connect(lambda _=False, r=run_id: self._on_link_labrun_triggered(r))
        if not self.cell_choices():
            action.setEnabled(False)
            action.setToolTip(NO_CELLS)
            menu.setToolTipsVisible(True)  # a greyed action says why only through its tip

    def cell_choices(self) -> list[tuple[str, str]]:
        """``(serial, "serial — design name")`` for each physical cell of the project."""
        if self.project is None:
            return []
        designs = {c.id: c.name for c in self.project.list("cell")}
        if self.library is not None:  # a cell built to a library cell names its id
            designs.update({c.id: c.name for c in self.library.cells()})
        out = []
        for cell in sorted(self.project.list("physical_cell"), key=lambda c: c.name):
            design = designs.get(cell.design, cell.design)
            out.append((cell.name, f"{cell.name} — {design}" if design else cell.name))
        return out

    def make_link_dialog(self, run_id: str) -> LinkBatteryDialog:
        """The dialog choosing the cell ``run_id`` was measured on."""
        run = self.project.get("labrun", run_id)
        serials = {c.id: c.name for c in self.project.list("physical_cell")}
        return LinkBatteryDialog(
            run.name, self.cell_choices(), serials.get(run.physical_cell, ""), self
        )

    def _on_link_labrun_triggered(self, run_id: str) -> None:
        if not self.cell_choices():
            self.show_error("Link to battery", NO_CELLS)
            return
        dialog = self.make_link_dialog(run_id)
        try:
            if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted and dialog.serial():
                self.link_labrun(run_id, dialog.serial())
        finally:
            dialog.deleteLater()

    def link_labrun(self, run_id: str, serial: str) -> list[str]:
        """Link the run (and its spectra) to the cell ``serial`` and record it in the cell's
        history; a refusal (a run linked to another cell, a pack) is shown, not raised.

        Returns
        -------
        list of str
            The names of the runs linked; empty when it already was, or was refused.
        """
        from cellwright.projects.passport.records import link_run

        run = self.project.get("labrun", run_id)
        try:
            linked = link_run(self.project, run.id, serial)
        except InputError as exc:
            self.show_error(f"Cannot link {run.name}", str(exc))
            return []
        if linked:
            self.log_message(f"linked {', '.join(linked)} to {serial}")
            self.statusBar().showMessage(f"linked {', '.join(linked)} to {serial}", 8000)
        else:
            self.statusBar().showMessage(f"{run.name} is linked to {serial} already", 8000)
        self._refresh_tree()
        self._update_title()  # the working copy changed: the title shows it unsaved
        self._refresh_battery_tab(serial)
        return linked

    def _refresh_battery_tab(self, serial: str) -> None:
        """An open tab of the battery shows the new labrun event on its timeline."""
        from cellwright.app.window_batteries import BatteryTab
        from cellwright.projects.passport.batteries import find_battery
        from cellwright.viewers.twin_timeline import TwinTimeline

        for index in range(self.tabs.count()):
            tab = self.tabs.widget(index)
            if isinstance(tab, BatteryTab) and tab.serial == serial:
                events = self.project.events(find_battery(self.project, serial).id)
                tab.replace_pages(TwinTimeline(events), self._passport_form(serial))
                self._connect_passport_form(tab)
