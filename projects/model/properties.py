"""The material properties Cellwright knows: canonical unit (SI, or PyBaMM's convention) and range.

The range is a plausibility bound for any real material of any class, so a typo ("density 27")
is caught on entry with a message that names the property, the unit and the allowed interval.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PROPERTIES", "PropertyDef"]


@dataclass(frozen=True)
class PropertyDef:
    """What one material property means, its canonical unit and its plausible range."""

    name: str
    unit: str
    minimum: float
    maximum: float
    label: str


_DEFS = [
    PropertyDef("density", "kg/m^3", 0.05, 25000.0, "Density"),
    PropertyDef("specific_heat", "J/(kg.K)", 100.0, 6000.0, "Specific heat capacity"),
    PropertyDef("thermal_conductivity", "W/(m.K)", 0.005, 2000.0, "Thermal conductivity"),
    PropertyDef(
        "thermal_conductivity_in_plane", "W/(m.K)", 0.005, 2000.0, "Thermal conductivity, in-plane"
    ),
    PropertyDef(
        "thermal_conductivity_through_plane",
        "W/(m.K)",
        0.005,
        2000.0,
        "Thermal conductivity, through-plane",
    ),
    PropertyDef("youngs_modulus", "Pa", 1e4, 1.5e12, "Young's modulus"),
    PropertyDef("poisson_ratio", "1", 0.0, 0.5, "Poisson's ratio"),
    PropertyDef("yield_strength", "Pa", 1e5, 5e9, "Yield strength"),
    PropertyDef("ultimate_strength", "Pa", 1e5, 5e9, "Ultimate tensile strength"),
    # one point of the S-N curve (fully reversed); with the ultimate strength it fixes the
    # Basquin line through (1e3 cycles, 0.9 S_u) - Shigley's Mechanical Engineering Design, §6-7
    PropertyDef("fatigue_strength", "Pa", 1e5, 5e9, "Fatigue strength (fully reversed)"),
    PropertyDef("fatigue_cycles", "1", 1e4, 1e11, "Cycles at which the fatigue strength holds"),
    # A.h/kg is numerically mAh/g, the unit every datasheet uses
    PropertyDef("specific_capacity", "A.h/kg", 1.0, 4500.0, "Reversible specific capacity"),
    PropertyDef("voltage_min", "V", 0.0, 6.0, "Lower voltage vs Li/Li+"),
    PropertyDef("voltage_max", "V", 0.0, 6.0, "Upper voltage vs Li/Li+"),
    PropertyDef("voltage_average", "V", 0.0, 6.0, "Average voltage vs Li/Li+"),
    PropertyDef(
        "max_concentration",
        "mol/m^3",
        1000.0,
        400000.0,
        "Maximum lithium concentration in the solid",
    ),
    PropertyDef("particle_radius", "m", 1e-9, 1e-4, "Particle radius of an active material"),
    PropertyDef("electrical_conductivity", "S/m", 1e-12, 1e9, "Electrical conductivity"),
    PropertyDef("ionic_conductivity", "S/m", 1e-6, 100.0, "Ionic conductivity (25 °C)"),
    PropertyDef("dynamic_viscosity", "Pa.s", 1e-6, 10.0, "Dynamic viscosity"),
    PropertyDef("porosity", "1", 0.0, 0.95, "Porosity"),
    PropertyDef("thickness", "m", 1e-7, 0.05, "Typical thickness"),
    PropertyDef("emissivity", "1", 0.0, 1.0, "Emissivity"),
    PropertyDef("price", "USD/kg", 0.0, 100000.0, "Price"),
]

PROPERTIES: dict[str, PropertyDef] = {d.name: d for d in _DEFS}
