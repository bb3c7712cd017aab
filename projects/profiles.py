"""Load-profile files: time and current (or power) tables that drive a study.

A profile CSV has a header row naming a time column and a current or power column, with units
in brackets, parentheses or after a slash ("Time [min]", "Current (mA)", "Power / kW"; without a
unit, seconds, amperes and watts); lines starting with '#' are comments. Columns are separated
by commas, semicolons or tabs (with a semicolon or a tab, a decimal comma is read too). Time may
start anywhere but must strictly increase. Current and power are positive on discharge. Errors
name the file and line.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cellwright.projects.model.errors import InputError
from cellwright.projects.units import looks_numeric

__all__ = [
    "LoadProfile",
    "charging_note",
    "load_profile",
    "profile_path",
    "read_profile_csv",
    "shipped_profiles",
]

_TIME = re.compile(r"^\s*time\b", re.I)
_CURRENT = re.compile(r"^\s*current\b", re.I)
_POWER = re.compile(r"^\s*power\b", re.I)


@dataclass(frozen=True)
class LoadProfile:
    """A piecewise-constant load: ``values[k]`` applies from ``time[k]`` to ``time[k+1]``."""

    time: np.ndarray
    values: np.ndarray
    kind: str  # "current" [A, positive on discharge] or "power" [W, positive on discharge]
    source: str

    @property
    def duration(self) -> float:
        """Length of the profile [s]."""
        return float(self.time[-1] - self.time[0])

    @property
    def charges_on_balance(self) -> bool:
        """True when the profile puts more charge (or energy) into the cell than it takes out."""
        return float(np.sum(self.values[:-1] * np.diff(self.time))) < 0.0


def charging_note(kind: str) -> str:
    """What a run says of a profile that charges on balance: its sign may be the cycler's."""
    return (
        f"the {kind} profile charges the cell on balance; {kind} is positive on discharge here "
        "(a cycler export with discharge negative needs its sign reversed)"
    )


def _column(header: list[str], pattern: re.Pattern[str]) -> int | None:
    for i, name in enumerate(header):
        if pattern.match(name):
            return i
    return None


def shipped_profiles() -> dict[str, Path]:
    """The load profiles shipped in resources/profiles, by name (upper case): US06, UDDS …"""
    from cellwright.resources import ROOT

    return {p.stem.upper(): p for p in sorted((ROOT / "profiles").glob("*.csv"))}


def profile_path(name_or_path: str | Path, field: str = "profile") -> Path:
    """The file of a shipped profile named ``name_or_path`` (any case), or that path.

    Raises
    ------
    InputError
        Naming ``field`` and the shipped profiles when it is neither.
    """
    shipped = shipped_profiles()
    found = shipped.get(str(name_or_path).upper())
    if found is not None:
        return found
    path = Path(name_or_path)
    if not path.is_file():
        raise InputError(
            f"{field}: no profile {str(name_or_path)!r} (shipped: {', '.join(shipped)}; "
            "or the path of a CSV file of time and current or power)"
        )
    return path


def load_profile(name_or_path: str | Path, field: str = "profile") -> LoadProfile:
    """A shipped profile by name, or a user's profile CSV (see :func:`read_profile_csv`)."""
    return read_profile_csv(profile_path(name_or_path, field))


def _delimiter(lines: list[str]) -> str:
    """The separator of the first line that is not a comment: ';' or a tab if it has one."""
    first = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
    return max((";", "\t", ","), key=first.count) if any(d in first for d in ";\t") else ","


def _text(path: Path) -> str:
    # Excel's "Unicode text" export is UTF-16 with a byte-order mark: read_text takes it
    from cellwright.projects.userfiles import read_text

    return read_text(path, "profile file")


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    lines = _text(path).splitlines()
    delimiter = _delimiter(lines)
    header: list[str] | None = None
    last_comment: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    for lineno, row in enumerate(csv.reader(lines, delimiter=delimiter), start=1):
        if delimiter != ",":  # a decimal comma goes with ';' or tab separators (European locales)
            row = [cell.replace(",", ".") for cell in row]
        if not row or row[0].lstrip().startswith("#"):
            if row:  # PyBaMM's drive cycles keep their header in the last comment line
                last_comment = [row[0].lstrip().lstrip("#").strip(), *row[1:]]
            continue
        if header is None and looks_numeric(row[0]) and last_comment:
            header = last_comment
        if header is None:
            header = row
        else:
            rows.append((lineno, row))
    if header is None:
        raise InputError("empty profile file (expected a header row)", str(path))
    if looks_numeric(header[0]):
        raise InputError(
            "line 1: no header row; the first line must name the columns, for example "
            "'Time [s],Current [A]' or 'Time [s],Power [W]'",
            str(path),
        )
    return header, rows


def read_profile_csv(path: str | Path) -> LoadProfile:
    """Read a time/current or time/power profile.

    Raises
    ------
    InputError
        Missing columns, non-numeric cells, non-increasing time; the message names the line.
    """
    path = Path(path)
    header, rows = _read_rows(path)
    t_col = _column(header, _TIME)
    i_col, p_col = _column(header, _CURRENT), _column(header, _POWER)
    if t_col is None or (i_col is None and p_col is None):
        raise InputError(
            f"line 1: need a 'Time [s]' column and a 'Current [A]' or 'Power [W]' column, "
            f"found {header}",
            str(path),
        )
    v_col, kind = (i_col, "current") if i_col is not None else (p_col, "power")
    scale = _unit_scale(header[v_col], "A" if kind == "current" else "W", path)
    time_scale = _unit_scale(header[t_col], "s", path)
    times, values = np.empty(len(rows)), np.empty(len(rows))
    for n, (lineno, row) in enumerate(rows):
        try:
            times[n] = float(row[t_col]) * time_scale
            values[n] = float(row[v_col]) * scale
        except (ValueError, IndexError):
            raise InputError(f"line {lineno}: expected two numbers, got {row}", str(path)) from None
        if not (math.isfinite(times[n]) and math.isfinite(values[n])):
            raise InputError(f"line {lineno}: time and {kind} must be finite, got {row}", str(path))
        if n and times[n] <= times[n - 1]:
            raise InputError(
                f"line {lineno}: time {times[n]:g} s does not increase (previous "
                f"{times[n - 1]:g} s)",
                str(path),
            )
    if len(rows) < 2:
        raise InputError("a profile needs at least two rows", str(path))
    return LoadProfile(times, values, kind, str(path))


def _unit_scale(column: str, unit: str, path: Path) -> float:
    """Factor from the unit in a column header ("Power [kW]", "Current (mA)", "Time / min") to
    ``unit``."""
    match = re.search(r"\[([^\]]+)\]|\(([^)]+)\)\s*$|/\s*(\S+)\s*$", column)
    if not match:
        return 1.0
    from cellwright.projects.units import UnitError, to_unit

    given = next(g for g in match.groups() if g)
    try:
        return to_unit(f"1 {given}", unit)
    except UnitError:
        raise InputError(
            f"line 1: column {column!r} is not in a unit of {unit}", str(path)
        ) from None
