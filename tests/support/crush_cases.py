"""Small crush problems on box meshes: a block between rigid plates, a block under a cylinder."""

from __future__ import annotations

import numpy as np

from support.boxes import box_mesh


def block_between_plates(
    material, size=(0.01, 0.01, 0.01), cells=3, friction=0.0, penalty_factor=10.0
):
    """A box on rollers (x=0, y=0, z=0 planes held normal) pressed by a flat plate along -z."""
    from cellwright.engines.mechanics.contact import Indenter
    from cellwright.engines.mechanics.crush_setup import crush_model
    from cellwright.engines.mechanics.model import StructuralModel

    lx, ly, lz = size
    pts, tets, faces = box_mesh(*(np.linspace(0, v, cells + 1) for v in size))
    sm = StructuralModel(pts, tets, {"block": np.arange(len(tets))}, faces)
    sm.fix("zmin", "z")
    sm.fix("xmin", "x")
    sm.fix("ymin", "y")
    plate = Indenter("plate", "plate", np.array([lx / 2, ly / 2, lz]), np.array([0, 0, -1.0]),
                     friction=friction)  # fmt: skip
    return crush_model(sm, {"block": material}, [plate], penalty_factor), faces


def follow(model, total, steps, tolerance=1e-8, stop=None):
    """Converged states from zero to ``total`` travel (every step), with the follower."""
    from cellwright.engines.mechanics.crush_solver import PathFollower, StepControl

    first = total / steps
    follower = PathFollower(model, StepControl(first, first * 1e-4, first, 25, tolerance),
                            lambda: None)  # fmt: skip
    states = []
    while follower.converged.travel < total * (1 - 1e-12):
        states.append(follower.advance(total))
        if stop is not None and stop(states[-1]):
            break
    return follower, states
