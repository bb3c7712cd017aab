"""Unit parsing at the edges.

User input may carry units as text ("25 degC", "5 Ah", "2.5 V"). It is parsed once, here, into SI
(or the PyBaMM-style unit a field declares) with one lazily created pint registry, so importing
:mod:`projects` stays cheap.
"""

from __future__ import annotations

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
        return float(text)
    fast = _fast(text, unit)
    if fast is not None:
        return fast
    ureg = unit_registry()
    import pint

    try:
        quantity = ureg.Quantity(_quantity_text(text))
        target = ureg.Unit(_pint_unit(unit))
        return float(quantity.to(target).magnitude)
    except pint.DimensionalityError:
        raise UnitError(f"{value!r} cannot be expressed in {unit}") from None
    except (
        pint.UndefinedUnitError,
        pint.errors.DefinitionSyntaxError,
        AttributeError,
        ValueError,
        TypeError,
        AssertionError,
    ):
        raise UnitError(f"{value!r} is not a number with a unit (expected {unit})") from None


def _quantity_text(text: str) -> str:
    """Split "25 degC" into number and unit and normalise the unit spelling."""
    number, _, rest = text.partition(" ")
    if rest and looks_numeric(number):
        return f"{number} {_pint_unit(rest)}"
    # "5Ah" without a space: find where the number ends
    for i in range(len(text), 0, -1):
        if looks_numeric(text[:i]):
            return f"{text[:i]} {_pint_unit(text[i:])}"
    return text
