"""From the gmsh model in memory to :class:`cellwright.projects.model.MeshData` and a quality
report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cellwright.projects.model import MeshData

__all__ = ["MeshQuality", "extract_mesh", "tetra_volumes"]

_TET4, _TRI3 = 4, 2  # gmsh element type numbers


@dataclass
class MeshQuality:
    """What a mesh is made of and how good its elements are.

    SICN is gmsh's signed inverse condition number of each tetrahedron: 1 for a regular
    tetrahedron, near 0 for a sliver, negative for an inverted element.
    """

    elements: int
    nodes: int
    boundary_faces: int
    min_sicn: float
    mean_sicn: float
    below_0_1: int
    group_volumes: dict[str, float]
    wall_time: float = 0.0
    options: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for logs and benchmark output."""
        return (
            f"{self.elements} tetrahedra, {self.nodes} nodes, min SICN {self.min_sicn:.3f}, "
            f"mean SICN {self.mean_sicn:.3f}, {self.below_0_1} below 0.1, "
            f"{self.wall_time:.2f} s"
        )


def tetra_volumes(points: np.ndarray, tetra: np.ndarray) -> np.ndarray:
    """Signed volumes [m^3] of tetrahedra (positive when gmsh's orientation is kept)."""
    a, b, c, d = (points[tetra[:, k]] for k in range(4))
    return np.einsum("ij,ij->i", b - a, np.cross(c - a, d - a)) / 6.0


def extract_mesh(
    gmsh: Any, volumes: dict[str, list[int]], surfaces: dict[str, list[int]]
) -> tuple[MeshData, MeshQuality]:
    """Read the generated mesh: tetrahedra of every volume, triangles of named surfaces.

    Physical groups are added to the gmsh model too, so a ``.msh`` written afterwards has
    them.
    """
    for dim, groups in ((3, volumes), (2, surfaces)):
        for name, tags in groups.items():
            if tags:
                gmsh.model.addPhysicalGroup(dim, tags, name=name)
    node_tags, coords, _ = gmsh.model.mesh.getNodes()
    index = np.full(int(node_tags.max()) + 1, -1, dtype=np.int64)
    index[node_tags.astype(np.int64)] = np.arange(node_tags.size)
    points = coords.reshape(-1, 3)
    tetra, tet_sets, tet_tags = _blocks(gmsh, 3, volumes, _TET4, 4, index)
    tri, tri_sets, _ = _blocks(gmsh, 2, surfaces, _TRI3, 3, index)
    cell_sets = {name: {"tetra": idx} for name, idx in tet_sets.items()}
    cell_sets.update({name: {"triangle": idx} for name, idx in tri_sets.items()})
    mesh = MeshData(points=points, cells={"tetra": tetra, "triangle": tri}, cell_sets=cell_sets)
    sicn = np.asarray(gmsh.model.mesh.getElementQualities(tet_tags, "minSICN"))
    vol = tetra_volumes(points, tetra)
    quality = MeshQuality(
        elements=int(tetra.shape[0]),
        nodes=int(points.shape[0]),
        boundary_faces=int(tri.shape[0]),
        min_sicn=float(sicn.min()) if sicn.size else float("nan"),
        mean_sicn=float(sicn.mean()) if sicn.size else float("nan"),
        below_0_1=int((sicn < 0.1).sum()),
        group_volumes={name: float(vol[idx].sum()) for name, idx in tet_sets.items()},
    )
    return mesh, quality


def _blocks(gmsh, dim: int, groups: dict[str, list[int]], etype: int, k: int, index):
    """Connectivity of all entities of ``groups`` (each entity once) and indices per group."""
    entities = sorted({t for tags in groups.values() for t in tags})
    conn, tags, where, start = [], [], {}, 0
    for entity in entities:
        types, elem_tags, elem_nodes = gmsh.model.mesh.getElements(dim, entity)
        block_nodes = np.empty((0, k), dtype=np.int64)
        block_tags = np.empty(0, dtype=np.uint64)
        for t, et, en in zip(types, elem_tags, elem_nodes, strict=True):
            if t == etype:
                block_nodes = index[np.asarray(en, dtype=np.int64)].reshape(-1, k)
                block_tags = np.asarray(et)
        conn.append(block_nodes)
        tags.append(block_tags)
        where[entity] = np.arange(start, start + block_nodes.shape[0])
        start += block_nodes.shape[0]
    connectivity = np.concatenate(conn) if conn else np.empty((0, k), dtype=np.int64)
    sets = {
        name: np.concatenate([where[t] for t in tags_]) if tags_ else np.empty(0, np.int64)
        for name, tags_ in groups.items()
    }
    all_tags = np.concatenate(tags) if tags else np.empty(0, dtype=np.uint64)
    return connectivity, sets, all_tags
