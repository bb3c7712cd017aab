"""Fade fits on data a model fits exactly: the generating line back, stopped for a reason.

A noiseless capacity line is fitted exactly by the square-root + linear model (a = 0) and the
power law (z = 1); the double exponential's nearest curve to it lies at a, c -> +-inf, where
least_squares' own cost test (relative to the remaining cost, which falls towards zero) never
ends the search: each start used to run all 4000 evaluations (a second a fit). A start now
stops when its residuals reach 1 ppm of the capacity (``EXACT``), finer than any cycler
measures, so fits of measured data never stop that way.
"""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.twin.fade import EXACT, fit_fade, fit_models, model_weights

X = np.arange(40, dtype=float)  # cycles
LINE = 4.9 - 0.002 * X  # A.h
MEASURED = ("gradient", "cost", "step", "cost and step")  # least_squares' own tests


@pytest.mark.parametrize(
    ("model", "truth"),
    [("sqrt_linear", [4.9, 0.0, 0.002]), ("power_law", [4.9, 0.002 / 4.9, 1.0])],
)
def test_an_exact_line_gives_back_the_generating_parameters(model, truth):
    fit = fit_fade(X, LINE, model)
    assert fit.params == pytest.approx(truth, rel=1e-7, abs=1e-9)
    assert fit.sigma < EXACT * LINE[0]
    assert fit.stopped in (*MEASURED, "exact") and fit.nfev < 200  # not out of evaluations


def test_the_double_exponential_on_an_exact_line_stops_when_it_is_exact():
    fit = fit_fade(X, LINE, "double_exp")
    # the line lies at a, c -> +-inf in this model: its starts stop on a curve within 1 ppm of
    # the capacity after some dozens of evaluations in all, not 4000 each
    assert fit.stopped == "exact" and fit.nfev < 300
    assert fit.sigma < EXACT * LINE[0]
    assert np.max(np.abs(fit.predict(X) - LINE)) < 2 * EXACT * LINE[0]


def test_on_an_exact_line_the_exact_models_carry_the_weight():
    fits, failed = fit_models(X, LINE)
    assert failed == {}
    weights = dict(zip([f.model for f in fits], model_weights(fits), strict=True))
    assert weights["double_exp"] < 1e-6  # a worse fit with one parameter more


def test_an_exact_double_exponential_with_a_knee_is_recovered():
    x = np.linspace(0.0, 1000.0, 40)
    truth = np.array([4.8, -5e-5, -0.01, 3e-3])  # a e^(b x) + c e^(d x): the knee near 900
    y = truth[0] * np.exp(truth[1] * x) + truth[2] * np.exp(truth[3] * x)
    fit = fit_fade(x, y, "double_exp")
    # a curve exact to 1 ppm of the capacity pins even the knee's rates to 1e-4
    assert fit.params == pytest.approx(truth, rel=1e-4)
    assert fit.stopped == "exact" and fit.sigma < EXACT * 4.8


def test_measured_scatter_never_stops_a_fit_as_exact():
    y = LINE + np.random.default_rng(7).normal(0.0, 0.002, X.size)  # 2 mA.h: 400 ppm
    for model in ("sqrt_linear", "power_law", "double_exp"):
        fit = fit_fade(X, y, model)
        assert fit.stopped in MEASURED, model
        assert 0.001 < fit.sigma < 0.003, model


def test_a_large_scale_covariance_with_a_rounding_eigenvalue_is_sampled() -> None:
    # numpy's absolute 1e-8 tolerance refused this PSD-up-to-rounding matrix with a warning
    from cellwright.engines.twin.fade import FadeFit

    cov = np.array([[1e8, 1e4], [1e4, 1.0 - 1e-6]])  # eigenvalues 1e8 and about -1e-6
    assert np.linalg.eigvalsh(cov).min() < -1e-8
    fit = FadeFit("sqrt_linear", np.array([1.0, 0.0]), cov, 0.01, 0.0, 40, 10, "exact")
    draws = fit.sample(4000, np.random.default_rng(0))
    assert np.all(np.isfinite(draws))
    assert np.std(draws[:, 0]) == pytest.approx(1e4, rel=0.05)
