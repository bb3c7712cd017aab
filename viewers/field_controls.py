"""The FieldViewer's controls and their layout, apart from what they do (field_viewer.py).

Top bar: field, component, colour map, range (auto or min/max), clip, edges, view, reset camera,
save picture. Under the 3D view: play/pause and the time slider, then the probe row (type a
point or right-click the mesh) and the probed point's history in a small PlotViewer.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6 import QtCore, QtWidgets

from cellwright.viewers.plot_viewer import PlotViewer

__all__ = ["VIEWS", "FieldControls"]

VIEWS = ("iso", "+x", "-x", "+y", "-y", "+z", "-z")
PLAY_INTERVAL_MS = 200  # five frames a second: slow enough to read the colour bar


class FieldControls(QtWidgets.QWidget):
    """The widgets of a field viewer; a subclass connects them and draws."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.field_combo = QtWidgets.QComboBox()
        self.component_combo = QtWidgets.QComboBox()
        self.unit_label = QtWidgets.QLabel()
        self.cmap_combo = QtWidgets.QComboBox()
        self.view_combo = QtWidgets.QComboBox()
        self.view_combo.addItems(VIEWS)
        self.auto_range = QtWidgets.QCheckBox("auto range")
        self.auto_range.setChecked(True)
        self.range_min = QtWidgets.QDoubleSpinBox()
        self.range_max = QtWidgets.QDoubleSpinBox()
        for box in (self.range_min, self.range_max):
            box.setRange(-1e12, 1e12)
            box.setDecimals(4)
            box.setEnabled(False)
        self.range_min.setToolTip("lowest value of the colour scale")
        self.range_max.setToolTip("highest value of the colour scale")
        self.clip_box = QtWidgets.QCheckBox("clip")
        self.clip_box.setToolTip("cut the mesh with a plane; drag the plane's arrow to move it")
        self.edges_box = QtWidgets.QCheckBox("edges")
        self.reset_button = QtWidgets.QPushButton("Reset camera")
        self.picture_button = QtWidgets.QPushButton("Save picture…")
        self.time_slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.time_label = QtWidgets.QLabel()
        self.play_button = QtWidgets.QPushButton("Play")
        self.play_button.setCheckable(True)
        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(PLAY_INTERVAL_MS)
        self.probe_edit = QtWidgets.QLineEdit()
        self.probe_edit.setPlaceholderText("x, y, z [m]")
        self.probe_edit.setMaximumWidth(220)
        self.probe_button = QtWidgets.QPushButton("Probe")
        self.probe_label = QtWidgets.QLabel("probe: right-click a point of the mesh or type one")
        self.probe_plot = PlotViewer()  # the probed point's value over time
        self.probe_plot.setMaximumHeight(220)
        self.probe_plot.hide()

    def build_controls(
        self, view: QtWidgets.QWidget, field_names: Sequence[str], colour_maps: Sequence[str]
    ) -> None:
        """Fill the choices and lay the controls out around the 3D ``view``."""
        self.field_combo.addItems(list(field_names))
        self.cmap_combo.addItems(list(colour_maps))
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(self._top_bar())
        layout.addWidget(view, 1)
        time_row = QtWidgets.QHBoxLayout()
        time_row.addWidget(self.play_button)
        time_row.addWidget(self.time_slider, 1)
        time_row.addWidget(self.time_label)
        layout.addLayout(time_row)
        probe_row = QtWidgets.QHBoxLayout()
        probe_row.addWidget(self.probe_edit)
        probe_row.addWidget(self.probe_button)
        probe_row.addWidget(self.probe_label, 1)
        layout.addLayout(probe_row)
        layout.addWidget(self.probe_plot)

    def _top_bar(self) -> QtWidgets.QHBoxLayout:
        bar = QtWidgets.QHBoxLayout()
        for label, widget in (
            ("Field", self.field_combo),
            (None, self.unit_label),
            ("Component", self.component_combo),
            ("Colours", self.cmap_combo),
        ):
            if label:
                bar.addWidget(QtWidgets.QLabel(label))
            bar.addWidget(widget)
        for widget in (self.auto_range, self.range_min, self.range_max):
            bar.addWidget(widget)
        bar.addWidget(self.clip_box)
        bar.addWidget(self.edges_box)
        bar.addWidget(QtWidgets.QLabel("View"))
        bar.addWidget(self.view_combo)
        bar.addWidget(self.reset_button)
        bar.addWidget(self.picture_button)
        bar.addStretch(1)
        return bar
