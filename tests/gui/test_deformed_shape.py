"""Deformed shapes in the FieldViewer: the mesh moved by "Displacement [m]" at the shown time,
coloured by another field, as a person toggles, scales and moves through time.

The default case is a bar dented from the top by a known displacement
u_y = -d(t) (y / H) exp(-((x - L/2) / (L/4))²), d growing to 30 % of its height H, with a plastic
strain that grows under the dent: every drawn point must sit at its rest position plus the scaled
displacement of the shown step. The slow case opens a real mechanics.crush result.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore

from cellwright.projects.model import FieldData, MeshData, Provenance, Result
from support.boxes import box_mesh
from support.screens import screenshot

pytestmark = pytest.mark.gui

TIMES = np.linspace(0.0, 4.0, 5)
SIZE = (0.06, 0.02, 0.02)  # a 60 x 20 x 20 mm bar [m]


def _squeezed_bar(engine: str = "mechanics.crush", amplitude: float = 0.3) -> Result:
    pts, tets, _ = box_mesh(*(np.linspace(0, s, n) for s, n in zip(SIZE, (25, 7, 5), strict=True)))
    dent = np.exp(-(((pts[:, 0] - SIZE[0] / 2) / (0.25 * SIZE[0])) ** 2))  # 1 under the middle
    depth = amplitude * SIZE[1] * TIMES / TIMES[-1]
    disp = np.zeros((TIMES.size, len(pts), 3))
    disp[:, :, 1] = -depth[:, None] * (pts[:, 1] / SIZE[1] * dent)[None, :]
    centres = pts[tets].mean(axis=1)
    under = (centres[:, 1] / SIZE[1]) ** 2 * np.exp(-(((centres[:, 0] - SIZE[0] / 2) / 0.01) ** 2))
    eq = np.stack([d / SIZE[1] * under for d in depth])
    return Result(
        name="squeezed bar",
        meshes={"design": MeshData(points=pts, cells={"tetra": tets})},
        fields=[
            FieldData(name="Displacement [m]", mesh="design", times=TIMES, values=disp),
            FieldData(
                name="Equivalent plastic strain [-]",
                mesh="design",
                association="cell",
                times=TIMES,
                values=eq,
            ),
        ],
        provenance=Provenance(engine_id=engine, engine_version="1", spec_hash=""),
    )


def _open(qtbot, result: Result):
    from cellwright.viewers.field_viewer import FieldViewer

    viewer = FieldViewer(result)
    qtbot.addWidget(viewer)
    viewer.resize(1000, 650)
    viewer.show()
    qtbot.waitExposed(viewer)
    return viewer


def _drawn_points(viewer) -> tuple[np.ndarray, np.ndarray]:
    """The drawn surface's points and the grid point each came from."""
    from cellwright.viewers.field_scene import POINT_IDS

    surface = viewer.scene.surface
    return np.asarray(surface.points), np.asarray(surface.point_data[POINT_IDS])


def test_the_crushed_shape_follows_the_time_slider(qtbot) -> None:
    result = _squeezed_bar()
    rest = result.meshes["design"].points
    disp = result.field("Displacement [m]").values
    eq = result.field("Equivalent plastic strain [-]").values
    viewer = _open(qtbot, result)
    try:
        # a crush opens deformed at true scale
        assert viewer.deformed_group.isVisible() and viewer.deformed_box.isChecked()
        assert viewer.deformed_scale.value() == 1.0
        viewer.field_combo.setCurrentText("Equivalent plastic strain [-]")
        for step in (3, 1, 4):
            viewer.time_slider.setValue(step)
            points, ids = _drawn_points(viewer)
            np.testing.assert_allclose(points, rest[ids] + disp[step][ids], atol=1e-12)
            np.testing.assert_allclose(viewer.displayed, eq[step])  # colours: the same step
        points, ids = _drawn_points(viewer)
        middle = np.isclose(rest[ids, 0], SIZE[0] / 2) & np.isclose(rest[ids, 1], SIZE[1])
        assert points[middle, 1] == pytest.approx(SIZE[1] * (1 - 0.3))  # dented by 30 %
        viewer.deformed_scale.setValue(2.0)
        points, ids = _drawn_points(viewer)
        np.testing.assert_allclose(points, rest[ids] + 2.0 * disp[4][ids], atol=1e-12)
        viewer.deformed_scale.setValue(1.0)
        viewer.clip_box.setChecked(True)  # the cut shows the deformed inside
        from cellwright.viewers.field_scene import POINT_IDS

        clipped = viewer.scene.clipped
        ids = np.asarray(clipped.point_data[POINT_IDS])
        np.testing.assert_allclose(clipped.points, rest[ids] + disp[4][ids], atol=1e-12)
        viewer.clip_box.setChecked(False)
        viewer.set_view("+z")
        qtbot.wait(100)
        screenshot(viewer, "deformed_shape_crush")
        viewer.deformed_box.setChecked(False)  # back to the part as it was
        points, ids = _drawn_points(viewer)
        np.testing.assert_allclose(points, rest[ids], atol=1e-15)
    finally:
        viewer.close_viewer()


@pytest.mark.parametrize(("engine", "shown", "factor"),
                         [("mechanics.crush", "Displacement [mm]", 1e3),
                          ("thermal.conduction", "Displacement [m]", 1.0)])  # fmt: skip
def test_a_crush_shows_its_displacement_in_mm_as_its_table_does(qtbot, engine, shown, factor):
    """The scalars table and the plots of a crush read mm; its 3D view listed and coloured
    "Displacement [m]" 0-0.006. Other studies keep metres."""
    result = _squeezed_bar(engine=engine)
    disp = np.linalg.norm(result.field("Displacement [m]").values, axis=2)
    viewer = _open(qtbot, result)
    try:
        viewer.focus("Displacement [m]", TIMES[-1])  # found by its stored name
        assert viewer.field_combo.currentText() == shown and viewer.field.name == "Displacement [m]"
        assert viewer.unit_label.text() == f"[{shown.rsplit('[')[1]}"
        assert shown in viewer.plotter.scalar_bars
        np.testing.assert_allclose(viewer.displayed, factor * disp[-1])
        assert viewer._range() == pytest.approx((0.0, factor * disp.max()))
        _, values = viewer.probe_point((SIZE[0] / 2, SIZE[1], 0.0))
        assert values[-1] == pytest.approx(factor * 0.3 * SIZE[1], rel=1e-6)
        assert viewer.probe_label.text().startswith(f"probe: {shown} at point")
        # the probe's point is typed and read in the same length unit as the field
        unit = "mm" if factor != 1.0 else "m"
        assert viewer.probe_edit.placeholderText() == f"x, y, z [{unit}]"
        typed = ", ".join(f"{factor * c:g}" for c in (SIZE[0] / 2, SIZE[1], 0.0))
        viewer.probe_edit.setText(typed)
        with qtbot.waitSignal(viewer.probed) as signal:
            qtbot.keyClick(viewer.probe_edit, QtCore.Qt.Key.Key_Return)
        np.testing.assert_allclose(signal.args[1], values)
        index = int(signal.args[2].rsplit(" ", 1)[1])  # "… at point 450"
        at = ", ".join(f"{factor * c:.4g}" for c in viewer.grid.points[index])
        assert f"({at} {unit})" in viewer.probe_label.text()
        if factor != 1.0:
            screenshot(viewer, "crush_displacement_mm")
        viewer.field_combo.setCurrentText("Equivalent plastic strain [-]")
        assert viewer.unit_label.text() == "[-]" and viewer.field.values.ndim == 2
    finally:
        viewer.close_viewer()


def test_a_small_response_is_scaled_up_and_starts_at_rest(qtbot) -> None:
    result = _squeezed_bar(engine="mechanics.transient", amplitude=1e-5)
    viewer = _open(qtbot, result)
    try:
        assert viewer.deformed_group.isVisible() and not viewer.deformed_box.isChecked()
        # largest displacement 2e-7 m on a 60 mm bar: 10^4 draws it near 5 % of the size
        assert viewer.deformed_scale.value() == 1e4
        viewer.time_slider.setValue(4)
        points, ids = _drawn_points(viewer)
        np.testing.assert_allclose(points, result.meshes["design"].points[ids])
    finally:
        viewer.close_viewer()


def test_a_crush_stopped_early_is_magnified_to_be_seen(qtbot) -> None:
    """A crush was always drawn at true scale: the 2s1p pack squeezed 0.3 mm (0.2 % of its
    158 mm) showed no dent at all. A dent of 0.06 mm on the 60 mm bar opens at × 10."""
    result = _squeezed_bar(amplitude=3e-3)
    viewer = _open(qtbot, result)
    try:
        assert viewer.deformed_box.isChecked()  # a crush still opens deformed
        assert viewer.deformed_scale.value() == 10.0
        viewer.time_slider.setValue(4)
        points, ids = _drawn_points(viewer)
        disp = result.field("Displacement [m]").values[-1]
        np.testing.assert_allclose(points, result.meshes["design"].points[ids] + 10 * disp[ids],
                                   atol=1e-12)  # fmt: skip
    finally:
        viewer.close_viewer()


def test_no_displacement_no_toggle(qtbot) -> None:
    from support.viewer_data import cylinder_result

    viewer = _open(qtbot, cylinder_result())
    try:
        assert not viewer.deformed_group.isVisible()
    finally:
        viewer.close_viewer()


@pytest.mark.slow
def test_a_real_crush_opens_deformed_with_its_plastic_strain(library, qtbot, tmp_path) -> None:
    """A 5 mm rod pressed 0.6 mm into an aluminium bar (tests/engines/test_crush_engine.py)."""
    from cellwright.engines.api import run_study
    from support.cad import write_step_bar
    from support.crush_cases import aluminium_design, rod_on_bar_spec

    bar = tmp_path / "bar.step"
    write_step_bar(bar)
    design, spec = aluminium_design(library), rod_on_bar_spec(bar)
    result = run_study("mechanics.crush", spec, design)
    disp = result.field("Displacement [m]")
    viewer = _open(qtbot, result)
    try:
        viewer.field_combo.setCurrentText("Equivalent plastic strain [-]")
        viewer.time_slider.setValue(disp.times.size - 1)
        points, ids = _drawn_points(viewer)
        rest = result.meshes["design"].points
        np.testing.assert_allclose(points, rest[ids] + disp.values[-1][ids], atol=1e-12)
        assert (rest[ids] - points)[:, 2].max() == pytest.approx(0.0006, rel=0.2)  # under the rod
        viewer.deformed_scale.setValue(10.0)  # 0.6 mm on a 10 mm bar: magnified to be seen
        viewer.set_view("+y")
        qtbot.wait(100)
        screenshot(viewer, "deformed_shape_real_crush")
    finally:
        viewer.close_viewer()
