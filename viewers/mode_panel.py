"""ModePanel: the mode shapes of a modal result, animated in its FieldViewer.

A table lists every mode (frequency, effective-mass fractions per direction); choosing a row
shows that mode (the viewer's step slider follows), the scale factor sets the largest
displacement as a fraction of the model's size, and "Animate" swings the mesh through
+/- the shape, sin(2π k/24) over 24 frames a cycle.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtWidgets

from cellwright.projects.model import Result

__all__ = ["MODE_FIELD", "ModePanel", "is_modal"]

MODE_FIELD = "Mode shape [-]"
_FRAMES = 24


def is_modal(result: Result) -> bool:
    """True for a result with mode shapes and a table of modes."""
    return "modes" in result.tables and any(f.name == MODE_FIELD for f in result.fields)


class ModePanel(QtWidgets.QWidget):
    """Mode selector, frequency table, scale factor and animation for a FieldViewer.

    Parameters
    ----------
    result
        A modal result (:func:`is_modal`).
    viewer
        The FieldViewer that draws the result.
    """

    def __init__(self, result: Result, viewer, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.viewer = viewer
        self.shapes = result.field(MODE_FIELD).values  # (modes, points, 3)
        self.table = result.tables["modes"]
        mesh = result.meshes[result.field(MODE_FIELD).mesh]
        self.size = float(np.ptp(mesh.points, axis=0).max())
        self.mode_table = QtWidgets.QTableWidget()
        self.scale = QtWidgets.QDoubleSpinBox()
        self.scale.setRange(0.0, 1.0)
        self.scale.setSingleStep(0.01)
        self.scale.setDecimals(3)
        self.scale.setValue(0.05)
        self.scale.setToolTip("largest displacement as a fraction of the model's size")
        self.animate = QtWidgets.QCheckBox("Animate")
        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(40)
        self.phase = _FRAMES // 4  # start at the largest displacement
        self._fill_table()
        self._layout()
        viewer.field_combo.setCurrentText(MODE_FIELD)
        self.mode_table.currentCellChanged.connect(self._on_mode_changed)
        self.scale.valueChanged.connect(self._on_scale_changed)
        self.animate.toggled.connect(self._on_animate_toggled)
        self.timer.timeout.connect(self._on_tick)
        self.mode_table.setCurrentCell(0, 0)
        self._draw()

    def _fill_table(self) -> None:
        columns = ["Mode", "Frequency [Hz]"] + [
            f"Effective mass fraction {a} [-]" for a in "XYZ" if f"Effective mass {a} [kg]" in
            self.table
        ]  # fmt: skip
        headers = ["Mode", "f [Hz]", "m_eff X", "m_eff Y", "m_eff Z"][: len(columns)]
        self.mode_table.setColumnCount(len(columns))
        self.mode_table.setHorizontalHeaderLabels(headers)
        n = len(self.table["Mode"])
        self.mode_table.setRowCount(n)
        for row in range(n):
            for col, name in enumerate(columns):
                value = float(self.table[name][row])
                text = (
                    f"{value:.0f}" if col == 0 else f"{value:.4g}" if col == 1 else f"{value:.1%}"
                )
                item = QtWidgets.QTableWidgetItem(text)
                item.setFlags(item.flags() & ~QtCore.Qt.ItemFlag.ItemIsEditable)
                self.mode_table.setItem(row, col, item)
        self.mode_table.setSelectionBehavior(
            QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows
        )
        self.mode_table.resizeColumnsToContents()

    def _layout(self) -> None:
        row = QtWidgets.QHBoxLayout()
        row.addWidget(QtWidgets.QLabel("Scale"))
        row.addWidget(self.scale)
        row.addWidget(self.animate)
        row.addStretch(1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.mode_table, 1)

    @property
    def mode(self) -> int:
        """Index of the shown mode (0-based)."""
        return max(self.mode_table.currentRow(), 0)

    def displacement(self) -> np.ndarray:
        """The drawn displacement of every point: the shape scaled, at the animation phase."""
        shape = self.shapes[self.mode]
        peak = float(np.linalg.norm(shape, axis=1).max()) or 1.0
        swing = np.sin(2 * np.pi * self.phase / _FRAMES) if self.animate.isChecked() else 1.0
        return shape * (self.scale.value() * self.size / peak * swing)

    def _draw(self) -> None:
        self.viewer.scene.warp(self.displacement())
        self.viewer.plotter.render()

    def _on_mode_changed(self, row: int, *_: object) -> None:
        if row >= 0:
            self.viewer.time_slider.setValue(row)  # the colours show the same mode
            frequency = float(self.table["Frequency [Hz]"][row])
            self.viewer.time_label.setText(f"mode {row + 1}: {frequency:.4g} Hz")
            self._draw()

    def _on_scale_changed(self, *_: object) -> None:
        self._draw()

    def _on_animate_toggled(self, on: bool) -> None:
        self.phase = _FRAMES // 4
        if on:
            self.timer.start()
        else:
            self.timer.stop()
            self._draw()

    def _on_tick(self) -> None:
        self.phase = (self.phase + 1) % _FRAMES
        self._draw()

    def stop(self) -> None:
        """Stop the animation (before the viewer closes)."""
        self.timer.stop()
