"""Viewer test data built with numpy (no engines), and a blank-picture measure.

The field case is a tetrahedral cylinder (radius R, height H, axis z) carrying an analytic
temperature T(x, y, z, t) = T0 + a t (1 - r²/R²) + b z, its conductive heat flux
q = -k ∇T = (2 k a t x / R², 2 k a t y / R², -k b) (Fourier's law), and a cell field
Q(cell, t) = Q0 (1 + t / 10) z_c / H on the cell centroids z_c.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cellwright.projects.model import FieldData, MeshData, Provenance, Result

R, H = 0.0105, 0.070  # an 21700 can: 21 mm diameter, 70 mm tall [m]
T0, A, B, K = 298.15, 2.0, 100.0, 0.9  # K, K/s, K/m, W/(m K)
Q0 = 5e4  # W/m³
TIMES = np.linspace(0.0, 10.0, 6)


def temperature(points: np.ndarray, t: float) -> np.ndarray:
    """T(x, y, z, t) of the test field [K]."""
    r2 = (points[:, 0] ** 2 + points[:, 1] ** 2) / R**2
    return T0 + A * t * (1.0 - r2) + B * points[:, 2]


def heat_flux(points: np.ndarray, t: float) -> np.ndarray:
    """q = -k grad T of the test field [W/m²], shape (n, 3)."""
    return np.column_stack(
        [
            2 * K * A * t * points[:, 0] / R**2,
            2 * K * A * t * points[:, 1] / R**2,
            np.full(len(points), -K * B),
        ]
    )


def cylinder_mesh() -> MeshData:
    """A tetrahedral cylinder of about 4,000 cells, centred on the z axis from z=0 to z=H."""
    import pyvista as pv

    grid = pv.CylinderStructured(
        radius=np.linspace(0.0005, R, 6),
        height=H,
        center=(0.0, 0.0, H / 2),
        direction=(0.0, 0.0, 1.0),
        theta_resolution=24,
        z_resolution=12,
    ).cast_to_unstructured_grid()
    tets = grid.triangulate().clean()
    return MeshData(points=np.asarray(tets.points, float), cells={"tetra": tets.cells_dict[10]})


def cell_centroids(mesh: MeshData) -> np.ndarray:
    """Centroid of every tetra, in cell order."""
    return mesh.points[mesh.cells["tetra"]].mean(axis=1)


def cylinder_result() -> Result:
    """The cylinder with T (points), q (points, vector) and Q (cells) at six times."""
    mesh = cylinder_mesh()
    p, zc = mesh.points, cell_centroids(mesh)[:, 2]
    return Result(
        name="analytic cylinder",
        meshes={"can": mesh},
        fields=[
            FieldData(
                name="Temperature [K]",
                mesh="can",
                times=TIMES,
                values=np.array([temperature(p, t) for t in TIMES]),
            ),
            FieldData(
                name="Heat flux [W.m-2]",
                mesh="can",
                times=TIMES,
                values=np.array([heat_flux(p, t) for t in TIMES]),
            ),
            FieldData(
                name="Heat source [W.m-3]",
                mesh="can",
                association="cell",
                times=TIMES,
                values=np.array([Q0 * (1 + t / 10) * zc / H for t in TIMES]),
            ),
        ],
        provenance=Provenance(engine_id="test.analytic", engine_version="1", spec_hash=""),
    )


def discharge_result(n: int = 2000) -> Result:
    """A made-up 1C discharge: voltage, current, temperature and capacity over an hour."""
    t = np.linspace(0.0, 3600.0, n)
    return Result(
        name="discharge",
        series={
            "Time [s]": t,
            "Voltage [V]": 4.2 - 0.9 * t / 3600 - 0.1 * (t / 3600) ** 4,
            "Current [A]": np.full(n, 5.0),
            "Cell temperature [K]": 298.15 + 12 * (t / 3600) ** 1.5,
            "Discharge capacity [A.h]": 5.0 * t / 3600,
        },
        scalars={"Discharge capacity [A.h]": 5.0, "Discharge energy [W.h]": 18.25},
        provenance=Provenance(engine_id="test.series", engine_version="1", spec_hash=""),
    )


def png_spread(path: Path) -> float:
    """Standard deviation of the RGB pixel values of a PNG (0 for a blank picture)."""
    from PySide6 import QtGui

    image = QtGui.QImage(str(path)).convertToFormat(QtGui.QImage.Format.Format_RGB32)
    assert not image.isNull(), f"{path} is not a readable image"
    pixels = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return float(pixels.reshape(-1, 4)[:, :3].std())


def read_csv(path: Path) -> list[list[str]]:
    """All rows of a CSV file."""
    import csv

    with Path(path).open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))
