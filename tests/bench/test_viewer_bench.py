"""Viewer speed: a time-step switch on a 1 M-cell mesh (goal < 100 ms, rendered), with and
without the clip plane and for a vector magnitude, and PlotViewer redraws of 10 M points.

Run with ``make bench``; each figure includes the render (software OpenGL under Xvfb).
"""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.model import FieldData, MeshData, Provenance, Result

pytestmark = [pytest.mark.bench, pytest.mark.gui]

N_TIMES = 6


@pytest.fixture(scope="module")
def million_cells() -> Result:
    """About 1.15 M tetrahedra (a 59 x 59 x 55 block of voxels, six tets each)."""
    import pyvista as pv

    grid = pv.ImageData(dimensions=(60, 60, 56), spacing=(1e-3,) * 3)
    tets = grid.cast_to_unstructured_grid().triangulate()
    points = np.asarray(tets.points, float)
    times = np.arange(N_TIMES, dtype=float)
    wave = np.array([np.sin(points[:, 0] * 200 + t) for t in times])
    flux = np.stack([wave, np.cos(points[:, 1] * 200 + times[:, None]), 0.1 * wave], axis=2)
    mesh = MeshData(points=points, cells={"tetra": tets.cells_dict[10]})
    assert mesh.n_cells >= 1_000_000
    return Result(
        meshes={"block": mesh},
        fields=[
            FieldData(name="Temperature [K]", mesh="block", times=times, values=wave),
            FieldData(name="Heat flux [W.m-2]", mesh="block", times=times, values=flux),
        ],
        provenance=Provenance(engine_id="bench.viewer", engine_version="1", spec_hash=""),
    )


@pytest.fixture(scope="module")
def field_viewer(million_cells, qapp):
    from cellwright.viewers.field_viewer import FieldViewer

    viewer = FieldViewer(million_cells)
    viewer.resize(1200, 800)
    viewer.show()
    qapp.processEvents()
    yield viewer
    viewer.close_viewer()
    viewer.deleteLater()


def _step_through(benchmark, viewer) -> None:
    steps = iter(range(10**9))
    benchmark.pedantic(
        lambda: viewer.time_slider.setValue(next(steps) % N_TIMES), rounds=24, warmup_rounds=2
    )
    assert benchmark.stats["mean"] < 1.0  # a sanity bound; the figure is the result


def test_time_step_1m_cells(benchmark, field_viewer) -> None:
    field_viewer.clip_box.setChecked(False)
    field_viewer.field_combo.setCurrentText("Temperature [K]")
    _step_through(benchmark, field_viewer)


def test_time_step_1m_cells_vector_magnitude(benchmark, field_viewer) -> None:
    field_viewer.clip_box.setChecked(False)
    field_viewer.field_combo.setCurrentText("Heat flux [W.m-2]")
    _step_through(benchmark, field_viewer)


def test_time_step_1m_cells_clipped(benchmark, field_viewer) -> None:
    field_viewer.field_combo.setCurrentText("Temperature [K]")
    field_viewer.clip_box.setChecked(True)
    _step_through(benchmark, field_viewer)
    field_viewer.clip_box.setChecked(False)


def test_clip_plane_move_1m_cells(benchmark, field_viewer) -> None:
    """What a drag of the clip plane costs on release: a new crinkle cut of the grid."""
    field_viewer.field_combo.setCurrentText("Temperature [K]")
    field_viewer.clip_box.setChecked(True)
    x0, x1 = field_viewer.grid.bounds[:2]
    planes = iter(np.tile(np.linspace(x0, x1, 7)[1:-1], 100))
    benchmark.pedantic(
        lambda: field_viewer._on_clip_plane_changed((1.0, 0.0, 0.0), (next(planes), 0.0, 0.0)),
        rounds=5,
        warmup_rounds=1,
    )
    field_viewer.clip_box.setChecked(False)


def test_open_field_viewer_1m_cells(benchmark, million_cells, qtbot) -> None:
    """Building the grid, its outer surface and the first picture."""
    from cellwright.viewers.field_viewer import FieldViewer

    def open_and_close() -> None:
        viewer = FieldViewer(million_cells)
        viewer.resize(1200, 800)
        viewer.show()
        qtbot.waitExposed(viewer)
        viewer.close_viewer()
        viewer.deleteLater()

    benchmark.pedantic(open_and_close, rounds=3)


def test_plot_redraw_10m_points(benchmark, qtbot) -> None:
    from PySide6 import QtWidgets

    from cellwright.viewers.plot_viewer import PlotViewer

    t = np.linspace(0.0, 1e6, 10_000_000)
    result = Result(
        series={
            "Time [s]": t,
            "Voltage [V]": 3.7 + 0.3 * np.sin(t / 1e4) + 0.01 * np.sin(t),
            "Cell temperature [K]": 298 + 5 * np.cos(t / 3e4),
        },
        provenance=Provenance(engine_id="bench.viewer", engine_version="1", spec_hash=""),
    )
    viewer = PlotViewer(result)
    qtbot.addWidget(viewer)
    viewer.select("Time [s]", ["Voltage [V]", "Cell temperature [K]"])  # left and right axes
    viewer.resize(1400, 800)
    viewer.show()
    qtbot.waitExposed(viewer)
    box = viewer.plot.plotItem.vb
    zooms = iter(np.tile([0.8, 1.25], 10**6))

    def zoom_and_draw() -> None:
        box.scaleBy((next(zooms), 1.0))
        viewer.plot.viewport().repaint()
        QtWidgets.QApplication.processEvents()

    benchmark.pedantic(zoom_and_draw, rounds=20, warmup_rounds=2)
    assert benchmark.stats["mean"] < 2.0
