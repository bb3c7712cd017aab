"""The crush engine's tangent is the derivative of its residual.

- Assembled: against central differences of the residual along a random direction, on a foam
  block squeezed, sheared and unevenly deformed so that every point yields.
- Point by point: the closed-form material tangent (divided differences of the logarithm, the
  return map's algorithmic tangent) against the symmetric part of central differences of the
  stress, on every branch of the update.
"""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.mechanics.contact import smoothed_pressures
from cellwright.engines.mechanics.crush_materials import (
    PlasticMaterial,
    foam_hardening,
    plastic_poisson_alpha2,
)
from cellwright.engines.mechanics.crush_model import ContactState
from cellwright.engines.mechanics.materials import ElasticMaterial, isotropic_stiffness
from support.crush_cases import block_between_plates

E_FOAM = 300e6
STRAIN = np.array([0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4])


def _pressed_foam_block():
    """A foam block squeezed by 3 %, sheared and uneven: (model, u, travel, state)."""
    eq, y = foam_hardening(STRAIN, 0.3e6 + 120e6 * STRAIN**2, E_FOAM)
    elastic = ElasticMaterial(isotropic_stiffness(E_FOAM, 0.0), 2000.0, name="foam")
    foam = PlasticMaterial(elastic, "foam", eq, y, plastic_poisson_alpha2(0.0), 0.3e6)
    model, _ = block_between_plates(foam, cells=3)
    points = model.mesh.points
    u = np.zeros(model.n_dofs)
    u[2::3] = -0.03 * points[:, 2]  # through the thickness
    u[0::3] = 0.01 * points[:, 2] + 1e-4 * np.sin(400 * points[:, 1])  # sheared, uneven
    u[model.fixed] = 0.0
    return model, u, 0.0, model.initial_state()  # the plate just touches: no contact force


def _evaluate(model, u, travel, state, tangent: bool):
    contacts = [ContactState(np.zeros((model.skin_nodes.size, 3))) for _ in model.indenters]
    return model.evaluate(u, travel, 0.0, np.zeros_like(u), state, contacts, tangent)


@pytest.mark.parametrize("h", [1e-3, 1e-4])
def test_tangent_is_the_derivative_of_the_residual(h: float) -> None:
    model, u, travel, state = _pressed_foam_block()
    ev = _evaluate(model, u, travel, state, True)
    assert (ev.state[:, :, 6] > 0).mean() > 0.5  # most points are plastic
    assert ev.worst_det > 0.9 and np.all(np.isfinite(ev.state))
    v = np.random.default_rng(3).standard_normal(model.n_dofs)
    v[model.fixed] = 0.0
    v *= 1e-6 / np.abs(v).max()
    plus = _evaluate(model, u + h * v, travel, state, False).residual
    minus = _evaluate(model, u - h * v, travel, state, False).residual
    difference = (plus - minus) / (2 * h)
    product = ev.tangent @ v
    product[model.fixed] = 0.0
    error = np.linalg.norm(difference - product) / np.linalg.norm(difference)
    # PARDISO takes the symmetric part of the material tangent (mtype -2); the algorithmic
    # stress of this state has a small unsymmetric part (2.6e-3 of the product here; without
    # the symmetrisation the product matches to 2e-7). A missing geometric stiffness would
    # show as ~S/E = 3e-3 on top, a wrong material tangent as O(1).
    assert error < 5e-3, f"tangent against central differences: relative error {error:.2e}"


@pytest.mark.parametrize("n_parts", [2, 3])
def test_threaded_assembly_equals_one_pass(n_parts: int) -> None:
    """Slabs that share no node, assembled side by side, give the one-pass residual and tangent."""
    from cellwright.engines.mechanics.nonlinear import ElementParts

    model, u, travel, state = _pressed_foam_block()
    tet10 = model.mesh.tet10
    parts = ElementParts.of(model.mesh.points, tet10, n_parts, smallest=1)
    assert 1 < len(parts.parts) <= n_parts and all(p.size for p in parts.parts)
    every = np.concatenate((*parts.parts, parts.seam))
    np.testing.assert_array_equal(np.sort(every), np.arange(tet10.shape[0]))
    nodes = [set(tet10[p].ravel()) for p in parts.parts]
    assert all(not (nodes[i] & nodes[j]) for i in range(len(nodes)) for j in range(i))
    model._parts = ElementParts.of(model.mesh.points, tet10, 1)
    one = _evaluate(model, u, travel, state, True)
    model._parts = parts
    split = _evaluate(model, u, travel, state, True)
    scale = np.abs(one.residual).max()
    np.testing.assert_allclose(split.residual, one.residual, rtol=0, atol=1e-12 * scale)
    difference = abs(split.tangent - one.tangent).max()
    assert difference <= 1e-12 * abs(one.tangent).max()
    np.testing.assert_array_equal(split.state, one.state)
    assert split.worst_det == one.worst_det


def _tangent_misfit(row, xs, ys, axes, egl, state, step) -> float:
    """The kernel's dS/dE_GL at one point against the symmetric part of central differences
    of its stress, relative to the largest entry; asserts the point flows."""
    from cellwright.engines.mechanics.constitutive import STATE_SIZE, material_point

    s, t, new = np.empty(6), np.empty(6), np.empty(STATE_SIZE)
    d, unused = np.empty((6, 6)), np.empty((6, 6))
    material_point(row, xs, ys, axes, egl, state, s, d, t, new, True)
    assert new[6] > state[6]  # a plastic point
    numeric = np.empty((6, 6))
    for k in range(6):
        sp, sm = np.empty(6), np.empty(6)
        e_plus, e_minus = egl.copy(), egl.copy()
        e_plus[k] += step
        e_minus[k] -= step
        material_point(row, xs, ys, axes, e_plus, state, sp, unused, t, new, False)
        material_point(row, xs, ys, axes, e_minus, state, sm, unused, t, new, False)
        numeric[:, k] = (sp - sm) / (2 * step)
    symmetric = 0.5 * (numeric + numeric.T)
    return float(np.abs(d - symmetric).max() / np.abs(symmetric).max())


def test_material_tangent_is_the_symmetric_part_of_the_stress_derivative() -> None:
    """Point by point: the kernel's dS/dE_GL against the symmetric part of central
    differences of the stress."""
    model, u, travel, state = _pressed_foam_block()
    ev = _evaluate(model, u, travel, state, False)
    row, xs, ys = model.params[0], model.curve_x, model.curve_y
    worst = 0.0
    for e, q in [(0, 0), (5, 2), (17, 1), (40, 3), (77, 0)]:
        misfit = _tangent_misfit(row, xs, ys, model.axes[e], ev.strain[e, q].copy(),
                                 state[e, q], 1e-6)  # fmt: skip
        worst = max(worst, misfit)
    assert worst < 1e-5, f"material tangent against central differences: {worst:.2e}"


def test_material_tangent_with_rate_hardening_against_central_differences() -> None:
    """A J2 point with Cowper–Symonds rate hardening (an impact's step time set): the closed-form
    tangent, whose hardening slope then carries the rate term, against central differences, at
    a slow and a fast step, from a virgin and from a hardened state."""
    from cellwright.engines.mechanics.constitutive import (
        P_RATE_DT,
        STATE_SIZE,
        material_point,
    )
    from cellwright.engines.mechanics.crush_materials import PlasticMaterial, pack_materials

    steel = PlasticMaterial.j2(200e9, 0.3, 7850.0, [0.0, 0.1, 0.3], [180e6, 300e6, 390e6],
                               name="steel", rate=(40.4, 5.0))  # fmt: skip
    rows, xs, ys = pack_materials([steel])
    row = rows[0]
    s, t, new = np.empty(6), np.empty(6), np.empty(STATE_SIZE)
    unused = np.empty((6, 6))
    hardened = np.zeros(STATE_SIZE)
    hardened[:6] = [-0.04, 0.02, 0.02, 0.0, 0.0, 0.0]
    hardened[6] = 0.04
    worst = 0.0
    for dt in (1e-1, 1e-4):
        row[P_RATE_DT] = dt
        for state, egl in ((np.zeros(STATE_SIZE), [-0.012, 0.004, 0.005, 0.002, 0.0, 0.001]),
                           (hardened, [-0.09, 0.04, 0.045, 0.003, 0.001, 0.0])):  # fmt: skip
            misfit = _tangent_misfit(row, xs, ys, np.eye(3), np.asarray(egl), state, 1e-7)
            worst = max(worst, misfit)
    assert worst < 1e-5, f"rate-hardening tangent against central differences: {worst:.2e}"
    # the fast step flows at a higher stress than the slow one, and without a step time at the
    # static curve
    stresses = {}
    for dt in (0.0, 1e-1, 1e-4):
        row[P_RATE_DT] = dt
        material_point(row, xs, ys, np.eye(3), np.array([-0.012, 0.004, 0.005, 0.002, 0.0, 0.001]),
                       np.zeros(STATE_SIZE), s, unused, t, new, False)  # fmt: skip
        stresses[dt] = abs(s[0])
    assert stresses[0.0] < stresses[1e-1] < stresses[1e-4]


def test_the_factor_takes_the_upper_triangle_of_each_tangent_on_a_kept_pattern() -> None:
    import scipy.sparse as sp

    from cellwright.engines.mechanics.crush_factor import TangentFactor

    model, u, travel, state = _pressed_foam_block()
    factor = TangentFactor(precision="double")
    for scale in (0.5, 1.0):  # two tangents on the model's one pattern
        tangent = _evaluate(model, scale * u, travel, state, True).tangent
        upper = factor._upper(tangent)
        expected = sp.triu(tangent, format="csr")
        expected.sort_indices()
        assert np.array_equal(upper.indptr, expected.indptr)
        assert np.array_equal(upper.indices, expected.indices)
        assert np.array_equal(upper.data, expected.data)
        factor.factorize(tangent)
        x = factor.solve(np.ones(model.n_dofs))
        assert np.abs(tangent @ x - 1).max() < 1e-8 * np.abs(tangent).max() * np.abs(x).max()
    assert factor.analyses == 1  # the second tangent was factorised on the first's analysis
    factor.close()


def test_a_single_precision_factor_is_refined_to_the_double_precision_answer() -> None:
    from cellwright.engines.mechanics.crush_factor import TangentFactor

    model, u, travel, state = _pressed_foam_block()
    tangent = _evaluate(model, u, travel, state, True).tangent
    rhs = np.random.default_rng(3).standard_normal(model.n_dofs)
    double = TangentFactor(precision="double")
    double.factorize(tangent)
    exact = double.solve(rhs)
    double.close()
    single = TangentFactor(precision="single", refine_to=1e-10, max_refinements=30)
    single.factorize(tangent)
    x = single.solve(rhs)
    assert single.single and single.upper.data.dtype == np.float32
    assert single.refinements >= 1  # the float32 factor alone is not that accurate
    assert single.fallbacks == 0
    assert np.linalg.norm(tangent @ x - rhs) <= 1e-10 * np.linalg.norm(rhs)
    assert np.abs(x - exact).max() <= 1e-6 * np.abs(exact).max()
    # back to double on the same pattern: analysed again, and answers as the double factor did
    single.precision = "double"
    single.factorize(tangent)
    assert single.analyses == 2 and not single.single
    assert np.allclose(single.solve(rhs), exact, rtol=0, atol=1e-9 * np.abs(exact).max())
    single.close()
    with pytest.raises(ValueError, match="precision"):
        TangentFactor(precision="half")


def test_a_single_precision_factor_refinement_cannot_save_is_made_again_in_double() -> None:
    # a stiff chain held only by weak springs to ground (the crush model before contact: the
    # stabilisation springs hold its rigid-body modes): condition ~1e12, beyond float32
    import scipy.sparse as sp

    from cellwright.engines.mechanics.crush_factor import TangentFactor

    n = 600
    chain = sp.diags([-np.ones(n - 1), 2 * np.ones(n), -np.ones(n - 1)], [-1, 0, 1]).tolil()
    chain[0, 0] = chain[-1, -1] = 1.0
    matrix = (1e9 * chain + 1e-3 * sp.identity(n)).tocsr()
    rhs = np.random.default_rng(5).standard_normal(n)
    factor = TangentFactor(precision="single")
    factor.factorize(matrix)
    x = factor.solve(rhs)
    assert factor.fallbacks == 1 and not factor.single
    # what double precision can do at this condition (the float32 factor's answer is off by ~1)
    assert np.linalg.norm(matrix @ x - rhs) <= 1e-4 * np.linalg.norm(rhs)
    factor.factorize(matrix)  # the next tangent tries single precision again
    assert factor.single
    factor.close()


def _rotation(seed: int) -> np.ndarray:
    q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((3, 3)))
    return q * np.sign(np.linalg.det(q))


def _point_cases():
    """(name, material, material axes, E_GL, state) covering every branch of the update."""
    from cellwright.engines.mechanics.constitutive import STATE_SIZE

    eq, y = foam_hardening(STRAIN, 0.3e6 + 120e6 * STRAIN**2, E_FOAM)
    elastic = ElasticMaterial(isotropic_stiffness(E_FOAM, 0.1), 2000.0, name="foam")
    layered = PlasticMaterial(elastic, "foam", eq, y, plastic_poisson_alpha2(0.0), 0.05e6,
                              ratios=(1.0, 1.0, 0.4, 0.8, 0.8, 1.0))  # fmt: skip
    steel = PlasticMaterial.j2(200e9, 0.3, 7850.0, [0.0, 0.05, 0.3], [300e6, 420e6, 600e6])
    fresh = np.zeros(STATE_SIZE)
    failed = fresh.copy()
    failed[7] = 1.0
    squeeze = np.array([-0.04, 0.01, -0.12, 0.03, -0.02, 0.05])  # E_GL, engineering shear
    stretch = np.array([0.02, 0.015, 0.03, 0.002, -0.001, 0.003])
    return [
        ("undeformed (three equal eigenvalues)", layered, _rotation(1), np.zeros(6), fresh),
        ("two equal stretches", layered, np.eye(3), np.array([1e-4, 1e-4, -2e-4, 0, 0, 0]),
         fresh),
        ("layered foam crushed and sheared", layered, _rotation(2), squeeze, fresh),
        ("layered foam pulled apart (tension cut-off)", layered, _rotation(3), stretch, fresh),
        ("steel yielding in shear and stretch", steel, _rotation(4),
         np.array([0.01, -0.002, 0.004, 0.02, 0.0, -0.01]), fresh),
        ("steel within yield", steel, _rotation(5), np.full(6, 2e-4), fresh),
        ("failed point", steel, _rotation(6), squeeze, failed),
    ]  # fmt: skip


@pytest.mark.parametrize("case", range(7))
def test_spectral_tangent_on_every_branch_of_the_update(case: int) -> None:
    """The closed-form tangent (divided differences of ln, the return map's algorithmic
    tangent, the tension cut-off's projection) against central differences of the stress, on
    repeated eigenvalues, anisotropic yield, J2 hardening, the cut-off and a failed point."""
    from cellwright.engines.mechanics.constitutive import STATE_SIZE, material_point
    from cellwright.engines.mechanics.crush_materials import pack_materials

    name, material, axes, egl, state = _point_cases()[case]
    params, xs, ys = pack_materials([material])
    row = params[0]
    s, t, new = np.empty(6), np.empty(6), np.empty(STATE_SIZE)
    d, unused = np.empty((6, 6)), np.empty((6, 6))
    material_point(row, xs, ys, axes, egl, state, s, d, t, new, True)
    numeric = np.empty((6, 6))
    step = 1e-7
    for k in range(6):
        sp, sm = np.empty(6), np.empty(6)
        e_plus, e_minus = egl.copy(), egl.copy()
        e_plus[k] += step
        e_minus[k] -= step
        material_point(row, xs, ys, axes, e_plus, state, sp, unused, t, new.copy(), False)
        material_point(row, xs, ys, axes, e_minus, state, sm, unused, t, new.copy(), False)
        numeric[:, k] = (sp - sm) / (2 * step)
    symmetric = 0.5 * (numeric + numeric.T)
    error = np.abs(d - symmetric).max() / np.abs(symmetric).max()
    assert error < 1e-5, f"{name}: tangent against central differences {error:.2e}"


def test_a_fractured_point_turned_inside_out_carries_nothing_and_does_not_cut_the_step() -> None:
    """An intact element turned inside out cuts the step (det F ≤ 0 reported); fractured points
    keep a millionth of their stiffness, so the material round them folds them inside out: they
    must carry nothing then, not cut every later step."""
    from cellwright.engines.mechanics.constitutive import S_FAILED

    model, _, travel, state = _pressed_foam_block()
    tets = model.mesh.tet10
    node = int(tets[0, 0])
    opposite = model.mesh.points[tets[0, 1:4]].mean(axis=0)
    u = np.zeros(model.n_dofs)
    u[3 * node : 3 * node + 3] = 2.0 * (opposite - model.mesh.points[node])  # through its face
    assert _evaluate(model, u, travel, state, False).worst_det <= 0.0
    touched = np.flatnonzero((tets == node).any(axis=1))
    failed = state.copy()
    failed[touched, :, S_FAILED] = 1.0
    ev = _evaluate(model, u, travel, failed, True)
    assert ev.worst_det == pytest.approx(1.0)  # the intact elements are undeformed
    # the inverted element carries nothing, but its strain goes on: reset to zero it made the
    # energy account count its stress of the step before over a jump of strain it never had
    inverted = np.all(ev.stress[0] == 0.0, axis=1)  # its points turned inside out
    assert inverted.any() and np.all(np.abs(ev.strain[0][inverted]).max(axis=1) > 1.0)
    assert np.all(np.isfinite(ev.residual)) and np.all(np.isfinite(ev.tangent.data))
    # the fractured points that are not inside out keep their millionth of the intact force
    intact = _evaluate(model, u, travel, state, False).internal
    assert np.abs(ev.internal).max() < 1e-4 * np.abs(intact).max()


def _hencky_stress_reference(model, strain, state, el, pt) -> np.ndarray:
    """T = ℂ (½ ln C − Eᵖ) in material axes at (``el``, ``pt``) by NumPy's ``eigh``."""
    idx = ((0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1))
    e = np.empty((el.size, 3, 3))
    for k, (i, j) in enumerate(idx):
        v = strain[el, pt, k] if k < 3 else 0.5 * strain[el, pt, k]
        e[:, i, j] = e[:, j, i] = v
    lam, vec = np.linalg.eigh(2.0 * e + np.eye(3))
    log = np.einsum("pia,pa,pja->pij", vec, 0.5 * np.log(lam), vec)
    r = model.axes[el]
    local = np.einsum("pai,pij,pbj->pab", r, log, r)
    voigt = np.stack([local[:, i, j] * (1.0 if k < 3 else 2.0) for k, (i, j) in enumerate(idx)],
                     axis=-1)  # fmt: skip
    c = model.params[:, 12:48].reshape(-1, 6, 6)[model.material[el]]
    return np.einsum("pij,pj->pi", c, voigt - state[el, pt, :6])


def test_plastic_work_of_a_step_is_the_trapezoidal_sum_of_hencky_stress_on_plastic_strain() -> None:
    """The step's dissipation Σ w ½(T₀ + T₁) : (Eᵖ₁ − Eᵖ₀), T the stress conjugate to the Hencky
    strain in material axes, against NumPy's eigen-decomposition, on layers turned off the
    global axes (a rotation about a skew axis) and a step in which most points yield."""
    from cellwright.engines.mechanics.constitutive import plastic_work

    model, u, travel, state = _pressed_foam_block()
    axis = np.array([1.0, 2.0, 2.0]) / 3.0
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    rotation = np.eye(3) + np.sin(0.7) * k + (1 - np.cos(0.7)) * k @ k
    model.axes[:] = rotation
    first = _evaluate(model, 0.5 * u, travel, state, False)
    second = _evaluate(model, u, travel, first.state, False)
    dep = second.state[:, :, :6] - first.state[:, :, :6]
    el, pt = np.nonzero(np.any(dep != 0.0, axis=2))
    assert el.size > 0.5 * dep.shape[0] * 4  # most points flow in the step
    w = model.assembler.volume[el] / 4.0
    c = np.ascontiguousarray(model.params[:, 12:48].reshape(-1, 6, 6)[model.material[el]])
    work = plastic_work(w, c, np.ascontiguousarray(model.axes[el]), el, pt, first.strain,
                        second.strain, first.state, second.state)  # fmt: skip
    before = _hencky_stress_reference(model, first.strain, first.state, el, pt)
    after = _hencky_stress_reference(model, second.strain, second.state, el, pt)
    mean = 0.5 * (before + after)
    expected = float(np.einsum("p,pk,pk->", w, mean, dep[el, pt]))
    assert expected > 0.0
    assert abs(work - expected) <= 1e-10 * expected


def _dragged_block():
    """An elastic block pressed 10 µm by a plate with friction 0.3 and dragged along x under it,
    more towards x = l: (model, u, travel, state, evaluation) with nodes sticking and slipping."""
    from cellwright.engines.mechanics.crush_materials import PlasticMaterial

    elastic = PlasticMaterial(ElasticMaterial(isotropic_stiffness(1e9, 0.3), 2000.0))
    model, _ = block_between_plates(elastic, cells=3, friction=0.3)
    x, _, z = model.mesh.points.T
    u = np.zeros(model.n_dofs)
    u[2::3] = -1e-3 * z
    u[0::3] = 4e-5 * (x / 0.01) * (z / 0.01) ** 2 + 1e-6 * np.sin(700 * x)
    u[model.fixed] = 0.0
    travel, state = 2e-5, model.initial_state()
    return model, u, travel, state, _evaluate(model, u, travel, state, True)


def test_the_contact_tangent_with_its_friction_coupling_is_the_derivative_of_the_residual():
    """The symmetric contact blocks and the non-symmetric coupling c nᵀ of each node (the
    traction's growth with the pressure: μ (−dp/dg) t̂ nᵀ slipping, its stick counterpart) give
    the residual's central differences; without the coupling they miss by the friction's share."""
    model, u, travel, state, ev = _dragged_block()
    first, _, n = ev.coupling
    top = model.mesh.points[first // 3, 2]
    assert first.size > 4 and np.allclose(top, 0.01)  # the pressed face's nodes
    assert np.allclose(np.abs(n[:, 2]), 1.0)
    pressure = smoothed_pressures(model.penalty, model.near_gap, ev.gaps[0])
    pressed = pressure > 0
    ratio = np.linalg.norm(ev.tractions[0][pressed], axis=1) / (0.3 * pressure[pressed])
    assert (ratio > 1 - 1e-9).sum() >= 2 and (ratio < 0.99).sum() >= 2  # slipping and sticking
    v = np.random.default_rng(5).standard_normal(model.n_dofs)
    v[model.fixed] = 0.0
    v *= 1e-9 / np.abs(v).max()
    plus = _evaluate(model, u + v, travel, state, False).residual
    minus = _evaluate(model, u - v, travel, state, False).residual
    difference = (plus - minus) / 2
    symmetric = ev.tangent @ v
    coupled = symmetric + model._coupled(ev.coupling)(v)
    for product in (symmetric, coupled):
        product[model.fixed] = 0.0
    error = np.linalg.norm(difference - coupled) / np.linalg.norm(difference)
    without = np.linalg.norm(difference - symmetric) / np.linalg.norm(difference)
    assert error < 1e-5, f"coupled contact tangent against central differences: {error:.2e}"
    assert without > 100 * error


@pytest.mark.parametrize("precision", ["double", "single"])
def test_a_coupled_solve_answers_the_non_symmetric_system(precision: str) -> None:
    """(K + E) x = b with K's factor and E the contact coupling, by flexible GMRES: to the
    refinement tolerance; an addition GMRES cannot resolve in its iterations gives K⁻¹ b."""
    import scipy.sparse as sp
    import scipy.sparse.linalg as spla

    from cellwright.engines.mechanics.crush_factor import TangentFactor

    model, *_, ev = _dragged_block()
    extra = model._coupled(ev.coupling)
    n = model.n_dofs
    e = sp.csr_matrix(np.column_stack([extra(col) for col in np.eye(n)]))
    rhs = np.random.default_rng(7).standard_normal(n)
    rhs[model.fixed] = 0.0
    exact = spla.spsolve((ev.tangent + e).tocsc(), rhs)
    factor = TangentFactor(precision=precision)
    factor.factorize(ev.tangent)
    x = factor.solve(rhs, extra)
    assert np.linalg.norm((ev.tangent + e) @ x - rhs) <= 1e-4 * np.linalg.norm(rhs)
    assert np.abs(x - exact).max() <= 1e-3 * np.abs(exact).max()
    assert np.abs(x - spla.spsolve(ev.tangent.tocsc(), rhs)).max() > 1e-2 * np.abs(exact).max()
    assert factor.uncoupled == 0 and factor.fallbacks == 0
    # a dense addition of rank 60 is beyond 12 Krylov iterations: K alone answers (and a
    # single-precision factor is first made again in double, in case its rounding was the cause)
    rng = np.random.default_rng(8)
    left, right = rng.standard_normal((n, 60)), rng.standard_normal((60, n))
    left[model.fixed] = right[:, model.fixed] = 0.0
    scale = abs(ev.tangent).max() / np.abs(left @ right).max()
    x = factor.solve(rhs, lambda v: scale * (left @ (right @ v)))
    assert factor.uncoupled == 1 and factor.fallbacks == (precision == "single")
    assert np.linalg.norm(ev.tangent @ x - rhs) <= 1e-8 * np.linalg.norm(rhs)
    factor.close()
