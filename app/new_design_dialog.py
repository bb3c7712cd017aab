"""New cell design: pick a starting point, name it, and see its figures before it is made.

The starting points are the format templates (18650, 21700, 4680, pouch, prismatic), the library's
cells (their entered design where there is one, else their datasheet) and the project's own cell
designs (a variant). The figures update as the choice changes, computed by the same builder the
property editor uses; nothing is stored until the user presses Create.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from cellwright.app.design_figures import DesignFigures
from cellwright.app.figures_panel import FiguresPanel
from cellwright.projects.model import CellDesign, InputError

__all__ = ["SUMMARY", "NewCellDialog"]

#: the figures the dialogs show while a design is being chosen
SUMMARY = (
    "Cells",
    "Modules",
    "Capacity",
    "Nominal voltage",
    "Maximum voltage",
    "Energy",
    "Mass",
    "Gravimetric energy density",
    "Volumetric energy density",
    "N/P ratio",
    "Material cost",
)


def summary_figures(design, project, library) -> DesignFigures:
    """The :data:`SUMMARY` figures and warnings of a design (or why it cannot be computed)."""
    from cellwright.projects.design import design_report, design_warnings
    from cellwright.projects.design.cost import with_project_prices
    from cellwright.projects.design.resolve import design_snapshot

    try:
        snapshot = with_project_prices(design_snapshot(design, project, library), project)
        report = design_report(design, snapshot)
        warnings = design_warnings(design, snapshot)
    except InputError as exc:
        return DesignFigures(error=str(exc))
    return DesignFigures({k: v for k, v in report.items() if k in SUMMARY}, warnings)


class NewCellDialog(QtWidgets.QDialog):
    """Choose where a new cell design starts; :meth:`design` is the cell to add."""

    def __init__(self, project, library, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New cell design")
        self.project, self.library = project, library
        self.name = QtWidgets.QLineEdit()
        self.name.setPlaceholderText("name of the new design")
        self.start = QtWidgets.QComboBox()
        self.start.setMinimumWidth(360)
        self._fill_starts()
        self.source = QtWidgets.QLabel("")
        self.source.setWordWrap(True)
        self.source.setStyleSheet("color: palette(mid)")
        self.figures = FiguresPanel()
        self.figures.setTitle("What it gives")
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        self.create_button = buttons.addButton(
            "Create", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self._on_create_clicked)
        buttons.rejected.connect(self.reject)
        form = QtWidgets.QFormLayout(self)
        form.addRow("Start from", self.start)
        form.addRow("", self.source)
        form.addRow("Name", self.name)
        form.addRow(self.figures)
        self.problem = QtWidgets.QLabel("")
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setWordWrap(True)
        form.addRow(self.problem)
        form.addRow(buttons)
        self.start.currentIndexChanged.connect(self._on_start_changed)
        self.resize(560, 560)
        self._on_start_changed()

    def _fill_starts(self) -> None:
        from cellwright.projects.design.reference_designs import reference_design_for
        from cellwright.projects.design.templates import TEMPLATES

        for key, template in TEMPLATES.items():
            self.start.addItem(f"Template: {template.title}", f"template:{key}")
            self.start.setItemData(self.start.count() - 1, template.source, _TIP)
        if self.library is not None:
            for cell in self.library.cells():
                entered = " (entered design)" if reference_design_for(cell.id) else ""
                self.start.addItem(f"Library cell: {cell.name}{entered}", f"library:{cell.id}")
            for cell in self.library.cells():
                if reference_design_for(cell.id) is None:
                    self.start.addItem(f"Estimated from the datasheet: {cell.name}",
                                       f"datasheet:{cell.id}")  # fmt: skip
                    self.start.setItemData(self.start.count() - 1, _ESTIMATE_TIP, _TIP)
        if self.project is not None:
            for cell in self.project.list("cell"):
                self.start.addItem(f"Variant of: {cell.name}", f"design:{cell.id}")

    def choose(self, spec: str) -> None:
        """Select the starting point ``spec`` (``template:21700``, ``library:lg-m50`` …)."""
        index = self.start.findData(spec)
        if index < 0:
            raise KeyError(spec)
        self.start.setCurrentIndex(index)

    def _on_start_changed(self) -> None:
        from cellwright.projects.design.authoring import start_point, unique_name

        spec = self.start.currentData()
        self.source.setText(self.start.itemData(self.start.currentIndex(), _TIP) or "")
        try:
            start = start_point(spec, self.project, self.library)
        except InputError as exc:
            self.figures.show_figures(DesignFigures(error=str(exc)))
            return
        label = self.start.currentText().split(": ", 1)[1].removesuffix(" (entered design)")
        wanted = f"{label} variant" if spec.startswith("design:") else f"New {label}"
        if not self.name.isModified():
            self.name.setText(unique_name(self.project, "cell", wanted))
        self.figures.show_figures(summary_figures(start, self.project, self.library))

    def design(self) -> CellDesign:
        """The new cell design as chosen (a new id)."""
        from cellwright.projects.design.authoring import new_cell

        name = self.name.text().strip() or "New cell"
        return new_cell(self.start.currentData(), name, self.project, self.library)

    def _on_create_clicked(self) -> None:
        from cellwright.projects.store.names import name_clash

        name = self.name.text().strip()
        clash = name_clash(self.project, "cell", "", name) if self.project and name else None
        self.problem.setText(clash or "")  # said here, where the name can still be changed
        if name and clash is None:
            self.accept()


_TIP = QtCore.Qt.ItemDataRole.ToolTipRole
_ESTIMATE_TIP = (
    "The format template's housing at the datasheet's dimensions, the library's active "
    "materials of its chemistry, the coatings scaled to its capacity: a starting point to "
    "edit, not the cell's own design"
)
