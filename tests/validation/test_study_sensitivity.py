"""Sensitivity indices and surrogates against functions whose answers are known.

Ishigami function f = sin x1 + a sin² x2 + b x3⁴ sin x1, xi ~ U(-π, π), a = 7, b = 0.1
(Ishigami & Homma 1990). Analytic Sobol' indices (Sobol' & Levitan 1999; tabulated in Saltelli
et al., *Global Sensitivity Analysis: The Primer*, 2008, §4.6): S1 = (0.3139, 0.4424, 0),
ST = (0.5576, 0.4424, 0.2437).

Surrogate: the Branin function (Dixon & Szegő 1978; the standard GP benchmark), whose exact
values give the true error on 10,000 fresh points; the GP's cross-validated error must predict
it (same order) and both must be small against the function's spread.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import qmc

from cellwright.app.studies.sensitivity import morris_indices, sobol_indices, surrogate_sobol
from cellwright.app.studies.surrogate import fit_surrogate
from cellwright.projects.model import StudyInput

S1 = np.array([0.3139, 0.4424, 0.0])
ST = np.array([0.5576, 0.4424, 0.2437])
BOX = [(-np.pi, np.pi)] * 3
NAMES = ["x1", "x2", "x3"]


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def branin(x: np.ndarray) -> np.ndarray:
    x1, x2 = x[:, 0], x[:, 1]
    b, c, t = 5.1 / (4 * np.pi**2), 5 / np.pi, 1 / (8 * np.pi)
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * np.cos(x1) + 10


def test_sobol_indices_of_the_ishigami_function_match_the_published_values() -> None:
    found = sobol_indices(ishigami, NAMES, BOX, n=8192, seed=1)
    assert np.allclose(found.s1, S1, atol=0.02), found.s1
    assert np.allclose(found.st, ST, atol=0.02), found.st
    # the published value lies within the reported 95 % interval (3 half-widths: 3 indices)
    assert np.all(np.abs(found.st - ST) <= 3 * found.st_conf + 1e-3)


def test_morris_ranks_the_ishigami_inputs_and_finds_x3_acts_through_interaction() -> None:
    found = morris_indices(ishigami, NAMES, BOX, trajectories=200, seed=1)
    assert np.all(found.mu_star > 1.0)  # all three matter (x3 through x1: S1 = 0, ST > 0)
    # x3's effect is pure interaction: its spread of effects is as large as its mean effect
    assert found.sigma[2] > 0.8 * found.mu_star[2]


def test_gp_surrogate_of_branin_meets_its_error_and_its_cv_estimates_it() -> None:
    inputs = [
        StudyInput(path="spec.x1", low=-5, high=10),
        StudyInput(path="spec.x2", low=0, high=15),
    ]
    sampler = qmc.LatinHypercube(d=2, rng=np.random.default_rng(0))
    x = qmc.scale(sampler.random(60), [-5, 0], [10, 15])
    surrogate = fit_surrogate(inputs, x, branin(x)[:, None], ["f"], folds=5)
    test = qmc.scale(np.random.default_rng(1).random((10_000, 2)), [-5, 0], [10, 15])
    mean, std = surrogate.predict(test)
    truth = branin(test)
    rmse = float(np.sqrt(np.mean((mean[:, 0] - truth) ** 2)))
    spread = float(np.std(truth))
    assert rmse < 0.02 * spread, (rmse, spread)
    cv = surrogate.cv["f"]
    assert cv.r2 > 0.99 and 0.25 * rmse < cv.rmse < 4.0 * rmse, (cv, rmse)
    # its own uncertainty is honest: ~95 % of the truth within two standard deviations
    assert np.mean(np.abs(mean[:, 0] - truth) <= 2 * std[:, 0] + 1e-9) > 0.8
    assert surrogate.extrapolating(test).mean() < 0.02  # inside the design: interpolation
    assert surrogate.extrapolating(np.array([[12.0, 5.0], [0.0, -1.0]])).all()
    # a quarter of the box without points (as where points failed) is extrapolation
    keep = ~((x[:, 0] > 2.5) & (x[:, 1] > 7.5))
    holed = fit_surrogate(inputs, x[keep], branin(x[keep])[:, None], ["f"], folds=3)
    assert holed.extrapolating(np.array([[8.0, 13.0]])).all()


@pytest.mark.slow
def test_sobol_indices_on_a_surrogate_of_ishigami_approach_the_published_values() -> None:
    inputs = [StudyInput(path=f"spec.{n}", low=-np.pi, high=np.pi) for n in NAMES]
    x = qmc.scale(qmc.Sobol(d=3, rng=np.random.default_rng(2)).random(256), [-np.pi] * 3,
                  [np.pi] * 3)  # fmt: skip
    surrogate = fit_surrogate(inputs, x, ishigami(x)[:, None], ["f"], folds=4)
    found = surrogate_sobol(surrogate, "f", n=2048)
    assert np.allclose(found.st, ST, atol=0.06), found.st
    assert found.s1[1] == pytest.approx(S1[1], abs=0.05)
