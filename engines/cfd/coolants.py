"""Coolant properties as functions of temperature, from CoolProp, with their sources.

Each coolant the library names is mapped to a CoolProp fluid (Bell et al. 2014, Ind. Eng. Chem.
Res. 53 2498). CoolProp is called once per coolant and process to tabulate density, viscosity,
specific heat and conductivity every 0.5 K over the coolant's valid liquid (or gas) range; the
solvers then interpolate those tables, which costs microseconds where a CoolProp call per
branch and iteration would cost milliseconds.

A coolant CoolProp does not carry (the library's Novec 7500) falls back to the constant
properties of its library entry, and the result says so.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from cellwright.projects.model import InputError, Material

__all__ = ["COOLANTS", "Coolant", "CoolantSource", "coolant_for"]

_ATMOSPHERE = 101325.0  # Pa: the tables are at 1 atm; liquid properties barely depend on it


@dataclass(frozen=True)
class CoolantSource:
    """Where a coolant's properties come from: a CoolProp fluid and the data behind it."""

    fluid: str
    name: str
    reference: str
    t_min: float  # K, lower end of the tabulated range (freezing point or fit limit)
    t_max: float  # K, upper end (boiling at 1 atm or fit limit)


COOLANTS: dict[str, CoolantSource] = {
    "water": CoolantSource(
        "Water",
        "water",
        "IAPWS-95 (Wagner & Pruss 2002, J. Phys. Chem. Ref. Data 31 387); viscosity Huber et "
        "al. 2009, conductivity Huber et al. 2012; via CoolProp",
        274.0,
        372.0,
    ),
    "water-glycol-50": CoolantSource(
        "INCOMP::MEG-50%",
        "ethylene glycol-water 50/50 (by mass)",
        "Melinder 2010, Properties of Secondary Working Fluids (IIR), CoolProp fit MEG",
        240.0,
        373.0,
    ),
    "propylene-glycol-50": CoolantSource(
        "INCOMP::MPG-50%",
        "propylene glycol-water 50/50 (by mass)",
        "Melinder 2010, Properties of Secondary Working Fluids (IIR), CoolProp fit MPG",
        240.0,
        373.0,
    ),
    "silicone-oil-kt3": CoolantSource(
        "INCOMP::PMS1",
        "dielectric silicone oil (polydimethylsiloxane, Baysilone KT3)",
        "Melinder 2010, Properties of Secondary Working Fluids (IIR), CoolProp fit PMS1",
        200.0,
        373.0,
    ),
    "air": CoolantSource(
        "Air",
        "dry air at 1 atm",
        "Lemmon et al. 2000 (J. Phys. Chem. Ref. Data 29 331); transport Lemmon & Jacobsen "
        "2004; via CoolProp",
        200.0,
        600.0,
    ),
}

_STEP = 0.5  # K between tabulated temperatures; linear interpolation error < 1e-4 relative


@dataclass(frozen=True)
class Coolant:
    """Properties of one coolant against temperature [K]: tables interpolated linearly.

    Attributes
    ----------
    id, name, reference
        The coolant's library id, a readable name and where its values come from.
    temperatures
        Tabulated temperatures [K], increasing.
    density, viscosity, specific_heat, conductivity
        Tables [kg/m^3], [Pa s], [J/(kg K)], [W/(m K)] at ``temperatures``.
    """

    id: str
    name: str
    reference: str
    temperatures: np.ndarray
    density_table: np.ndarray
    viscosity_table: np.ndarray
    specific_heat_table: np.ndarray
    conductivity_table: np.ndarray

    @property
    def t_min(self) -> float:
        """Lowest temperature with data [K]."""
        return float(self.temperatures[0])

    @property
    def t_max(self) -> float:
        """Highest temperature with data [K]."""
        return float(self.temperatures[-1])

    def _at(self, table: np.ndarray, temperature):
        return np.interp(temperature, self.temperatures, table)

    def density(self, temperature):
        """Density [kg/m^3]."""
        return self._at(self.density_table, temperature)

    def viscosity(self, temperature):
        """Dynamic viscosity [Pa s]."""
        return self._at(self.viscosity_table, temperature)

    def specific_heat(self, temperature):
        """Isobaric specific heat [J/(kg K)]."""
        return self._at(self.specific_heat_table, temperature)

    def conductivity(self, temperature):
        """Thermal conductivity [W/(m K)]."""
        return self._at(self.conductivity_table, temperature)

    def enthalpy(self, temperature):
        """Specific enthalpy above the table's lowest temperature [J/kg]: the integral of c_p.

        Integrated with the trapezoidal rule on the table and interpolated linearly, so that
        :meth:`temperature_at` inverts it exactly and a march in enthalpy conserves energy to
        round-off.
        """
        return self._at(self._enthalpy_table, temperature)

    def temperature_at(self, enthalpy):
        """The temperature [K] at specific enthalpy ``enthalpy`` (inverse of :meth:`enthalpy`)."""
        table = self._enthalpy_table
        beyond = (enthalpy - table[-1]) / self.specific_heat_table[-1]
        return np.where(
            enthalpy > table[-1],
            self.temperatures[-1] + beyond,
            np.interp(enthalpy, table, self.temperatures),
        )

    def scalar(self, name: str, x: float) -> float:
        """One value of a table by linear interpolation, fast for a scalar (a march calls this
        per segment). ``name``: "enthalpy", "specific_heat", or "temperature" (the inverse of
        enthalpy). Outside the table the end intervals are extended linearly."""
        lists = self.__dict__.get("_lists")
        if lists is None:
            t = self.temperatures.tolist()
            lists = {
                "enthalpy": (t, self._enthalpy_table.tolist()),
                "specific_heat": (t, self.specific_heat_table.tolist()),
                "temperature": (self._enthalpy_table.tolist(), t),
            }
            object.__setattr__(self, "_lists", lists)
        xs, ys = lists[name]
        i = min(max(bisect.bisect_right(xs, x) - 1, 0), len(xs) - 2)
        return ys[i] + (ys[i + 1] - ys[i]) * (x - xs[i]) / (xs[i + 1] - xs[i])

    @property
    def _enthalpy_table(self) -> np.ndarray:
        cached = self.__dict__.get("_h")
        if cached is None:
            t, cp = self.temperatures, self.specific_heat_table
            cached = np.concatenate([[0.0], np.cumsum(np.diff(t) * (cp[1:] + cp[:-1]) / 2)])
            object.__setattr__(self, "_h", cached)
        return cached

    def prandtl(self, temperature):
        """Prandtl number mu c_p / k."""
        return (
            self.viscosity(temperature)
            * self.specific_heat(temperature)
            / self.conductivity(temperature)
        )

    def check(self, temperature: float, where: str) -> None:
        """Raise :class:`InputError` if ``temperature`` is outside the coolant's data."""
        if not self.t_min <= temperature <= self.t_max:
            raise InputError(
                f"{temperature:.2f} K is outside the range of {self.name} ({self.t_min:.1f} to "
                f"{self.t_max:.1f} K: freezing/boiling or the limit of its property data)",
                where,
            )


@lru_cache(maxsize=16)
def _tabulated(coolant_id: str) -> Coolant:
    from CoolProp.CoolProp import PropsSI  # ~2 s to import: only when a coolant is needed

    src = COOLANTS[coolant_id]
    temps = np.arange(src.t_min, src.t_max + 1e-9, _STEP)
    pressure = np.full_like(temps, _ATMOSPHERE)
    tables = [PropsSI(key, "T", temps, "P", pressure, src.fluid) for key in ("D", "V", "C", "L")]
    return Coolant(coolant_id, src.name, src.reference, temps, *(np.asarray(t) for t in tables))


def _constant(material: Material) -> Coolant:
    values = {}
    for prop in ("density", "dynamic_viscosity", "specific_heat", "thermal_conductivity"):
        value = material.value(prop)
        if value is None:
            raise InputError(
                f"coolant {material.id!r} has no {prop} in the library and no CoolProp data; "
                f"use one of {', '.join(COOLANTS)}",
                "coolant",
            )
        values[prop] = np.full(2, float(value))
    source = material.properties["dynamic_viscosity"].source
    return Coolant(
        material.id,
        material.name,
        f"constant library values ({source})",
        np.array([200.0, 450.0]),
        values["density"],
        values["dynamic_viscosity"],
        values["specific_heat"],
        values["thermal_conductivity"],
    )


def coolant_for(coolant_id: str, materials: Mapping[str, Material] | None = None) -> Coolant:
    """The coolant called ``coolant_id``: CoolProp tables, or constant library values.

    Raises
    ------
    InputError
        If the id is neither a CoolProp-backed coolant nor a library coolant in ``materials``.
    """
    if coolant_id in COOLANTS:
        return _tabulated(coolant_id)
    material = (materials or {}).get(coolant_id)
    if material is not None and str(material.material_class) == "coolant":
        return _constant(material)
    raise InputError(
        f"unknown coolant {coolant_id!r}; coolants with temperature-dependent data: "
        f"{', '.join(COOLANTS)}",
        "coolant",
    )


def is_constant(coolant: Coolant) -> bool:
    """True when the coolant's properties do not depend on temperature (library fallback)."""
    return coolant.id not in COOLANTS
