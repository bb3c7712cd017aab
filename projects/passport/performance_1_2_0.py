"""Performance and Durability 1.2.0 payloads, read as the 1.2.1 model the attributes map to.

Battery Pass 1.2.1 moved three static values out of ``batteryCondition`` into
``batteryTechicalProperties``, fixed the spelling of three value names, made the idle
temperature range an object (``minimum``/``maximum``) instead of one number, wrapped
``energyThroughput`` with its ``lastUpdate`` and kept one ``remainingPowerCapability``
instead of a list (compare the two shipped schemas). A 1.2.0 payload is validated against its
own schema and then upgraded, so none of those values is lost on import.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["is_performance_1_2_0", "upgrade_performance_1_2_0"]

_TECH, _CONDITION = "batteryTechicalProperties", "batteryCondition"
#: batteryCondition (1.2.0) -> batteryTechicalProperties (1.2.1)
_MOVED = ("roundTripEfficiencyat50PerCentCycleLife", "roundTripEfficiencyFade", "powerFade")
#: batteryCondition entry -> (1.2.0 value name, 1.2.1 value name)
_RESPELLED = {
    "remainingEnergy": ("remainingEnergyalue", "remainingEnergyValue"),
    "currentSelfDischargingRate": (
        "currentSelfDischargingRateEntity",
        "currentSelfDischargingRateValue",
    ),
    "evolutionOfSelfDischarge": (
        "evolutionOfSelfDischargeEntityValue",
        "evolutionOfSelfDischargeValue",
    ),
}


def _part(doc: Any, name: str) -> dict:
    part = doc.get(name) if isinstance(doc, dict) else None
    return part if isinstance(part, dict) else {}


def is_performance_1_2_0(doc: Any) -> bool:
    """Whether a Performance payload has any shape only the 1.2.0 model has."""
    tech, condition = _part(doc, _TECH), _part(doc, _CONDITION)
    return (
        isinstance(tech.get("temperatureRangeIdleState"), int | float)
        or any(key in condition for key in _MOVED)
        or any(old in _part(condition, key) for key, (old, _) in _RESPELLED.items())
        or isinstance(condition.get("energyThroughput"), int | float)
        or isinstance(condition.get("remainingPowerCapability"), list)
    )


def upgrade_performance_1_2_0(doc: dict) -> dict:
    """A copy of a 1.2.0 payload in the 1.2.1 shape (the input is not changed)."""
    doc = copy.deepcopy(doc)
    tech, condition = _part(doc, _TECH), _part(doc, _CONDITION)
    for key in _MOVED:
        if key in condition:
            tech.setdefault(key, condition.pop(key))
    for key, (old, new) in _RESPELLED.items():
        entry = _part(condition, key)
        if old in entry:
            entry[new] = entry.pop(old)
    idle = tech.get("temperatureRangeIdleState")
    if isinstance(idle, int | float):  # one number in 1.2.0: the range's lower end
        tech["temperatureRangeIdleState"] = {"minimum": idle}
    energy = condition.get("energyThroughput")
    if isinstance(energy, int | float):
        condition["energyThroughput"] = {"energyThroughputValue": energy}
    power = condition.get("remainingPowerCapability")
    if isinstance(power, list) and power:  # 1.2.1 keeps the latest one
        dated = [p for p in power if isinstance(p, dict)]
        if dated:
            condition["remainingPowerCapability"] = max(
                dated, key=lambda p: str(p.get("lastUpdate", ""))
            )
    if tech:
        doc[_TECH] = tech
    return doc
