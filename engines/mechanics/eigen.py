"""Natural frequencies, mode shapes and effective modal masses of a :class:`StructuralSystem`.

K φ = ω² M φ on the free degrees of freedom is solved by shift-invert Lanczos (ARPACK through
scipy's ``eigsh``) with a Cholesky factorisation of K - σM. The shift σ is negative, so K - σM
is positive definite even for a free structure (K singular) and the eigenvalues nearest σ are
the lowest ones. Modes are mass-normalised, φᵀ M φ = 1.

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

__all__ = ["Modes", "solve_modes"]


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
