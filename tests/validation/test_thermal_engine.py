"""``thermal.conduction`` on meshed designs against energy conservation and the lumped limit.

References: (1) energy conservation: with adiabatic walls all generated heat is stored,
Q t = C (T_mean - T_0), C = sum(m_i c_i) of the cell; (2) lumped capacitance (Incropera et al.,
Fundamentals of Heat and Mass Transfer, 6th ed., eq. 5.6 with a source): for a Biot number
h R / k << 1, T - T_inf = (P / h A) (1 - exp(-t h A / C)); the LG M50 in still air has
Bi = 10 x 0.0105 / 1.16 = 0.09, so the lumped answer holds to a few per cent.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from cellwright.engines.api import EngineError, run_study
from cellwright.engines.thermal.properties import cell_thermal, stack_conductivity
from cellwright.projects.design.reference_designs import lg_m50, reference_snapshot
from cellwright.projects.model import InputError


@pytest.fixture(scope="module")
def m50():
    return reference_snapshot(lg_m50())


def test_jelly_roll_conductivity_is_the_layer_rule_of_chen2020(m50) -> None:
    # Chen2020 (PyBaMM) thicknesses [m] and conductivities [W/(m K)] of one repeat unit
    layers = [(16e-6, 237.0), (2 * 75.6e-6, 2.1), (2 * 12e-6, 0.16), (2 * 85.2e-6, 1.7),
              (12e-6, 401.0)]  # fmt: skip
    total = sum(t for t, _ in layers)
    through = total / sum(t / k for t, k in layers)
    along = sum(t * k for t, k in layers) / total
    thermal = cell_thermal(m50.cell, m50)
    assert thermal.k_through == pytest.approx(through, rel=1e-9)
    assert thermal.k_in == pytest.approx(along, rel=1e-9)
    assert stack_conductivity([(1.0, 2.0), (1.0, 2.0)]) == (2.0, 2.0)
    # the cell's heat capacity is the sum of its parts' m c
    assert 30 < thermal.cell_heat_capacity < 80


def test_adiabatic_cell_stores_all_its_heat(m50) -> None:
    spec = {
        "duration": 300,
        "time_step": 10,
        "boundaries": [{"group": "ambient", "kind": "adiabatic"}],
        "heat": {"power": 3.0},
    }
    r = run_study("thermal.conduction", spec, m50)
    assert r.scalars["Heat stored [J]"] == pytest.approx(900.0, rel=1e-6)
    c = cell_thermal(m50.cell, m50).cell_heat_capacity
    final = r.series["Mean cell temperature [K]"][-1]
    # the jelly roll's mean lags the whole cell's by the small gradient to the can
    assert final - 298.15 == pytest.approx(900.0 / c, rel=0.02)
    assert r.fields[0].values.shape[1] == r.meshes["design"].points.shape[0]


@pytest.mark.parametrize("scheme", ["bdf2", "backward_euler"])
def test_a_duration_not_a_multiple_of_the_step_stores_the_heat_of_the_duration(m50, scheme):
    # 100 s in 30 s steps: the last step was labelled 100 s but stepped a whole 30 s, and the
    # cell stored 120 J of the 100 J generated (and was 20 % too warm)
    spec = {
        "duration": 100,
        "time_step": 30,
        "scheme": scheme,
        "mesh_size": 4e-3,
        "boundaries": [{"group": "ambient", "kind": "adiabatic"}],
        "heat": {"power": 1.0},
    }
    r = run_study("thermal.conduction", spec, m50)
    assert r.series["Time [s]"][-1] == pytest.approx(100.0)
    assert np.diff(r.series["Time [s]"]).max() <= 30.0
    assert r.scalars["Heat generated [J]"] == pytest.approx(100.0, rel=1e-9)
    assert r.scalars["Heat stored [J]"] == pytest.approx(100.0, rel=1e-6)


def test_cell_in_still_air_follows_the_lumped_solution(m50) -> None:
    h, p, t_end = 10.0, 2.0, 1200.0
    spec = {"duration": t_end, "time_step": 20, "heat": {"power": p},
            "boundaries": [{"group": "ambient", "h": h}]}  # fmt: skip
    r = run_study("thermal.conduction", spec, m50)
    g = m50.cell.geometry
    area = 2 * math.pi * (g.diameter / 2) * g.height + 2 * math.pi * (g.diameter / 2) ** 2
    c = cell_thermal(m50.cell, m50).cell_heat_capacity
    t = r.series["Time [s]"]
    lumped = 298.15 + p / (h * area) * (1 - np.exp(-t * h * area / c))
    rise = r.series["Mean cell temperature [K]"] - 298.15
    assert rise[-1] == pytest.approx(lumped[-1] - 298.15, rel=0.05)
    # radiation with emissivity 0.8, linearised about 298 K, acts as 4.8 W/(m^2 K) more
    boundaries = [{"group": "ambient", "h": h, "emissivity": 0.8}]
    radiating = run_study("thermal.conduction", {**spec, "boundaries": boundaries}, m50)
    h_total = h + 4 * 0.8 * 5.670374419e-8 * 298.15**3
    lumped_r = p / (h_total * area) * (1 - np.exp(-t_end * h_total * area / c))
    rise_r = radiating.series["Mean cell temperature [K]"][-1] - 298.15
    assert rise_r == pytest.approx(lumped_r, rel=0.05) and rise_r < rise[-1]


def test_bad_boundary_and_step_are_refused(m50) -> None:
    with pytest.raises(InputError, match="no surface group 'coolant'"):
        run_study("thermal.conduction", {"boundaries": [{"group": "coolant"}]}, m50)
    with pytest.raises(InputError, match=r"spec\.time_step"):
        run_study("thermal.conduction", {"duration": 5, "time_step": 10}, m50)
    with pytest.raises(InputError, match="target"):
        run_study("thermal.conduction", {"target": "pack"}, m50)
    assert EngineError  # the diverging-solve path is covered in tests/engines


def test_pack_two_way_coupling_shows_cell_to_cell_spread(m50) -> None:
    from cellwright.projects.model import (
        Busbar,
        CoolingPlate,
        ModuleArrangement,
        PackDesign,
        ThermalInterface,
    )

    pack = PackDesign(
        name="4s2p",
        cell="lg-m50",
        series=4,
        parallel=2,
        arrangement=ModuleArrangement(rows=2, columns=4, gap=2e-3),
        busbar=Busbar(width=8e-3, thickness=1e-3, length_per_connection=25e-3),
        cooling_plate=CoolingPlate(channel_count=3, channel_width=6e-3),
        thermal_interface=ThermalInterface(),
    )
    from cellwright.projects.library import Library

    snap = Library.load_builtin().snapshot_for(m50.cell, pack)
    echem = {"parameters": "pybamm:ECM_Example", "c_rate": 1.0, "duration": 300.0}
    spec = {
        "target": "pack",
        "duration": 300,
        "time_step": 10,
        "boundaries": [{"group": "plate_bottom", "h": 500.0}, {"group": "ambient", "h": 5.0}],
        "heat": {"source": "electrochem", "coupling": "two-way", "electrochem": echem},
    }
    r = run_study("thermal.conduction", spec, snap)
    assert r.scalars["Cells"] == 8
    assert r.scalars["Heat generated [J]"] > 0
    assert r.series["Cell temperature spread [K]"][-1] > 0
    one_way = {**spec, "heat": {**spec["heat"], "coupling": "one-way"}}
    r1 = run_study("thermal.conduction", one_way, snap)
    # two-way: the cells warm in the conduction solution, their resistance (ECM_Example's R0
    # falls with temperature) drops, so they make less heat than the one-way run, whose ECM
    # keeps its own lumped temperatures; both runs heat the pack
    assert 0 < r.scalars["Heat generated [J]"] < r1.scalars["Heat generated [J]"]
    assert r.scalars["Maximum temperature [K]"] < r1.scalars["Maximum temperature [K]"]


def test_cell_one_way_coupling_takes_pybamm_heat(m50) -> None:
    from cellwright.engines.electrochem.parameters import parameter_values_for

    echem = {"model": "DFN", "c_rate": 3.0, "initial_soc": 1.0}
    adiabatic = [{"group": "ambient", "kind": "adiabatic"}]
    # backward Euler conserves the energy of a forcing that switches off exactly; BDF2 keeps
    # half a step of the last jump in its two-step memory (0.5 f dt, here ~6 % of the total)
    spec = {"duration": 1500, "time_step": 10, "boundaries": adiabatic, "scheme": "backward_euler",
            "heat": {"source": "electrochem", "electrochem": echem}}  # fmt: skip
    r = run_study("thermal.conduction", spec, m50)
    ref = run_study("electrochem.pybamm", {**echem, "thermal": "lumped"}, m50)
    volume = float(parameter_values_for(m50)["Cell volume [m3]"])
    t = ref.series["Time [s]"]
    pybamm_heat = np.trapezoid(ref.series["Total heat generation [W.m-3]"] * volume, t)
    # the conduction run integrates PyBaMM's heat on its own time grid
    assert r.scalars["Heat generated [J]"] == pytest.approx(pybamm_heat, rel=0.03)
    assert r.scalars["Heat stored [J]"] == pytest.approx(r.scalars["Heat generated [J]"], rel=1e-6)


def test_cell_two_way_coupling_agrees_with_pybamm_lumped_when_the_cell_is_uniform(m50) -> None:
    # PyBaMM's lumped model with Chen2020's h = 10 W/(m^2 K) and the 3D model with h = 10 on
    # every outer face describe the same nearly uniform cell (Bi = 0.09): the two-way run, where
    # PyBaMM follows the 3D temperature, must make the same heat as the one-way run
    echem = {"model": "DFN", "c_rate": 2.0, "initial_soc": 1.0}
    base = {"duration": 300, "time_step": 10, "boundaries": [{"group": "ambient", "h": 10.0}]}
    one = run_study(
        "thermal.conduction", {**base, "heat": {"source": "electrochem", "electrochem": echem}}, m50
    )
    heat = {"source": "electrochem", "coupling": "two-way", "coupling_step": 30.0,
            "electrochem": echem}  # fmt: skip
    two = run_study("thermal.conduction", {**base, "heat": heat}, m50)
    assert two.scalars["Heat generated [J]"] == pytest.approx(
        one.scalars["Heat generated [J]"], rel=0.03
    )
    t1, t2 = one.series["Mean cell temperature [K]"], two.series["Mean cell temperature [K]"]
    assert np.abs(t1 - t2).max() < 0.5
    with pytest.raises(InputError, match="one constant load"):
        run_study("thermal.conduction", {**base, "heat": {**heat, "electrochem": {}}}, m50)


def test_named_point_probes_read_the_field(m50) -> None:
    g = m50.cell.geometry
    core = (g.mandrel_diameter / 2 + 1e-3, 0.0, g.height / 2)  # just outside the mandrel hole
    surface = (g.diameter / 2 - 1e-4, 0.0, g.height / 2)  # in the can wall
    spec = {"duration": 300, "time_step": 10, "heat": {"power": 3.0},
            "probes": {"core": core, "surface": surface}}  # fmt: skip
    r = run_study("thermal.conduction", spec, m50)
    t_core, t_surf = r.series["core temperature [K]"], r.series["surface temperature [K]"]
    # heated inside, cooled outside: the core runs hotter, both within the field's range
    assert t_core[-1] > t_surf[-1] > 298.15
    field = r.fields[0].values[-1]
    assert field.min() - 1e-9 <= t_surf[-1] and t_core[-1] <= field.max() + 1e-9
    with pytest.raises(InputError, match=r"spec\.probes\.outside"):
        run_study("thermal.conduction", {**spec, "probes": {"outside": (1.0, 1.0, 1.0)}}, m50)
