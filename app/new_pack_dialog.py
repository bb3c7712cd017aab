"""New pack: a cell, series/parallel counts (typed or proposed for a target), and its parts.

The arrangement wizard (:func:`~cellwright.projects.design.arrangement.propose_arrangements`)
lists counts and modules for a target voltage and energy; choosing one fills the counts. Each
part (modules, busbars, cooling plate, thermal interface, enclosure) is ticked to add it with
defaults sized from the cell and the arrangement. The figures update with every change.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from cellwright.app.design_figures import DesignFigures
from cellwright.app.figures_panel import FiguresPanel
from cellwright.app.new_design_dialog import summary_figures
from cellwright.projects.model import InputError, PackDesign

__all__ = ["NewPackDialog"]

_PART_LABELS = {
    "arrangement": "Modules",
    "busbar": "Busbars",
    "cooling_plate": "Cooling plate",
    "thermal_interface": "Thermal interface",
    "enclosure": "Enclosure",
}


class NewPackDialog(QtWidgets.QDialog):
    """Describe a new pack; :meth:`design` is the pack to add."""

    def __init__(
        self, project, library, cell: str | None = None, parent: QtWidgets.QWidget | None = None
    ) -> None:
        from cellwright.projects.design.authoring import unique_name

        super().__init__(parent)
        self.setWindowTitle("New pack")
        self.project, self.library = project, library
        self.name = QtWidgets.QLineEdit(unique_name(project, "pack", "New pack"))
        self.cell = QtWidgets.QComboBox()
        for design in project.list("cell") if project is not None else ():
            self.cell.addItem(f"Cell design: {design.name}", design.id)
        for ref in library.cells() if library is not None else ():
            self.cell.addItem(f"Library cell: {ref.name}", ref.id)
        if cell is not None and self.cell.findData(cell) >= 0:
            self.cell.setCurrentIndex(self.cell.findData(cell))
        self.series, self.parallel = _spin(12), _spin(4)
        self.voltage = QtWidgets.QLineEdit("400 V")
        self.energy = QtWidgets.QLineEdit("60 kWh")
        self.propose_button = QtWidgets.QPushButton("Propose")
        self.options = QtWidgets.QTableWidget(0, 5)
        self.options.setHorizontalHeaderLabels(["Arrangement", "V nominal", "A.h", "kW.h", "kg"])
        self.options.verticalHeader().hide()
        self.options.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.options.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.options.horizontalHeader().setStretchLastSection(True)
        self.options.setMaximumHeight(130)
        self.parts = {key: QtWidgets.QCheckBox(label) for key, label in _PART_LABELS.items()}
        for key in ("arrangement", "busbar", "cooling_plate", "thermal_interface"):
            self.parts[key].setChecked(True)
        self.figures = FiguresPanel()
        self.figures.setTitle("What it gives")
        self._layout()
        self.propose_button.clicked.connect(self._on_propose_clicked)
        self.options.itemSelectionChanged.connect(self._on_option_chosen)
        for widget in (self.series, self.parallel):
            widget.valueChanged.connect(self._on_changed)
        self.cell.currentIndexChanged.connect(self._on_changed)
        for box in self.parts.values():
            box.toggled.connect(self._on_changed)
        self._proposals: list = []
        self.resize(620, 720)
        self._on_changed()

    def _layout(self) -> None:
        target = QtWidgets.QHBoxLayout()
        for label, widget in (("Voltage", self.voltage), ("Energy", self.energy)):
            target.addWidget(QtWidgets.QLabel(label))
            target.addWidget(widget)
        target.addWidget(self.propose_button)
        counts = QtWidgets.QHBoxLayout()
        for label, widget in (("Series", self.series), ("Parallel", self.parallel)):
            counts.addWidget(QtWidgets.QLabel(label))
            counts.addWidget(widget)
        counts.addStretch(1)
        parts = QtWidgets.QHBoxLayout()
        for box in self.parts.values():
            parts.addWidget(box)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        self.create_button = buttons.addButton(
            "Create", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self._on_create_clicked)
        buttons.rejected.connect(self.reject)
        form = QtWidgets.QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Cell", self.cell)
        form.addRow("Target", target)
        form.addRow(self.options)
        form.addRow("Cells", counts)
        form.addRow("Parts", parts)
        form.addRow(self.figures)
        self.problem = QtWidgets.QLabel("")
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setWordWrap(True)
        form.addRow(self.problem)
        form.addRow(buttons)

    # -- the wizard -------------------------------------------------------------------------
    def _on_propose_clicked(self) -> None:
        from cellwright.projects.design.arrangement import propose_arrangements
        from cellwright.projects.design.report import cell_summary_for
        from cellwright.projects.design.resolve import pack_cell_snapshot
        from cellwright.projects.units import UnitError, to_unit

        try:
            voltage = to_unit(self.voltage.text(), "V")
            energy = to_unit(self.energy.text(), "W*h")
            # the cell as the pack will see it (a library cell by its datasheet)
            snapshot = pack_cell_snapshot(self.cell.currentData(), self.project, self.library)
            summary, _ = cell_summary_for(snapshot)
            self._proposals = propose_arrangements(summary, voltage, energy)
        except (InputError, UnitError) as exc:
            self.problem.setText(str(exc))
            return
        self.problem.setText("")
        self.options.setRowCount(len(self._proposals))
        for row, o in enumerate(self._proposals):
            cells = (o.label, f"{o.voltage:.4g}", f"{o.capacity:.4g}", f"{o.energy / 1e3:.4g}",
                     f"{o.cell_mass:.4g}")  # fmt: skip
            for col, text in enumerate(cells):
                self.options.setItem(row, col, QtWidgets.QTableWidgetItem(text))
        self.options.resizeColumnsToContents()
        self.options.selectRow(0)

    def _on_option_chosen(self) -> None:
        rows = self.options.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._proposals):
            return
        chosen = self._proposals[rows[0].row()]
        self.series.setValue(chosen.series)
        self.parallel.setValue(chosen.parallel)

    # -- the pack ---------------------------------------------------------------------------
    def design(self) -> PackDesign:
        """The pack as described (raises InputError naming the field if it cannot be made)."""
        from cellwright.projects.design.authoring import new_pack

        chosen = tuple(key for key, box in self.parts.items() if box.isChecked())
        return new_pack(
            self.name.text().strip() or "New pack",
            self.cell.currentData(),
            self.series.value(),
            self.parallel.value(),
            chosen,
            self.project,
            self.library,
        )

    def _on_changed(self) -> None:
        try:
            pack = self.design()
        except InputError as exc:
            self.problem.setText(str(exc))
            self.figures.show_figures(DesignFigures(error=str(exc)))
            self.create_button.setEnabled(False)
            return
        self.problem.setText("")
        self.create_button.setEnabled(True)
        self.figures.show_figures(summary_figures(pack, self.project, self.library))

    def _on_create_clicked(self) -> None:
        from cellwright.projects.store.names import name_clash

        name = self.name.text().strip() or "New pack"
        clash = name_clash(self.project, "pack", "", name) if self.project is not None else None
        if clash:  # said here, where the name can still be changed
            self.problem.setText(clash)
        elif self.create_button.isEnabled():
            self.accept()


def _spin(value: int) -> QtWidgets.QSpinBox:
    spin = QtWidgets.QSpinBox()
    spin.setRange(1, 1000)
    spin.setValue(value)
    spin.setKeyboardTracking(False)  # update when the number is complete, not per digit
    spin.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight)
    return spin
