"""Structured box meshes set up as structural models for the mechanics validation cases."""

from __future__ import annotations

import numpy as np

from support.thermal_meshes import box


def steel_box(
    lx: float, ly: float, lz: float, n: tuple[int, int, int], e=210e9, nu=0.3, rho=7850.0
):
    """A box of one isotropic material as a StructuralModel with groups xmin … zmax."""
    from cellwright.engines.mechanics.materials import ElasticMaterial
    from cellwright.engines.mechanics.model import StructuralModel

    points, tets, groups = box(lx, ly, lz, *n)
    model = StructuralModel(points, tets, {"solid": np.arange(len(tets))}, groups)
    model.set_material("solid", ElasticMaterial.isotropic(e, nu, rho))
    return model
