"""The direction of a magnitude current when the export left out the column that tells it.

Maccor writes the current as a magnitude and tells charge from discharge by ``State`` (or
``Md``: C/D/R/O/S); users deselect columns in the MacTest/MIMS export dialog.  Without a state
column the file still tells the direction of each step, from the most reliable evidence on:

1. separate charge and discharge capacity columns: the side that grows (``resolve``'s
   capacity sign, handed in);
2. the voltage under current: the terminal voltage ``V = OCV + I R`` jumps up when a charging
   current is switched on after a rest, and rises through a charge step (Plett, *Battery
   Management Systems* vol. 1, 2015, ch. 2, the equivalent-circuit cell model);
3. a step at constant voltage (no trend, no jump) continues the step before it when the voltage
   runs on without a jump (the CV part of a CC-CV charge).

Evidence is taken per step (a step runs one way) and must agree; a step under current that
nothing tells is refused, naming the missing column, rather than imported as a charge.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import numpy as np

from cellwright.projects.labdata import table as t
from cellwright.projects.labdata.table import LabDataError

#: a voltage change under current smaller than this tells nothing (cycler resolution ~0.1 mV)
MIN_VOLTS = 1e-3


def _steps(cols: dict[str, np.ndarray]) -> list[tuple[int, int]]:
    """(first, end) rows of each run of records under current within one step."""
    on = np.abs(cols[t.CURRENT]) > 0
    step = cols.get(t.STEP_INDEX)
    key = np.where(on, step if step is not None else 1.0, np.nan)
    edges = np.flatnonzero(np.diff(key) != 0) + 1  # NaN != anything: rest rows break runs
    bounds = np.concatenate(([0], edges, [len(key)]))
    return [(int(a), int(b)) for a, b in pairwise(bounds) if on[a]]


def _verdict(cols, first: int, end: int, capacity_sign: np.ndarray) -> float:
    """+1 / -1 when the step's evidence agrees, 0 when it tells nothing or disagrees."""
    votes = set(np.unique(capacity_sign[first:end][capacity_sign[first:end] != 0]).tolist())
    volts = cols[t.VOLTAGE]
    trend = volts[end - 1] - volts[first]
    if end - first >= 2 and abs(trend) >= MIN_VOLTS:
        votes.add(float(np.sign(trend)))
    current = cols[t.CURRENT]
    if first and current[first - 1] == 0:  # switched on after a rest: the jump I·R
        jump = volts[first] - volts[first - 1]
        if abs(jump) >= MIN_VOLTS:
            votes.add(float(np.sign(jump)))
    return votes.pop() if len(votes) == 1 else 0.0


def step_signs(
    cols: dict[str, np.ndarray], capacity_sign: np.ndarray, path: Path | str, state: str
) -> np.ndarray:
    """+1 (charge) / -1 (discharge) on every record under current, 0 at rest.

    Raises
    ------
    LabDataError
        When a step under current has no evidence of its direction (``state``: the column
        the vendor tells it by, named in the message).
    """
    signs = np.zeros(len(cols[t.CURRENT]))
    volts = cols[t.VOLTAGE]
    for first, end in _steps(cols):
        sign = _verdict(cols, first, end, capacity_sign)
        continues = first and signs[first - 1] != 0
        if not sign and continues and abs(volts[first] - volts[first - 1]) < MIN_VOLTS:
            sign = signs[first - 1]  # the CV part of the step before
        if not sign:
            raise LabDataError(
                f"{path}: data records {first + 1}-{end}: the current is written as a magnitude "
                f"and the export has no {state!r} column: nothing in the file tells whether "
                f"this step charges or discharges; export it with the {state!r} column"
            )
        signs[first:end] = sign
    return signs
