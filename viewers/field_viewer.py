"""FieldViewer: fields on a mesh over time, in 3D (pyvistaqt).

The pyvista grid is built once per mesh; moving the time slider only overwrites the active
scalar array in place and re-renders, so switching time steps costs a copy of one array
(milliseconds even for a million cells), never a rebuild of the scene.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6 import QtCore, QtWidgets

from projects.model import FieldData, MeshData, Result

__all__ = ["FieldViewer", "to_pyvista"]

_VTK_TYPES = {
    "vertex": 1,
    "line": 3,
    "triangle": 5,
    "quad": 9,
    "tetra": 10,
    "hexahedron": 12,
    "wedge": 13,
    "pyramid": 14,
    "tetra10": 24,
}
_VIEWS = ("iso", "+x", "-x", "+y", "-y", "+z", "-z")
COLOUR_MAPS = ("viridis", "plasma", "inferno", "coolwarm", "turbo", "jet")


def to_pyvista(mesh: MeshData):
    """A pyvista UnstructuredGrid of a :class:`MeshData`."""
    import pyvista as pv

    cells, types = [], []
    for kind, conn in mesh.cells.items():
        if kind not in _VTK_TYPES:
            raise ValueError(f"cell type {kind!r} cannot be shown")
        n, k = conn.shape
        cells.append(np.hstack([np.full((n, 1), k), conn]).ravel())
        types.append(np.full(n, _VTK_TYPES[kind], dtype=np.uint8))
    return pv.UnstructuredGrid(np.concatenate(cells), np.concatenate(types), mesh.points)


class FieldViewer(QtWidgets.QWidget):
    """Pick a field and a component, move through time, probe points, save pictures."""

    probed = QtCore.Signal(object, object, str)  # times, values, label

    def __init__(self, result: Result, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        from pyvistaqt import QtInteractor

        if not result.fields:
            raise ValueError("this result has no fields to show")
        self.result = result
        self.plotter = QtInteractor(self)
        self.grids = {key: to_pyvista(mesh) for key, mesh in result.meshes.items()}
        # what is drawn: the outer surface, extracted once, with the ids of the volume points
        # and cells it came from; a time step then updates only the surface's arrays
        self.surfaces = {
            key: grid.extract_surface(
                pass_pointid=True, pass_cellid=True, algorithm="dataset_surface"
            )
            for key, grid in self.grids.items()
        }
        self.field_combo = QtWidgets.QComboBox()
        self.field_combo.addItems([f.name for f in result.fields])
        self.component_combo = QtWidgets.QComboBox()
        self.cmap_combo = QtWidgets.QComboBox()
        self.cmap_combo.addItems(COLOUR_MAPS)
        self.time_slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.time_label = QtWidgets.QLabel()
        self.play_button = QtWidgets.QPushButton("Play")
        self.play_button.setCheckable(True)
        self.auto_range = QtWidgets.QCheckBox("auto range")
        self.auto_range.setChecked(True)
        self.range_min = QtWidgets.QDoubleSpinBox()
        self.range_max = QtWidgets.QDoubleSpinBox()
        for box in (self.range_min, self.range_max):
            box.setRange(-1e12, 1e12)
            box.setDecimals(4)
            box.setEnabled(False)
        self.clip_box = QtWidgets.QCheckBox("clip")
        self.edges_box = QtWidgets.QCheckBox("edges")
        self.view_combo = QtWidgets.QComboBox()
        self.view_combo.addItems(_VIEWS)
        self.probe_label = QtWidgets.QLabel("probe: right-click a point of the mesh")
        from viewers.plot_viewer import PlotViewer

        self.probe_plot = PlotViewer()  # the probed point's value over time
        self.probe_plot.setMaximumHeight(220)
        self.probe_plot.hide()
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self._on_play_tick)
        self._layout()
        self._connect()
        self.actor = None
        self.time_index = 0
        self._on_field_changed()
        self.plotter.enable_point_picking(
            callback=self._on_point_picked, show_message=False, left_clicking=False, show_point=True
        )

    # -- layout -------------------------------------------------------------------------------
    def _layout(self) -> None:
        bar = QtWidgets.QHBoxLayout()
        for label, widget in (
            ("Field", self.field_combo),
            ("Component", self.component_combo),
            ("Colours", self.cmap_combo),
            ("View", self.view_combo),
        ):
            bar.addWidget(QtWidgets.QLabel(label))
            bar.addWidget(widget)
        bar.addWidget(self.auto_range)
        bar.addWidget(self.range_min)
        bar.addWidget(self.range_max)
        bar.addWidget(self.clip_box)
        bar.addWidget(self.edges_box)
        bar.addStretch(1)
        time_row = QtWidgets.QHBoxLayout()
        time_row.addWidget(self.play_button)
        time_row.addWidget(self.time_slider, 1)
        time_row.addWidget(self.time_label)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.plotter.interactor, 1)
        layout.addLayout(time_row)
        layout.addWidget(self.probe_label)
        layout.addWidget(self.probe_plot)

    def _connect(self) -> None:
        self.field_combo.currentTextChanged.connect(self._on_field_changed)
        self.component_combo.currentTextChanged.connect(self._on_display_changed)
        self.cmap_combo.currentTextChanged.connect(self._on_display_changed)
        self.time_slider.valueChanged.connect(self._on_time_changed)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.auto_range.toggled.connect(self._on_range_changed)
        self.range_min.valueChanged.connect(self._on_range_changed)
        self.range_max.valueChanged.connect(self._on_range_changed)
        self.clip_box.toggled.connect(self._on_display_changed)
        self.edges_box.toggled.connect(self._on_display_changed)
        self.view_combo.currentTextChanged.connect(self.set_view)

    # -- state --------------------------------------------------------------------------------
    @property
    def field(self) -> FieldData:
        """The field being shown."""
        return self.result.field(self.field_combo.currentText())

    @property
    def grid(self):
        """The pyvista grid of the field's mesh."""
        return self.grids[self.field.mesh]

    def frame(self, index: int | None = None) -> np.ndarray:
        """The shown scalar array at a time index (component or magnitude applied)."""
        values = self.field.values[self.time_index if index is None else index]
        if values.ndim == 1:
            return values
        comp = self.component_combo.currentText()
        if comp == "magnitude":
            return np.linalg.norm(values, axis=1)
        return values[:, "xyz".index(comp)]

    @property
    def displayed(self) -> np.ndarray:
        """The scalar array of the whole mesh at the shown time step."""
        return self._data()["shown"]

    def _surface_data(self):
        surface = self.surfaces[self.field.mesh]
        if self.field.association == "point":
            return surface.point_data, surface.point_data["vtkOriginalPointIds"]
        return surface.cell_data, surface.cell_data["vtkOriginalCellIds"]

    # -- handlers -----------------------------------------------------------------------------
    def _on_field_changed(self, *_: object) -> None:
        field = self.field
        self.component_combo.blockSignals(True)
        self.component_combo.clear()
        if field.values.ndim == 3:
            self.component_combo.addItems(["magnitude", "x", "y", "z"][: field.values.shape[2] + 1])
        self.component_combo.blockSignals(False)
        self.time_slider.blockSignals(True)
        self.time_slider.setRange(0, field.times.size - 1)
        self.time_slider.setValue(min(self.time_index, field.times.size - 1))
        self.time_slider.blockSignals(False)
        self.time_index = self.time_slider.value()
        self._on_display_changed()

    def _data(self):
        return self.grid.point_data if self.field.association == "point" else self.grid.cell_data

    def _range(self) -> tuple[float, float]:
        if self.auto_range.isChecked():
            values = self.field.values
            values = np.linalg.norm(values, axis=2) if values.ndim == 3 else values
            lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
            return (lo, hi if hi > lo else lo + 1e-9)
        return self.range_min.value(), self.range_max.value()

    def _on_display_changed(self, *_: object) -> None:
        """Rebuild the actor (field, component, colours, clip or edges changed)."""
        self._data()["shown"] = self.frame().copy()
        data, ids = self._surface_data()
        data["shown"] = self._data()["shown"][ids]
        self.plotter.clear()
        grid = self.grid
        if self.clip_box.isChecked():
            mesh = grid.clip(normal="x", origin=grid.center)
        else:
            mesh = self.surfaces[self.field.mesh]
        points_only = set(self.result.meshes[self.field.mesh].cells) == {"vertex"}
        lo, hi = self._range()
        # enough significant digits that the labels of a narrow range differ
        digits = max(4, int(np.ceil(np.log10(max(abs(lo), abs(hi), 1e-30) / (hi - lo)))) + 2)
        self.actor = self.plotter.add_mesh(
            mesh,
            scalars="shown",
            cmap=self.cmap_combo.currentText(),
            clim=(lo, hi),
            show_edges=self.edges_box.isChecked(),
            render_points_as_spheres=points_only,
            point_size=18 if points_only else 5,
            scalar_bar_args={
                "title": self.field.name,
                "vertical": True,
                "fmt": f"%.{min(digits, 10)}g",
                "position_x": 0.80,
                "position_y": 0.1,
                "width": 0.08,
                "height": 0.8,
                "title_font_size": 14,
                "label_font_size": 12,
            },
        )
        self._show_time_label()
        self.plotter.reset_camera()
        self.plotter.render()

    def _on_time_changed(self, index: int) -> None:
        """Switch time step: overwrite the shown array in place and re-render."""
        self.time_index = index
        self._data()["shown"][:] = self.frame()
        self.grid.Modified()
        if self.clip_box.isChecked():
            self._on_display_changed()
            return
        data, ids = self._surface_data()
        data["shown"][:] = self._data()["shown"][ids]
        self.surfaces[self.field.mesh].Modified()
        self._show_time_label()
        self.plotter.render()

    def _show_time_label(self) -> None:
        self.time_label.setText(f"t = {self.field.times[self.time_index]:.6g} s")

    def _on_range_changed(self, *_: object) -> None:
        manual = not self.auto_range.isChecked()
        self.range_min.setEnabled(manual)
        self.range_max.setEnabled(manual)
        if self.actor is not None:
            self.actor.mapper.scalar_range = self._range()
            self.plotter.render()

    def _on_play_toggled(self, playing: bool) -> None:
        self.play_button.setText("Pause" if playing else "Play")
        (self._timer.start if playing else self._timer.stop)()

    def _on_play_tick(self) -> None:
        nxt = (self.time_slider.value() + 1) % (self.time_slider.maximum() + 1)
        self.time_slider.setValue(nxt)

    # -- user actions -------------------------------------------------------------------------
    def set_view(self, view: str) -> None:
        """Standard views: iso, +x, -x, +y, -y, +z, -z."""
        views = {
            "iso": self.plotter.view_isometric,
            "+x": self.plotter.view_yz,
            "-x": lambda: self.plotter.view_yz(negative=True),
            "+y": self.plotter.view_xz,
            "-y": lambda: self.plotter.view_xz(negative=True),
            "+z": self.plotter.view_xy,
            "-z": lambda: self.plotter.view_xy(negative=True),
        }
        views[view]()
        self.plotter.render()

    def _on_point_picked(self, point, *_: object) -> None:
        if point is not None:
            self.probe_point(tuple(np.asarray(point, float)))

    def probe_point(self, xyz: tuple[float, float, float]) -> tuple[np.ndarray, np.ndarray]:
        """The shown field over time at the mesh point nearest ``xyz``."""
        index = int(self.grid.find_closest_point(np.asarray(xyz, float)))
        if self.field.association == "cell":
            index = int(self.grid.find_closest_cell(np.asarray(xyz, float)))
        series = np.array([self.frame(k)[index] for k in range(self.field.times.size)])
        label = f"{self.field.name} at point {index}"
        self.probe_label.setText(f"probe: {label}, now {series[self.time_index]:.6g}")
        self.probe_plot.clear_curves()
        self.probe_plot.add_curve(self.field.times, series, label)
        self.probe_plot.plot.setLabel("bottom", "Time [s]")
        self.probe_plot.plot.setLabel("left", self.field.name)
        self.probe_plot.show()
        self.probed.emit(self.field.times, series, label)
        return self.field.times, series

    def save_screenshot(self, path: str | Path) -> Path:
        """A PNG of the 3D view."""
        self.plotter.screenshot(str(path))
        return Path(path)

    def close_viewer(self) -> None:
        """Release the render window (call before the widget is destroyed)."""
        self._timer.stop()
        self.plotter.close()
