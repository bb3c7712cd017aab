"""Backus averaging of a layer stack against a finite-element model of the explicit layers.

Under uniform strain or stress states the exact solution of a layered block is piecewise
linear, which quadratic tetrahedra reproduce exactly, so the homogenised constants must agree to
round-off (Backus 1962, J. Geophys. Res. 67, 4427).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse.linalg import spsolve

from cellwright.engines.mechanics.materials import ElasticMaterial, layered_stiffness
from cellwright.engines.mechanics.model import StructuralModel
from support.thermal_meshes import box

LAYERS = [(16e-6, 69e9, 0.33), (75e-6, 1.5e9, 0.3), (12e-6, 0.5e9, 0.35), (85e-6, 0.8e9, 0.3),
          (12e-6, 115e9, 0.31)]  # fmt: skip


def _layered_block():
    """A 1 x 1 x H block (z = layer normal) with each layer a region of one element row."""
    scale = 1e3  # work in mm-sized numbers so the block is not a film
    thick = np.array([t for t, _, _ in LAYERS]) * scale
    z = np.concatenate([[0.0], np.cumsum(thick)])
    points, tets, groups = box(1.0, 1.0, 1.0, 2, 2, len(LAYERS))
    points[:, 2] = np.interp(points[:, 2], np.linspace(0, 1, len(LAYERS) + 1), z)
    centre = points[tets].mean(axis=1)[:, 2]
    layer = np.searchsorted(z, centre) - 1
    tops = {g: v for g, v in groups.items()}
    tops["zmax"] = tops["zmax"]  # recomputed faces keep their positions after the mapping
    model = StructuralModel(points, tets, {f"layer{k}": np.flatnonzero(layer == k)
                                          for k in range(len(LAYERS))}, tops)  # fmt: skip
    for k, (_, e, nu) in enumerate(LAYERS):
        model.set_material(f"layer{k}", ElasticMaterial.isotropic(e, nu, 1000.0))
    return model, z[-1]


def _solve(model, prescribed: dict[int, float]):
    system = model.build()
    u = np.zeros(system.stiffness.shape[0])
    fixed = np.zeros(u.size, dtype=bool)
    for dof, value in prescribed.items():
        u[dof], fixed[dof] = value, True
    f, c = np.flatnonzero(~fixed), np.flatnonzero(fixed)
    k = system.stiffness
    u[f] = spsolve(k[f][:, f].tocsc(), -k[f][:, c] @ u[c])
    return k @ u


def _nodes(model, group):
    return model.group_nodes(group)


def test_through_thickness_modulus_under_uniaxial_strain() -> None:
    model, height = _layered_block()
    strain = 1e-3
    bc = {}
    for g, axis in (("xmin", 0), ("xmax", 0), ("ymin", 1), ("ymax", 1), ("zmin", 2)):
        bc.update(dict.fromkeys(3 * _nodes(model, g) + axis, 0.0))
    bc.update(dict.fromkeys(3 * _nodes(model, "zmax") + 2, strain * height))
    force = _solve(model, bc)
    stress = force[3 * _nodes(model, "zmax") + 2].sum() / 1.0
    assert stress == pytest.approx(layered_stiffness(LAYERS)[0, 0] * strain, rel=1e-9)


def test_in_plane_modulus_with_free_faces() -> None:
    model, height = _layered_block()
    strain = 1e-3
    bc = dict.fromkeys(3 * _nodes(model, "xmin"), 0.0)
    bc.update(dict.fromkeys(3 * _nodes(model, "xmax") + 0, strain * 1.0))
    for g in ("ymin", "ymax"):
        bc.update(dict.fromkeys(3 * _nodes(model, g) + 1, 0.0))
    force = _solve(model, bc)
    # xmin is fully fixed: keep only the x reaction of xmax; ε_yy = 0, σ_zz = 0
    c = layered_stiffness(LAYERS)
    expected = (c[1, 1] - c[0, 1] ** 2 / c[0, 0]) * strain * height
    got = force[3 * _nodes(model, "xmax")].sum()
    assert got == pytest.approx(expected, rel=1e-6)
