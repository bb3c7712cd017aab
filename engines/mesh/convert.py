"""MeshData <-> meshio and MeshData -> pyvista (both imported lazily)."""

from __future__ import annotations

from typing import Any

import numpy as np

from cellwright.projects.model import MeshData

__all__ = ["SET_PREFIX", "from_meshio", "set_arrays", "to_meshio", "to_pyvista"]

#: cell-data arrays named ``set:<region>`` (1 in the region, 0 elsewhere) carry our regions in
#: a .vtu; :mod:`cellwright.engines.mesh.mesh_file` reads them back by name
SET_PREFIX = "set:"


def to_meshio(mesh: MeshData, *, sets_as_data: bool = False) -> Any:
    """A ``meshio.Mesh`` with the same blocks and the named regions as ``cell_sets``.

    Write it with ``meshio.write("cell.vtu", m)`` (or .xdmf, .msh) for ParaView. For a .vtu give
    ``sets_as_data``: VTU has no cell sets, and meshio folds them into one integer array that
    keeps a cell in one set only (a face in ``top`` and ``ambient`` comes back in one of them)
    and splits the names again at a character they may contain; :func:`set_arrays` instead.
    """
    import meshio

    types = [t for t, conn in mesh.cells.items() if len(conn)]
    blocks = [(t, mesh.cells[t]) for t in types]
    if sets_as_data:
        return meshio.Mesh(mesh.points, blocks, cell_data=set_arrays(mesh, types))
    sets = {
        name: [np.asarray(regions.get(t, np.empty(0, np.int64))) for t in types]
        for name, regions in mesh.cell_sets.items()
    }
    return meshio.Mesh(mesh.points, blocks, cell_sets=sets)


def set_arrays(mesh: MeshData, types: list[str]) -> dict[str, list[np.ndarray]]:
    """Per region a ``set:<name>`` cell-data array (uint8 membership) over the blocks ``types``."""
    arrays = {}
    for name, regions in mesh.cell_sets.items():
        per_block = []
        for t in types:
            member = np.zeros(len(mesh.cells[t]), dtype=np.uint8)
            member[np.asarray(regions.get(t, np.empty(0, np.int64)), dtype=np.int64)] = 1
            per_block.append(member)
        arrays[SET_PREFIX + name] = per_block
    return arrays


def from_meshio(m: Any) -> MeshData:
    """MeshData from a ``meshio.Mesh`` (blocks of one type are concatenated)."""
    cells: dict[str, list[np.ndarray]] = {}
    offsets: list[tuple[str, int]] = []
    for block in m.cells:
        existing = sum(len(c) for c in cells.get(block.type, []))
        offsets.append((block.type, existing))
        cells.setdefault(block.type, []).append(np.asarray(block.data))
    sets: dict[str, dict[str, np.ndarray]] = {}
    for name, per_block in m.cell_sets.items():
        for (cell_type, offset), idx in zip(offsets, per_block, strict=True):
            if idx is not None and len(idx):
                previous = sets.setdefault(name, {}).get(cell_type, np.empty(0, np.int64))
                sets[name][cell_type] = np.concatenate([previous, np.asarray(idx) + offset])
    return MeshData(
        points=np.asarray(m.points, dtype=float),
        cells={t: np.concatenate(blocks) for t, blocks in cells.items()},
        cell_sets=sets,
    )


def to_pyvista(mesh: MeshData, cell_type: str = "tetra") -> Any:
    """A ``pyvista.UnstructuredGrid`` of one block (tetra by default).

    Cell data ``"region"`` holds the index of each cell's region in ``field_data["regions"]``
    (the first region wins where regions overlap); a boolean cell array per region is added
    too, so a viewer can threshold on e.g. ``"jelly_roll"``.
    """
    import pyvista as pv

    vtk_type = {"tetra": pv.CellType.TETRA, "triangle": pv.CellType.TRIANGLE}[cell_type]
    conn = mesh.cells[cell_type]
    grid = pv.UnstructuredGrid({vtk_type: conn}, mesh.points)
    names = [n for n, regions in mesh.cell_sets.items() if cell_type in regions]
    region = np.full(conn.shape[0], -1, dtype=np.int32)
    for k, name in reversed(list(enumerate(names))):
        idx = mesh.cell_sets[name][cell_type]
        region[idx] = k
        member = np.zeros(conn.shape[0], dtype=bool)
        member[idx] = True
        grid.cell_data[name] = member
    grid.cell_data["region"] = region
    grid.field_data["regions"] = np.array(names or [""])
    return grid
