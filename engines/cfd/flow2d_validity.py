"""What a ``cfd.flow2d`` result says about the limits of its own model: coolant properties
held constant at one temperature.

Both are warnings, not errors: the run is still the best answer the spec asked for, and the
warning says by how much it may be off and which spec field to change.
"""

from __future__ import annotations

import numpy as np

__all__ = ["properties_note", "property_warnings"]

_PROPERTIES = (
    ("density", "density", "kg/m3"),
    ("viscosity", "viscosity", "Pa s"),
    ("conductivity", "conductivity", "W/(m K)"),
    ("specific_heat", "specific heat", "J/(kg K)"),
)
_STRONG = 0.20  # a property changing by more than this over the run is worth a warning


def properties_note(fluid) -> str:
    """The provenance line naming the fluid, the temperature its properties were taken at and
    where they come from."""
    values = ", ".join(
        f"{label} {getattr(fluid, key):.4g} {unit}" for key, label, unit in _PROPERTIES
    )
    if fluid.coolant is None:
        return f"fluid: {fluid.name}, constant properties given in the spec ({values})"
    return (
        f"fluid: {fluid.name}, constant properties at {fluid.reference_temperature:.2f} K "
        f"(spec.reference_temperature): {values}; {fluid.coolant.reference}"
    )


def property_warnings(fluid, fluid_temps: np.ndarray, t_in: float, t_out: float | None):
    """Warnings when the coolant's temperature field leaves its property data, or when its
    properties change strongly over the temperature rise the run held them constant across.
    ``fluid_temps``: temperatures of the fluid cells [K]; ``t_out``: mean outlet temperature."""
    coolant = fluid.coolant
    if coolant is None or fluid_temps.size == 0:
        return []
    out = []
    low, high = float(np.nanmin(fluid_temps)), float(np.nanmax(fluid_temps))
    if high > coolant.t_max or low < coolant.t_min:
        worst = high if high > coolant.t_max else low
        out.append(
            f"the coolant reaches {worst:.1f} K, outside the range of {coolant.name} "
            f"({coolant.t_min:.1f} to {coolant.t_max:.1f} K: freezing/boiling or the limit of "
            f"its property data); the run holds its properties at "
            f"{fluid.reference_temperature:.2f} K and models no phase change: raise the flow "
            "or lower the heat"
        )
    if t_out is None:
        return out
    for key, label, _ in _PROPERTIES:
        if getattr(fluid, key) != float(getattr(coolant, key)(fluid.reference_temperature)):
            continue  # given in the spec: the user's own constant
        at_in, at_out = (float(getattr(coolant, key)(t)) for t in (t_in, t_out))
        change = at_out / at_in - 1.0
        if abs(change) > _STRONG:
            out.append(
                f"the {label} of {coolant.name} changes by {change:+.0%} between the inlet "
                f"({t_in:.1f} K) and the mean outlet ({t_out:.1f} K), but the run holds it at "
                f"its value at {fluid.reference_temperature:.2f} K (spec.reference_temperature);"
                f" set that near the mean coolant temperature ({(t_in + t_out) / 2:.1f} K) or "
                "raise the flow"
            )
    return out
