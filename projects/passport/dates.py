"""Real calendar dates behind the schemas' date patterns.

The Catena-X 6.1.0 schema types a date (``xsd:date``: a manufacturing date, a date put into
service) by the pattern ``^\\d{4}-\\d{2}-\\d{2}$`` alone, and both models type a timestamp
(``xsd:dateTime``: every ``lastUpdate``, ``time``, a date put into service) by a pattern that
bounds the month to 01-12, the day to 01-31 and the hour to 00-23 (or 24:00:00, the end of a
day) but not the day to its month; a pattern cannot know February 2025 from February 2024. So a
JSON Schema validator takes ``2026-13-45`` as a date and ``2025-02-29T10:00:00Z`` as a time,
and an export would carry a day that never was. Here the values those patterns match are also
held to the Gregorian calendar (proleptic, as XML Schema's), by :class:`datetime.date`.

Every form the patterns allow is kept: a time zone offset or none, fractional seconds,
24:00:00, years past 9999 and before 1 (XML Schema 1.1 counts a year 0, a leap year).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

__all__ = ["DATE_PATTERN", "calendar_problem", "is_date_pattern"]

#: the Catena-X 6.1.0 pattern of an ``xsd:date``
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
#: how both models' ``xsd:dateTime`` pattern starts (its date part)
_DATE_TIME_START = "-?([1-9][0-9]{3,}|0[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T"
_DATE = re.compile(r"(-?\d{4,})-(\d{2})-(\d{2})")
_DATE_TIME = re.compile(
    r"(-?\d{4,})-(\d{2})-(\d{2})T(([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?|24:00:00(\.0+)?)"
    r"(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))?"
)
_DATE_EXAMPLE = "a calendar date, as 2024-02-29 (YYYY-MM-DD)"
_DATE_TIME_EXAMPLE = "a date-time on a calendar date, as 2024-02-29T08:00:00Z"
_OFFSET_EXAMPLE = "a date, a time and a UTC offset, as 2024-02-29T08:00:00Z"


def is_date_pattern(pattern: str) -> bool:
    """Whether a schema ``pattern`` is one of the date or date-time patterns held here."""
    return pattern == DATE_PATTERN or pattern.startswith(_DATE_TIME_START)


def calendar_problem(kind: str, value: object) -> str:
    """Why ``value`` is no real date or date-time ("" when it is one, or is no text at all: the
    schema's ``type`` reports that).

    Parameters
    ----------
    kind
        A schema pattern (:func:`is_date_pattern`), or ``"date-time"`` for the JSON Schema
        format (RFC 3339: a time zone offset required).
    value
        The value found at a field of that pattern or format.

    Returns
    -------
    str
        ``"is not …: <why>; expected <form>"``, to follow the value in a message.
    """
    if not isinstance(value, str):
        return ""
    is_date = kind == DATE_PATTERN
    form, expected = (_DATE, _DATE_EXAMPLE) if is_date else (_DATE_TIME, _DATE_TIME_EXAMPLE)
    if kind == "date-time":  # RFC 3339, unlike xsd:dateTime, requires the offset
        expected = _OFFSET_EXAMPLE
    what = "a date" if is_date else "a date-time"
    match = form.fullmatch(value)
    if match is None or (kind == "date-time" and match.group(8) is None):
        return f"is not {what}: expected {expected}"
    year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    why = _day_problem(year, month, day)
    return f"is not {what}: {why}; expected {expected}" if why else ""


def _day_problem(year: int, month: int, day: int) -> str:
    """Why ``year-month-day`` is no day of the Gregorian calendar ("" if it is one)."""
    if not 1 <= month <= 12:
        return f"there is no month {month:02d}"
    if day < 1:
        return f"there is no day {day:02d}"
    # the leap-year rule repeats every 400 years: a year outside date's 1..9999 is checked
    # as the year of the same place in the cycle
    stand_in = year if 1 <= year <= 9999 else 2000 + year % 400
    try:
        date(stand_in, month, day)
    except ValueError:
        days = calendar.monthrange(stand_in, month)[1]
        return f"{calendar.month_name[month]} {year} has {days} days"
    return ""
