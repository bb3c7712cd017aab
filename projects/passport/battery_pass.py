"""Battery Pass v1.2 JSON: export a passport for an access level, and import one.

An export is one JSON document: the passport identifier, the access level, and each aspect's
payload keyed by its SAMM aspect-model URN, every payload validated against its shipped schema
(:mod:`.schemas`). Only attributes visible at the level are written: the document is built from
the attributes, so a withheld attribute is never copied and then deleted. Import takes that
document, a bare aspect payload as the consortium publishes them (UTF-8 or UTF-16 with a BOM),
or a Catena-X battery_pass aspect (:mod:`.catenax`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cellwright.projects.model import InputError, Passport, PassportValue
from cellwright.projects.passport.attributes import (
    ACCESS_LEVELS,
    Attribute,
    attributes,
    visible,
)
from cellwright.projects.passport.imported_forms import explain_imported_forms
from cellwright.projects.passport.paths import get_path, set_path
from cellwright.projects.passport.performance_1_2_0 import (
    is_performance_1_2_0,
    upgrade_performance_1_2_0,
)
from cellwright.projects.passport.remaining_power import explain_missing_soc
from cellwright.projects.passport.schemas import (
    ASPECTS,
    PERFORMANCE_1_2_0,
    Problem,
    aspect_urn,
    schema,
    validate_document,
)
from cellwright.projects.passport.untaken import leaves, untaken

__all__ = [
    "FORMAT",
    "export_battery_pass",
    "file_path",
    "import_battery_pass",
    "to_format",
    "validate_battery_pass",
]

FORMAT = "cellwright.battery-pass-export/1"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def to_format(key: str, value: Any) -> Any:
    """Passport value -> its Battery Pass representation where the two differ.

    Parameters
    ----------
    key
        Attribute key.
    value
        The value as the passport holds it (a warranty period in whole months).

    Returns
    -------
    Any
        The value as an export writes it (the warranty period as ``xsd:gMonth``, ``"--06"``);
        any other value unchanged.
    """
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if key == "warranty_period" and whole and not isinstance(value, bool):
        # xsd:gMonth, as the 1.2.0 schema types it; 12.5 months is left to fail the schema,
        # not cut to --12
        return f"--{int(value):02d}"
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
            doc, attr.path, to_format(attr.key, value.value), value.updated or stamp, "lastUpdate"
        )
    return docs


def export_battery_pass(
    passport: Passport, level: str, project: str | Path | None = None
) -> tuple[dict, list[Problem]]:
    """The export document for ``level`` and the schema problems of its aspects (``project``:
    the project's path, for the command a problem names to mend it)."""
    docs = aspects_for(passport, level)
    problems = []
    for aspect, doc in docs.items():
        problems += validate_document(aspect, doc, level, aspect=aspect)
    problems = explain_imported_forms(problems, passport, level, project)
    problems = explain_missing_soc(problems, passport, level, project)
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


def aspect_fields(doc: dict) -> tuple[str | None, int]:
    """The aspect whose schema's top-level properties share most keys with ``doc``, and how
    many (on a tie the smaller aspect). Other keys do not count against it: no aspect schema
    forbids additional properties."""
    keys = set(doc)
    best: tuple[str | None, int, int] = (None, 0, 0)
    for aspect in ASPECTS:
        props = set(schema(aspect)["properties"])
        shared = len(keys & props)
        if shared > best[1] or (shared and shared == best[1] and len(props) < best[2]):
            best = (aspect, shared, len(props))
    return best[0], best[1]


def split_document(document: Any, where: str) -> tuple[dict[str, dict], str | None]:
    """Aspect name -> payload of an export document or a bare aspect payload, and the level."""
    if not isinstance(document, dict):
        raise InputError(
            f"a passport is a JSON object, not {_json_kind(document)} at the top level", where
        )
    if "aspects" in document:
        return _split_export(document, where)
    aspect, _ = aspect_fields(document)
    if aspect is None:
        raise InputError(
            f"not a passport: top-level fields {sorted(document)[:8]} match no aspect of "
            "Battery Pass data model 1.2 and are not those of a Catena-X battery_pass aspect",
            where,
        )
    return {aspect: document}, None


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "a string" if isinstance(value, str) else "a number" if value is not None else "null"


def _split_export(document: dict, where: str) -> tuple[dict[str, dict], str | None]:
    """The aspects and access level of an export document (:data:`FORMAT`)."""
    kind = document.get("format", FORMAT)
    if kind != FORMAT:
        name, _, version = str(kind).rpartition("/")
        if name == FORMAT.rpartition("/")[0] and version.isdigit():
            raise InputError(
                f"format: {kind!r} is version {version} of the export document; this "
                f"Cellwright reads version {FORMAT.rpartition('/')[2]}",
                where,
            )
        raise InputError(f"format: {kind!r} is not {FORMAT!r}", where)
    level = document.get("accessLevel")
    if level is not None and level not in ACCESS_LEVELS:
        raise InputError(f"accessLevel: {level!r} is not one of {', '.join(ACCESS_LEVELS)}", where)
    aspects = document["aspects"]
    if not isinstance(aspects, dict):
        raise InputError(
            f"aspects: an object of aspect payloads keyed by their model URN, not "
            f"{_json_kind(aspects)}",
            where,
        )
    out = {}
    for urn, doc in aspects.items():
        aspect = _aspect_of_urn(urn)
        if aspect is None:
            raise InputError(f"aspects: unknown aspect model {urn!r}", where)
        out[aspect] = doc
    return out, level


def validate_battery_pass(document: Any, where: str) -> list[Problem]:
    """Schema problems of an export document (withheld attributes allowed) or a bare aspect;
    a missing required property's ``missing`` is its path in the file."""
    docs, level = split_document(document, where)
    problems = []
    for aspect, doc in docs.items():
        name = aspect
        if aspect == "PerformanceAndDurability" and is_performance_1_2_0(doc):
            name = PERFORMANCE_1_2_0
        at = _prefix(document, aspect)
        problems += [
            replace(p, missing=at + p.missing) if p.missing else p
            for p in validate_document(name, doc, level, aspect=aspect)
        ]
    return problems


def import_battery_pass(
    document: Any, where: str, skipped: list[tuple[str, str]] | None = None
) -> tuple[dict[str, PassportValue], str]:
    """Attribute key -> imported value, and the passport identifier ("" if absent).

    Every value of the document no attribute takes goes into ``skipped`` as
    ``(path in the file, reason)`` (a Performance 1.2.0 payload by its 1.2.1 path).
    """
    docs, _ = split_document(document, where)
    perf = docs.get("PerformanceAndDurability")
    if perf is not None and is_performance_1_2_0(perf):
        docs["PerformanceAndDurability"] = upgrade_performance_1_2_0(perf)
    values: dict[str, PassportValue] = {}
    taken: dict[str, list[str]] = {}
    for attr in attributes():
        doc = docs.get(attr.aspect)
        if doc is None or not attr.battery_pass:
            continue
        found, value, updated = get_path(doc, attr.path)
        if found:
            taken.setdefault(attr.aspect, []).append(attr.path)
            values[attr.key] = PassportValue(
                value=_from_format(attr.key, value), source="import", detail=where, updated=updated
            )
    if skipped is not None:
        for aspect, doc in docs.items():
            rest, lost = untaken(doc, taken.get(aspect, []))
            at = _prefix(document, aspect)
            # the time beside a value taken is taken with it (the value's ``updated``)
            timed = {p[: p.index("{")] + "/lastUpdate" for p in taken.get(aspect, []) if "{" in p}
            skipped += [(at + path, why) for path, why in lost]
            skipped += [
                (at + leaf, _NO_TIME if leaf.endswith("/lastUpdate") else "no attribute takes it")
                for path, value in rest.items()
                for leaf in leaves(value, path)
                if leaf not in timed
            ]
    identifier = values.get("passport_identifier")
    return values, str(identifier.value) if identifier else str(
        document.get("passportIdentifier", "")
    )


_NO_TIME = "a time without the value it dates is not kept"


def _prefix(document: Any, aspect: str) -> str:
    """Where an aspect's payload is in the file: the top, or inside an export document."""
    if isinstance(document, dict) and isinstance(document.get("aspects"), dict):
        for urn in document["aspects"]:
            if _aspect_of_urn(urn) == aspect:
                return f"/aspects/{urn}"
    return ""


def file_path(document: Any, attr: Attribute) -> str:
    """The path in the file ``document`` of an attribute's value."""
    return _prefix(document, attr.aspect) + attr.path
