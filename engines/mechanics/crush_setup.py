"""From a supported structural model, region materials and indenters to a :class:`CrushModel`."""

from __future__ import annotations

import numpy as np

from cellwright.engines.mechanics.contact import Indenter, face_shares, skin_geometry
from cellwright.engines.mechanics.crush_materials import PlasticMaterial, pack_materials
from cellwright.engines.mechanics.crush_model import CrushModel
from cellwright.engines.mechanics.model import StructuralModel

__all__ = ["crush_model"]

_AXES = {"x": 0, "y": 1, "z": 2}


def crush_model(
    model: StructuralModel,
    materials: dict[str, PlasticMaterial],
    indenters: list[Indenter],
    penalty_factor: float = 10.0,
    linear_foam: bool = False,
) -> CrushModel:
    """The crush problem on ``model``'s mesh, regions and fixed supports.

    With ``linear_foam`` the crushable-foam regions (the jelly rolls) are of linear tetrahedra,
    their edge nodes tied to their edges, but for the edges they share with the metals, which
    stay quadratic (:mod:`~cellwright.engines.mechanics.crush_ties`).

    The normal penalty is ``penalty_factor`` times the stiffest skin material's largest
    modulus over the mean edge length of the skin (Wriggers 2006, §10.3.1: a multiple of
    E/h keeps the penetration a small fraction of the element size).

    Raises
    ------
    KeyError
        If a region has no material.
    """
    mesh = model.mesh
    names = list(model.regions)
    missing = [n for n in names if n not in materials]
    if missing:
        raise KeyError(f"no crush material for region(s) {', '.join(missing)}")
    n_el = mesh.tet10.shape[0]
    material = np.full(n_el, -1, dtype=np.int64)
    region_of = np.full(n_el, -1, dtype=np.int64)
    axes = np.zeros((n_el, 3, 3))
    centroids = mesh.points[mesh.tets].mean(axis=1)
    ordered = [materials[n] for n in names]
    for k, (name, idx) in enumerate(model.regions.items()):
        material[idx] = k
        region_of[idx] = k
        axes[idx] = materials[name].elastic.axes(centroids[idx])
    if (material < 0).any():
        raise ValueError(f"{int((material < 0).sum())} tetrahedra belong to no region")
    params, xs, ys = pack_materials(ordered)
    fixed = np.zeros(3 * mesh.n_nodes, dtype=bool)
    for _, nodes, components in model._fixed:
        for c in components:
            fixed[3 * nodes + _AXES[c]] = True
    skin, face_normals, face_area = skin_geometry(mesh.points, mesh.tet10)
    ties = model.surface_ties
    if ties is not None and not linear_foam:
        raise ValueError("a jelly roll tied to its can is of linear elements (linear_foam)")
    if ties is not None:  # both sides of a tied interface are inside the part
        inside = np.zeros(mesh.n_nodes, dtype=bool)
        inside[ties.nodes] = True
        inner = inside[skin[:, :3]].all(axis=1)
        key = np.sort(skin[:, :3], axis=1)
        faces = np.sort(ties.faces[:, :3], axis=1)
        inner |= _rows_in(key, faces)
        skin, face_normals, face_area = skin[~inner], face_normals[~inner], face_area[~inner]
    nodes, ptr, shares, normals = face_shares(skin, face_normals, face_area)
    area = np.add.reduceat(shares, ptr[:-1])  # a node's lumped area: its faces' shares
    p = mesh.points[skin[:, :3]]
    edge = float(np.mean(np.linalg.norm(p[:, 1] - p[:, 0], axis=1)))
    skin_elements = np.unique(np.flatnonzero(np.isin(mesh.tet10[:, :4], nodes).any(axis=1)))
    stiff = max(float(np.max(np.abs(np.linalg.eigvalsh(ordered[material[e]].elastic.stiffness))))
                for e in skin_elements[:: max(1, skin_elements.size // 50)])  # fmt: skip
    return CrushModel(
        mesh=mesh, material=material, params=params, curve_x=xs, curve_y=ys,
        axes=np.ascontiguousarray(axes), fixed=fixed, indenters=indenters, skin_nodes=nodes,
        skin_area=area, skin_ptr=ptr, skin_shares=shares, skin_normals=normals,
        skin_faces=np.searchsorted(nodes, skin), skin_face_normals=face_normals,
        skin_face_area=face_area,
        penalty=penalty_factor * stiff / edge, region_of=region_of,
        region_names=names, material_names=[m.name for m in ordered],
        linear=np.array([m.kind == "foam" for m in ordered])[material] if linear_foam else None,
        surface_ties=ties,
    )  # fmt: skip


def _rows_in(rows: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Whether each row of ``rows`` (k, 3) of node numbers is a row of ``table``."""
    width = int(max(rows.max(initial=0), table.max(initial=0))) + 1
    code = (rows[:, 0] * width + rows[:, 1]) * width + rows[:, 2]
    known = (table[:, 0] * width + table[:, 1]) * width + table[:, 2]
    return np.isin(code, known)
