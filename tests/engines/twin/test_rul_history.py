"""The forecast history: refitted as the points arrived, at most ``most`` times."""

from __future__ import annotations

import numpy as np

from cellwright.engines.twin.rul import rul_history


def _fade(n):
    x = np.linspace(0.0, 40.0, n)
    return x, 4.9 - 0.008 * x + np.random.default_rng(3).normal(0.0, 0.002, n)


def test_every_count_of_points_without_a_limit():
    x, y = _fade(9)
    history = rul_history(x, y, 0.8, 5.0, draws=200)
    assert [h.last_x for h in history] == list(x[3:])


def test_a_long_history_is_refitted_at_most_most_times_ending_on_all_points():
    x, y = _fade(60)
    history = rul_history(x, y, 0.8, 5.0, most=5, draws=200)
    last = [h.last_x for h in history]
    assert len(last) == 5 and last[0] == x[3] and last[-1] == x[-1]
    assert np.all(np.diff(last) > 0)
