"""FieldViewer: fields on a mesh over time, in 3D (pyvistaqt).

The pyvista grid is built once per mesh, and its outer surface extracted once with the ids of
the volume points and cells it came from. Moving the time slider only overwrites the shown
scalar arrays in place and marks them modified, so a time step costs a copy of one array
(tens of milliseconds for a million cells), never a rebuild of the scene; the clip plane is cut
again only when it moves (see field_scene.py). The camera stays where the user put it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6 import QtCore, QtWidgets

from cellwright.projects.model import FieldData, InputError, Result, unit_of
from cellwright.projects.readable import celsius_shown, duration, number, time_unit
from cellwright.viewers.axis_labels import label_axis
from cellwright.viewers.colour_bar import label_scalar_bar
from cellwright.viewers.field_controls import FieldControls
from cellwright.viewers.field_data import (
    PROBE_UNITS,
    FieldFrames,
    check_field,
    components_of,
    parse_point,
)
from cellwright.viewers.field_deform import DeformedShapeMixin, displacement_field
from cellwright.viewers.field_scene import SHOWN, MeshScene
from cellwright.viewers.gl_tuning import release_gl_wrappers, tune_antialiasing_when_ready
from cellwright.viewers.result_units import lengths_in_mm, shown_length
from cellwright.viewers.vtk_imports import import_vtk_stack

__all__ = ["COLOUR_MAPS", "FieldViewer"]

COLOUR_MAPS = ("viridis", "plasma", "inferno", "coolwarm", "turbo", "jet")


def _frames(field: FieldData, in_mm: bool) -> FieldFrames:
    """The frames of ``field`` as the viewer shows them: a mechanical study's lengths in mm
    (:func:`shown_length`), an absolute temperature in °C (:func:`celsius_shown`, judged on
    a few of its steps), as the report's pictures and the result's table show them."""
    name, factor = shown_length(field.name, in_mm)
    steps = field.values[:: max(1, field.values.shape[0] // 4)] if field.values.size else []
    name, offset = celsius_shown(name, steps)
    return FieldFrames(field, (name, factor), offset)


class FieldViewer(DeformedShapeMixin, FieldControls):
    """Pick a field and a component, move through time, clip, probe points, save pictures.

    Parameters
    ----------
    result
        A result with at least one field; every field must have one value per point (or cell)
        of its mesh.
    parent
        The Qt parent widget.
    """

    probed = QtCore.Signal(object, object, str)  # times, values, label

    def __init__(self, result: Result, parent: QtWidgets.QWidget | None = None) -> None:
        if not result.fields:
            raise InputError("this result has no fields to show", where=result.name or result.id)
        for field in result.fields:
            check_field(field, result.meshes[field.mesh])
        super().__init__(parent)
        import_vtk_stack()
        from pyvistaqt import QtInteractor

        self.result = result
        in_mm = lengths_in_mm(result)  # a crush's displacement in mm, as in its table and plots
        self.length_unit = "mm" if in_mm else "m"  # of probe points typed and shown
        self.frames = {f.name: _frames(f, in_mm) for f in result.fields}
        used = dict.fromkeys(f.mesh for f in result.fields)
        self.scenes = {k: MeshScene(result.meshes[k], where=f"mesh {k!r}") for k in used}
        self.plotter = QtInteractor(self)
        shown = [self.frames[f.name].shown_name for f in result.fields]
        self.build_controls(self.plotter.interactor, shown, COLOUR_MAPS)
        for index, f in enumerate(result.fields):  # listed as shown, known by its stored name
            self.field_combo.setItemData(index, f.name)
        self.probe_edit.setPlaceholderText(f"x, y, z [{self.length_unit}]")
        self.probe_edit.setToolTip(
            f"probe a point: type x, y, z [{self.length_unit}], or right-click the mesh"
        )
        self.displacement = displacement_field(result)
        self._setup_deformed()
        self.actor = None
        self.time_index = 0
        self._shown_mesh: str | None = None
        self._tuned = False
        self._connect()
        self._on_field_changed()
        self.plotter.enable_point_picking(
            callback=self._on_point_picked, show_message=False, left_clicking=False, show_point=True
        )

    def showEvent(self, event) -> None:
        """On first show, when the OpenGL context exists, fit the anti-aliasing to the renderer."""
        super().showEvent(event)
        if not self._tuned:
            self._tuned = True
            tune_antialiasing_when_ready(self.plotter)

    def _connect(self) -> None:
        self.field_combo.currentTextChanged.connect(self._on_field_changed)
        self.component_combo.currentTextChanged.connect(self._on_display_changed)
        self.cmap_combo.currentTextChanged.connect(self._on_display_changed)
        self.time_slider.valueChanged.connect(self._on_time_changed)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.timer.timeout.connect(self._on_play_tick)
        self.auto_range.toggled.connect(self._on_auto_range_changed)
        self.per_step.toggled.connect(self._on_range_changed)
        self.range_min.valueChanged.connect(self._on_range_changed)
        self.range_max.valueChanged.connect(self._on_range_changed)
        self.clip_box.toggled.connect(self._on_display_changed)
        self.edges_box.toggled.connect(self._on_display_changed)
        self.view_combo.currentTextChanged.connect(self.set_view)
        self.reset_button.clicked.connect(self._on_reset_camera_clicked)
        self.picture_button.clicked.connect(self._on_save_picture_clicked)
        self.probe_edit.returnPressed.connect(self._on_probe_entered)
        self.probe_button.clicked.connect(self._on_probe_entered)

    # -- state ----------------------------------------------------------------------------------
    @property
    def field(self) -> FieldData:
        """The field being shown."""
        return self.result.field(self.field_combo.currentData() or self.field_combo.currentText())

    @property
    def component(self) -> str:
        """The vector component shown ("magnitude", "x", "y", "z"); "magnitude" for scalars."""
        return self.component_combo.currentText() or "magnitude"

    @property
    def scene(self) -> MeshScene:
        """The grid and drawn pieces of the shown field's mesh."""
        return self.scenes[self.field.mesh]

    @property
    def grid(self):
        """The pyvista grid of the shown field's mesh."""
        return self.scene.grid

    def frame(self, index: int | None = None) -> np.ndarray:
        """The shown scalar array at a time index (component or magnitude applied)."""
        frames = self.frames[self.field.name]
        return frames.frame(self.time_index if index is None else index, self.component)

    @property
    def displayed(self) -> np.ndarray:
        """The scalar array of the whole mesh as it is drawn now."""
        return np.asarray(self._data(self.grid)[SHOWN])

    def _data(self, dataset):
        return dataset.point_data if self.field.association == "point" else dataset.cell_data

    def _write_shown(self, fresh: bool) -> None:
        """Put the current frame into the grid and what is drawn of it."""
        self.scene.write(self.field.association, self.frame(), fresh)

    def _range(self) -> tuple[float, float]:
        if self.auto_range.isChecked():
            frames = self.frames[self.field.name]
            if self.per_step.isChecked():
                return frames.step_range(self.time_index, self.component)
            return frames.value_range(self.component)
        return self.range_min.value(), self.range_max.value()

    def focus(self, field: str | None, time: float | None) -> None:
        """Show ``field`` at the step nearest ``time`` [s], with the colour range chosen for
        that step (see :meth:`FieldFrames.prefers_step_range`)."""
        if field is not None and self.field_combo.findData(field) >= 0:
            self.field_combo.setCurrentIndex(self.field_combo.findData(field))
        if time is not None:
            self.show_time(time)
        self._choose_range_mode()
        self._on_range_changed()

    def show_time(self, time: float) -> None:
        """Go to the time step nearest ``time`` [s]."""
        times = self.field.times
        self.time_slider.setValue(int(np.argmin(np.abs(np.asarray(times) - time))))

    def _choose_range_mode(self) -> None:
        """Colours per step when the whole run would flatten the shown step to one colour."""
        follow = self.frames[self.field.name].prefers_step_range(self.time_index, self.component)
        self.per_step.blockSignals(True)
        self.per_step.setChecked(follow)
        self.per_step.blockSignals(False)

    # -- handlers -------------------------------------------------------------------------------
    def _on_field_changed(self, *_: object) -> None:
        field = self.field
        self.component_combo.blockSignals(True)
        self.component_combo.clear()
        self.component_combo.addItems(components_of(field))
        self.component_combo.setEnabled(field.values.ndim == 3)
        self.component_combo.blockSignals(False)
        self.time_slider.blockSignals(True)
        self.time_slider.setRange(0, field.times.size - 1)
        self.time_slider.setValue(min(self.time_index, field.times.size - 1))
        self.time_slider.blockSignals(False)
        self.time_index = self.time_slider.value()
        unit = unit_of(self.frames[field.name].shown_name)
        self.unit_label.setText(f"[{unit}]" if unit else "")
        self._choose_range_mode()
        self._on_display_changed()
        if self._shown_mesh != field.mesh:  # a new mesh: frame it; otherwise keep the camera
            self._shown_mesh = field.mesh
            self.plotter.reset_camera()
            self.plotter.render()

    def _on_clip_plane_changed(self, normal, origin) -> None:
        self.scene.clip(normal, origin)
        self._warp()
        self.plotter.render()

    def _on_display_changed(self, *_: object) -> None:
        """Redraw the actor (field, component, colours, clip or edges changed); keep the camera."""
        self._write_shown(fresh=True)
        self._warp()
        self.plotter.clear()
        self.plotter.clear_plane_widgets()
        field = self.field
        scene = self.scene
        if self.clip_box.isChecked():
            drawn = scene.clip()
            # the widget reports its plane on release, and once now (pyvista tests the callback).
            # Lists, not tuples: VTK's widget clamps the origin into its bounds and writes the
            # clamped value back into the argument, which a tuple refuses (a flat coolant
            # network's float32 bounds clamp its own centre)
            self.plotter.add_plane_widget(
                self._on_clip_plane_changed,
                normal=list(scene.plane_normal),
                origin=list(scene.plane_origin),
                bounds=self.grid.bounds,
            )
        else:
            drawn = scene.surface
        points_only = set(self.result.meshes[field.mesh].cells) == {"vertex"}
        lo, hi = self._range()
        if self.auto_range.isChecked():
            self._show_range_in_boxes(lo, hi)
        self.actor = self.plotter.add_mesh(
            drawn,
            scalars=SHOWN,
            preference=field.association,
            cmap=self.cmap_combo.currentText(),
            clim=(lo, hi),
            show_edges=self.edges_box.isChecked(),
            render_points_as_spheres=points_only,
            point_size=18 if points_only else 5,
            scalar_bar_args=self._scalar_bar_args(),
        )
        self._label_scalar_bar(lo, hi)
        self._show_time_label()
        self.plotter.render()

    def _scalar_bar_title(self) -> str:
        name = self.frames[self.field.name].shown_name
        return name if self.component == "magnitude" else f"{name} ({self.component})"

    def _scalar_bar_args(self) -> dict[str, object]:
        return {
            "title": self._scalar_bar_title(),
            "vertical": True,
            "position_x": 0.80,
            "position_y": 0.1,
            "width": 0.08,
            "height": 0.8,
            "title_font_size": 14,
            "label_font_size": 12,
        }

    def _label_scalar_bar(self, lo: float, hi: float) -> None:
        """Round ticks (0.002, 0.004, not 0.002825) for the colour range now shown."""
        title = self._scalar_bar_title()
        if title in self.plotter.scalar_bars:
            label_scalar_bar(self.plotter.scalar_bars[title], lo, hi)

    def _on_time_changed(self, index: int) -> None:
        """Switch time step: overwrite the shown arrays in place and re-render."""
        self.time_index = index
        self._write_shown(fresh=False)
        self._warp()
        self._show_time_label()
        if self.auto_range.isChecked() and self.per_step.isChecked() and self.actor is not None:
            lo, hi = self._range()
            self.actor.mapper.scalar_range = (lo, hi)
            self._label_scalar_bar(lo, hi)
            self._show_range_in_boxes(lo, hi)
        self.plotter.render()

    def _show_time_label(self) -> None:
        # in the unit the run's length reads in, 4 figures: "t = 20.58 min", not "1234.56 s"
        times = self.field.times
        self.time_label.setText(f"t = {duration(times[self.time_index], times[-1])}")

    def _show_range_in_boxes(self, lo: float, hi: float) -> None:
        """The auto range, shown greyed out; unticking 'auto range' then starts from it."""
        for box, value in ((self.range_min, lo), (self.range_max, hi)):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)

    def _on_auto_range_changed(self, auto: bool) -> None:
        if not auto:  # the fixed range starts from the one that was shown
            frames = self.frames[self.field.name]
            shown = (
                frames.step_range(self.time_index, self.component)
                if self.per_step.isChecked()
                else frames.value_range(self.component)
            )
            self._show_range_in_boxes(*shown)
        self._on_range_changed()

    def _on_range_changed(self, *_: object) -> None:
        manual = not self.auto_range.isChecked()
        self.range_min.setEnabled(manual)
        self.range_max.setEnabled(manual)
        self.per_step.setEnabled(not manual)
        if self.actor is not None:
            lo, hi = self._range()
            self.actor.mapper.scalar_range = (lo, hi)
            self._label_scalar_bar(lo, hi)
            if not manual:
                self._show_range_in_boxes(lo, hi)
            self.plotter.render()

    def _on_play_toggled(self, playing: bool) -> None:
        self.play_button.setText("Pause" if playing else "Play")
        (self.timer.start if playing else self.timer.stop)()

    def _on_play_tick(self) -> None:
        nxt = (self.time_slider.value() + 1) % (self.time_slider.maximum() + 1)
        self.time_slider.setValue(nxt)

    # -- user actions ---------------------------------------------------------------------------
    def set_view(self, view: str) -> None:
        """Standard views: iso, +x, -x, +y, -y, +z, -z (looking from that side)."""
        views = {
            "iso": self.plotter.view_isometric,
            "+x": self.plotter.view_yz,
            "-x": lambda: self.plotter.view_yz(negative=True),
            "+y": self.plotter.view_xz,
            "-y": lambda: self.plotter.view_xz(negative=True),
            "+z": self.plotter.view_xy,
            "-z": lambda: self.plotter.view_xy(negative=True),
        }
        if view not in views:
            raise InputError(f"unknown view {view!r}; views: {list(views)}")
        views[view]()
        self.plotter.render()

    def _on_reset_camera_clicked(self) -> None:
        self.plotter.reset_camera()
        self.plotter.render()

    def _on_save_picture_clicked(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "Save picture", "", "PNG (*.png)")
        if path:
            self.save_screenshot(path)

    def _on_point_picked(self, point, *_: object) -> None:
        if point is not None:
            self.probe_point(tuple(np.asarray(point, float)))

    def _on_probe_entered(self) -> None:
        try:
            self.probe_point(parse_point(self.probe_edit.text(), self.length_unit))
        except InputError as exc:
            self.probe_label.setText(f"probe: {exc}")
            self.probe_label.show()

    def probe_point(self, xyz: tuple[float, float, float]) -> tuple[np.ndarray, np.ndarray]:
        """The shown field over time at the mesh point (or cell) nearest ``xyz`` [m].

        Shows the history in the small plot under the 3D view and emits :attr:`probed`.
        """
        field, where = self.field, np.asarray(xyz, float)
        if field.association == "cell":
            index, kind = int(self.grid.find_closest_cell(where)), "cell"
            at = np.asarray(self.grid.get_cell(index).points).mean(axis=0)
        else:
            index, kind = int(self.grid.find_closest_point(where)), "point"
            at = self.grid.points[index]
        frames = self.frames[field.name]
        series = frames.history(index, self.component)
        comp = "" if self.component == "magnitude" else f" ({self.component})"
        label = f"{frames.shown_name}{comp} at {kind} {index}"
        at = at / PROBE_UNITS[self.length_unit]
        self.probe_label.setText(
            f"probe: {label} ({', '.join(f'{c:.4g}' for c in at)} {self.length_unit}), "
            f"now {number(series[self.time_index])}"
        )
        self.probe_plot.clear_curves()
        # over the unit the time label reads in (an hour's run in min), a shock's 0.02 s in s
        unit, size = time_unit(field.times[-1])
        self.probe_plot.add_curve(field.times / size, series, label)
        label_axis(self.probe_plot.plot, "bottom", f"Time [{unit}]")
        label_axis(self.probe_plot.plot, "left", frames.shown_name)
        self.probe_plot.show()
        self.probe_label.show()
        self.probed.emit(field.times, series, label)
        return field.times, series

    def save_screenshot(self, path: str | Path) -> Path:
        """A PNG of the 3D view."""
        path = Path(path)
        try:
            self.plotter.screenshot(str(path))
        except OSError as exc:
            raise InputError(f"cannot write the picture ({exc})", where=str(path)) from exc
        return path

    def close_viewer(self) -> None:
        """Release the render window (call before the widget is destroyed); safe to repeat."""
        self.timer.stop()
        if not getattr(self.plotter, "_closed", False):
            self.plotter.close()
            release_gl_wrappers(self.plotter)
