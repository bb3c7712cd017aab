"""Total-Lagrangian internal forces and tangent of quadratic tetrahedra (numba, one pass).

Why total Lagrangian: the straight-sided reference elements keep their barycentric gradients for
the whole run (computed once, :class:`cellwright.engines.mechanics.assembly.ElasticAssembler`),
the jelly roll's layer axes stay attached to the reference configuration without being rotated
every step, and the logarithmic-strain material points
(:mod:`cellwright.engines.mechanics.constitutive`) take the Green–Lagrange strain directly.

At each of the four points of the degree-2 rule (Keast 1986), with F = I + ∇₀u
(Bathe, *Finite Element Procedures*, 2nd ed., §6.2.3, Table 6.4):

    δE = sym(Fᵀ ∇₀δu)  →  B_L (6 × 30),      f_int = Σ w B_Lᵀ S
    K = Σ w (B_Lᵀ D B_L + ∇₀N_a · S ∇₀N_b 𝟙)   material plus geometric (initial-stress) stiffness

Blocks go straight into the block CSR pattern of the elastic assembler. The pass runs without
the GIL on slabs of the mesh that share no node (:class:`ElementParts`), one thread each, and
then on the elements that straddle a cut: on two cores the LG M50 squeeze's assembly takes 64 s
instead of 102 s (1.6x; 1.8x on its own, the rest PARDISO's threads round it). An element whose
det F ≤ 0 at a point is reported, so the load step is cut instead of going on inside out; a
fractured point (:mod:`cellwright.engines.mechanics.crush_fracture`) is the exception. It keeps
only a millionth of its stiffness, so the material round it may fold it flat and then inside
out; it carries nothing then, as an eroded element of an explicit code (LS-DYNA's
``*MAT_ADD_EROSION``) carries nothing, instead of cutting every later step.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numba import get_num_threads

from cellwright.engines.mechanics.constitutive import (
    _VI,
    _VJ,
    S_FAILED,
    WORK_SIZE,
    material_point_in,
)
from cellwright.engines.mechanics.kernels import _QA, _QB, _shape_gradients
from cellwright.projects.jit_cache import njit  # numba's: one process compiles at a time

__all__ = ["ElementParts", "internal_forces", "point_summary"]


@njit(cache=True)
def _deformation(dn: np.ndarray, ue: np.ndarray, f: np.ndarray) -> float:
    """F = I + Σ u_n ⊗ ∇N_n and its determinant."""
    for i in range(3):
        for j in range(3):
            s = 1.0 if i == j else 0.0
            for n in range(10):
                s += ue[n, i] * dn[n, j]
            f[i, j] = s
    return (
        f[0, 0] * (f[1, 1] * f[2, 2] - f[1, 2] * f[2, 1])
        - f[0, 1] * (f[1, 0] * f[2, 2] - f[1, 2] * f[2, 0])
        + f[0, 2] * (f[1, 0] * f[2, 1] - f[1, 1] * f[2, 0])
    )


@njit(cache=True)
def _b_matrix(dn: np.ndarray, f: np.ndarray, b: np.ndarray) -> None:
    """B_L (6, 30): Voigt δE (engineering shear) per nodal displacement component."""
    for n in range(10):
        x, y, z = dn[n, 0], dn[n, 1], dn[n, 2]
        for a in range(3):
            col = 3 * n + a
            b[0, col] = f[a, 0] * x
            b[1, col] = f[a, 1] * y
            b[2, col] = f[a, 2] * z
            b[3, col] = f[a, 1] * z + f[a, 2] * y
            b[4, col] = f[a, 0] * z + f[a, 2] * x
            b[5, col] = f[a, 0] * y + f[a, 1] * x


@njit(cache=True, nogil=True)
def _element_pass(
    elements, tet10, grad, volume, u, material, params, xs, ys, axes, state_in, state_out,
    stress_out, strain_out, scatter, one_point, with_tangent, fint, data,
):  # fmt: skip
    """Adds the internal forces and tangent blocks of ``elements`` into ``fint`` and ``data``;
    returns their worst det F. Runs without the GIL: parts that share no node run side by side.

    An element flagged in ``one_point`` has all six edge nodes tied to their edges' midpoints
    (:mod:`~cellwright.engines.mechanics.crush_ties`): it is the 4-node tetrahedron, whose F is
    the same at every point. It is evaluated once, at its vertices' gradients with the whole
    volume as weight, its edge nodes taking no force (their ties would hand it on to the
    vertices unchanged: Σ over a vertex's edges of ½ ∇N_edge at any point is ∇λ_vertex), and
    the point's results are copied to the other three so every array keeps four per element.
    """
    dn = np.empty((10, 3))
    lam = np.empty(4)
    fdef = np.empty((3, 3))
    b = np.empty((6, 30))
    ue = np.empty((10, 3))
    egl = np.empty(6)
    s = np.empty(6)
    d = np.empty((6, 6))
    t = np.empty(6)
    ke = np.empty((30, 30))
    fe = np.empty(30)
    db = np.empty((6, 30))
    work = np.empty(WORK_SIZE)  # the material points' scratch, shared by all of them
    worst = 1.0
    for e in elements:
        for n in range(10):
            node = tet10[e, n]
            for a in range(3):
                ue[n, a] = u[3 * node + a]
        row = params[material[e]]
        linear = one_point[e] != 0
        nn = 4 if linear else 10  # nodes that take force (a linear element's vertices)
        nc = 3 * nn
        w = volume[e] if linear else volume[e] / 4.0
        fe[:] = 0.0
        if with_tangent:
            ke[:, :] = 0.0
        for q in range(1 if linear else 4):
            if linear:
                for n in range(10):
                    for c in range(3):
                        dn[n, c] = grad[e, n, c] if n < 4 else 0.0
            else:
                for k in range(4):
                    lam[k] = _QA if k == q else _QB
                _shape_gradients(grad[e], lam, dn)
            det = _deformation(dn, ue, fdef)
            if state_in[e, q, S_FAILED] == 0.0:
                worst = min(worst, det)
            for k in range(6):  # E_GL = ½(FᵀF − I), engineering shear
                i, j = _VI[k], _VJ[k]
                c = fdef[0, i] * fdef[0, j] + fdef[1, i] * fdef[1, j] + fdef[2, i] * fdef[2, j]
                egl[k] = 0.5 * (c - 1.0) if k < 3 else c
            if det <= 0.0:  # inside out: the step is cut (a fractured point: it carries nothing)
                for k in range(state_in.shape[2]):
                    state_out[e, q, k] = state_in[e, q, k]
                # its strain goes on (FᵀF is defined), so the energy account sees no jump of
                # strain to zero at a stress that was not zero
                for k in range(6):
                    stress_out[e, q, k] = 0.0
                    strain_out[e, q, k] = egl[k]
                continue
            material_point_in(work, row, xs, ys, axes[e], egl, state_in[e, q], s, d, t,
                              state_out[e, q], with_tangent)  # fmt: skip
            for k in range(6):
                stress_out[e, q, k] = s[k]
                strain_out[e, q, k] = egl[k]
            _b_matrix(dn, fdef, b)
            for c in range(nc):
                acc = 0.0
                for k in range(6):
                    acc += b[k, c] * s[k]
                fe[c] += w * acc
            if with_tangent:
                for k in range(6):
                    for c in range(nc):
                        acc = 0.0
                        for r in range(6):
                            acc += d[k, r] * b[r, c]
                        db[k, c] = w * acc
                # Bᵀ D B and the geometric term are symmetric (D is: constitutive.py takes its
                # symmetric part), so only the upper triangle is summed, then mirrored below
                for r in range(nc):
                    for c in range(r, nc):
                        acc = 0.0
                        for k in range(6):
                            acc += b[k, r] * db[k, c]
                        ke[r, c] += acc
                for i in range(nn):  # geometric stiffness ∇N_i · S ∇N_j on each component
                    si0 = s[0] * dn[i, 0] + s[5] * dn[i, 1] + s[4] * dn[i, 2]
                    si1 = s[5] * dn[i, 0] + s[1] * dn[i, 1] + s[3] * dn[i, 2]
                    si2 = s[4] * dn[i, 0] + s[3] * dn[i, 1] + s[2] * dn[i, 2]
                    for j in range(i, nn):
                        g = w * (si0 * dn[j, 0] + si1 * dn[j, 1] + si2 * dn[j, 2])
                        for a in range(3):
                            ke[3 * i + a, 3 * j + a] += g
        if linear:  # the one point stands for all four
            for q in range(1, 4):
                for k in range(state_in.shape[2]):
                    state_out[e, q, k] = state_out[e, 0, k]
                for k in range(6):
                    stress_out[e, q, k] = stress_out[e, 0, k]
                    strain_out[e, q, k] = strain_out[e, 0, k]
        for n in range(nn):
            node = tet10[e, n]
            for a in range(3):
                fint[3 * node + a] += fe[3 * n + a]
        if with_tangent:
            for r in range(1, nc):
                for c in range(r):
                    ke[r, c] = ke[c, r]
            base = e * 100
            for i in range(nn):
                for j in range(nn):
                    slot = scatter[base + i * 10 + j]
                    for a in range(3):
                        for c in range(3):
                            data[slot, a, c] += ke[3 * i + a, 3 * j + c]
    return worst


@dataclass(frozen=True)
class ElementParts:
    """The elements split for a threaded pass: ``parts`` share no node with one another, so
    each is assembled on a thread of its own into the same arrays; ``seam`` (the elements that
    straddle a cut) follows on the calling thread.

    Why slabs and not a colouring: two threads need one cut, and the elements in a slab keep
    the mesh's order (cache locality), where colouring scatters every pass over the whole mesh.
    Each node's sum is taken in the same order on every run (its slab, then the seam), so the
    results do not depend on which thread finishes first.
    """

    parts: tuple[np.ndarray, ...]
    seam: np.ndarray

    @classmethod
    def of(cls, points: np.ndarray, tet10: np.ndarray, n_parts: int | None = None,
           smallest: int = 64) -> ElementParts:  # fmt: skip
        """Slabs of equal element count along the mesh's longest extent.

        Parameters
        ----------
        points
            Node coordinates (n_nodes, 3).
        tet10
            Quadratic tetrahedra (n_el, 10).
        n_parts
            Number of slabs; numba's thread count (``NUMBA_NUM_THREADS``) if None.
        smallest
            Fewest elements per slab worth a thread of its own (else one part).
        """
        n_el = tet10.shape[0]
        n_parts = max(1, int(get_num_threads() if n_parts is None else n_parts))
        everything = np.arange(n_el, dtype=np.int64)
        whole = cls((everything,), np.empty(0, dtype=np.int64))
        if n_parts == 1 or n_el < smallest * n_parts:
            return whole
        axis = int(np.argmax(np.ptp(points, axis=0)))
        centroid = points[tet10[:, :4], axis].mean(axis=1)
        cuts = np.quantile(centroid, np.arange(1, n_parts) / n_parts)
        slab_of_node = np.searchsorted(cuts, points[:, axis])
        slabs = slab_of_node[tet10]
        inside = (slabs == slabs[:, :1]).all(axis=1)
        parts = (everything[inside & (slabs[:, 0] == k)] for k in range(n_parts))
        # a slab thinner than an element holds none of its own: its elements are in the seam
        kept = tuple(p for p in parts if p.size)
        # slabs all thinner than an element: no cut worth a thread
        return cls(kept, everything[~inside]) if len(kept) > 1 else whole


_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=max(1, get_num_threads()),
                                   thread_name_prefix="crush-assembly")  # fmt: skip
    return _POOL


def internal_forces(
    parts: ElementParts, tet10, grad, volume, u, material, params, xs, ys, axes, state_in,
    state_out, stress_out, strain_out, scatter, nnzb, with_tangent, one_point,
):  # fmt: skip
    """Internal force vector (3 n_nodes), tangent block data (nnzb, 3, 3) and the worst det F.

    ``stress_out`` / ``strain_out`` (n_el, 4, 6) receive S and E_GL at every point (energy);
    ``state_out`` the updated material states. The tangent is filled only ``with_tangent``.
    The parts of ``parts`` run on threads side by side, then its seam. ``one_point`` flags the
    elements that are 4-node tetrahedra (every edge node tied), a uint8 per element.
    """
    fint = np.zeros(u.shape[0])
    data = np.zeros((nnzb if with_tangent else 1, 3, 3))
    args = (tet10, grad, volume, u, material, params, xs, ys, axes, state_in, state_out,
            stress_out, strain_out, scatter, one_point, with_tangent, fint, data)  # fmt: skip
    jobs = [_pool().submit(_element_pass, part, *args) for part in parts.parts[1:]]
    worst = _element_pass(parts.parts[0], *args)
    for job in jobs:
        worst = min(worst, job.result())
    if parts.seam.size:
        worst = min(worst, _element_pass(parts.seam, *args))
    return fint, data, worst


@njit(cache=True)
def point_summary(state: np.ndarray, strain: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per element: mean equivalent plastic strain and mean volumetric strain ln J (4 points)."""
    n_el = state.shape[0]
    eq = np.zeros(n_el)
    vol = np.zeros(n_el)
    for e in range(n_el):
        for q in range(4):
            eq[e] += 0.25 * state[e, q, 6]
            e0, e1, e2 = strain[e, q, 0], strain[e, q, 1], strain[e, q, 2]
            e3, e4, e5 = 0.5 * strain[e, q, 3], 0.5 * strain[e, q, 4], 0.5 * strain[e, q, 5]
            c00, c11, c22 = 1 + 2 * e0, 1 + 2 * e1, 1 + 2 * e2
            det_c = (
                c00 * (c11 * c22 - 4 * e3 * e3)
                - 2 * e5 * (2 * e5 * c22 - 4 * e3 * e4)
                + 2 * e4 * (4 * e5 * e3 - c11 * 2 * e4)
            )
            vol[e] += 0.25 * 0.5 * np.log(max(det_c, 1e-300))
    return eq, vol
