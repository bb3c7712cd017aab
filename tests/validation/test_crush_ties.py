"""Linear foam elements inside a quadratic crush mesh (engines/mechanics/crush_ties.py).

- The tied system is the constrained one: Tᵀ K T and Tᵀ r of the ties equal the products
  formed with the constraint matrix itself (Cook et al., §9.3), held dofs included.
- Patch test across the interface of linear and quadratic elements: a homogeneous large
  deformation leaves no residual at the interior nodes (Taylor, Simo & Zienkiewicz 1986).
- The edges a foam element shares with a metal one keep their nodes.
- A foam cube of linear elements reproduces its calibration curve, and its energy balances to
  1 %, as the quadratic cube does (tests/validation/test_crush_materials.py).
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from cellwright.engines.mechanics.constitutive import S_EQ
from cellwright.engines.mechanics.crush_materials import PlasticMaterial
from cellwright.engines.mechanics.crush_ties import EdgeTies
from cellwright.engines.mechanics.materials import ElasticMaterial, isotropic_stiffness
from cellwright.engines.mechanics.quadratic import QuadraticMesh
from support.boxes import box_mesh
from support.crush_cases import (
    NOMINAL,
    STRAIN,
    block_between_plates,
    follow,
    homogeneous_evaluation,
    irregular_elastic_block,
)
from support.crush_cases import calibration_foam as _foam


def _box(cells: int = 2) -> QuadraticMesh:
    pts, tets, _ = box_mesh(*(np.linspace(0, 1e-2, cells + 1),) * 3)
    return QuadraticMesh.from_linear(pts, tets)


def test_tied_nodes_follow_their_edges_and_the_reduction_is_the_constrained_system() -> None:
    mesh = _box()
    n_el = mesh.tet10.shape[0]
    linear = np.arange(n_el) < n_el // 2
    ties = EdgeTies.of(mesh.tet10, linear, mesh.n_nodes)
    # every edge node of a linear element is tied, to the two ends of its edge, but for those
    # a quadratic element has too
    expected = np.setdiff1d(mesh.tet10[linear][:, 4:], mesh.tet10[~linear])
    assert np.array_equal(np.sort(ties.tied), expected) and expected.size > 0
    assert np.allclose(mesh.points[ties.tied], mesh.points[ties.parents].mean(axis=1))
    rng = np.random.default_rng(1)
    v = rng.normal(size=ties.n_unknowns)
    u = ties.expand(v).reshape(-1, 3)
    assert np.allclose(u[ties.tied], u[ties.parents].mean(axis=1))
    t = ties.t.toarray()
    # the reduction against T^T K T with a dense T, held dofs as identity rows and columns
    n = 3 * mesh.n_nodes
    a = sp.random(n, n, density=0.05, random_state=2, format="csr")
    k = (a + a.T + sp.identity(n) * 10).tocsr()
    k.sort_indices()
    fixed = np.zeros(n, dtype=bool)
    fixed[ties.dofs[:7]] = True  # untied dofs held
    expected = t.T @ k.toarray() @ t
    held = fixed[ties.dofs]
    expected[held, :] = 0.0
    expected[:, held] = 0.0
    expected[held, held] = 1.0
    reduced = ties.reduce(k, fixed)
    assert np.allclose(reduced.toarray(), expected, rtol=1e-12, atol=1e-12)
    # the same pattern again takes the mapped path; new values, same product
    k2 = k.copy()
    k2.data = rng.normal(size=k2.nnz)
    assert np.allclose(ties.reduce(k2, np.zeros(n, bool)).toarray(), t.T @ k2.toarray() @ t)
    # condense is T^T written back at the untied dofs: the work of a force is kept
    f = rng.normal(size=n)
    condensed = ties.condense(f)
    assert np.allclose(condensed[ties.dofs], t.T @ f)
    assert np.all(condensed[ties.tied_dofs] == 0.0)
    assert float(condensed @ ties.expand(v)) == pytest.approx(float(f @ (t @ v)), rel=1e-12)


def test_patch_test_across_linear_and_quadratic_elements() -> None:
    from dataclasses import replace

    quadratic = irregular_elastic_block(7, 5e-4)
    centre = quadratic.mesh.points[quadratic.mesh.tets].mean(axis=1)
    core = np.all(np.abs(centre - 5e-3) < 3e-3, axis=1)  # linear core, quadratic shell
    model = replace(quadratic, linear=core)
    assert model.ties is not None and 0 < core.sum() < core.size
    ev, u, interior = homogeneous_evaluation(model, with_tangent=True)
    residual = (ev.residual - model.condense(model.stabilisation * u)).reshape(-1, 3)[interior]
    assert np.abs(residual).max() < 1e-9 * np.abs(ev.internal).max()
    assert np.allclose(ev.stress, ev.stress[0, 0], rtol=1e-9, atol=1e-6)
    # the factorised system is the untied one
    assert model.system(ev.tangent).shape[0] == model.n_unknowns < model.n_dofs


def test_the_edges_foam_shares_with_a_metal_stay_curved() -> None:
    from cellwright.engines.mechanics.contact import Indenter
    from cellwright.engines.mechanics.crush_setup import crush_model
    from cellwright.engines.mechanics.model import StructuralModel

    pts, tets, faces = box_mesh(*(np.linspace(0, 1e-2, 7),) * 3)
    core = np.all(np.abs(pts[tets].mean(axis=1) - 5e-3) < 3e-3, axis=1)
    sm = StructuralModel(pts, tets, {"roll": np.flatnonzero(core), "can": np.flatnonzero(~core)},
                         faces)  # fmt: skip
    steel = PlasticMaterial(ElasticMaterial(isotropic_stiffness(200e9, 0.3), 7800.0))
    far = Indenter("far", "plate", np.array([0, 0, 1.0]), np.array([0, 0, -1.0]))
    model = crush_model(sm, {"roll": _foam(), "can": steel}, [far], linear_foam=True)
    tet10 = model.mesh.tet10
    assert np.array_equal(model.linear, core)
    edge_nodes = np.unique(tet10[core][:, 4:])
    shared = np.intersect1d(edge_nodes, tet10[~core])
    # every edge node of the roll is tied but those on edges the can has too
    assert shared.size > 0
    assert np.array_equal(np.sort(model.ties.tied), np.setdiff1d(edge_nodes, shared))


def _roll_in_a_can(cells: int = 7):
    """A foam core of linear elements in a steel shell of quadratic ones, far from its plate."""
    from cellwright.engines.mechanics.contact import Indenter
    from cellwright.engines.mechanics.crush_setup import crush_model
    from cellwright.engines.mechanics.model import StructuralModel

    pts, tets, faces = box_mesh(*(np.linspace(0, 1e-2, cells),) * 3)
    core = np.all(np.abs(pts[tets].mean(axis=1) - 5e-3) < 3e-3, axis=1)
    sm = StructuralModel(pts, tets, {"roll": np.flatnonzero(core), "can": np.flatnonzero(~core)},
                         faces)  # fmt: skip
    steel = PlasticMaterial(ElasticMaterial(isotropic_stiffness(200e9, 0.3), 7800.0))
    far = Indenter("far", "plate", np.array([0, 0, 1.0]), np.array([0, 0, -1.0]))
    return crush_model(sm, {"roll": _foam(), "can": steel}, [far], linear_foam=True)


def test_a_fully_tied_element_is_evaluated_at_one_point_as_at_four() -> None:
    """An element whose six edge nodes are tied is the 4-node tetrahedron: its F is the same at
    every point, so the one point the element pass evaluates gives the untied system's residual
    and tangent, the stresses and the material states of the four-point rule (a yielding,
    non-homogeneous state: the foam's flow and hardening are in both), and the system built on
    a pattern without the entries such elements leave empty is still Tᵀ K T."""
    model = _roll_in_a_can()
    one = model._one_point.astype(bool)
    roll = np.asarray(model.linear, dtype=bool)
    # the roll's inner elements are 4-node ones; those with an edge on the steel are not
    assert one.any() and (one <= roll).all() and (roll & ~one).any()
    rng = np.random.default_rng(5)
    v = 2e-4 * rng.normal(size=model.n_unknowns)
    u = model.ties.expand(v)
    state = model.initial_state()
    contacts = [type("C", (), {"traction": np.zeros((model.skin_nodes.size, 3))})()]
    ev1 = model.evaluate(u, 0.0, 0.0, u, state, contacts, True)
    assert ev1.state[one][:, :, S_EQ].max() > 0  # the foam has yielded
    compact = model._indices.size  # node blocks of the one-point pattern
    model._one_point[:] = 0  # the quadratic element's four points, on its whole pattern
    model.set_pattern()
    ev4 = model.evaluate(u, 0.0, 0.0, u, state, contacts, True)
    scale = np.abs(ev4.residual).max()
    assert np.abs(ev1.residual - ev4.residual).max() < 1e-10 * scale
    # the system factorised (its pattern leaving out the entries a 4-node element never
    # fills) against Tᵀ K T of the four-point tangent, formed with the constraint matrix
    assert not model.fixed.any()
    t = model.ties.t
    k1, k4 = model.system(ev1.tangent), (t.T @ ev4.tangent @ t).tocsr()
    assert abs(k1 - k4).max() < 1e-10 * abs(k4).max()
    assert k1.nnz <= k4.nnz
    # the one-point tangent's pattern leaves out the blocks that pair a 4-node element's tied
    # edge nodes (and no entry the four-point tangent fills is missing from the product above)
    assert ev1.tangent.nnz < ev4.tangent.nnz
    assert compact < model._indices.size == model.assembler.indices.size
    assert np.allclose(ev1.stress, ev4.stress, rtol=1e-10, atol=1e-6)
    assert np.allclose(ev1.state, ev4.state, rtol=1e-10, atol=1e-14)


def test_linear_foam_cube_reproduces_its_calibration_curve_and_balances_its_energy() -> None:
    size = 0.01
    model, faces = block_between_plates(_foam(), cells=2, penalty_factor=1000.0,
                                        linear_foam=True)  # fmt: skip
    assert model.linear.all() and model.n_unknowns < model.n_dofs
    _, states = follow(model, 0.3 * size, 30)
    top = np.unique(faces["zmax"])
    strain = np.array([-s.u.reshape(-1, 3)[top, 2].mean() / size for s in states])
    stress = np.array([s.evaluation.forces[0] for s in states]) / size**2
    quad, _ = block_between_plates(_foam(), cells=2, penalty_factor=1000.0)
    _, states_q = follow(quad, 0.3 * size, 30)
    stress_q = np.array([s.evaluation.forces[0] for s in states_q]) / size**2
    strain_q = np.array([-s.u.reshape(-1, 3)[top, 2].mean() / size for s in states_q])
    # a homogeneous compression is linear: both orders give the same curve (the lumped
    # contact of the plate differs a little between a 6-node face and a tied one, so the
    # strains reached differ by ~0.2 %; the stress at a given strain does not)
    assert np.allclose(strain, strain_q, rtol=5e-3)
    assert np.allclose(np.interp(strain_q, strain, stress), stress_q, rtol=2e-3)
    # with the calibration's own stress at the points it was given
    inside = STRAIN[strain[-1] >= STRAIN]
    assert np.allclose(np.interp(inside, strain, stress), np.interp(inside, STRAIN, NOMINAL),
                       rtol=0.01)  # fmt: skip


def test_linear_foam_cube_balances_its_energy_to_one_percent() -> None:
    size = 0.01
    model, _ = block_between_plates(_foam(), cells=2, friction=0.0, linear_foam=True)
    follower, _ = follow(model, 0.4 * size, 40)
    e = follower.converged.energy
    balance = e["internal"] + e["contact"] + e["stabilisation"]
    assert balance == pytest.approx(e["external"], rel=0.01)
    assert 0 < e["plastic"] < e["internal"]


def _lg_m50_squeeze(library, order: str, **extra):
    from cellwright.engines.api import run_study

    design = library.snapshot_for(library.design_for_cell("lg-m50"))
    spec = {"standard": "GB38031-cell", "weight_factor": "off", "stop_at_short": False,
            "jelly_roll_elements": order, **extra}  # fmt: skip
    return run_study("mechanics.crush", spec, design)


def test_a_linear_roll_is_asked_for_in_the_study(library) -> None:
    """The spec's ``jelly_roll_elements`` reaches the model: the LG M50's roll edges are tied
    but for those on the can's inner face, and the can keeps all its edge nodes."""
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec

    design = library.snapshot_for(library.design_for_cell("lg-m50"))
    runs = {
        order: CrushRun.prepare(
            CrushSpec(standard="GB38031-cell", jelly_roll_elements=order),
            design,
            Progress(lambda _: None),
        )
        for order in ("quadratic", "linear")
    }
    assert runs["quadratic"].model.ties is None
    model = runs["linear"].model
    roll = np.array([n == "jelly_roll" for n in model.region_names])[model.region_of]
    assert np.array_equal(model.linear, roll)
    assert not np.isin(model.ties.tied, model.mesh.tet10[~roll]).any()
    assert model.n_unknowns < 0.9 * model.n_dofs == 0.9 * runs["quadratic"].model.n_unknowns


def test_a_roll_finer_than_its_can_is_asked_for_in_the_study(library) -> None:
    """``jelly_roll_mesh_size`` meshes the LG M50's roll on its own, finer than the can, every
    element a one-point 4-node tetrahedron, its outer nodes on and tied to the can's, cap's and
    tabs' faces; the spec refuses it where it cannot hold, and a pouch cell says why."""
    from pydantic import ValidationError

    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec
    from cellwright.projects.model import InputError

    design = library.snapshot_for(library.design_for_cell("lg-m50"))

    def prepare(snapshot, **fields):
        spec = CrushSpec(standard="GB38031-cell", jelly_roll_elements="linear", **fields)
        return CrushRun.prepare(spec, snapshot, Progress(lambda _: None))

    coarse, fine = prepare(design), prepare(design, jelly_roll_mesh_size=2.5e-3)
    model = fine.model
    roll = np.array([n == "jelly_roll" for n in model.region_names])[model.region_of]
    assert roll.sum() > 2 * np.array([n == "jelly_roll" for n in coarse.model.region_names])[
        coarse.model.region_of].sum()  # fmt: skip
    assert np.array_equal(model._one_point.astype(bool), roll)
    ties = model.surface_ties
    x = model.mesh.points
    assert np.allclose(x[ties.nodes], np.einsum("kj,kjc->kc", ties.weights, x[ties.parents]),
                       rtol=0, atol=1e-12)  # fmt: skip
    assert not np.isin(ties.nodes, model.mesh.tet10[~roll]).any()
    # the tied faces are inside the cell, not skin (the tied rim borders the free top face)
    skin = model.skin_nodes[model.skin_faces[:, :3]]
    assert not np.isin(skin, ties.nodes).all(axis=1).any()
    # the can keeps the default mesh: the same metal elements as the conforming model
    assert (~roll).sum() == (~coarse.model.linear).sum()
    assert "jelly roll meshed on its own" in fine.problem.quality
    for fields in ({"jelly_roll_elements": "quadratic"}, {"core": "open"}, {"target": "pack"}):
        with pytest.raises(ValidationError, match="jelly_roll_mesh_size"):
            CrushSpec(standard="GB38031-cell", **{"jelly_roll_elements": "linear",
                      "jelly_roll_mesh_size": 2e-3, **fields})  # fmt: skip
    pouch = library.snapshot_for(library.design_for_cell("lg-e63"))
    with pytest.raises(InputError, match="cylindrical cells only"):
        prepare(pouch, jelly_roll_mesh_size=2e-3)


@pytest.mark.slow
def test_lg_m50_squeeze_with_a_linear_roll_on_the_default_mesh(library) -> None:
    """The R75 squeeze of the LG M50 to 1 mm (4.8 %) on the default mesh (7114 tetrahedra),
    all its roll's edges tied but those on the can's inner face: 24.7k unknowns of 34.4k.
    Coarse linear tetrahedra are stiffer: measured 2026-12-04 on this mesh, 6 % more force than
    the quadratic roll at 3.16 mm (1.73 against 1.63 kN). The option is for fine meshes."""
    linear = _lg_m50_squeeze(library, "linear", max_travel=0.001)
    quadratic = _lg_m50_squeeze(library, "quadratic", max_travel=0.001)
    assert linear.status == quadratic.status == "complete"
    s = linear.scalars
    assert s["Unknowns solved"] < 0.9 * s["Degrees of freedom"]
    assert quadratic.scalars["Unknowns solved"] == quadratic.scalars["Degrees of freedom"]
    assert abs(s["Energy balance error [-]"]) < 0.01
    force = {}
    for name, r in (("linear", linear), ("quadratic", quadratic)):
        travel = np.asarray(r.series["Displacement [m]"])
        force[name] = float(np.interp(0.001, travel, np.asarray(r.series["Force [N]"])))
    assert force["quadratic"] < force["linear"] < 1.15 * force["quadratic"]


def _core_in_a_shell(core_cells: int, shell=None):
    """A 10 mm cube of 4 x 4 x 4 cells whose central 2 x 2 x 2 (the "roll") is meshed again
    with ``core_cells`` cells a side and tied to the faces it shared with the shell
    (engines/mechanics/fine_roll.py); both foam unless ``shell`` is given."""
    from cellwright.engines.mechanics.contact import Indenter
    from cellwright.engines.mechanics.crush_setup import crush_model
    from cellwright.engines.mechanics.fine_roll import replace_region
    from cellwright.engines.mechanics.model import StructuralModel

    pts, tets, faces = box_mesh(*(np.linspace(0, 1e-2, 5),) * 3)
    core = np.all(np.abs(pts[tets].mean(axis=1) - 5e-3) < 2.5e-3, axis=1)
    sm = StructuralModel(pts, tets, {"roll": np.flatnonzero(core), "can": np.flatnonzero(~core)},
                         faces)  # fmt: skip
    fine_pts, fine_tets, _ = box_mesh(*(np.linspace(2.5e-3, 7.5e-3, core_cells + 1),) * 3)
    tied, _ = replace_region(sm, "roll", fine_pts, fine_tets)
    far = Indenter("far", "plate", np.array([0, 0, 1.0]), np.array([0, 0, -1.0]))
    materials = {"roll": _foam(), "can": shell or _foam()}
    return crush_model(tied, materials, [far], linear_foam=True), fine_pts


def test_a_core_meshed_finer_than_its_shell_is_tied_to_it_and_passes_the_patch_test() -> None:
    """The shell's 2.5 mm faces carry a core of 1.25 mm elements, tied to them through the
    shell's own tied edge nodes (both are foam, so linear). The core's faces lie inside the
    shell's: a homogeneous large deformation leaves no residual at any node inside, and the
    interface is not skin. Where they do not (1 mm elements: no core node but the corners meets
    one of the shell's), a node-to-surface tie hands the core's forces on by the shell's shape
    functions at its nodes, which is not the work-conjugate transfer of a mortar tie (Puso &
    Laursen 2004), so the patch test is missed by what the core's faces cannot represent of the
    shell's shape functions: measured 2.4 % of the forces (rms) on this block."""
    model, fine = _core_in_a_shell(4)
    ties = model.surface_ties
    outer = np.any(np.isclose(fine, 2.5e-3) | np.isclose(fine, 7.5e-3), axis=1)
    assert ties.nodes.size == int(outer.sum()) == 5 * 5 * 5 - 3 * 3 * 3
    x = model.mesh.points
    assert np.allclose(x[ties.nodes], np.einsum("kj,kjc->kc", ties.weights, x[ties.parents]))
    # any linear field of the untied nodes reaches every node as it is
    gradient = np.array([[0.3, -0.1, 0.2], [0.05, 0.1, -0.2], [0.4, 0.0, -0.1]])
    field = (x @ gradient.T).ravel()
    assert np.allclose(model.ties.expand(field[model.ties.dofs]), field, rtol=0, atol=1e-15)
    assert not np.isin(ties.nodes, model.skin_nodes).any()
    assert not np.isin(ties.parents, model.skin_nodes).any()  # the shell's inner faces
    ev, u, interior = homogeneous_evaluation(model, with_tangent=True)
    residual = (ev.residual - model.condense(model.stabilisation * u)).reshape(-1, 3)[interior]
    assert np.abs(residual).max() < 1e-9 * np.abs(ev.internal).max()
    assert np.allclose(ev.stress, ev.stress[0, 0], rtol=1e-9, atol=1e-6)
    assert model.system(ev.tangent).shape[0] == model.n_unknowns
    model, _ = _core_in_a_shell(5)
    ev, u, interior = homogeneous_evaluation(model, with_tangent=False)
    residual = (ev.residual - model.condense(model.stabilisation * u)).reshape(-1, 3)[interior]
    assert 1e-3 < np.linalg.norm(residual) / np.linalg.norm(ev.internal) < 0.03


def test_a_finer_core_in_a_steel_shell_is_the_constrained_system() -> None:
    """With a quadratic steel shell the core's outer nodes hang on faces with untied edge
    nodes: the reduced tangent is Tᵀ K T formed with the constraint matrix, and every core
    element is a one-point 4-node tetrahedron."""
    steel = PlasticMaterial(ElasticMaterial(isotropic_stiffness(200e9, 0.3), 7800.0))
    model, _ = _core_in_a_shell(3, steel)
    roll = np.array([n == "roll" for n in model.region_names])[model.region_of]
    assert np.array_equal(model._one_point.astype(bool), roll)
    ev, _, _ = homogeneous_evaluation(model, with_tangent=True)
    t = model.ties.t
    free = ~model.fixed[model.ties.dofs]
    expected = (t.T @ ev.tangent @ t).toarray()[np.ix_(free, free)]
    reduced = model.system(ev.tangent).toarray()[np.ix_(free, free)]
    assert np.allclose(reduced, expected, rtol=1e-10, atol=1e-10 * np.abs(expected).max())
