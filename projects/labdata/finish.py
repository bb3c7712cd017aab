"""The last step of every reader: the required columns checked, step and cycle counters
derived where the file has none, and the :class:`~.table.CyclerTable` built."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from cellwright.projects.labdata.table import (
    CURRENT,
    CYCLE,
    STEP_COUNT,
    STEP_INDEX,
    TEST_TIME,
    TIME_SERIES_REQUIRED,
    UNIX_TIME,
    CyclerTable,
    LabDataError,
    RowPlace,
    row_place,
)


def finish(
    columns: dict[str, np.ndarray],
    metadata: dict[str, Any],
    path: Path,
    where: RowPlace | None = None,
) -> CyclerTable:
    """Check required columns, derive step/cycle counters, and build the CyclerTable.

    ``where`` tells where each row stands in the file (:data:`.table.RowPlace`), for the
    error naming a damaged record.
    """
    for name in TIME_SERIES_REQUIRED:
        if name not in columns:
            raise LabDataError(f"{path}: no {name} column could be mapped")
        if len(columns[name]) == 0:
            raise LabDataError(f"{path}: no data rows")
        if np.isnan(columns[name]).all():
            raise LabDataError(f"{path}: column for {name} holds no numbers")
        source = [c for c, target in metadata.get("column_map", {}).items() if target == name]
        _check_finite(columns[name], name, path, where, source[0] if source else None)
    if STEP_COUNT not in columns:
        columns[STEP_COUNT] = derive_step_count(columns)
    if CYCLE not in columns:
        # a file without a cycle counter (a BDF table of the required columns, an .mpr of
        # GCPL's half cycles only) was one cycle of every charge and discharge in it: a
        # five-cycle test summarised as one cycle with an efficiency of 0.95 or 1.9
        columns[CYCLE] = derive_cycle_count(columns[CURRENT], columns[TEST_TIME])
        if columns[CYCLE][-1] != columns[CYCLE][0]:
            _add_note(metadata, "cycles counted from the current's direction (no cycle column)")
    metadata.setdefault("source", str(path))
    if not metadata.get("start_time") and UNIX_TIME in columns:
        first = columns[UNIX_TIME][np.isfinite(columns[UNIX_TIME])][:1]
        try:  # ISO 8601, UTC: vendors' own clocks are local and unlabelled
            if first.size:
                stamp = datetime.fromtimestamp(float(first[0]), tz=UTC)
                metadata["start_time"] = stamp.isoformat()
        except (ValueError, OverflowError, OSError):
            pass  # a clock of no known epoch: the run keeps its records, without a start time
    return CyclerTable(columns, metadata)


def _check_finite(
    values: np.ndarray, name: str, path: Path, where: RowPlace | None, column: str | None
) -> None:
    """Time, voltage and current are measured on every record: an empty cell (or one the
    parser reads as missing, ``N/A``) or an infinite value there is a damaged record, reported
    by its row, its place in the file and its column rather than imported as a gap."""
    bad = ~np.isfinite(values)
    if bad.any():
        row = int(np.argmax(bad))
        what = "is empty" if np.isnan(values[row]) else f"is {values[row]}"
        at = [row_place(where, row)] if where is not None else []
        at += [f"column {column!r}"] if column else []
        at_text = f" ({', '.join(at)})" if at else ""
        more = int(bad.sum()) - 1
        also = f" (and {more} more record{'s' if more > 1 else ''})" if more else ""
        raise LabDataError(f"{path}: data record {row + 1}: {name} {what}{at_text}{also}")


def _add_note(metadata: dict[str, Any], note: str) -> None:
    notes = metadata.get("notes")
    if isinstance(notes, list):
        notes.append(note)
    else:
        metadata["notes"] = f"{notes}; {note}" if notes else note


#: a run of one current direction holding less than this fraction of the largest such run's
#: charge is no half cycle (a pulse, a sign flip of a rest's offset current)
MIN_HALF_CYCLE_SHARE = 0.05

#: currents below this fraction of the largest are rests, whatever their sign
REST_CURRENT_FRACTION = 0.01


def derive_cycle_count(current: np.ndarray, time: np.ndarray) -> np.ndarray:
    """Cycle numbers (from 1) for a file that has none: a cycle is a half cycle in the
    direction the test started with and the half cycles after it up to the next one in that
    direction, as a cycler counts them (a charge and its discharge; for a half cell lithiated
    first, a discharge and its charge); half cycles before the first full one (a partial
    discharge to the lower cut-off before the first charge) are cycle 0. Rests and half
    cycles holding less than :data:`MIN_HALF_CYCLE_SHARE` of the largest one's charge
    (pulses) start no cycle."""
    current = np.nan_to_num(np.asarray(current, dtype=float))
    scale = float(np.abs(current).max(initial=0.0))
    cycle = np.ones_like(current)
    if scale == 0 or len(current) < 2:
        return cycle
    sign = np.where(np.abs(current) > REST_CURRENT_FRACTION * scale, np.sign(current), 0.0)
    working = np.flatnonzero(sign)
    if working.size == 0:
        return cycle
    # runs of one direction among the working rows (rests between them do not split a run)
    starts = working[np.concatenate(([True], np.diff(sign[working]) != 0))]
    dt = np.diff(np.asarray(time, dtype=float), append=np.nan)
    held = np.abs(current) * np.where(np.isfinite(dt) & (dt > 0), dt, 0.0)
    charge = np.add.reduceat(held, starts)
    halves = starts[charge >= MIN_HALF_CYCLE_SHARE * charge.max(initial=0.0)]
    if halves.size == 0:
        return cycle
    direction = sign[halves]
    # merge consecutive significant halves of one direction (a pulse between them dropped)
    keep = np.concatenate(([True], np.diff(direction) != 0))
    halves, direction = halves[keep], direction[keep]
    held_by_half = np.add.reduceat(held, halves)
    # a leading half much smaller than the one after it (a discharge from the rest voltage to
    # the lower cut-off before the first charge) is a preparation, cycle 0, as cyclers count it
    first = int(len(halves) > 1 and held_by_half[0] < 0.5 * held_by_half[1])
    new_cycle = halves[first + 1 :][direction[first + 1 :] == direction[first]]
    bumps = np.zeros(len(current))
    bumps[new_cycle] = 1.0
    start = 1.0 if first == 0 else 0.0
    cycle = np.full(len(current), start) + np.cumsum(bumps)
    if first:
        cycle[halves[first] :] += 1.0
    return cycle


def derive_step_count(columns: dict[str, np.ndarray]) -> np.ndarray:
    """BDF step count: 1 + number of changes of step index (or of current sign) so far."""
    key = columns[STEP_INDEX] if STEP_INDEX in columns else np.sign(np.round(columns[CURRENT], 9))
    changes = np.concatenate(([0], (np.diff(key) != 0).astype(np.int64)))
    return (1 + np.cumsum(changes)).astype(np.float64)
