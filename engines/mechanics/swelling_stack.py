"""The module stack between its end plates: cells and compression pads in series, held by tie
rods (or bands) of a given stiffness, or by a fixed gap.

Quasi-static and one-dimensional: every element of the chain carries the same force F. A cell
of free thickness t_c + Δ is compressed by t_c ε_c(F/A_c), a pad by t_p ε_p(F/A_p), with the
strains from the tabulated compression curves (small strain: measured from the unloaded
thicknesses); the rods stretch by (F − F₀)/k beyond their assembly length. The module is
assembled with the new cells at the assembly state of charge under the preload F₀, which fixes
the end-plate gap L₀. At any other state the force solves

    N (t_c + Δ − t_c ε_c(F/A_c)) + M t_p (1 − ε_p(F/A_p)) = L₀ + (F − F₀)/k,

whose left side falls and right side rises with F, so one root exists when the stack is longer
than the gap at F = 0 (brentq on a bracket that doubles); otherwise the stack is loose (F = 0).
For linear curves the solution is F = F₀ + k_eq N Δ with 1/k_eq = N t_c/(E_c A_c) +
M t_p/(E_p A_p) + 1/k (tests/validation/test_swelling.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from scipy.optimize import brentq

from cellwright.engines.mechanics.swelling_data import Curve

__all__ = ["ModuleStack", "StackState"]

_MAX_FORCE = 1e9  # N: beyond any module; a bracket that needs more means a rigid, overfull stack


@dataclass(frozen=True)
class StackState:
    """The chain at one instant: force [N] and the strains it causes."""

    force: float
    cell_strain: float
    pad_strain: float


@dataclass(frozen=True)
class ModuleStack:
    """N cells and M pads in series between end plates.

    Attributes
    ----------
    cells, pads
        How many of each.
    cell_thickness, pad_thickness
        Unloaded thicknesses of the new cell at the assembly state and of a pad [m].
    cell_area, pad_area
        Areas the force acts on [m^2].
    cell_curve, pad_curve
        Compressive stress [Pa] against strain [-].
    tie_stiffness
        Axial stiffness of all rods or bands together [N/m]; None: a fixed gap.
    preload
        Force at assembly [N].
    """

    cells: int
    pads: int
    cell_thickness: float
    pad_thickness: float
    cell_area: float
    pad_area: float
    cell_curve: Curve
    pad_curve: Curve
    tie_stiffness: float | None
    preload: float

    def strains(self, force: float) -> tuple[float, float]:
        """Compressive strains of a cell and a pad under ``force``."""
        if force <= 0:
            return 0.0, 0.0
        cell = self.cell_curve.inverse(force / self.cell_area)
        # without pads (pad.count = 0) no pad is strained: the pad curve's strain at the force
        # was reported as theirs, and past its last point warned of pads bottoming out
        pad = self.pad_curve.inverse(force / self.pad_area) if self.pads else 0.0
        return max(cell, 0.0), max(pad, 0.0)

    def length(self, force: float, swell: float) -> float:
        """Length of the stack under ``force`` when each cell has grown by ``swell`` [m]."""
        cell, pad = self.strains(force)
        cells = self.cells * (self.cell_thickness + swell - self.cell_thickness * cell)
        return cells + self.pads * self.pad_thickness * (1.0 - pad)

    @property
    def gap(self) -> float:
        """End-plate gap at assembly (the stack's length under the preload, no swelling) [m]."""
        return self.length(self.preload, 0.0)

    def _tie_stretch(self, force: float) -> float:
        if self.tie_stiffness is None:
            return 0.0
        return (force - self.preload) / self.tie_stiffness

    def solve(self, swell: float) -> StackState:
        """The force and strains when every cell has grown by ``swell`` from assembly."""
        gap = self.gap

        def misfit(force: float) -> float:
            return self.length(force, swell) - gap - self._tie_stretch(force)

        if misfit(0.0) <= 0.0:  # the stack no longer fills the gap: nothing presses
            return StackState(0.0, 0.0, 0.0)
        hi = max(self.preload, 1.0)
        while misfit(hi) > 0.0:
            hi *= 2.0
            if hi > _MAX_FORCE:
                raise ValueError("the stack cannot be compressed into the gap below 1 GN")
        force = brentq(misfit, 0.0, hi, xtol=1e-9 * hi, rtol=1e-13)
        cell, pad = self.strains(force)
        return StackState(float(force), cell, pad)

    def stored_energy(self, force: float) -> float:
        """Elastic energy in cells, pads and rods under ``force`` [J] (∫σ dε over each volume,
        F²/2k in the rods), for the energy balance of the validation."""
        cell, pad = self.strains(force)
        energy = self.cells * self.cell_area * self.cell_thickness * self.cell_curve.integral(cell)
        energy += self.pads * self.pad_area * self.pad_thickness * self.pad_curve.integral(pad)
        if self.tie_stiffness is not None:
            energy += force**2 / (2.0 * self.tie_stiffness)
        return energy
