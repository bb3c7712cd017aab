"""Thickness of a pouch or prismatic cell against state of charge and state of health.

The electrode stack model of Rieger et al. (2016, J. Electrochem. Soc. 163 A1566) and Mohtat,
Lee, Siegel & Stefanopoulou (2019, J. Power Sources, "Towards better estimability of
electrode-specific state of health: decoding the cell expansion": t_cell = n (t_n(x) + t_p(y))
+ t_inactive): the coating is held in its plane by the foil, so
the volume change of its active particles goes into its thickness,

    Δt_cell = Σ_electrodes  n_coatings · L · ε_s · [ΔV/V(x) − ΔV/V(x_ref)],

with n the coatings of that electrode stacked through the cell thickness, L one coating's
thickness, ε_s its active-material volume fraction and ΔV/V the particle volume change at
stoichiometry x (the expression of PyBaMM's "Cell thickness change [m]",
``n_electrodes_parallel · L · ε_s · Δt_change``). The stoichiometries follow the state of charge
linearly inside each electrode's window, as the charge does.

Ageing (state of health s = capacity / initial capacity) enters twice, with loss of lithium
inventory as the fade mode (Birkl et al. 2017, J. Power Sources 341 373): the positive still
reaches its top-of-charge stoichiometry at the upper cut-off, the negative holds (1 − s) of its
swing less lithium at full charge, the positive cannot be refilled by as much at the bottom; and
an irreversible growth — linear in the capacity lost (Mohtat et al. 2021, J. Electrochem. Soc. 168,
"Reversible and irreversible expansion of lithium-ion batteries under a wide range of cycling
conditions": the irreversible expansion of NMC/graphite pouch cells grows with capacity fade),
either with a given coefficient or as the volume of the SEI the lost lithium formed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cellwright.engines.mechanics.swelling_data import Curve
from cellwright.projects.design.electrode import FARADAY

__all__ = ["ElectrodeLayers", "SwellingCell"]


@dataclass(frozen=True)
class ElectrodeLayers:
    """One electrode as it stacks through the cell thickness.

    Attributes
    ----------
    side
        ``"negative"`` or ``"positive"``.
    coatings
        Coated layers of this electrode through the cell thickness.
    coating_thickness
        One coating [m].
    active_fraction
        Active-material volume fraction of the coating.
    empty, full
        Stoichiometry at 0 % and 100 % state of charge of the new cell.
    curve
        Particle volume change against stoichiometry.
    """

    side: str
    coatings: float
    coating_thickness: float
    active_fraction: float
    empty: float
    full: float
    curve: Curve

    def stoichiometry(self, soc: np.ndarray, soh: float = 1.0) -> np.ndarray:
        """Stoichiometry at ``soc`` (of the aged capacity) for loss of lithium inventory."""
        swing = self.full - self.empty
        if self.side == "negative":  # fills from the same empty state, (1 - s) less at the top
            return self.empty + np.asarray(soc) * soh * swing
        # the positive reaches the same top-of-charge state; its bottom moves up by (1 - s)
        start = self.empty + (1.0 - soh) * swing
        return start + np.asarray(soc) * soh * swing

    def thickness(self, stoichiometry: np.ndarray) -> np.ndarray:
        """Thickness of all its coatings relative to the curve's reference state [m]."""
        factor = self.coatings * self.coating_thickness * self.active_fraction
        return factor * self.curve(stoichiometry)

    def window_note(self, field_name: str) -> str | None:
        """A warning when the window leaves the tabulated stoichiometries (the end segment's
        slope is continued there), else None."""
        lo, hi = sorted((self.empty, self.full))
        if lo < self.curve.x[0] - 1e-9 or hi > self.curve.x[-1] + 1e-9:
            return (
                f"{field_name}: the stoichiometry window [{lo:.3f}, {hi:.3f}] leaves the "
                f"tabulated range [{self.curve.x[0]:g}, {self.curve.x[-1]:g}] of the "
                f"{self.curve.name} data; its end slope is continued there"
            )
        return None


@dataclass
class SwellingCell:
    """A cell's free thickness model.

    Attributes
    ----------
    thickness
        Free thickness of the new cell as assembled [m].
    face_area
        Area the module's compression acts on [m^2].
    plan_area
        Area of one electrode layer in plan [m^2] (the SEI volume spreads over it).
    capacity
        Nominal capacity of the new cell [A.h].
    negative, positive
        The electrodes.
    origin
        Where the stack came from (the design's electrodes or a PyBaMM parameter set).
    notes
        Assumptions taken on the way (provenance warnings).
    """

    thickness: float
    face_area: float
    plan_area: float
    capacity: float
    negative: ElectrodeLayers
    positive: ElectrodeLayers
    origin: str
    notes: list[str] = field(default_factory=list)

    def reversible(self, soc, soh: float = 1.0) -> np.ndarray:
        """Thickness change of the electrodes at ``soc`` and ``soh`` relative to the new cell
        fully discharged [m]."""
        total = np.zeros_like(np.asarray(soc, dtype=float))
        for electrode in (self.negative, self.positive):
            now = electrode.thickness(electrode.stoichiometry(soc, soh))
            total = total + now - electrode.thickness(electrode.empty)
        return total

    def irreversible(self, soh: float, law: str, coefficient: float, sei) -> float:
        """Irreversible growth at state of health ``soh`` [m].

        ``law="linear"``: Δt = k (1 − s) t₀ with k = ``coefficient`` (thickness strain per unit
        capacity loss, Mohtat et al. 2021). ``law="sei"``: the lost lithium forms SEI,
        n = (1 − s) Q / (z F) mol of it of molar volume V̄ (PyBaMM's SEI model: z = 2,
        V̄ = 9.585e-5 m³/mol, Safari et al. 2009, J. Electrochem. Soc. 156 A145), a fraction f
        of whose volume shows as thickness over the electrode plan area.
        """
        lost = 1.0 - soh
        if law == "linear":
            return coefficient * lost * self.thickness
        moles = lost * self.capacity * 3600.0 / (sei.electrons * FARADAY)
        return sei.thickness_fraction * moles * sei.molar_volume / self.plan_area

    def thickness_change(self, soc, soh: float, law: str, coefficient: float, sei, ref: float):
        """Free thickness change against the assembly state (new cell at ``ref`` SOC) [m]."""
        base = self.reversible(np.array([ref]))[0]
        grown = self.irreversible(soh, law, coefficient, sei)
        return self.reversible(soc, soh) - base + grown
