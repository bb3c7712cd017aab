"""A jelly roll meshed finer than its can, its own mesh tied to the can's inner face.

A cell's can is a steel wall one quadratic element thick, and a conforming mesh gives it the
roll's element size: on the LG M50 at 1.6 mm the can holds 90k of the 106k unknowns a linear
roll leaves (docs/crush.md, "Element order"), while its quadratic elements resolve its bending
at the twice coarser size its outer face's sag allows. Here the can, cap and tabs keep the
cell's mesh and the roll is meshed on its own, finer, in linear tetrahedra: a non-conforming
interface.

Every node on the roll's outer faces that lies on a face the roll shared with the can, cap or
a tab in the cell's mesh is tied to that face: u_r = Σ_i N_i(ξ) u_i over the face's six nodes,
N_i the quadratic triangle's shape functions at the node's place ξ on it (a node-to-surface
tie: Abaqus' *TIE, Analysis User's Guide §35.3.1, the dependent freedoms eliminated as in Cook,
Malkus, Plesha & Witt, 4th ed., §9.3). The roll's nodes are first moved onto the face they are
tied to (Abaqus' ADJUST = YES): they sit on the true cylinder, the can's faces are chords of it,
sagging by up to h²/8R (0.15 mm at 3.5 mm). The tie passes every linear field on exactly (the
shape functions reproduce it at any ξ). Its forces go back by the same weights, which is the
work-conjugate transfer only where the roll's faces can represent the can's shape functions
(faces that nest in the can's: then the pair passes the patch test); elsewhere a node-to-surface
tie misses it by that much (a mortar tie would not, Puso & Laursen 2004): 2.4 % of the forces
on the test's block, and on the LG M50 under the R75 semicylinder the force at 1 mm within 2 %
of the conforming mesh's (``tests/validation/test_crush_ties.py``, docs/crush.md). The roll's
faces that shared nothing (towards the headspace) stay free.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from cellwright.engines.mechanics.model import StructuralModel
from cellwright.projects.model import CellDesign, InputError, MeshData

__all__ = ["SurfaceTies", "replace_region", "tie_fine_roll", "tri6_weights"]

ROLL = "jelly_roll"
# a tet's faces as vertex triples (any orientation: matched by their sorted keys)
_TET_FACES = np.array([[0, 1, 2], [0, 1, 3], [0, 2, 3], [1, 2, 3]], dtype=np.int64)


@dataclass
class SurfaceTies:
    """Nodes tied to quadratic faces: ``nodes`` (k,), ``parents`` (k, 6) the faces' nodes in
    tri6 order (v0, v1, v2, e01, e12, e02), ``weights`` (k, 6) the shape functions there;
    ``faces`` (f, 6) every face of the interface (inside the part, as the tied nodes' faces:
    no indenter touches them)."""

    nodes: np.ndarray
    parents: np.ndarray
    weights: np.ndarray
    faces: np.ndarray


def tri6_weights(bary: np.ndarray) -> np.ndarray:
    """Quadratic triangle shape functions (k, 6) at barycentric coordinates ``bary`` (k, 3),
    in the VTK order v0, v1, v2, e01, e12, e02."""
    l0, l1, l2 = bary.T
    return np.column_stack([l0 * (2 * l0 - 1), l1 * (2 * l1 - 1), l2 * (2 * l2 - 1),
                            4 * l0 * l1, 4 * l1 * l2, 4 * l0 * l2])  # fmt: skip


def _face_keys(tets: np.ndarray) -> np.ndarray:
    return np.sort(tets[:, _TET_FACES].reshape(-1, 3), axis=1)


def _signed_volumes(p: np.ndarray, t: np.ndarray) -> np.ndarray:
    a = p[t[:, 0]]
    return np.einsum("ij,ij->i", np.cross(p[t[:, 1]] - a, p[t[:, 2]] - a), p[t[:, 3]] - a)


def _closest_on_triangles(p: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray):
    """Closest points of triangles (a, b, c) to points ``p`` (rows paired) and their
    barycentric coordinates (Ericson, *Real-Time Collision Detection*, 2005, §5.1.5)."""
    ab, ac, ap = b - a, c - a, p - a
    d00 = np.einsum("ij,ij->i", ab, ab)
    d01 = np.einsum("ij,ij->i", ab, ac)
    d11 = np.einsum("ij,ij->i", ac, ac)
    d20 = np.einsum("ij,ij->i", ap, ab)
    d21 = np.einsum("ij,ij->i", ap, ac)
    det = d00 * d11 - d01 * d01
    v = (d11 * d20 - d01 * d21) / det
    w = (d00 * d21 - d01 * d20) / det
    bary = np.column_stack([1 - v - w, v, w])
    # outside the triangle: clamp to it and renormalise (exact for the near-face points tied
    # here; a point beyond an edge lands on that edge's nearest point within the band)
    bary = np.clip(bary, 0.0, None)
    bary /= bary.sum(axis=1, keepdims=True)
    q = bary[:, :1] * a + bary[:, 1:2] * b + bary[:, 2:] * c
    return q, bary


def tie_fine_roll(model: StructuralModel, design: CellDesign, size: float
                  ) -> tuple[StructuralModel, MeshData]:  # fmt: skip
    """``model`` (a cylindrical cell's conforming mesh, void removed) with its jelly roll
    meshed again at ``size`` and tied to the faces it shared with the rest: see
    :func:`replace_region`.

    Raises
    ------
    InputError
        If the cell is not cylindrical, has no jelly roll, or :func:`replace_region` refuses.
    """
    from cellwright.engines.mesh.cells import mesh_jelly_roll

    kind = design.geometry.kind if design.geometry is not None else "cell without geometry"
    if kind != "cylindrical":
        raise InputError(f"spec.jelly_roll_mesh_size: a jelly roll is meshed on its own in "
                         f"cylindrical cells only; this one is {kind}")  # fmt: skip
    if ROLL not in model.regions:
        raise InputError("spec.jelly_roll_mesh_size: the cell has no jelly roll to mesh")
    points, tets = mesh_jelly_roll(design, size)
    return replace_region(model, ROLL, points, tets, f"{size * 1e3:.3g} mm")


def replace_region(
    model: StructuralModel,
    region: str,
    new_points: np.ndarray,
    new_tets: np.ndarray,
    size: str = "",
) -> tuple[StructuralModel, MeshData]:
    """``model`` with the elements of ``region`` replaced by the mesh (``new_points``,
    ``new_tets``) of the same volume, whose outer nodes are moved onto and tied to the faces
    ``region`` shared with the other parts (within a tenth of their mean edge: 0.35 mm on a
    3.5 mm can, against a sag of 0.15 mm).

    Returns the new model, its ``surface_ties`` set, and its linear mesh for results.

    Raises
    ------
    InputError
        If moving the outer nodes onto the faces turns an element inside out (``size`` names
        the new mesh's element size in the message).
    """
    mesh = model.mesh
    n_vertices = mesh.n_vertices
    points = mesh.points[:n_vertices]
    tets = mesh.tet10[:, :4]
    is_roll = np.zeros(tets.shape[0], dtype=bool)
    is_roll[model.regions[region]] = True
    # the interface: faces of the roll's elements that an element of another part has too
    roll_keys = np.unique(_face_keys(tets[is_roll]), axis=0)
    other_keys = np.unique(_face_keys(tets[~is_roll]), axis=0)
    both = np.concatenate([roll_keys, other_keys])
    keys, counts = np.unique(both, axis=0, return_counts=True)
    interface = keys[counts == 2]
    if not interface.size:
        raise InputError(f"{region}: it shares no face with the other parts, nothing to tie to")
    # the rest of the cell, its unused vertices dropped
    kept_tets = tets[~is_roll]
    used = np.zeros(n_vertices, dtype=bool)
    used[kept_tets.ravel()] = True
    renumber = np.full(n_vertices, -1, dtype=np.int64)
    renumber[used] = np.arange(int(used.sum()))
    rest = points[used]
    rp, rt = np.array(new_points, dtype=float), np.asarray(new_tets, dtype=np.int64)
    offset = rest.shape[0]
    interface = renumber[interface]
    # the roll's outer nodes tied to the nearest interface face within a band of the faces'
    # sag: a tenth of their mean edge, 0.35 mm on a 3.5 mm can against a sag of 0.15 mm
    roll_faces = _face_keys(rt)
    rkeys, rcounts = np.unique(roll_faces, axis=0, return_counts=True)
    outer = np.unique(rkeys[rcounts == 1])
    tri = rest[interface]
    edge = float(np.mean(np.linalg.norm(tri[:, 1] - tri[:, 0], axis=1)))
    band = 0.1 * edge
    tree = cKDTree(tri.mean(axis=1))
    k = min(12, interface.shape[0])
    _, near = tree.query(rp[outer], k=k)
    near = near.reshape(outer.size, k)
    best_d = np.full(outer.size, np.inf)
    best_f = np.zeros(outer.size, dtype=np.int64)
    best_q = np.zeros((outer.size, 3))
    best_b = np.zeros((outer.size, 3))
    for j in range(k):
        f = near[:, j]
        q, bary = _closest_on_triangles(rp[outer], tri[f, 0], tri[f, 1], tri[f, 2])
        d = np.linalg.norm(q - rp[outer], axis=1)
        better = d < best_d
        best_d[better], best_f[better] = d[better], f[better]
        best_q[better], best_b[better] = q[better], bary[better]
    tied = best_d <= band
    before = _signed_volumes(rp, rt)
    rp[outer[tied]] = best_q[tied]
    flipped = int((np.sign(_signed_volumes(rp, rt)) != np.sign(before)).sum())
    if flipped:
        raise InputError(
            f"spec.jelly_roll_mesh_size: {size}: moving the roll's outer nodes onto "
            f"the can's faces turned {flipped} of its elements inside out; choose a larger "
            "jelly_roll_mesh_size or a smaller mesh_size"
        )
    # the new model: the rest, then the roll; its regions and surface groups carried over
    all_tets = np.vstack([renumber[kept_tets], rt + offset])
    index = np.full(tets.shape[0], -1, dtype=np.int64)
    index[~is_roll] = np.arange(kept_tets.shape[0])
    regions = {}
    for name, idx in model.regions.items():
        if name == region:
            regions[name] = np.arange(kept_tets.shape[0], all_tets.shape[0])
        else:
            regions[name] = index[idx]
    surfaces = {}
    for name, tri6 in mesh.surfaces.items():
        t = renumber[tri6[:, :3]]
        t = t[(t >= 0).all(axis=1)]
        if t.size:
            surfaces[name] = t
    surfaces["__interface"] = interface
    out = StructuralModel(np.vstack([rest, rp]), all_tets, regions, surfaces)
    faces = out.mesh.surfaces.pop("__interface")
    nodes = outer[tied] + offset
    out.surface_ties = SurfaceTies(nodes, faces[best_f[tied]], tri6_weights(best_b[tied]), faces)
    linear = MeshData(points=out.mesh.points[: out.mesh.n_vertices],
                      cells={"tetra": all_tets},
                      cell_sets={n: {"tetra": i} for n, i in regions.items()})  # fmt: skip
    return out, linear
