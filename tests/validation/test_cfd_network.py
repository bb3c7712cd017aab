"""``cfd.network`` against analytic solutions: Poiseuille pressure drops, energy balances, the
exponential coolant temperature of a wall at fixed temperature, an operating point on a pump
curve, an even split in a symmetric manifold and mass balance at every node of plate networks.

Analytic references: Hagen-Poiseuille, Δp = 128 μ L Q / (π D^4) (f Re = 64); plane Poiseuille
between plates a gap h apart, Δp = 12 μ L Q / (w h^3) (f Re = 96 on D_h = 2h); constant wall
temperature, T_out = T_w - (T_w - T_in) exp(-h A / (m c_p)) (Incropera et al. 6th ed., eq.
8.42b).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from cellwright.engines.api import run_study
from cellwright.engines.cfd.coolants import coolant_for
from cellwright.engines.cfd.correlations import Duct, nusselt
from cellwright.projects.design.reference_designs import lg_m50
from cellwright.projects.model import CoolingPlate
from support.designs import pack_96s4p

LMIN = 1 / 6e4  # m^3/s per L/min


def _one_channel(snapshot, spec_extra: dict, **channel) -> dict:
    spec = {
        "coolant": "water",
        "flow_rate": 0.2 * LMIN,
        "inlet_temperature": 300.0,
        "entrance_effects": False,
        "channels": [{"name": "duct", "start": "inlet", "end": "outlet", **channel}],
        **spec_extra,
    }
    return run_study("cfd.network", spec, snapshot)


@pytest.fixture(scope="module")
def any_design(library):
    return library.snapshot_for(library.design_for_cell("lg-m50"))


def test_pipe_poiseuille(any_design) -> None:
    d, length, q = 3e-3, 1.5, 0.2 * LMIN
    result = _one_channel(any_design, {}, shape="circular", diameter=d, length=length)
    mu = coolant_for("water").viscosity(300.0)
    expected = 128 * mu * length * q / (math.pi * d**4)
    assert result.scalars["Pressure drop [Pa]"] == pytest.approx(expected, rel=5e-3)
    row = result.tables["branches"]
    assert row["Darcy friction factor [-]"][0] * row["Reynolds number [-]"][0] == pytest.approx(64)


def test_plane_poiseuille_between_wide_plates(any_design) -> None:
    w, gap, length, q = 0.5, 0.5e-3, 0.4, 0.2 * LMIN
    result = _one_channel(any_design, {}, width=w, height=gap, length=length)
    mu = coolant_for("water").viscosity(300.0)
    expected = 12 * mu * length * q / (w * gap**3)
    assert result.scalars["Pressure drop [Pa]"] == pytest.approx(expected, rel=5e-3)
    row = result.tables["branches"]
    assert row["Darcy friction factor [-]"][0] * row["Reynolds number [-]"][0] == pytest.approx(
        96.0, rel=5e-3
    )


def test_heat_raises_the_coolant_by_its_enthalpy(any_design) -> None:
    result = _one_channel(
        any_design, {}, shape="circular", diameter=4e-3, length=1.0, heat=150.0, segments=25
    )
    water = coolant_for("water")
    mass = 0.2 * LMIN * water.density(300.0)
    t_out = result.scalars["Coolant outlet temperature [K]"]
    ts = np.linspace(300.0, t_out, 2001)
    absorbed = mass * np.trapezoid(water.specific_heat(ts), ts)
    assert absorbed == pytest.approx(150.0, rel=1e-4)
    assert abs(result.scalars["Energy balance error [W]"]) < 1e-9
    profile = result.tables["along flow path"]["Coolant temperature [K]"]
    assert np.all(np.diff(profile) > 0)  # uniform heat: the coolant warms all along


def test_wall_at_fixed_temperature_gives_the_exponential_outlet(any_design) -> None:
    d, length, t_wall = 4e-3, 0.8, 330.0
    result = _one_channel(
        any_design,
        {"wall_condition": "temperature"},
        shape="circular",
        diameter=d,
        length=length,
        wall_temperature=t_wall,
        segments=40,
    )
    water = coolant_for("water")
    t_out = result.scalars["Coolant outlet temperature [K]"]
    t_mean = (300.0 + t_out) / 2  # constant properties at the mean bulk temperature
    re = water.density(t_mean) * (0.2 * LMIN / (math.pi * d**2 / 4)) * d / water.viscosity(t_mean)
    nu = nusselt(Duct("circular", length, diameter=d), re, water.prandtl(t_mean), "temperature")
    h_mean = nu.value * water.conductivity(t_mean) / d
    m_cp = 0.2 * LMIN * water.density(300.0) * water.specific_heat(t_mean)
    expected = t_wall - (t_wall - 300.0) * math.exp(-h_mean * math.pi * d * length / m_cp)
    assert t_out == pytest.approx(expected, abs=0.05)


def test_operating_point_of_a_linear_pump_on_a_laminar_pipe(any_design) -> None:
    d, length = 3e-3, 2.0
    shutoff, q_max = 5e3, 1.0 * LMIN
    result = _one_channel(
        any_design,
        {"pump_curve": [[0.0, shutoff], [q_max, 0.0]]},
        shape="circular",
        diameter=d,
        length=length,
    )
    resistance = 128 * coolant_for("water").viscosity(300.0) * length / (math.pi * d**4)
    expected = shutoff / (resistance + shutoff / q_max)
    assert result.scalars["Total flow rate [m3/s]"] == pytest.approx(expected, rel=1e-6)
    assert result.scalars["Pressure drop [Pa]"] == pytest.approx(resistance * expected, 1e-6)


def test_symmetric_manifold_splits_the_flow_evenly(any_design) -> None:
    def pipe(name, start, end, **kw):
        return {
            "name": name,
            "start": start,
            "end": end,
            "shape": "circular",
            "diameter": 6e-3,
            "length": 0.1,
            **kw,
        }

    channels = [pipe("feed", "inlet", "hub"), pipe("drain", "sink", "outlet")]
    for side in ("a", "b"):
        channels += [pipe(f"header {side}", "hub", side, fittings=[{"kind": "bend"}])]
        for k in (1, 2):
            channels += [
                pipe(
                    f"channel {side}{k}",
                    side,
                    f"{side}{k}",
                    diameter=3e-3,
                    length=0.4,
                    parallel_channel=True,
                    heat=20.0,
                ),
                pipe(f"return {side}{k}", f"{side}{k}", "sink"),
            ]
    spec = {"coolant": "water-glycol-50", "flow_rate": 3 * LMIN, "channels": channels}
    result = run_study("cfd.network", spec, any_design)
    share = result.tables["channels"]["Flow share [-]"]
    assert share == pytest.approx(np.full(4, 0.25), rel=1e-9)
    assert result.scalars["Channel flow maldistribution (max/min) [-]"] == pytest.approx(1.0)
    assert result.scalars["Heat into coolant [W]"] == pytest.approx(80.0)


@pytest.mark.parametrize(
    ("layout", "arrangement"), [("parallel", "Z"), ("parallel", "U"), ("serpentine", "Z")]
)
def test_mass_balance_closes_at_every_node_of_a_plate(library, layout, arrangement) -> None:
    plate = CoolingPlate(
        channel_layout=layout,
        channel_count=16,
        channel_width=6e-3,
        manifold_width=12e-3,
        flow_arrangement=arrangement,
        flow_rate=6 * LMIN,
    )
    pack = pack_96s4p().model_copy(update={"cooling_plate": plate})
    result = run_study("cfd.network", {"heat_per_cell": 1.0}, library.snapshot_for(lg_m50(), pack))
    mesh = result.meshes["network"]
    lines = mesh.cells["line"]
    flows = result.field("Flow rate [m3/s]").values[0]
    net_out = np.zeros(mesh.n_points)
    np.add.at(net_out, lines[:, 0], flows)
    np.add.at(net_out, lines[:, 1], -flows)
    total = result.scalars["Total flow rate [m3/s]"]
    inlet, outlet = np.argmax(net_out), np.argmin(net_out)
    assert net_out[inlet] == pytest.approx(total, rel=1e-12)
    assert net_out[outlet] == pytest.approx(-total, rel=1e-12)
    others = np.delete(net_out, [inlet, outlet])
    assert np.max(np.abs(others)) < 1e-12 * total
    assert result.scalars["Heat into coolant [W]"] == pytest.approx(384.0)
    assert abs(result.scalars["Energy balance error [W]"]) < 1e-8


@pytest.mark.parametrize("entrance", [False, True])
def test_a_pump_curve_crossing_the_transition_meets_the_system_curve(any_design, entrance):
    """A pump that delivers its pressure rise between the laminar and transitional friction at
    Re = 2300 (5 mm pipe, 0.5 m): the friction jumped there (+11 % fully developed, -21 % with
    the entrance), the operating-point search settled on the jump, and the reported pressure
    drop differed from the pump's rise by 3 %. Blended friction gives a true operating point."""
    d, length = 5e-3, 0.5
    water = coolant_for("water")
    rho, mu = float(water.density(300.0)), float(water.viscosity(300.0))
    q_2300 = 2300 * mu / (rho * d) * math.pi * d**2 / 4
    rise = 227.0 if not entrance else 270.0  # inside the old jump: 215-239 Pa, 239-303 Pa
    curve = [[0.0, rise * 1.05], [3 * q_2300, rise * 0.95]]
    result = _one_channel(
        any_design,
        {"pump_curve": curve, "entrance_effects": entrance},
        shape="circular",
        diameter=d,
        length=length,
    )
    q = result.scalars["Total flow rate [m3/s]"]
    pump = np.interp(q, [p[0] for p in curve], [p[1] for p in curve])
    assert result.scalars["Pressure drop [Pa]"] == pytest.approx(pump, rel=1e-6)
    re = result.tables["branches"]["Reynolds number [-]"][0]
    # fully developed, the rise lies between the two ends of the transition; with the entrance,
    # the old pressure drop fell from 303 to 239 Pa at Re 2300 and met this pump at Re 2397 on
    # the falling branch: now it rises throughout and the one crossing is laminar
    assert 2300 < re < 4000 if not entrance else 2000 < re < 2300
