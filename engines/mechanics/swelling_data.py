"""The swelling engine's tables: particle volume change against lithiation, and the
through-thickness compression curves of pads and cells (resources/swelling, README.md there
gives every source).

A :class:`Curve` is a table with linear interpolation that continues its end segments beyond
its points; the engine warns when a stoichiometry window or a compression leaves the table.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from cellwright.projects.model import InputError
from cellwright.resources import ROOT

__all__ = [
    "Curve",
    "compression_curve",
    "known_chemistries",
    "volume_change_curve",
]

_DIR = ROOT / "swelling"


@dataclass(frozen=True)
class Curve:
    """A tabulated function ``y(x)`` with increasing ``x``.

    Attributes
    ----------
    name
        What the curve is, for messages.
    x, y
        The points.
    source
        Where the points come from (a key of resources/swelling/README.md or "study").
    """

    name: str
    x: np.ndarray
    y: np.ndarray
    source: str

    def __call__(self, x: np.ndarray | float) -> np.ndarray:
        """Linear interpolation; beyond the ends, the end segment's slope continued."""
        x = np.asarray(x, dtype=float)
        y = np.interp(x, self.x, self.y)
        lo_slope = (self.y[1] - self.y[0]) / (self.x[1] - self.x[0])
        hi_slope = (self.y[-1] - self.y[-2]) / (self.x[-1] - self.x[-2])
        y = np.where(x < self.x[0], self.y[0] + lo_slope * (x - self.x[0]), y)
        return np.where(x > self.x[-1], self.y[-1] + hi_slope * (x - self.x[-1]), y)

    def inverse(self, y: float) -> float:
        """The ``x`` with ``self(x) == y`` for a strictly increasing curve."""
        if y <= self.y[0]:
            slope = (self.y[1] - self.y[0]) / (self.x[1] - self.x[0])
            return float(self.x[0] + (y - self.y[0]) / slope)
        if y >= self.y[-1]:
            slope = (self.y[-1] - self.y[-2]) / (self.x[-1] - self.x[-2])
            return float(self.x[-1] + (y - self.y[-1]) / slope)
        return float(np.interp(y, self.y, self.x))

    def integral(self, x: float) -> float:
        """∫₀ˣ y dx of the piecewise-linear curve (strain-energy density of a stress curve)."""
        knots = self.x[(self.x > 0) & (self.x < x)]
        pts = np.concatenate([[0.0], knots, [x]])
        vals = self(pts)
        return float(np.sum(0.5 * (vals[1:] + vals[:-1]) * np.diff(pts)))


def make_curve(name: str, x, y, source: str, field: str, increasing: bool = False) -> Curve:
    """A :class:`Curve` from study or table points; InputError naming ``field`` if they are not
    usable (fewer than two points, unequal lengths, x not increasing, y not increasing)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.ndim != 1 or x.shape != y.shape or x.size < 2:
        raise InputError(f"{field}: needs at least two points and as many x as y values")
    if np.any(np.diff(x) <= 0):
        raise InputError(f"{field}: the {name} points must be in increasing order")
    if increasing and np.any(np.diff(y) <= 0):
        raise InputError(f"{field}: the stress must increase with the strain")
    return Curve(name, x, y, source)


def _read(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def _volume_rows() -> dict[str, list[dict[str, str]]]:
    rows: dict[str, list[dict[str, str]]] = {}
    for row in _read(_DIR / "volume_change.csv"):
        rows.setdefault(row["material"].lower(), []).append(row)
    return rows


@lru_cache(maxsize=1)
def _compression_rows() -> dict[str, list[dict[str, str]]]:
    rows: dict[str, list[dict[str, str]]] = {}
    for row in _read(_DIR / "compression.csv"):
        rows.setdefault(row["curve"], []).append(row)
    return rows


#: how library chemistries that name a family map onto a tabulated material
_ALIASES = {
    "nmc": "nmc111", "ncm111": "nmc111", "ncm532": "nmc532", "ncm622": "nmc622",
    "ncm811": "nmc811", "licoo2": "lco",
}  # fmt: skip

#: Layered oxides that take the NMC811 curve as a function of lithium content: Jousseaume,
#: Colin, Chandesris, Lyonnard & Tardif (2024), Energy Environ. Sci. 17 2753, found by operando
#: XRD that the lattice strain of LiNixMnyCozO2 depends on the lithium content alone, whatever
#: the nickel content (LiNiO2 excepted). NCA (same R-3m structure, Ni-rich) is taken alike as an
#: assumption: the paper studied NMC compositions (resources/swelling/README.md).
_BY_LITHIUM_CONTENT = {"nmc532": "nmc811", "nmc622": "nmc811", "nca": "nmc811"}
_BY_LITHIUM_CONTENT_SOURCE = "jousseaume2024 (kondrakov2017 NMC811 curve)"


def known_chemistries() -> list[str]:
    """The chemistries with a volume change: tabulated, or mapped onto a tabulated curve."""
    return sorted(set(_volume_rows()) | set(_BY_LITHIUM_CONTENT))


def volume_change_curve(chemistry: str, field: str) -> Curve:
    """The particle volume change of ``chemistry`` against stoichiometry."""
    key = chemistry.strip().lower()
    key = _ALIASES.get(key, key)
    source = None
    if key in _BY_LITHIUM_CONTENT:
        key, source = _BY_LITHIUM_CONTENT[key], _BY_LITHIUM_CONTENT_SOURCE
    rows = _volume_rows().get(key)
    if rows is None:
        raise InputError(
            f"{field}: no volume-change data for chemistry {chemistry!r} (tabulated: "
            f"{', '.join(known_chemistries())}); give the curve in the study as "
            f"spec.{field.split('.')[0]}_volume_change = "
            "{stoichiometry = [...], volume_change = [...]}"
        )
    x = [float(r["stoichiometry"]) for r in rows]
    y = [float(r["volume_change"]) for r in rows]
    source = source or rows[0]["source"]
    return make_curve(f"{chemistry} volume change", x, y, source, field)


def compression_curve(name: str, field: str) -> Curve:
    """A shipped compression curve (stress [Pa] against strain [-]) by name."""
    rows = _compression_rows().get(name)
    if rows is None:
        known = ", ".join(sorted(_compression_rows()))
        raise InputError(f"{field}: no compression curve {name!r}; shipped curves: {known}")
    x = [float(r["strain"]) for r in rows]
    y = [float(r["stress"]) for r in rows]
    return make_curve(f"{name} compression", x, y, rows[0]["source"], field, increasing=True)
