"""Passport values from measurements: lab runs on the cell and the twin history.

Dynamic attributes (remaining capacity, capacity fade, SOC, throughput, temperature exposure,
negative events) come from the battery's events: telemetry summaries computed at import, life
events, and the latest ``estimate`` event written by the state estimators (engines/twin).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np

from cellwright.projects.model import EventKind, PassportValue
from cellwright.projects.passport.batteries import Battery

__all__ = ["lab_values", "twin_values"]

_STATUS_EVENTS = (EventKind.SECOND_LIFE, EventKind.RECYCLING)


def _v(value: Any, source: str, detail: str, updated: str | None = None) -> PassportValue:
    return PassportValue(value=value, source=source, detail=detail, updated=updated)


def _rated(values: dict[str, PassportValue], key: str) -> float | None:
    value = values.get(key)
    return float(value.value) if value is not None and value.value is not None else None


def lab_values(project, battery: Battery, values: dict[str, PassportValue]) -> dict:
    """Initial round-trip energy efficiency from the first lab run with full cycles."""
    from cellwright.projects.labdata.analysis import cycle_summary
    from cellwright.projects.labdata.runs import load_run
    from cellwright.projects.labdata.table import LabDataError

    rated = _rated(values, "rated_capacity")
    runs = [r for r in project.list("labrun") if r.physical_cell == battery.id]
    for run in sorted(runs, key=lambda r: r.start_time or r.imported_at.isoformat()):
        if run.kind != "timeseries" or rated is None:
            continue
        try:
            summary = cycle_summary(load_run(project, run.id))
        except LabDataError:
            continue
        full = (summary["discharge_capacity_ah"] > 0.5 * rated) & (
            summary["charge_capacity_ah"] > 0.5 * rated
        )
        efficiency = summary["energy_efficiency"][full]
        efficiency = efficiency[np.isfinite(efficiency)]
        if efficiency.size:
            detail = f"lab run {run.name}: mean of {efficiency.size} full cycles"
            return {
                "initial_round_trip_efficiency": _v(
                    round(100 * float(efficiency.mean()), 2), "lab", detail
                )
            }
    return {}


def _telemetry_values(events, rated_ah: float | None) -> dict:
    telemetry = [e for e in events if e.kind == EventKind.TELEMETRY]
    if not telemetry:
        return {}
    total: dict[str, float] = {}
    for event in telemetry:
        for key, value in event.payload.get("summary", {}).items():
            if key.endswith(("_s", "_ah", "_wh")):
                total[key] = total.get(key, 0.0) + float(value)
    last = max(e.payload["end"] for e in telemetry)
    first = min(e.payload["start"] for e in telemetry)
    detail = f"{len(telemetry)} telemetry segment(s), {first} – {last}"
    out = {
        "capacity_throughput": _v(round(total["capacity_throughput_ah"], 3), "twin", detail, last),
        "energy_throughput": _v(
            round(total["energy_throughput_wh"] / 1000, 6), "twin", detail, last
        ),
        "putting_into_service": _v(first, "twin", "first telemetry sample"),
    }
    if rated_ah:
        cycles = total["capacity_throughput_ah"] / (2.0 * rated_ah)
        out["full_cycles"] = _v(
            round(cycles, 2), "twin", detail + "; throughput / (2 × rated)", last
        )
    if "time_above_hot_s" in total:
        for key, name in (
            ("time_above_temperature", "time_above_hot_s"),
            ("time_below_temperature", "time_below_cold_s"),
            ("time_charging_above_temperature", "time_charging_above_hot_s"),
            ("time_charging_below_temperature", "time_charging_below_cold_s"),
        ):
            out[key] = _v(
                round(total[name] / 60.0, 2), "twin", detail + "; above 45 °C / below 0 °C"
            )
        out["temperature_information_updated"] = _v(last, "twin", detail)
    return out


def _instant(time: str) -> datetime:
    """An event's time as an instant (UTC where it has no offset), so that times written with
    different offsets compare by when they happened, not as text."""
    try:
        stamp = datetime.fromisoformat(time.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _life_values(events) -> dict:
    out = {}
    status = [e for e in events if e.kind in _STATUS_EVENTS and e.payload.get("status")]
    if status:
        # the latest in time, not in the chain: event files may be imported in any order, and
        # a recycling in 2030 imported before a second life in 2027 still ends the battery
        last = max(status, key=lambda e: (_instant(e.time), e.seq))
        out["battery_status"] = _v(
            last.payload["status"], "twin", f"{last.kind} event {last.seq} ({last.time})"
        )
    negative = [
        {
            "negativeEvent": str(e.payload.get("description") or e.payload.get("event") or e.kind),
            "lastUpdate": e.time,
        }
        # oldest first by when they happened: files of events come in any order
        for e in sorted(events, key=lambda e: (_instant(e.time), e.seq))
        if e.kind == EventKind.FIELD
    ]
    out["negative_events"] = _v(negative, "twin", f"{len(negative)} field event(s) in the history")
    return out


def _estimate_values(events, values: dict[str, PassportValue]) -> dict:
    estimates = [e for e in events if e.kind == EventKind.ESTIMATE]
    if not estimates:
        return {}
    est = estimates[-1]
    p, when = est.payload, est.payload.get("as_of", est.time)
    detail = f"estimate event {est.seq}: {p.get('method', '')}"
    out = {}
    if p.get("capacity_ah") is not None:
        out["remaining_capacity"] = _v(round(p["capacity_ah"], 4), "twin", detail, when)
        rated = _rated(values, "rated_capacity")
        if rated:
            fade = 100.0 * (1.0 - p["capacity_ah"] / rated)
            out["capacity_fade"] = _v(round(fade, 3), "twin", detail + " vs rated", when)
        energy = _rated(values, "rated_energy")
        nominal = _rated(values, "nominal_voltage")
        if energy and nominal:
            remaining = p["capacity_ah"] * nominal / 1000.0
            out["remaining_energy"] = _v(round(remaining, 6), "twin", detail, when)
            out["state_of_certified_energy"] = _v(
                round(100 * remaining / energy, 3), "twin", detail, when
            )
    if p.get("soc") is not None:
        soc_when = p.get("soc_time") or when
        out["state_of_charge"] = _v(round(100.0 * p["soc"], 2), "twin", detail, soc_when)
    if p.get("resistance_ohm") and p.get("resistance_initial_ohm"):
        increase = 100.0 * (p["resistance_ohm"] / p["resistance_initial_ohm"] - 1.0)
        entry = [
            {
                "internalResistanceIncreaseValue": round(increase, 3),
                "batteryComponent": "cell",
                "lastUpdate": when,
            }
        ]
        out["internal_resistance_increase"] = _v(entry, "twin", detail, when)
    return out


def twin_values(project, battery: Battery, values: dict[str, PassportValue]) -> dict:
    """Dynamic values from the battery's history."""
    events = project.events(battery.id)
    out = _telemetry_values(events, _rated(values, "rated_capacity"))
    out |= _life_values(events)
    out |= _estimate_values(events, values)
    return out
