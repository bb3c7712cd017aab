"""The one column mapper: header names (+ units) -> BDF columns, with a confidence per column.

:func:`propose_mapping` reads only the header text, through :mod:`.vocabulary`; the vendor
readers call it with their vendor name so their exact aliases win, the import preview and
``cellwright import --mapping auto`` call it without one.  :func:`apply_mapping` converts the
raw columns; :func:`resolve` turns intermediates (step capacities, state letters, wall-clock
text) into BDF columns.  A saved mapping is JSON ``{column: target}`` or
``{column: [target, factor]}`` / ``[target, factor, offset]``, with ``_``-keys as options;
:func:`load_mapping` returns it as a :class:`MappingFile`, which remembers its file so that an
error about one of its entries names it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from cellwright.projects.jsontext import loads as json_loads
from cellwright.projects.labdata import mapping_checks as checks
from cellwright.projects.labdata import table as t
from cellwright.projects.labdata import timespans
from cellwright.projects.labdata import vocabulary as v
from cellwright.projects.labdata.table import LabDataError

#: below this a guess is shown but not used by ``--mapping auto``
AUTO_THRESHOLD = 0.6


@dataclass
class ColumnGuess:
    """What one column is taken to mean, and how sure the mapper is (0..1)."""

    column: str
    target: str
    factor: float = 1.0
    offset: float = 0.0
    confidence: float = 1.0
    reason: str = ""

    def describe(self) -> str:
        """``Current (mA) -> current_ampere x 0.001  (0.95: words + unit)``."""
        scale = "" if self.factor == 1.0 else f" x {self.factor:g}"
        shift = "" if self.offset == 0.0 else f" {self.offset:+g}"
        how = f"({self.confidence:.2f}: {self.reason})"
        return f"{self.column!r} -> {self.target}{scale}{shift}  {how}"


class MappingFile(dict):
    """A saved mapping's entries (a plain dict to every reader) and the file they came from."""

    def __init__(self, entries: dict, source: str | Path) -> None:
        super().__init__(entries)
        self.source = str(source)


@dataclass
class Mapping:
    """Column guesses (one per target at most) and the columns left unmapped; ``source``
    names the user's mapping file, when the guesses came from one."""

    guesses: list[ColumnGuess] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    options: dict = field(default_factory=dict)
    source: str = ""

    def targets(self) -> dict[str, ColumnGuess]:
        """Target -> the guess that fills it."""
        return {g.target: g for g in self.guesses}

    def missing(self, threshold: float = 0.0) -> list[str]:
        """Required time-series columns not found (at or above ``threshold``)."""
        found = {g.target for g in self.guesses if g.confidence >= threshold}
        if t.UNIX_TIME in found or v.DATETIME in found:
            found.add(t.TEST_TIME)
        if v.CURRENT_MAGNITUDE in found:
            found.add(t.CURRENT)
        if t.FREQUENCY in found:
            return [n for n in t.IMPEDANCE_REQUIRED if n not in found]
        return [n for n in t.TIME_SERIES_REQUIRED if n not in found]

    def as_json(self) -> dict:
        """The saved-mapping form (see the module docstring)."""
        out: dict = dict(self.options)
        for g in self.guesses:
            if g.factor == 1.0 and g.offset == 0.0:
                out[g.column] = g.target
            else:
                out[g.column] = [g.target, g.factor] + ([g.offset] if g.offset else [])
        return out

    def lines(self) -> list[str]:
        """Readable lines, one per column."""
        out = [g.describe() for g in self.guesses]
        return out + [f"{c!r} -> (not used)" for c in self.unmapped]


def _vendor_alias(header: str, vendor: str | None) -> ColumnGuess | None:
    order = [vendor] if vendor else []
    order += [name for name in v.VENDOR_ALIASES if name != vendor]
    # BaSyTec marks its header line with "~" before whichever column the user put first
    names = (header.strip(), header.strip().lstrip("~"))
    for rank, name in enumerate(order):
        aliases = v.VENDOR_ALIASES.get(name, {})
        hit = aliases.get(names[0]) or aliases.get(names[1])
        if hit is not None:
            confidence = 1.0 if rank == 0 and vendor else 0.9
            return ColumnGuess(header, hit[0], hit[1], 0.0, confidence, f"{name} column name")
    return None


def _word_score(name: str, quantity: v.Quantity) -> tuple[float, str]:
    if name in quantity.words:
        return 0.8 + 0.01 * min(name.count(" "), 5), "name"
    tokens = f" {name} "
    best = max(
        (w for w in quantity.words if len(w) >= 3 and f" {w} " in tokens), key=len, default=""
    )
    return (0.55, f"name contains {best!r}") if best else (0.0, "")


def guess_column(header: str, vendor: str | None = None) -> ColumnGuess | None:
    """Best guess for one header, or None when nothing in the vocabulary fits."""
    guess = _guess(header, vendor)
    return None if guess is None else replace(guess)  # a copy: the caller may edit it


# A lab's folder repeats one instrument's headers file after file; matching a header against
# the whole vocabulary costs ~0.1 ms, a few ms a file.
@lru_cache(maxsize=4096)
def _guess(header: str, vendor: str | None) -> ColumnGuess | None:
    alias = _vendor_alias(header, vendor)
    if alias is not None:
        return alias
    text = header.strip()
    sign = -1.0 if text.startswith("-") else 1.0
    name, unit_text = v.split_header(text.lstrip("-"))
    units = v.unit_candidates(unit_text) if unit_text is not None else {}
    best: ColumnGuess | None = None
    for candidate, unit_known in (
        (v.normalise(name), unit_text is not None),
        (v.normalise(text.lstrip("-")), False),
    ):
        for quantity in v.QUANTITIES:
            score, why = _word_score(candidate, quantity)
            if score == 0.0:
                continue
            factor, offset = 1.0, 0.0
            if unit_known:
                unit = units.get(quantity.dimension)
                if unit is None and quantity.dimension not in ("count", "text", "datetime"):
                    continue  # a unit of another dimension (mAh/g is not a capacity)
                if unit is not None:
                    factor, offset = unit.factor, unit.offset
                    score, why = min(score + 0.15, 0.99), f"{why} + unit {unit_text}"
            if best is None or score > best.confidence:
                best = ColumnGuess(header, quantity.target, sign * factor, offset, score, why)
        if best is not None:
            break
    if best is not None and best.confidence < 0.8 and unit_text is not None and not units:
        best = None  # "Spec. Cap.(mAh/g)": a capacity word, but a unit we cannot convert
    if best is None and len(units) == 1:
        ((dimension, unit),) = units.items()
        target = {"voltage": t.VOLTAGE, "current": t.CURRENT}.get(dimension)
        if target:
            best = ColumnGuess(
                header, target, sign * unit.factor, unit.offset, 0.4, f"unit {unit_text}"
            )
    return best


def propose_mapping(headers: list[str], vendor: str | None = None) -> Mapping:
    """One guess per target (the most confident; the first column on a tie)."""
    chosen: dict[str, ColumnGuess] = {}
    unmapped = []
    for header in headers:
        guess = guess_column(header, vendor)
        if guess is None:
            unmapped.append(header)
            continue
        held = chosen.get(guess.target)
        if held is None or guess.confidence > held.confidence:
            if held is not None:
                unmapped.append(held.column)
            chosen[guess.target] = guess
        else:
            unmapped.append(header)
    order = {h: i for i, h in enumerate(headers)}
    guesses = sorted(chosen.values(), key=lambda g: order[g.column])
    return Mapping(guesses, [h for h in headers if h in unmapped])


def mapping_from_json(data: dict) -> Mapping:
    """A saved mapping (``{column: target | [target, factor(, offset)]}``) as a Mapping.

    Raises
    ------
    LabDataError
        An entry of the wrong shape, or no column mapped to a required target (time, voltage
        and current, or frequency and both impedance parts): a file read with it could only
        fail with "no test_time_second column could be mapped", which named no entry. The
        message names the mapping's file when it came from one (a :class:`MappingFile`).
    """
    source = getattr(data, "source", "")
    where = f"{source}: column mapping" if source else "column mapping"
    guesses, options = [], {}
    for column, target in data.items():
        if column.startswith("_"):
            options[column] = target
            continue
        problem = checks.entry_problem(target)
        if problem:
            raise LabDataError(f"{where}, entry {column!r}: {problem} (got {target!r})")
        if isinstance(target, str):
            name, factor, offset = target, 1.0, 0.0
        else:
            name, factor, offset = (
                target[0],
                float(target[1]),
                float(target[2]) if len(target) > 2 else 0.0,
            )
        guesses.append(ColumnGuess(column, name, factor, offset, 1.0, "user mapping"))
    mapping = Mapping(guesses, [], options, source)
    problem = checks.unmapped_required(mapping)
    if problem:
        raise LabDataError(f"{where}: {problem}")
    return mapping


def save_mapping(mapping: dict | Mapping, path: Path) -> None:
    """Store a column mapping as JSON for reuse."""
    data = mapping.as_json() if isinstance(mapping, Mapping) else mapping
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def load_mapping(path: Path) -> MappingFile:
    """Load a mapping written by :func:`save_mapping`; errors about its entries while a file
    is read with it name ``path`` (see :class:`MappingFile`).

    Raises
    ------
    InputError
        Naming the file and why: not found, a folder or device (``--mapping /dev/zero`` was
        read for ever), not UTF-8, not JSON (with its line), not an object, an entry of the
        wrong shape, no column mapped to a required target.
    """
    from cellwright.projects.userfiles import read_text

    text = read_text(path, "column-mapping file")
    try:
        data = json_loads(text)
    except ValueError as exc:
        line = f"line {exc.lineno}: " if isinstance(exc, json.JSONDecodeError) else ""
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise LabDataError(f"{path}: {line}not a readable column-mapping JSON ({reason})") from None
    if not isinstance(data, dict):
        raise LabDataError(f"{path}: a column mapping is a JSON object {{column: target}}")
    for column, target in data.items():
        problem = None if column.startswith("_") else checks.entry_problem(target)
        if problem:  # refused here, where the file is known, not per imported file
            raise LabDataError(f"{path}: entry {column!r}: {problem} (got {target!r})")
    entries = MappingFile(data, path)
    mapping_from_json(entries)  # a mapping no file can be read with, refused once, here
    return entries


def used_columns(mapping: Mapping) -> dict[str, str]:
    """Vendor column -> target, for a table's ``column_map`` metadata."""
    return {g.column: g.target for g in mapping.guesses}


def unread_targets(mapping: Mapping) -> set[str]:
    """Targets a mapping recognises that a table need not read: the step time (BDF keeps the
    test time), and a per-step capacity or energy where the vendor also gives both sides
    (:func:`cellwright.projects.labdata.resolve.resolve` would drop it unread)."""
    mapped = set(mapping.targets())
    unread = {v.STEP_TIME}
    for step, sides in (
        (v.STEP_CAPACITY, (t.CHARGE_CAPACITY, t.DISCHARGE_CAPACITY)),
        (v.STEP_ENERGY, (t.CHARGE_ENERGY, t.DISCHARGE_ENERGY)),
    ):
        if set(sides) <= mapped:
            unread.add(step)
    return unread


def states_time_unit(mapping: Mapping) -> bool:
    """True when the test-time column's unit is stated: in its header (``Test_Time(s)``,
    ``Test Time [h]``) or by the user's own mapping. Only a bare ``TestTime`` (Maccor writes
    seconds, minutes or hours under it) leaves the unit for the wall clock to tell."""
    guess = mapping.targets().get(t.TEST_TIME)
    if guess is None:
        return False
    if guess.reason == "user mapping":
        return True
    unit = v.split_header(guess.column)[1]
    return unit is not None and "time" in v.unit_candidates(unit)


def apply_mapping(raw: dict[str, np.ndarray], mapping: Mapping, convert) -> dict[str, np.ndarray]:
    """Convert every mapped column present in ``raw`` with ``convert(column, target)``.

    ``convert`` returns float64 values in the column's own unit (a reader passes one that
    reports bad cells with their line); factor and offset are applied here.  Text targets
    (state letters, wall-clock) are passed through as they are.
    """
    out: dict[str, np.ndarray] = {}
    for g in mapping.guesses:
        if g.column not in raw or g.target in out:
            continue
        if g.target == v.STEP_TIME:  # recognised, but BDF keeps the test time only: not parsed
            continue
        if g.target in (v.STATE, v.DATETIME):
            out[g.target] = raw[g.column]
            continue
        values = convert(g.column, g.target)
        factor = g.factor
        if factor != 1.0 and _durations(raw[g.column], g.target):
            factor = 1.0  # h:mm:ss read as seconds, whatever unit the header names ("(h)")
        out[g.target] = values * factor + g.offset if (factor, g.offset) != (1.0, 0.0) else values
    return out


def _durations(column: np.ndarray, target: str) -> bool:
    """A text time column that :func:`.numeric_columns.numeric` reads as durations (seconds)."""
    quantity = v.BY_TARGET.get(target)
    return (
        quantity is not None
        and quantity.dimension == "time"
        and column.dtype == object
        and timespans.sample_is_duration(column)
    )
