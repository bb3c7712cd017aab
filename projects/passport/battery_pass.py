"""Battery Pass v1.2 JSON: export a passport for an access level, and import one.

An export is one JSON document: the passport identifier, the access level, and each aspect's
payload keyed by its SAMM aspect-model URN, every payload validated against its shipped schema
(:mod:`.schemas`). Only attributes visible at the level are written: the document is built from
the attributes, so a withheld attribute is never copied and then deleted. Import takes that
document, a bare aspect payload as the consortium publishes them (UTF-8 or UTF-16 with a BOM),
or a Catena-X battery_pass aspect (:mod:`.catenax`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cellwright.projects.model import InputError, Passport, PassportValue
from cellwright.projects.passport.attributes import attributes, visible
from cellwright.projects.passport.paths import get_path, set_path
from cellwright.projects.passport.schemas import (
    ASPECTS,
    PERFORMANCE_1_2_0,
    Problem,
    aspect_urn,
    schema,
    validate_document,
)

__all__ = ["FORMAT", "export_battery_pass", "import_battery_pass", "validate_battery_pass"]

FORMAT = "cellwright.battery-pass-export/1"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _to_format(key: str, value: Any) -> Any:
    """Passport value -> Battery Pass representation where the two differ."""
    if key == "warranty_period" and isinstance(value, int | float):
        return f"--{int(value):02d}"  # xsd:gMonth, as the 1.2.0 schema types it
    return value


def _from_format(key: str, value: Any) -> Any:
    if key == "warranty_period" and isinstance(value, str) and value.startswith("--"):
        return int(value[2:4])
    return value


def aspects_for(passport: Passport, level: str) -> dict[str, dict]:
    """Aspect name -> payload with the attributes visible at ``level``."""
    docs: dict[str, dict] = {}
    stamp = passport.issued_at or _now()
    for attr in attributes():
        value = passport.values.get(attr.key)
        if not attr.battery_pass or value is None or not visible(attr, level):
            continue
        doc = docs.setdefault(attr.aspect, {})
        set_path(
            doc, attr.path, _to_format(attr.key, value.value), value.updated or stamp, "lastUpdate"
        )
    return docs


def export_battery_pass(passport: Passport, level: str) -> tuple[dict, list[Problem]]:
    """The export document for ``level`` and the schema problems of its aspects."""
    docs = aspects_for(passport, level)
    problems = []
    for aspect, doc in docs.items():
        problems += validate_document(aspect, doc, level, aspect=aspect)
    document = {
        "format": FORMAT,
        "passportIdentifier": passport.identifier,
        "batteryIdentifier": passport.battery,
        "version": passport.version,
        "accessLevel": level,
        "exportedAt": _now(),
        "aspects": {aspect_urn(a): docs[a] for a in ASPECTS if a in docs},
    }
    return document, problems


def _aspect_of_urn(urn: str) -> str | None:
    for aspect in ASPECTS:
        if aspect_urn(aspect) == urn:
            return aspect
    if urn == schema(PERFORMANCE_1_2_0)["x-samm-aspect-model-urn"]:
        return "PerformanceAndDurability"
    return None


def _guess_aspect(doc: dict) -> str | None:
    """The aspect whose schema's top-level properties hold every key of ``doc``."""
    keys = set(doc)
    best = None
    for aspect in ASPECTS:
        props = set(schema(aspect)["properties"])
        if keys and keys <= props and (best is None or len(props) < best[1]):
            best = (aspect, len(props))
    return best[0] if best else None


def split_document(document: Any, where: str) -> tuple[dict[str, dict], str | None]:
    """Aspect name -> payload of an export document or a bare aspect payload, and the level."""
    if not isinstance(document, dict):
        raise InputError("a Battery Pass document is a JSON object", where)
    if "aspects" in document:
        out = {}
        for urn, doc in document["aspects"].items():
            aspect = _aspect_of_urn(urn)
            if aspect is None:
                raise InputError(f"aspects: unknown aspect model {urn!r}", where)
            out[aspect] = doc
        return out, document.get("accessLevel")
    aspect = _guess_aspect(document)
    if aspect is None:
        raise InputError(
            f"not a Battery Pass aspect: top-level fields {sorted(document)[:8]} "
            "match no aspect of data model 1.2",
            where,
        )
    return {aspect: document}, None


def validate_battery_pass(document: Any, where: str) -> list[Problem]:
    """Schema problems of an export document (withheld attributes allowed) or a bare aspect."""
    docs, level = split_document(document, where)
    problems = []
    for aspect, doc in docs.items():
        name = aspect
        if aspect == "PerformanceAndDurability" and _is_1_2_0(doc):
            name = PERFORMANCE_1_2_0
        problems += validate_document(name, doc, level, aspect=aspect)
    return problems


def _is_1_2_0(doc: dict) -> bool:
    idle = doc.get("batteryTechicalProperties", {}).get("temperatureRangeIdleState")
    return isinstance(idle, int | float)


def import_battery_pass(document: Any, where: str) -> tuple[dict[str, PassportValue], str]:
    """Attribute key -> imported value, and the passport identifier ("" if absent)."""
    docs, _ = split_document(document, where)
    values: dict[str, PassportValue] = {}
    for attr in attributes():
        doc = docs.get(attr.aspect)
        if doc is None or not attr.battery_pass:
            continue
        found, value, updated = get_path(doc, attr.path)
        if found:
            values[attr.key] = PassportValue(
                value=_from_format(attr.key, value), source="import", detail=where, updated=updated
            )
    perf = docs.get("PerformanceAndDurability")
    if perf is not None and _is_1_2_0(perf):  # 1.2.0: one number, the idle range's lower end
        idle = perf["batteryTechicalProperties"]["temperatureRangeIdleState"]
        values["idle_temperature_lower"] = PassportValue(value=idle, source="import", detail=where)
    identifier = values.get("passport_identifier")
    return values, str(identifier.value) if identifier else str(
        document.get("passportIdentifier", "")
    )
