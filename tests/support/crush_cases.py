"""Small crush problems on box meshes: a block between rigid plates, a block under a cylinder."""

from __future__ import annotations

import numpy as np

from support.boxes import box_mesh


def block_between_plates(
    material, size=(0.01, 0.01, 0.01), cells=3, friction=0.0, penalty_factor=10.0,
    linear_foam=False,
):  # fmt: skip
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
    model = crush_model(sm, {"block": material}, [plate], penalty_factor, linear_foam)
    return model, faces


def follow(model, total, steps, tolerance=1e-8, stop=None, speed=None):
    """Converged states from zero to ``total`` travel (every step), with the follower; with a
    ``speed`` [m/s] each step takes its travel over it (the metals' rate hardening)."""
    from cellwright.engines.mechanics.crush_solver import PathFollower, StepControl

    first = total / steps
    follower = PathFollower(model, StepControl(first, first * 1e-4, first, 25, tolerance),
                            lambda: None)  # fmt: skip
    if speed is not None:
        follower.step_time = lambda last, step: step / speed
    states = []
    while follower.converged.travel < total * (1 - 1e-12):
        states.append(follower.advance(total))
        if stop is not None and stop(states[-1]):
            break
    return follower, states


def aluminium_design(library):
    """The LG M50 snapshot with library aluminium 6061 and nickel-plated (mild) steel added, for
    imported parts made of them."""
    design = library.snapshot_for(library.design_for_cell("lg-m50"))
    added = ("aluminium-6061", "nickel-plated-steel")
    materials = {**design.materials, **{m: library.material(m) for m in added}}
    return design.model_copy(update={"materials": materials})


def rod_on_bar_spec(bar, **extra) -> dict:
    """A 5 mm rod pressed 0.6 mm into the 100 x 10 x 10 mm 6061 bar of ``bar`` (a STEP file
    from :func:`support.cad.write_step_bar`), in four steps (docs/study-file.md)."""
    spec = {
        "geometry": {"file": str(bar), "materials": {"*": "aluminium-6061"}, "mesh_size": 0.005},
        "direction": "z",
        "indenter": {"kind": "rod", "radius": 0.005, "axis": "y", "friction": 0.1},
        "max_travel": 0.0006,
        "steps": 4,
    }
    spec.update(extra)
    return spec
