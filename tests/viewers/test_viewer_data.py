"""The Qt-free parts of the viewers: grids, frames, ranges, probe text, CSV writers, imports."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from cellwright.projects.model import FieldData, InputError, MeshData
from cellwright.viewers.export import write_curves_csv
from cellwright.viewers.field_data import (
    FieldFrames,
    check_field,
    components_of,
    is_software_renderer,
    parse_point,
    to_pyvista,
)
from support.viewer_data import TIMES, cylinder_mesh, heat_flux, read_csv, temperature


def test_importing_the_viewers_loads_no_vtk() -> None:
    code = (
        "import sys, cellwright.viewers.field_viewer, cellwright.viewers.field_data;"
        "heavy = [m for m in ('pyvista', 'vtkmodules', 'pyvistaqt') if m in sys.modules];"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_grid_keeps_points_and_cell_order_of_mixed_blocks() -> None:
    points = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], float)
    mesh = MeshData(
        points=points,
        cells={"tetra": np.array([[0, 1, 2, 3]]), "triangle": np.array([[1, 2, 4], [0, 1, 4]])},
    )
    grid = to_pyvista(mesh)
    assert grid.n_cells == 3 and grid.n_points == 5
    np.testing.assert_array_equal(grid.celltypes, [10, 5, 5])
    np.testing.assert_array_equal(grid.get_cell(2).point_ids, [0, 1, 4])
    assert grid.volume == pytest.approx(1 / 6)  # the unit corner tetra


def test_grid_rejects_unknown_cells_and_bad_ids() -> None:
    points = np.zeros((4, 3))
    with pytest.raises(InputError, match=r"mesh 'm'.*'polygon' cannot be shown"):
        to_pyvista(MeshData(points=points, cells={"polygon": np.array([[0, 1, 2]])}), "mesh 'm'")
    with pytest.raises(InputError, match=r"outside 0\.\.3"):
        to_pyvista(MeshData(points=points, cells={"triangle": np.array([[0, 1, 7]])}))


def test_field_must_match_its_mesh() -> None:
    mesh = cylinder_mesh()
    short = FieldData(name="T [K]", mesh="can", times=[0.0], values=np.zeros((1, 10)))
    with pytest.raises(InputError, match=rf"field 'T \[K\]'.*10 values.*{mesh.n_points} points"):
        check_field(short, mesh)
    per_cell = FieldData(
        name="Q [W]", mesh="can", association="cell", times=[0.0], values=np.zeros((1, 10))
    )
    with pytest.raises(InputError, match=rf"{mesh.n_cells} cells"):
        check_field(per_cell, mesh)


def test_frames_components_and_ranges_match_the_analytic_field() -> None:
    mesh = cylinder_mesh()
    p = mesh.points
    flux = FieldData(
        name="q [W.m-2]", mesh="can", times=TIMES, values=[heat_flux(p, t) for t in TIMES]
    )
    frames = FieldFrames(flux)
    assert components_of(flux) == ["magnitude", "x", "y", "z"]
    np.testing.assert_allclose(frames.frame(3, "x"), heat_flux(p, TIMES[3])[:, 0])
    np.testing.assert_allclose(frames.frame(3), np.linalg.norm(heat_flux(p, TIMES[3]), axis=1))
    np.testing.assert_allclose(frames.history(7, "y"), [heat_flux(p, t)[7, 1] for t in TIMES])
    # every frame of a constant component is the same value: the range is padded, not empty
    lo, hi = frames.value_range("z")
    assert lo < -0.9 * 100 < hi and hi - lo < 1e-3
    temp = FieldData(
        name="T [K]", mesh="can", times=TIMES, values=[temperature(p, t) for t in TIMES]
    )
    all_values = np.array([temperature(p, t) for t in TIMES])
    assert FieldFrames(temp).value_range() == (all_values.min(), all_values.max())
    assert components_of(temp) == []


@pytest.mark.parametrize("text", ["0.01, 0, 0.035", "0.01 0 0.035", " 1e-2,0,3.5e-2 "])
def test_probe_text_is_three_numbers(text: str) -> None:
    assert parse_point(text) == pytest.approx((0.01, 0.0, 0.035))


@pytest.mark.parametrize("text", ["", "1, 2", "1, 2, 3, 4", "a, b, c", "1, nan, 2"])
def test_probe_text_errors_say_what_is_expected(text: str) -> None:
    with pytest.raises(InputError, match="three numbers x, y, z in metres"):
        parse_point(text)


def test_curves_csv_shared_and_separate_x(tmp_path) -> None:
    x = np.linspace(0, 1, 7) / 3  # values that need all 17 digits
    shared = write_curves_csv(tmp_path / "s.csv", "Time [s]", {"a": (x, x**2), "b": (x, -x)})
    rows = read_csv(shared)
    assert rows[0] == ["Time [s]", "a", "b"]
    np.testing.assert_array_equal(np.array(rows[1:], float), np.column_stack([x, x**2, -x]))
    apart = write_curves_csv(tmp_path / "p.csv", "x", {"a": (x, x), "b": (x[:3] + 5, x[:3])})
    rows = read_csv(apart)
    assert rows[0] == ["a x", "a", "b x", "b"]
    assert len(rows) == 8 and rows[-1][2:] == ["", ""]
    assert float(rows[1][2]) == x[0] + 5


def test_csv_to_a_missing_folder_names_the_file(tmp_path) -> None:
    target = tmp_path / "nowhere" / "c.csv"
    with pytest.raises(InputError, match=r"nowhere.*cannot write"):
        write_curves_csv(target, "x", {"a": (np.zeros(2), np.zeros(2))})


def test_software_renderers_are_recognised() -> None:
    report = "OpenGL vendor string: Mesa\nOpenGL renderer string: llvmpipe (LLVM 15.0.6)"
    assert is_software_renderer(report)
    assert not is_software_renderer("OpenGL renderer string: NVIDIA GeForce RTX 3060/PCIe/SSE2")
    assert not is_software_renderer("")  # no context yet: leave the settings alone
