"""Fade-fit speed: every model on a 40-point capacity line, without and with scatter.

A noiseless line took ~2 s: the double exponential, whose nearest curve to a line lies at
a, c -> +-inf, crept towards it through all 4000 evaluations of each start (least_squares'
cost test is relative to the remaining cost, which falls towards zero there); a start now
stops when its residuals reach 1 ppm of the capacity, ~0.02 s in all. With 2 mA.h of scatter
the fits are unchanged (~0.06 s). Targets: <= 0.1 s noiseless, <= 0.5 s noisy.
"""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.twin.fade import fit_models

pytestmark = pytest.mark.bench

X = np.arange(40, dtype=float)
LINE = 4.9 - 0.002 * X


@pytest.mark.parametrize(
    ("case", "noise", "target_s"), [("noiseless", 0.0, 0.1), ("noisy", 0.002, 0.5)]
)
def test_fit_every_fade_model_on_a_40_point_line(benchmark, case, noise, target_s):
    y = LINE + np.random.default_rng(7).normal(0.0, noise, X.size)
    fit_models(X, y)  # imports scipy outside the timing
    fits, failed = benchmark.pedantic(fit_models, args=(X, y), rounds=5, iterations=1)
    seconds = benchmark.stats.stats.min
    nfev = {f.model: f.nfev for f in fits}
    stopped = {f.model: f.stopped for f in fits}
    benchmark.extra_info.update({"seconds": seconds, "nfev": nfev, "stopped": stopped})
    print(
        f"\nfade fits, {case} 40-point line: {1e3 * seconds:.1f} ms, evaluations {nfev}, {stopped}"
    )
    assert failed == {}
    assert (stopped["double_exp"] == "exact") == (noise == 0.0)
    assert seconds <= target_s
