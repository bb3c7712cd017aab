"""Duct friction and heat-transfer correlations against their published values (issue 15).

References for the numbers below:
- fully developed laminar Nu and fRe: Shah & London (1978), *Laminar Flow Forced Convection in
  Ducts*, Tables for circular tubes (Nu_T 3.657, Nu_H 4.364), parallel plates (fRe 24 Fanning,
  Nu_T 7.541, Nu_H 8.235) and rectangular ducts (α = 1, 0.5, 0.25: fRe 14.23 / 15.557 / 18.234,
  Nu_T 2.976 / 3.389 / 4.435);
- developing laminar flow: VDI Heat Atlas (2010) G1 at Re = 1000, Pr = 7 and L/d = 10, 100,
  1000 -> 16.74 / 6.891 / 4.023; Hausen (1943) at Gz = 10 / 100 -> 4.223 / 7.248;
- turbulent: Gnielinski (1976) with Petukhov's friction at Re = 1e4, Pr = 0.7 -> 29.82 and
  Re = 1e5, Pr = 7 -> 599.07;
- Poiseuille: f Re = 64 (pipe) and 96 (parallel plates), Hagen-Poiseuille pressure drop.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from cellwright.engines.cfd.correlations import (
    Duct,
    friction_factor,
    fully_developed_nusselt,
    laminar_fre,
    nusselt,
    petukhov_friction,
)


def _rect(alpha: float, length: float = 1.0) -> Duct:
    return Duct("rectangular", length, width=1e-2, height=1e-2 * alpha)


def test_fully_developed_tube_and_parallel_plates() -> None:
    tube = Duct("circular", 1.0, diameter=0.01)
    assert fully_developed_nusselt(tube, "temperature")[0] == pytest.approx(3.657, rel=1e-3)
    assert fully_developed_nusselt(tube, "heat_flux")[0] == pytest.approx(4.364, rel=1e-3)
    assert laminar_fre(tube)[0] == pytest.approx(64.0, rel=1e-12)
    plates = _rect(1e-6)  # aspect -> 0: infinitely wide parallel plates
    assert laminar_fre(plates)[0] == pytest.approx(96.0, rel=1e-4)
    assert fully_developed_nusselt(plates, "temperature")[0] == pytest.approx(7.541, rel=1e-4)
    assert fully_developed_nusselt(plates, "heat_flux")[0] == pytest.approx(8.235, rel=1e-4)


@pytest.mark.parametrize(
    ("alpha", "fre_fanning", "nu_t"),
    [(1.0, 14.23, 2.976), (0.5, 15.557, 3.389), (0.25, 18.234, 4.435)],
)
def test_shah_london_rectangular_ducts(alpha, fre_fanning, nu_t) -> None:
    duct = _rect(alpha)
    assert laminar_fre(duct)[0] / 4 == pytest.approx(fre_fanning, rel=1e-3)
    assert fully_developed_nusselt(duct, "temperature")[0] == pytest.approx(nu_t, rel=1e-3)
    # the aspect ratio is short over long side whichever way the duct is given
    turned = Duct("rectangular", 1.0, width=duct.height, height=duct.width)
    assert laminar_fre(turned)[0] == laminar_fre(duct)[0]


@pytest.mark.parametrize(("l_over_d", "expected"), [(10, 16.74), (100, 6.891), (1000, 4.023)])
def test_vdi_developing_laminar_mean_nusselt(l_over_d, expected) -> None:
    tube = Duct("circular", 0.01 * l_over_d, diameter=0.01)
    nu = nusselt(tube, 1000.0, 7.0, "temperature", "vdi")
    assert nu.value == pytest.approx(expected, rel=5e-4)
    assert "VDI" in nu.name


@pytest.mark.parametrize(("graetz", "expected"), [(10.0, 4.223), (100.0, 7.248)])
def test_hausen_thermal_entry(graetz, expected) -> None:
    re, pr, d = 100.0, 1.0, 0.01
    tube = Duct("circular", d * re * pr / graetz, diameter=d)
    assert nusselt(tube, re, pr, "temperature", "hausen").value == pytest.approx(expected, 5e-4)


@pytest.mark.parametrize(("re", "pr", "expected"), [(1e4, 0.7, 29.82), (1e5, 7.0, 599.07)])
def test_gnielinski_with_petukhov_friction(re, pr, expected) -> None:
    from ht.conv_internal import turbulent_Gnielinski

    assert turbulent_Gnielinski(re, pr, petukhov_friction(re)) == pytest.approx(expected, 2e-4)
    very_long = Duct("circular", 1e9, diameter=0.01)  # VDI's length factor -> 1
    assert nusselt(very_long, re, pr).value == pytest.approx(expected, rel=2e-4)


def test_transition_interpolates_between_the_laminar_and_turbulent_limits() -> None:
    tube = Duct("circular", 1.0, diameter=0.01)
    low = nusselt(tube, 2299.999, 5.0).value
    high = nusselt(tube, 1e4, 5.0).value
    middle = nusselt(tube, (2300 + 1e4) / 2, 5.0).value
    assert nusselt(tube, 2300.0, 5.0).value == pytest.approx(low, rel=1e-6)
    assert middle == pytest.approx((low + high) / 2, rel=1e-6)


def test_developing_friction_tends_to_both_asymptotes() -> None:
    d, re = 0.01, 500.0
    for duct in (Duct("circular", 1.0, diameter=d), _rect(0.5)):
        fd_fre = laminar_fre(duct)[0]
        dh = duct.hydraulic_diameter
        long = Duct(duct.shape, 1e4 * dh * re, duct.width, duct.height, duct.diameter)
        assert friction_factor(long, re)[0] * re == pytest.approx(fd_fre, rel=2e-3)
        x_plus = 1e-6
        short = Duct(duct.shape, x_plus * dh * re, duct.width, duct.height, duct.diameter)
        # Shah's short-duct limit f_app Re = 3.44 / sqrt(x+) (Fanning) -> x4 in Darcy terms
        assert friction_factor(short, re)[0] * re == pytest.approx(
            4 * 3.44 / math.sqrt(x_plus), rel=0.02
        )
    # fully developed when entrance effects are switched off
    duct = Duct("circular", 0.05, diameter=d)
    assert friction_factor(duct, re, developing=False)[0] * re == pytest.approx(64.0)
    assert friction_factor(duct, re)[0] * re > 64.0


def test_turbulent_friction_meets_the_smooth_and_fully_rough_laws() -> None:
    """Colebrook between Prandtl-Karman-Nikuradse's smooth law, 1/sqrt(f) = 2 log10(Re sqrt(f))
    - 0.8 (f = 0.01799 at Re = 1e5), and von Karman's fully rough 1/sqrt(f) = -2 log10(e/3.7d).
    """
    smooth = Duct("circular", 1.0, diameter=0.01)
    f, name = friction_factor(smooth, 1e5)
    assert f == pytest.approx(0.01799, rel=5e-3) and "Colebrook" in name
    rough = Duct("circular", 1.0, diameter=0.01, roughness=1e-5)
    fully_rough = (-2 * math.log10(1e-3 / 3.7)) ** -2
    assert friction_factor(rough, 1e9)[0] == pytest.approx(fully_rough, rel=1e-3)
    assert "blend" in friction_factor(smooth, 3000)[1]


@pytest.mark.parametrize(
    "duct",
    [
        Duct("circular", 0.5, diameter=5e-3),
        Duct("rectangular", 0.4, width=10e-3, height=2e-3),
        Duct("rectangular", 1.0, width=4e-3, height=4e-3, roughness=2e-5),
    ],
)
@pytest.mark.parametrize("developing", [True, False])
def test_friction_is_continuous_and_the_drop_rises_through_the_transition(duct, developing) -> None:
    """Churchill (1977) in 2300 <= Re < 4000 jumped from the duct's own laminar f by -27 %
    (developing, 10 x 2 mm) to +25 % (square, fully developed) at Re = 2300, and by 1.7 % from
    Colebrook at 4000: the pressure drop fell as the flow rose, and a pump curve crossing the
    gap met no system curve. Now both ends meet and f Re^2 rises through the transition."""
    for limit in (2300.0, 4000.0):
        below = friction_factor(duct, limit * (1 - 1e-9), developing)[0]
        above = friction_factor(duct, limit * (1 + 1e-9), developing)[0]
        assert above == pytest.approx(below, rel=1e-6)
    re = np.linspace(2000.0, 4500.0, 251)
    drop = [friction_factor(duct, r, developing)[0] * r**2 for r in re]
    assert np.all(np.diff(drop) > 0)
