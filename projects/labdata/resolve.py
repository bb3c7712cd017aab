"""Turn mapped intermediates into BDF columns: signs from states, split capacities, clocks.

Vendors disagree on three things the BDF settles (``table.py``): the sign of current (Maccor,
PEC and Digatron write magnitudes with a state letter; BDF: positive = charge), how capacity
is kept (one per-step column vs. separate charge and discharge columns) and time (seconds,
h:mm:ss, or only a wall clock).  The words for states are in :data:`CHARGE_STATES` and
:data:`DISCHARGE_STATES`, in the languages of the vocabulary.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from cellwright.projects.labdata import _parse
from cellwright.projects.labdata import table as t
from cellwright.projects.labdata import vocabulary as v

CHARGE_STATES = re.compile(
    r"^(c|ch|chg|charge|cc.?chg|cv.?chg|cccv.?chg|cc.?charge|cv.?charge|cccv.?charge|"
    r"charging|ladung|laden|lad|恒流充电|恒压充电|恒流恒压充电|充电|cc_chg|cv_chg|"
    r"cccv_chg|charge cc|charge cv|chargecc|chargecv)$",
    re.I,
)
DISCHARGE_STATES = re.compile(
    r"^(d|dc|dch|dchg|discharge|cc.?dchg|cv.?dchg|cccv.?dchg|cc.?discharge|"
    r"cv.?discharge|discharging|entladung|entladen|ela|恒流放电|恒压放电|放电|cc_dchg|"
    r"cv_dchg|discharge cc|dischargecc|cp.?dchg|cr.?dchg)$",
    re.I,
)


def state_sign(states: np.ndarray) -> np.ndarray:
    """+1 for charge states, -1 for discharge, 0 for rest/other (vectorised per distinct value)."""
    import pandas as pd

    text = pd.Series(states).astype("string").str.strip()
    codes, uniques = pd.factorize(text)
    signs = np.array(
        [
            1.0 if CHARGE_STATES.match(str(u)) else -1.0 if DISCHARGE_STATES.match(str(u)) else 0.0
            for u in uniques
        ]
    )
    return np.where(codes >= 0, signs[np.maximum(codes, 0)] if len(signs) else 0.0, 0.0)


def resolve(cols: dict[str, np.ndarray], path: Path, *, magnitudes: bool = False) -> dict:
    """BDF columns from mapped ones (modifies and returns ``cols``).

    Parameters
    ----------
    magnitudes
        The vendor writes current as a magnitude; its sign comes from the state column.
    """
    state = cols.pop(v.STATE, None)
    sign = state_sign(state) if state is not None else None
    if t.CURRENT not in cols and v.CURRENT_MAGNITUDE in cols:
        cols[t.CURRENT] = np.abs(cols.pop(v.CURRENT_MAGNITUDE))
        magnitudes = True
    cols.pop(v.CURRENT_MAGNITUDE, None)
    unsigned = t.CURRENT in cols and (magnitudes or not (cols[t.CURRENT] < 0).any())
    if sign is not None and unsigned and (sign != 0).any():
        cols[t.CURRENT] = np.abs(cols[t.CURRENT]) * np.where(sign == 0, 1.0, sign)
    if t.CURRENT in cols:
        charging = sign > 0 if sign is not None and (sign != 0).any() else cols[t.CURRENT] > 0
        discharging = sign < 0 if sign is not None and (sign != 0).any() else cols[t.CURRENT] < 0
        _split(
            cols, v.STEP_CAPACITY, t.CHARGE_CAPACITY, t.DISCHARGE_CAPACITY, charging, discharging
        )
        _split(cols, v.STEP_ENERGY, t.CHARGE_ENERGY, t.DISCHARGE_ENERGY, charging, discharging)
    for name in (t.CHARGE_CAPACITY, t.DISCHARGE_CAPACITY, t.CHARGE_ENERGY, t.DISCHARGE_ENERGY):
        if name in cols:  # BDF keeps magnitudes; some vendors sign the discharge side
            cols[name] = np.abs(cols[name])
    clock = cols.pop(v.DATETIME, None)
    if clock is not None and t.UNIX_TIME not in cols:
        numeric = clock.dtype.kind in "fiu"  # already unix seconds (XLSX dates)
        cols[t.UNIX_TIME] = clock.astype(float) if numeric else _parse.parse_datetimes(clock)
    if t.TEST_TIME not in cols and t.UNIX_TIME in cols:
        finite = cols[t.UNIX_TIME][np.isfinite(cols[t.UNIX_TIME])]
        if finite.size:
            cols[t.TEST_TIME] = cols[t.UNIX_TIME] - finite[0]
    cols.pop(v.STEP_TIME, None)
    cols.pop(v.STEP_CAPACITY, None)
    cols.pop(v.STEP_ENERGY, None)
    for counter in (t.CYCLE, t.STEP_INDEX):
        if counter in cols:
            cols[counter] = fill_counter(cols[counter])
    return cols


def _split(cols, source, charge, discharge, charging, discharging) -> None:
    if source not in cols:
        return
    values = cols.pop(source)
    if charge in cols and discharge in cols:
        return  # the vendor already gives both sides
    magnitude = np.abs(values)
    cols.setdefault(charge, np.where(charging, magnitude, 0.0))
    cols.setdefault(discharge, np.where(discharging, magnitude, 0.0))


def fill_counter(values: np.ndarray) -> np.ndarray:
    """Forward-fill a counter column (empty cells = same step/cycle); leading gaps -> first."""
    valid = ~np.isnan(values)
    if valid.all() or not valid.any():
        return values if valid.any() else np.ones_like(values)
    index = np.where(valid, np.arange(len(values)), 0)
    np.maximum.accumulate(index, out=index)
    filled = values[index]
    filled[: int(np.argmax(valid))] = values[valid][0]
    return filled
