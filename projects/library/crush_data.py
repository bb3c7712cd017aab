"""Plasticity data of the crush engine (resources/library/crush.toml), with sources.

Metals: hardening curves (true stress against equivalent plastic strain) and fracture strains by
library material id. Jelly rolls: crushable-foam calibrations (nominal stress against engineering
strain across the layers) by id. Every entry carries its source; a malformed entry is refused
with the file and the entry named.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from cellwright.projects.model import InputError

__all__ = ["CrushData", "FoamCalibration", "HardeningCurve", "crush_data"]

_MPA = 1e6


@dataclass(frozen=True)
class HardeningCurve:
    """True stress [Pa] against equivalent plastic strain [-] and the fracture strain [-]."""

    strain: np.ndarray
    stress: np.ndarray
    fracture_strain: float
    source: str
    #: Cowper–Symonds rate hardening, Y_d = Y [1 + (ε̇/D)^(1/q)]; D = 0: none known
    rate_d: float = 0.0  # [1/s]
    rate_q: float = 1.0
    rate_source: str = ""


@dataclass(frozen=True)
class FoamCalibration:
    """Uniaxial compression of a jelly roll across its layers and its foam parameters (SI)."""

    id: str
    strain: np.ndarray  # engineering strain
    stress: np.ndarray  # nominal stress [Pa]
    modulus: float  # [Pa]
    plastic_poisson: float
    tension: float  # [Pa]
    in_plane_yield_ratio: float
    short_circuit_strain: float
    source: str
    #: radius [m] over which the criterion averages the roll's strain (crush_short)
    short_circuit_length: float = 0.0


@dataclass(frozen=True)
class CrushData:
    """Everything crush.toml holds."""

    metals: dict[str, HardeningCurve]
    jelly_rolls: dict[str, FoamCalibration]


def _curve(entry: dict, where: str) -> tuple[np.ndarray, np.ndarray]:
    strain = np.asarray(entry.get("strain", []), dtype=float)
    stress = np.asarray(entry.get("stress", []), dtype=float) * _MPA
    if strain.size < 2 or strain.size != stress.size or np.any(np.diff(strain) <= 0):
        raise InputError(f"{where}: strain and stress must be equal-length rising lists (>= 2)")
    if not entry.get("source"):
        raise InputError(f"{where}: every entry needs a source")
    return strain, stress


def _rate(entry: dict, where: str) -> tuple[float, float, str]:
    """Cowper–Symonds D, q and their source of a metal entry (0, 1, "" when it has none)."""
    if "cowper_symonds_d" not in entry and "cowper_symonds_q" not in entry:
        return 0.0, 1.0, ""
    try:
        d, q = float(entry["cowper_symonds_d"]), float(entry["cowper_symonds_q"])
    except KeyError as exc:
        raise InputError(f"{where}: missing {exc.args[0]} (give both D and q)") from None
    except (TypeError, ValueError):
        raise InputError(f"{where}: cowper_symonds_d and _q must be numbers") from None
    if not (np.isfinite(d) and np.isfinite(q) and d > 0 and q >= 1):
        raise InputError(f"{where}: cowper_symonds_d must be > 0 [1/s] and _q at least 1")
    if not entry.get("rate_source"):
        raise InputError(f"{where}: the Cowper–Symonds constants need a rate_source")
    return d, q, str(entry["rate_source"])


def read_crush_data(path: Path) -> CrushData:
    """Parse crush.toml.

    Raises
    ------
    InputError
        Naming the file and entry that is malformed.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: {exc}") from None
    metals, rolls = {}, {}
    for mid, entry in data.get("metals", {}).items():
        strain, stress = _curve(entry, f"{path.name} [metals.{mid}]")
        rate = _rate(entry, f"{path.name} [metals.{mid}]")
        metals[mid] = HardeningCurve(strain, stress, float(entry.get("fracture_strain", 0.0)),
                                     entry["source"], *rate)  # fmt: skip
    for rid, entry in data.get("jelly_rolls", {}).items():
        where = f"{path.name} [jelly_rolls.{rid}]"
        strain, stress = _curve(entry, where)
        try:
            rolls[rid] = FoamCalibration(
                rid, strain, stress, float(entry["modulus"]) * _MPA,
                float(entry["plastic_poisson"]), float(entry["tension"]) * _MPA,
                float(entry["in_plane_yield_ratio"]), float(entry["short_circuit_strain"]),
                entry["source"], float(entry.get("short_circuit_length_mm", 0.0)) * 1e-3,
            )  # fmt: skip
        except KeyError as exc:
            raise InputError(f"{where}: missing {exc.args[0]}") from None
        except (TypeError, ValueError):
            raise InputError(f"{where}: the foam's parameters must be numbers") from None
        if not 0.0 <= rolls[rid].short_circuit_length < 0.1:
            raise InputError(f"{where}: short_circuit_length_mm must be at least 0 and below "
                             "100 [mm] (0: each element's own strain)")  # fmt: skip
    return CrushData(metals, rolls)


@lru_cache(maxsize=1)
def crush_data() -> CrushData:
    """The built-in crush data."""
    from cellwright.resources import ROOT

    return read_crush_data(ROOT / "library" / "crush.toml")
