"""Linear elastic materials: isotropic, orthotropic in a frame, and layered (jelly roll) stacks.

Voigt order is xx, yy, zz, yz, xz, xy with engineering shear strains. An orthotropic material is
given by its engineering constants in its own axes 1, 2, 3; the compliance matrix is (e.g. Jones,
*Mechanics of Composite Materials*, 2nd ed., eq. 2.18)

    S = [[1/E1, -ν21/E2, -ν31/E3, 0, 0, 0], …, diag(1/G23, 1/G13, 1/G12)],  ν_ji/E_j = ν_ij/E_i

and C = S⁻¹. The material axes are placed per element: ``global`` (1, 2, 3 = x, y, z),
``normal`` (1 along a normal, 2 and 3 in the plane: a stacked pouch or prismatic roll) or
``cylindrical`` (1 radial, 2 hoop, 3 axial about an axis: a wound roll), and the fourth-order
tensor is rotated into global axes, C_ijkl = R_ai R_bj R_ck R_dl C'_abcd.

A stack of isotropic layers is homogenised exactly in the long-wave limit by Backus averaging
(Backus 1962, J. Geophys. Res. 67, 4427, eqs. 13): with ⟨·⟩ the thickness average and the
layer normal along axis 1,

    C11 = ⟨1/(λ+2μ)⟩⁻¹                  C12 = C13 = ⟨λ/(λ+2μ)⟩ C11
    C22 = C33 = ⟨4μ(λ+μ)/(λ+2μ)⟩ + ⟨λ/(λ+2μ)⟩² C11
    C23 = C22 - 2⟨μ⟩    C44 (23) = ⟨μ⟩    C55 = C66 (13, 12) = ⟨1/μ⟩⁻¹
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "ElasticMaterial",
    "engineering_constants",
    "isotropic_stiffness",
    "layered_stiffness",
    "orthotropic_stiffness",
    "rotate_stiffness",
]

_VOIGT = ((0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1))


def isotropic_stiffness(youngs_modulus: float, poisson_ratio: float) -> np.ndarray:
    """Voigt stiffness (6, 6) of an isotropic material."""
    e, nu = youngs_modulus, poisson_ratio
    lam = e * nu / ((1 + nu) * (1 - 2 * nu))
    mu = e / (2 * (1 + nu))
    c = np.zeros((6, 6))
    c[:3, :3] = lam
    c[[0, 1, 2], [0, 1, 2]] = lam + 2 * mu
    c[[3, 4, 5], [3, 4, 5]] = mu
    return c


def orthotropic_stiffness(
    e: tuple[float, float, float], nu: tuple[float, float, float], g: tuple[float, float, float]
) -> np.ndarray:
    """Voigt stiffness from E1, E2, E3, (ν12, ν13, ν23) and (G23, G13, G12) in material axes.

    Raises
    ------
    ValueError
        If the constants do not give a positive-definite stiffness.
    """
    e1, e2, e3 = e
    nu12, nu13, nu23 = nu
    s = np.zeros((6, 6))
    s[0, 0], s[1, 1], s[2, 2] = 1 / e1, 1 / e2, 1 / e3
    s[0, 1] = s[1, 0] = -nu12 / e1
    s[0, 2] = s[2, 0] = -nu13 / e1
    s[1, 2] = s[2, 1] = -nu23 / e2
    s[3, 3], s[4, 4], s[5, 5] = 1 / g[0], 1 / g[1], 1 / g[2]
    if np.linalg.eigvalsh(s).min() <= 0:
        raise ValueError(f"engineering constants E={e}, ν={nu}, G={g} are not positive definite")
    return np.linalg.inv(s)


def engineering_constants(c: np.ndarray) -> dict[str, float]:
    """E1..E3, ν12, ν13, ν23, G23, G13, G12 of a Voigt stiffness in its material axes."""
    s = np.linalg.inv(c)
    return {
        "E1": 1 / s[0, 0], "E2": 1 / s[1, 1], "E3": 1 / s[2, 2],
        "nu12": -s[0, 1] / s[0, 0], "nu13": -s[0, 2] / s[0, 0], "nu23": -s[1, 2] / s[1, 1],
        "G23": 1 / s[3, 3], "G13": 1 / s[4, 4], "G12": 1 / s[5, 5],
    }  # fmt: skip


def layered_stiffness(layers: list[tuple[float, float, float]]) -> np.ndarray:
    """Backus average of isotropic layers ``(thickness, E, ν)``; axis 1 is the layer normal."""
    t = np.array([layer[0] for layer in layers], dtype=float)
    e = np.array([layer[1] for layer in layers], dtype=float)
    nu = np.array([layer[2] for layer in layers], dtype=float)
    w = t / t.sum()
    lam = e * nu / ((1 + nu) * (1 - 2 * nu))
    mu = e / (2 * (1 + nu))
    p = lam + 2 * mu
    c11 = 1.0 / np.sum(w / p)
    ratio = np.sum(w * lam / p)
    c22 = np.sum(w * 4 * mu * (lam + mu) / p) + ratio**2 * c11
    mu_mean = np.sum(w * mu)
    c = np.zeros((6, 6))
    c[0, 0] = c11
    c[0, 1] = c[1, 0] = c[0, 2] = c[2, 0] = ratio * c11
    c[1, 1] = c[2, 2] = c22
    c[1, 2] = c[2, 1] = c22 - 2 * mu_mean
    c[3, 3] = mu_mean
    c[4, 4] = c[5, 5] = 1.0 / np.sum(w / mu)
    return c


def _tensor(c: np.ndarray) -> np.ndarray:
    t = np.zeros((3, 3, 3, 3))
    for big_i, (i, j) in enumerate(_VOIGT):
        for big_j, (k, m) in enumerate(_VOIGT):
            v = c[big_i, big_j]
            t[i, j, k, m] = t[j, i, k, m] = t[i, j, m, k] = t[j, i, m, k] = v
    return t


def rotate_stiffness(c: np.ndarray, axes: np.ndarray) -> np.ndarray:
    """Voigt stiffness (n, 6, 6) in global axes of ``c`` given in material axes.

    ``axes`` (n, 3, 3): row a of ``axes[e]`` is material axis a in global coordinates.
    """
    t = _tensor(c)
    g = np.einsum("nai,nbj,nck,ndl,abcd->nijkl", axes, axes, axes, axes, t, optimize=True)
    rows, cols = zip(*_VOIGT, strict=True)
    return g[:, rows, cols][:, :, rows, cols]


def _unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=float)
    return v / np.linalg.norm(v)


def _perpendicular(a: np.ndarray) -> np.ndarray:
    return _unit(np.cross(a, [1.0, 0.0, 0.0] if abs(a[0]) < 0.9 else [0.0, 1.0, 0.0]))


@dataclass(frozen=True)
class ElasticMaterial:
    """A region's elastic stiffness (Voigt, material axes), density and axes.

    ``frame``: ``global``, ``normal`` (axis 1 along ``axis``) or ``cylindrical`` (axis 1 radial,
    2 hoop, 3 along ``axis`` through ``origin``).
    """

    stiffness: np.ndarray
    density: float
    frame: str = "global"
    axis: tuple[float, float, float] = (0.0, 0.0, 1.0)
    origin: tuple[float, float, float] = (0.0, 0.0, 0.0)
    name: str = ""

    @classmethod
    def isotropic(cls, youngs_modulus: float, poisson_ratio: float, density: float, name=""):
        """An isotropic material."""
        return cls(isotropic_stiffness(youngs_modulus, poisson_ratio), density, name=name)

    def axes(self, centroids: np.ndarray) -> np.ndarray:
        """Material axes (n, 3, 3) at element centroids (rows: axes 1, 2, 3)."""
        n = centroids.shape[0]
        if self.frame == "global":
            return np.broadcast_to(np.eye(3), (n, 3, 3))
        a = _unit(self.axis)
        if self.frame == "normal":
            e2 = _perpendicular(a)
            return np.broadcast_to(np.array([a, e2, np.cross(a, e2)]), (n, 3, 3))
        if self.frame != "cylindrical":
            raise ValueError(f"unknown frame {self.frame!r}")
        rel = centroids - np.asarray(self.origin, dtype=float)
        radial = rel - np.outer(rel @ a, a)
        norm = np.linalg.norm(radial, axis=1, keepdims=True)
        # on the axis itself the radial direction is undefined; any perpendicular will do
        er = np.where(norm > 1e-12, radial / np.maximum(norm, 1e-300), _perpendicular(a))
        hoop = np.cross(a, er)
        return np.stack([er, hoop, np.broadcast_to(a, er.shape)], axis=1)

    def global_stiffness(self, centroids: np.ndarray) -> np.ndarray:
        """Voigt stiffness (n, 6, 6) in global axes at each element."""
        if self.frame == "global":
            return np.broadcast_to(self.stiffness, (centroids.shape[0], 6, 6)).copy()
        return rotate_stiffness(self.stiffness, self.axes(centroids))
