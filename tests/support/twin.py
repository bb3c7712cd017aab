"""Helpers for twin-history tests: a project with batteries, synthetic telemetry files."""

from __future__ import annotations

from pathlib import Path

import numpy as np

START = 1_700_000_000.0  # 2023-11-14T22:13:20Z, an arbitrary epoch for synthetic telemetry


def telemetry_columns(n: int = 600, dt: float = 1.0, start: float = START, seed: int = 0):
    """A plausible cell telemetry record: a 2 A discharge with noise, 25 °C, SOC in %."""
    rng = np.random.default_rng(seed)
    t = start + dt * np.arange(n)
    current = -2.0 + 0.05 * rng.standard_normal(n)  # > 0 charges: this discharges
    voltage = 3.9 - 0.3 * np.arange(n) / n + 0.002 * rng.standard_normal(n)
    temperature = 25.0 + 0.1 * rng.standard_normal(n)
    soc = 90.0 - 10.0 * np.arange(n) / n
    return {
        "time": t,
        "current": current,
        "voltage": voltage,
        "temperature": temperature,
        "soc": soc,
    }


def write_csv(path: Path, cols: dict, header: dict | None = None) -> Path:
    """Write columns as CSV with the given header names (default: name with SI-ish unit)."""
    names = header or {
        "time": "Time [s]",
        "current": "Current [A]",
        "voltage": "Voltage [V]",
        "temperature": "Temperature [degC]",
        "soc": "SOC [%]",
    }
    keys = [k for k in names if k in cols]
    lines = [",".join(names[k] for k in keys)]
    n = len(cols[keys[0]])
    for i in range(n):
        lines.append(",".join(repr(float(cols[k][i])) for k in keys))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
