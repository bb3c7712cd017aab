"""Cycles counted where the file has no cycle column, and the coulombic efficiency of a cycle
that starts with a discharge (a half cell lithiated first): synthetic CC traces with known
capacities, and the corpus's half-cell files."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.labdata import cycle_summary, read_cycler_file
from cellwright.projects.labdata import table as t
from cellwright.projects.labdata.finish import derive_cycle_count, finish
from support.paths import CORPUS


def cc_trace(
    halves: list[tuple[float, float]], current: float = 1e-3, dt: float = 10.0, volts0=3.0
):
    """Columns of CC half cycles ``(sign, capacity in A.h)`` with a 10-minute rest after each:
    the capacities come back exactly from the trapezoid rule."""
    times, amps, volts = [np.array([0.0])], [np.array([0.0])], [np.array([volts0])]
    clock = 0.0
    for sign, capacity in halves:
        duration = capacity / current * 3600.0
        for value, length in ((sign * current, duration), (0.0, 600.0)):
            n = round(length / dt)
            local = clock + np.arange(1, n + 1) * (length / n)
            times.append(local)
            amps.append(np.full(n, value))
            volts.append(np.full(n, volts0 + 0.1 * np.sign(value)))
            clock = local[-1]
    return {
        t.TEST_TIME: np.concatenate(times),
        t.VOLTAGE: np.concatenate(volts),
        t.CURRENT: np.concatenate(amps),
    }


def test_cycles_counted_from_the_direction_when_the_file_has_none(tmp_path):
    """Lithiation, delithiation, lithiation, delithiation of a graphite half cell, written
    without a cycle column: two cycles, each a discharge and its charge (was one cycle of all
    four halves, its efficiency the sum of the discharges over the sum of the charges)."""
    columns = cc_trace([(-1, 1.0e-3), (1, 0.8e-3), (-1, 0.82e-3), (1, 0.8e-3)])
    metadata: dict = {"format": "bdf_csv"}
    table = finish(columns, metadata, tmp_path / "half.csv")
    summary = cycle_summary(table)
    assert summary["cycle"].tolist() == [1.0, 2.0]
    assert summary["discharge_capacity_ah"] == pytest.approx([1.0e-3, 0.82e-3], rel=1e-3)
    assert summary["charge_capacity_ah"] == pytest.approx([0.8e-3, 0.8e-3], rel=1e-3)
    assert "cycles counted from the current's direction" in metadata["notes"]


def test_half_cell_lithiated_first_efficiency_is_delithiation_over_lithiation(tmp_path):
    """The first cycle of a graphite half cell (0.2 V) lithiated first loses 20 % to the SEI:
    its coulombic efficiency is 0.8 (what came back over what went in), not the 1.25 that
    discharge over charge gave; a full cell's cycle (charge first) keeps discharge over charge,
    and so does one its cycler counts from a discharge (0.998, not the inverse)."""
    half_trace = cc_trace([(-1, 1.0e-3), (1, 0.8e-3)], volts0=0.2)
    half = cycle_summary(finish(half_trace, {}, tmp_path / "half.csv"))
    assert half["coulombic_efficiency"] == pytest.approx([0.8], rel=1e-3)
    full = cycle_summary(finish(cc_trace([(1, 1.0e-3), (-1, 0.8e-3)]), {}, tmp_path / "full.csv"))
    assert full["coulombic_efficiency"] == pytest.approx([0.8], rel=1e-3)
    counted = cycle_summary(
        finish(cc_trace([(-1, 0.998e-3), (1, 1.0e-3)], volts0=3.7), {}, tmp_path / "f.csv")
    )
    assert counted["coulombic_efficiency"] == pytest.approx([0.998], rel=1e-4)


def test_a_partial_first_discharge_is_cycle_zero():
    """A discharge from the rest voltage to the lower cut-off before the first full charge
    (a fifth of a full half) is a preparation, cycle 0, and the cycles start with the charge."""
    columns = cc_trace([(-1, 0.2e-3), (1, 1.0e-3), (-1, 0.95e-3), (1, 1.0e-3), (-1, 0.95e-3)])
    cycle = derive_cycle_count(columns[t.CURRENT], columns[t.TEST_TIME])
    assert np.unique(cycle).tolist() == [0.0, 1.0, 2.0]
    charging = columns[t.CURRENT] > 0
    assert np.unique(cycle[charging]).tolist() == [1.0, 2.0]


def test_a_pulse_or_a_rest_offset_starts_no_cycle():
    """A 10 s pulse the other way inside a charge, and a rest's offset current of either
    sign, split nothing."""
    columns = cc_trace([(1, 1.0e-3), (-1, 0.003e-3), (1, 0.2e-3), (-1, 1.0e-3)])
    columns[t.CURRENT] = columns[t.CURRENT] + np.where(columns[t.CURRENT] == 0, 1e-7, 0.0)
    assert np.unique(derive_cycle_count(columns[t.CURRENT], columns[t.TEST_TIME])).tolist() == [1.0]


def corpus_file(name: str):
    found = sorted(CORPUS.rglob(name)) if CORPUS.is_dir() else []
    if not found:
        pytest.skip(f"{name} not found in the cycler corpus at {CORPUS} (set CELLWRIGHT_CORPUS)")
    return found[0]


def test_biologic_gcpl_without_cycle_numbers_counts_its_cycles():
    """navani's .mpr of a five-cycle GCPL (2-3.8 V) holds half cycles, no cycle numbers: a
    partial discharge to 2 V (half cycle 0), then six charge/discharge cycles (was one cycle,
    efficiency 0.95 of every half summed). Counted from the half cycles as EC-Lab does, and
    the same as from the current's direction."""
    from cellwright.projects.labdata.finish import derive_cycle_count

    table = read_cycler_file(corpus_file("jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr"))
    derived = derive_cycle_count(table[t.CURRENT], table[t.TEST_TIME])
    assert np.unique(derived).tolist() == np.unique(table[t.CYCLE]).tolist()
    summary = cycle_summary(table)
    assert summary["cycle"].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert np.isnan(summary["coulombic_efficiency"][0])
    efficiency = summary["coulombic_efficiency"][1:]
    assert ((efficiency > 0.8) & (efficiency < 1.0)).all()


def test_landt_half_cell_first_efficiency_below_one():
    """SINTEF's Li/graphite coin cell (BDF, no cycle column) is lithiated first: its first
    cycle's efficiency is delithiation over lithiation, about a half (was 2.4)."""
    summary = cycle_summary(
        read_cycler_file(corpus_file("SINTEF__LiGrR2032__2024-04-30__25degC__Landt.bdf.csv"))
    )
    assert summary["cycle"][0] == 1.0
    assert 0.3 < summary["coulombic_efficiency"][0] < 1.0
