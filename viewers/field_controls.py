"""The FieldViewer's controls and their layout, apart from what they do (field_viewer.py).

Top bar: field, component, colour map, range (auto or min/max), clip, edges, view, reset camera,
save picture, and the deformed shape with its scale (for results with a displacement). Under the
3D view: play/pause and the time slider, then the probe row (type a point or right-click the
mesh) and the probed point's history in a small PlotViewer.
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
        self.per_step = QtWidgets.QCheckBox("per step")
        self.per_step.setToolTip(
            "the colour range follows the shown time step (unticked: the whole run); on by "
            "default when the whole run spans far more than one step, so the first picture "
            "shows the field's structure"
        )
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
        self.deformed_box = QtWidgets.QCheckBox("Deformed shape")
        self.deformed_box.setToolTip(
            "draw the mesh moved by the displacement at the shown time step, times the scale; "
            "the colours still show the chosen field"
        )
        self.deformed_scale = QtWidgets.QDoubleSpinBox()
        self.deformed_scale.setRange(0.0, 1e6)
        self.deformed_scale.setDecimals(3)
        self.deformed_scale.setValue(1.0)
        self.deformed_scale.setPrefix("× ")
        self.deformed_scale.setToolTip("displacement scale factor (1: true scale)")
        self.deformed_group = QtWidgets.QWidget()  # shown only for results with a displacement
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
        self.probe_edit.setToolTip("probe a point: type x, y, z [m], or right-click the mesh")
        self.probe_label = QtWidgets.QLabel("")
        self.probe_label.hide()  # shown with the probed point's plot
        self.probe_plot = PlotViewer()  # the probed point's value over time
        self.probe_plot.setMaximumHeight(220)
        self.probe_plot.hide()

    def build_controls(
        self, view: QtWidgets.QWidget, field_names: Sequence[str], colour_maps: Sequence[str]
    ) -> None:
        """Fill the choices and lay the controls out around the 3D ``view``."""
        self.field_combo.addItems(list(field_names))
        self.cmap_combo.addItems(list(colour_maps))
        for combo in (self.field_combo, self.component_combo, self.cmap_combo, self.view_combo):
            # narrow on a small screen: the combo shows a few characters and elides the rest
            combo.setSizeAdjustPolicy(
                QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(6)
        # the field's name whole ("Equivalent plastic strain", not "Equivalent p"): the flow
        # wraps the controls onto more lines in a narrow window instead
        longest = max((len(name) for name in field_names), default=6)
        self.field_combo.setMinimumContentsLength(min(max(longest, 6), 30))
        for box in (self.range_min, self.range_max):
            box.setMinimumWidth(70)
        layout = QtWidgets.QVBoxLayout(self)
        bar = QtWidgets.QWidget()  # a widget, so the box layout asks it its height for a width
        bar.setLayout(self._top_bar())
        policy = bar.sizePolicy()
        policy.setHeightForWidth(True)
        bar.setSizePolicy(policy)
        layout.addWidget(bar)
        layout.addWidget(view, 1)
        time_row = QtWidgets.QHBoxLayout()
        time_row.addWidget(self.play_button)
        time_row.addWidget(self.time_slider, 1)
        time_row.addWidget(self.time_label)
        layout.addLayout(time_row)
        layout.addWidget(self.probe_label)
        layout.addWidget(self.probe_plot)

    def _top_bar(self) -> QtWidgets.QLayout:
        """The controls in one flow that wraps onto a second line in a narrow window: what is
        shown (field, component, colours, range), then how (clip, edges, view, camera,
        picture)."""
        from cellwright.viewers.flow_layout import FlowLayout

        bar = FlowLayout()
        groups = (
            (QtWidgets.QLabel("Field"), self.field_combo, self.unit_label),
            (QtWidgets.QLabel("Component"), self.component_combo),
            (QtWidgets.QLabel("Colours"), self.cmap_combo),
            (self.auto_range, self.per_step, self.range_min, self.range_max),
            (self.clip_box, self.edges_box),
            (QtWidgets.QLabel("View"), self.view_combo, self.reset_button, self.picture_button),
            (self.probe_edit, self.probe_button),
        )
        for widgets in (*groups, (self.deformed_box, self.deformed_scale)):
            # a group stays on one line
            holder = self.deformed_group if self.deformed_box in widgets else QtWidgets.QWidget()
            row = QtWidgets.QHBoxLayout(holder)
            row.setContentsMargins(0, 0, 0, 0)
            for widget in widgets:
                row.addWidget(widget)
            bar.addWidget(holder)
        return bar
