"""The Catena-X ``io.catenax.battery.battery_pass`` 6.1.0 aspect: export (import and validation:
:mod:`.catenax_read`).

Attributes map to Catena-X paths through the table in resources/passport/attributes.csv, each
with a transform where the two models differ (a kg value becomes ``{value, unit: unit:kilogram}``,
a URL a document list, an enum another spelling). Catena-X asks for much that the regulation
does not (business partner numbers, customs codes, data-carrier layout): those live in the
passport's ``catenax`` part as ``{"/json/path": value}`` (an import keeps there everything no
attribute takes); each such path takes the access level of the attribute whose Catena-X path
contains it, else that of the attributes beside it (:func:`_extra_access`).
"""

from __future__ import annotations

import copy
import math
import uuid
from datetime import UTC, datetime
from typing import Any

from cellwright.projects.model import Passport, PassportValue
from cellwright.projects.passport.attributes import Attribute, access_rank, attributes, visible
from cellwright.projects.passport.paths import contains, parse_path, set_path
from cellwright.projects.passport.schemas import CATENAX, Problem, validate_document

__all__ = ["AT_SOC", "DERIVED", "PARTS", "SPEC_VERSION", "STATUS", "export_catenax", "to_cx"]

_CATEGORY = {"lmt": "LMT", "ev": "EV", "industrial": "industrial", "stationary": "industrial"}
#: Battery Pass battery status -> its Catena-X spelling (an import reads it backwards)
STATUS = {
    "Original": "original",
    "Repurposed": "repurposed",
    "Reused": "re-used",
    "Remanufactured": "remanufactured",
    "Waste": "waste",
}


#: Catena-X field an export computes -> the attributes it is computed from: a value entered
#: for any of them drops the field's kept (imported) value, which described the old ones
DERIVED = {
    "/performance/dynamic/resistance/remaining": (
        "initial_internal_resistance",
        "internal_resistance_increase",
    ),
}
#: what an export writes as its ``specVersion``
SPEC_VERSION = "urn:io.catenax.battery.battery_pass:6.1.0"
#: transform -> the fields of the object at its Catena-X path the attribute takes (the rest
#: belongs to other attributes or is kept: the rated power's ``value`` is the maximum power)
PARTS = {"power_at_soc": ("at20SoC", "at80SoC")}
#: Catena-X rated power field -> state of charge (%) of the Battery Pass entry it holds
AT_SOC = {"at20SoC": 20.0, "at80SoC": 80.0}


def _document(header: str, content: Any) -> list[dict]:
    return [{"contentType": "URL", "header": header, "content": str(content)}]


def _share(values: dict[str, PassportValue], key: str) -> float:
    value = values.get(key)
    try:
        return float(value.value) if value is not None else 0.0
    except (TypeError, ValueError):
        return 0.0


def _composition(items: list[dict], values: dict[str, PassportValue]) -> list[dict]:
    """Battery Pass materials -> Catena-X composition (mass percent of the battery).

    Recycled content is declared per battery and per metal (Art. 8): a material containing
    nickel, cobalt, lithium or lead carries the declared pre- plus post-consumer share of the
    first of those it contains; renewable content is the battery's declared share.
    """
    total = _share(values, "battery_mass") or sum(i["batteryMaterialMass"] for i in items)
    renewable = _share(values, "renewable_content")
    out = []
    for item in items:
        name = item["batteryMaterialName"].lower()
        recycled = 0.0
        for metal in ("nickel", "cobalt", "lithium", "lead"):
            if metal in name:
                recycled = _share(values, f"pre_consumer_recycled_{metal}") + _share(
                    values, f"post_consumer_recycled_{metal}"
                )
                break
        out.append(
            {
                "id": [
                    {
                        "type": "CAS",
                        "id": item["batteryMaterialIdentifier"],
                        "name": item["batteryMaterialName"],
                    }
                ],
                "concentration": round(100.0 * item["batteryMaterialMass"] / total, 4),
                "unit": "unit:percent",
                "critical": bool(item["isCriticalRawMaterial"]),
                "documentation": [],
                "recycled": recycled,
                "renewable": renewable,
                "location": item["batteryMaterialLocation"]["componentName"],
            }
        )
    return out


def _hazardous(items: list[dict]) -> list[dict]:
    return [
        {
            "materialIdentification": [
                {
                    "type": "CAS",
                    "id": i["hazardousSubstanceIdentifier"],
                    "name": i["hazardousSubstanceName"],
                }
            ],
            "concentration": i["hazardousSubstanceConcentration"],
            "materialUnit": "unit:percent",
            "impactOfSubstances": [],
            "documentation": [],
            "critical": False,
            "location": i["hazardousSubstanceLocation"]["componentName"],
        }
        for i in items
    ]


def _power_at_soc(items: Any) -> dict[str, Any]:
    """Battery Pass power capabilities by state of charge -> Catena-X ``at20SoC``/``at80SoC``.

    Both give watts (long-list unit W; the 6.1.0 WattMeasurement), so the numbers carry over;
    an entry at another state of charge has no Catena-X field (Annex IV Part B (4) asks for
    20 % and 80 %).
    """
    out: dict[str, Any] = {}
    for item in items if isinstance(items, list) else []:
        for field, soc in AT_SOC.items():
            if isinstance(item, dict) and _is_soc(item.get("atSoC"), soc):
                out[field] = item.get("powerCapabilityAt")
    return out


def _is_soc(value: Any, soc: float) -> bool:
    return isinstance(value, int | float) and math.isclose(value, soc)


def _remaining_power(value: Any) -> Any:
    """Battery Pass remaining power capability -> Catena-X ``{value (W), time}``: the
    Catena-X field names no state of charge, so the one it was measured at is not carried."""
    if isinstance(value, list):  # a 1.2.0 list: the latest, as 1.2.1 keeps
        dated = [v for v in value if isinstance(v, dict)]
        value = max(dated, key=lambda v: str(v.get("lastUpdate", ""))) if dated else {}
    if not isinstance(value, dict):
        return value
    inner = value.get("remainingPowerCapabilityValue") or {}
    return {
        "value": inner.get("powerCapabilityAt"),
        "time": value.get("lastUpdate") or inner.get("rPCLastUpdated"),
    }


def _components(by_component: dict[str, Any]) -> dict[str, Any]:
    """Catena-X asks for cell, module and pack; a lone cell is its own module and pack."""
    if set(by_component) == {"cell"}:
        return dict.fromkeys(("cell", "module", "pack"), by_component["cell"])
    return by_component


#: transform -> a key every item of a value already in the Catena-X shape has
_CX_ITEM_KEY = {
    "composition": "concentration",
    "hazardous": "materialIdentification",
    "documents": "contentType",
}


def _already_cx(name: str, value: Any) -> bool:
    """Whether a value imported from Catena-X is still in that shape (no way back to the
    Battery Pass one: e.g. a composition in percent has no masses)."""
    if name == "resistance_increase":
        return isinstance(value, dict)
    key = _CX_ITEM_KEY.get(name)
    return (
        key is not None
        and isinstance(value, list)
        and all(isinstance(i, dict) and key in i for i in value)
        and bool(value)
    )


def to_cx(attr: Attribute, value: Any, values: dict[str, PassportValue]) -> Any:
    """Passport value -> Catena-X value by the attribute's transform.

    Parameters
    ----------
    attr
        The attribute; its ``catenax_transform`` names the conversion.
    value
        The attribute's value in the passport (Battery Pass form), or one imported from
        Catena-X that has no way back to that form, returned as it is.
    values
        The passport's other values, for a transform that needs them (the composition's
        percentages of the battery mass).

    Returns
    -------
    Any
        The value as a Catena-X export writes it at ``attr.catenax``.
    """
    name = attr.catenax_transform
    if _already_cx(name, value):
        return value
    if name == "composition":
        return _composition(value, values)
    if name == "hazardous":
        return _hazardous(value)
    if name == "identifier":
        return value.get("identifier") if isinstance(value, dict) else value
    if name == "date":
        return str(value)[:10]
    if name == "months":
        return {"lifeValue": value, "lifeUnit": "unit:month"}
    if name == "category":
        return _CATEGORY.get(str(value), value)
    if name == "kilograms":
        return {"value": value, "unit": "unit:kilogram"}
    if name == "status":
        return STATUS.get(str(value), value)
    if name == "label_document":
        return _document(
            attr.name, value.get("labelingSymbol", "") if isinstance(value, dict) else value
        )
    if name == "document":
        return _document(attr.name, value)
    if name == "documents":
        items = value if isinstance(value, list) else [value]
        return [
            {
                "contentType": str(i.get("mimeType", "text/plain"))
                if isinstance(i, dict)
                else "URL",
                "header": str(i.get("documentType", i.get("negativeEvent", "")))
                if isinstance(i, dict)
                else attr.name,
                "content": str(i.get("documentURL", i.get("lastUpdate", "")))
                if isinstance(i, dict)
                else str(i),
            }
            for i in items
        ]
    if name == "agents":
        return [{"media": str(a), "fireClass": "", "document": []} for a in value]
    if name == "chemistry":
        return f"{value['clearName']} ({value['shortName']})" if isinstance(value, dict) else value
    if name == "footprint":
        return {"value": value, "unit": "kg CO2 / kWh", "type": "Climate Change Total"}
    if name == "power_at_soc":
        return _power_at_soc(value)
    if name == "remaining_power":
        return _remaining_power(value)
    if name == "resistance":
        return _components({item["batteryComponent"]: item["ohmicResistance"] for item in value})
    if name == "resistance_increase":
        increase = {
            item["batteryComponent"]: {
                "value": item["internalResistanceIncreaseValue"],
                "time": item["lastUpdate"],
            }
            for item in value
        }
        return _components(increase)
    return value


def _passport_uuid(identifier: str) -> str:
    """Catena-X wants a UUID: a name-based one (RFC 4122 v5) from the passport identifier."""
    try:
        return f"urn:uuid:{uuid.UUID(identifier.removeprefix('urn:uuid:'))}"
    except ValueError:
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, identifier)}"


def _extra_access(path: str) -> str:
    """Access level of a Catena-X-only path: the highest of the attributes containing it; else
    the lowest of the attributes in the nearest object below the top holding any (a remaining
    resistance beside its increase is as restricted as the increase); else public."""
    names = [name for name, _, _ in parse_path(path)[0]]
    inside: list[str] = []
    beside: dict[int, list[str]] = {}
    for attr in attributes():
        if not attr.catenax:
            continue
        if contains(attr.catenax, path):
            inside.append(attr.access)
            continue
        outer = [name for name, _, _ in parse_path(attr.catenax)[0]]
        depth = 0
        while depth < min(len(outer), len(names)) and outer[depth] == names[depth]:
            depth += 1
        beside.setdefault(depth, []).append(attr.access)
    if inside:
        return max(inside, key=access_rank)
    nearest = max(beside, default=0)
    return min(beside[nearest], key=access_rank) if nearest else "public"


def export_catenax(passport: Passport, level: str) -> tuple[dict, list[Problem]]:
    """The Catena-X aspect for ``level`` and its schema problems."""
    doc: dict[str, Any] = {"specVersion": SPEC_VERSION}
    stamp = passport.issued_at or datetime.now(UTC).isoformat(timespec="seconds")
    for attr in attributes():
        value = passport.values.get(attr.key)
        if not attr.catenax or value is None or not visible(attr, level):
            continue
        converted = to_cx(attr, value.value, passport.values)
        if attr.key == "passport_identifier":
            converted = _passport_uuid(str(value.value))
        set_path(doc, attr.catenax, converted, value.updated or stamp, "time")
    _remaining_resistance(doc, passport, level)
    # Catena-X-only fields last: a business partner number replaces a plain identifier
    for path, value in passport.catenax.items():
        if access_rank(_extra_access(path)) <= access_rank(level):
            set_path(doc, path, copy.deepcopy(value), None, "time")
    doc.setdefault("metadata", {}).setdefault("version", str(passport.version))
    problems = validate_document(CATENAX, doc, level, lambda a: a.catenax, aspect="Catena-X")
    return doc, problems


def _remaining_resistance(doc: dict, passport: Passport, level: str) -> None:
    """Catena-X's present resistance: the initial one times (1 + the increase)."""
    initial = passport.values.get("initial_internal_resistance")
    increase = passport.values.get("internal_resistance_increase")
    attr = next(a for a in attributes() if a.key == "internal_resistance_increase")
    if initial is None or increase is None or not visible(attr, level):
        return
    try:
        r0 = {i["batteryComponent"]: float(i["ohmicResistance"]) for i in initial.value}
        rise = _increase_by_part(increase.value)
        remaining = {
            part: {
                "value": round(r0[part] * (1 + float(rise[part][0]) / 100), 6),
                "time": rise[part][1],
            }
            for part in r0
            if part in rise
        }
    except (TypeError, ValueError, KeyError):
        return
    if remaining:
        path = next(iter(DERIVED))
        set_path(doc, path, _components(remaining), None, "time")


def _increase_by_part(value: Any) -> dict[str, tuple[Any, Any]]:
    """Component -> (increase in %, time) of a Battery Pass increase list, or of one imported
    from Catena-X and kept in its shape (``{cell: {value, time}, ...}``)."""
    if isinstance(value, dict):
        return {part: (v["value"], v["time"]) for part, v in value.items()}
    return {
        i["batteryComponent"]: (i["internalResistanceIncreaseValue"], i["lastUpdate"])
        for i in value
    }
