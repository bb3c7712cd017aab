"""Empirical capacity-fade models fitted with their uncertainty.

Three models of capacity Q over ageing x (equivalent full cycles or days):

- ``sqrt_linear``  Q = q0 - a sqrt(x) - b x: SEI growth limited by diffusion (the square root)
  plus a cycling term (Broussely et al., J. Power Sources 97-98 (2001) 13; the calendar and
  cycle parts of Schmalstieg et al., J. Power Sources 257 (2014) 325, eqs. 4 and 6).
- ``power_law``    Q = q0 (1 - a x^z): capacity loss as a power of throughput (Wang et al.,
  J. Power Sources 196 (2011) 3942, eq. 4, with z near 0.5).
- ``double_exp``   Q = a e^(b x) + c e^(d x): the empirical degradation model of He, Williard,
  Osterman and Pecht, J. Power Sources 196 (2011) 10314, eq. 1, which can bend into a knee.

Each is fitted by nonlinear least squares (scipy's trust-region reflective solver), stopped
early when the residuals reach 1 ppm of the capacity (see :func:`fit_fade`); the
parameter covariance is s^2 (J'J)^-1 with s^2 = RSS / (n - p), the Laplace approximation to the
posterior under flat priors and Gaussian noise (MacKay, *Information Theory, Inference and
Learning Algorithms*, 2003, ch. 27). Models are weighted by exp(-BIC/2) (Schwarz 1978).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from cellwright.projects.model import InputError

__all__ = ["EXACT", "MODELS", "FadeFit", "fit_fade", "fit_models", "model_weights"]


def _sqrt_linear(x, q0, a, b):
    return q0 - a * np.sqrt(x) - b * x


def _power_law(x, q0, a, z):
    return q0 * (1.0 - a * np.power(x, z))


def _double_exp(x, a, b, c, d):
    return a * np.exp(b * x) + c * np.exp(d * x)


def _starts(name: str, x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    q0, span = float(y[0]), float(max(x[-1], 1e-9))
    loss = max(float(y[0] - y[-1]) / q0, 1e-4)
    if name == "sqrt_linear":
        return [np.array([q0, 0.5 * loss * q0 / np.sqrt(span), 0.5 * loss * q0 / span])]
    if name == "power_law":
        return [np.array([q0, loss / span**z, z]) for z in (0.5, 1.0, 0.8)]
    rate = np.log(max(y[-1], 1e-9) / q0) / span
    return [
        np.array([q0, rate, -1e-3 * q0, 1.0 / span]),
        np.array([q0 * 0.99, rate, 0.01 * q0, rate]),
        np.array([q0, 0.0, -0.01 * q0, 3.0 / span]),
    ]


_BOUNDS = {
    "sqrt_linear": ([0, -np.inf, -np.inf], [np.inf, np.inf, np.inf]),
    "power_law": ([0, -np.inf, 0.05], [np.inf, np.inf, 3.0]),
    "double_exp": ([0, -np.inf, -np.inf, -np.inf], [np.inf, np.inf, np.inf, np.inf]),
}
MODELS: dict[str, Callable] = {
    "sqrt_linear": _sqrt_linear,
    "power_law": _power_law,
    "double_exp": _double_exp,
}


@dataclass(frozen=True)
class FadeFit:
    """One fitted model: parameters, their covariance, residual scatter and BIC."""

    model: str
    params: np.ndarray
    covariance: np.ndarray
    sigma: float  # residual standard deviation [A.h]
    bic: float
    n: int
    nfev: int  # model evaluations over all starts (finite-difference Jacobians not counted)
    stopped: str  # why the chosen start ended: "exact" or least_squares' test (_STOPPED)

    def predict(self, x: np.ndarray, params: np.ndarray | None = None) -> np.ndarray:
        """Capacity at ``x`` for the fitted (or given) parameters."""
        p = self.params if params is None else params
        # a posterior draw far from the data may overflow an exponential: +-inf is the honest
        # value there (the curve has left every plausible capacity), not an error
        with np.errstate(over="ignore", invalid="ignore"):
            return MODELS[self.model](np.asarray(x, dtype=float), *p)

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Parameter draws from the Laplace posterior (n, p).

        The covariance (symmetric as :func:`fit_fade` stores it) is positive semi-definite up
        to rounding, which numpy judges against an absolute 1e-8: a well-fitted but
        large-scale covariance (1e8 on its diagonal) with an eigenvalue of -1e-6, a part in
        1e14 of its largest, was refused with a warning (an error in the tests). Its rounding
        is taken as the zero it is (numpy's eigh method then scales by the square root of the
        absolute eigenvalues, as before).
        """
        return rng.multivariate_normal(
            self.params, self.covariance, size=n, method="eigh", check_valid="ignore"
        )

    def band(self, x: np.ndarray, level: float = 0.9, draws: int = 2000, seed: int = 0):
        """Median and central ``level`` credible band of the mean capacity curve at ``x``."""
        rng = np.random.default_rng(seed)
        curves = np.array([self.predict(x, p) for p in self.sample(draws, rng)])
        lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
        return np.quantile(curves, [0.5, lo, hi], axis=0)


#: residual RMS, as a fraction of the largest capacity, at which a fit is exact: 1 ppm, finer
#: than any cycler measures capacity (high-precision coulometry resolves some 10 ppm)
EXACT = 1e-6

#: least_squares' reasons to stop (status 0, out of evaluations, is never taken)
_STOPPED = {1: "gradient", 2: "cost", 3: "step", 4: "cost and step", -2: "exact"}


def fit_fade(x: np.ndarray, y: np.ndarray, model: str) -> FadeFit:
    """Fit one model to capacities ``y`` at ageing ``x`` (x >= 0, sorted inside).

    A start stops, besides least_squares' own tests, when its residuals' RMS falls to
    ``EXACT`` of the largest capacity. Its cost test (a step improving the cost F by under
    1e-8 F) is never met on data a model fits exactly, where F falls towards zero: on a
    noiseless line the double exponential, whose nearest curve to a line lies at
    a, c -> +-inf, crept along that valley for all 4000 evaluations of each start (a second
    a fit, 13 of them in ``cellwright twin soh``'s forecast history). Measured capacities
    scatter far above 1 ppm, so their fits never stop this way.

    Raises
    ------
    InputError
        If there are fewer points than parameters + 1, or no start converges.
    """
    from scipy.optimize import least_squares

    if model not in MODELS:
        raise InputError(f"fade model {model!r} is not one of {', '.join(MODELS)}")
    x, y = _clean(x, y)
    f = MODELS[model]
    n_par = len(_BOUNDS[model][0])
    if x.size < n_par + 1:
        raise InputError(f"{model} needs at least {n_par + 1} capacity points, got {x.size}")
    exact_cost = 0.5 * x.size * (EXACT * float(np.max(y))) ** 2

    def exact(intermediate_result) -> None:
        if intermediate_result.cost <= exact_cost:
            raise StopIteration  # least_squares returns this iterate with status -2

    best, nfev = None, 0
    for start in _starts(model, x, y):
        try:
            # trial steps of an exponential model may overflow; least_squares then backs off
            with np.errstate(over="ignore", invalid="ignore"):
                res = least_squares(
                    lambda p: f(x, *p) - y, start, bounds=_BOUNDS[model], x_scale="jac",
                    max_nfev=4000, callback=exact,
                )  # fmt: skip
        except ValueError:
            continue
        nfev += res.nfev
        if (
            res.status in _STOPPED
            and np.all(np.isfinite(res.fun))
            and (best is None or res.cost < best.cost)
        ):
            best = res
    if best is None:
        raise InputError(f"the {model} fade model did not converge on these data")
    rss = float(2.0 * best.cost)
    dof = max(x.size - n_par, 1)
    s2 = max(rss / dof, 1e-30)
    cov = s2 * np.linalg.pinv(best.jac.T @ best.jac)
    bic = x.size * np.log(max(rss, 1e-300) / x.size) + n_par * np.log(x.size)
    return FadeFit(
        model, best.x, 0.5 * (cov + cov.T), float(np.sqrt(s2)), float(bic), x.size, nfev,
        _STOPPED[best.status],
    )  # fmt: skip


def _clean(x, y) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    keep = np.isfinite(x) & np.isfinite(y) & (y > 0) & (x >= 0)
    order = np.argsort(x[keep])
    return x[keep][order], y[keep][order]


def fit_models(x: np.ndarray, y: np.ndarray, models: tuple[str, ...] = tuple(MODELS)):
    """Every model that converges, with the reasons of those that did not."""
    fits, failed = [], {}
    for name in models:
        try:
            fits.append(fit_fade(x, y, name))
        except InputError as exc:
            failed[name] = str(exc)
    if not fits:
        raise InputError("no fade model could be fitted: " + "; ".join(failed.values()))
    return fits, failed


def model_weights(fits: list[FadeFit]) -> np.ndarray:
    """Posterior model weights exp(-BIC/2), normalised."""
    bic = np.array([f.bic for f in fits])
    w = np.exp(-0.5 * (bic - bic.min()))
    return w / w.sum()
