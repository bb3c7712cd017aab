"""A small mesh with named regions for the .vtu round-trip tests."""

from __future__ import annotations

import numpy as np

from cellwright.projects.model import ImportedGeometry, MeshData


def two_parts() -> MeshData:
    """Two tetrahedra ('jelly-roll', 'can') and faces in 'top' and in 'ambient' both."""
    points = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], float) * 0.01
    return MeshData(
        points=points,
        cells={"tetra": np.array([[0, 1, 2, 3], [1, 2, 4, 3]]), "triangle": np.array(
            [[0, 1, 2], [1, 2, 4], [0, 1, 3]])},
        cell_sets={
            "jelly-roll": {"tetra": np.array([0])},
            "can": {"tetra": np.array([1])},
            "top": {"triangle": np.array([1])},
            "ambient": {"triangle": np.array([0, 1, 2])},
        },
    )  # fmt: skip


def vtu_regions(path) -> dict[str, dict[str, list[int]]]:
    """The regions of the .vtu at ``path`` as the importer reads them: name -> type -> cells."""
    from cellwright.engines.mesh.imported import read_imported

    mesh = read_imported(ImportedGeometry(file=str(path), materials={"*": "steel"}))
    return {n: {t: sorted(v.tolist()) for t, v in b.items()} for n, b in mesh.cell_sets.items()}
