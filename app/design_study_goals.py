"""The goals of a design study in its editor: objectives (an output to minimise or maximise),
constraints (an output held between a min and a max) and whether to compute the sensitivity of
the outputs when the study ends.

Outputs are named as the study's results table names them; the lists offer the ones every cell
study reports (the builder's figures of each point's design, and what a discharge gives), and
any other output of the chosen engine can be typed.
"""

from __future__ import annotations

from PySide6 import QtWidgets

__all__ = ["COMMON_OUTPUTS", "GoalsEditor"]

#: outputs of a cell discharge study's points (app/studies/point.py names them)
COMMON_OUTPUTS = (
    "Discharge specific energy [W.h.kg-1]",
    "Discharge energy density [W.h.L-1]",
    "Discharge cost per energy [USD.kWh-1]",
    "Capacity utilisation [1]",
    "Discharge capacity [A.h]",
    "Discharge energy [W.h]",
    "Maximum temperature [K]",
    "Minimum voltage [V]",
    "Duration [s]",
    "Specific energy [W.h.kg-1]",
    "Energy density [W.h.L-1]",
    "Cost per energy [USD.kWh-1]",
    "Material cost [USD]",
    "Cell mass [kg]",
    "N/P ratio",
)
_DIRECTIONS = (("maximise", "maximize"), ("minimise", "minimize"))


def _output_combo(output: str) -> QtWidgets.QComboBox:
    combo = QtWidgets.QComboBox()
    combo.setEditable(True)
    combo.addItems(COMMON_OUTPUTS)
    combo.setCurrentText(output or COMMON_OUTPUTS[0])
    return combo


def _table(columns: tuple[str, ...]) -> QtWidgets.QTableWidget:
    table = QtWidgets.QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.horizontalHeader().setStretchLastSection(True)
    table.setColumnWidth(0, 300)
    return table


class GoalsEditor(QtWidgets.QWidget):
    """Objectives, constraints and the sensitivity choice of a design study."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.objectives = _table(("Objective (output)", "Direction"))
        self.constraints = _table(("Constraint (output)", "Min", "Max"))
        self.sensitivity = QtWidgets.QCheckBox(
            "Compute the Sobol' sensitivity of the outputs when the study ends"
        )
        self.sensitivity.setToolTip(
            "a Gaussian-process surrogate fitted to the finished points, then first-order and "
            "total Sobol' indices of each output to each varied field (Sensitivity tab)"
        )
        layout = QtWidgets.QVBoxLayout(self)
        for table, add, what in (
            (self.objectives, self.add_objective, "objective"),
            (self.constraints, self.add_constraint, "constraint"),
        ):
            layout.addWidget(table, 1)
            layout.addLayout(self._buttons(table, add, what))
        layout.addWidget(self.sensitivity)

    @staticmethod
    def _buttons(table, add, what: str) -> QtWidgets.QHBoxLayout:
        plus, minus = QtWidgets.QPushButton(f"Add {what}"), QtWidgets.QPushButton(f"Remove {what}")
        plus.clicked.connect(lambda: add())

        def remove() -> None:
            rows = sorted({i.row() for i in table.selectedIndexes()}, reverse=True)
            for row in rows or [table.rowCount() - 1]:
                table.removeRow(row)

        minus.clicked.connect(remove)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(plus)
        row.addWidget(minus)
        row.addStretch(1)
        return row

    def add_objective(self, output: str = "", direction: str = "maximize") -> int:
        """Add an objective row; returns its row."""
        row = self.objectives.rowCount()
        self.objectives.insertRow(row)
        self.objectives.setCellWidget(row, 0, _output_combo(output))
        combo = QtWidgets.QComboBox()
        for label, value in _DIRECTIONS:
            combo.addItem(label, value)
        combo.setCurrentIndex(combo.findData(direction))
        self.objectives.setCellWidget(row, 1, combo)
        return row

    def add_constraint(self, output: str = "", low: float | None = None,
                       high: float | None = None) -> int:  # fmt: skip
        """Add a constraint row (empty Min or Max: no bound on that side); returns its row."""
        row = self.constraints.rowCount()
        self.constraints.insertRow(row)
        self.constraints.setCellWidget(row, 0, _output_combo(output))
        for column, value in ((1, low), (2, high)):
            text = "" if value is None else f"{value:g}"
            self.constraints.setItem(row, column, QtWidgets.QTableWidgetItem(text))
        return row

    def objective_rows(self) -> list[dict]:
        """The objectives as the study model takes them."""
        return [{"output": self.objectives.cellWidget(r, 0).currentText().strip(),
                 "direction": self.objectives.cellWidget(r, 1).currentData()}
                for r in range(self.objectives.rowCount())]  # fmt: skip

    def constraint_rows(self) -> list[dict]:
        """The constraints as the study model takes them.

        Raises
        ------
        ValueError
            A bound that is not a number (naming the row and the output).
        """
        rows = []
        for r in range(self.constraints.rowCount()):
            output = self.constraints.cellWidget(r, 0).currentText().strip()
            row: dict = {"output": output}
            for column, key in ((1, "min"), (2, "max")):
                item = self.constraints.item(r, column)
                text = item.text().strip() if item is not None else ""
                if not text:
                    continue
                try:
                    row[key] = float(text)
                except ValueError:
                    raise ValueError(
                        f"constraint {r + 1} ({output}): {key} {text!r} is not a number"
                    ) from None
            rows.append(row)
        return rows
