"""The ladder solver of each parallel group against a dense nodal-analysis solve.

Reference: modified nodal analysis (Ho, Ruehli & Brennan, IEEE Trans. Circuits Syst. 22, 1975)
of the same network assembled as a dense conductance matrix and solved with LAPACK.
"""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.electrochem.pack_network import solve_group


def _dense(u, g, g_rail, current, opposite):
    p = u.size
    n = 2 * p
    G, J = np.zeros((n, n)), np.zeros(n)

    def link(a, b, c):
        G[a, a] += c
        G[b, b] += c
        G[a, b] -= c
        G[b, a] -= c

    for k in range(p):
        link(k, p + k, g[k])
        J[k] += g[k] * u[k]
        J[p + k] -= g[k] * u[k]
        if k < p - 1 and g_rail > 0:
            link(k, k + 1, g_rail)
            link(p + k, p + k + 1, g_rail)
    J[0] -= current
    ground = p + (p - 1 if opposite else 0)
    keep = [i for i in range(n) if i != ground]
    v = np.zeros(n)
    v[keep] = np.linalg.solve(G[np.ix_(keep, keep)], J[keep])
    return v[0], g * (u - (v[:p] - v[p:]))


@pytest.mark.parametrize("p", [1, 2, 5, 16])
@pytest.mark.parametrize("opposite", [False, True])
def test_ladder_equals_dense_nodal_solution(p, opposite) -> None:
    rng = np.random.default_rng(p)
    u = 3.5 + 0.3 * rng.random(p)
    g = 1 / (0.01 + 0.02 * rng.random(p))
    out = np.empty(p)
    current = 37.0
    v = solve_group(u, g, 1 / 5e-4, current, opposite, out)
    v_ref, i_ref = _dense(u, g, 1 / 5e-4 if p > 1 else 0.0, current, opposite)
    assert v == pytest.approx(v_ref, abs=1e-12)
    np.testing.assert_allclose(out, i_ref, atol=1e-10)
    assert out.sum() == pytest.approx(current, abs=1e-10)
