"""The verdict of a standard's squeeze from where its stop and the short came (no FEM run: the
verdict is a function of the path's landmarks, which the engine tests check on real runs)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from cellwright.engines.mechanics.crush_result import _verdict
from cellwright.engines.mechanics.crush_short import ShortOnset
from cellwright.engines.mechanics.crush_spec import CrushSpec


def _run(onset_at: float | None, stop_at: float | None, **spec) -> SimpleNamespace:
    spec = CrushSpec(standard="GB38031-cell", **spec)
    onset = None
    if onset_at is not None:
        onset = ShortOnset("jelly_roll_strain", onset_at, 20e3, np.zeros(3), 0, 0.3)
    return SimpleNamespace(
        spec=spec,
        preset=spec.preset(),
        onset=onset,
        standard_stop=None if stop_at is None else ("1000 x the weight (1525.4 N)", stop_at, 1.5e3),
        time_at=lambda travel: travel / 2e-3,
        own_stop=False,
        stop_reason="",
    )


def test_a_short_leaves_the_verdict_to_the_runaway_study_not_a_fail() -> None:
    message, passed = _verdict(_run(0.3e-3, None), False)
    assert np.isnan(passed)  # was 0: a short is not a fire or an explosion
    assert "whether the cell passes depends on what the short does" in message


def test_a_short_past_the_standards_stop_passes_the_standards_test() -> None:
    # the example's Kokam squeeze: 1000 x its weight at 0.57 mm, the short at 2.08 mm
    message, passed = _verdict(_run(2.08e-3, 0.57e-3, weight_factor="off"), False)
    assert passed == 1.0
    assert "would have ended at 0.57 mm (1.5 kN) by 1000 x the weight" in message
    assert "the cell passes the standard's test, which ends before the short" in message
    assert "short-circuit onset by jelly_roll_strain at 2.08 mm" in message


def test_a_short_before_the_standards_stop_gets_no_verdict() -> None:
    message, passed = _verdict(_run(0.3e-3, 0.57e-3, weight_factor="off"), False)
    assert np.isnan(passed) and "before any short-circuit onset" not in message
