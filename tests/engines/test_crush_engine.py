"""mechanics.crush end to end: an imported aluminium bar indented by a rod, and the bad inputs.

The bar (100 x 10 x 10 mm, library aluminium 6061 with its hardening curve) lies on the rigid
support plate and a 5 mm rod comes down across its middle: the run must give a rising
force–displacement curve whose first point is the elastic contact stiffness' order, an energy
balance within 2 %, plastic strain under the rod, the fields over the steps and a verdict.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from cellwright.engines.api import run_study
from cellwright.engines.mechanics.crush_result import STABILISATION_WARNING
from cellwright.projects.model import InputError
from support.cad import write_step_bar
from support.crush_cases import aluminium_design, rod_on_bar_spec


@pytest.fixture(scope="module")
def snapshot(library):
    return aluminium_design(library)


@pytest.fixture(scope="module")
def bar(tmp_path_factory):
    path = tmp_path_factory.mktemp("crush") / "bar.step"
    write_step_bar(path)
    return path


def test_rod_indents_an_aluminium_bar(bar, snapshot) -> None:
    result = run_study("mechanics.crush", rod_on_bar_spec(bar), snapshot)
    assert result.status == "complete", result.message
    force = result.series["Force [N]"]
    travel = result.series["Displacement [m]"]
    assert travel[-1] == pytest.approx(0.0006, rel=1e-9)
    assert np.all(np.diff(force) > 0) and force[-1] > 1e3
    assert result.scalars["Energy balance error [-]"] < 0.02
    eq = next(f for f in result.fields if f.name == "Equivalent plastic strain [-]")
    assert eq.values[-1].max() > 0.01  # the 6061 yields under the rod
    assert "travel 0.6 mm reached" in result.message
    names = {f.name for f in result.fields}
    assert {"Displacement [m]", "Contact pressure [Pa]"} <= names


def test_an_indenter_that_never_touches_is_refused(bar, snapshot) -> None:
    spec = rod_on_bar_spec(bar)
    spec["indenter"]["position"] = [0.05, 0.005, 0.05]  # 40 mm above the bar
    with pytest.raises(InputError, match="does not touch the part"):
        run_study("mechanics.crush", spec, snapshot)


def test_a_step_that_cannot_converge_ends_the_run_with_the_last_converged_state(
    bar, snapshot
) -> None:
    """The rod driven 8 mm into the 10 mm bar: the bar fractures under it and, past about 2 mm,
    Newton cannot converge within 8 iterations even at the minimum step. Without the viscous
    stabilisation the run ends "partial" there, says where, at which step and why, once, and
    keeps what had converged; a bar holds no electrode stack, so neither its crack nor its
    falling force is a short circuit."""
    spec = rod_on_bar_spec(bar, max_travel=0.008, steps=8, min_step=0.1, max_iterations=8,
                           stabilisation="off")  # fmt: skip
    result = run_study("mechanics.crush", spec, snapshot)
    assert result.status == "partial", result.message
    message = result.message
    assert re.search(r"no convergence at travel [\d.]+ mm even with the minimum step 0\.1 mm "
                     r"\(not converged within 8 Newton iterations\)", message), message  # fmt: skip
    assert message.count("no convergence") == 1, message
    travel = result.series["Displacement [m]"]
    assert 0 < travel[-1] < 0.008
    assert f"the last converged state ({travel[-1] * 1e3:.3g} mm) is kept" in message
    speed = travel[-1] / result.series["Time [s]"][-1]
    for f in result.fields:  # every field ends at the last converged travel, as the curve does
        assert f.times[-1] * speed == pytest.approx(travel[-1], rel=1e-9), f.name
    assert "first fractures" in message
    force = result.series["Force [N]"]
    assert force[-1] < 0.95 * force.max()  # fallen by more than force_drop's 5 %
    assert "short-circuit" not in message
    assert not any(k.startswith("Short-circuit") for k in result.scalars)
    # the failed tries at the minimum step (8 iterations each) are counted apart
    assert result.scalars["Newton iterations in steps not kept"] >= 8
    assert result.scalars["Newton iterations"] == sum(result.series["Newton iterations [-]"])


def test_viscous_stabilisation_carries_the_path_past_where_no_step_converged(bar, snapshot) -> None:
    """The same tearing bar with the stabilisation left at "auto": where no undamped step
    converged (1.7 mm) dampers come on and the path goes on (to the 8 mm stop since the friction
    coupling of the contact tangent, 2.9 mm before), the message says where they came on and
    what they took, the result warns when that is more than a small share of the work (the bar
    torn through, the dampers carry the rod), and the energy they dissipated closes the
    balance."""
    spec = rod_on_bar_spec(bar, max_travel=0.008, steps=8, min_step=0.1, max_iterations=8)
    off = run_study("mechanics.crush", {**spec, "stabilisation": "off"}, snapshot)
    auto = run_study("mechanics.crush", spec, snapshot)
    undamped = off.series["Displacement [m]"][-1]
    travel = auto.series["Displacement [m]"]
    assert travel[-1] > undamped + 0.001, auto.message
    # up to where the dampers came on the path is the undamped one, step for step
    n = len(off.series["Displacement [m]"])
    assert np.array_equal(travel[:n], off.series["Displacement [m]"])
    assert np.array_equal(auto.series["Force [N]"][:n], off.series["Force [N]"])
    match = re.search(r"No step converged beyond ([\d.]+) mm without damping .* viscous "
                      r"stabilisation was switched on \(factor 1e-05.*\); it took ([\d.]+)% of "
                      r"the external work", auto.message)  # fmt: skip
    assert match, auto.message
    assert float(match[1]) == pytest.approx(undamped * 1e3, abs=0.01)
    share = auto.scalars["Stabilisation / external work [-]"]
    assert share > 0 and float(match[2]) == pytest.approx(100 * share, abs=0.05)
    warned = "so the force is theirs more than the structure's" in auto.message
    assert warned == (share > STABILISATION_WARNING), auto.message
    assert auto.scalars["Energy balance error [-]"] < 0.03
    assert "No step converged" not in off.message


def test_a_short_circuit_stop_on_a_part_without_an_electrode_stack_is_said_to_be_void(
    bar, snapshot
) -> None:
    result = run_study("mechanics.crush", rod_on_bar_spec(bar, stop_at_short=True), snapshot)
    assert result.status == "complete", result.message
    assert any("holds no electrode stack" in w for w in result.provenance.warnings)
    assert "travel 0.6 mm reached" in result.message


def test_a_nail_stops_on_the_skin_not_between_its_nodes(library) -> None:
    """No node of the LG M50's can lies under the nail's point: brought down to the nearest
    node, the point sank 0.6 mm between the nodes into the cell. It stops where its axis meets
    the skin; a travel too short for its flank to reach a node is refused with what to do, a
    longer one runs with a warning that the force starts late."""
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.contact import indenter_gaps
    from cellwright.engines.mechanics.crush_reach import _distance_to_facets
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec

    cell = library.snapshot_for(library.design_for_cell("lg-m50"))
    # the flank meets the first node after 0.50 mm of travel on the default mesh (0.25 mm from it)
    spec = {"indenter": {"kind": "nail", "radius": 0.0015}, "max_travel": 0.0001}
    with pytest.raises(InputError, match=r"passes between the skin's nodes.*"
                       r"spec\.contact_mesh_size") as refused:  # fmt: skip
        CrushRun.prepare(CrushSpec.model_validate(spec), cell, Progress())
    assert str(refused.value).startswith("spec.indenter: the nail does not touch")
    spec["max_travel"] = 0.003
    run = CrushRun.prepare(CrushSpec.model_validate(spec), cell, Progress())
    nail, m = run.model.indenters[0], run.model
    corners = m.mesh.points[m.skin_nodes][m.skin_faces[:, :3]]
    assert _distance_to_facets(nail.tip, nail.direction, corners) == pytest.approx(m.near_gap)
    assert any("tip passes between the skin's nodes" in w for w in run.setup.warnings)
    # the travel the warning gives is where the flank meets the first node: it reported the
    # node's gap to the cone, sin 30° of that travel for the 60° tip
    late = float(next(w for w in run.setup.warnings if "tip passes between" in w)
                 .split(" for ")[1].split(" mm")[0]) * 1e-3  # fmt: skip
    pts = m.mesh.points[m.skin_nodes]
    assert indenter_gaps(nail.params(), 0.99 * late, pts).min() > 0
    assert indenter_gaps(nail.params(), 1.01 * late, pts).min() < 0


def test_a_study_stopped_before_the_standards_stops_has_no_verdict(bar, snapshot) -> None:
    """R100 Annex 8D squeezes to 100 kN; a study that stops its indenter at 0.6 mm (a few kN
    on the bar) has not run the standard's test, so it neither passes nor fails it."""
    result = run_study("mechanics.crush", rod_on_bar_spec(bar, standard="R100-8D"), snapshot)
    assert result.status == "complete", result.message
    assert np.isnan(result.scalars["Passes [-]"])
    assert result.series["Force [N]"][-1] < 100e3
    assert "before any of the standard's stops" in result.message
    custom = run_study("mechanics.crush", rod_on_bar_spec(bar), snapshot)  # no standard to pass
    assert custom.scalars["Passes [-]"] == 1.0 and "stopped by travel 0.6 mm" in custom.message


def test_a_rod_brought_edge_on_to_a_pouch_touches_its_body(library) -> None:
    """Edge-on (along x) the pouch's tabs stick out beside the rod's path: brought down by the
    tab corner's gap alone, the rod stopped 6.5 mm short of the body and the study was
    refused as never touching. It closes in until the body's edge is at the contact band."""
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.contact import gap_and_normal
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec

    pouch = library.snapshot_for(library.design_for_cell("kokam-slpb-75106100"))
    spec = CrushSpec.model_validate({"direction": "x", "max_travel": 0.0005,
                                     "indenter": {"kind": "rod", "radius": 0.005}})  # fmt: skip
    m = CrushRun.prepare(spec, pouch, Progress()).model
    rod = m.indenters[0]
    pts = m.mesh.points[m.skin_nodes]
    gaps = np.array([gap_and_normal(rod.params(), 0.0, p)[0] for p in pts])
    assert gaps.min() == pytest.approx(m.near_gap, rel=1e-2)
    toward = pts[np.argmin(gaps)]
    assert abs(toward[1] - rod.tip[1]) < rod.radius  # the body under the rod, not a tab beside


def test_an_unknown_foam_set_is_refused(bar, snapshot) -> None:
    with pytest.raises(InputError, match=r"spec\.jelly_roll: no foam parameter set"):
        run_study("mechanics.crush", rod_on_bar_spec(bar, jelly_roll="nonsense"), snapshot)


def test_indenters_start_just_outside_the_contact_band(bar, snapshot) -> None:
    """Both the rod and the support plate start at the outer edge of the penalty's smoothing
    band: the part is unloaded at zero travel (a node inside the band would carry pressure,
    and the force-drop criterion read that as a peak at zero travel)."""
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.contact import gap_and_normal
    from cellwright.engines.mechanics.crush_model import ContactState
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec

    run = CrushRun.prepare(CrushSpec(**rod_on_bar_spec(bar)), snapshot, Progress(lambda _: None))
    m = run.model
    pts = m.mesh.points[m.skin_nodes]
    for ind in m.indenters:
        first = min(gap_and_normal(ind.params(), 0.0, p)[0] for p in pts)
        assert first == pytest.approx(m.near_gap, rel=1e-6, abs=1e-12), ind.name
    u = np.zeros(m.n_dofs)
    contacts = [ContactState(np.zeros((m.skin_nodes.size, 3))) for _ in m.indenters]
    ev = m.evaluate(u, 0.0, 0.0, u, m.initial_state(), contacts, with_tangent=False)
    # a node left on the band's edge by rounding carries ε_N (g₀ - g)²/4g₀: nothing
    assert np.allclose(ev.forces, 0.0, atol=1e-6)


def test_contact_mesh_size_refines_where_indenter_and_support_meet_a_cell(library) -> None:
    """A cell squeezed along y gets elements of about the asked size at the top and bottom of
    its bounding box (where the indenter and the support plate touch) and the coarse size
    elsewhere."""
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec

    design = library.snapshot_for(library.design_for_cell("lg-m50"))
    spec = CrushSpec(standard="GB38031-cell", mesh_size=0.004, contact_mesh_size=0.0012,
                     contact_mesh_radius=0.3)  # fmt: skip
    m = CrushRun.prepare(spec, design, Progress(lambda _: None)).model
    points = m.mesh.points
    tets = m.mesh.tets
    edges = np.linalg.norm(points[tets[:, 1]] - points[tets[:, 0]], axis=1)
    centroid = points[tets].mean(axis=1)
    lo, hi = points.min(axis=0), points.max(axis=0)
    mid = 0.5 * (lo + hi)
    radius = 0.3 * (hi[1] - lo[1])
    near = np.zeros(len(tets), dtype=bool)
    for end in (lo[1], hi[1]):
        at = mid.copy()
        at[1] = end
        near |= np.linalg.norm(centroid - at, axis=1) < 0.8 * radius
    far = ~near
    assert near.sum() > 100
    assert np.median(edges[near]) < 0.0018 < np.median(edges[far])


@pytest.mark.parametrize(("cell", "axis"), [("kokam-slpb-75106100", 2), ("lg-m50", 1)])
def test_a_standard_squeeze_loads_through_the_electrode_plates(library, cell, axis) -> None:
    """GB 38031 presses perpendicular to the electrode plates: through a pouch's thickness (z
    in its mesh frame), radially across a lying cylindrical cell (y)."""
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec

    design = library.snapshot_for(library.design_for_cell(cell))
    run = CrushRun.prepare(CrushSpec(standard="GB38031-cell"), design, Progress(lambda _: None))
    down = np.zeros(3)
    down[axis] = -1.0
    assert np.allclose(run.model.indenters[0].direction, down)
    size = np.ptp(run.model.mesh.points, axis=0)
    assert run.extent == pytest.approx(size[axis])
    if cell.startswith("kokam"):
        assert run.extent == pytest.approx(0.0075, rel=1e-6)  # the pouch's thickness


def test_a_library_cell_with_only_its_datasheet_is_squeezed_as_estimated(library) -> None:
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec

    design = library.snapshot_for(library.design_for_cell("panasonic-ncr18650b"))
    run = CrushRun.prepare(CrushSpec(standard="GB38031-cell"), design, Progress(lambda _: None))
    assert run.extent == pytest.approx(18.5e-3, rel=1e-6)  # across the datasheet's can
    first = run.setup.warnings[0]
    assert first.startswith("Panasonic NCR18650B:") and "estimated from the datasheet" in first
    assert "the mechanics engines need" in first


def test_a_preset_stop_switched_off_lets_the_squeeze_go_on(bar, snapshot) -> None:
    """GB 38031's 1000 × weight stop ends a squeeze of the 27 g bar at a few hundred newtons;
    with ``weight_factor = "off"`` the same squeeze goes on to the travel asked for, and the
    verdict says which of the standard's stops was switched off."""
    spec = rod_on_bar_spec(bar, standard="GB38031-cell", max_travel=0.0003, steps=2)
    stopped = run_study("mechanics.crush", spec, snapshot)
    weight = stopped.scalars["Part weight [N]"]
    assert "1000 x the weight" in stopped.message
    assert stopped.series["Force [N]"][-1] >= 1000 * weight > stopped.series["Force [N]"][-2]
    # the path lands on the stop: it ends where the force reached it, not at a step past it
    assert stopped.series["Force [N]"][-1] <= 1.005 * 1000 * weight
    assert stopped.series["Displacement [m]"][-1] < 0.0003
    on = run_study("mechanics.crush", {**spec, "weight_factor": "off"}, snapshot)
    assert on.status == "complete", on.message
    assert on.series["Displacement [m]"][-1] == pytest.approx(0.0003, rel=1e-9)
    assert on.series["Force [N]"][-1] > 3 * 1000 * weight
    assert "travel 0.3 mm reached" in on.message and "switched off: weight_factor" in on.message
    # where the standard's test would have ended: the step that first passed 1000 x the weight
    travel, force = on.series["Displacement [m]"], on.series["Force [N]"]
    first = int(np.argmax(force >= 1000 * weight))
    assert force[first] >= 1000 * weight > force[first - 1]
    assert on.scalars["Standard's stop displacement [m]"] == travel[first]
    assert on.scalars["Standard's stop force [N]"] == force[first] <= 1.005 * 1000 * weight
    assert (f"would have ended at {travel[first] * 1e3:.3g} mm ({force[first] / 1e3:.3g} kN) by "
            f"1000 x the weight ({1000 * weight:.1f} N), before any short-circuit onset"
            ) in on.message  # fmt: skip
    assert "Standard's stop displacement [m]" not in stopped.scalars


def test_switching_every_stop_off_is_refused_naming_the_field(bar, snapshot) -> None:
    spec = rod_on_bar_spec(bar, standard="R100-8D", max_travel=None, max_force="off")
    with pytest.raises(InputError, match=r"spec\.max_force: switching off max_force leaves the "
                       r"R100-8D run with no stop; keep it or set max_deformation"):  # fmt: skip
        run_study("mechanics.crush", spec, snapshot)


def test_a_pouch_is_pressed_at_the_middle_of_its_body_not_of_its_tabs(library) -> None:
    """The Kokam pouch's tabs stick 20 mm out of its 100 x 106 mm body: the R75 semicylinder's
    axis must pass over the body's centre (from the design's own sizes), and the contact
    refinement must sit there too, not at the centre of the mesh's box with the tabs."""
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec
    from cellwright.engines.mechanics.spec import with_geometry

    design = library.snapshot_for(library.design_for_cell("kokam-slpb-75106100"))
    g = with_geometry(design).cell.geometry
    spec = CrushSpec(standard="GB38031-cell", contact_mesh_size=0.0015, contact_mesh_radius=1.0)
    m = CrushRun.prepare(spec, design, Progress(lambda _: None)).model
    points = m.mesh.points
    assert np.ptp(points[:, 0]) > g.length + 0.015  # the tabs are in the mesh
    ind = m.indenters[0]
    centre = np.array([g.length / 2, g.width / 2, g.thickness])
    offset = centre - ind.tip
    off_axis = offset - np.dot(offset, ind.axis) * ind.axis
    assert np.linalg.norm(off_axis) < 1e-4
    tets = m.mesh.tets
    edges = np.linalg.norm(points[tets[:, 1]] - points[tets[:, 0]], axis=1)
    centroid = points[tets].mean(axis=1)

    def around(dx: float) -> np.ndarray:  # elements in a column 4 mm round the body's middle + dx
        return np.linalg.norm(centroid[:, :2] - centre[:2] - [dx, 0.0], axis=1) < 0.004

    # the refined ball (radius 7.5 mm, graded back over another 7.5 mm) sits over the middle:
    # 2 mm elements there, coarser 15 mm to either side (the mesh's box with the tabs is
    # centred 10 mm towards them: a ball there would make the tab side the finest)
    middle, tab_side, far_side = (edges[around(dx)] for dx in (0.0, 0.015, -0.015))
    assert np.median(middle) < 0.7 * min(np.median(tab_side), np.median(far_side))
    assert middle.size > 4 * max(tab_side.size, far_side.size)


def test_a_pouch_margin_is_as_soft_as_its_stack_and_cannot_short(library) -> None:
    """The pouch region (the sealed margin round the stack, meshed at full thickness) must not be
    the laminate's aluminium as a solid frame: that frame carried the whole squeeze (1.8 kN after
    0.05 mm). It is the stack's foam, keeps its own density, and holds no electrodes, so the
    jelly-roll strain criterion watches the stack alone."""
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec

    design = library.snapshot_for(library.design_for_cell("kokam-slpb-75106100"))
    run = CrushRun.prepare(CrushSpec(standard="GB38031-cell"), design, Progress(lambda _: None))
    setup, m = run.setup, run.model
    margin, stack = setup.materials["pouch"], setup.materials["jelly_roll"]
    assert margin.kind == stack.kind == "foam"
    np.testing.assert_allclose(margin.elastic.stiffness, stack.elastic.stiffness)
    np.testing.assert_allclose(margin.curve_stress, stack.curve_stress)
    density = run.problem.model.materials["pouch"].density
    assert margin.elastic.density == density != stack.elastic.density
    names = np.array(m.region_names)[m.region_of]
    watched = run._detector().foam
    assert watched.size == int(np.sum(names == "jelly_roll"))
    assert set(names[watched]) == {"jelly_roll"}


def test_a_cylindrical_header_is_as_stiff_and_strong_as_the_metal_it_holds(library) -> None:
    """The header is meshed as a solid disc of can steel holding the assembly's mass; it carries
    crush load in proportion to the metal in it, φ = cap mass / (disc volume × steel density), as
    stacked discs loaded in their plane do. As solid steel it fractured the can at 0.46 mm of a
    flat-plate crush (tests/validation/test_crush_plausibility.py)."""
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec
    from cellwright.engines.mechanics.spec import with_geometry

    design = library.snapshot_for(library.design_for_cell("lg-m50"))
    g = with_geometry(design).cell.geometry
    spec = CrushSpec(standard="UN38.3-T6", mesh_size=0.004)
    run = CrushRun.prepare(spec, design, Progress(lambda _: None))
    cap, can = run.setup.materials["cap"], run.setup.materials["can"]
    steel = can.elastic.density
    disc = np.pi * (g.diameter / 2 - g.can_wall_thickness) ** 2 * g.cap_thickness
    phi = g.cap_mass / (disc * steel)
    assert 0.3 < phi < 0.7  # the LG M50's 3 g header in a 2.5 mm disc
    np.testing.assert_allclose(cap.elastic.stiffness, phi * can.elastic.stiffness, rtol=0.02)
    np.testing.assert_allclose(cap.curve_stress, phi * can.curve_stress, rtol=0.02)
    np.testing.assert_allclose(cap.curve_strain, can.curve_strain)
    # a homogenised assembly has no fracture strain of its own; the can round it keeps its own
    assert cap.fracture_strain == 0.0 < can.fracture_strain
    assert cap.elastic.density == pytest.approx(g.cap_mass / disc, rel=0.02)


def test_a_wound_cells_core_hole_is_filled_unless_asked_open(library) -> None:
    """An open core hole closes in a lateral crush and, with no self-contact, its foam elements
    fold inside out (the LG M50's stopped at 7.86 mm of a flat-plate crush); by default the crush
    mesh fills it with the roll. The weight (the weight stop's) is the meshed part's either way:
    the straight-sided elements cutting curved faces miss about as much as the fill adds."""
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec
    from cellwright.engines.mechanics.spec import with_geometry

    design = library.snapshot_for(library.design_for_cell("lg-m50"))
    r_hole = with_geometry(design).cell.geometry.mandrel_diameter / 2
    runs = {
        core: CrushRun.prepare(CrushSpec(standard="GB38031-cell", core=core), design,
                               Progress(lambda _: None))
        for core in ("filled", "open")
    }  # fmt: skip
    radius = {}
    for core, run in runs.items():
        m = run.model
        roll = [i for i, n in enumerate(m.region_names) if n == "jelly_roll"]
        nodes = np.unique(m.mesh.tet10[np.isin(m.region_of, roll), :4])  # vertices
        radius[core] = np.hypot(*m.mesh.points[nodes, :2].T).min()
    assert radius["filled"] < 0.1 * r_hole  # roll nodes at the axis
    assert radius["open"] == pytest.approx(r_hole, rel=1e-3)  # the hole's wall
    assert runs["filled"].weight == pytest.approx(runs["open"].weight, rel=5e-3)


def test_a_crack_counts_as_a_short_only_beside_the_electrode_stack(library) -> None:
    """The can's crimp below the header and its bottom lie past the roll's ends: no electrode
    layers behind the wall there, so a crack there is a leak, not a short (can_fracture)."""
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec

    design = library.snapshot_for(library.design_for_cell("lg-m50"))
    run = CrushRun.prepare(CrushSpec(standard="GB38031-cell"), design, Progress(lambda _: None))
    m = run.model
    names = np.array(m.region_names)[m.region_of]
    z = m.mesh.points[m.mesh.tet10[:, :4], 2].mean(axis=1)
    roll = z[names == "jelly_roll"]
    can = np.flatnonzero(names == "can")
    beside = run.housing_beside_stack()
    assert set(beside) < set(can)  # the header never counts; part of the can does
    assert roll.min() - 1e-3 < z[beside].min() and z[beside].max() < roll.max() + 1e-3
    ends = np.setdiff1d(can, beside)
    assert z[ends].min() < roll.min() and z[ends].max() > roll.max()  # bottom and crimp


def test_an_indenter_without_a_radius_takes_its_kinds() -> None:
    """A nail, a bar and the standards' semicylinders have the sizes their tests give them; a
    hemispherical punch, which none of them sizes, is refused without one."""
    from pydantic import ValidationError

    from cellwright.engines.mechanics.crush_spec import CrushSpec, IndenterSpec

    radius = {k: IndenterSpec(kind=k).radius for k in ("semicylinder", "rod", "nail", "plate")}
    assert radius == {"semicylinder": 0.075, "rod": 0.0079, "nail": 0.0015, "plate": None}
    spec = CrushSpec.model_validate({"standard": "GB38031-cell", "indenter": {"kind": "nail"}})
    assert spec.preset().indenter.radius == 0.0015
    with pytest.raises(ValidationError, match="hemispherical punch needs its radius"):
        IndenterSpec(kind="hemisphere")
    assert IndenterSpec(kind="hemisphere", radius=0.01).explicit() == {
        "kind": "hemisphere", "radius": 0.01}  # fmt: skip
    assert IndenterSpec(kind="nail", radius=0.0015).explicit() == {"kind": "nail"}


def test_a_single_precision_factor_follows_the_same_path(bar, snapshot, monkeypatch) -> None:
    # large meshes factorise in single precision with refinement in double (crush_factor); on
    # the bar, forced, the run must give the double-precision run's curve
    from cellwright.engines.mechanics import crush_factor

    double = run_study("mechanics.crush", rod_on_bar_spec(bar), snapshot)
    monkeypatch.setattr(crush_factor, "SINGLE_PRECISION_FROM", 0)
    refined = []
    solve = crush_factor.TangentFactor.solve

    def spy(self, rhs, extra=None):
        before = self.refinements
        x = solve(self, rhs, extra)
        refined.append((self.single, self.refinements - before))
        return x

    monkeypatch.setattr(crush_factor.TangentFactor, "solve", spy)
    single = run_study("mechanics.crush", rod_on_bar_spec(bar), snapshot)
    assert refined and all(s for s, _ in refined) and sum(n for _, n in refined) > 0
    assert single.status == double.status == "complete"
    assert single.series["Displacement [m]"] == pytest.approx(double.series["Displacement [m]"])
    assert single.series["Force [N]"] == pytest.approx(double.series["Force [N]"], rel=1e-4)


def test_the_path_lands_on_the_jelly_roll_strain_of_the_short(library) -> None:
    """The short by jelly-roll strain is reported where the strain reaches the critical one,
    not at whatever step passed it: the step that passes it by more than 0.5 % is tried again
    shorter. A low critical strain makes the Kokam pouch short within a few steps."""
    design = library.snapshot_for(library.design_for_cell("kokam-slpb-75106100"))
    spec = {"standard": "GB38031-cell", "short_criterion": "jelly_roll_strain",
            "short_strain": 0.01, "mesh_size": 0.01}  # fmt: skip
    result = run_study("mechanics.crush", spec, design)
    assert result.status == "complete", result.message
    assert "short-circuit onset by jelly_roll_strain" in result.message
    strain = result.scalars["Short-circuit onset value [-]"]
    assert 0.01 <= strain <= 0.01 * 1.005
    onset = result.scalars["Short-circuit onset displacement [m]"]
    assert onset == result.series["Displacement [m]"][-1]  # the run stops at its short


def test_the_first_fracture_is_where_the_damage_reached_one_whatever_the_steps(
    bar, snapshot
) -> None:
    """The rod first cracks the 6061 bar near 0.6 mm. A step that passes a point's damage of 1
    by more than 0.5 % is tried again shorter, so four steps and seven report the same first
    fracture (before the landing: 0.75 mm and 0.86 mm, the ends of the steps that passed it)."""
    first = {}
    for steps in (4, 7):
        result = run_study("mechanics.crush", rod_on_bar_spec(bar, max_travel=0.001, steps=steps),
                           snapshot)  # fmt: skip
        first[steps] = result.scalars["First fracture displacement [m]"]
        at = list(result.series["Displacement [m]"]).index(first[steps])
        assert result.scalars["First fracture force [N]"] == result.series["Force [N]"][at]
        assert f"first fractures at {first[steps] * 1e3:.2f} mm" in result.message
    assert first[4] == pytest.approx(first[7], rel=0.01)
    assert 0.0004 < first[4] < 0.0008


def test_nodes_whose_elements_all_fractured_are_held_out_of_the_way(bar, snapshot) -> None:
    """The rod tears through the top of the bar: nodes whose every element has fractured are
    held where they stand and meet the rod no more (element deletion). Left free, one of them
    sat in the rod's contact band with nothing but a failed point's 1e-6 stiffness, took every
    iteration's largest residual, and the run stopped partial at 2.55 mm."""
    result = run_study("mechanics.crush", rod_on_bar_spec(bar, max_travel=0.003, steps=6),
                       snapshot)  # fmt: skip
    assert result.status == "complete", result.message
    assert result.series["Displacement [m]"][-1] == pytest.approx(0.003)
    assert "first fractures" in result.message
    assert result.scalars["Energy balance error [-]"] < 0.03


@pytest.mark.slow
def test_the_same_squeeze_gives_bitwise_the_same_path_every_run(library) -> None:
    """PARDISO's threaded factorisation rounded differently from run to run until it was asked
    for conditional numerical reproducibility: this squeeze's forces differed in the ninth digit
    between two runs, and a module's path (where it stopped) with them."""
    snapshot = library.snapshot_for(library.design_for_cell("lg-m50"))
    spec = {"standard": "GB38031-cell", "weight_factor": "off", "max_deformation": 0.12,
            "stop_at_short": False}  # fmt: skip
    runs = [np.asarray(run_study("mechanics.crush", spec, snapshot).series["Force [N]"])
            for _ in range(2)]  # fmt: skip
    assert runs[0].size > 10
    assert runs[0].tobytes() == runs[1].tobytes()


def test_a_stiff_parts_curve_to_its_force_stop_has_points_on_the_way(bar, snapshot) -> None:
    """A first step far too long for a stiff part overshoots its force stop many times over;
    landing from there put the whole curve in one step (the bar's 400 N: four points, the
    trapezoidal external work 14 % above the energy stored; the LF280K estimate between
    UN 38.3's plates: three points to 13 kN, 2.8 %). The path now approaches in steps."""
    # the minimum step (a ten-thousandth of the first, 1.5 mm) would land 1.6 % past the stop
    spec = rod_on_bar_spec(bar, max_travel=0.003, steps=2, max_force=400.0, min_step=1e-6)
    result = run_study("mechanics.crush", spec, snapshot)
    force = result.series["Force [N]"]
    assert "force 0.4 kN reached the limit" in result.message
    assert force[-1] == pytest.approx(400.0, rel=0.01)
    assert force.size >= 8 and np.all(np.diff(force) > 0)
    assert result.scalars["Energy balance error [-]"] < 0.015


def test_an_impact_stops_where_the_part_has_absorbed_the_dropped_mass(bar, snapshot) -> None:
    """A dropped mass comes to rest once the work done on the part equals what it brought,
    W(δ) = m g (h + δ) (energy method of drop-weight impact): the path lands there."""
    from cellwright.engines.mechanics.crush_spec import STANDARD_GRAVITY

    mass, height = 0.5, 0.2
    spec = rod_on_bar_spec(bar, drop_mass=mass, drop_height=height, max_travel=0.002)
    result = run_study("mechanics.crush", spec, snapshot)
    assert result.status == "complete", result.message
    work = result.series["External work [J]"][-1]
    travel = result.series["Displacement [m]"][-1]
    due = mass * STANDARD_GRAVITY * (height + travel)
    assert 0.0 <= work / due - 1.0 <= 0.005  # landed on it, within the landing tolerance
    assert result.series["External work [J]"][-2] < due  # not before
    assert 0 < travel < 0.002 and "the impact's energy absorbed" in result.message
    assert result.scalars["Passes [-]"] == 1.0
    # the mass's own time: it slows from √(2 g h) to rest as the bar takes its energy, so the
    # dent takes longer than at the strike's speed, and less than twice that (as under a
    # steady force) because the force rises as it goes in (a linear spring: π/2)
    time = result.series["Time [s]"]
    strike = (2 * STANDARD_GRAVITY * height) ** 0.5
    assert np.all(np.diff(time) > 0)
    assert 1.2 < time[-1] * strike / travel < 2.0
    # twice the drop height: more energy, a deeper dent
    deeper = run_study("mechanics.crush", {**spec, "drop_height": 2 * height}, snapshot)
    assert deeper.series["Displacement [m]"][-1] > 1.2 * travel
    # stopped before the mass is at rest: how much was absorbed, and no verdict
    cut = run_study("mechanics.crush", {**spec, "max_travel": 0.5 * travel}, snapshot)
    assert re.search(r"travel 0\.\d+ mm reached with 0\.\d J of the 1\.0 J", cut.message)
    assert "before the mass came to rest" in cut.message
    assert np.isnan(cut.scalars["Passes [-]"])


def test_an_impact_on_steel_takes_its_rate_hardening_and_a_squeeze_does_not(bar, snapshot) -> None:
    """A mild-steel bar struck by 2 kg from 20 cm (2 m/s): Cowper–Symonds hardening (D = 40.4/s,
    q = 5) at the strain rates under the rod raises its flow stress, so the mass comes to rest
    in a shallower dent at a higher force, the same energy absorbed; switched off, the static
    curve's dent. A quasi-static squeeze has no time scale of its own: the same path either way."""
    from cellwright.engines.mechanics.crush_spec import STANDARD_GRAVITY

    spec = rod_on_bar_spec(bar, drop_mass=2.0, drop_height=0.2, max_travel=0.001, steps=20)
    spec["geometry"]["materials"] = {"*": "nickel-plated-steel"}
    fast = run_study("mechanics.crush", spec, snapshot)
    static = run_study("mechanics.crush", {**spec, "rate_hardening": False}, snapshot)
    depth = {}
    for run in (fast, static):
        assert run.status == "complete", run.message
        assert "the impact's energy absorbed" in run.message
        travel = run.series["Displacement [m]"][-1]
        due = 2.0 * STANDARD_GRAVITY * (0.2 + travel)
        assert run.series["External work [J]"][-1] == pytest.approx(due, rel=0.005)
        assert abs(run.scalars["Energy balance error [-]"]) < 0.03
        depth[run is fast] = travel
    assert depth[True] < 0.85 * depth[False]  # measured 0.23 against 0.32 mm
    assert fast.series["Force [N]"][-1] > 1.2 * static.series["Force [N]"][-1]
    assert "rate hardening" in fast.message and "rate hardening" not in static.message
    squeeze = rod_on_bar_spec(bar, max_travel=0.0003)
    squeeze["geometry"]["materials"] = {"*": "nickel-plated-steel"}
    on = run_study("mechanics.crush", squeeze, snapshot)
    off = run_study("mechanics.crush", {**squeeze, "rate_hardening": False}, snapshot)
    assert on.series["Force [N]"].tobytes() == off.series["Force [N]"].tobytes()


def test_un38_3_t6_takes_the_impact_for_cylindrical_cells_of_18_mm_or_more(bar, snapshot) -> None:
    """UN 38.3.4.6: cylindrical cells of 18.0 mm diameter or more take the impact (9.1 kg from
    61 cm on a 15.8 mm bar), other cells the crush; choosing the other test is warned of."""
    from pydantic import ValidationError

    from cellwright.engines.mechanics.crush_spec import CrushSpec, t6_mismatch
    from cellwright.projects.design.templates import new_cell_from_template

    impact = CrushSpec(standard="UN38.3-T6-impact").preset()
    assert impact.impact and impact.indenter.kind == "rod" and impact.indenter.radius == 0.0079
    assert impact.drop_energy(0.0) == pytest.approx(9.1 * 9.80665 * 0.61)  # 54.4 J
    assert impact.speed == pytest.approx(3.459, abs=1e-3)  # √(2 g h) at the strike
    assert not CrushSpec(standard="UN38.3-T6").preset().impact
    with pytest.raises(ValidationError, match="needs both drop_mass and drop_height"):
        CrushSpec(drop_height=0.5)

    def design(template):
        return type("Snap", (), {"cell": new_cell_from_template(template)})()

    crush, hit = CrushSpec(standard="UN38.3-T6"), CrushSpec(standard="UN38.3-T6-impact")
    assert "prescribes the impact, not the crush" in t6_mismatch(crush, design("21700"))
    assert t6_mismatch(hit, design("21700")) is None
    assert t6_mismatch(hit, design("18650")) is None  # 18.0 mm: the impact
    assert "prescribes the crush, not the impact, for a pouch cell" in t6_mismatch(
        hit, design("pouch"))  # fmt: skip
    assert t6_mismatch(crush, design("prismatic")) is None
    assert t6_mismatch(CrushSpec(standard="GB38031-cell"), design("21700")) is None
    # an imported part is no cell: the verdict says the drop was changed, the warning the rest
    spec = rod_on_bar_spec(bar, standard="UN38.3-T6-impact", drop_mass=0.5, drop_height=0.2)
    result = run_study("mechanics.crush", spec, snapshot)
    assert "its drop changed to 0.5 kg from 200 mm" in result.message
    assert any("test of single cells" in w for w in result.provenance.warnings)


def test_a_result_whose_work_went_into_the_springs_warns_and_gives_no_verdict(
    bar, snapshot, monkeypatch
) -> None:
    """The weak springs that hold free rigid-body motion take a negligible share of the work
    when the part is held (the bar: far below 1 %); springs a million times stiffer stand in
    for a part that is not held (a pack of pouches sliding on their soft thermal pad took
    26 %): the result says the force is theirs and gives no verdict."""
    from cellwright.engines.mechanics import crush_model

    held = run_study("mechanics.crush", rod_on_bar_spec(bar), snapshot)
    assert held.scalars["Stabilisation / external work [-]"] < 1e-3
    assert "Warning" not in held.message and held.scalars["Passes [-]"] == 1.0
    monkeypatch.setattr(crush_model, "STABILISATION", 1e-2)
    result = run_study("mechanics.crush", rod_on_bar_spec(bar), snapshot)
    share = result.scalars["Stabilisation / external work [-]"]
    assert share > 0.05
    assert f"dampers took {share:.0%} of the external work" in result.message
    assert "the part is not held" in result.message
    assert np.isnan(result.scalars["Passes [-]"])


def test_a_filled_core_weighs_what_the_design_weighs(library) -> None:
    """Filling a wound cell's core hole (``core = "filled"``) must not wind more electrode into
    it: the 18650 template's roll, wound as long as the can holds, gained 1.2 g that way (48.4 g
    meshed for 47.2 g), so GB 38031's 1000 x weight stop came 2.5 % late."""
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.crush import part_weight
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec
    from cellwright.projects.design.cell_figures import cell_figures
    from cellwright.projects.design.templates import new_cell_from_template

    snapshot = library.snapshot_for(new_cell_from_template("18650"))
    mass = cell_figures(snapshot.cell, snapshot.materials, snapshot.reference_cell).total_mass
    spec = CrushSpec(standard="GB38031-cell")
    run = CrushRun.prepare(spec, snapshot, Progress(lambda _: None))
    assert part_weight(run.problem) == pytest.approx(mass * 9.80665, rel=3e-3)


def test_an_unknown_support_group_is_refused_at_support_group(library) -> None:
    """A crush study holds ``support_group``; the refusal named the structural studies'
    ``spec.supports[0].group``, a field a crush study does not have."""
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec

    design = library.snapshot_for(library.design_for_cell("lg-m50"))
    spec = CrushSpec(support="fixed", support_group="base", max_travel=3e-4, mesh_size=0.005)
    with pytest.raises(
        InputError, match=r"^spec\.support_group: no group 'base'; groups: .*bottom"
    ):
        CrushRun.prepare(spec, design, Progress(lambda _: None))


@pytest.mark.parametrize("kind", ["rod", "semicylinder", "three_semicylinders"])
def test_a_cylinder_along_the_load_is_refused_at_its_axis(kind) -> None:
    """A rod, semicylinder or the three semicylinders lie across the load; given an axis along
    it, the contact kernel swapped in x without a word and the bar lay elsewhere."""
    from cellwright.engines.mechanics.crush_build import place_indenters
    from cellwright.engines.mechanics.crush_spec import CrushSpec

    points = np.array([[0, 0, 0], [0.07, 0, 0], [0, 0.02, 0], [0, 0, 0.02]], dtype=float)
    spec = CrushSpec(direction="y", max_travel=3e-4, indenter={"kind": kind, "axis": "y"})
    with pytest.raises(InputError, match=r"spec\.indenter\.axis.*across the load.*\"x\" or \"z\""):
        place_indenters(spec, spec.preset(), points)
    across = spec.model_copy(update={"indenter": spec.indenter.model_copy(update={"axis": "z"})})
    (rod, _support), _ = place_indenters(across, across.preset(), points)
    np.testing.assert_allclose(rod.params()[7:10], [0.0, 0.0, 1.0])


def test_a_nail_beside_the_part_is_refused_as_beside_it(bar, snapshot) -> None:
    """A nail placed off the part never meets it; the refusal told to refine the mesh where the
    tip passes between the skin's nodes, which no mesh cures. It says where the axis passes."""
    spec = rod_on_bar_spec(bar)
    spec["indenter"] = {"kind": "nail", "position": [0.5, 0.5, 0.0105]}
    with pytest.raises(InputError, match=r"its axis passes beside the part: x 500 mm outside "
                       r"0 to 100 mm, y 500 mm outside 0 to 10 mm") as refused:  # fmt: skip
        run_study("mechanics.crush", spec, snapshot)
    assert "between the skin's nodes" not in str(refused.value)


def test_a_support_group_under_the_indenter_is_refused(bar, snapshot) -> None:
    """Holding the very face the indenter presses leaves nothing under it to deform: the LG M50
    held by its can under a rod answered with the contact penalty alone (70 kN after 0.3 mm, one
    iteration a step). Refused, naming support_group; a group away from the rod still runs."""
    with pytest.raises(InputError, match=r"spec\.support_group: the rod presses only on nodes "
                       r"of 'boundary', which is held fixed") as refused:  # fmt: skip
        run_study(
            "mechanics.crush",
            rod_on_bar_spec(bar, support="fixed", support_group="boundary"),
            snapshot,
        )
    assert 'support = "plate"' in str(refused.value)


def test_a_nail_held_above_the_part_is_not_told_to_refine_the_mesh(bar, snapshot) -> None:
    """A nail placed 10 mm above the bar for a 0.6 mm travel never reaches it; the refusal
    blamed the tip passing between the skin's nodes, which only a nail whose axis meets the skin
    within the travel can do."""
    spec = rod_on_bar_spec(bar)
    spec["indenter"] = {"kind": "nail", "position": [0.05, 0.005, 0.02]}
    with pytest.raises(InputError, match=r"does not touch the part.*starts 10 mm away") as refused:
        run_study("mechanics.crush", spec, snapshot)
    assert "between the skin's nodes" not in str(refused.value)


def test_a_pack_without_busbars_is_set_up(library) -> None:
    """A design file's pack leaves out the parts it does not name (docs/design-file.md); a pack
    of three pouches on a cooling plate with no busbar stopped the crush set-up with an
    'unexpected error' ('NoneType' object has no attribute 'material')."""
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec
    from cellwright.projects.design.design_file import loads_design

    text = ('format_version = 1\n[cell]\nid = "pp"\nname = "pouch"\nfrom = "template:pouch"\n'
            '[pack]\nname = "3s1p"\nseries = 3\nparallel = 1\n[pack.cooling_plate]\n'
            'channel_count = 2\n')  # fmt: skip
    designs = loads_design(text, "pack.toml", library=library)
    assert designs.pack.busbar is None
    spec = CrushSpec(target="pack", standard="GB38031-module", max_travel=1e-3, support="fixed",
                     support_group="cooling_plate")  # fmt: skip
    run = CrushRun.prepare(spec, library.snapshot_for(designs.cell, designs.pack), Progress())
    assert {"cooling_plate", "cell_0000"} <= set(run.setup.materials)
    assert "busbar" not in run.setup.materials


@pytest.mark.parametrize(
    ("spec", "field", "message"),
    [({"drop_mass": 9.1}, "drop_mass", "an impact needs both drop_mass and drop_height"),
     ({"foam_curve": [[0.1, 1e6]]}, "foam_curve", "needs at least two points"),
     ({"support": "fixed"}, "support_group", "a fixed support needs a group")],
)  # fmt: skip
def test_a_whole_spec_rule_is_refused_at_its_field(spec, field, message) -> None:
    """These rules raised a plain ValueError, the whole spec's: a study file's error read
    'spec: Value error, drop_mass: …' without the line of the field it names."""
    from pydantic import ValidationError

    from cellwright.engines.mechanics.crush_spec import CrushSpec

    with pytest.raises(ValidationError) as refused:
        CrushSpec.model_validate(spec)
    (error,) = refused.value.errors()
    assert error["loc"] == (field,) and error["msg"] == message


def test_a_stack_thinner_than_its_housing_is_flagged(library) -> None:
    """20 stacked layers (7.5 mm) in the 26.5 mm VDA can: the design said nothing (a pouch's
    unused thickness was flagged, a prismatic's not), and the crush meshed the stack's foam
    through the whole can without a word. Both say so now."""
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec
    from cellwright.projects.design.cell_figures import cell_figures
    from cellwright.projects.design.design_file import loads_design

    text = ('format_version = 1\n[cell]\nname = "stacked"\nfrom = "template:prismatic"\n'
            '[cell.geometry]\nkind = "prismatic"\nconstruction = "stacked"\n'
            'cathode_layers = 20\n')  # fmt: skip
    snapshot = library.snapshot_for(loads_design(text, "d.toml", library=library).cell)
    figures = cell_figures(snapshot.cell, snapshot.materials, snapshot.reference_cell)
    assert any(w.startswith("the stack leaves") and "of the can thickness unused" in w
               for w in figures.warnings)  # fmt: skip
    spec = CrushSpec(standard="GB38031-cell", max_travel=3e-4, mesh_size=0.01)
    run = CrushRun.prepare(spec, snapshot, Progress())
    assert any("meshed through all of it" in w for w in run.setup.warnings)


def test_a_nail_on_a_refined_thin_part_is_told_of_the_refined_radius(library) -> None:
    """The Kokam pouch under a nail with contact_mesh_size 1 mm at contact_mesh_radius 0.15: a
    1.1 mm ball (0.15 of the 7.5 mm thickness) added not one node, and the refusal asked to
    refine with contact_mesh_size, which the study had done. It names the radius too."""
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec

    pouch = library.snapshot_for(library.design_for_cell("kokam-slpb-75106100"))
    spec = CrushSpec(indenter={"kind": "nail"}, max_travel=5e-4, contact_mesh_size=1e-3,
                     contact_mesh_radius=0.15)  # fmt: skip
    with pytest.raises(InputError, match=r"spec\.contact_mesh_radius larger: the refined ball "
                       r"is 1\.12 mm in radius"):  # fmt: skip
        CrushRun.prepare(spec, pouch, Progress())


def test_a_packs_prismatic_cells_bear_a_load_along_their_can_walls(library) -> None:
    """A pack's prismatic cell was its stack's foam alone: the 2s1p pack of prismatic-template
    cells took 316 N at 1 mm of GB 38031's module squeeze, where one such cell pressed end-on
    through its 0.8 mm aluminium can takes 4.56 kN at 0.3 mm. With its can meshed the pack takes
    the order of two such cells (the pack's cells stand on a fixed plate, the lone one on a rigid
    plate, so not exactly two), and keeps every cell's mass."""
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.crush import part_weight
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec
    from cellwright.projects.design.cell_figures import cell_figures
    from cellwright.projects.design.design_file import loads_design
    from cellwright.projects.design.templates import new_cell_from_template

    text = ('format_version = 1\n[cell]\nid = "pr"\nname = "prism"\nfrom = "template:prismatic"\n'
            '[pack]\nname = "2s1p"\nseries = 2\nparallel = 1\n[pack.cooling_plate]\n'
            'channel_count = 2\n')  # fmt: skip
    designs = loads_design(text, "pack.toml", library=library)
    pack = library.snapshot_for(designs.cell, designs.pack)
    spec = {"target": "pack", "standard": "GB38031-module", "max_travel": 2e-4,
            "support": "fixed", "support_group": "cooling_plate"}  # fmt: skip
    run = CrushRun.prepare(CrushSpec(**spec), pack, Progress(lambda _: None))
    assert {"can_0000", "can_0001"} <= set(run.setup.materials)
    assert run.setup.materials["can_0000"].kind == "j2"
    model = run.problem.model
    cell_mass = cell_figures(pack.cell, pack.materials, pack.reference_cell).total_mass
    plate = (
        model.materials["cooling_plate"].density
        * model.assembler.volume[model.regions["cooling_plate"]].sum()
    )
    assert part_weight(run.problem) == pytest.approx((2 * cell_mass + plate) * 9.80665, rel=1e-9)
    in_pack = run_study("mechanics.crush", spec, pack).scalars["Peak force [N]"]
    one = library.snapshot_for(new_cell_from_template("prismatic"))
    alone = run_study(
        "mechanics.crush", {"standard": "GB38031-cell", "direction": "x", "max_travel": 2e-4}, one
    ).scalars["Peak force [N]"]
    assert 0.5 < in_pack / (2 * alone) < 1.5


def test_the_groups_of_a_pack_are_known_before_meshing(library) -> None:
    """The crush editor refuses a held group a pack has not at its field: the names
    pack_structure_groups gives without meshing are the structural mesh's own."""
    from cellwright.engines.mechanics.setup import build_structure, pack_structure_groups
    from cellwright.projects.design.design_file import loads_design

    text = ('format_version = 1\n[cell]\nid = "pr"\nname = "prism"\nfrom = "template:prismatic"\n'
            '[pack]\nname = "2s1p"\nseries = 2\nparallel = 1\n[pack.cooling_plate]\n'
            'channel_count = 2\n')  # fmt: skip
    designs = loads_design(text, "pack.toml", library=library)
    pack = library.snapshot_for(designs.cell, designs.pack)
    groups = pack_structure_groups(pack)
    assert {"cooling_plate", "can_0000", "can_0001", "cell_0001", "plate_bottom"} <= set(groups)
    problem = build_structure(pack, "pack", mesh_size=0.01)
    assert groups == problem.model.groups


@pytest.mark.parametrize(
    ("cell", "filled"),
    [("lg-m50", True), ("lg-m50", False), ("kokam-slpb-75106100", False), ("eve-lf280k", False)],
)
def test_the_groups_of_a_cell_are_known_before_meshing(library, cell: str, filled: bool) -> None:
    """A cell's groups were known only once the job had meshed it, so a held group the cell
    has not ("plate_bottom", a pack's) was refused after the run had started."""
    from cellwright.engines.mechanics.crush_build import fill_core
    from cellwright.engines.mechanics.setup import build_structure, cell_structure_groups
    from cellwright.engines.mechanics.spec import with_geometry

    design = with_geometry(library.snapshot_for(library.design_for_cell(cell)))
    design = fill_core(design) if filled else design
    problem = build_structure(design, "cell", mesh_size=0.01)
    assert cell_structure_groups(design) == problem.model.groups


def test_the_wait_for_the_first_step_is_said(bar, snapshot) -> None:
    """The progress said "<mesh>; placing the indenter" until the first step converged: 44 s
    on the 2s1p pack squeeze in the window, its first run compiling the solver."""
    from cellwright.engines.api import Progress

    events = []
    run_study("mechanics.crush", rod_on_bar_spec(bar), snapshot, Progress(events.append))
    messages = [e.message for e in events]
    placing = next(k for k, m in enumerate(messages) if m.endswith("placing the indenter"))
    assert messages[placing + 1].startswith("solving the first step (0.15 mm of 0.6 mm, ")
    assert " kN, " in messages[placing + 2]
