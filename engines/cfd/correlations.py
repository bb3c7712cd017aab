"""Friction factors and Nusselt numbers of ducts, each returned with the name of its source.

Caleb Bell's ``fluids`` and ``ht`` supply what they carry (Hagen–Poiseuille, Colebrook,
Gnielinski 1976, Hausen, Shah & London's H1 Nusselt fit of rectangular ducts); the
rest is written here from its source, named beside the code:

- rectangular-duct fully developed fRe and Nu_T: Shah & London (1978), *Laminar Flow Forced
  Convection in Ducts*, ch. VII, polynomial fits in the aspect ratio α (short/long side);
- apparent friction of developing laminar flow: Shah (1978), J. Fluids Eng. 100 177 (circular
  tubes), and Muzychka & Yovanovich (2009), J. Fluids Eng. 131 111105 (other ducts);
- mean Nu of simultaneously developing laminar flow and the laminar–turbulent interpolation:
  VDI Heat Atlas, 2nd ed. (2010), ch. G1 (Gnielinski), constant wall temperature and constant
  heat flux, with the duct's own fully developed Nu in place of the tube's;
- friction through the transition, Re 2300-4000: the same linear interpolation, on f Re^2;
- smooth-tube turbulent friction for Gnielinski: Petukhov (1970) / Filonenko (1954).

Friction factors are Darcy's (4 × Fanning) throughout; lengths are hydraulic diameters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

__all__ = [
    "LAMINAR_LIMIT",
    "TURBULENT_LIMIT",
    "Duct",
    "Nusselt",
    "friction_factor",
    "fully_developed_nusselt",
    "laminar_fre",
    "nusselt",
    "petukhov_friction",
    "vdi_developing_nusselt",
]

LAMINAR_LIMIT = 2300.0  # Re below which pipe flow stays laminar (VDI Heat Atlas G1)
TURBULENT_LIMIT = 1e4  # Re above which Gnielinski's turbulent equation holds (VDI G1)
TRANSITION_END = 4000.0  # Re from which the friction factor is Colebrook's (turbulent)
WallCondition = Literal["temperature", "heat_flux"]


@dataclass(frozen=True)
class Duct:
    """A straight duct: rectangular (``width`` × ``height``) or circular (``diameter``) [m]."""

    shape: Literal["rectangular", "circular"]
    length: float
    width: float = 0.0
    height: float = 0.0
    diameter: float = 0.0
    roughness: float = 0.0

    @cached_property
    def area(self) -> float:
        """Flow cross-section [m^2]."""
        if self.shape == "circular":
            return math.pi * self.diameter**2 / 4
        return self.width * self.height

    @cached_property
    def perimeter(self) -> float:
        """Wetted perimeter [m]."""
        if self.shape == "circular":
            return math.pi * self.diameter
        return 2 * (self.width + self.height)

    @cached_property
    def hydraulic_diameter(self) -> float:
        """4 A / P [m]."""
        return 4 * self.area / self.perimeter

    @cached_property
    def aspect(self) -> float:
        """Short side over long side (1 for a circle or a square; 0 for parallel plates)."""
        if self.shape == "circular":
            return 1.0
        return min(self.width, self.height) / max(self.width, self.height)


def _poly(alpha: float, coefficients: tuple[float, ...]) -> float:
    return sum(c * alpha**k for k, c in enumerate(coefficients))


# Shah & London (1978) ch. VII: fully developed laminar flow in rectangular ducts
_FRE_RECT = (1.0, -1.3553, 1.9467, -1.7012, 0.9564, -0.2537)  # × 24 (Fanning fRe)
_NU_T_RECT = (1.0, -2.610, 4.970, -5.119, 2.702, -0.548)  # × 7.541 (constant wall temperature)


@lru_cache(maxsize=4096)
def laminar_fre(duct: Duct) -> tuple[float, str]:
    """Fully developed laminar Darcy f·Re of the duct, and its source."""
    if duct.shape == "circular":
        from fluids.friction import friction_laminar

        return friction_laminar(1.0), "Hagen-Poiseuille f = 64/Re (fluids.friction_laminar)"
    return 4 * 24 * _poly(duct.aspect, _FRE_RECT), "Shah & London 1978 rectangular-duct fRe"


@lru_cache(maxsize=4096)
def fully_developed_nusselt(duct: Duct, wall: WallCondition) -> tuple[float, str]:
    """Fully developed laminar Nu (constant wall temperature T or heat flux H1), and source."""
    if duct.shape == "circular":
        from ht.conv_internal import laminar_Q_const, laminar_T_const

        if wall == "temperature":
            return laminar_T_const(), "Nu_T = 3.66 circular tube (ht.laminar_T_const)"
        return laminar_Q_const(), "Nu_H = 4.364 circular tube (ht.laminar_Q_const)"
    if wall == "temperature":
        return 7.541 * _poly(duct.aspect, _NU_T_RECT), "Shah & London 1978 rectangular Nu_T"
    from ht.conv_internal import Nu_laminar_rectangular_Shan_London

    return (
        Nu_laminar_rectangular_Shan_London(duct.aspect),
        "Shah & London 1978 rectangular Nu_H1 (ht.Nu_laminar_rectangular_Shan_London)",
    )


def petukhov_friction(re: float) -> float:
    """Smooth-tube Darcy friction (0.790 ln Re - 1.64)^-2 (Petukhov 1970; Filonenko 1954)."""
    return (0.790 * math.log(re) - 1.64) ** -2


def _apparent_fre(duct: Duct, re: float, fre: float) -> tuple[float, str]:
    """Apparent (entrance-inclusive) Darcy f·Re over the whole duct length in laminar flow."""
    x_plus = duct.length / (duct.hydraulic_diameter * re)
    if duct.shape == "circular":
        # Shah (1978): Fanning f_app Re = 3.44/sqrt(x+) + (1.25/(4x+) + 16 - 3.44/sqrt(x+))
        #                                  / (1 + 0.00021 x+^-2)
        short = 3.44 / math.sqrt(x_plus)
        fanning = short + (1.25 / (4 * x_plus) + 16.0 - short) / (1 + 0.00021 / x_plus**2)
        return 4 * fanning, "Shah 1978 apparent friction (developing laminar flow)"
    # Muzychka & Yovanovich (2009): f_app Re = [(3.44/sqrt(x+))^2 + (f Re)^2]^(1/2), Fanning
    fanning = math.hypot(3.44 / math.sqrt(x_plus), fre / 4)
    return 4 * fanning, "Muzychka & Yovanovich 2009 apparent friction (developing laminar flow)"


def friction_factor(duct: Duct, re: float, developing: bool = True) -> tuple[float, str]:
    """Darcy friction factor of the duct at Reynolds number ``re`` (hydraulic diameter).

    Laminar below Re = 2300 (the duct's own fRe, with the entrance region when ``developing``),
    Colebrook (1939) from Re = 4000, and between them an interpolation that meets both ends.
    """
    if re <= 0:
        raise ValueError(f"Reynolds number must be positive, got {re:g}")
    if re < LAMINAR_LIMIT:
        return _laminar_friction(duct, re, developing)
    relative = duct.roughness / duct.hydraulic_diameter
    from fluids.friction import Colebrook

    if re < TRANSITION_END:
        # Linear in Re between the laminar value at 2300 and the turbulent one at 4000, the
        # form of Gnielinski's transition interpolation (VDI Heat Atlas G1; Gnielinski 2013,
        # Int. J. Heat Mass Transfer 63 134), here on f Re^2 (the pressure drop of a given
        # duct and fluid): continuous at both ends, so a pump curve meets the system curve
        # where it crosses the transition, and rising with Re unless the laminar end's f is
        # over 3x the turbulent one's. Churchill (1977) alone jumped 7-27 % at Re 2300 against
        # a non-circular or developing laminar fRe, and 1.7 % against Colebrook at 4000.
        f_lam = _laminar_friction(duct, LAMINAR_LIMIT, developing)[0]
        f_turb = Colebrook(TRANSITION_END, relative)
        gamma = (re - LAMINAR_LIMIT) / (TRANSITION_END - LAMINAR_LIMIT)
        drop = (1 - gamma) * f_lam * LAMINAR_LIMIT**2 + gamma * f_turb * TRANSITION_END**2
        return drop / re**2, "laminar (Re 2300) to Colebrook (Re 4000), Gnielinski-type blend"
    return Colebrook(re, relative), "Colebrook 1939 (turbulent, fluids)"


def _laminar_friction(duct: Duct, re: float, developing: bool) -> tuple[float, str]:
    fre, name = laminar_fre(duct)
    if developing and duct.length > 0:
        fre, name = _apparent_fre(duct, re, fre)
    return fre / re, name


def vdi_developing_nusselt(
    re: float, pr: float, d_over_l: float, wall: WallCondition, nu_developed: float
) -> float:
    """Mean Nu of simultaneously developing laminar flow, VDI Heat Atlas G1 (Gnielinski).

    Constant wall temperature: Nu = [Nu1^3 + 0.7^3 + (Nu2 - 0.7)^3 + Nu3^3]^(1/3) with
    Nu2 = 1.615 (Re Pr d/L)^(1/3), Nu3 = (2/(1 + 22 Pr))^(1/6) (Re Pr d/L)^(1/2);
    constant heat flux: [Nu1^3 + 0.6^3 + (Nu2 - 0.6)^3 + Nu3^3]^(1/3) with
    Nu2 = 1.953 (Re Pr d/L)^(1/3), Nu3 = 0.924 Pr^(1/3) (Re d/L)^(1/2). ``nu_developed`` is
    Nu1 (3.66 or 4.364 for a tube; the duct's own value otherwise).
    """
    gz = re * pr * d_over_l
    if wall == "temperature":
        nu2 = 1.615 * gz ** (1 / 3)
        nu3 = (2 / (1 + 22 * pr)) ** (1 / 6) * math.sqrt(gz)
        return (nu_developed**3 + 0.7**3 + (nu2 - 0.7) ** 3 + nu3**3) ** (1 / 3)
    nu2 = 1.953 * gz ** (1 / 3)
    nu3 = 0.924 * pr ** (1 / 3) * math.sqrt(re * d_over_l)
    return (nu_developed**3 + 0.6**3 + (nu2 - 0.6) ** 3 + nu3**3) ** (1 / 3)


@dataclass(frozen=True)
class Nusselt:
    """A mean Nusselt number and the correlation it came from."""

    value: float
    name: str


LaminarModel = Literal["vdi", "hausen", "fully_developed"]


def _laminar(
    duct: Duct, re: float, pr: float, wall: WallCondition, model: LaminarModel, length: float
):
    nu_fd, fd_name = fully_developed_nusselt(duct, wall)
    d_over_l = duct.hydraulic_diameter / length if length > 0 else 0.0
    if model == "fully_developed" or d_over_l == 0.0:
        return Nusselt(nu_fd, fd_name)
    if model == "hausen":
        from ht.conv_internal import laminar_entry_thermal_Hausen

        # Hausen's is a tube correlation (it tends to 3.66); on other ducts it is used with the
        # hydraulic diameter, as engineering practice does, and the name says so
        nu = laminar_entry_thermal_Hausen(re, pr, length, duct.hydraulic_diameter)
        where = "tube" if duct.shape == "circular" else "tube form on the hydraulic diameter"
        return Nusselt(nu, f"Hausen 1943 thermal entry, {where} (ht)")
    nu = vdi_developing_nusselt(re, pr, d_over_l, wall, nu_fd)
    return Nusselt(nu, f"VDI Heat Atlas G1 developing laminar flow, {fd_name}")


def _turbulent(duct: Duct, re: float, pr: float, length: float) -> float:
    from ht.conv_internal import turbulent_Gnielinski

    if duct.roughness > 0:
        from fluids.friction import Colebrook

        fd = Colebrook(re, duct.roughness / duct.hydraulic_diameter)
    else:
        fd = petukhov_friction(re)
    nu = turbulent_Gnielinski(re, pr, fd)
    if length > 0:  # VDI G1: mean over the length, (1 + (d/L)^(2/3))
        nu *= 1 + (duct.hydraulic_diameter / length) ** (2 / 3)
    return nu


def nusselt(
    duct: Duct,
    re: float,
    pr: float,
    wall: WallCondition = "heat_flux",
    laminar_model: LaminarModel = "vdi",
    length: float | None = None,
) -> Nusselt:
    """Mean Nusselt number over the duct's first ``length`` metres (default: all of it; based
    on the hydraulic diameter), and its source.

    Laminar below Re = 2300; Gnielinski (1976) above Re = 10^4 (friction by Petukhov for a smooth
    wall, Colebrook for a rough one, VDI's length factor); between them VDI G1's linear
    interpolation in γ = (Re - 2300)/(10^4 - 2300) of the two at their limits.
    """
    length = duct.length if length is None else length
    if re < LAMINAR_LIMIT:
        return _laminar(duct, re, pr, wall, laminar_model, length)
    if re >= TURBULENT_LIMIT:
        return Nusselt(_turbulent(duct, re, pr, length), "Gnielinski 1976 turbulent (ht)")
    gamma = (re - LAMINAR_LIMIT) / (TURBULENT_LIMIT - LAMINAR_LIMIT)
    low = _laminar(duct, LAMINAR_LIMIT, pr, wall, laminar_model, length)
    high = _turbulent(duct, TURBULENT_LIMIT, pr, length)
    return Nusselt(
        (1 - gamma) * low.value + gamma * high,
        f"VDI Heat Atlas G1 transition between {low.name} and Gnielinski 1976",
    )
