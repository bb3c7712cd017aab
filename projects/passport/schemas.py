"""The shipped passport JSON Schemas and validation against them with clear messages.

Validation uses ``jsonschema`` (draft-04 for the Battery Pass aspects, as their ``$schema``
says). An export for a lower access level leaves out attributes it may not show; a ``required``
error for a property whose every attribute is withheld at that level is expected and not
reported, any other error is. A value of a date or date-time pattern, or of the ``date-time``
format, must also be a day of the calendar (:mod:`.dates`).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from cellwright.projects.passport.attributes import Attribute, attributes, visible
from cellwright.projects.passport.dates import calendar_problem, is_date_pattern
from cellwright.projects.passport.paths import parse_path
from cellwright.resources import ROOT

__all__ = [
    "ASPECTS",
    "CATENAX_URN",
    "Problem",
    "aspect_urn",
    "schema",
    "validate_document",
    "validator",
]

#: Battery Pass aspect -> schema file (Performance in its newer 1.2.1 form)
_BP = "io.BatteryPass"
ASPECTS = {
    "GeneralProductInformation": f"{_BP}.GeneralProductInformation__1.2.0__"
    "GeneralProductInformation",
    "CarbonFootprint": f"{_BP}.CarbonFootprint__1.2.0__CarbonFootprintForBatteries",
    "SupplyChainDueDiligence": f"{_BP}.SupplyChainDueDiligence__1.2.0__SupplyChainDueDiligence",
    "MaterialComposition": f"{_BP}.MaterialComposition__1.2.0__MaterialComposition",
    "Circularity": f"{_BP}.Circularity__1.2.0__Circularity",
    "Labels": f"{_BP}.Labels__1.2.0__Labeling",
    "PerformanceAndDurability": f"{_BP}.Performance__1.2.1__PerformanceAndDurability",
}
PERFORMANCE_1_2_0 = "io.BatteryPass.Performance__1.2.0__PerformanceAndDurability"
CATENAX = "io.catenax.battery.battery_pass__6.1.0__BatteryPass"
CATENAX_URN = "urn:samm:io.catenax.battery.battery_pass:6.1.0#BatteryPass"


@dataclass(frozen=True)
class Problem:
    """One way a document fails its schema."""

    where: str  # aspect and JSON path
    message: str
    #: the path (in the validated document) of a required property it lacks; "" for any other
    #: problem: a file whose only problems are these can still be imported for what it holds
    missing: str = ""

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@cache
def schema(name: str) -> dict[str, Any]:
    """A shipped schema by file stem (a key of :data:`ASPECTS` or a stem)."""
    stem = ASPECTS.get(name, name)
    path = ROOT / "passport" / "schemas" / f"{stem}-schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def aspect_urn(name: str) -> str:
    """The SAMM URN of an aspect's model (what an export keys the aspect by)."""
    return schema(name)["x-samm-aspect-model-urn"]


#: RFC 3339 ``date-time``, what JSON Schema's format means: a time and a UTC offset are required
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


_OFFSET = "a date, a time and a UTC offset: 2024-03-01T08:00:00Z"


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True  # the type keyword reports other values
    if _DATE_TIME.fullmatch(value) is None:
        return False
    try:  # in range: month 1-12, day of that month, hour < 24 ...
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@cache
def validator(name: str):
    """The ``jsonschema`` validator of a shipped schema, built once per schema.

    Parameters
    ----------
    name
        A key of :data:`ASPECTS` or a schema file stem (:data:`CATENAX`).

    Returns
    -------
    jsonschema.protocols.Validator
        Of the schema's own draft, with ``date-time`` always checked and the values of date
        patterns held to the calendar (below).
    """
    import jsonschema

    document = schema(name)
    cls = jsonschema.validators.validator_for(document)
    # jsonschema checks date-time only with the optional rfc3339-validator installed; without
    # it any text passed as a manufacturing date. Check it here, always.
    checker = copy.copy(cls.FORMAT_CHECKER)
    checker.checkers = dict(checker.checkers)
    checker.checks("date-time")(_is_date_time)
    # a date pattern bounds month and day but not the day to its month (:mod:`.dates`)
    cls = jsonschema.validators.extend(cls, {"pattern": _on_calendar(cls.VALIDATORS["pattern"])})
    return cls(document, format_checker=checker)


def _on_calendar(pattern_keyword):
    """The ``pattern`` keyword, and for a date or date-time pattern a real calendar day."""
    from jsonschema.exceptions import ValidationError

    def pattern(validator, pattern: str, instance: Any, node: dict):
        errors = list(pattern_keyword(validator, pattern, instance, node))
        yield from errors
        if not errors and is_date_pattern(pattern):
            why = calendar_problem(pattern, instance)
            if why:
                yield ValidationError(f"{instance!r} {why}")

    return pattern


def _bare(path: str) -> str:
    steps, _ = parse_path(path)
    return "".join(f"/{name}" for name, _, _ in steps)


def _under(pointer: str, attrs: list[Attribute], format_path) -> list[Attribute]:
    out = []
    for attr in attrs:
        path = format_path(attr)
        if path and (_bare(path) + "/").startswith(pointer + "/"):
            out.append(attr)
    return out


def validate_document(
    name: str, document: Any, level: str | None, format_path=None, aspect: str = ""
) -> list[Problem]:
    """Problems of ``document`` against schema ``name``; with ``level``, a missing required
    property whose attributes are all above ``level`` is not a problem."""
    if format_path is None:

        def format_path(a: Attribute) -> str:
            return a.path if a.aspect == aspect else ""

    attrs = list(attributes())
    problems = []
    for error in sorted(validator(name).iter_errors(document), key=lambda e: list(e.path)):
        pointer = "".join(f"/{p}" if isinstance(p, str) else "" for p in error.absolute_path)
        location = "".join(f"/{p}" if isinstance(p, str) else f"[{p}]" for p in error.absolute_path)
        missing = ""
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else ""
        if missing and level is not None:
            under = _under(f"{pointer}/{missing}", attrs, format_path)
            if under and not any(visible(a, level) for a in under):
                continue
            if under:
                names = ", ".join(f"{a.name.strip()} ({a.key})" for a in under if visible(a, level))
                problems.append(
                    Problem(
                        f"{aspect or name}{pointer}/{missing}",
                        f"required, not known yet: enter {names}",
                        f"{location}/{missing}",
                    )
                )
                continue
        problem = Problem(
            f"{aspect or name}{location or '/'}",
            _message(error),
            f"{location}/{missing}" if missing else "",
        )
        if problem not in problems:  # a $ref and its target may report the same error
            problems.append(problem)
    return problems


def _message(error) -> str:
    """The error's message, with a long offending value cut to its start (one line)."""
    shown = repr(error.instance)
    message = error.message
    if len(shown) > 80 and message.startswith(shown):
        message = f"{shown[:60]}… ({type(error.instance).__name__}){message[len(shown) :]}"
    if error.validator == "pattern" and is_date_pattern(error.validator_value):
        why = calendar_problem(error.validator_value, error.instance)
        message = f"{shown} {why}" if why else message
    if error.validator == "format" and error.validator_value == "date-time":
        why = calendar_problem("date-time", error.instance)
        message = f"{shown} {why}" if why else f"{message} ({_OFFSET})"
    return message[:300].replace("\n", " ")
