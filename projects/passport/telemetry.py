"""Importing BMS telemetry into a battery's history: checked, idempotent, atomic.

A file is read and checked completely (:mod:`.telemetry_read`) before anything is written; its
columns (compressed chunks in the project's array table) and its ``telemetry`` event are then
written in one transaction. The same bytes are recognised by their SHA-256 and not imported
twice; a file whose time span overlaps telemetry already imported is refused, because the same
samples counted twice would corrupt every throughput and state estimate.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from cellwright.projects.model import EventKind, InputError
from cellwright.projects.passport.batteries import Battery, find_battery
from cellwright.projects.passport.telemetry_read import Telemetry, read_telemetry
from cellwright.projects.store.history import array_digest

__all__ = ["TelemetryImport", "file_sha256", "import_telemetry", "load_telemetry", "rated_capacity"]

#: storage dtypes: time needs float64 (epoch seconds to the microsecond); the measured values
#: have at most 5-6 significant digits from any BMS, which float32 keeps at half the bytes
_DTYPES = {"time": np.float64}
HOT, COLD = 318.15, 273.15  # K: the "extreme temperature" boundaries used for the passport


@dataclass(frozen=True)
class TelemetryImport:
    """What importing one telemetry file did."""

    path: Path
    rows: int
    skipped: str = ""
    notes: tuple[str, ...] = ()  # what the reader assumed (times without a zone taken as UTC)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes (a device or named pipe is refused: it would never end)."""
    from cellwright.projects.userfiles import check_regular

    check_regular(path)
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def rated_capacity(project, battery: Battery) -> float | None:
    """The rated capacity [A.h] of the battery's design, if the project can say."""
    if not battery.obj.design:
        return None
    try:
        from cellwright.projects.design.resolve import find_design

        design, snapshot = find_design(battery.obj.design, project, prefer=battery.kind)
        from cellwright.projects.passport.design_facts import design_facts

        fact = design_facts(design, snapshot).get("rated_capacity")
        return float(fact.value) if fact is not None else None
    except (InputError, ValueError, KeyError):
        return None


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds")


def _summary(cols: dict[str, np.ndarray], dt: np.ndarray) -> dict[str, float]:
    """Throughput and temperature exposure, the passport's dynamic usage values (trapezoidal
    in time; dot products, so ten million rows cost a few hundred milliseconds)."""
    current, voltage = cols["current"], cols["voltage"]
    abs_i = np.abs(current)
    power = np.abs(current * voltage)
    out = {
        "capacity_throughput_ah": float(0.5 * (abs_i[1:] @ dt + abs_i[:-1] @ dt) / 3600.0),
        "energy_throughput_wh": float(0.5 * (power[1:] @ dt + power[:-1] @ dt) / 3600.0),
        "min_voltage_v": float(voltage.min()),
        "max_voltage_v": float(voltage.max()),
    }
    if "temperature" in cols:
        temp = cols["temperature"][:-1]
        charging = current[:-1] > 0
        hot, cold = temp > HOT, temp < COLD
        out |= {
            "min_temperature_k": float(cols["temperature"].min()),
            "max_temperature_k": float(cols["temperature"].max()),
            "time_above_hot_s": float(dt @ hot),
            "time_below_cold_s": float(dt @ cold),
            "time_charging_above_hot_s": float(dt @ (hot & charging)),
            "time_charging_below_cold_s": float(dt @ (cold & charging)),
        }
    return out


def _check_overlap(project, battery: Battery, data: Telemetry, where: str) -> None:
    start, end = float(data.columns["time"][0]), float(data.columns["time"][-1])
    for event in project.events(battery.id):
        if event.kind != EventKind.TELEMETRY:
            continue
        span = event.payload.get("span_s", [0, 0])
        if start <= span[1] and end >= span[0]:
            raise InputError(
                f"its time span {_iso(start)} – {_iso(end)} overlaps telemetry "
                f"already imported from {event.source} ({event.payload['start']} "
                f"– {event.payload['end']})",
                where,
            )


def import_telemetry(
    project,
    path: str | Path,
    serial: str,
    mapping: dict | None = None,
    max_gap: float = 3600.0,
) -> TelemetryImport:
    """Check one telemetry file and store it in ``serial``'s history (one transaction).

    Raises
    ------
    InputError
        Unknown serial, or a bad file (the message names the file, row and column).
    """
    path = Path(path)
    battery = find_battery(project, serial)
    digest = file_sha256(path)
    if project.has_event_source(battery.id, digest):
        return TelemetryImport(path, 0, "already imported (same bytes)")
    data = read_telemetry(path, mapping, battery.kind, rated_capacity(project, battery), max_gap)
    _check_overlap(project, battery, data, str(path))
    prefix = f"twin/{battery.id}/telemetry/{digest[:16]}"
    arrays = {}
    with project.transaction():
        for name, values in data.columns.items():
            stored = np.ascontiguousarray(values, dtype=_DTYPES.get(name, np.float32))
            key = f"{prefix}/{name}"
            project.put_array(key, stored)
            arrays[name] = {"key": key, "sha256": array_digest(stored)}
        t = data.columns["time"]
        payload = {
            "file": path.name,
            "rows": len(data),
            "start": _iso(t[0]),
            "end": _iso(t[-1]),
            "span_s": [float(t[0]), float(t[-1])],
            "units_in_file": data.units_given,
            "arrays": arrays,
            "summary": _summary(data.columns, data.interval),
        }
        project.append_event(
            battery.id,
            EventKind.TELEMETRY,
            _iso(t[0]),
            payload,
            source=path.name,
            source_sha256=digest,
        )
    return TelemetryImport(path, len(data), notes=tuple(data.notes))


def load_telemetry(project, serial: str) -> dict[str, np.ndarray]:
    """All telemetry of a battery, segments joined in time order (SI, current > 0 charging)."""
    battery = find_battery(project, serial)
    segments = [e for e in project.events(battery.id) if e.kind == EventKind.TELEMETRY]
    segments.sort(key=lambda e: e.payload["span_s"][0])
    names = ("time", "current", "voltage", "temperature", "soc")
    parts: dict[str, list[np.ndarray]] = {n: [] for n in names}
    for event in segments:
        arrays = event.payload["arrays"]
        n = event.payload["rows"]
        for name in names:
            if name in arrays:
                parts[name].append(project.get_array(arrays[name]["key"]))
            else:
                parts[name].append(np.full(n, np.nan, dtype=np.float32))
    return {n: np.concatenate(p) if p else np.empty(0) for n, p in parts.items()}
