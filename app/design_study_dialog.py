"""The design-study editor: the Run dialog's design, engine and base spec, plus the varied fields
with their ranges, the sampler (a design of experiments, or an optuna optimiser) and the number
of points, and the study's goals: objectives, constraints and a sensitivity analysis
(:mod:`.design_study_goals`).

A field is named by its dotted path (``spec.c_rate``, ``design.positive.coating_thickness``); the
list offers the engine's numeric spec fields and the cell design's usual ones, and any other
path can be typed. Whether a path exists on the chosen design, and whether a range fits what the
field allows, is checked by the study core when the study starts (one clear message, nothing
stored).
"""

from __future__ import annotations

from pydantic import ValidationError
from PySide6 import QtWidgets

from cellwright.app.design_study_goals import GoalsEditor
from cellwright.app.run_dialog import RunStudyDialog
from cellwright.projects.model import DesignStudy, describe_validation_error

__all__ = ["DESIGN_PATHS", "DesignStudyDialog"]

#: cell-design fields a designer varies most (SI units, as the design stores them)
DESIGN_PATHS = (
    "design.positive.coating_thickness",
    "design.negative.coating_thickness",
    "design.positive.porosity",
    "design.negative.porosity",
    "design.positive.particle_radius",
    "design.negative.particle_radius",
)
_SAMPLERS = (
    ("Latin hypercube", "lhs"),
    ("Sobol sequence", "sobol"),
    ("Full factorial grid", "factorial"),
    ("Optimise: TPE (optuna; one or more objectives)", "tpe"),
    ("Optimise: NSGA-II (optuna; two or more objectives)", "nsga2"),
)
_COLUMNS = ("Field", "Low", "High")


class DesignStudyDialog(RunStudyDialog):
    """Builds a :class:`~cellwright.projects.model.DesignStudy` from the user's choices."""

    def __init__(self, designs, engines, parent: QtWidgets.QWidget | None = None) -> None:
        self.inputs = QtWidgets.QTableWidget(0, len(_COLUMNS))
        self.goals = GoalsEditor()
        super().__init__(designs, engines, parent)
        self.setWindowTitle("Design study")
        self.name.setText("Design study")
        self.run_button.setText("Run study")
        self.inputs.setHorizontalHeaderLabels(list(_COLUMNS))
        self.inputs.horizontalHeader().setStretchLastSection(True)
        self.inputs.setColumnWidth(0, 260)
        add, remove = QtWidgets.QPushButton("Add field"), QtWidgets.QPushButton("Remove field")
        add.clicked.connect(lambda: self.add_input())
        remove.clicked.connect(self._remove_selected)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        fields = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(fields)
        column.addWidget(self.inputs, 1)
        column.addLayout(buttons)
        self.pages = QtWidgets.QTabWidget()
        self.pages.addTab(fields, "Varied fields")
        self.pages.addTab(self.goals, "Objectives and constraints")
        self.sampler = QtWidgets.QComboBox()
        for label, value in _SAMPLERS:
            self.sampler.addItem(label, value)
        self.points = QtWidgets.QSpinBox()
        self.points.setRange(1, 100_000)
        self.points.setValue(16)
        self.points.setToolTip("points drawn, or trials of an optimiser; a full-factorial grid "
                               "has levels^fields points")  # fmt: skip
        self.levels = QtWidgets.QSpinBox()
        self.levels.setRange(2, 100)
        self.levels.setValue(3)
        self.levels.setToolTip("grid levels of each range (full factorial only)")
        self.message = QtWidgets.QLabel("")
        self.message.setStyleSheet("color: #b00020")
        self.message.setWordWrap(True)
        layout = self.layout()
        at = layout.rowCount() - 1  # above the buttons
        for offset, (label, widget) in enumerate((
            ("", self.pages), ("Sampler", self.sampler),
            ("Points", self.points), ("Levels", self.levels), ("", self.message),
        )):  # fmt: skip
            layout.insertRow(at + offset, label, widget)
        self.sampler.currentIndexChanged.connect(self._on_sampler_changed)
        self._on_sampler_changed()
        self.resize(680, 820)

    def path_choices(self) -> list[str]:
        """What the Field column offers: the engine's numeric spec fields, then design fields."""
        spec = []
        if self.form is not None:
            spec = [f"spec.{key}" for key in self.form.numeric_paths()]
        return spec + list(DESIGN_PATHS)

    def add_input(self, path: str = "", low: float | None = None, high: float | None = None):
        """Add a row for a varied field (editable afterwards)."""
        row = self.inputs.rowCount()
        self.inputs.insertRow(row)
        combo = QtWidgets.QComboBox()
        combo.setEditable(True)
        combo.addItems(self.path_choices())
        combo.setCurrentText(path or combo.itemText(0))
        self.inputs.setCellWidget(row, 0, combo)
        for column, value in ((1, low), (2, high)):
            text = "" if value is None else f"{value:g}"
            self.inputs.setItem(row, column, QtWidgets.QTableWidgetItem(text))
        return row

    def _remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.inputs.selectedIndexes()}, reverse=True)
        for row in rows or [self.inputs.rowCount() - 1]:
            self.inputs.removeRow(row)

    def _on_sampler_changed(self) -> None:
        factorial = self.sampler.currentData() == "factorial"
        self.points.setEnabled(not factorial)
        self.levels.setEnabled(factorial)
        wanted = {"tpe": 1, "nsga2": 2}.get(self.sampler.currentData(), 0)
        while self.goals.objectives.rowCount() < wanted:  # an optimiser needs its objectives
            self.goals.add_objective()
        if wanted:
            self.pages.setCurrentWidget(self.goals)

    def _input_rows(self) -> list[dict]:
        rows = []
        for row in range(self.inputs.rowCount()):
            path = self.inputs.cellWidget(row, 0).currentText().strip()
            bounds = []
            for column, what in ((1, "low"), (2, "high")):
                item = self.inputs.item(row, column)
                text = item.text().strip() if item is not None else ""
                try:
                    bounds.append(float(text))
                except ValueError:
                    raise ValueError(
                        f"row {row + 1} ({path}): {what} {text!r} is not a number"
                    ) from None
            rows.append({"path": path, "low": bounds[0], "high": bounds[1],
                         "levels": self.levels.value()})  # fmt: skip
        return rows

    def design_study(self) -> DesignStudy | None:
        """The study the dialog describes, or None (the reason is shown in the dialog)."""
        values = self.form.values() if self.form else None
        if values is None:
            self.message.setText("the base spec is not valid (see the form)")
            return None
        _, ref = self.designs[self.design_combo.currentIndex()]
        try:
            study = DesignStudy(
                name=self.name.text() or "Design study", engine=self.engine_combo.currentData(),
                spec=values, design=ref, inputs=self._input_rows(),
                sampler=self.sampler.currentData(), points=self.points.value(),
                objectives=self.goals.objective_rows(),
                constraints=self.goals.constraint_rows(),
                sensitivity=self.goals.sensitivity.isChecked(),
            )  # fmt: skip
        except ValidationError as exc:
            self.message.setText(str(describe_validation_error(exc)))
            return None
        except ValueError as exc:
            self.message.setText(str(exc))
            return None
        self.message.setText("")
        return study

    def _on_run_clicked(self) -> None:
        if self.design_study() is not None:
            self.accept()
