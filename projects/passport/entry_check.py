"""Checking passport values as they are entered, against the schemas an export is held to.

A value is placed at its attribute's path in an otherwise empty aspect document, exactly as an
export writes it (:func:`.battery_pass.aspects_for`), and that document is validated against
the aspect's Battery Pass schema (:mod:`.schemas`); only the problems at or inside the value's
path count. A Catena-X field (``{"/json/path": value}``) is checked the same way against the
Catena-X 6.1.0 schema, and so is an attribute value taken from a Catena-X file, in the form a
Catena-X export gives it back.

Deliberate choices:

- A value is checked as given, never converted: ``"3.5"`` (JSON text) for a number is refused
  with a hint to write ``3.5``; stored as text it would only fail later, at export.
- A date or date-time must be a day of the calendar, which the schemas' patterns cannot say
  (``2025-02-29`` fits ``^\\d{4}-\\d{2}-\\d{2}$``): the validator holds them to it
  (:mod:`.dates`), for values typed in and imported alike.
- A required property missing *inside* a value (an address without a postal code) is not
  refused: a passport is filled in over time and an import of a lower access level's export
  withholds fields by design; ``passport export`` names what is still missing.
- Neither schema bounds most physical quantities (a battery mass of -3 kg fits both), so a
  number in a unit that has no negative values (kg, Ah, kWh, W, V, Ohm, years, minutes, counts
  …) must not be negative, and a state of charge, an efficiency or a capacity threshold lies
  between 0 and 100 % (:data:`_RANGES`); fades, temperatures and carbon-footprint shares may be
  negative (a recycling credit). Only what a person enters is held to these ranges: an
  imported file is held to its schemas alone, as other tools' files are made to them (the
  consortium's own example payloads carry the extremes of each type).
- The Catena-X schema allows fields it does not define, so a mistyped path
  (``/performance/rated/capacty``) would be kept and exported beside the real one; a field typed
  in must lie at a path of the model. An import keeps what its file holds.
- An attribute with no Battery Pass path but a Catena-X one (meaning of labels) is checked in
  the form a Catena-X export writes it; one with neither (critical raw materials …) has nothing
  to be checked against and is taken as it is.
"""

from __future__ import annotations

import copy
import json
import math
from typing import Any

from cellwright.projects.model import InputError
from cellwright.projects.passport.attributes import Attribute, attribute
from cellwright.projects.passport.battery_pass import to_format
from cellwright.projects.passport.catenax import to_cx
from cellwright.projects.passport.dates import calendar_problem, is_date_pattern
from cellwright.projects.passport.paths import parse_path, set_path
from cellwright.projects.passport.schemas import CATENAX, schema, validator

__all__ = ["FORMS", "check_entries", "entry_problems"]

#: the forms an attribute value may be entered in: the Battery Pass one (typed in, or taken
#: from a Battery Pass file) or the Catena-X one (taken from a Catena-X file)
FORMS = ("battery-pass", "catena-x")
#: the time stamped beside a dynamic value while checking it (an export stamps its own)
_STAMP = "2000-01-01T00:00:00Z"
_KINDS = {
    "number": "a number",
    "integer": "a whole number",
    "string": "text",
    "boolean": "true or false",
    "object": "an object",
    "array": "a list",
    "null": "null",
}
#: units whose quantities are never negative
_MAGNITUDES = {"kg", "Ah", "kWh", "W", "V", "Ohm", "years", "Minutes", "-", "kgCO2e/kWh"}
_MAGNITUDES |= {"[tCO2e]", "A/Ah", "W/Wh", "%/month"}
#: attribute key -> (lowest, highest) beyond what the schemas say (module docstring)
_RANGES = {
    key: (0.0, 100.0)
    for key in (
        "renewable_content",
        "state_of_charge",
        "initial_round_trip_efficiency",
        "round_trip_efficiency_50pct_life",
        "remaining_round_trip_efficiency",
        "capacity_threshold_exhaustion",
    )
}
#: attribute entered in another form than the schema's (:func:`.battery_pass.to_format`) ->
#: what it is entered as
_ENTERED_AS = {"warranty_period": "a whole number of months from 1 to 12 (the schema's xsd:gMonth)"}
_OFFSET = "a date, a time and a UTC offset, as 2024-03-01T08:00:00Z"


def check_entries(
    values: dict[str, Any],
    catenax: dict[str, Any] | None = None,
    form: str = "battery-pass",
    typed: bool = True,
    where: str | None = None,
) -> None:
    """Refuse a batch of passport entries if any value does not fit its schema.

    Parameters
    ----------
    values
        Attribute key (or long-list number) -> value.
    catenax
        Catena-X path -> value.
    form
        One of :data:`FORMS`: the model ``values`` are in.
    typed
        The entries were typed in, not imported: hold numbers to the ranges of their
        quantities too (:data:`_RANGES`), and Catena-X fields to paths the model has.
    where
        What the error names the entries by (the battery's serial, the file).

    Raises
    ------
    InputError
        Naming every value refused: its key or path, the value and what is expected.
    """
    problems = entry_problems(values, catenax or {}, form, typed)
    if problems:
        raise InputError("\n  ".join(["values refused, nothing stored:", *problems]), where)


def entry_problems(
    values: dict[str, Any],
    catenax: dict[str, Any],
    form: str = "battery-pass",
    typed: bool = True,
) -> list[str]:
    """One line per value of the batch that does not fit its schema."""
    if form not in FORMS:
        raise ValueError(f"form {form!r} is not one of {FORMS}")
    problems = []
    for key, value in values.items():
        attr = attribute(key)
        found = _not_finite(value) or (_range_problems(attr, value) if typed else [])
        found = found or _attribute_problems(attr, value, form)
        problems += [f"passport attribute {attr.key}: {p}" for p in found]
    for path, value in catenax.items():
        found = _not_finite(value) or _catenax_problems(path, value)
        found = found or (_unknown_path(path) if typed else [])
        problems += [f"Catena-X field {path}: {p}" for p in found]
    return problems


def _not_finite(value: Any) -> list[str]:
    """NaN or infinity anywhere in the value: Python's JSON reader takes them, JSON has none,
    so an export would write a file no other tool reads."""
    if isinstance(value, float) and not math.isfinite(value):
        return [f"{value} is not a finite number"]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return next((found for item in items if (found := _not_finite(item))), [])


def _range_problems(attr: Attribute, value: Any) -> list[str]:
    """A number outside the range its quantity can take (module docstring)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return []
    low, high = _RANGES.get(attr.key, (0.0 if attr.unit in _MAGNITUDES else None, None))
    if low is not None and value < low:
        bound = f"at least {low:g}" if high is None else f"between {low:g} and {high:g}"
        return [f"{_shown(value)} is out of range: {bound}{_unit(attr.unit)}"]
    if high is not None and value > high:
        return [f"{_shown(value)} is out of range: between {low:g} and {high:g}{_unit(attr.unit)}"]
    return []


def _attribute_problems(attr: Attribute, value: Any, form: str) -> list[str]:
    if (form == "catena-x" or not attr.battery_pass) and attr.catenax:
        try:
            converted = to_cx(attr, value, {})
        except (KeyError, TypeError, ValueError, AttributeError, ZeroDivisionError):
            return [f"{_shown(value)} has no Catena-X form at {attr.catenax}"]
        return _fragment_problems(CATENAX, attr.catenax, converted, "time", attr.unit, value)
    if not attr.battery_pass:
        return []
    steps, wrap = parse_path(attr.path)
    if steps[-1][1] is not None and not wrap and not isinstance(value, dict):
        # set_path merges an object into the selected list element; anything else would be
        # exported as {"value": …}, which no such element has
        return [f"{_shown(value)} is not {_KINDS['object']}"]
    problems = _fragment_problems(
        attr.aspect, attr.path, to_format(attr.key, value), "lastUpdate", attr.unit, value
    )
    if problems and attr.key in _ENTERED_AS:  # the schema's words are for its own form
        return [f"{_shown(value)} is not {_ENTERED_AS[attr.key]}"]
    return problems


def _catenax_problems(path: str, value: Any) -> list[str]:
    if not path.startswith("/"):
        return ["a Catena-X path starts with / (as /operation/manufacturer/manufacturingDate)"]
    try:
        parse_path(path)
    except ValueError as exc:
        return [str(exc)]
    return _fragment_problems(CATENAX, path, value, "time", "", value)


def _unknown_path(path: str) -> list[str]:
    """Why ``path`` leads to no field of the Catena-X model ([] if it leads to one)."""
    node = _resolved(schema(CATENAX))
    walked = ""
    for name, field, _ in parse_path(path)[0]:
        known = node.get("properties", {})
        if known and name not in known:
            near = ", ".join(sorted(known))
            return [f"{walked or 'the top'} has no field {name!r} in the Catena-X model: {near}"]
        node = _resolved(known.get(name, {}))
        walked += f"/{name}"
        if field is not None or node.get("type") == "array":
            node = _resolved(node.get("items", {}))
    return []


def _resolved(node: dict) -> dict:
    """A schema node with its ``$ref`` followed and its ``allOf`` parts' properties merged."""
    while "$ref" in node:
        node = schema(CATENAX)["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    parts = [_resolved(part) for part in node.get("allOf", [])]
    if not parts:
        return node
    merged = dict(node)
    merged["properties"] = {
        k: v for p in [node, *parts] for k, v in p.get("properties", {}).items()
    }
    merged.update({k: p[k] for p in parts for k in ("type", "items") if k in p and k not in node})
    return merged


def _fragment_problems(
    name: str, path: str, value: Any, time_key: str, unit: str, entered: Any
) -> list[str]:
    """Problems of ``value`` alone at ``path`` of a document of schema ``name`` (``entered``:
    the value as given, shown for a problem of the whole value rather than its export form)."""
    doc: dict[str, Any] = {}
    set_path(doc, path, copy.deepcopy(value), _STAMP, time_key)
    steps, wrap = parse_path(path)
    depth = sum(2 if field is not None else 1 for _, field, _ in steps) + (1 if wrap else 0)
    prefix = [name for name, _, _ in steps]
    out = []
    for error in validator(name).iter_errors(doc):
        where = list(error.absolute_path)
        names = [p for p in where if isinstance(p, str)]
        if names[: len(prefix)] != prefix or error.validator == "required":
            continue  # outside the value, or a part not entered yet (module docstring)
        inner = "".join(f"/{p}" if isinstance(p, str) else f"[{p}]" for p in where[depth:])
        message = _message(error, unit, _shown(error.instance if inner else entered))
        line = f"{inner}: {message}" if inner else message
        if line not in out:  # a $ref and its target may report the same error
            out.append(line)
    return out


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _unit(unit: str) -> str:
    unit = unit.strip("[]")
    return f" ({unit})" if unit and unit not in ("n.a.", "-") else ""


def _message(error, unit: str, shown: str) -> str:
    """What is wrong with the value and what the schema expects, in one line."""
    kind, expected = error.validator, error.validator_value
    if kind == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        text = " or ".join(_KINDS.get(w, w) for w in wanted)
        hint = ""
        if {"number", "integer"} & set(wanted) and _is_numeral(error.instance):
            hint = f": write it without quotes, {error.instance.strip()}"
        return f"{shown} is not {text}{_unit(unit)}{hint}"
    if kind == "enum":
        allowed = ", ".join(json.dumps(v, ensure_ascii=False) for v in expected)
        return f"{shown} is not one of the allowed values: {allowed}"
    if kind == "format" and expected == "date-time":
        why = calendar_problem("date-time", error.instance)
        return f"{shown} {why}" if why else f"{shown} is not a date-time: {_OFFSET}"
    if kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        return f"{shown} is out of range: {_bound(error)}{_unit(unit)}"
    if kind == "pattern":
        # a date pattern failed, or matched a day the calendar does not have (.dates)
        why = calendar_problem(expected, error.instance) if is_date_pattern(expected) else ""
        return f"{shown} {why}" if why else f"{shown} does not match the pattern {expected}"
    return error.message[:300].replace("\n", " ")


def _bound(error) -> str:
    """The bound a number broke: draft-04 spells an exclusive bound as a flag beside it."""
    kind, node = error.validator, error.schema
    if kind in ("minimum", "exclusiveMinimum"):
        bound = node.get("minimum") if kind == "minimum" else error.validator_value
        exclusive = kind == "exclusiveMinimum" or node.get("exclusiveMinimum") is True
        return f"{'more than' if exclusive else 'at least'} {bound}"
    bound = node.get("maximum") if kind == "maximum" else error.validator_value
    exclusive = kind == "exclusiveMaximum" or node.get("exclusiveMaximum") is True
    return f"{'less than' if exclusive else 'at most'} {bound}"


def _is_numeral(value: Any) -> bool:
    """Whether ``value`` is a number written as text ("42", "4.2e3"): not "nan" or "inf",
    which float() reads but which are no number a passport could hold."""
    if not isinstance(value, str):
        return False
    try:
        number = float(value)
    except ValueError:
        return False
    return math.isfinite(number)
