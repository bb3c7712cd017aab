"""Unit parsing at the edges.

User input may carry units as text ("25 degC", "5 Ah", "2.5 V"). It is parsed once, here, into SI
(or the PyBaMM-style unit a field declares) with one lazily created pint registry, so importing
:mod:`projects` stays cheap.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

__all__ = ["UnitError", "looks_numeric", "to_unit", "unit_registry"]


class UnitError(ValueError):
    """A value could not be read in the unit a field asks for."""


# Spellings that engineers type but pint does not know, mapped to what pint understands.
_ALIASES = {
    "A.h": "A*h",
    "Ah": "A*h",
    "mAh": "mA*h",
    "W.h": "W*h",
    "Wh": "W*h",
    "kWh": "kW*h",
    "mA.h": "mA*h",
    "mA.h/g": "mA*h/g",
    "mAh/g": "mA*h/g",
    "A.h/kg": "A*h/kg",
    "degC": "degC",
    "°C": "degC",
    "C-rate": "dimensionless",
    "-": "dimensionless",
    "1": "dimensionless",
    "": "dimensionless",
}


@lru_cache(maxsize=1)
def unit_registry() -> Any:
    """The one pint registry, created on first use."""
    import pint

    ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    ureg.formatter.default_format = "~P"
    return ureg


def _pint_unit(text: str) -> str:
    text = text.strip()
    if text in _ALIASES:
        return _ALIASES[text]
    return text.replace(".", "*") if "." in text and not looks_numeric(text) else text


def looks_numeric(text: str) -> bool:
    """True if ``text`` parses as a float."""
    try:
        float(text)
    except ValueError:
        return False
    return True


# Conversions common in seed files and forms, done without building the pint registry (about
# a second): (from, to) -> factor.
_FACTORS = {
    ("g/cm^3", "kg/m^3"): 1e3,
    ("mA.h/g", "A.h/kg"): 1.0,
    ("um", "m"): 1e-6,
    ("mm", "m"): 1e-3,
    ("nm", "m"): 1e-9,
    ("GPa", "Pa"): 1e9,
    ("MPa", "Pa"): 1e6,
    ("mV", "V"): 1e-3,
    ("mA.h", "A.h"): 1e-3,
    ("g", "kg"): 1e-3,
    ("mS/cm", "S/m"): 0.1,
    ("mPa.s", "Pa.s"): 1e-3,
}


def _fast(text: str, unit: str) -> float | None:
    number, _, rest = text.partition(" ")
    rest = rest.strip()
    if not looks_numeric(number):
        return None
    if rest == unit:
        return float(number)
    factor = _FACTORS.get((rest, unit))
    return float(number) * factor if factor is not None else None


def to_unit(value: Any, unit: str) -> float:
    """Return ``value`` as a float in ``unit``.

    Parameters
    ----------
    value
        A number (taken to be in ``unit`` already) or a string with a number and a unit,
        for example ``"25 degC"`` or ``"5 Ah"``.
    unit
        The unit the caller wants, in the bracket spelling used across Cellwright (``"K"``,
        ``"A.h"``, ``"W/(m.K)"``).

    Raises
    ------
    UnitError
        If the text is not a number with a unit, or the unit has the wrong dimension.
    """
    if isinstance(value, bool):
        raise UnitError(f"expected a number in {unit}, got {value!r}")
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str):
        raise UnitError(f"expected a number in {unit}, got {type(value).__name__}")
    text = value.strip()
    if looks_numeric(text):
        return _finite(float(text), value)
    fast = _fast(text, unit)
    if fast is not None:
        return _finite(fast, value)
    number, unit_text = _split_quantity(text, value, unit)
    ureg = unit_registry()
    import pint

    try:
        # the unit alone: pint reads a whole text as an expression, and multiplied what stood
        # side by side ("1 000 s" was 0 s, "25 degC 3" 348 K, "1,5 h" 5 h)
        quantity = ureg.Quantity(number, _pint_unit(unit_text))
        target = ureg.Unit(_pint_unit(unit))
        return _finite(float(quantity.to(target).magnitude), value)
    except pint.DimensionalityError:
        raise UnitError(f"{value!r} cannot be expressed in {unit}") from None
    except (
        pint.UndefinedUnitError,
        pint.errors.DefinitionSyntaxError,
        AttributeError,
        ValueError,
        TypeError,
        AssertionError,
        ZeroDivisionError,
    ):
        raise UnitError(f"{value!r} is not a number with a unit (expected {unit})") from None


#: one number (sign, decimals, exponent) and what follows it
_NUMBER = re.compile(r"([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*)", re.S)


def _split_quantity(text: str, value: str, unit: str) -> tuple[float, str]:
    """The number and the unit of ``text`` ("25 degC", "5Ah"), or a :class:`UnitError`."""
    match = _NUMBER.fullmatch(text)
    if match is None:
        if looks_numeric(text.split()[0]):  # "nan Ah", "inf s"
            _finite(float(text.split()[0]), value)
        raise UnitError(f"{value!r} is not a number with a unit (expected {unit})")
    number, rest = match.groups()
    if rest.startswith(","):
        raise UnitError(f"{value!r}: write the decimal point as '.', not ','")
    return _finite(float(number), value), rest


def _finite(number: float, value: Any) -> float:
    if not math.isfinite(number):
        raise UnitError(f"{value!r} is not a finite number")
    return number
