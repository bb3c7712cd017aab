"""Thermal-runaway decomposition kinetics: four Arrhenius reactions (Hatchard 2001 / Kim 2007).

Hatchard, Dahn et al., J. Electrochem. Soc. 148 (2001) A755, extended to 3D by Kim, Pesaran &
Spotnitz, J. Power Sources 170 (2007) 476 (equations (1)-(13), parameters Table 1):

    SEI decomposition        R_sei = A_sei exp(-E_sei / RT) c_sei                dc_sei/dt = -R_sei
    negative-solvent         R_ne  = A_ne  exp(-z / z_0) exp(-E_ne / RT) c_neg   dc_neg/dt = -R_ne,
                                                                                  dz/dt     =  R_ne
    positive-solvent         R_pe  = A_pe  alpha (1 - alpha) exp(-E_pe / RT)     dalpha/dt =  R_pe
    electrolyte decomposition R_e  = A_e   exp(-E_e / RT) c_e                    dc_e/dt   = -R_e

    heat [W/m^3]  Q = H_sei W_c R_sei + H_ne W_c R_ne + H_pe W_p R_pe + H_e W_e R_e

State per element: (c_sei, c_neg, z, alpha, c_e). Everything is vectorised over elements, and
:func:`advance` integrates the stiff kinetics over a thermal time step with the temperature
frozen, by sub-stepping with an exponential (integrating-factor) update that keeps every
fraction in [0, 1] however large the step.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

__all__ = [
    "KIM2007",
    "KIM2007_POSITIVE",
    "KIM2007_SOURCE",
    "RunawayKinetics",
    "RunawayState",
    "advance",
    "heat_rate",
    "total_heat",
]

GAS_CONSTANT = 8.314462618  # J/(mol K), CODATA 2018


@dataclass(frozen=True)
class RunawayKinetics:
    """Arrhenius parameters (A [1/s], E [J/mol], H [J/kg]), reactant contents W [kg/m^3] and
    initial state; defaults are Kim et al. (2007) Table 1 for an LiCoO2/graphite 18650."""

    a_sei: float = 1.667e15
    e_sei: float = 1.3508e5
    h_sei: float = 2.57e5
    a_ne: float = 2.5e13
    e_ne: float = 1.3508e5
    h_ne: float = 1.714e6
    z0: float = 0.033  # reference dimensionless SEI thickness
    a_pe: float = 6.667e13
    e_pe: float = 1.396e5
    h_pe: float = 3.14e5
    a_e: float = 5.14e25
    e_e: float = 2.74e5
    h_e: float = 1.55e5
    w_c: float = 610.4  # specific carbon content of the jelly roll
    w_p: float = 1221.0  # specific positive active content
    w_e: float = 407.0  # specific electrolyte content
    c_sei0: float = 0.15
    c_neg0: float = 0.75
    z_init: float = 0.033
    alpha0: float = 0.04
    c_e0: float = 1.0

    def as_dict(self) -> dict[str, float]:
        """All parameters by name (for storing with a study)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


KIM2007 = RunawayKinetics()

#: where :data:`KIM2007` comes from, and the positive electrode its reactions were measured on
#: (Hatchard et al. 2001: accelerating-rate calorimetry of LiCoO2 and of MCMB graphite from
#: 18650 cells). Onset and heat of another positive (LFP releases little oxygen and heat, a
#: high-nickel oxide more, earlier) are not these: the library holds no sourced kinetics for
#: one, so such a run is told, not silently given LiCoO2's.
KIM2007_SOURCE = "Kim et al. 2007 (Hatchard et al. 2001)"
KIM2007_POSITIVE = "LCO"


@dataclass
class RunawayState:
    """Reaction progress of every element (arrays of equal length)."""

    c_sei: np.ndarray
    c_neg: np.ndarray
    z: np.ndarray
    alpha: np.ndarray
    c_e: np.ndarray

    @classmethod
    def initial(cls, n: int, kin: RunawayKinetics = KIM2007) -> RunawayState:
        """The fresh-cell state of ``n`` elements."""
        return cls(
            np.full(n, kin.c_sei0),
            np.full(n, kin.c_neg0),
            np.full(n, kin.z_init),
            np.full(n, kin.alpha0),
            np.full(n, kin.c_e0),
        )

    def copy(self) -> RunawayState:
        """An independent copy."""
        return RunawayState(*(getattr(self, f.name).copy() for f in fields(self)))


def _rate_constants(temp: np.ndarray, kin: RunawayKinetics):
    inv_rt = 1.0 / (GAS_CONSTANT * temp)
    return (
        kin.a_sei * np.exp(-kin.e_sei * inv_rt),
        kin.a_ne * np.exp(-kin.e_ne * inv_rt),
        kin.a_pe * np.exp(-kin.e_pe * inv_rt),
        kin.a_e * np.exp(-kin.e_e * inv_rt),
    )


def heat_rate(state: RunawayState, temp: np.ndarray, kin: RunawayKinetics = KIM2007) -> np.ndarray:
    """Volumetric heat release [W/m^3] at the present state and temperature."""
    k_sei, k_ne, k_pe, k_e = _rate_constants(temp, kin)
    r_sei = k_sei * state.c_sei
    r_ne = k_ne * np.exp(-state.z / kin.z0) * state.c_neg
    r_pe = k_pe * state.alpha * (1.0 - state.alpha)
    r_e = k_e * state.c_e
    return (
        kin.h_sei * kin.w_c * r_sei
        + kin.h_ne * kin.w_c * r_ne
        + kin.h_pe * kin.w_p * r_pe
        + kin.h_e * kin.w_e * r_e
    )


def total_heat(state: RunawayState, kin: RunawayKinetics = KIM2007) -> np.ndarray:
    """Heat [J/m^3] the reactions would still release if they all ran to completion."""
    return (
        kin.h_sei * kin.w_c * state.c_sei
        + kin.h_ne * kin.w_c * state.c_neg
        + kin.h_pe * kin.w_p * (1.0 - state.alpha)
        + kin.h_e * kin.w_e * state.c_e
    )


def advance(
    state: RunawayState,
    temp: np.ndarray,
    dt: float,
    kin: RunawayKinetics = KIM2007,
    substeps: int = 1,
) -> np.ndarray:
    """Advance the reactions by ``dt`` at temperature ``temp``; return the heat released [J/m^3].

    First-order reactions are integrated exactly over each sub-step for frozen rate constants
    (c <- c exp(-k dt)); the logistic positive-electrode reaction uses its exact solution
    alpha <- 1 / (1 + (1/alpha - 1) exp(-k dt)); the negative-solvent reaction couples c_neg
    and z and is advanced with z frozen over the sub-step. The heat released is computed from
    the change in reactant contents, so energy is conserved to round-off.
    """
    k_sei, k_ne, k_pe, k_e = _rate_constants(temp, kin)
    before = total_heat(state, kin)
    h = dt / substeps
    for _ in range(substeps):
        state.c_sei *= np.exp(-k_sei * h)
        consumed = state.c_neg * (1.0 - np.exp(-k_ne * np.exp(-state.z / kin.z0) * h))
        state.c_neg -= consumed
        state.z += consumed
        alpha = np.clip(state.alpha, 1e-300, 1.0)
        with np.errstate(over="ignore"):
            state.alpha = 1.0 / (1.0 + (1.0 / alpha - 1.0) * np.exp(-k_pe * h))
        state.c_e *= np.exp(-k_e * h)
    return before - total_heat(state, kin)
