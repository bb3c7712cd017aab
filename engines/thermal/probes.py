"""Temperatures at named points: the containing tetrahedron and its P1 (barycentric) weights."""

from __future__ import annotations

import numpy as np

from cellwright.projects.model import InputError

__all__ = ["locate_points"]


def locate_points(
    points: np.ndarray, tets: np.ndarray, probes: dict[str, tuple[float, float, float]]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Node indices (4,) and weights (4,) of each named point, so T(p) = weights @ T[nodes].

    Raises
    ------
    InputError
        Naming the probe whose point lies outside the mesh.
    """
    if not probes:
        return {}
    from scipy.spatial import cKDTree

    centroids = points[tets].mean(axis=1)
    tree = cKDTree(centroids)
    found = {}
    for name, xyz in probes.items():
        p = np.asarray(xyz, dtype=float)
        _, candidates = tree.query(p, k=min(64, len(tets)))
        for t in np.atleast_1d(candidates):
            a, b, c, d = points[tets[t]]
            lam = np.linalg.solve(np.column_stack([b - a, c - a, d - a]), p - a)
            weights = np.array([1.0 - lam.sum(), *lam])
            if weights.min() >= -1e-9:
                found[name] = (tets[t].copy(), weights)
                break
        else:
            lo, hi = points.min(axis=0), points.max(axis=0)
            raise InputError(
                f"spec.probes.{name}: the point {tuple(float(v) for v in p)} m is not inside the "
                f"mesh (it spans {tuple(np.round(lo, 4))} to {tuple(np.round(hi, 4))} m)"
            )
    return found
