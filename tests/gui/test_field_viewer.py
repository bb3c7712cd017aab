"""FieldViewer on a real X display: time slider, components, range, clip, probe, screenshot."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.model import FieldData, MeshData, Provenance, Result
from support.screens import screenshot

pytestmark = pytest.mark.gui


def _cylinder_result() -> Result:
    """A tetra cylinder with T(x, y, z, t) = 300 + 10 t (1 - r^2/R^2) + z, and a vector field."""
    import pyvista as pv

    grid = pv.CylinderStructured(
        radius=np.linspace(0.001, 0.01, 6), height=0.07, theta_resolution=24, z_resolution=15
    ).cast_to_unstructured_grid()
    tets = grid.triangulate().clean()
    points = np.asarray(tets.points)
    conn = tets.cells_dict[10]
    times = np.linspace(0, 10, 6)
    r2 = (points[:, 1] ** 2 + points[:, 2] ** 2) / 0.01**2
    temp = np.array([300 + 10 * t * (1 - r2) + points[:, 0] for t in times])
    flux = np.stack(
        [np.tile(points[:, 0], (6, 1)), np.zeros((6, len(points))), np.ones((6, len(points)))],
        axis=2,
    )
    mesh = MeshData(points=points, cells={"tetra": conn})
    return Result(
        meshes={"cell": mesh},
        fields=[
            FieldData(name="Temperature [K]", mesh="cell", times=times, values=temp),
            FieldData(name="Heat flux [W.m-2]", mesh="cell", times=times, values=flux),
        ],
        provenance=Provenance(engine_id="test.field", engine_version="1", spec_hash=""),
    )


@pytest.fixture
def viewer(qtbot):
    from cellwright.viewers.field_viewer import FieldViewer

    v = FieldViewer(_cylinder_result())
    qtbot.addWidget(v)
    v.resize(1000, 700)
    v.show()
    qtbot.waitExposed(v)
    yield v
    v.close_viewer()


def test_time_slider_shows_that_time_step(viewer) -> None:
    temp = viewer.result.field("Temperature [K]")
    viewer.time_slider.setValue(4)
    # shown in °C, as the report's picture of the field (stored in K)
    np.testing.assert_allclose(viewer.displayed, temp.values[4] - 273.15)
    assert viewer.time_label.text() == "t = 8 s"
    viewer.time_slider.setValue(0)
    np.testing.assert_allclose(viewer.displayed, temp.values[0] - 273.15)


def test_components_and_range(viewer) -> None:
    viewer.field_combo.setCurrentText("Heat flux [W.m-2]")
    assert [viewer.component_combo.itemText(i) for i in range(4)] == ["magnitude", "x", "y", "z"]
    viewer.component_combo.setCurrentText("z")
    np.testing.assert_allclose(viewer.displayed, 1.0)
    viewer.auto_range.setChecked(False)
    viewer.range_min.setValue(0.5)
    viewer.range_max.setValue(2.0)
    assert tuple(viewer.actor.mapper.scalar_range) == (0.5, 2.0)


def test_clip_edges_views_and_screenshot(viewer, qtbot, tmp_path) -> None:
    viewer.time_slider.setValue(5)
    viewer.clip_box.setChecked(True)
    viewer.edges_box.setChecked(True)
    for view in ("+x", "-z", "iso"):
        viewer.set_view(view)
    path = viewer.save_screenshot(tmp_path / "field.png")
    assert path.stat().st_size > 1000
    qtbot.wait(100)
    screenshot(viewer, "field_viewer")


def test_probe_returns_the_field_over_time(viewer, qtbot) -> None:
    temp = viewer.result.field("Temperature [K]")
    with qtbot.waitSignal(viewer.probed) as signal:
        _times, values = viewer.probe_point((0.0, 0.0, 0.0))
    index = int(viewer.grid.find_closest_point((0.0, 0.0, 0.0)))
    np.testing.assert_allclose(values, temp.values[:, index] - 273.15)  # in °C, as shown
    assert signal.args[2].startswith("Temperature [°C] at point")
    # the history is drawn as a curve under the 3D view
    [curve] = viewer.probe_plot.curves.values()
    np.testing.assert_allclose(curve.getData()[1], temp.values[:, index] - 273.15)
    assert viewer.probe_plot.isVisible()
