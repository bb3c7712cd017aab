"""Reading a Catena-X ``io.catenax.battery.battery_pass`` aspect: validation and import.

The attributes' Catena-X paths and transforms are those the export uses (:mod:`.catenax`);
an import takes each attribute's value back through the inverse transform and keeps in the
passport's Catena-X part everything no attribute takes, so an export gives it back.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from cellwright.projects.model import PassportValue
from cellwright.projects.passport.attributes import Attribute, attributes
from cellwright.projects.passport.catenax import AT_SOC, PARTS, SPEC_VERSION, STATUS, to_cx
from cellwright.projects.passport.paths import get_path
from cellwright.projects.passport.schemas import CATENAX, Problem, schema, validate_document
from cellwright.projects.passport.untaken import untaken

__all__ = ["catenax_fields", "import_catenax", "validate_catenax"]

#: MassUnitEnumeration of the 6.1.0 schema -> kg (exact by definition of each unit)
_KILOGRAMS = {
    "unit:gram": 1e-3,
    "unit:kilogram": 1.0,
    "unit:tonneMetricTon": 1e3,
    "unit:tonUsOrShortTonUkorus": 907.18474,
    "unit:ounceAvoirdupois": 0.028349523125,
    "unit:pound": 0.45359237,
}
#: LifeEnumeration units that are a whole number of months (days, cycles, hours are not)
_MONTHS = {"unit:month": 1, "unit:year": 12}
#: "Nickel Cobalt Manganese (NCM)": a Catena-X chemistry as clear name and short name
_CHEMISTRY = re.compile(r"(.+?)\s*\(([^()]+)\)")
#: a Catena-X value the passport attribute cannot hold: kept as the Catena-X field instead
_NO_VALUE = object()


def _from_cx(attr: Attribute, value: Any) -> Any:
    name = attr.catenax_transform
    if name == "identifier":
        return {
            "identifier": value,
            "contactName": "",
            "postalAddress": {"streetAddress": "", "postalCode": "", "addressCountry": ""},
        }
    if name == "date":
        return f"{value}T00:00:00Z" if len(str(value)) == 10 else value
    if name == "months" and isinstance(value, dict):
        factor = _MONTHS.get(value.get("lifeUnit"))
        return value["lifeValue"] * factor if factor else _NO_VALUE
    if name == "category":
        return {"LMT": "lmt", "EV": "ev", "industrial": "industrial"}.get(value, value)
    if name == "chemistry" and isinstance(value, str):
        # the export writes "clear name (short name)"; Battery Pass has the two fields
        named = _CHEMISTRY.fullmatch(value.strip())
        if named:
            return {"clearName": named[1], "shortName": named[2]}
    if name == "kilograms" and isinstance(value, dict):
        return value["value"] * _KILOGRAMS[value["unit"]]  # the schema's enum: all are here
    if name == "status":
        return {v: k for k, v in STATUS.items()}.get(value, value)
    if name in ("document", "label_document") and isinstance(value, list) and value:
        return value[0].get("content")
    if name == "agents" and isinstance(value, list):
        return [a.get("media") for a in value]
    if name == "footprint" and isinstance(value, dict):
        return value.get("value")
    if name == "power_at_soc" and isinstance(value, dict):
        return [
            {"atSoC": soc, "powerCapabilityAt": value[field]}
            for field, soc in AT_SOC.items()
            if field in value
        ] or _NO_VALUE
    if name == "remaining_power" and isinstance(value, dict) and "value" in value:
        time = value.get("time")
        return {
            "remainingPowerCapabilityValue": {
                "powerCapabilityAt": value["value"],
                "rPCLastUpdated": time,
            },
            "lastUpdate": time,
        }
    if name == "resistance_increase" and isinstance(value, dict):
        items = [
            {"internalResistanceIncreaseValue": v["value"], "lastUpdate": v.get("time"),
             "batteryComponent": k}
            for k, v in value.items()
            if k in ("cell", "module", "pack") and isinstance(v, dict) and "value" in v
        ]  # fmt: skip
        return items or value
    if name == "resistance" and isinstance(value, dict):
        return [
            {"ohmicResistance": v, "batteryComponent": k}
            for k, v in value.items()
            if k in ("cell", "module", "pack")
        ]
    return value


def catenax_fields(document: Any) -> int:
    """How many top-level keys ``document`` shares with the Catena-X battery_pass aspect."""
    if not isinstance(document, dict):
        return 0
    return len(set(document) & set(schema(CATENAX)["properties"]))


def validate_catenax(document: dict) -> list[Problem]:
    """Schema problems of a Catena-X aspect (all attributes expected).

    A ``specVersion`` of another major version than the schema's is the one problem reported
    (its fields are not those of 6.1.0); another 6.x is validated against 6.1.0.
    """
    version = _spec_version_problem(document.get("specVersion"))
    if version:
        return [Problem("Catena-X/specVersion", version)]
    return validate_document(CATENAX, document, None, lambda a: a.catenax, aspect="Catena-X")


_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)(#\w+)?$")


def _spec_version_problem(spec: Any) -> str:
    """Why a ``specVersion`` is not one this schema reads ("" if it is, or if absent: the
    field is optional)."""
    if spec is None:
        return ""
    ours = SPEC_VERSION.rpartition(":")[2]
    major = ours.split(".")[0]
    match = _VERSION.search(spec) if isinstance(spec, str) else None
    if match is None or "battery_pass" not in spec:
        return (
            f"{spec!r} names no version of the Catena-X battery_pass model; this Cellwright "
            f"reads {major}.x, validated against {ours}"
        )
    if match.group(1) != major:
        found = ".".join(match.group(1, 2, 3))
        return (
            f"{spec!r} is version {found} of the Catena-X battery_pass model; this Cellwright "
            f"reads {major}.x, validated against {ours}"
        )
    return ""


def import_catenax(
    document: dict,
    where: str,
    kept: dict[str, Any] | None = None,
    skipped: list[tuple[str, str]] | None = None,
) -> tuple[dict[str, PassportValue], str]:
    """Attribute key -> imported value, and the passport identifier.

    Everything no attribute takes goes into ``kept`` as ``{catenax path: value}``, for the
    passport's Catena-X part, so that a Catena-X export gives it back: the fields the
    regulation does not ask for (business partner numbers, codes, dimensions), a value the
    attribute cannot hold in its unit (a warranty in days is no number of months), and the
    Catena-X form of a value its attribute holds differently (a mass in grams, a document's
    header). What cannot be kept goes into ``skipped`` as ``(path, reason)``.
    """
    kept = {} if kept is None else kept
    values = {}
    taken = []
    for attr in attributes():
        if not attr.catenax:
            continue
        found, value, updated = _get(document, attr)
        if not found:
            continue
        taken += _taken_paths(attr)
        converted = _from_cx(attr, value)
        if converted is _NO_VALUE or not _round_trips(attr, converted, value):
            kept[attr.catenax] = copy.deepcopy(value)
        if converted is _NO_VALUE:
            continue
        values[attr.key] = PassportValue(
            value=converted, source="import", detail=where, updated=updated
        )
    rest, lost = untaken(document, [*taken, *_OWN])
    kept.update(rest)
    if skipped is not None:
        skipped += lost
        for path, why in _OWN.items():
            found, value, _ = get_path(document, path)
            if found and not (path == "/specVersion" and value == SPEC_VERSION):
                skipped.append((path, why))
    ident = values.get("passport_identifier")
    return values, str(ident.value) if ident else ""


def _get(document: dict, attr: Attribute) -> tuple[bool, Any, str | None]:
    """(found, value, updated) of an attribute in a Catena-X document: of an object shared
    with other attributes (:data:`PARTS`) only the fields this one takes."""
    found, value, updated = get_path(document, attr.catenax)
    parts = PARTS.get(attr.catenax_transform)
    if found and parts:
        value = {k: v for k, v in value.items() if k in parts} if isinstance(value, dict) else {}
        found = bool(value)
    return found, value, updated


def _taken_paths(attr: Attribute) -> list[str]:
    parts = PARTS.get(attr.catenax_transform)
    return [f"{attr.catenax}/{p}" for p in parts] if parts else [attr.catenax]


#: Catena-X fields the passport writes itself
_OWN = {
    "/specVersion": "an export names the model version it follows (6.1.0)",
    "/metadata/version": "the passport's own version, counted by issuing it",
}


def _round_trips(attr: Attribute, converted: Any, value: Any) -> bool:
    """Whether the attribute's value exports back to the Catena-X ``value`` it came from."""
    if "{" in attr.catenax:
        return True  # a plain number; the time beside it is kept on its own
    try:
        return to_cx(attr, converted, {}) == value
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
