"""Cycling analysis on a :class:`CyclerTable`: steps, per-cycle summary, fade trend.

Capacities and energies are recomputed by integrating the current/power trace (trapezoid
rule) rather than trusting each vendor's capacity columns, whose reset rules differ
(per step, per cycle, per half cycle).  BDF sign convention: I > 0 charges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from cellwright.projects.labdata import table as t
from cellwright.projects.labdata.table import CyclerTable, LabDataError

SECONDS_PER_HOUR = 3600.0


def _require_timeseries(table: CyclerTable) -> None:
    kind = table.metadata.get("kind", "timeseries")
    if kind != "timeseries":
        what = "an impedance spectrum" if kind == "impedance" else f"a {kind} table"
        raise LabDataError(
            f"{table.metadata.get('source', 'table')}: {what}, not a time record of charge "
            "and discharge: nothing to summarise as cycles, no dQ/dV or resistance from it"
        )


#: EC-Lab technique names of a potential sweep: the current follows the potential, and a
#: "cycle" is a sweep up and down, not a charge and its discharge
_VOLTAMMETRY = re.compile(r"\b(CV|CVA|LSV)\b|voltammetry", re.IGNORECASE)


def require_cycling(table: CyclerTable) -> None:
    """Refuse, with what the record is, a table with no charge/discharge cycles to summarise:
    an impedance spectrum, a voltammetry (CV, LSV: ``labdata summary`` printed an "efficiency"
    of 992 for a linear sweep) or a record without current (an OCV). The window still opens
    such runs on their curves; this is for the commands that print cycle statistics."""
    source = table.metadata.get("source", "table")
    if table.metadata.get("kind") == "cycle_summary":
        return
    _require_timeseries(table)
    technique = str(table.metadata.get("technique") or "")
    if _VOLTAMMETRY.search(technique):
        raise LabDataError(
            f"{source}: a voltammetry record ({technique}): the current follows a potential "
            "sweep, nothing to summarise as charge/discharge cycles"
        )
    if not (np.abs(np.nan_to_num(table[t.CURRENT])) > 0).any():
        what = f" ({technique})" if technique else ""
        raise LabDataError(
            f"{source}: no current flows in this record{what}: nothing to summarise as cycles"
        )


def interval_charge(table: CyclerTable) -> tuple[np.ndarray, np.ndarray]:
    """Charge (Ah) and energy (Wh) passed in each sample interval, signed like the current.

    Trapezoid rule on I(t) and I(t)V(t); interval k runs from row k to row k+1.
    """
    time = table[t.TEST_TIME]
    dt = np.diff(time)
    dt = np.where(np.isfinite(dt) & (dt > 0), dt, 0.0)  # time resets/gaps add nothing
    current = np.nan_to_num(table[t.CURRENT])
    power = current * np.nan_to_num(table[t.VOLTAGE])
    charge = 0.5 * (current[1:] + current[:-1]) * dt / SECONDS_PER_HOUR
    energy = 0.5 * (power[1:] + power[:-1]) * dt / SECONDS_PER_HOUR
    return charge, energy


def cycle_summary(table: CyclerTable) -> dict[str, np.ndarray]:
    """One row per cycle: capacity, energy, efficiencies, voltage and temperature stats.

    Returns
    -------
    dict of equal-length arrays: ``cycle``, ``charge_capacity_ah``,
    ``discharge_capacity_ah``, ``charge_energy_wh``, ``discharge_energy_wh``,
    ``coulombic_efficiency`` (discharge/charge Ah, as cyclers and BatteryArchive give it; for
    a negative electrode against lithium, :data:`HALF_CELL_VOLTAGE`, a cycle that starts with a
    discharge gives charge/discharge: delithiation over lithiation), ``energy_efficiency`` (the
    same in Wh; both NaN for a cycle that only charges or only discharges),
    ``min/max/mean_voltage_volt``, ``min/max/mean_temperature_celsius`` (NaN without a
    temperature column), ``start_time_second``, ``end_time_second``, ``duration_second``
    (test time at the cycle's first and last sample).

    A table that already is a per-cycle summary (``kind == "cycle_summary"``, e.g. a
    BatteryArchive ``*_cycle_data.csv``) gives its own rows under these names: what it does not
    hold is NaN, and the efficiencies are computed from its capacities and energies; where
    the file labels its reference capacity checks (INL's ``Cycle_Label``), ``reference_cycle``
    is 1.0 on those and 0.0 on the others.
    """
    if table.metadata.get("kind") == "cycle_summary":
        return _stored_summary(table)
    _require_timeseries(table)
    if len(table) < 2:
        raise LabDataError(f"{table.metadata.get('source', 'table')}: fewer than 2 rows")
    cycles, group = _cycle_groups(np.nan_to_num(table[t.CYCLE], nan=-1.0))
    n = len(cycles)
    charge, energy = interval_charge(table)
    end_group = group[1:]  # an interval belongs to the cycle of its end sample

    def per_cycle(values: np.ndarray) -> np.ndarray:
        return np.bincount(end_group, weights=values, minlength=n)

    out: dict[str, np.ndarray] = {"cycle": cycles}
    out["charge_capacity_ah"] = per_cycle(np.clip(charge, 0, None))
    out["discharge_capacity_ah"] = per_cycle(np.clip(-charge, 0, None))
    # an interval's energy goes to the side its charge goes: where the current changes sign
    # within an interval the trapezoids of I and I·V can differ in sign, and a cycle with no
    # charge at all got 4e-12 W.h of "charge energy" (an energy efficiency of 7e7)
    out["charge_energy_wh"] = per_cycle(np.where(charge > 0, np.clip(energy, 0, None), 0.0))
    out["discharge_energy_wh"] = per_cycle(np.where(charge < 0, np.clip(-energy, 0, None), 0.0))
    # what came back over what went in: a half cell lithiated first (graphite against lithium)
    # discharges, then charges, and its first cycle's discharge over charge came out at 1.9
    # where its efficiency (delithiation over lithiation) is 0.5. A full cell keeps discharge
    # over charge, whichever half its cycler counts a cycle from
    first_in = _discharge_first(table[t.CURRENT], group, n) & _negative_half_cell(table)
    went_in = np.where(first_in, out["discharge_capacity_ah"], out["charge_capacity_ah"])
    came_out = np.where(first_in, out["charge_capacity_ah"], out["discharge_capacity_ah"])
    out["coulombic_efficiency"] = efficiency(came_out, went_in)
    energy_in = np.where(first_in, out["discharge_energy_wh"], out["charge_energy_wh"])
    energy_out = np.where(first_in, out["charge_energy_wh"], out["discharge_energy_wh"])
    out["energy_efficiency"] = efficiency(energy_out, energy_in)
    out.update(_group_stats(table[t.VOLTAGE], group, n, "voltage_volt"))
    temperature = _temperature(table)
    out.update(_group_stats(temperature, group, n, "temperature_celsius"))
    start = _group_stats(table[t.TEST_TIME], group, n, "time")
    out["start_time_second"] = start["min_time"]
    out["end_time_second"] = start["max_time"]
    out["duration_second"] = start["max_time"] - start["min_time"]
    return out


#: a run whose working voltage has a median below this is a negative electrode against lithium
#: (graphite, silicon, hard carbon 0–1.5 V; LTO 1.55 V) rather than a full cell (the lowest,
#: LTO/LFP, works at about 1.85 V: LFP's 3.43 V less LTO's 1.55 V against lithium)
HALF_CELL_VOLTAGE = 1.7


def _negative_half_cell(table: CyclerTable) -> bool:
    """Whether the run is of a negative electrode against lithium: the median voltage while a
    current flows (above 1 % of the largest) is below :data:`HALF_CELL_VOLTAGE`."""
    current = np.nan_to_num(np.asarray(table[t.CURRENT], dtype=float))
    voltage = np.asarray(table[t.VOLTAGE], dtype=float)
    scale = float(np.abs(current).max(initial=0.0))
    working = (np.abs(current) > 0.01 * scale) & np.isfinite(voltage)
    if scale == 0 or not working.any():
        return False
    return bool(np.median(voltage[working]) < HALF_CELL_VOLTAGE)


def _discharge_first(current: np.ndarray, group: np.ndarray, n: int) -> np.ndarray:
    """Whether each cycle's first working current (above 1 % of the run's largest, so a rest's
    offset does not count) discharges."""
    current = np.nan_to_num(current)
    scale = float(np.abs(current).max(initial=0.0))
    working = np.flatnonzero(np.abs(current) > 0.01 * scale) if scale > 0 else np.zeros(0, int)
    first = np.full(n, len(current))
    np.minimum.at(first, group[working], working)
    found = first < len(current)
    out = np.zeros(n, dtype=bool)
    out[found] = current[first[found]] < 0
    return out


#: a side of a cycle below this fraction of the other side is no half cycle but noise (a rest's
#: offset current, a sign change inside one interval): efficiency needs both halves
MIN_HALF_CYCLE_FRACTION = 1e-3


def efficiency(out_side: np.ndarray, in_side: np.ndarray) -> np.ndarray:
    """Per-cycle efficiency ``out_side / in_side`` (discharge over charge, Ah or Wh).

    A cycle that only charges (or only discharges) has no efficiency: NaN, not 0 (nor the
    1e4 that a rest's offset current under a lone discharge would give). Missing values
    (NaN) stay NaN.
    """
    out_side = np.asarray(out_side, dtype=float)
    in_side = np.asarray(in_side, dtype=float)
    larger = np.fmax(out_side, in_side)
    both = (np.fmin(out_side, in_side) > MIN_HALF_CYCLE_FRACTION * larger) & (larger > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(both, out_side / np.where(both, in_side, 1.0), np.nan)


#: summary key -> the column of a stored per-cycle summary it is read from
_STORED = {
    "charge_capacity_ah": t.CHARGE_CAPACITY,
    "discharge_capacity_ah": t.DISCHARGE_CAPACITY,
    "charge_energy_wh": t.CHARGE_ENERGY,
    "discharge_energy_wh": t.DISCHARGE_ENERGY,
}


def _stored_summary(table: CyclerTable) -> dict[str, np.ndarray]:
    """:func:`cycle_summary`'s dict from a table that holds one row per cycle already."""
    n = len(table)
    if n == 0:
        raise LabDataError(f"{table.metadata.get('source', 'table')}: no cycles")

    def column(name: str) -> np.ndarray:
        return np.asarray(table[name], dtype=float) if name in table else np.full(n, np.nan)

    cycle = column(t.CYCLE)
    out: dict[str, np.ndarray] = {"cycle": np.where(np.isfinite(cycle), cycle, np.arange(1, n + 1))}
    out.update({key: column(name) for key, name in _STORED.items()})
    out["coulombic_efficiency"] = efficiency(
        out["discharge_capacity_ah"], out["charge_capacity_ah"]
    )
    out["energy_efficiency"] = efficiency(out["discharge_energy_wh"], out["charge_energy_wh"])
    for stat in ("min", "max", "mean"):
        out[f"{stat}_voltage_volt"] = column(f"{stat}_{t.VOLTAGE}")
    for stat in ("min", "max", "mean"):
        out[f"{stat}_temperature_celsius"] = column(f"{stat}_temperature_celsius")
    # the test time at a cycle's start or end, where the reader knew which its file gives
    # (BatteryArchive's Test_Time: the end; INL's tsecs_start and tsecs_end); else NaN
    out["start_time_second"] = column(t.CYCLE_START_TIME)
    out["end_time_second"] = column(t.CYCLE_END_TIME)
    out["duration_second"] = out["end_time_second"] - out["start_time_second"]
    if t.REFERENCE_CYCLE in table:
        out["reference_cycle"] = column(t.REFERENCE_CYCLE)
    return out


def _temperature(table: CyclerTable) -> np.ndarray:
    for name in (t.SURFACE_TEMPERATURE, t.AMBIENT_TEMPERATURE):
        if name in table and np.isfinite(table[name]).any():
            return table[name]
    return np.full(len(table), np.nan)


def _cycle_groups(cycle: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct cycle numbers (sorted) and each row's index among them, as
    ``np.unique(cycle, return_inverse=True)``; without its sort when the cycles never go back,
    as a test records them."""
    step = np.diff(cycle)
    if not (step >= 0).all():
        return np.unique(cycle, return_inverse=True)
    new = np.concatenate(([True], step > 0))
    return cycle[new], np.cumsum(new) - 1


def _group_stats(values: np.ndarray, group: np.ndarray, n: int, suffix: str) -> dict:
    finite = np.isfinite(values)
    if not finite.any():
        empty = np.full(n, np.nan)
        return {
            f"min_{suffix}": empty,
            f"max_{suffix}": empty.copy(),
            f"mean_{suffix}": empty.copy(),
        }
    count = np.bincount(group[finite], minlength=n).astype(float)
    total = np.bincount(group[finite], weights=values[finite], minlength=n)
    if len(group) < 2 or (np.diff(group) >= 0).all():
        # rows of a cycle together (the common case): one reduction per run of rows instead
        # of ufunc.at, ~20x slower per element; fmin/fmax skip the NaN cells
        starts = np.flatnonzero(np.concatenate(([True], np.diff(group) > 0)))
        low = np.full(n, np.inf)
        high = np.full(n, -np.inf)
        low[group[starts]] = np.fmin.reduceat(values, starts)
        high[group[starts]] = np.fmax.reduceat(values, starts)
    else:
        low = np.full(n, np.inf)
        high = np.full(n, -np.inf)
        np.minimum.at(low, group[finite], values[finite])
        np.maximum.at(high, group[finite], values[finite])
    empty = count == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(empty, np.nan, total / count)
    return {
        f"min_{suffix}": np.where(empty, np.nan, low),
        f"max_{suffix}": np.where(empty, np.nan, high),
        f"mean_{suffix}": mean,
    }


def equivalent_full_cycles(table: CyclerTable, nominal_capacity_ah: float) -> float:
    """Total charge throughput / (2 x nominal capacity), the usual EFC definition
    (e.g. Schmalstieg et al., J. Power Sources 257 (2014) 325, Sec. 2)."""
    if not nominal_capacity_ah > 0:
        raise LabDataError(f"nominal_capacity_ah must be > 0, got {nominal_capacity_ah}")
    charge, _ = interval_charge(table)
    return float(np.abs(charge).sum() / (2.0 * nominal_capacity_ah))


def detect_steps(
    table: CyclerTable,
    *,
    rest_fraction: float = 0.01,
    pulse_max_s: float = 30.0,
    cv_tolerance_v: float = 0.005,
    cc_tolerance: float = 0.02,
) -> dict[str, np.ndarray]:
    """Split the trace into steps (by ``step_count``) and classify each.

    ``rest``: |I| below ``rest_fraction`` x max|I|.  ``pulse``: non-rest shorter than
    ``pulse_max_s``.  ``CC``: current spread within ``cc_tolerance`` of its mean.  ``CV``:
    voltage spread within ``cv_tolerance_v`` while the current varies.  Otherwise ``other``.
    Returns arrays ``step_count``, ``start_row``, ``end_row`` (exclusive), ``kind``,
    ``mean_current_ampere``, ``duration_second``.
    """
    _require_timeseries(table)
    steps = table[t.STEP_COUNT]
    boundaries = np.flatnonzero(np.diff(steps) != 0) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(steps)]))
    current, voltage, time = table[t.CURRENT], table[t.VOLTAGE], table[t.TEST_TIME]
    scale = max(float(np.nanmax(np.abs(current))), 1e-12)
    kinds, means, durations = [], [], []
    for start, end in zip(starts, ends, strict=True):
        i_seg, v_seg = current[start:end], voltage[start:end]
        mean = float(np.nanmean(i_seg))
        duration = float(time[end - 1] - time[start])
        kinds.append(
            _classify(
                i_seg,
                v_seg,
                mean,
                duration,
                scale,
                rest_fraction,
                pulse_max_s,
                cv_tolerance_v,
                cc_tolerance,
            )
        )
        means.append(mean)
        durations.append(duration)
    return {
        "step_count": steps[starts],
        "start_row": starts,
        "end_row": ends,
        "kind": np.array(kinds),
        "mean_current_ampere": np.array(means),
        "duration_second": np.array(durations),
    }


def _classify(i_seg, v_seg, mean, duration, scale, rest_fraction, pulse_max_s, cv_tol, cc_tol):
    if np.nanmax(np.abs(i_seg)) < rest_fraction * scale:
        return "rest"
    if duration < pulse_max_s:
        return "pulse"
    body = i_seg[len(i_seg) // 10 :] if len(i_seg) > 10 else i_seg  # skip the switching edge
    if np.nanmax(np.abs(body - mean)) <= cc_tol * abs(mean):
        return "CC"
    if np.nanmax(v_seg) - np.nanmin(v_seg) <= cv_tol:
        return "CV"
    return "other"


@dataclass(frozen=True)
class FadeFit:
    """Capacity fade trend: ``model`` is ``"linear"`` (Q = q0 - a n) or ``"sqrt"``
    (Q = q0 - a sqrt(n), SEI-growth-limited fade, Broussely et al., J. Power Sources 97-98
    (2001) 13); the one with the lower residual sum of squares is kept."""

    cycle: np.ndarray
    capacity_ah: np.ndarray
    model: str
    q0_ah: float
    rate: float
    r_squared: float
    cycles_to_80_percent: float

    def predict(self, cycle: np.ndarray) -> np.ndarray:
        """Fitted capacity (Ah) at ``cycle``."""
        x = np.asarray(cycle, dtype=float)
        return self.q0_ah - self.rate * (np.sqrt(x) if self.model == "sqrt" else x)


def capacity_fade(
    summary: dict[str, np.ndarray] | CyclerTable, column: str = "discharge_capacity_ah"
) -> FadeFit:
    """Fit capacity vs cycle (cycles with zero capacity skipped).

    ``summary`` is the dict from :func:`cycle_summary`, or a CyclerTable it is made of: a
    time series (its cycles integrated) or a ``kind == "cycle_summary"`` table (e.g. a
    BatteryArchive ``*_cycle_data.csv``).
    """
    if isinstance(summary, CyclerTable):
        # a time series was read as if each of its rows were a cycle (its vendor's running
        # capacity column fitted against the cycle counter), or failed on a KeyError where the
        # vendor wrote no capacity column
        summary = cycle_summary(summary)
    cycle = np.asarray(summary["cycle"], dtype=float)
    capacity = np.asarray(summary[column], dtype=float)
    keep = np.isfinite(capacity) & (capacity > 0) & (cycle > 0)
    cycle, capacity = cycle[keep], capacity[keep]
    if len(cycle) < 2:
        raise LabDataError(f"capacity_fade needs >= 2 cycles with {column} > 0, got {len(cycle)}")
    best = None
    for model, x in (("linear", cycle), ("sqrt", np.sqrt(cycle))):
        design = np.column_stack((np.ones_like(x), -x))
        (q0, rate), *_ = np.linalg.lstsq(design, capacity, rcond=None)
        rss = float(np.sum((capacity - design @ np.array([q0, rate])) ** 2))
        if best is None or rss < best[0] - 1e-15:
            best = (rss, model, float(q0), float(rate))
    rss, model, q0, rate = best
    tss = float(np.sum((capacity - capacity.mean()) ** 2))
    r2 = 1.0 - rss / tss if tss > 0 else 1.0
    target = 0.2 * q0 / rate if rate > 0 else np.inf  # q0 - rate*x = 0.8 q0
    to80 = target**2 if model == "sqrt" else target
    return FadeFit(cycle, capacity, model, q0, rate, r2, float(to80))
