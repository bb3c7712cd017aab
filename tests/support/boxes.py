"""Structured tetrahedral meshes of boxes for the crush validation cases."""

from __future__ import annotations

import numpy as np

# Kuhn's split of a hexahedron into six tetrahedra around its main diagonal 0-7: neighbouring
# hexahedra share face diagonals, so the mesh is conforming
_KUHN = np.array(
    [[0, 1, 3, 7], [0, 1, 5, 7], [0, 2, 3, 7], [0, 2, 6, 7], [0, 4, 5, 7], [0, 4, 6, 7]]
)


def box_mesh(xs, ys, zs) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Points, positively oriented tetrahedra and the six face groups of a graded box grid."""
    xs, ys, zs = (np.asarray(v, dtype=float) for v in (xs, ys, zs))
    nx, ny, nz = xs.size, ys.size, zs.size
    grid = np.stack(np.meshgrid(xs, ys, zs, indexing="ij"), axis=-1).reshape(-1, 3)
    index = np.arange(nx * ny * nz).reshape(nx, ny, nz)
    corners = []
    i, j, k = np.meshgrid(np.arange(nx - 1), np.arange(ny - 1), np.arange(nz - 1), indexing="ij")
    i, j, k = i.ravel(), j.ravel(), k.ravel()
    for c in range(8):  # corner c = (dx, dy, dz) bits: x is bit 0, y bit 1, z bit 2
        corners.append(index[i + (c & 1), j + ((c >> 1) & 1), k + ((c >> 2) & 1)])
    hexes = np.stack(corners, axis=1)
    tets = hexes[:, _KUHN].reshape(-1, 4)
    p = grid[tets]
    vol = np.einsum("ij,ij->i", np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]), p[:, 3] - p[:, 0])
    tets[vol < 0] = tets[vol < 0][:, [0, 2, 1, 3]]
    faces = {}
    for axis, name in enumerate("xyz"):
        for side, value in (("min", (xs, ys, zs)[axis][0]), ("max", (xs, ys, zs)[axis][-1])):
            on = np.isclose(grid[tets, axis], value)
            rows = on.sum(axis=1) == 3
            faces[f"{name}{side}"] = tets[rows][on[rows]].reshape(-1, 3)
    return grid, tets, faces
