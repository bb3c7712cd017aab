"""Small crush problems on box meshes: a block between rigid plates, a block under a cylinder."""

from __future__ import annotations

import numpy as np

from support.boxes import box_mesh

#: the calibration foam of the crush validation: Young's modulus [Pa] and the nominal
#: stress [Pa] a uniaxial compression test gave at each engineering strain
E_FOAM = 500e6
STRAIN = np.array([0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4])
NOMINAL = 0.6e6 + 160e6 * STRAIN**2.2


def calibration_foam():
    """The crushable foam calibrated on :data:`STRAIN`/:data:`NOMINAL` (no plastic Poisson
    effect, a 1 MPa tension cut-off)."""
    from cellwright.engines.mechanics.crush_materials import (
        PlasticMaterial,
        foam_hardening,
        plastic_poisson_alpha2,
    )
    from cellwright.engines.mechanics.materials import ElasticMaterial, isotropic_stiffness

    eq, y = foam_hardening(STRAIN, NOMINAL, E_FOAM)
    elastic = ElasticMaterial(isotropic_stiffness(E_FOAM, 0.0), 2000.0, name="foam")
    return PlasticMaterial(elastic, "foam", eq, y, plastic_poisson_alpha2(0.0), 1e6)


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


#: the displacement gradient of the patch tests: a homogeneous, large, non-symmetric strain
PATCH_GRADIENT = np.array([[0.2, 0.1, 0.0], [-0.05, -0.3, 0.1], [0.0, 0.15, 0.25]])


def irregular_elastic_block(points_per_side: int, jitter: float):
    """A 10 mm elastic cube (E = 1 GPa, ν = 0.3) whose interior nodes are moved at random by up
    to ``jitter`` [m], as a crush model with a plate far above it: the patch tests' block."""
    from cellwright.engines.mechanics.contact import Indenter
    from cellwright.engines.mechanics.crush_materials import PlasticMaterial
    from cellwright.engines.mechanics.crush_setup import crush_model
    from cellwright.engines.mechanics.materials import ElasticMaterial, isotropic_stiffness
    from cellwright.engines.mechanics.model import StructuralModel

    rng = np.random.default_rng(3)
    pts, tets, faces = box_mesh(*(np.linspace(0, 1e-2, points_per_side),) * 3)
    inner = np.all((pts > 1e-6) & (pts < 1e-2 - 1e-6), axis=1)
    pts[inner] += rng.uniform(-jitter, jitter, (inner.sum(), 3))  # irregular interior
    sm = StructuralModel(pts, tets, {"block": np.arange(len(tets))}, faces)
    mat = PlasticMaterial(ElasticMaterial(isotropic_stiffness(1e9, 0.3), 1000.0))
    far = Indenter("far", "plate", np.array([0, 0, 1.0]), np.array([0, 0, -1.0]))
    return crush_model(sm, {"block": mat}, [far])


def homogeneous_evaluation(model, with_tangent: bool):
    """(evaluation, u, interior nodes) of ``model`` displaced by :data:`PATCH_GRADIENT`, out of
    contact."""
    u = (model.mesh.points @ PATCH_GRADIENT.T).ravel()
    contacts = [type("C", (), {"traction": np.zeros((model.skin_nodes.size, 3))})()]
    ev = model.evaluate(u, 0.0, 0.0, u, model.initial_state(), contacts, with_tangent)
    interior = np.setdiff1d(np.arange(model.mesh.n_nodes), model.skin_nodes)
    return ev, u, interior
