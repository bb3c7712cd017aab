"""Natural frequencies, mode shapes and effective modal masses of a :class:`StructuralSystem`.

K φ = ω² M φ on the free degrees of freedom is solved by shift-invert Lanczos (ARPACK through
scipy's ``eigsh``) with a Cholesky factorisation of K - σM. The shift σ is negative, so K - σM
is positive definite even for a free structure (K singular) and the eigenvalues nearest σ are
the lowest ones. Modes are mass-normalised, φᵀ M φ = 1.

Residual vector (modal truncation augmentation; Dickens, Nakagawa & Wittbrodt 1997, Computers
& Structures 62, 985; Nastran's RESVEC): the lowest modes of a stiff direction may carry almost
none of the mass a base excitation along it moves (a module standing on its plate: its first
eight modes, all lateral, hold 0.02 % of the vertical mass). What they leave out answers the
excitation quasi-statically. The static response to the base's inertia load, u = K⁻¹ (M r_d)_f,
made M-orthogonal to the modes, ψ = u - Φ Φᵀ M u, and mass-normalised, is then K-orthogonal to
them as well (φᵀ K ψ = ω² φᵀ M ψ = 0), so it is appended as one more mode: frequency
√(ψᵀ K ψ) / 2π (its Rayleigh quotient, above the computed modes), participation ψᵀ (M r_d)_f.
The responses below then treat it as any mode. With it the static stress of a rigid block on a
stiff column under base acceleration along it is recovered by a basis that has no mode along it.

Effective modal mass (e.g. Chopra, *Dynamics of Structures*, 4th ed., §13.2.5): for base motion
along direction d, with influence vector r_d (unit translation of every node, the base included),
the participation factor is Γ = φᵀ (M r_d)_f and the effective mass m_eff = Γ². Summed over all
modes of the free degrees of freedom it equals (M r)_fᵀ M_ff⁻¹ (M r)_f: the total mass less the
mass that rides on the supports (zero for a free structure, whose rigid-body modes carry it all).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse.linalg import eigsh

from cellwright.engines.mechanics.factor import SpdSolver
from cellwright.engines.mechanics.model import StructuralSystem

__all__ = ["Modes", "solve_modes", "with_residual"]


@dataclass
class Modes:
    """Modes of a structure, lowest first."""

    frequencies: np.ndarray  # [Hz]
    shapes: np.ndarray  # (3 n_nodes, m) all degrees of freedom, zeros where fixed, φᵀMφ = 1
    rigid: np.ndarray  # bool per mode: a rigid-body mode of an unsupported part
    participation: np.ndarray  # (m, 3) Γ per direction x, y, z [kg^0.5]
    total_mass: float  # [kg]
    base_load: np.ndarray  # (n_free, 3) (M r_d)_f: the inertia load of a unit base acceleration
    free: np.ndarray  # indices of the free degrees of freedom
    factor_backend: str = ""
    #: bool per mode: the residual vector of :func:`with_residual`, not a natural mode
    residual: np.ndarray | None = None

    @property
    def is_residual(self) -> np.ndarray:
        """Bool per mode: a residual vector, not a natural mode."""
        if self.residual is None:
            return np.zeros(len(self.frequencies), bool)
        return self.residual

    @property
    def natural(self) -> np.ndarray:
        """Indices of the natural modes (not a residual vector)."""
        return np.flatnonzero(~self.is_residual)

    @property
    def effective_mass(self) -> np.ndarray:
        """(m, 3) effective modal masses [kg] per direction."""
        return self.participation**2

    @property
    def omega(self) -> np.ndarray:
        """Circular frequencies [rad/s]."""
        return 2 * np.pi * self.frequencies

    @property
    def elastic(self) -> np.ndarray:
        """Indices of the elastic (non-rigid) modes."""
        return np.flatnonzero(~self.rigid)


def _shift(stiffness, mass) -> float:
    """A negative shift small against the stiffness scale: K - σM stays well conditioned."""
    scale = float(stiffness.diagonal().sum() / max(mass.diagonal().sum(), 1e-300))
    return -1e-7 * scale


def solve_modes(
    system: StructuralSystem,
    n_modes: int,
    rigid_below: float = 0.1,
    backend: str = "auto",
    shift: float | None = None,
) -> Modes:
    """The ``n_modes`` lowest modes of ``system``.

    Parameters
    ----------
    rigid_below
        Modes below this frequency [Hz] are rigid-body modes (numerically ~1e-3 Hz).
    backend
        Factorisation backend (:class:`SpdSolver`).
    shift
        σ [rad²/s²]; default: -1e-7 trace(K)/trace(M).
    """
    k_ff, m_ff = system.reduced()
    n_free = k_ff.shape[0]
    if n_free == 0:
        raise ValueError("every degree of freedom is fixed: nothing can vibrate")
    n_modes = min(n_modes, n_free - 1)
    sigma = _shift(k_ff, m_ff) if shift is None else shift
    solver = SpdSolver((k_ff - sigma * m_ff).tocsr(), backend)  # factorised with all threads
    from threadpoolctl import threadpool_limits

    # the Lanczos steps are triangular solves, which gain nothing from more MKL threads and
    # lose much when the cores are shared (measured 2x on two busy cores)
    with threadpool_limits(1, user_api="blas"):
        values, vectors = eigsh(
            k_ff, k=n_modes, M=m_ff, sigma=sigma, which="LM", OPinv=solver.operator(),
            mode="normal",
        )  # fmt: skip
    solver.release()
    order = np.argsort(values)
    values, vectors = values[order], vectors[:, order]
    norms = np.sqrt(np.einsum("im,im->m", vectors, m_ff @ vectors))
    vectors = vectors / norms
    freqs = np.sqrt(np.maximum(values, 0.0)) / (2 * np.pi)
    free = system.free
    base_load = np.column_stack(
        [(system.mass @ system.rigid_translation(d))[free] for d in range(3)]
    )
    shapes = np.zeros((system.stiffness.shape[0], n_modes))
    shapes[free] = vectors
    for k in range(n_modes):  # a sign convention, so that results are reproducible
        j = int(np.argmax(np.abs(vectors[:, k])))
        if vectors[j, k] < 0:
            shapes[:, k] *= -1
    return Modes(
        frequencies=freqs,
        shapes=shapes,
        rigid=freqs < rigid_below,
        participation=shapes[free].T @ base_load,
        total_mass=system.total_mass,
        base_load=base_load,
        free=free,
        factor_backend=solver.backend,
    )


#: a residual vector smaller than this share of the static response (in the mass norm) adds
#: nothing the modes do not already hold: it is left out
RESIDUAL_NEGLIGIBLE = 1e-6


def with_residual(
    system: StructuralSystem, modes: Modes, axis: int, backend: str = "auto"
) -> Modes:
    """``modes`` with the residual vector of a base excitation along ``axis`` appended (module
    docstring), or ``modes`` unchanged when the modes already hold the static response."""
    k_ff, m_ff = system.reduced()
    load = modes.base_load[:, axis]
    solver = SpdSolver(k_ff.tocsr(), backend)
    static = solver.solve(load)
    solver.release()
    phi = modes.shapes[modes.free]
    psi = static.copy()
    for _ in range(2):  # twice: one Gram-Schmidt pass loses orthogonality in round-off
        psi -= phi @ (phi.T @ (m_ff @ psi))
    size = float(np.sqrt(max(psi @ (m_ff @ psi), 0.0)))
    if size <= RESIDUAL_NEGLIGIBLE * float(np.sqrt(max(static @ (m_ff @ static), 0.0))):
        return modes
    psi /= size
    omega = float(np.sqrt(max(psi @ (k_ff @ psi), 0.0)))
    shape = np.zeros((modes.shapes.shape[0], 1))
    shape[modes.free, 0] = psi
    return Modes(
        frequencies=np.append(modes.frequencies, omega / (2 * np.pi)),
        shapes=np.hstack([modes.shapes, shape]),
        rigid=np.append(modes.rigid, False),
        participation=np.vstack([modes.participation, psi @ modes.base_load]),
        total_mass=modes.total_mass,
        base_load=modes.base_load,
        free=modes.free,
        factor_backend=modes.factor_backend,
        residual=np.append(modes.is_residual, True),
    )
