"""thermal coupling: the heat PyBaMM hands to conduction is the whole cell's."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from cellwright.engines.api import Progress, run_study


def test_the_kokam_cell_hands_its_whole_heat_to_conduction() -> None:
    # Ecker2015 is one layer of the 48-layer Kokam: the heat per cell handed to conduction must
    # be the whole cell's. At 1C and half charge I^2 R with the cell's 10 s resistance (5.7 mOhm)
    # is 0.32 W; one layer's share would be 7 mW, 48 layers in one layer's volume 16 W
    from cellwright.engines.thermal.conduction import _with_geometry
    from cellwright.engines.thermal.coupling import electrochemical_heat
    from cellwright.projects.library import Library

    library = Library.load_builtin()
    kokam = library.snapshot_for(library.design_for_cell("kokam-slpb-75106100"))
    steps = ["Rest for 60 seconds", "Discharge at 7.5 A for 10 seconds"]
    spec = {"model": "SPMe", "initial_soc": 0.5, "period": 1, "experiment": steps}
    pulse = run_study("electrochem.pybamm", spec, kokam)
    t, v = pulse.series["Time [s]"], pulse.series["Voltage [V]"]
    resistance = (v[t <= 60][-1] - v[-1]) / 7.5
    assert 4e-3 < resistance < 8e-3
    spec = SimpleNamespace(
        target="cell",
        initial_temperature=298.15,
        heat=SimpleNamespace(coupling="one-way", electrochem={"c_rate": 1.0}),
    )
    heat = electrochemical_heat(spec, _with_geometry(kokam), None, Progress())
    handed = float(heat(1790.0, 1810.0, np.array([298.15]))[0])
    assert handed == pytest.approx(7.5**2 * resistance, rel=0.2)
