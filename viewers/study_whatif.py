"""What-if sliders on a design study's surrogate: move an input, read every output at once.

The view knows nothing of surrogates: it is given the inputs (name, low, high) and a function
that answers a point with each output's mean and standard deviation and whether the point is an
extrapolation (outside the ranges, or far from every point that ran). A GP answers one point in
well under a millisecond, so the answer follows the slider as it moves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from PySide6 import QtCore, QtWidgets

from cellwright.viewers.study_plots import short_name

__all__ = ["Predict", "WhatIfView"]

#: ``predict(x)`` with x one value per input -> ({output: mean}, {output: std}, extrapolating)
Predict = Callable[[np.ndarray], tuple[Mapping[str, float], Mapping[str, float], bool]]
_STEPS = 1000


class WhatIfView(QtWidgets.QWidget):
    """A slider per input and the surrogate's answer for every output."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QtWidgets.QLabel(
            "Compute the sensitivity (Sensitivity tab) to fit the surrogate the sliders ask."
        )
        self.status.setWordWrap(True)
        self.warning = QtWidgets.QLabel("")
        self.warning.setStyleSheet("color: #b00020; font-weight: bold")
        self.sliders_box = QtWidgets.QWidget()
        self.grid = QtWidgets.QGridLayout(self.sliders_box)
        policy = QtWidgets.QSizePolicy.Policy  # never squeezed below its sliders
        self.sliders_box.setSizePolicy(policy.Preferred, policy.Minimum)
        self.answers = QtWidgets.QTableWidget(0, 3)
        self.answers.setHorizontalHeaderLabels(["Output", "Surrogate", "± 2 std"])
        self.answers.horizontalHeader().setStretchLastSection(True)
        self.answers.setColumnWidth(0, 320)
        self.answers.setColumnWidth(1, 140)
        self.answers.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.sliders_box, 0)
        layout.addWidget(self.warning)
        layout.addWidget(self.answers, 1)
        self.sliders: dict[str, QtWidgets.QSlider] = {}
        self._ranges: list[tuple[str, float, float]] = []
        self._labels: dict[str, QtWidgets.QLabel] = {}
        self._predict: Predict | None = None

    def set_surrogate(self, inputs: Sequence[tuple[str, float, float]], predict: Predict,
                      note: str = "") -> None:  # fmt: skip
        """Sliders for ``inputs`` (name, low, high), each at the middle of its range."""
        while self.grid.count():
            self.grid.takeAt(0).widget().deleteLater()
        self._ranges, self._predict = list(inputs), predict
        self.sliders, self._labels = {}, {}
        for row, (name, _low, _high) in enumerate(self._ranges):
            slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
            slider.setRange(0, _STEPS)
            slider.setValue(_STEPS // 2)
            slider.valueChanged.connect(self._answer)
            label = QtWidgets.QLabel("")
            label.setMinimumWidth(110)
            self.grid.addWidget(QtWidgets.QLabel(short_name(name)), row, 0)
            self.grid.addWidget(slider, row, 1)
            self.grid.addWidget(label, row, 2)
            self.sliders[name], self._labels[name] = slider, label
        self.status.setText(note or "Move a slider: every output answers from the surrogate.")
        self._answer()

    def set_value(self, name: str, value: float) -> None:
        """Put the slider of input ``name`` at ``value`` (to the nearest step)."""
        low, high = next((lo, hi) for n, lo, hi in self._ranges if n == name)
        self.sliders[name].setValue(round((value - low) / (high - low) * _STEPS))

    def point(self) -> np.ndarray:
        """The inputs the sliders stand at."""
        return np.array([low + (high - low) * self.sliders[name].value() / _STEPS
                         for name, low, high in self._ranges])  # fmt: skip

    def answer(self) -> dict[str, tuple[float, float]]:
        """Output -> (mean, std) as shown."""
        return {self.answers.item(r, 0).text(): tuple(self.answers.item(r, c).data(
            QtCore.Qt.ItemDataRole.UserRole) for c in (1, 2))
            for r in range(self.answers.rowCount())}  # fmt: skip

    def _answer(self) -> None:
        if self._predict is None:
            return
        x = self.point()
        for (name, _lo, _hi), value in zip(self._ranges, x, strict=True):
            self._labels[name].setText(f"{value:.4g}")
        mean, std, extrapolating = self._predict(x)
        self.warning.setText("Extrapolating: no point that ran is near here; trust it less."
                             if extrapolating else "")  # fmt: skip
        self.answers.setRowCount(len(mean))
        for row, name in enumerate(mean):
            cells = (name, f"{mean[name]:.5g}", f"{2 * std[name]:.3g}")
            for column, text in enumerate(cells):
                item = QtWidgets.QTableWidgetItem(text)
                if column:
                    item.setData(QtCore.Qt.ItemDataRole.UserRole,
                                 float(mean[name] if column == 1 else std[name]))  # fmt: skip
                self.answers.setItem(row, column, item)
