"""Contact of the part's skin faces with a rigid indenter, integrated over each face.

Every 6-node triangle of the skin meets the indenter at the six points of Dunavant's degree-4
rule (Dunavant 1985, Int. J. Numer. Meth. Eng. 21, 1129, Table I, p = 4): at each point the gap
g, normal n and smoothed penalty pressure p(g) of :mod:`cellwright.engines.mechanics.contact`
act, and the face's nodes receive f_a = Σ_q w_q J_q N_a (p n + t) with the triangle's quadratic
shape functions N_a (Wriggers, *Computational Contact Mechanics*, 2006, §9.1: contact with a
rigid surface discretised by the segments of the deformable body; with a rigid, analytic
indenter there is no mortar projection to make). Integrated this way a pressure puts its
consistent loads on the face's nodes (under a uniform one: none at the vertices, a third of the
force at each mid-edge node). Lumping the pressure at the nodes instead made vertex and mid-edge
nodes report 20 and 300 MPa under a Hertz contact whose peak is 250 MPa.

J_q is the reference area element (total Lagrangian: p is a force per undeformed area, which
under the crush's rigid indenters differs from the true pressure by the skin's in-plane
stretch). Only points where the face looks at the indenter (−n_f · n > 0, reference outward
normal n_f) count, so a side face perpendicular to a flat plate is not pulled into it.
Friction is Coulomb with the elastic-slip stick stiffness μ p / γ_c per point, its traction
history kept per point.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from cellwright.engines.mechanics.contact import _curvature, gap_and_normal, smoothed_pressure

__all__ = ["QUADRATURE", "face_contact", "nodal_gaps", "tri6_shapes"]

_A, _B = 0.445948490915965, 0.091576213509771
_WA, _WB = 0.223381589678011, 0.109951743655322
#: Dunavant's 6-point degree-4 rule on the unit triangle: (ξ, η) and weights summing to 1
QUADRATURE = (
    np.array([[_A, _A], [1 - 2 * _A, _A], [_A, 1 - 2 * _A],
              [_B, _B], [1 - 2 * _B, _B], [_B, 1 - 2 * _B]]),
    np.array([_WA, _WA, _WA, _WB, _WB, _WB]),
)  # fmt: skip


def tri6_shapes(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shape functions (q, 6) and their (ξ, η) derivatives (q, 6, 2) of the 6-node triangle
    (v0 v1 v2 e01 e12 e02) at the points (q, 2)."""
    xi, eta = points[:, 0], points[:, 1]
    l1, l2, l3 = 1 - xi - eta, xi, eta
    n = np.stack([l1 * (2 * l1 - 1), l2 * (2 * l2 - 1), l3 * (2 * l3 - 1),
                  4 * l1 * l2, 4 * l2 * l3, 4 * l1 * l3], axis=1)  # fmt: skip
    d1, d2, d3 = np.array([-1.0, -1.0]), np.array([1.0, 0.0]), np.array([0.0, 1.0])
    dn = np.stack([
        (4 * l1 - 1)[:, None] * d1, (4 * l2 - 1)[:, None] * d2, (4 * l3 - 1)[:, None] * d3,
        4 * (l2[:, None] * d1 + l1[:, None] * d2), 4 * (l3[:, None] * d2 + l2[:, None] * d3),
        4 * (l3[:, None] * d1 + l1[:, None] * d3),
    ], axis=1)  # fmt: skip
    return n, dn


@njit(cache=True)
def nodal_gaps(par: np.ndarray, shift: float, nodes: np.ndarray, x0, u) -> np.ndarray:
    """Gaps of the skin nodes to the indenter (for the stored contact-pressure field)."""
    out = np.empty(nodes.size)
    for k in range(nodes.size):
        i = nodes[k]
        out[k] = gap_and_normal(par, shift, x0[i] + u[3 * i : 3 * i + 3])[0]
    return out


@njit(cache=True)
def face_contact(
    par, shift, shift_old, faces, normal0, jac0, shapes, weights, x0, u, u_old, t_old, penalty,
    elastic_slip, mu, g0, t_new, blocks, active,
):  # fmt: skip
    """Contact forces (3 n) of the skin faces; the indenter's force along d; energies.

    ``faces`` (F, 6) nodes, ``normal0`` (F, 3) reference outward normals, ``jac0`` (F, q)
    reference area elements, ``shapes`` (q, 6), ``weights`` (q,) summing to ½ (the unit
    triangle's area). ``t_old``/``t_new`` (F, q, 3) tangential tractions; ``blocks``
    (F, 6, 6, 3, 3) receive the tangent of the faces flagged in ``active`` (F,).
    Returns (forces, force along d, penalty energy, tangential work).
    """
    d = par[4:7]
    forces = np.zeros(u.shape[0])
    total, energy, work_t = 0.0, 0.0, 0.0
    eye = np.eye(3)
    n_q = weights.size
    for f in range(faces.shape[0]):
        active[f] = False
        for q in range(n_q):
            t_new[f, q, :] = 0.0
        x = np.zeros(3)
        for q in range(n_q):
            x[:] = 0.0
            du = np.zeros(3)
            for a in range(6):
                i = faces[f, a]
                x += shapes[q, a] * (x0[i] + u[3 * i : 3 * i + 3])
                du += shapes[q, a] * (u[3 * i : 3 * i + 3] - u_old[3 * i : 3 * i + 3])
            g, n = gap_and_normal(par, shift, x)
            if g >= g0 or -(normal0[f] @ n) <= 0.0:
                continue
            if not active[f]:
                active[f] = True
                blocks[f] = 0.0
            p, dp, stored = smoothed_pressure(penalty, g0, g)
            w = weights[q] * jac0[f, q]
            proj = eye - np.outer(n, n)
            slip = proj @ (du - (shift - shift_old) * d)
            k_t = mu * p / elastic_slip
            trial = proj @ t_old[f, q] - k_t * slip
            size = np.sqrt(trial @ trial)
            limit = mu * p
            k = dp * np.outer(n, n) - p * _curvature(par, shift, x, n)
            if mu == 0.0 or (size == 0.0 and limit == 0.0):
                t = np.zeros(3)
            elif size <= limit:
                t = trial
                k += k_t * proj
            else:
                t = trial * (limit / size)
                tdir = trial / size
                k += k_t * (limit / size) * (proj - np.outer(tdir, tdir))
            traction = p * n + t
            for a in range(6):
                i = faces[f, a]
                forces[3 * i : 3 * i + 3] += w * shapes[q, a] * traction
                for b in range(6):
                    blocks[f, a, b] += (w * shapes[q, a] * shapes[q, b]) * k
            t_new[f, q] = t
            total += w * (traction @ d)
            energy += w * stored
            work_t -= w * 0.5 * ((t + proj @ t_old[f, q]) @ slip)
    return forces, total, energy, work_t
