"""Turn mapped intermediates into BDF columns: signs from states, split capacities, clocks.

Vendors disagree on three things the BDF settles (``table.py``): the sign of current (Maccor,
PEC and Digatron write magnitudes with a state letter; BDF: positive = charge), how capacity
is kept (one per-step column vs. separate charge and discharge columns) and time (seconds,
h:mm:ss, or only a wall clock).  The words for states are in :data:`CHARGE_STATES` and
:data:`DISCHARGE_STATES`, in the languages of the vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from cellwright.projects.labdata import datetimes, direction
from cellwright.projects.labdata import table as t
from cellwright.projects.labdata import vocabulary as v

if TYPE_CHECKING:  # mapper is no import of resolve's at run time
    from cellwright.projects.labdata.mapper import Mapping

# Neware's step types (BTS and its .nda codes): CC, CV, CCCV, CP (constant power), CPCV and
# CR (constant resistance) charge and discharge, as "CP_Chg", "CPCV DChg", "CP_charge" ...;
# LANDdt's work modes end in C or D: CCC/CCD, CVC, CPC/CPD, RateC/RateD (a C-rate step)
CHARGE_STATES = re.compile(
    r"^(c|ch|chg|charge|(cc|cv|cccv|cp|cpcv|cr).?(chg|charge)|(cc|cv|cccv|cp|rate)c|"
    r"charging|ladung|laden|lad|恒流充电|恒压充电|恒流恒压充电|恒功率充电|恒功率恒压充电|充电|"
    r"charge cc|charge cv|chargecc|chargecv)$",
    re.I,
)
DISCHARGE_STATES = re.compile(
    r"^(d|dc|dch|dchg|discharge|(cc|cv|cccv|cp|cpcv|cr).?(dchg|discharge)|"
    r"(cc|cv|cccv|cp|cr|rate)d|"
    r"discharging|entladung|entladen|ela|恒流放电|恒压放电|恒流恒压放电|恒功率放电|恒功率恒压放电|"
    r"恒阻放电|放电|discharge cc|dischargecc)$",
    re.I,
)


def state_sign(states: np.ndarray) -> np.ndarray:
    """+1 for charge states, -1 for discharge, 0 for rest/other (vectorised per distinct value)."""
    import pandas as pd

    # factorise first, strip the few distinct states after: stripping every cell cost more
    # than the rest of a Neware CSV's conversion (and the array itself: through a Series,
    # three times as long)
    codes, uniques = pd.factorize(np.asarray(states, dtype=object))
    signs = np.array(
        [
            1.0
            if CHARGE_STATES.match(str(u).strip())
            else -1.0
            if DISCHARGE_STATES.match(str(u).strip())
            else 0.0
            for u in uniques
        ]
    )
    return np.where(codes >= 0, signs[np.maximum(codes, 0)] if len(signs) else 0.0, 0.0)


#: (divisor, offset [s]) of the numeric clocks exports hold: unix seconds, milliseconds,
#: microseconds, 100 ns ticks since 1970 (Arbin's SQL ``Date_Time``), .NET ticks since
#: 0001-01-01, nanoseconds, and Excel serial days (1900 system: day 25569 is 1970-01-01).
#: .NET ticks of 1990-2100 overlap nanoseconds of 1990-2001 only; ticks are tried first.
_EPOCHS = ((1.0, 0.0), (1e3, 0.0), (1e6, 0.0), (1e7, 0.0), (1e7, -62135596800.0), (1e9, 0.0),
           (1.0 / 86400.0, -25569.0 * 86400.0))  # fmt: skip
_PLAUSIBLE = (631152000.0, 4102444800.0)  # 1990-01-01 .. 2100-01-01, unix seconds


def epoch_seconds(clock: np.ndarray) -> np.ndarray:
    """Unix seconds from a numeric wall clock, its epoch and unit told by its magnitude.

    The first scale that puts the median stamp between 1990 and 2100 is taken; a clock that
    fits none is returned as it is (and shows as such in the run's start time).
    """
    values = clock.astype(np.float64)
    finite = values[np.isfinite(values)]
    if not finite.size:
        return values
    middle = float(np.median(finite))
    for divisor, offset in _EPOCHS:
        if _PLAUSIBLE[0] <= middle / divisor + offset <= _PLAUSIBLE[1]:
            return values / divisor + offset
    return values


def _opposite_convention(current: np.ndarray, sign: np.ndarray) -> bool:
    """The state column says charge where the current is negative and discharge where it is
    positive, on (nearly) every record that carries both: a discharge-positive file."""
    both = (sign != 0) & (np.abs(current) > 0)
    if both.sum() < 10:
        return False
    agree = np.sign(current[both]) == sign[both]
    return float(agree.mean()) < 0.02


def _negate_if_opposite(
    cols: dict[str, np.ndarray], sign: np.ndarray, notes: list[str] | None, evidence: str
) -> None:
    """Negate the current where the file's own account of each record's direction (``sign``:
    its states, step codes or capacities) contradicts it on nearly every record; ``notes``
    gets the ``evidence``."""
    if t.CURRENT not in cols or not _opposite_convention(cols[t.CURRENT], sign):
        return
    cols[t.CURRENT] = 0.0 - cols[t.CURRENT]
    if notes is not None:
        notes.append(
            f"current negated: {evidence} (discharge-positive convention); BDF charges with "
            "positive current"
        )


def _capacity_sign(cols: dict[str, np.ndarray]) -> np.ndarray:
    """+1 where the charge capacity grew since the record before (and the discharge capacity
    did not), -1 the other way round, 0 elsewhere or without both capacity columns: what a
    file without a state column says about its records' direction."""
    charge, discharge = cols.get(t.CHARGE_CAPACITY), cols.get(t.DISCHARGE_CAPACITY)
    if charge is None or discharge is None or len(charge) < 2:
        return np.zeros(len(cols[t.CURRENT]))
    with np.errstate(invalid="ignore"):
        charged = np.diff(np.abs(charge), prepend=np.nan) > 0
        discharged = np.diff(np.abs(discharge), prepend=np.nan) > 0
    return np.where(charged & ~discharged, 1.0, np.where(discharged & ~charged, -1.0, 0.0))


def code_sign(codes: np.ndarray, signs: dict[float, float]) -> np.ndarray:
    """+1/-1 for the numeric step-type codes ``signs`` names, 0 for any other code."""
    out = np.zeros(len(codes))
    for code, value in signs.items():
        out[codes == code] = value
    return out


def resolve(
    cols: dict[str, np.ndarray],
    path: Path,
    *,
    magnitudes: bool = False,
    notes: list[str] | None = None,
    state_codes: dict[float, float] | None = None,
    time_unit_stated: bool = False,
) -> dict:
    """BDF columns from mapped ones (modifies and returns ``cols``).

    Parameters
    ----------
    magnitudes
        The vendor writes current as a magnitude; its sign comes from the state column.
    notes
        Receives a sentence for every unit decided from the data rather than the header.
    state_codes
        The vendor writes its state as numeric step-type codes: code -> +1 (charge) or -1
        (discharge); a numeric state column without them tells nothing.
    time_unit_stated
        The test time's unit is stated (its header, the user's mapping): the wall clock is
        not asked whether it counts minutes or hours.
    """
    state = cols.pop(v.STATE, None)
    if state is not None and state.dtype.kind in "fiu":
        # step-type codes tell the direction of the steps they name only: they can tell a
        # flipped convention, and the current's own sign splits the capacities; a code column
        # is otherwise no state column (the capacities may tell the convention instead)
        codes = code_sign(state, state_codes or {})
        why = "the file's charge step types carry negative current"
        _negate_if_opposite(cols, codes, notes, why)
        state = None
    sign = state_sign(state) if state is not None else None
    if sign is None and magnitudes and t.CURRENT in cols and not (cols[t.CURRENT] < 0).any():
        # a magnitude without its state column (deselected in the export): the file's other
        # evidence, per step, or a refusal naming the column
        sign = direction.step_signs(cols, _capacity_sign(cols), path, "State")
        if notes is not None and (sign != 0).any():
            notes.append("no State column: each step's direction told by its voltage under "
                         "current (or its charge and discharge capacities)")  # fmt: skip
    if t.CURRENT not in cols and v.CURRENT_MAGNITUDE in cols:
        cols[t.CURRENT] = np.abs(cols.pop(v.CURRENT_MAGNITUDE))
        magnitudes = True
    cols.pop(v.CURRENT_MAGNITUDE, None)
    unsigned = t.CURRENT in cols and (magnitudes or not (cols[t.CURRENT] < 0).any())
    if sign is not None and unsigned and (sign != 0).any():
        cols[t.CURRENT] = np.abs(cols[t.CURRENT]) * np.where(sign == 0, 1.0, sign)
    elif sign is not None:
        _negate_if_opposite(cols, sign, notes, "the file's charge steps carry negative current")
    elif t.CURRENT in cols:
        _negate_if_opposite(
            cols, _capacity_sign(cols), notes,
            "the charge capacity grows where the current is negative",
        )  # fmt: skip
    if t.CURRENT in cols:
        told = sign is not None and (sign != 0).any()
        charging = sign > 0 if told else cols[t.CURRENT] > 0
        discharging = sign < 0 if told else cols[t.CURRENT] < 0
        if told and not unsigned:
            # a step its state names as neither (a drive-cycle "SIM", a "Pulse", a step type
            # not in the state words) has a signed current that tells its records' side
            other = sign == 0
            charging = charging | (other & (cols[t.CURRENT] > 0))
            discharging = discharging | (other & (cols[t.CURRENT] < 0))
        _split(
            cols, v.STEP_CAPACITY, t.CHARGE_CAPACITY, t.DISCHARGE_CAPACITY, charging, discharging
        )
        _split(cols, v.STEP_ENERGY, t.CHARGE_ENERGY, t.DISCHARGE_ENERGY, charging, discharging)
    for name in (t.CHARGE_CAPACITY, t.DISCHARGE_CAPACITY, t.CHARGE_ENERGY, t.DISCHARGE_ENERGY):
        if name in cols:  # BDF keeps magnitudes; some vendors sign the discharge side
            cols[name] = np.abs(cols[name])
    clock = cols.pop(v.DATETIME, None)
    if clock is not None and t.UNIX_TIME not in cols:
        numeric = clock.dtype.kind in "fiu"  # a number: some epoch's count (XLSX dates: s)
        cols[t.UNIX_TIME] = epoch_seconds(clock) if numeric else datetimes.parse_datetimes(clock)
    if t.TEST_TIME in cols and t.UNIX_TIME in cols and not time_unit_stated:
        _test_time_unit_from_clock(cols, notes)
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


def refuse_damaged_clock(
    raw: dict[str, np.ndarray], mapping: Mapping, cols: dict[str, np.ndarray], path: Path,
    place: Callable[[int], str],
) -> None:  # fmt: skip
    """Refuse the mapped wall-clock text whose cells :func:`resolve` left NaN for a time of
    day out of range (:func:`.datetimes.first_bad_time`), at ``place(row)`` and the column.

    Called by the readers after :func:`resolve`, as only they know where a row of ``raw``
    stands in the file (a line, or a sheet and row); a clock of numbers (an epoch count, a
    workbook's date cells) has no such cell, and a mapped unix time leaves the clock unread.
    """
    clock = next((g.column for g in mapping.guesses if g.target == v.DATETIME), None)
    if clock not in raw or raw[clock].dtype != object or t.UNIX_TIME not in cols:
        return
    if t.UNIX_TIME not in mapping.targets():
        datetimes.refuse_bad_times(raw[clock], cols[t.UNIX_TIME], clock, path, place=place)


#: the units a test-time column without a unit may be kept in (Maccor exports offer seconds,
#: minutes and hours under the same ``TestTime`` header)
_TIME_UNITS = ((60.0, "minutes"), (3600.0, "hours"))


def _test_time_unit_from_clock(cols: dict, notes: list[str] | None) -> None:
    """Rescale a test time written in minutes or hours, told by the wall clock beside it.

    The two clocks of a record run together, so over a run of an hour or more the span of
    the test time and of the wall clock agree to a few per cent (pauses of the channel aside);
    when the test time spans exactly 1/60 or 1/3600 of the clock it counts minutes or hours.
    """
    time, clock = cols[t.TEST_TIME], cols[t.UNIX_TIME]
    ok = np.isfinite(time) & np.isfinite(clock)
    if ok.sum() < 3:
        return
    span_clock = float(clock[ok].max() - clock[ok].min())
    span_time = float(time[ok].max() - time[ok].min())
    if span_clock < 3600.0 or span_time <= 0:
        return
    ratio = span_clock / span_time
    for factor, unit in _TIME_UNITS:
        if abs(ratio / factor - 1.0) < 0.02:
            cols[t.TEST_TIME] = time * factor
            if notes is not None:
                notes.append(
                    f"test time read as {unit}: it spans 1/{factor:g} of the wall clock "
                    f"({span_time:.6g} against {span_clock:.6g} s)"
                )
            return


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
