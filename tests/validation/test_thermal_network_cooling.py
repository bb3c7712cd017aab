"""``thermal.conduction`` cooled by the plate's coolant network (issue 15).

The coupling must conserve energy: over the run, heat generated in the cells = heat stored +
heat into the coolant + heat to the surroundings, to round-off with backward Euler (whose
discrete balance telescopes exactly); the coolant's enthalpy rise must equal the heat the walls
gave it; and the coolant must warm along the plate so that the cells nearest the outlet see
warmer coolant than those at the inlet.
"""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.api import run_study
from cellwright.engines.cfd.coolants import coolant_for
from cellwright.projects.design.reference_designs import lg_m50
from cellwright.projects.model import InputError
from support.designs import cooled_module


@pytest.fixture(scope="module")
def module(library):
    pack = cooled_module(
        channel_layout="serpentine", channel_count=3, channel_width=6e-3, flow_rate=0.3 / 6e4
    )
    return library.snapshot_for(lg_m50(), pack)


def test_network_cooled_module_conserves_energy(module) -> None:
    spec = {
        "target": "pack",
        "duration": 600.0,
        "time_step": 20.0,
        "scheme": "backward_euler",
        "heat": {"power": 3.0},
        "output_every": 5,
        "cooling": {},
    }
    result = run_study("thermal.conduction", spec, module)
    s = result.scalars
    assert s["Energy balance error [-]"] < 1e-9
    generated = s["Heat generated [J]"]
    assert generated == pytest.approx(8 * 3.0 * 600.0)
    assert s["Heat into coolant [J]"] > 0.2 * generated
    # the coolant's enthalpy rise carries exactly the heat the walls gave it, step by step
    glycol = coolant_for("water-glycol-50")
    mass = s["Coolant total flow rate [m3/s]"] * glycol.density(298.15)
    rise = mass * (
        glycol.enthalpy(result.series["Coolant outlet temperature [K]"][1:])
        - glycol.enthalpy(298.15)
    )
    assert rise == pytest.approx(result.series["Heat into coolant [W]"][1:], rel=1e-9)
    # coolant warms along the serpentine: the pass nearest the outlet is the warmest
    channels = result.tables["coolant branches"]
    outlet_t = channels["Outlet temperature [K]"]
    assert np.all(np.diff(outlet_t[[0, 2, 4]]) > 0)  # passes 1, 2, 3 (u-turns between)
    network = result.field("Coolant temperature [K]")
    assert network.values.shape == (network.times.size, result.meshes["coolant network"].n_points)
    assert any("VDI Heat Atlas" in m for m in result.provenance.methods)


def test_network_cooling_bad_inputs(module, library) -> None:
    base = {"target": "pack", "duration": 60.0, "time_step": 10.0}
    with pytest.raises(InputError, match=r"'channel_walls' is cooled by spec\.cooling"):
        run_study(
            "thermal.conduction",
            {**base, "cooling": {}, "boundaries": [{"group": "channel_walls", "h": 500}]},
            module,
        )
    with pytest.raises(InputError, match=r"spec\.cooling: network cooling needs a pack"):
        run_study(
            "thermal.conduction", {"target": "cell", "cooling": {}}, library.snapshot_for(lg_m50())
        )
    with pytest.raises(InputError, match=r"spec\.cooling\.network"):
        run_study("thermal.conduction", {**base, "cooling": {"network": {"plates": 2}}}, module)
