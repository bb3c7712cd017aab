"""Vibration and shock profiles: the standards' presets (resources/vibration) and users' CSVs.

Random spectra are acceleration PSDs [(m/s²)²/Hz] between breakpoints, interpolated log-log
(a straight line on the standards' log-log plots: G = G₁ (f/f₁)^n). Their mean square is the
exact integral of each segment, ∫ G df = G₁ f₁ ((f₂/f₁)^(n+1) - 1)/(n+1) (n ≠ -1), or
G₁ f₁ ln(f₂/f₁) for n = -1. Sine sweeps hold a constant peak acceleration or a constant peak
displacement d in turn; at a crossover a = (2πf)² d.
"""

from __future__ import annotations

import csv
import math
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from cellwright.projects.model.errors import InputError

__all__ = [
    "G",
    "RandomProfile",
    "ShockPulse",
    "SineSweep",
    "load_vibration_profile",
    "read_psd_csv",
    "shipped_vibration_profiles",
]

G = 9.80665  # m/s², standard gravity


@dataclass(frozen=True)
class RandomProfile:
    """An acceleration PSD [(m/s²)²/Hz] at breakpoints [Hz]; ``duration`` [s] per axis."""

    name: str
    frequency: np.ndarray
    psd: np.ndarray
    duration: float = 0.0
    title: str = ""
    source: str = ""

    def at(self, f: np.ndarray) -> np.ndarray:
        """The PSD at ``f``, log-log between breakpoints, zero outside the band."""
        f = np.asarray(f, dtype=float)
        out = np.zeros_like(f)
        inside = (f >= self.frequency[0]) & (f <= self.frequency[-1])
        positive = self.psd > 0
        if positive.all():
            out[inside] = np.exp(
                np.interp(np.log(f[inside]), np.log(self.frequency), np.log(self.psd))
            )
        else:  # a zero breakpoint: linear in that segment
            out[inside] = np.interp(f[inside], self.frequency, self.psd)
        return out

    @property
    def mean_square(self) -> float:
        """∫ G df over the band [(m/s²)²], exact for log-log segments."""
        total = 0.0
        for (f1, f2), (g1, g2) in zip(
            zip(self.frequency[:-1], self.frequency[1:], strict=True),
            zip(self.psd[:-1], self.psd[1:], strict=True),
            strict=True,
        ):
            if g1 <= 0 or g2 <= 0:
                total += 0.5 * (g1 + g2) * (f2 - f1)
                continue
            n = math.log(g2 / g1) / math.log(f2 / f1)
            if abs(n + 1) < 1e-12:
                total += g1 * f1 * math.log(f2 / f1)
            else:
                total += g1 * f1 * ((f2 / f1) ** (n + 1) - 1) / (n + 1)
        return total

    @property
    def rms(self) -> float:
        """RMS acceleration [m/s²]."""
        return math.sqrt(self.mean_square)


@dataclass(frozen=True)
class SineSweep:
    """A logarithmic sine sweep: peak acceleration [m/s²] as a function of frequency."""

    name: str
    f_start: float
    f_end: float
    segments: tuple[tuple[str, float], ...] = ()  # ("acceleration", m/s²) | ("displacement", m)
    table: tuple[tuple[float, float], ...] = ()  # (Hz, m/s²) log-log, instead of segments
    sweep_time: float = 900.0
    cycles: int = 1
    title: str = ""
    source: str = ""

    @property
    def crossovers(self) -> list[float]:
        """Frequencies [Hz] where one segment hands over to the next."""
        out = []
        for (k1, a1), (k2, a2) in zip(self.segments[:-1], self.segments[1:], strict=True):
            acc, disp = (a1, a2) if k1 == "acceleration" else (a2, a1)
            if {k1, k2} != {"acceleration", "displacement"}:
                raise ValueError(f"{self.name}: neighbouring segments must differ in kind")
            out.append(math.sqrt(acc / disp) / (2 * math.pi))
        return out

    def acceleration(self, f: np.ndarray) -> np.ndarray:
        """Peak base acceleration [m/s²] at ``f`` (zero outside the sweep)."""
        f = np.asarray(f, dtype=float)
        if self.table:
            tf, ta = np.array(self.table).T
            out = np.exp(np.interp(np.log(f), np.log(tf), np.log(ta)))
        else:
            edges = [self.f_start, *self.crossovers, self.f_end]
            out = np.zeros_like(f)
            for k, (kind, amp) in enumerate(self.segments):
                inside = (f >= edges[k]) & (f <= edges[k + 1])
                out[inside] = amp if kind == "acceleration" else (2 * np.pi * f[inside]) ** 2 * amp
        return np.where((f >= self.f_start) & (f <= self.f_end), out, 0.0)


@dataclass(frozen=True)
class ShockPulse:
    """A half-sine acceleration pulse: peak [m/s²], duration [s], number of shocks."""

    name: str
    peak: float
    duration: float
    count: int = 1
    title: str = ""
    source: str = ""


Profile = RandomProfile | SineSweep | ShockPulse


def _unit_factor(unit: str) -> float:
    return {"g": G, "m/s^2": 1.0, "m": 1.0, "g^2/Hz": G**2, "(m/s^2)^2/Hz": 1.0}[unit]


@lru_cache(maxsize=1)
def shipped_vibration_profiles() -> dict[str, Profile]:
    """The standards' profiles in resources/vibration/profiles.toml, by name."""
    from cellwright.resources import ROOT

    data = tomllib.loads((ROOT / "vibration" / "profiles.toml").read_text(encoding="utf-8"))
    out: dict[str, Profile] = {}
    for name, p in data.get("random", {}).items():
        factor = _unit_factor(p["unit"])
        out[name] = RandomProfile(name, np.array(p["frequency"], float),
                                  np.array(p["psd"], float) * factor, p.get("duration", 0.0),
                                  p["title"], p["source"])  # fmt: skip
    for name, p in data.get("sine", {}).items():
        segments = tuple((s["kind"], s["amplitude"] * _unit_factor(s["unit"]))
                         for s in p.get("segments", []))  # fmt: skip
        table = tuple(zip(p.get("table_frequency", []), p.get("table_acceleration", []),
                          strict=True))  # fmt: skip
        out[name] = SineSweep(name, p["f_start"], p["f_end"], segments, table,
                              p["sweep_time"], p["cycles"], p["title"], p["source"])  # fmt: skip
    for name, p in data.get("shock", {}).items():
        out[name] = ShockPulse(name, p["peak"] * G, p["duration"], p.get("count", 1),
                               p["title"], p["source"])  # fmt: skip
    return out


def load_vibration_profile(name_or_path: str, field: str = "profile") -> Profile:
    """A shipped profile by name (any case), or a user's PSD CSV file.

    Raises
    ------
    InputError
        Naming ``field``, the shipped profiles and the problem with the file.
    """
    shipped = {k.upper(): v for k, v in shipped_vibration_profiles().items()}
    found = shipped.get(str(name_or_path).upper())
    if found is not None:
        return found
    path = Path(name_or_path)
    if path.suffix.lower() != ".csv" or not path.is_file():
        names = ", ".join(shipped_vibration_profiles())
        raise InputError(f"{field}: no profile {str(name_or_path)!r} (shipped: {names}; or a "
                         "CSV file of frequency and PSD)")  # fmt: skip
    return read_psd_csv(path)


def read_psd_csv(path: str | Path) -> RandomProfile:
    """A PSD from a CSV with 'Frequency [Hz]' and 'PSD [g^2/Hz]' (or '[(m/s^2)^2/Hz]') columns.

    Raises
    ------
    InputError
        Naming the file and line: missing columns, text, non-increasing frequency, negative PSD.
    """
    from cellwright.projects.userfiles import read_text

    path = Path(path)
    rows = [(n, r) for n, r in enumerate(csv.reader(read_text(path, "PSD file").splitlines()), 1)
            if r and not r[0].lstrip().startswith("#")]  # fmt: skip
    if not rows:
        raise InputError("empty PSD file (expected a header row)", str(path))
    header = rows[0][1]
    f_col = next((i for i, h in enumerate(header) if re.match(r"\s*freq", h, re.I)), None)
    p_col = next((i for i, h in enumerate(header) if re.match(r"\s*(psd|asd)", h, re.I)), None)
    if f_col is None or p_col is None:
        raise InputError(f"line {rows[0][0]}: need 'Frequency [Hz]' and 'PSD [g^2/Hz]' "
                         f"columns, found {header}", str(path))  # fmt: skip
    factor = 1.0 if "m/s" in header[p_col] else G**2
    freq, psd = [], []
    for lineno, row in rows[1:]:
        try:
            f, p = float(row[f_col]), float(row[p_col])
        except (ValueError, IndexError):
            raise InputError(f"line {lineno}: expected two numbers, got {row}", str(path)) from None
        if not (math.isfinite(f) and math.isfinite(p)):  # nan passed both checks below
            raise InputError(f"line {lineno}: frequency and PSD must be finite numbers (got "
                             f"{f:g} Hz, {p:g})", str(path))  # fmt: skip
        if freq and f <= freq[-1]:
            raise InputError(f"line {lineno}: frequency {f:g} Hz does not increase (previous "
                             f"{freq[-1]:g} Hz)", str(path))  # fmt: skip
        if f <= 0 or p < 0:
            raise InputError(f"line {lineno}: frequency must be positive and PSD not negative "
                             f"(got {f:g} Hz, {p:g})", str(path))  # fmt: skip
        freq.append(f)
        psd.append(p * factor)
    if len(freq) < 2:
        raise InputError("a PSD needs at least two rows", str(path))
    return RandomProfile(path.stem, np.array(freq), np.array(psd), 0.0, path.name, str(path))
