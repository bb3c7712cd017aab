"""The main window's registration of a physical battery (what ``cellwright battery add`` does):
a dialog for its serial, kind, design, pack and production, through the same ``add_battery``.

Not undoable, unlike a design: registering opens the battery's history, and the history is
append-only (SQLite triggers refuse to delete an event), so an undo could not take the
``registered`` event back; the Link dialog's ``labrun`` event is not undoable for the same reason.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from cellwright.projects.model import InputError

__all__ = ["AddBatteryDialog", "AddBatteryMixin"]

#: the dialog's label of each argument of add_battery, as a refusal names it
FIELD_LABELS = {
    "serial": "Serial",
    "kind": "Kind",
    "design": "Design",
    "pack": "Built into pack",
    "production_date": "Production date",
}


class AddBatteryDialog(QtWidgets.QDialog):
    """Serial, kind, design, pack, manufacturer, production date and site of a new battery;
    Add registers it, a refusal is shown beside the form naming its field and the dialog stays.

    Parameters
    ----------
    project
        The project the battery is added to (written only when Add is taken).
    library
        The library whose cells a physical cell may be built to (None: project designs only).
    pack
        The serial of a pack to preselect for a new cell ("" for none).
    """

    def __init__(self, project, library=None, pack: str = "", parent=None) -> None:
        super().__init__(parent)
        self.project = project
        self.battery = None  # the Battery added, once Add was taken
        self.setWindowTitle("Add battery")
        self._designs = _design_choices(project, library)
        self.serial = QtWidgets.QLineEdit(placeholderText="serial number or barcode (required)")
        self.kind = QtWidgets.QComboBox()
        self.kind.addItems(["cell", "pack"])
        self.design = QtWidgets.QComboBox()
        self.pack = QtWidgets.QComboBox()
        self.pack.addItem("none", "")
        for battery in _packs(project):
            self.pack.addItem(battery, battery)
        self.pack.setCurrentIndex(max(self.pack.findData(pack), 0))
        self.manufacturer = QtWidgets.QLineEdit()
        self.production_date = QtWidgets.QLineEdit(placeholderText="YYYY-MM-DD (optional)")
        self.site = QtWidgets.QLineEdit()
        self.inputs = {
            "serial": self.serial,
            "kind": self.kind,
            "design": self.design,
            "pack": self.pack,
            "manufacturer": self.manufacturer,
            "production_date": self.production_date,
            "production_site": self.site,
        }
        self._build()
        self.kind.currentTextChanged.connect(self._on_kind_changed)
        self._on_kind_changed(self.kind.currentText())

    def _build(self) -> None:
        layout = QtWidgets.QVBoxLayout(self)
        form = QtWidgets.QFormLayout()
        labels = {**FIELD_LABELS, "manufacturer": "Manufacturer", "production_site": "Site"}
        for key, widget in self.inputs.items():
            form.addRow(f"{labels[key]}:", widget)
        layout.addLayout(form)
        note = QtWidgets.QLabel(
            "Its history starts with a registered event. A history is never rewritten: "
            "Edit ▸ Undo does not take a battery back."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.error = QtWidgets.QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        self.add_button = buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)
        self.add_button.setText("Add")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _on_kind_changed(self, kind: str) -> None:
        """The designs of the kind picked; only a cell goes into a pack."""
        self.design.clear()
        self.design.addItem("none", "")
        for design_id, label in self._designs[kind]:
            self.design.addItem(label, design_id)
        self.pack.setEnabled(kind == "cell" and self.pack.count() > 1)

    def values(self) -> dict[str, str]:
        """The arguments of ``add_battery`` as entered."""
        return {
            "serial": self.serial.text(),
            "kind": self.kind.currentText(),
            "design": self.design.currentData() or "",
            "pack": (self.pack.currentData() or "") if self.pack.isEnabled() else "",
            "manufacturer": self.manufacturer.text().strip(),
            "production_date": self.production_date.text(),
            "production_site": self.site.text().strip(),
        }

    def accept(self) -> None:
        """Add the battery; on a refusal show it naming its field and stay open."""
        from cellwright.projects.passport.batteries import BatteryFieldError, add_battery

        try:
            self.battery = add_battery(self.project, **self.values())
        except BatteryFieldError as exc:
            self.show_refusal(exc.detail, exc.field)
            return
        except InputError as exc:  # the file itself (locked, read-only): no field to name
            self.show_refusal(str(exc))
            return
        super().accept()

    def show_refusal(self, message: str, field: str = "") -> None:
        """Show why nothing was added, naming the field it concerns, and put the cursor there."""
        name = FIELD_LABELS.get(field, "")
        self.error.setText(f"{name}: {message}" if name else message)
        self.error.show()
        # the dialog kept its height and cut a long message (a date's) after its first line
        self.layout().activate()
        self.resize(self.width(), self.heightForWidth(self.width()))
        widget = self.inputs.get(field)
        if widget is not None:
            widget.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
            if isinstance(widget, QtWidgets.QLineEdit):
                widget.selectAll()


def _design_choices(project, library) -> dict[str, list[tuple[str, str]]]:
    """``(id, label)`` of the designs a new cell or pack may be built to: the project's, then
    (for a cell) the library's cells, as ``cellwright battery add --design`` takes them."""
    from cellwright.projects.design.resolve import library_for

    cells = [(c.id, c.name) for c in project.list("cell")]
    if library is not None:
        cells += [(c.id, f"{c.name} (library)") for c in library_for(project, library).cells()]
    return {"cell": cells, "pack": [(p.id, p.name) for p in project.list("pack")]}


def _packs(project) -> list[str]:
    from cellwright.projects.passport.batteries import batteries

    return [b.serial for b in batteries(project) if b.kind == "pack"]


class AddBatteryMixin:
    """Part of :class:`cellwright.app.main_window.MainWindow` (expects its project, library,
    tree, status bar and log)."""

    def make_add_battery_action(self, menu: QtWidgets.QMenu) -> QtGui.QAction:
        """The *Add battery…* action, in ``menu`` (and in the tree's context menu)."""
        self.add_battery_action = self._action(menu, "Add &battery…", self._on_add_battery)
        self.add_battery_action.setStatusTip(
            "Register a physical cell or pack by its serial number and open its history"
        )
        return self.add_battery_action

    def add_battery_actions(self, menu: QtWidgets.QMenu, data) -> None:
        """Add the batteries' actions to the context menu of the group or a battery."""
        action = menu.addAction(self.add_battery_action.text())
        pack = ""
        if data and data[0] == "physical_pack":  # a cell added from its pack goes into it
            pack = self.project.get("physical_pack", data[1]).name
        action.triggered.connect(lambda _=False, p=pack: self._on_add_battery(pack=p))

    def make_add_battery_dialog(self, pack: str = "") -> AddBatteryDialog:
        """The dialog registering a battery in the open project."""
        return AddBatteryDialog(self.project, self.library, pack, self)

    def _on_add_battery(self, _checked: bool = False, pack: str = "") -> None:
        self._ensure_project()
        if self.project is None:  # the user kept an unsaved project open instead
            return
        dialog = self.make_add_battery_dialog(pack)
        try:
            if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
                self._on_battery_added(dialog.battery)
        finally:
            dialog.deleteLater()

    def _on_battery_added(self, battery) -> None:
        text = f"added {battery.kind} {battery.serial}"
        self.log_message(text)
        self.statusBar().showMessage(f"{text}: double-click it to open its history", 8000)
        self._refresh_tree()
        self._update_title()  # the working copy changed: the title shows it unsaved
        for item in self.tree_items("Batteries"):
            if item.data(0, QtCore.Qt.ItemDataRole.UserRole)[1] == battery.id:
                self.tree.setCurrentItem(item)
                self.tree.scrollToItem(item)
