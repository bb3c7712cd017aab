"""Crush speed (issue 17): the cost of one Newton iteration of a 21700 squeeze, and a whole run.

The issue's target is a 21700 squeeze by the R75 semicylinder to 30 % on ~50k tetrahedra in
3 minutes. What is measured here, on the LG M50 (INR21700) under the GB 38031 semicylinder at
the default mesh (~7k quadratic tetrahedra with the core hole filled, ~33k unknowns) and on
refined ones (1.6 mm: ~42k tetrahedra, the issue's size; 1.2 mm: ~88k):

- the pieces of one Newton iteration: residual (the line search evaluates it), residual with the
  consistent tangent, PARDISO's factorisation and one solve; their sum is printed as seconds per
  iteration, and per tetrahedron so meshes can be compared;
- the issue's case itself on the default mesh: the LG M50 squeezed by the R75 semicylinder to
  30 % of its diameter (1000 x weight and short stops switched off), end to end, with its steps,
  Newton iterations per step and seconds per iteration (2026-12-01: 95 s, 25 steps, 214
  iterations with the single-precision factorisation, 109 s in double; 116 s before on 7114
  tetrahedra since the can's outer face is capped at a sag of half its wall; 144 s, 56 steps,
  377 iterations on the 6874 before; 211 s before the element pass ran on two threads and the
  line search went to 0.1);
- the rod indenting a 6061 bar (docs/study-file.md) end to end: Newton iterations per step and
  seconds per iteration of a run that converges.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

pytestmark = pytest.mark.bench


def _squeeze_model(library, mesh_size=None, order="quadratic"):
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec

    design = library.snapshot_for(library.design_for_cell("lg-m50"))
    spec = CrushSpec(standard="GB38031-cell", mesh_size=mesh_size, jelly_roll_elements=order)
    return CrushRun.prepare(spec, design, Progress(lambda _: None)).model


def _best(fn, rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


@pytest.mark.parametrize("order", ["quadratic", "linear"])
@pytest.mark.parametrize("mesh_size", [None, 0.0016, 0.0012])
def test_newton_iteration_of_a_21700_squeeze(library, mesh_size, order) -> None:
    from cellwright.engines.mechanics import crush_factor
    from cellwright.engines.mechanics.crush_factor import TangentFactor
    from cellwright.engines.mechanics.crush_model import ContactState

    model = _squeeze_model(library, mesh_size, order)
    state = model.initial_state()
    contacts = [ContactState(np.zeros((model.skin_nodes.size, 3))) for _ in model.indenters]
    # a deformed, partly yielded state: the cell pressed by 0.1 mm along the load axis
    y = model.mesh.points[:, 1]
    u = np.zeros(model.n_dofs)
    u[1::3] = -1e-4 * (y - y.min()) / (y.max() - y.min())

    def evaluate(tangent: bool):
        return model.evaluate(u, 1e-4, 0.0, np.zeros_like(u), state, contacts, tangent)

    evaluate(True)  # compile
    residual = _best(lambda: evaluate(False))
    with_tangent = _best(lambda: evaluate(True))
    tangent = evaluate(True).tangent
    reduce = _best(lambda: model.system(tangent))  # Tᵀ K T where the roll's elements are linear
    matrix = model.system(tangent)
    n = matrix.shape[0]
    timings = {}
    for precision in ("double", "single"):  # single: with its refinement passes in the solve
        factor = TangentFactor(precision)
        factorise = _best(lambda f=factor: f.factorize(matrix), rounds=2)
        solve = _best(lambda f=factor: f.solve(np.ones(n)))
        timings[precision] = (factorise, solve)
        factor.close()
    single = n >= crush_factor.SINGLE_PRECISION_FROM  # what a run uses
    factorise, solve = timings["single" if single else "double"]
    n_tets = model.mesh.tet10.shape[0]
    # one full Newton iteration: tangent, factorisation, solve and ~2 line-search residuals
    iteration = with_tangent + reduce + factorise + solve + 2 * residual
    (fd, sd), (fs, ss) = timings["double"], timings["single"]
    print(
        f"\n21700 squeeze, {n_tets} tet10, roll {order}, {n} of {model.n_dofs} unknowns solved: "
        f"residual {residual:.3f} s, with tangent {with_tangent:.3f} s, reduction "
        f"{reduce:.3f} s, factorisation and solve {fd:.3f} + {sd:.3f} s in "
        f"double, {fs:.3f} + {ss:.3f} s in single ({fd / fs:.2f}x on the factorisation); "
        f"~{iteration:.2f} s per Newton iteration ({iteration / n_tets * 1e6:.0f} µs per tet)"
    )
    assert np.isfinite(iteration)


def _squeeze_to_30_percent(library, **spec):
    """The LG M50 under the R75 semicylinder to 30 % (weight and short stops off), with
    ``spec`` on top: (result, its scalars, final travel [m], final force [N], wall time [s])."""
    from cellwright.engines.api import run_study

    design = library.snapshot_for(library.design_for_cell("lg-m50"))
    spec = {"standard": "GB38031-cell", "weight_factor": "off", "max_deformation": 0.30,
            "stop_at_short": False, **spec}  # fmt: skip
    start = time.perf_counter()
    result = run_study("mechanics.crush", spec, design)
    wall = time.perf_counter() - start
    travel = float(np.asarray(result.series["Displacement [m]"])[-1])
    force = float(np.asarray(result.series["Force [N]"])[-1])
    return result, result.scalars, travel, force, wall


def test_21700_r75_squeeze_to_30_percent(library) -> None:
    result, s, travel, force, wall = _squeeze_to_30_percent(library)
    print(
        f"\n21700 R75 squeeze to 30 %: {travel * 1e3:.2f} mm, {force / 1e3:.2f} kN, "
        f"{s['Steps']:.0f} steps, {s['Newton iterations']:.0f} Newton iterations "
        f"({s['Newton iterations'] / s['Steps']:.1f} per step; "
        f"{s['Newton iterations in steps not kept']:.0f} more in steps not kept), "
        f"{s['Seconds per Newton iteration [s]']:.3f} s per iteration, {wall:.0f} s wall "
        f"(target 180 s on ~50k tetrahedra)"
    )
    assert result.status == "complete", result.message


@pytest.mark.timeout(3600)  # ~14 minutes (the suite's 600 s would stop it half way)
def test_21700_r75_squeeze_to_30_percent_on_43k_tetrahedra(library) -> None:
    """The issue's case on its mesh size: 1.6 mm, 43362 tetrahedra, the jelly roll's linear
    (crush_ties.py: 106k unknowns instead of 194k). 2026-12-04, alone on the machine: 840 s,
    73 steps, 490 Newton iterations (+11 in steps not kept), 1.54 s an iteration, 4.50 kN at
    6.33 mm, with the roll's 4-node elements evaluated at one point; 780 s, 41 steps, 378
    iterations with steps growing after up to 7 iterations."""
    _print_squeeze(*_squeeze_to_30_percent(library, mesh_size=0.0016,
                                           jelly_roll_elements="linear"))  # fmt: skip


@pytest.mark.timeout(3600)
def test_21700_r75_squeeze_to_30_percent_with_a_roll_finer_than_its_can(library) -> None:
    """~50k tetrahedra where most are the roll's: the roll meshed on its own at 1.3 mm and tied
    to the default 3.5 mm can (fine_roll.py; 49654 tetrahedra, 42k unknowns). 2026-12-04,
    alone: 316 s, 22 steps, 206 Newton iterations (+37 in steps not kept), 1.19 s an iteration,
    4.58 kN at 6.33 mm. 2026-12-05, alone, to 30 % with the stops of the bench off: 283 s
    against 319 s the day's code before (1.13x: the one-point pattern and the plastic work
    summed where the step flowed), the same 207 iterations and 4592.53 N; later that day
    264 s (1.07x: the plastic work compiled, the path opened at a quarter step: the same 207
    iterations and 4592.53 N, 22 iterations in steps not kept against 42); 234 s when the same
    code ran again on a quiet machine that evening, the same path; 216 s with the scratch
    array of the material point, its tangent from the update's projection, Newton on the
    reciprocal yield gap and the set-up's maps compiled (1.08x: 206 iterations, 4592.53 N);
    153 s (151 s as the bench ran it, alone) with the friction's pressure coupling in the
    Newton solve, GMRES on the symmetric factor (1.41x against 216 s, 1.3x against the
    201-208 s of reruns alone that day: 16 steps, 143 iterations (+20 in steps not kept),
    129 factorisations against 187, 4561.57 N).
    The coarse can is
    twice as stiff at 1 mm as the 1.6 mm one (docs/crush.md, "A roll finer than its can")."""
    _print_squeeze(*_squeeze_to_30_percent(library, jelly_roll_elements="linear",
                                           jelly_roll_mesh_size=0.0013))  # fmt: skip


def _print_squeeze(result, s, travel, force, wall) -> None:
    print(
        f"\n21700 R75 squeeze to 30 % on {s['Tetrahedra']:.0f} tetrahedra "
        f"({s['Unknowns solved']:.0f} of {s['Degrees of freedom']:.0f} unknowns solved): "
        f"{travel * 1e3:.2f} mm, {force / 1e3:.2f} kN, {s['Steps']:.0f} steps, "
        f"{s['Newton iterations']:.0f} Newton iterations, "
        f"{s['Seconds per Newton iteration [s]']:.3f} s per iteration, {wall:.0f} s wall "
        f"(target 180 s)"
    )
    assert result.status == "complete", result.message


def test_rod_on_bar_run(library, tmp_path) -> None:
    from cellwright.engines.api import run_study
    from support.cad import write_step_bar
    from support.crush_cases import aluminium_design, rod_on_bar_spec

    bar = tmp_path / "bar.step"
    write_step_bar(bar)
    design, spec = aluminium_design(library), rod_on_bar_spec(bar)
    start = time.perf_counter()
    result = run_study("mechanics.crush", spec, design)
    wall = time.perf_counter() - start
    s = result.scalars
    print(
        f"\nrod on 6061 bar: {s['Steps']:.0f} steps, {s['Newton iterations']:.0f} Newton "
        f"iterations ({s['Newton iterations'] / s['Steps']:.1f} per step), "
        f"{s['Seconds per Newton iteration [s]']:.3f} s per iteration, {wall:.1f} s wall"
    )
    assert result.status == "complete"
