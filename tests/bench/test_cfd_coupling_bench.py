"""Cost of network cooling in a pack thermal study (issue 15: <= 1.3x the same study with a
fixed h on the channel walls).

A 12s4p module of 21700 cells on a parallel 8-channel plate (Z-fed, 3 L/min of ethylene
glycol-water), driven for an hour through US06 (six times over) by the pack ECM with two-way
electro-thermal coupling, 10 s conduction steps. Timed: the whole study (meshing, ECM,
conduction, and for the coupled run the coolant network at every step), each run once, the
network's coolant tables built before (CoolProp's one-off import is not the coupling's cost).
"""

from __future__ import annotations

import time

import pytest

from cellwright.engines.api import run_study
from cellwright.engines.cfd.coolants import coolant_for
from cellwright.projects.design.reference_designs import lg_m50
from support.designs import cooled_module

pytestmark = pytest.mark.bench


def test_network_cooling_cost_against_fixed_h(library) -> None:
    pack = cooled_module(
        12,
        4,
        channel_layout="parallel",
        channel_count=8,
        channel_width=6e-3,
        manifold_width=10e-3,
        flow_rate=3 / 6e4,
    )
    plate = pack.cooling_plate
    snapshot = library.snapshot_for(lg_m50(), pack)
    echem = {
        "parameters": "pybamm:ECM_Example",
        "profile_file": "US06",
        "profile_scale": 80.0,
        "repeat": 6,
        "dt": 1.0,
        "initial_soc": 0.9,
    }
    base = {
        "target": "pack",
        "duration": 3600.0,
        "time_step": 10.0,
        "output_every": 30,
        "heat": {"source": "electrochem", "coupling": "two-way", "electrochem": echem},
    }
    fixed = {
        **base,
        "boundaries": [
            {"group": "channel_walls", "h": 1000.0, "ambient": 298.15},
            {"group": "ambient", "h": 5.0},
        ],
    }
    cooled = {**base, "cooling": {}}
    coolant_for(plate.coolant)
    began = time.perf_counter()
    with_h = run_study("thermal.conduction", fixed, snapshot)
    fixed_seconds = time.perf_counter() - began
    began = time.perf_counter()
    with_network = run_study("thermal.conduction", cooled, snapshot)
    network_seconds = time.perf_counter() - began
    s = with_network.scalars
    ratio = network_seconds / fixed_seconds
    print(
        f"\n12s4p, 1 h of US06, two-way ECM: fixed h {fixed_seconds:.1f} s, network cooling "
        f"{network_seconds:.1f} s: {ratio:.2f}x (goal <= 1.3x); {s['Tetrahedra']:.0f} tets; "
        f"coolant {s['Coolant pressure drop [Pa]'] / 1e3:.1f} kPa, outlet up to "
        f"{s['Maximum coolant outlet temperature [K]'] - 273.15:.2f} degC, peak cell "
        f"{s['Maximum temperature [K]'] - 273.15:.1f} degC (fixed h: "
        f"{with_h.scalars['Maximum temperature [K]'] - 273.15:.1f}); energy balance error "
        f"{s['Energy balance error [-]']:.1e}"
    )
    assert s["Energy balance error [-]"] < 1e-2
