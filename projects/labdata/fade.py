"""Fade of one run, cycle by cycle: discharge capacity with its trend, and the DC resistance of
each cycle's current steps, for the lab-data viewer's Fade page (computed off the UI thread)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cellwright.projects.labdata import table as t
from cellwright.projects.labdata.table import CyclerTable

__all__ = ["CycleFade", "cycle_fade"]

_MIN_CYCLES_FOR_TREND = 3


@dataclass
class CycleFade:
    """Capacity and resistance per cycle of a run.

    ``cycle``/``capacity_ah`` are the cycles that discharged (an unfinished last cycle's zero
    would squash the axis). ``resistance_cycle``/``resistance_ohm`` are the cycles with a
    current step long enough and the median over their steps of R(``delay_s``); both None when
    the run cannot give one. ``notes`` say why a part is missing. ``fit`` is the
    :class:`~cellwright.projects.labdata.analysis.FadeFit` of the capacities, or None.
    """

    cycle: np.ndarray
    capacity_ah: np.ndarray
    resistance_cycle: np.ndarray | None
    resistance_ohm: np.ndarray | None
    delay_s: float
    fit: object | None
    notes: list[str]


def cycle_fade(
    table: CyclerTable, summary: dict[str, np.ndarray] | None = None, delay_s: float = 10.0
) -> CycleFade:
    """Capacity per cycle (from ``summary``, computed when not given), its fade fit, and the
    DC resistance per cycle when the run has current steps.

    Raises
    ------
    LabDataError
        When the run has no cycles (an impedance spectrum).
    """
    from cellwright.projects.labdata.analysis import capacity_fade, cycle_summary

    summary = summary if summary is not None else cycle_summary(table)
    cycle = np.asarray(summary["cycle"], dtype=float)
    capacity = np.asarray(summary["discharge_capacity_ah"], dtype=float)
    discharged = np.isfinite(capacity) & (capacity > 0)
    notes: list[str] = []
    fit = None
    if np.count_nonzero(discharged) < _MIN_CYCLES_FOR_TREND:
        # two points always fit a line exactly (R² 1): a trend through them said nothing
        notes.append(
            f"no fade trend: {np.count_nonzero(discharged)} discharged cycles, "
            f"{_MIN_CYCLES_FOR_TREND} or more are needed"
        )
    else:
        fit = capacity_fade(summary)
    resistance, why = _resistance_per_cycle(table, cycle, delay_s)
    if why:
        notes.append(why)
        r_cycle = None
    else:
        r_cycle, resistance = cycle[np.isfinite(resistance)], resistance[np.isfinite(resistance)]
    return CycleFade(
        cycle[discharged], capacity[discharged], r_cycle, resistance, delay_s, fit, notes
    )


def _resistance_per_cycle(
    table: CyclerTable, cycles: np.ndarray, delay_s: float
) -> tuple[np.ndarray | None, str]:
    """R(delay) per cycle, and why there is none."""
    from cellwright.projects.labdata.differential import internal_resistance

    needed = (t.TEST_TIME, t.VOLTAGE, t.CURRENT, t.STEP_COUNT, t.CYCLE)
    if table.metadata.get("kind", "timeseries") != "timeseries" or not all(
        c in table for c in needed
    ):
        return None, "no resistance: the run has no time series with steps and cycles"
    time = np.asarray(table[t.TEST_TIME], dtype=float)
    if np.any(np.diff(time) < 0):  # a step's time would name the wrong row
        return None, "no resistance: the run's test time goes backwards"
    steps = internal_resistance(table, delays_s=(delay_s,))
    values = steps[f"resistance_{delay_s:g}s_ohm"]
    # a step's cycle is the cycle of its first row (the step starts at time_second)
    rows = np.clip(np.searchsorted(time, steps["time_second"]), 0, len(time) - 1)
    step_cycle = np.asarray(table[t.CYCLE], dtype=float)[rows]
    out = np.full(len(cycles), np.nan)
    for i, c in enumerate(cycles):
        chosen = values[(step_cycle == c) & np.isfinite(values) & (values > 0)]
        if chosen.size:
            # the median: a cycle's CC, CV and rest steps each give one, and a CV hand-over
            # (a small current change) gives an outlier
            out[i] = float(np.median(chosen))
    if not np.isfinite(out).any():
        return None, f"no resistance: no current step lasts {delay_s:g} s"
    return out, ""
