"""Figures of one coated electrode per unit of coated area: masses, pores and capacity.

Two ways to the capacity, chosen by what the design states:

* stoichiometry window given (as PyBaMM parameter sets define it): the charge stored in the
  active particles between the lithiation limits reached at the cut-off voltages,
  ``q = F c_max φ_s L (x_max - x_min)`` per unit area — the electrode capacity of
  porous-electrode theory (Doyle, Fuller & Newman 1993, J. Electrochem. Soc. 140 1526; the
  same expression PyBaMM reports as "Positive/Negative electrode capacity [A.h]" when the window
  is [0, 1]);
* otherwise from the active mass: ``q = m_active q_spec u`` with the reversible specific
  capacity ``q_spec`` of the material and a utilisation ``u``.
"""

from __future__ import annotations

from dataclasses import dataclass

from cellwright.projects.design.materials import MaterialTable
from cellwright.projects.model import Electrode

__all__ = ["FARADAY", "CoatingFigures", "coating_figures", "host_capacity"]

FARADAY = 96485.33212  # C/mol, CODATA 2018 exact value of N_A e
_SECONDS_PER_HOUR = 3600.0


@dataclass(frozen=True)
class CoatingFigures:
    """One coating layer (one side of one sheet) per square metre of coated area.

    Attributes
    ----------
    active_volume_fraction
        Volume share of active particles in the coating.
    active_mass, inactive_mass
        Active material and binder + conductive additive [kg/m^2].
    pore_volume
        Pore volume filled by electrolyte [m^3/m^2].
    usable_capacity
        Capacity delivered between the cut-off voltages [A.h/m^2].
    reversible_capacity
        Capacity of the whole lithiation range (stoichiometry 0..1) or at the material's
        full reversible specific capacity [A.h/m^2]; the numerator of the N/P ratio.
    collector_mass
        Current-collector foil under one coated side, i.e. per m^2 of foil [kg/m^2].
    method
        ``"stoichiometry"`` or ``"specific capacity"``.
    """

    active_volume_fraction: float
    active_mass: float
    inactive_mass: float
    pore_volume: float
    usable_capacity: float
    reversible_capacity: float
    collector_mass: float
    method: str


def host_capacity(c_max: float, active_fraction: float, thickness: float) -> float:
    """The charge [A.h/m²] of all the lithium sites of a coating: F c_max of its active
    volume (not its practical capacity: a layered oxide gives up about two thirds of it)."""
    return FARADAY * c_max * active_fraction * thickness / _SECONDS_PER_HOUR


def coating_figures(electrode: Electrode, table: MaterialTable, field: str) -> CoatingFigures:
    """Per-area figures of ``electrode``; ``field`` ("positive") prefixes error messages."""
    rho_active = table.density(electrode.active_material, f"{field}.active_material")
    phi_active, inactive_volume, rho_inactive = _volume_fractions(
        electrode, table, field, rho_active
    )
    thickness = electrode.coating_thickness
    active_mass = phi_active * rho_active * thickness
    lo, hi = electrode.stoichiometry_min, electrode.stoichiometry_max
    if lo is not None and hi is not None:
        c_max = table.value(
            electrode.active_material, f"{field}.active_material", "max_concentration"
        )
        full = host_capacity(c_max, phi_active, thickness)
        usable, method = full * (hi - lo), "stoichiometry"
    else:
        q_spec = table.value(
            electrode.active_material, f"{field}.active_material", "specific_capacity"
        )
        full = active_mass * q_spec
        usable, method = full * electrode.utilisation, "specific capacity"
    collector = electrode.collector_thickness * table.density(
        electrode.current_collector, f"{field}.current_collector"
    )
    return CoatingFigures(
        active_volume_fraction=phi_active,
        active_mass=active_mass,
        inactive_mass=inactive_volume * rho_inactive * thickness,
        pore_volume=electrode.porosity * thickness,
        usable_capacity=usable,
        reversible_capacity=full,
        collector_mass=collector,
        method=method,
    )


def _volume_fractions(
    electrode: Electrode, table: MaterialTable, field: str, rho_active: float
) -> tuple[float, float, float]:
    """Active and inactive solid volume fractions and the inactive phase's mean density.

    Mass fractions w_i become volume fractions by the rule of mixtures,
    ``φ_i = (1 - ε) (w_i / ρ_i) / Σ_j (w_j / ρ_j)``; a stated active volume fraction takes
    precedence and the rest of the solid is binder and additive in their mass ratio.
    """
    solid = 1.0 - electrode.porosity
    parts = []  # (mass fraction, density) of binder and additive
    for slug, fraction, name in (
        (electrode.binder, electrode.binder_fraction, "binder"),
        (electrode.conductive_additive, electrode.additive_fraction, "conductive_additive"),
    ):
        if fraction <= 0:
            continue
        if slug is None and electrode.active_volume_fraction is None:
            raise _missing_inactive(field, name, fraction)
        if slug is not None:
            parts.append((fraction, table.density(slug, f"{field}.{name}")))
    inactive_specific_volume = sum(w / rho for w, rho in parts)
    inactive_mass_fraction = sum(w for w, _ in parts)
    rho_inactive = (
        inactive_mass_fraction / inactive_specific_volume if inactive_specific_volume else 0.0
    )
    if electrode.active_volume_fraction is not None:
        phi_active = electrode.active_volume_fraction
        phi_inactive = max(solid - phi_active, 0.0)
        if phi_inactive > 1e-9 and not parts:
            raise _missing_inactive(field, "binder", phi_inactive, volume=True)
        return phi_active, phi_inactive, rho_inactive
    active_specific_volume = electrode.active_fraction / rho_active
    share = active_specific_volume / (active_specific_volume + inactive_specific_volume)
    return solid * share, solid * (1.0 - share), rho_inactive


def _missing_inactive(field: str, name: str, amount: float, volume: bool = False):
    from cellwright.projects.model import InputError

    what = "volume fraction" if volume else "mass fraction"
    return InputError(
        f"{field}.{name}: the coating has a {name.replace('_', ' ')} {what} of {amount:.3g} "
        f"but no {name} material is named (set {field}.{name}, or its fraction to 0)"
    )
