"""Global sensitivity of outputs to inputs: Sobol' indices and Morris screening (SALib).

Sobol' first-order and total indices (Sobol' 2001; estimators of Saltelli et al. 2010 and
Jansen 1999, as SALib implements them) from Saltelli's extension of a Sobol' sequence, and
Morris elementary effects (Morris 1991; mu* of Campolongo et al. 2007). Both need thousands of
evaluations, so on a study they run on its surrogate (:mod:`.surrogate`), over the unit cube
of its inputs; the same functions take any vectorised function, which is how they are checked
against the Ishigami function's published indices (tests/validation/test_study_sensitivity.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["MorrisIndices", "SobolIndices", "morris_indices", "sobol_indices", "surrogate_sobol"]


@dataclass(frozen=True)
class SobolIndices:
    """First-order ``s1`` and total ``st`` indices with 95 % bootstrap half-widths."""

    names: list[str]
    s1: np.ndarray
    st: np.ndarray
    s1_conf: np.ndarray
    st_conf: np.ndarray


@dataclass(frozen=True)
class MorrisIndices:
    """Morris mu* (mean absolute elementary effect) and sigma per input."""

    names: list[str]
    mu_star: np.ndarray
    sigma: np.ndarray
    mu_star_conf: np.ndarray


def _problem(names: list[str], bounds: list[tuple[float, float]]) -> dict:
    return {"num_vars": len(names), "names": list(names), "bounds": [list(b) for b in bounds]}


def sobol_indices(
    function: Callable[[np.ndarray], np.ndarray],
    names: list[str],
    bounds: list[tuple[float, float]],
    n: int = 1024,
    seed: int = 0,
) -> SobolIndices:
    """Sobol' indices of ``function`` (vectorised: (k, d) -> (k,)) over the box ``bounds``;
    ``n`` base samples (a power of two), n (d + 2) evaluations."""
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    problem = _problem(names, bounds)
    x = sample.sample(problem, n, calc_second_order=False, seed=seed)
    y = np.asarray(function(x), dtype=float)
    found = analyze.analyze(problem, y, calc_second_order=False, seed=seed)
    return SobolIndices(list(names), found["S1"], found["ST"], found["S1_conf"],
                        found["ST_conf"])  # fmt: skip


def morris_indices(
    function: Callable[[np.ndarray], np.ndarray],
    names: list[str],
    bounds: list[tuple[float, float]],
    trajectories: int = 100,
    levels: int = 4,
    seed: int = 0,
) -> MorrisIndices:
    """Morris screening of ``function`` over ``bounds``: ``trajectories`` (d + 1) evaluations."""
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    problem = _problem(names, bounds)
    x = sample.sample(problem, trajectories, num_levels=levels, seed=seed)
    y = np.asarray(function(x), dtype=float)
    found = analyze.analyze(problem, x, y, num_levels=levels, seed=seed)
    return MorrisIndices(list(names), np.asarray(found["mu_star"]), np.asarray(found["sigma"]),
                         np.asarray(found["mu_star_conf"]))  # fmt: skip


def surrogate_sobol(surrogate, output: str, n: int = 1024, seed: int = 0) -> SobolIndices:
    """Sobol' indices of one output of a study's surrogate over its inputs' ranges."""
    j = surrogate.outputs.index(output)
    names = [item.path for item in surrogate.inputs]
    return sobol_indices(
        lambda u: surrogate.predict(u, unit=True)[0][:, j], names, [(0.0, 1.0)] * len(names),
        n, seed,
    )  # fmt: skip
