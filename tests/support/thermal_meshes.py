"""Meshes for the thermal validation cases: a structured box and a gmsh cylinder."""

from __future__ import annotations

from itertools import permutations

import numpy as np


def boundary_faces(tets: np.ndarray) -> np.ndarray:
    """Triangles that belong to exactly one tetrahedron."""
    faces = np.concatenate(
        [tets[:, [0, 1, 2]], tets[:, [0, 1, 3]], tets[:, [0, 2, 3]], tets[:, [1, 2, 3]]]
    )
    key = np.sort(faces, axis=1)
    _, idx, counts = np.unique(key, axis=0, return_index=True, return_counts=True)
    return faces[idx[counts == 1]]


def box(lx: float, ly: float, lz: float, nx: int, ny: int, nz: int):
    """A box [0,lx]x[0,ly]x[0,lz] split into 6 Kuhn tetrahedra per hexahedron.

    Returns points, tets and boundary groups xmin, xmax, ymin, ymax, zmin, zmax.
    """
    xs, ys, zs = np.linspace(0, lx, nx + 1), np.linspace(0, ly, ny + 1), np.linspace(0, lz, nz + 1)
    X, Y, Z = np.meshgrid(xs, ys, zs, indexing="ij")
    points = np.column_stack([X.ravel(), Y.ravel(), Z.ravel()])

    def node(i, j, k):
        return (i * (ny + 1) + j) * (nz + 1) + k

    i, j, k = np.meshgrid(np.arange(nx), np.arange(ny), np.arange(nz), indexing="ij")
    i, j, k = i.ravel(), j.ravel(), k.ravel()
    corner = {(a, b, c): node(i + a, j + b, k + c) for a in (0, 1) for b in (0, 1) for c in (0, 1)}
    tets = []
    for perm in permutations(range(3)):
        step = [0, 0, 0]
        verts = [corner[(0, 0, 0)]]
        for axis in perm:
            step[axis] = 1
            verts.append(corner[tuple(step)])
        tets.append(np.column_stack(verts))
    tets = np.concatenate(tets)
    faces = boundary_faces(tets)
    centre = points[faces].mean(axis=1)
    tol = 1e-9 * max(lx, ly, lz)
    groups = {
        "xmin": faces[centre[:, 0] < tol],
        "xmax": faces[centre[:, 0] > lx - tol],
        "ymin": faces[centre[:, 1] < tol],
        "ymax": faces[centre[:, 1] > ly - tol],
        "zmin": faces[centre[:, 2] < tol],
        "zmax": faces[centre[:, 2] > lz - tol],
    }
    return points, tets, groups


def cylinder(radius: float, height: float, size: float):
    """A gmsh tetrahedral cylinder along z; boundary groups "side", "bottom", "top"."""
    gmsh = __import__("gmsh")
    gmsh.initialize()
    try:
        gmsh.option.setNumber("General.Terminal", 0)
        gmsh.model.add("cylinder")
        gmsh.model.occ.addCylinder(0, 0, 0, 0, 0, height, radius)
        gmsh.model.occ.synchronize()
        gmsh.option.setNumber("Mesh.MeshSizeMax", size)
        gmsh.option.setNumber("Mesh.MeshSizeMin", size)
        gmsh.model.mesh.generate(3)
        tags, coords, _ = gmsh.model.mesh.getNodes()
        points = np.zeros((int(tags.max()) + 1, 3))
        points[tags.astype(int)] = coords.reshape(-1, 3)
        _, _, tet_nodes = gmsh.model.mesh.getElements(3)
        tets = tet_nodes[0].reshape(-1, 4).astype(np.int64)
    finally:
        gmsh.finalize()
    used, inverse = np.unique(tets, return_inverse=True)
    points, tets = points[used], inverse.reshape(-1, 4)
    faces = boundary_faces(tets)
    c = points[faces].mean(axis=1)
    tol = 1e-6 * height
    groups = {"bottom": faces[c[:, 2] < tol], "top": faces[c[:, 2] > height - tol]}
    groups["side"] = faces[(c[:, 2] >= tol) & (c[:, 2] <= height - tol)]
    return points, tets, groups
