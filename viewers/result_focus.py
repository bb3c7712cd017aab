"""Where a result is interesting: its headline series and field, and the time to show first.

A result tab opens on what the study is about, not on whatever came first: the cell voltage of an
electrochemical study, the hottest temperature of a thermal one, the force of a mechanical one;
a runaway study at the onset of runaway, every other transient at its end; a crush's force
against its displacement, on the part's plastic strain. Qt-free, so it is
tested without a window.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from cellwright.projects.model import Result
from cellwright.projects.readable import celsius_shown, duration

__all__ = ["ResultFocus", "focus_words", "result_focus"]

#: headline series by what they measure, most telling first (matched against the series names)
_HEADLINES = (
    r"^Voltage \[V\]$",
    r"^Maximum temperature \[K\]$",
    r"^Maximum .*temperature \[K\]$",
    r"[Ff]orce \[N\]$",
    r"^Pressure drop \[Pa\]$",
    r"^Outlet temperature \[K\]$",
    r"temperature \[K\]$",
    r"^Pack voltage \[V\]$",
    r"[Vv]oltage \[V\]$",
)
#: fields by the same idea (a crush on its plastic strain: where the part gave way)
_FIELDS = (r"^Temperature \[K\]$", r"[Tt]emperature", r"[Ss]tress", r"[Pp]lastic strain",
           r"[Dd]isplacement", r"^.")  # fmt: skip
#: abscissae by preference: a mechanical study against travel, a transient against time
_X_NAMES = ("Displacement [m]", "Time [s]", "Time [h]")
#: scalars naming the time of the event a study is about
_EVENT_TIMES = ("First onset time [s]", "Short-circuit onset time [s]", "Onset time [s]")


@dataclass(frozen=True)
class ResultFocus:
    """What to show first: a series for the plot, a field for the 3D view, and a time [s]."""

    series: str | None
    field: str | None
    x: str | None  # the headline series' abscissa (a crush's force against its displacement)
    time: float | None
    reason: str  # "runaway onset", "end of the run" …


def _first(patterns: tuple[str, ...], names: list[str]) -> str | None:
    for pattern in patterns:
        for name in names:
            if re.search(pattern, name):
                return name
    return None


def result_focus(result: Result) -> ResultFocus:
    """The headline series, field and time of ``result`` (see the module docstring)."""
    names = [n for n in result.series if n not in ("Time [s]", "Time [h]")]
    series = _first(_HEADLINES, names) or (names[0] if names else None)
    x = next((n for n in _X_NAMES if n in result.series and n != series), None)
    field = _first(_FIELDS, [f.name for f in result.fields])
    time, reason = None, ""
    for key in _EVENT_TIMES:
        value = result.scalars.get(key)
        if value is not None and math.isfinite(value):
            time, reason = float(value), key.removesuffix(" [s]").lower()
            break
    if time is None:
        ends = [float(f.times[-1]) for f in result.fields if len(f.times)]
        if "Time [s]" in result.series and len(result.series["Time [s]"]):
            ends.append(float(result.series["Time [s]"][-1]))
        if ends:
            time, reason = max(ends), "end of the run"
    return ResultFocus(series, field, x, time, reason)


def focus_words(result: Result, focus: ResultFocus) -> tuple[str, str]:
    """(what, when) of ``focus`` in words, as the viewers below a result tab read them: a
    temperature named in °C, the time in the unit of the run's length to 4 figures (the
    3D view's "t = 4 h" of a 4 h cycle, not "14 400 s"; :func:`~cellwright.projects.readable.
    duration`). ``focus.time`` must be set."""
    what = focus.series or focus.field or ""
    if focus.series:
        values = result.series.get(focus.series, [])
    else:
        values = next((f.values[-1] for f in result.fields if f.name == focus.field), [])
    times = result.series.get("Time [s]")
    ends = [float(f.times[-1]) for f in result.fields if len(f.times)]
    span = float(times[-1]) if times is not None and len(times) else max(ends, default=0.0)
    return celsius_shown(what, values)[0], duration(focus.time, span)
