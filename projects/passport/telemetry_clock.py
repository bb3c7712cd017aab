"""Telemetry timestamps: ISO 8601 text with or without a zone, and the mapping's ``time_zone``.

A BMS often logs its local wall-clock time with no zone. Such times are taken as UTC unless
the mapping names the logger's IANA zone (``"time_zone": "Europe/Berlin"``); then they are
localised: a time the clocks pass twice when they go back is told apart by the order of the
rows, and a time the clocks skip when they go forward is refused with its row.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from cellwright.projects.model import InputError

__all__ = ["UTC_NOTE", "iso_times", "naive_times", "origin_seconds", "row_name", "time_zone"]

UTC_NOTE = "times without a zone taken as UTC (set time_zone in the mapping for local times)"
#: a zone designator after the time of day: Z, +02, +0200, +02:00
_ZONE_SUFFIX = r"[T ]\d{2}(?::?\d{2}){0,2}(?:[.,]\d+)?\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$"


def row_name(kind: str, index: int) -> str:
    """How messages name a row: a CSV's first data line is line 2 (after the header)."""
    return f"line {index + 2}" if kind == "line" else f"{kind} {index + 1}"


def time_zone(mapping: dict) -> ZoneInfo | None:
    """The mapping's ``time_zone``, checked; None when it has none."""
    name = mapping.get("time_zone")
    if name is None:
        return None
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"time_zone {name!r} is not an IANA time zone name (such as 'Europe/Berlin', "
            "'America/New_York' or 'UTC')",
            "mapping",
        ) from None


def _note(notes: list[str]) -> None:
    if UTC_NOTE not in notes:
        notes.append(UTC_NOTE)


def iso_times(
    values: Any, column: str, zone: ZoneInfo | None, notes: list[str], kind: str, where: str
) -> np.ndarray:
    """Seconds since 1970 UTC from ISO 8601 text; times without a zone in ``zone`` (or UTC)."""
    import pandas as pd

    text = pd.Series(list(values) if not hasattr(values, "to_list") else values.to_list())
    try:
        stamps = pd.to_datetime(text, utc=True, format="ISO8601")
    except (ValueError, TypeError):  # the message is pandas' multi-line advice: name the row
        stamps = pd.to_datetime(text, utc=True, format="ISO8601", errors="coerce")
    bad = np.flatnonzero(stamps.isna().to_numpy())
    if bad.size:
        value = text.iloc[int(bad[0])]
        what = "empty time" if pd.isna(value) else f"{value!r} is not an ISO 8601 time"
        raise InputError(f"{row_name(kind, int(bad[0]))}, column {column!r}: {what}", where)
    naive = ~text.astype(str).str.contains(_ZONE_SUFFIX, regex=True).to_numpy()
    seconds = _epoch(stamps)
    if naive.any():
        wall = stamps[naive].dt.tz_localize(None)  # parsed as UTC: the wall-clock time itself
        index = np.flatnonzero(naive)
        seconds[naive] = naive_times(wall, zone, notes, column, kind, where, index)
    return seconds


def _epoch(stamps: Any) -> np.ndarray:
    utc = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
    return utc.to_numpy("datetime64[ns]").astype(np.int64) * 1e-9


def naive_times(
    wall: Any,
    zone: ZoneInfo | None,
    notes: list[str],
    column: str,
    kind: str,
    where: str,
    index: np.ndarray | None = None,
) -> np.ndarray:
    """Seconds since 1970 UTC of wall-clock times (a pandas datetime Series) in ``zone``."""
    import pandas as pd

    wall = pd.Series(wall).reset_index(drop=True)
    rows = np.arange(len(wall)) if index is None else index
    if zone is None:
        _note(notes)
        return _epoch(wall.dt.tz_localize("UTC"))
    skipped = wall.dt.tz_localize(zone.key, ambiguous="NaT", nonexistent="NaT").isna()
    summer = wall.dt.tz_localize(zone.key, ambiguous=np.ones(len(wall), bool), nonexistent="NaT")
    twice = skipped.to_numpy() & summer.notna().to_numpy()
    gone = np.flatnonzero(skipped.to_numpy() & ~twice)
    if gone.size:
        i = int(gone[0])
        raise InputError(
            f"{row_name(kind, int(rows[i]))}, column {column!r}: {wall.iloc[i]} does not exist "
            f"in {zone.key} (the clocks go forward over it); {gone.size} such rows",
            where,
        )
    try:
        local = wall.dt.tz_localize(zone.key, ambiguous="infer" if twice.any() else "raise")
    except Exception:  # pandas/pytz raise their own types when the order does not tell
        i = int(np.flatnonzero(twice)[0])
        raise InputError(
            f"{row_name(kind, int(rows[i]))}, column {column!r}: {wall.iloc[i]} occurs twice "
            f"in {zone.key} (the clocks go back) and the order of the rows does not say which; "
            "give the times with their UTC offset",
            where,
        ) from None
    return _epoch(local)


def origin_seconds(origin: Any, zone: ZoneInfo | None, notes: list[str]) -> float:
    """The mapping's ``time_origin`` in seconds since 1970 UTC (without a zone: in ``zone``)."""
    try:
        start = datetime.fromisoformat(str(origin).replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"time_origin {origin!r} is not an ISO 8601 time", "mapping") from None
    if start.tzinfo is None:
        if zone is None:
            _note(notes)
        start = start.replace(tzinfo=zone or UTC)
    return start.timestamp()
