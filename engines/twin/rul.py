"""Remaining useful life: when capacity falls to a threshold, with a credible interval.

The fade models of :mod:`.fade` are fitted to the capacity history; parameters are drawn from
each model's Laplace posterior and models in proportion to their BIC weights (Bayesian model
averaging, Hoeting et al., Statistical Science 14 (1999) 382), and each draw's mean curve gives
one crossing of the threshold. The quantiles of those crossings are the forecast and its
credible interval. When most draws do not cross within the horizon, the forecast says so rather
than extrapolating without end; when the data themselves cross, that crossing is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cellwright.engines.twin.fade import FadeFit, _clean, fit_models, model_weights
from cellwright.projects.model import InputError

__all__ = ["RulForecast", "forecast_rul", "rul_history"]


@dataclass(frozen=True)
class RulForecast:
    """A forecast of when capacity reaches ``threshold_capacity`` (x in the data's unit)."""

    threshold_capacity: float
    last_x: float
    last_fraction: float  # last capacity / reference capacity
    observed_crossing: float | None
    median: float  # x of the crossing (inf if beyond the horizon)
    low: float
    high: float
    level: float
    probability_within_horizon: float
    horizon: float
    weights: dict[str, float] = field(default_factory=dict)
    fits: list[FadeFit] = field(default_factory=list)

    @property
    def reaches_threshold(self) -> bool:
        """Whether the forecast places the crossing within the horizon (or it was observed)."""
        return self.observed_crossing is not None or np.isfinite(self.median)

    @property
    def rul(self) -> tuple[float, float, float]:
        """Remaining life after the last data point: median, low, high."""
        if self.observed_crossing is not None:
            return 0.0, 0.0, 0.0
        return self.median - self.last_x, self.low - self.last_x, self.high - self.last_x

    def message(self, unit: str = "cycles") -> str:
        """The forecast in one honest sentence."""
        at = f"{100 * self.last_fraction:.1f} %"
        threshold = f"{self.threshold_capacity:.4g} A.h"
        if self.observed_crossing is not None:
            return (
                f"the data reach the threshold ({threshold}) at {self.observed_crossing:.0f} {unit}"
            )
        if not np.isfinite(self.median):
            return (
                f"the data end at {at} of the reference capacity, above the threshold "
                f"({threshold}); the fitted trends do not reach it within {self.horizon:.0f} "
                f"{unit} (P = {self.probability_within_horizon:.2f}): no remaining-life estimate"
            )
        pct = round(100 * self.level)
        high = f"{self.high:.0f}" if np.isfinite(self.high) else f"beyond {self.horizon:.0f}"
        return (
            f"the data end at {at} of the reference capacity, not yet at the threshold "
            f"({threshold}); forecast crossing at {self.median:.0f} {unit} "
            f"[{self.low:.0f}, {high}] ({pct} % credible)"
        )


def _observed_crossing(x: np.ndarray, y: np.ndarray, threshold: float) -> float | None:
    below = np.flatnonzero(y <= threshold)
    if below.size == 0:
        return None
    i = int(below[0])
    if i == 0:
        return float(x[0])
    x0, x1, y0, y1 = x[i - 1], x[i], y[i - 1], y[i]
    return float(x0 + (y0 - threshold) * (x1 - x0) / (y0 - y1))


def _crossings(fit: FadeFit, draws: np.ndarray, grid: np.ndarray, threshold: float) -> np.ndarray:
    curves = np.array([fit.predict(grid, p) for p in draws])
    below = curves <= threshold
    first = np.argmax(below, axis=1)
    hit = below[np.arange(len(draws)), first]
    return np.where(hit, grid[first], np.inf)


def forecast_rul(
    x: np.ndarray,
    y: np.ndarray,
    threshold: float = 0.8,
    reference: float | None = None,
    level: float = 0.9,
    draws: int = 4000,
    horizon: float | None = None,
    seed: int = 0,
) -> RulForecast:
    """Forecast when capacity ``y`` (at ageing ``x``) falls to ``threshold`` x ``reference``.

    ``reference`` is the rated capacity (default: the first capacity); ``horizon`` the farthest
    ``x`` a crossing is looked for (default: ten times the last ``x``).
    """
    x, y = _clean(x, y)
    if x.size < 3:
        raise InputError(f"a remaining-life forecast needs 3+ capacity points, got {x.size}")
    reference = float(reference or y[0])
    limit = threshold * reference
    horizon = float(horizon or 10.0 * max(x[-1], 1.0))
    fits, _ = fit_models(x, y)
    weights = model_weights(fits)
    rng = np.random.default_rng(seed)
    grid = np.linspace(x[-1], horizon, 2000)
    counts = rng.multinomial(draws, weights)
    samples = np.concatenate(
        [
            _crossings(f, f.sample(int(c), rng), grid, limit)
            for f, c in zip(fits, counts, strict=True)
            if c > 0
        ]
    )
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    # no interpolation between draws: a draw that never crosses is +inf, and inf - inf is NaN
    quantiles = np.quantile(samples, [0.5, lo_q, hi_q], method="inverted_cdf")
    median, low, high = (float(v) for v in quantiles)
    return RulForecast(
        threshold_capacity=limit,
        last_x=float(x[-1]),
        last_fraction=float(y[-1] / reference),
        observed_crossing=_observed_crossing(x, y, limit),
        median=median,
        low=low,
        high=high,
        level=level,
        probability_within_horizon=float(np.mean(np.isfinite(samples))),
        horizon=horizon,
        weights={f.model: float(w) for f, w in zip(fits, weights, strict=True)},
        fits=fits,
    )


def rul_history(
    x,
    y,
    threshold: float = 0.8,
    reference: float | None = None,
    min_points: int = 4,
    most: int | None = None,
    **options,
) -> list[RulForecast]:
    """The forecast as the data arrived: refitted on the first k points for each k, or for
    ``most`` values of k spread evenly up to all the points (a 150-cycle lab run took a
    minute of refits for every k)."""
    x, y = _clean(x, y)
    reference = float(reference or y[0])
    counts = range(min_points, x.size + 1)
    if most is not None and len(counts) > most:
        counts = np.unique(np.linspace(min_points, x.size, most).round().astype(int))
    out = []
    for k in counts:
        try:
            out.append(forecast_rul(x[:k], y[:k], threshold, reference, **options))
        except InputError:  # too few points for any model yet
            continue
    return out
