"""FieldViewer on a real X display (VTK needs it), against the analytic cylinder field."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore

from cellwright.projects.model import FieldData, InputError, MeshData, Provenance, Result
from support.viewer_data import TIMES, H, R, cell_centroids, heat_flux, png_spread, temperature

C = 273.15  # K at 0 °C: the viewer shows an absolute temperature in °C

pytestmark = pytest.mark.gui


@pytest.fixture
def viewer(qtbot, cylinder):
    from cellwright.viewers.field_viewer import FieldViewer

    v = FieldViewer(cylinder)
    qtbot.addWidget(v)
    v.resize(1100, 760)
    v.show()
    qtbot.waitExposed(v)
    yield v
    v.close_viewer()


def _drawn(viewer):
    """The dataset the actor draws (surface or clip output), as the renderer last saw it."""
    viewer.plotter.render()
    return viewer.actor.mapper.dataset


def test_time_slider_moves_what_is_drawn(viewer, qtbot, cylinder) -> None:
    points = cylinder.meshes["can"].points
    np.testing.assert_allclose(viewer.displayed, temperature(points, TIMES[0]) - C)
    viewer.time_slider.setFocus()
    qtbot.keyClick(viewer.time_slider, QtCore.Qt.Key.Key_End)
    assert viewer.time_label.text() == "t = 10 s"
    np.testing.assert_allclose(viewer.displayed, temperature(points, TIMES[-1]) - C)
    surface = _drawn(viewer)
    ids = surface.point_data["grid_point_ids"]
    np.testing.assert_allclose(surface.point_data["shown"], temperature(points[ids], TIMES[-1]) - C)
    qtbot.keyClick(viewer.time_slider, QtCore.Qt.Key.Key_Left)
    assert viewer.time_label.text() == "t = 8 s"
    np.testing.assert_allclose(
        _drawn(viewer).point_data["shown"], temperature(points[ids], 8.0) - C
    )


def test_vector_components_and_their_ranges(viewer, cylinder) -> None:
    points = cylinder.meshes["can"].points
    viewer.field_combo.setCurrentText("Heat flux [W.m-2]")
    items = [viewer.component_combo.itemText(i) for i in range(viewer.component_combo.count())]
    assert items == ["magnitude", "x", "y", "z"]
    viewer.time_slider.setValue(3)
    q = heat_flux(points, TIMES[3])
    np.testing.assert_allclose(viewer.displayed, np.linalg.norm(q, axis=1))
    viewer.component_combo.setCurrentText("x")
    np.testing.assert_allclose(viewer.displayed, q[:, 0])
    # per step, the colour range spans the shown step of the component (negative x too) ...
    viewer.per_step.setChecked(True)
    assert tuple(viewer.actor.mapper.scalar_range) == pytest.approx((q[:, 0].min(), q[:, 0].max()))
    # ... otherwise that component over all times
    viewer.per_step.setChecked(False)
    all_x = np.array([heat_flux(points, t)[:, 0] for t in TIMES])
    assert tuple(viewer.actor.mapper.scalar_range) == pytest.approx((all_x.min(), all_x.max()))
    viewer.component_combo.setCurrentText("z")
    np.testing.assert_allclose(viewer.displayed, q[:, 2])
    assert viewer.plotter.scalar_bars.keys() == {"Heat flux [W.m-2] (z)"}


def test_fixed_range_starts_from_the_auto_range(viewer, qtbot) -> None:
    auto = tuple(viewer.actor.mapper.scalar_range)
    qtbot.mouseClick(viewer.auto_range, QtCore.Qt.MouseButton.LeftButton)
    assert viewer.range_min.isEnabled()
    assert (viewer.range_min.value(), viewer.range_max.value()) == pytest.approx(auto, abs=1e-4)
    viewer.range_min.setValue(300.0)
    viewer.range_max.setValue(310.0)
    assert tuple(viewer.actor.mapper.scalar_range) == (300.0, 310.0)
    viewer.cmap_combo.setCurrentText("coolwarm")  # a redraw keeps the fixed range
    assert tuple(viewer.actor.mapper.scalar_range) == (300.0, 310.0)


def test_software_rendering_drops_multisampling(viewer, qtbot) -> None:
    from cellwright.viewers.field_data import is_software_renderer

    # the renderer is asked once the widget's OpenGL context exists (viewers/gl_tuning.py)
    qtbot.waitUntil(lambda: viewer.plotter.interactor.isValid(), timeout=5000)
    qtbot.wait(200)
    software = is_software_renderer(viewer.plotter.ren_win.ReportCapabilities())
    assert software == (viewer.plotter.ren_win.GetMultiSamples() == 0)


def test_scalar_bar_is_titled_with_the_unit(viewer) -> None:
    # a cell's temperature in °C, as the report's picture and the scalars table read it
    assert viewer.plotter.scalar_bars.keys() == {"Temperature [°C]"}
    assert viewer.unit_label.text() == "[°C]"


def test_clip_follows_time_and_keeps_the_camera(viewer, qtbot, cylinder) -> None:
    mesh = cylinder.meshes["can"]
    viewer.set_view("+z")
    camera = viewer.plotter.camera_position
    qtbot.mouseClick(viewer.clip_box, QtCore.Qt.MouseButton.LeftButton)
    qtbot.mouseClick(viewer.edges_box, QtCore.Qt.MouseButton.LeftButton)
    assert viewer.actor.prop.show_edges
    clipped = _drawn(viewer)
    # the default plane: normal +x through the centre; whole cells with centroid x <= 0 stay
    cells = np.unique(clipped.cell_data["grid_cell_ids"])
    assert (cell_centroids(mesh)[cells, 0] <= 0).all()
    assert np.hypot(*clipped.points[:, :2].T).min() < 0.2 * R  # the cut face shows the core
    viewer.time_slider.setValue(4)
    clipped = _drawn(viewer)
    # a crinkle clip draws mesh nodes only, so the drawn values are the field's, exactly
    np.testing.assert_array_equal(clipped.points, mesh.points[clipped["grid_point_ids"]])
    np.testing.assert_allclose(clipped["shown"], temperature(clipped.points, TIMES[4]) - C)
    assert viewer.plotter.camera_position == camera
    # moving the plane (what the widget reports on release) cuts again, at the current time
    viewer._on_clip_plane_changed((0.0, 0.0, 1.0), (0.0, 0.0, 0.02))
    clipped = _drawn(viewer)
    cells = np.unique(clipped.cell_data["grid_cell_ids"])
    assert (cell_centroids(mesh)[cells, 2] <= 0.02).all() and clipped.points[:, 2].max() < 0.03
    np.testing.assert_allclose(clipped["shown"], temperature(clipped.points, TIMES[4]) - C)
    qtbot.mouseClick(viewer.clip_box, QtCore.Qt.MouseButton.LeftButton)
    assert _drawn(viewer).n_points < viewer.grid.n_points  # back to the outer surface


def test_standard_views_and_reset(viewer, qtbot) -> None:
    viewer.view_combo.setCurrentText("+z")
    pos, focal, _up = viewer.plotter.camera_position
    direction = np.subtract(pos, focal)
    assert direction[2] > 0 and np.allclose(direction[:2], 0, atol=1e-9)
    viewer.view_combo.setCurrentText("-x")
    pos, focal, _ = viewer.plotter.camera_position
    assert np.subtract(pos, focal)[0] < 0
    viewer.plotter.camera.zoom(5)
    qtbot.mouseClick(viewer.reset_button, QtCore.Qt.MouseButton.LeftButton)
    assert viewer.plotter.camera.parallel_scale == pytest.approx(
        viewer.plotter.camera.parallel_scale
    )
    with pytest.raises(InputError, match="unknown view 'top'"):
        viewer.set_view("top")


def _nearest(points: np.ndarray, xyz) -> int:
    return int(np.argmin(np.linalg.norm(points - np.asarray(xyz), axis=1)))


def test_typed_probe_gives_the_history_of_the_nearest_point(viewer, qtbot, cylinder) -> None:
    points = cylinder.meshes["can"].points
    viewer.probe_edit.setFocus()
    qtbot.keyClicks(viewer.probe_edit, "0.004, 0.001, 0.03")
    with qtbot.waitSignal(viewer.probed) as signal:
        qtbot.keyClick(viewer.probe_edit, QtCore.Qt.Key.Key_Return)
    times, values, label = signal.args
    index = _nearest(points, (0.004, 0.001, 0.03))
    np.testing.assert_array_equal(times, TIMES)
    np.testing.assert_allclose(
        values, [temperature(points[index : index + 1], t)[0] - C for t in TIMES]
    )
    assert label == f"Temperature [°C] at point {index}"
    [curve] = viewer.probe_plot.curves.values()
    np.testing.assert_allclose(curve.getData()[1], values)
    assert viewer.probe_plot.isVisible()
    viewer.probe_edit.setText("four, 0, 0")
    qtbot.mouseClick(viewer.probe_button, QtCore.Qt.MouseButton.LeftButton)
    assert (
        "probe point" in viewer.probe_label.text() and "three numbers" in viewer.probe_label.text()
    )


def test_right_click_probes_the_picked_point(viewer, qtbot, cylinder) -> None:
    points = cylinder.meshes["can"].points
    viewer.set_view("+y")
    view = viewer.plotter.interactor
    with qtbot.waitSignal(viewer.probed, timeout=5000) as signal:
        qtbot.mouseClick(view, QtCore.Qt.MouseButton.RightButton, pos=view.rect().center())
    picked = np.asarray(viewer.plotter.picked_point)
    # looking from +y at the middle of the can: the pick lies on the axis line x = 0 at mid-height
    assert picked[0] == pytest.approx(0.0, abs=1e-3) and picked[2] == pytest.approx(H / 2, rel=0.1)
    index = _nearest(points, picked)
    assert np.linalg.norm(points[index] - picked) < 1e-9  # a point picker picks mesh points
    expected = [temperature(points[index : index + 1], t)[0] - C for t in TIMES]
    np.testing.assert_allclose(signal.args[1], expected)


def test_cell_fields_probe_cells(viewer, cylinder) -> None:
    mesh = cylinder.meshes["can"]
    viewer.field_combo.setCurrentText("Heat source [W.m-3]")
    viewer.time_slider.setValue(2)
    centroids = cell_centroids(mesh)
    np.testing.assert_allclose(viewer.displayed, 5e4 * (1 + TIMES[2] / 10) * centroids[:, 2] / H)
    assert "shown" not in viewer.grid.point_data  # no stale point array to colour by
    where = np.array([0.005, 0.002, 0.06])
    _times, values = viewer.probe_point(tuple(where))
    index = _containing_tetra(mesh, where)
    np.testing.assert_allclose(values, 5e4 * (1 + TIMES / 10) * centroids[index, 2] / H)
    assert viewer.probe_label.text().startswith(f"probe: Heat source [W.m-3] at cell {index} (")


def _containing_tetra(mesh: MeshData, xyz: np.ndarray) -> int:
    """The tetra whose barycentric coordinates of ``xyz`` are all >= 0 (numpy, not VTK)."""
    corners = mesh.points[mesh.cells["tetra"]]  # (n, 4, 3)
    edges = (corners[:, 1:] - corners[:, :1]).transpose(0, 2, 1)  # (n, 3, 3), columns = edges
    lam = np.linalg.solve(edges, (xyz - corners[:, 0])[..., None])[..., 0]
    bary = np.column_stack([1 - lam.sum(axis=1), lam])
    [index] = np.flatnonzero((bary >= -1e-12).all(axis=1))
    return int(index)


def test_play_steps_through_time_until_paused(viewer, qtbot) -> None:
    qtbot.mouseClick(viewer.play_button, QtCore.Qt.MouseButton.LeftButton)
    assert viewer.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: viewer.time_slider.value() >= 2, timeout=3000)
    qtbot.mouseClick(viewer.play_button, QtCore.Qt.MouseButton.LeftButton)
    stopped = viewer.time_slider.value()
    qtbot.wait(450)
    assert viewer.time_slider.value() == stopped and viewer.play_button.text() == "Play"


def test_screenshots_are_pictures_of_the_field(viewer, qtbot, screenshot_path) -> None:
    viewer.time_slider.setValue(5)
    viewer.set_view("iso")
    first = viewer.save_screenshot(screenshot_path("field_viewer_cylinder"))
    assert png_spread(first) > 20, "the 3D view looks blank"
    viewer.clip_box.setChecked(True)
    viewer.edges_box.setChecked(True)
    viewer.probe_point((0.0, 0.0, 0.035))
    qtbot.wait(100)
    whole = screenshot_path("field_viewer_window")
    assert viewer.grab().save(str(whole))
    assert png_spread(whole) > 20
    before = viewer.plotter.screenshot(return_img=True)
    viewer.time_slider.setValue(0)
    after = viewer.plotter.screenshot(return_img=True)
    changed = np.abs(before.astype(int) - after.astype(int)).sum(axis=2) > 30
    assert changed.mean() > 0.01  # the colours of the cut face moved with time


def _result(mesh: MeshData, field: FieldData) -> Result:
    return Result(
        meshes={field.mesh: mesh},
        fields=[field],
        provenance=Provenance(engine_id="test.bad", engine_version="1", spec_hash=""),
    )


def test_bad_results_are_refused_with_a_reason(qtbot) -> None:
    from cellwright.viewers.field_viewer import FieldViewer

    tri = MeshData(points=np.eye(3), cells={"triangle": np.array([[0, 1, 2]])})
    wrong = FieldData(name="T [K]", mesh="m", times=[0.0], values=np.zeros((1, 2)))
    with pytest.raises(InputError, match=r"field 'T \[K\]'.*2 values.*3 points"):
        FieldViewer(_result(tri, wrong))
    poly = MeshData(points=np.eye(3), cells={"polygon": np.array([[0, 1, 2]])})
    fine = FieldData(name="T [K]", mesh="m", times=[0.0], values=np.zeros((1, 3)))
    with pytest.raises(InputError, match=r"mesh 'm'.*'polygon' cannot be shown"):
        FieldViewer(_result(poly, fine))
    empty = Result(provenance=Provenance(engine_id="x", engine_version="1", spec_hash=""))
    with pytest.raises(InputError, match="no fields to show"):
        FieldViewer(empty)


def test_point_cloud_meshes_draw_and_probe(qtbot) -> None:
    """Pack results put one value on each cell's position: a mesh of vertex cells."""
    from cellwright.viewers.field_viewer import FieldViewer

    centres = np.array([[x, y, 0.0] for x in (0.0, 0.03, 0.06) for y in (0.0, 0.025)])
    temps = 300 + np.array([[0.0] * 6, np.arange(6.0)])
    mesh = MeshData(points=centres, cells={"vertex": np.arange(6)[:, None]})
    field = FieldData(name="Cell temperature [K]", mesh="pack", times=[0.0, 60.0], values=temps)
    viewer = FieldViewer(_result(mesh, field))
    qtbot.addWidget(viewer)
    viewer.show()
    qtbot.waitExposed(viewer)
    try:
        viewer.time_slider.setValue(1)
        np.testing.assert_allclose(_drawn(viewer)["shown"], temps[1] - C)
        assert viewer.actor.prop.render_points_as_spheres
        _, values = viewer.probe_point((0.06, 0.024, 0.0))
        np.testing.assert_allclose(values, [300.0 - C, 305.0 - C])
    finally:
        viewer.close_viewer()


def test_colour_bar_ticks_are_round_values(qtbot, cylinder) -> None:
    """A plastic strain of 0 to 0.0113 read 0.002825, 0.00565, 0.008475 on the bar (VTK's
    evenly spaced labels); it reads round 1-2-5 steps, also after a new range."""
    from cellwright.viewers.field_viewer import FieldViewer

    z = cylinder.meshes["can"].points[:, 2]
    share = (z - z.min()) / (z.max() - z.min())
    strain = FieldData(
        name="Equivalent plastic strain [-]",
        mesh="can",
        times=np.array([0.0, 1.0]),
        values=np.array([0.00565 * share, 0.0113 * share]),
    )
    v = FieldViewer(cylinder.model_copy(update={"fields": [strain]}))
    qtbot.addWidget(v)
    v.show()
    qtbot.waitExposed(v)
    try:
        v.time_slider.setValue(1)
        bar = v.plotter.scalar_bars["Equivalent plastic strain [-]"]

        def shown() -> list[str]:
            labels = bar.GetCustomLabels()
            values = [labels.GetValue(i) for i in range(labels.GetNumberOfTuples())]
            return [bar.GetLabelFormat() % value for value in values]

        assert bar.GetUseCustomLabels()
        assert shown() == ["0", "0.002", "0.004", "0.006", "0.008", "0.01"]
        v.auto_range.setChecked(False)
        v.range_max.setValue(0.05)
        assert shown() == ["0", "0.01", "0.02", "0.03", "0.04", "0.05"]
    finally:
        v.close_viewer()


def test_clip_on_a_flat_network_draws_it(qtbot) -> None:
    """A coolant network lies in one plane (its z spread 0): ticking clip must still draw it.

    VTK's plane widget clamps the origin into the placed bounds and writes the clamped value
    back into the argument; a tuple origin then raised TypeError inside the slot, after the
    view was cleared, so the network vanished behind a crash report.
    """
    from cellwright.viewers.field_viewer import FieldViewer

    x = np.linspace(0.0, 0.3, 7)
    points = np.column_stack([x, 0.05 * np.sin(10 * x), np.full_like(x, 0.0123)])
    lines = np.column_stack([np.arange(6), np.arange(1, 7)])
    mesh = MeshData(points=points, cells={"line": lines})
    result = Result(
        name="coolant network",
        meshes={"network": mesh},
        fields=[
            FieldData(
                name="Coolant temperature [K]",
                mesh="network",
                times=np.array([0.0, 1.0]),
                values=np.array([298.0 + x, 299.0 + x]),
            )
        ],
        provenance=Provenance(engine_id="test.network", engine_version="1", spec_hash=""),
    )
    viewer = FieldViewer(result)
    qtbot.addWidget(viewer)
    viewer.show()
    qtbot.waitExposed(viewer)
    try:
        qtbot.mouseClick(viewer.clip_box, QtCore.Qt.MouseButton.LeftButton)
        drawn = _drawn(viewer)
        assert drawn.n_points > 0
        assert (drawn.points[:, 0] <= 0.15 + 1e-9).all()  # the half beyond the plane is cut
        qtbot.mouseClick(viewer.clip_box, QtCore.Qt.MouseButton.LeftButton)
        assert _drawn(viewer).n_points == len(x)
    finally:
        viewer.close_viewer()


def test_a_runs_time_and_temperatures_read_as_an_engineer_reads_them(qtbot) -> None:
    """A pack's hour-long thermal run read "t = 1234.56 s" under a bar of 298-330 "[K]" and a
    probe "now 311.437": the report's pictures read °C and the run's time in min. Now the
    time is in the unit of the run's length to 4 figures, the bar and the probe in °C."""
    from cellwright.viewers.field_viewer import FieldViewer

    centres = np.array([[x, y, 0.0] for x in (0.0, 0.03, 0.06) for y in (0.0, 0.025)])
    times = np.array([0.0, 1234.56, 3600.0])
    temps = 298.15 + np.outer(times / 3600, np.linspace(5.0, 31.8, 6))  # up to 58.95 °C
    mesh = MeshData(points=centres, cells={"vertex": np.arange(6)[:, None]})
    field = FieldData(name="Cell temperature [K]", mesh="pack", times=times, values=temps)
    viewer = FieldViewer(_result(mesh, field))
    qtbot.addWidget(viewer)
    viewer.resize(900, 600)
    viewer.show()
    qtbot.waitExposed(viewer)
    try:
        viewer.time_slider.setValue(1)
        assert viewer.time_label.text() == "t = 20.58 min"
        viewer.time_slider.setValue(0)
        assert viewer.time_label.text() == "t = 0 min"  # the run's unit from its start
        viewer.time_slider.setValue(2)
        assert viewer.time_label.text() == "t = 60 min"
        assert viewer.plotter.scalar_bars.keys() == {"Cell temperature [°C]"}
        assert viewer.unit_label.text() == "[°C]"
        lo, hi = viewer.actor.mapper.scalar_range
        assert lo == pytest.approx(25.0 + 5.0) and hi == pytest.approx(25.0 + 31.8)
        viewer.probe_point((0.06, 0.024, 0.0))
        assert viewer.probe_label.text().endswith("now 56.8")  # 329.95 K, 4 figures
        assert viewer.probe_plot.plot.plotItem.getAxis("left").labelText == "Cell temperature [°C]"
        # the probe's curve runs over the same minutes as the time label
        assert viewer.probe_plot.plot.plotItem.getAxis("bottom").labelText == "Time [min]"
        x, _ = next(iter(viewer.probe_plot.curves.values())).getOriginalDataset()
        np.testing.assert_allclose(x, times / 60)
    finally:
        viewer.close_viewer()
