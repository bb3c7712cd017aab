"""Capacity and DC resistance per cycle for the lab-data viewer's Fade page."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.labdata import table as t
from cellwright.projects.labdata.fade import cycle_fade
from cellwright.projects.labdata.table import CyclerTable, LabDataError


def _cycled(resistances: list[float], unfinished: bool = True) -> CyclerTable:
    """Per cycle: 60 s rest at 3.95 V, 600 s at -1 A with an ohmic drop of R, 10 s rest; with
    ``unfinished`` a last cycle that only rests (no discharge)."""
    time, volt, cur, cyc, step = [], [], [], [], []
    t0, s = 0.0, 0
    for n, r in enumerate(resistances, start=1):
        for phase, (length, amps) in enumerate(((60, 0.0), (600, -1.0), (10, 0.0))):
            s += 1
            for k in range(length):
                time.append(t0 + k)
                cur.append(amps)
                volt.append(3.95 - r if phase == 1 else 3.95)
                cyc.append(n)
                step.append(s)
            t0 += length
    if unfinished:
        s += 1
        for k in range(30):
            time.append(t0 + k), cur.append(0.0), volt.append(3.95)
            cyc.append(len(resistances) + 1), step.append(s)
    cols = {
        t.TEST_TIME: time,
        t.VOLTAGE: volt,
        t.CURRENT: cur,
        t.CYCLE: cyc,
        t.STEP_COUNT: step,
    }
    return CyclerTable({k: np.asarray(v, dtype=float) for k, v in cols.items()}, {})


def test_resistance_is_the_ohmic_step_of_each_cycle_and_capacity_skips_the_unfinished():
    fade = cycle_fade(_cycled([0.05, 0.06, 0.07]))
    assert fade.cycle.tolist() == [1.0, 2.0, 3.0]  # cycle 4 only rested: no zero point
    assert np.allclose(fade.capacity_ah, 600 / 3600, rtol=1e-2)
    # R(10 s) = (V(t0+10) - V(t0-)) / dI at the load step and at the rest after it
    assert fade.resistance_cycle.tolist() == [1.0, 2.0, 3.0]
    assert np.allclose(fade.resistance_ohm, [0.05, 0.06, 0.07])
    assert fade.fit is not None and fade.notes == []


def test_without_steps_there_is_no_resistance_and_the_note_says_why():
    table = _cycled([0.05, 0.06])
    del table.columns[t.STEP_COUNT]
    fade = cycle_fade(table)
    assert fade.resistance_ohm is None and fade.resistance_cycle is None
    assert any("no resistance" in n for n in fade.notes)


def test_steps_shorter_than_the_delay_give_no_resistance():
    fade = cycle_fade(_cycled([0.05, 0.06]), delay_s=5000)
    assert fade.resistance_ohm is None
    assert "no current step lasts 5000 s" in " ".join(fade.notes)


@pytest.mark.parametrize("cycles", [1, 2])
def test_fewer_than_three_cycles_have_points_but_no_trend(cycles):
    """Two points fit a line exactly (R² 1): the trend said nothing and its 80 % cycle was
    before the first cycle."""
    fade = cycle_fade(_cycled([0.05] * cycles, unfinished=False))
    assert fade.fit is None and len(fade.cycle) == cycles
    assert fade.notes[0].startswith(f"no fade trend: {cycles} discharged cycles")


def test_an_impedance_spectrum_has_no_cycles():
    table = CyclerTable(
        {t.FREQUENCY: np.array([1.0, 10.0]), t.Z_REAL: np.ones(2), t.Z_IMAG: -np.ones(2)},
        {"kind": "impedance"},
    )
    with pytest.raises(LabDataError):
        cycle_fade(table)
