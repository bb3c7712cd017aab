"""Rigid indenters and frictional penalty contact with the outer surface of the part.

Every node of the part's skin meets each rigid indenter as a node-to-analytic-surface pair
(Wriggers, *Computational Contact Mechanics*, 2nd ed., 2006, §4.1 and §5.1): the gap g is the
signed distance to the indenter's surface (negative inside), the normal pressure is the penalty
p = ε_N ⟨−g⟩ and the tangential traction follows Coulomb's law regularised by a tangential
penalty ε_T with a return map (stick: t = tₙ − ε_T Δs; slip: t = μ p t̂; Wriggers eq. 5.37–5.41).
The stick penalty is ε_T = μ p / γ_c with the elastic slip γ_c (Abaqus' penalty friction,
Analysis User's Guide 37.1.5: γ_c = 0.5 % of the contact element length): a node sticks until
it has slipped γ_c elastically, whatever its pressure. A fixed ε_T as stiff as ε_N made lightly
loaded nodes flip between stick and slip at every Newton iteration.
Nodal forces are A_i (p n + t) with a positive lumped share A_i of the surrounding skin: a
6-node triangle's consistent vertex weights are zero, so each triangle is split into its four
sub-triangles and each node takes a third of theirs (A/12 at a vertex, A/4 at an edge node).
Only the faces that look at the indenter count, by their projection: A_i = Σ_f a_if ⟨−n_f·n⟩
with the faces' outward normals n_f in the reference configuration. A node on an edge of the part
(a can's rim, the symmetry plane of a model) would otherwise carry the pressure over the side
face too, which is perpendicular to the load.

The normal law is the penalty smoothed over a band |g| < g₀ about the surface (the quadratic
regularisation of Wriggers 2006, §10.3.3, "smoothing of the penalty function"):

    p = −ε_N g                      g ≤ −g₀
    p = ε_N (g₀ − g)² / (4 g₀)      −g₀ < g < g₀
    p = 0                           g ≥ g₀

which is C¹, so a node crossing the surface changes the tangent continuously instead of jumping
from zero to the full penalty; the price is a surface offset of at most g₀/4 (a micrometre on
the meshes here). The tangent keeps the symmetric terms: A (−dp/dg) n nᵀ, the curvature term
−A p ∂n/∂x of cylinders and spheres ((I − n nᵀ − a aᵀ)/ρ and (I − n nᵀ)/ρ, Wriggers eq. 4.37),
stick A ε_T (I − n nᵀ) and slip its projected part. The non-symmetric part, the traction's
growth with the pressure (slip: A μ (−dp/dg) t̂ nᵀ from t = μ p t̂, the direction t̂ held, whose
turn with p when the last traction is not along the slip cost iterations, docs/crush.md;
stick: −A (μ/γ_c)(−dp/dg) s nᵀ from t = tₙ − (μ p/γ_c) s, with s the slip), is handed out apart
as one vector c per node, the block being c nᵀ: the factorised tangent stays symmetric and the
Newton solve adds the rank-one blocks (:meth:`CrushModel.correction`). Without them a node that
a step's predictor pushed deep into the indenter keeps, to first order, its whole friction
force μ p while its gap closes, so Newton pushes the part along the surface to carry it (the
21700 under the R75 semicylinder rolled by millimetres, and line searches took a tenth of each
correction). An indenter is described by its tip point (the point that first meets the part),
its direction of travel d and, for cylinders, its axis a; it moves by δ along d.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cellwright.projects.jit_cache import njit  # numba's: one process compiles at a time

__all__ = [
    "Indenter",
    "contact_forces",
    "face_shares",
    "indenter_gaps",
    "indenter_normals",
    "recovered_pressures",
    "skin_faces",
    "skin_geometry",
    "smoothed_pressures",
]

PLATE, CYLINDER, SPHERE, THREE_CYLINDERS, NAIL = 0, 1, 2, 3, 4
KINDS = {"plate": PLATE, "cylinder": CYLINDER, "sphere": SPHERE,
         "three_cylinders": THREE_CYLINDERS, "nail": NAIL}  # fmt: skip

# a node's lumped share of a 6-node triangle's area: a third of each of the four sub-triangles
_LUMPED = np.array([1 / 12, 1 / 12, 1 / 12, 1 / 4, 1 / 4, 1 / 4])

# tet10 local faces as tri6 (v0, v1, v2, e01, e12, e02), VTK edge order 01 12 02 03 13 23
_FACES = np.array(
    [[0, 1, 2, 4, 5, 6], [0, 1, 3, 4, 8, 7], [0, 2, 3, 6, 9, 7], [1, 2, 3, 5, 9, 8]],
    dtype=np.int64,
)


def skin_faces(tet10: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The skin's 6-node triangles and the tetrahedron each belongs to."""
    faces = tet10[:, _FACES].reshape(-1, 6)
    key = np.sort(faces[:, :3], axis=1)
    _, idx, counts = np.unique(key, axis=0, return_index=True, return_counts=True)
    outer = idx[counts == 1]
    return faces[outer], outer // 4


def skin_geometry(
    points: np.ndarray, tet10: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The skin's 6-node triangles, their outward unit normals and their (flat) areas."""
    tri6, owner = skin_faces(tet10)
    p = points[tri6[:, :3]]
    cross = np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0])
    area = 0.5 * np.linalg.norm(cross, axis=1)
    normal = cross / np.maximum(2.0 * area, 1e-300)[:, None]
    inward = points[tet10[owner, :4]].mean(axis=1) - p.mean(axis=1)
    normal[np.einsum("ij,ij->i", normal, inward) > 0] *= -1.0
    return tri6, normal, area


def face_shares(
    tri6: np.ndarray, normal: np.ndarray, area: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Skin nodes and, per node (CSR ``ptr``), its lumped share of each adjacent skin face and
    that face's outward unit normal: (nodes, ptr, shares, normals), from
    :func:`skin_geometry`'s faces, normals and areas."""
    share = area[:, None] * _LUMPED
    node = tri6.ravel()
    face = np.repeat(np.arange(tri6.shape[0]), 6)
    order = np.argsort(node, kind="stable")
    nodes, counts = np.unique(node[order], return_counts=True)
    ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return nodes, ptr, share.ravel()[order], np.ascontiguousarray(normal[face[order]])


@dataclass
class Indenter:
    """A rigid body: shape, tip position, travel direction, axis, dimensions, friction."""

    name: str
    kind: str
    tip: np.ndarray
    direction: np.ndarray
    axis: np.ndarray = field(default_factory=lambda: np.array([1.0, 0.0, 0.0]))
    radius: float = 0.0
    spacing: float = 0.0  # three cylinders: clear gap between neighbours
    half_angle: float = np.radians(30.0)  # nail tip
    friction: float = 0.2
    moving: bool = True

    def params(self) -> np.ndarray:
        """Packed for the kernel: kind, tip, d, a, R, spacing, half-angle."""
        d = self.direction / np.linalg.norm(self.direction)
        a = self.axis - (self.axis @ d) * d
        a = a / np.linalg.norm(a) if np.linalg.norm(a) > 1e-12 else np.array([1.0, 0.0, 0.0])
        return np.concatenate(
            [[KINDS[self.kind]], self.tip, d, a, [self.radius, self.spacing, self.half_angle]]
        ).astype(np.float64)


@njit(cache=True)
def _cylinder_gap(x, centre, a, radius):
    rel = x - centre
    perp = rel - (rel @ a) * a
    rho = np.sqrt(perp @ perp)
    n = perp / rho if rho > 1e-15 else np.zeros(3)
    return rho - radius, n


@njit(cache=True)
def gap_and_normal(par: np.ndarray, shift: float, x: np.ndarray) -> tuple[float, np.ndarray]:
    """Signed gap of point ``x`` to the indenter moved by ``shift`` along d, and its normal."""
    kind = int(par[0])
    d, a = par[4:7], par[7:10]
    tip = par[1:4] + shift * d
    radius, spacing, phi = par[10], par[11], par[12]
    if kind == PLATE:
        return (x - tip) @ d, d.copy()
    if kind == SPHERE:
        rel = x - (tip - radius * d)
        dist = np.sqrt(rel @ rel)
        return dist - radius, rel / max(dist, 1e-15)
    if kind == CYLINDER:
        return _cylinder_gap(x, tip - radius * d, a, radius)
    if kind == THREE_CYLINDERS:
        across = np.cross(d, a)
        g, n = (x - (tip - radius * d)) @ d, d.copy()  # the plate the semicylinders stand on
        for k in range(-1, 2):
            centre = tip - radius * d + k * (2.0 * radius + spacing) * across
            gk, nk = _cylinder_gap(x, centre, a, radius)
            if gk < g:
                g, n = gk, nk
        return g, n
    # nail: a cone of half-angle phi on a cylinder of radius R, tip first along d
    rel = x - tip
    s = rel @ d
    perp = rel - s * d
    rho = np.sqrt(perp @ perp)
    if s > rho * np.tan(phi):
        # ahead of the tip, inside its normal cone: the nearest point is the tip itself (the
        # cone's generator plane would give a gap of s sin(phi) and a mostly sideways normal)
        dist = np.sqrt(rel @ rel)
        return dist, rel / dist
    radial = perp / rho if rho > 1e-15 else a.copy()
    g_cone = rho * np.cos(phi) + s * np.sin(phi)
    g_cyl = rho - radius
    if g_cone >= g_cyl:
        return g_cone, np.sin(phi) * d + np.cos(phi) * radial
    return g_cyl, radial


@njit(cache=True)
def smoothed_pressure(penalty: float, g0: float, g: float) -> tuple[float, float, float]:
    """Pressure, −dp/dg and stored energy ∫_g^∞ p of the smoothed penalty (module docstring)."""
    if g >= g0:
        return 0.0, 0.0, 0.0
    if g <= -g0:
        return -penalty * g, penalty, 0.5 * penalty * g * g + penalty * g0 * g0 / 6.0
    s = g0 - g
    return penalty * s * s / (4.0 * g0), penalty * s / (2.0 * g0), penalty * s**3 / (12.0 * g0)


def smoothed_pressures(penalty: float, g0: float, gaps: np.ndarray) -> np.ndarray:
    """The smoothed penalty pressure of many gaps at once (for the stored fields)."""
    s = np.clip(g0 - gaps, 0.0, None)
    return np.where(gaps <= -g0, -penalty * gaps, penalty * s * s / (4.0 * g0))


@njit(cache=True)
def indenter_gaps(par: np.ndarray, shift: float, x: np.ndarray) -> np.ndarray:
    """The signed gap of each of the points ``x`` (n, 3) to the indenter moved by ``shift``."""
    out = np.empty(x.shape[0])
    for k in range(x.shape[0]):
        out[k] = gap_and_normal(par, shift, x[k])[0]
    return out


@njit(cache=True)
def indenter_normals(par: np.ndarray, shift: float, x: np.ndarray) -> np.ndarray:
    """The indenter's surface normal nearest each of the points ``x`` (n, 3)."""
    out = np.empty_like(x)
    for k in range(x.shape[0]):
        out[k] = gap_and_normal(par, shift, x[k])[1]
    return out


def recovered_pressures(
    faces: np.ndarray,
    face_normals: np.ndarray,
    face_area: np.ndarray,
    pressure: np.ndarray,
    normals: np.ndarray,
) -> np.ndarray:
    """Contact pressure at the skin nodes: the normal contact force that the faces around a
    node carry, over those faces' area projected on the indenter.

    The nodal penalty pressures are not the contact pressure on 6-node faces. With a stiff
    penalty the contact fixes the nodes' positions and the element's stiffness decides how the
    force divides between them, close to the consistent loads of a 6-node triangle, which are
    zero at the vertices: under a Hertz contact the nodal pressures of the vertices are a tenth
    of the peak and those of the mid-edge nodes a third above it. Each face's own total force
    is right however it divides (its nodes' forces shared out by their lumped shares of the
    face), so the face's force over its area is its mean pressure, and the patch of faces
    around a node gives the node's (an element-patch average, Zienkiewicz & Taylor, *The
    Finite Element Method*, vol. 1, 7th ed., 2013, §15.2). Exact for a uniform pressure;
    within 1 % of Hertz' across a line contact resolved by ten elements
    (tests/validation/test_crush_contact.py).

    Parameters
    ----------
    faces
        The skin's 6-node triangles as indices into the skin's node list (m, 6).
    face_normals, face_area
        Their outward unit normals (m, 3) and areas (m,) in the reference configuration.
    pressure, normals
        Each skin node's penalty pressure (k,) and the indenter's normal at it (k, 3).

    Returns
    -------
    numpy.ndarray
        The recovered contact pressure of every skin node (k,) [Pa].
    """
    # how squarely each face looks at the indenter where each of its nodes meets it: faces
    # along the load (a can's rim, a symmetry plane) carry none of it
    facing = np.clip(-np.einsum("mjk,mk->mj", normals[faces], face_normals), 0.0, None)
    weight = face_area[:, None] * _LUMPED * facing
    force = (weight * pressure[faces]).sum(axis=1)
    area = weight.sum(axis=1)
    k = pressure.size
    num = np.bincount(faces.ravel(), np.repeat(force, 6), minlength=k)
    den = np.bincount(faces.ravel(), np.repeat(area, 6), minlength=k)
    return np.divide(num, den, out=np.zeros(k), where=den > 0)


@njit(cache=True)
def _nail_curvature(rel, d, radius, phi, n) -> np.ndarray:
    """∂n/∂x on the nail: the tip a sphere of radius zero, (I − n n)/|x − tip|; the cone's
    normal sin φ d + cos φ r̂ turns with the radial direction r̂ only, cos φ (I − d d − r̂ r̂)/ρ;
    the shank a cylinder about d, (I − d d − r̂ r̂)/ρ."""
    s = rel @ d
    perp = rel - s * d
    rho = np.sqrt(perp @ perp)
    if s > rho * np.tan(phi):
        return (np.eye(3) - np.outer(n, n)) / np.sqrt(rel @ rel)
    if rho <= 1e-15:
        return np.zeros((3, 3))
    r = perp / rho
    proj = (np.eye(3) - np.outer(d, d) - np.outer(r, r)) / rho
    if rho * np.cos(phi) + s * np.sin(phi) >= rho - radius:
        return np.cos(phi) * proj
    return proj


@njit(cache=True)
def _curvature(par: np.ndarray, shift: float, x: np.ndarray, n: np.ndarray) -> np.ndarray:
    """∂n/∂x of the surface point nearest ``x`` (zero for plates)."""
    kind = int(par[0])
    out = np.zeros((3, 3))
    if kind == PLATE:
        return out
    d, a = par[4:7], par[7:10]
    radius = par[10]
    tip = par[1:4] + shift * d
    if kind == NAIL:
        return _nail_curvature(x - tip, d, radius, par[12], n)
    if kind == SPHERE:
        rel = x - (tip - radius * d)
        rho = np.sqrt(rel @ rel)
        proj = np.eye(3) - np.outer(n, n)
    else:
        if abs(n @ d - 1.0) < 1e-12:  # on the three-cylinder plate's flat
            return out
        across = np.cross(d, a)
        rho = 0.0
        for k in range(-1, 2):
            centre = tip - radius * d + k * (2.0 * radius + par[11]) * across
            if kind == CYLINDER and k != 0:
                continue
            rel = x - centre
            perp = rel - (rel @ a) * a
            r = np.sqrt(perp @ perp)
            if rho == 0.0 or abs(r - radius) < abs(rho - radius):
                rho = r
        proj = np.eye(3) - np.outer(n, n) - np.outer(a, a)
    if rho <= 1e-15:
        return out
    return proj / rho


@njit(cache=True)
def contact_forces(
    par, shift, shift_old, nodes, ptr, shares, normals, x0, u, u_old, t_old, penalty,
    elastic_slip, mu, t_new, blocks, gaps, g0, coupling,
):  # fmt: skip
    """Nodal contact forces (3 n), the indenter's force along d and the normal/tangential work.

    ``ptr``, ``shares``, ``normals``: each node's faces (:func:`face_shares`);
    ``blocks`` (k, 3, 3) receive the symmetric tangent blocks, ``coupling`` (k, 2, 3) the
    non-symmetric block c nᵀ as its c and n (module docstring), ``t_new`` the tangential
    tractions, ``gaps`` the gaps; ``g0`` is the half-width of the smoothing band,
    ``elastic_slip`` γ_c.
    Returns (forces, force along d, penalty energy, tangential work).
    """
    d = par[4:7]
    forces = np.zeros(u.shape[0])
    total = 0.0
    energy = 0.0
    work_t = 0.0
    eye = np.eye(3)
    for k in range(nodes.shape[0]):
        i = nodes[k]
        x = x0[i] + u[3 * i : 3 * i + 3]
        g, n = gap_and_normal(par, shift, x)
        gaps[k] = g
        blocks[k, :, :] = 0.0
        coupling[k, :, :] = 0.0
        t_new[k, :] = 0.0
        if g >= g0:
            continue
        p, dp, stored = smoothed_pressure(penalty, g0, g)
        a_k = 0.0
        for j in range(ptr[k], ptr[k + 1]):
            facing = -(normals[j] @ n)
            if facing > 0.0:
                a_k += shares[j] * facing
        if a_k == 0.0:
            continue
        proj = eye - np.outer(n, n)
        rel = (u[3 * i : 3 * i + 3] - u_old[3 * i : 3 * i + 3]) - (shift - shift_old) * d
        slip = proj @ rel
        tangential = mu * p / elastic_slip
        trial = proj @ t_old[k] - tangential * slip
        size = np.sqrt(trial @ trial)
        limit = mu * p
        tk = a_k * (dp * np.outer(n, n) - p * _curvature(par, shift, x, n))
        if mu == 0.0 or (size == 0.0 and limit == 0.0):  # frictionless: no tangential traction
            t = np.zeros(3)
        elif size <= limit:
            t = trial
            tk += a_k * tangential * proj
            coupling[k, 0] = -a_k * (mu * dp / elastic_slip) * slip
        else:
            t = trial * (limit / size)
            tdir = trial / size
            tk += a_k * tangential * (limit / size) * (proj - np.outer(tdir, tdir))
            coupling[k, 0] = a_k * mu * dp * tdir
        coupling[k, 1] = n
        f = a_k * (p * n + t)
        forces[3 * i : 3 * i + 3] += f
        blocks[k] = tk
        t_new[k] = t
        total += f @ d
        energy += a_k * stored
        work_t -= a_k * 0.5 * ((t + proj @ t_old[k]) @ slip)
    return forces, total, energy, work_t
