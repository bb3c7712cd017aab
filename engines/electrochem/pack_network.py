"""The electrical network of an sSp pack, solved exactly at every time step in O(cells).

Each parallel group is a ladder: cell k sits between node k of the positive rail and node k of
the negative rail (its Thevenin source U_k = OCV_k + sum v_i and resistance R0_k plus the tab
interconnect resistance), and neighbouring nodes of each rail are joined by a busbar segment.
The group's positive terminal is rail node 0; its negative terminal is node 0 ("same side") or
node P-1 ("opposite", the usual cross-over layout that evens the current). Groups are in series,
so each carries the pack current. Nodal analysis (Norton form of each cell branch) gives a
block-tridiagonal system with 2x2 blocks in the rail index, solved by block Thomas elimination
(Golub & Van Loan, *Matrix Computations*, 4th ed., §4.5.1) — linear in the number of cells, so
no sparse factorisation has to be kept or refreshed as the cell resistances change.

With zero rail resistance the ladder collapses to ideal parallel cells, V = (sum g_k U_k - I) /
sum g_k, which is used directly.
"""

from __future__ import annotations

import numpy as np

from cellwright.projects.jit_cache import njit  # numba's: one process compiles at a time

__all__ = ["solve_group"]


@njit(cache=True)
def _ideal_group(u, g, current, out_i) -> float:
    sg = 0.0
    sgu = 0.0
    for k in range(u.shape[0]):
        sg += g[k]
        sgu += g[k] * u[k]
    v = (sgu - current) / sg
    for k in range(u.shape[0]):
        out_i[k] = g[k] * (u[k] - v)
    return v


@njit(cache=True)
def solve_group(u, g, g_rail, current, opposite, out_i) -> float:
    """Cell currents of one parallel group (into ``out_i``) and its terminal voltage.

    Parameters
    ----------
    u : array (P,)
        Thevenin source voltage of each cell [V].
    g : array (P,)
        Branch conductance 1 / (R0 + r_tab) of each cell [S].
    g_rail : float
        Conductance of one busbar segment between neighbouring cells [S]; 0 means ideal
        (zero-resistance) rails.
    current : float
        Group current [A], positive on discharge.
    opposite : bool
        Negative terminal at the far end of the rail (cross-over) instead of the same end.
    """
    p = u.shape[0]
    if g_rail <= 0.0 or p == 1:
        return _ideal_group(u, g, current, out_i)
    ground = p - 1 if opposite else 0  # negative-rail node held at 0 V
    # block-tridiagonal system: unknowns x_k = (Vpos_k, Vneg_k); A_k x_{k-1} + D_k x_k + A x_{k+1}
    dp = np.empty((p, 2, 2))
    rhs = np.empty((p, 2))
    off = -g_rail  # both rails' off-diagonal blocks are diag(-g_rail, -g_rail)
    for k in range(p):
        n_links = (k > 0) + (k < p - 1)
        dp[k, 0, 0] = n_links * g_rail + g[k]
        dp[k, 0, 1] = -g[k]
        dp[k, 1, 0] = -g[k]
        dp[k, 1, 1] = n_links * g_rail + g[k]
        rhs[k, 0] = g[k] * u[k]
        rhs[k, 1] = -g[k] * u[k]
    rhs[0, 0] -= current  # the load draws the group current out of the positive terminal
    # the grounded node's row becomes V = 0; its off-diagonal couplings are dropped in that row
    lower = np.full((p, 2), off)  # coefficient of x_{k-1} in row k (diagonal blocks)
    upper = np.full((p, 2), off)  # coefficient of x_{k+1} in row k
    dp[ground, 1, 0] = 0.0
    dp[ground, 1, 1] = 1.0
    rhs[ground, 1] = 0.0
    lower[ground, 1] = 0.0
    upper[ground, 1] = 0.0
    # forward elimination: D'_k = D_k - L_k D'_{k-1}^{-1} U_{k-1} with diagonal L, U blocks
    for k in range(1, p):
        a, b, c, d = dp[k - 1, 0, 0], dp[k - 1, 0, 1], dp[k - 1, 1, 0], dp[k - 1, 1, 1]
        det = a * d - b * c
        inv00, inv01, inv10, inv11 = d / det, -b / det, -c / det, a / det
        l0, l1 = lower[k, 0], lower[k, 1]
        u0, u1 = upper[k - 1, 0], upper[k - 1, 1]
        # M = L_k inv(D'_{k-1}); subtract M U_{k-1} from D_k and M rhs_{k-1} from rhs_k
        m00, m01 = l0 * inv00, l0 * inv01
        m10, m11 = l1 * inv10, l1 * inv11
        dp[k, 0, 0] -= m00 * u0
        dp[k, 0, 1] -= m01 * u1
        dp[k, 1, 0] -= m10 * u0
        dp[k, 1, 1] -= m11 * u1
        rhs[k, 0] -= m00 * rhs[k - 1, 0] + m01 * rhs[k - 1, 1]
        rhs[k, 1] -= m10 * rhs[k - 1, 0] + m11 * rhs[k - 1, 1]
    # back substitution
    x = np.empty((p, 2))
    for k in range(p - 1, -1, -1):
        r0, r1 = rhs[k, 0], rhs[k, 1]
        if k < p - 1:
            r0 -= upper[k, 0] * x[k + 1, 0]
            r1 -= upper[k, 1] * x[k + 1, 1]
        a, b, c, d = dp[k, 0, 0], dp[k, 0, 1], dp[k, 1, 0], dp[k, 1, 1]
        det = a * d - b * c
        x[k, 0] = (d * r0 - b * r1) / det
        x[k, 1] = (a * r1 - c * r0) / det
    for k in range(p):
        out_i[k] = g[k] * (u[k] - (x[k, 0] - x[k, 1]))
    return x[0, 0]  # positive terminal, against the grounded negative terminal
