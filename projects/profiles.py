"""Load-profile files: time and current (or power) tables that drive a study.

A profile CSV has a header row naming a time column and a current or power column, with units
in brackets or after a slash ("Time [s]", "Current [A]", "Power / W"); lines starting with '#'
are comments. Time must start anywhere but strictly increase. Errors name the file and line.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cellwright.projects.model.errors import InputError
from cellwright.projects.units import looks_numeric

__all__ = ["LoadProfile", "load_profile", "profile_path", "read_profile_csv", "shipped_profiles"]

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


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    from cellwright.projects.userfiles import read_text

    text = read_text(path, "profile file")
    header: list[str] | None = None
    last_comment: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    for lineno, row in enumerate(csv.reader(text.splitlines()), start=1):
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
    times, values = np.empty(len(rows)), np.empty(len(rows))
    for n, (lineno, row) in enumerate(rows):
        try:
            times[n], values[n] = float(row[t_col]), float(row[v_col])
        except (ValueError, IndexError):
            raise InputError(f"line {lineno}: expected two numbers, got {row}", str(path)) from None
        if n and times[n] <= times[n - 1]:
            raise InputError(
                f"line {lineno}: time {times[n]:g} s does not increase (previous "
                f"{times[n - 1]:g} s)",
                str(path),
            )
    if len(rows) < 2:
        raise InputError("a profile needs at least two rows", str(path))
    if not np.all(np.isfinite(values)):
        raise InputError("profile values must be finite", str(path))
    return LoadProfile(times, values * scale, kind, str(path))


def _unit_scale(column: str, unit: str, path: Path) -> float:
    """Factor from the unit in a column header ("Power [kW]", "Current / mA") to ``unit``."""
    match = re.search(r"\[([^\]]+)\]|/\s*(\S+)\s*$", column)
    if not match:
        return 1.0
    from cellwright.projects.units import UnitError, to_unit

    given = match.group(1) or match.group(2)
    try:
        return to_unit(f"1 {given}", unit)
    except UnitError:
        raise InputError(
            f"line 1: column {column!r} is not in a unit of {unit}", str(path)
        ) from None
