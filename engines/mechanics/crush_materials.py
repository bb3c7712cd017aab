"""Materials of the crush engine: elastic, J2 metals with tabulated hardening, crushable foam.

A metal's hardening curve is the true (Kirchhoff) stress against the equivalent plastic
logarithmic strain, read as given; beyond its last point the last slope continues. A jelly roll
is calibrated by its uniaxial compression across the layers, given as nominal stress P
(force over the original area) against engineering strain e — what a flat-plate or cube test
measures. In uniaxial stress along material axis 1, with the Hencky strain ln λ and λ = 1 − e,
the Kirchhoff stress is T = P λ whatever the lateral strains (the force is T/λ₁ times the
original area), so the hardening curve is exactly Y = P (1 − e) against
ε̂ = −ln(1 − e) − Y/E₁ (E₁ the modulus across the layers). That is what lets the cube test
reproduce the calibration curve it was given (tests/validation/test_crush_materials.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cellwright.engines.mechanics.constitutive import (
    P_ALPHA2,
    P_COMPLIANCE,
    P_CURVE,
    P_CURVE_N,
    P_FRACTURE,
    P_KIND,
    P_RATE_D,
    P_RATE_Q,
    P_RATIO,
    P_STIFF,
    P_TENSION,
    params_size,
    projection_basis,
)
from cellwright.engines.mechanics.materials import ElasticMaterial, isotropic_stiffness

__all__ = ["PlasticMaterial", "foam_hardening", "pack_materials", "plastic_poisson_alpha2"]

_KIND = {"elastic": 0.0, "j2": 1.0, "foam": 2.0}


def plastic_poisson_alpha2(nu_p: float) -> float:
    """α² of the Deshpande–Fleck (2000) foam for a plastic Poisson ratio ν_p (their eq. 9)."""
    return 9.0 * (1.0 - 2.0 * nu_p) / (2.0 * (1.0 + nu_p))


def foam_hardening(
    strain: np.ndarray, nominal_stress: np.ndarray, modulus: float
) -> tuple[np.ndarray, np.ndarray]:
    """Yield curve (ε̂, Y) of a foam from its uniaxial nominal stress–engineering strain curve.

    Raises
    ------
    ValueError
        If the curve does not rise or gives no plastic strain.
    """
    e = np.asarray(strain, dtype=float)
    p = np.asarray(nominal_stress, dtype=float)
    if np.any(np.diff(e) <= 0) or np.any(p <= 0) or np.any(e >= 1) or np.any(e <= 0):
        raise ValueError("a foam curve needs rising strains in (0, 1) and positive stresses")
    y = p * (1.0 - e)
    eq = -np.log1p(-e) - y / modulus
    if np.any(np.diff(eq) <= 0) or eq[-1] <= 0:
        raise ValueError(
            "the foam curve's plastic strain must rise: its stresses rise faster than the "
            f"elastic modulus {modulus:.3g} Pa allows"
        )
    plastic = eq > 0
    first = int(np.argmax(plastic))
    if first == 0:  # the curve starts past yield: extend it back to ε̂ = 0 along its first slope
        slope = (y[1] - y[0]) / (eq[1] - eq[0]) if eq.size > 1 else 0.0
        y0 = max(y[0] - slope * eq[0], 1e-3 * y[0])
        return np.concatenate([[0.0], eq]), np.concatenate([[y0], y])
    # interpolate the initial yield where ε̂ crosses zero
    t = -eq[first - 1] / (eq[first] - eq[first - 1])
    y0 = y[first - 1] + t * (y[first] - y[first - 1])
    return np.concatenate([[0.0], eq[first:]]), np.concatenate([[y0], y[first:]])


@dataclass(frozen=True)
class PlasticMaterial:
    """A region's elastic stiffness (material axes), frame, and its plasticity."""

    elastic: ElasticMaterial
    kind: str = "elastic"
    curve_strain: np.ndarray = field(default_factory=lambda: np.zeros(1))
    curve_stress: np.ndarray = field(default_factory=lambda: np.array([np.inf]))
    alpha2: float = 0.0
    tension: float = np.inf
    fracture_strain: float = 0.0
    ratios: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
    source: str = ""
    #: Cowper–Symonds rate hardening (constitutive.flow_stress); rate_d = 0: rate-independent
    rate_d: float = 0.0
    rate_q: float = 1.0

    @property
    def name(self) -> str:
        """The region material's name."""
        return self.elastic.name

    @classmethod
    def j2(cls, youngs_modulus, poisson_ratio, density, strain, stress, fracture=0.0, name="",
           source="", rate=(0.0, 1.0)):  # fmt: skip
        """An isotropic J2 metal with hardening curve (plastic strain, true stress) [-, Pa] and
        Cowper–Symonds ``rate`` = (D [1/s], q) (D = 0: rate-independent)."""
        elastic = ElasticMaterial(isotropic_stiffness(youngs_modulus, poisson_ratio), density,
                                  name=name)  # fmt: skip
        strain, stress = np.asarray(strain, float), np.asarray(stress, float)
        if strain[0] != 0.0 or np.any(np.diff(strain) <= 0):
            raise ValueError(f"{name}: the hardening curve must start at zero plastic strain "
                             "and rise")  # fmt: skip
        return cls(elastic, "j2", strain, stress, 0.0, np.inf, fracture, source=source,
                   rate_d=float(rate[0]), rate_q=float(rate[1]))  # fmt: skip

    def row(self, start: int) -> np.ndarray:
        """The packed parameter row, its curve stored from ``start`` of the flat curve arrays."""
        r = np.zeros(params_size())
        r[P_KIND] = _KIND[self.kind]
        r[P_ALPHA2] = self.alpha2
        r[P_TENSION] = self.tension if np.isfinite(self.tension) else 1e300
        r[P_FRACTURE] = self.fracture_strain
        r[P_CURVE] = start
        r[P_CURVE_N] = self.curve_strain.size
        r[P_RATIO : P_RATIO + 6] = self.ratios
        r[P_RATE_D], r[P_RATE_Q] = self.rate_d, self.rate_q
        c = np.asarray(self.elastic.stiffness, dtype=float)
        r[P_STIFF : P_STIFF + 36] = c.ravel()
        r[P_COMPLIANCE : P_COMPLIANCE + 36] = np.linalg.inv(c).ravel()
        projection_basis(r)
        return r


def pack_materials(materials: list[PlasticMaterial]):
    """Parameter rows (n, size) and the flat curve arrays of a list of materials."""
    rows, xs, ys, start = [], [], [], 0
    for mat in materials:
        rows.append(mat.row(start))
        ys_mat = np.where(np.isfinite(mat.curve_stress), mat.curve_stress, 1e300)
        xs.append(mat.curve_strain)
        ys.append(ys_mat)
        start += mat.curve_strain.size
    return np.array(rows), np.concatenate(xs).astype(float), np.concatenate(ys).astype(float)
