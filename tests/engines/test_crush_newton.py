"""The crush solver's Newton gives up on a step that has stopped making progress, and its path
opens at a share of the nominal step."""

from __future__ import annotations

import pytest

from cellwright.engines.mechanics.crush_run import _OPENING
from cellwright.engines.mechanics.crush_solver import (
    _ETA_FLOOR,
    PathFollower,
    StepControl,
    _stalled,
)
from support.crush_cases import block_between_plates, calibration_foam


def test_three_floor_line_searches_without_progress_are_a_stall() -> None:
    history = [(100.0, 0.5), (99.0, _ETA_FLOOR), (98.5, _ETA_FLOOR), (98.0, _ETA_FLOOR)]
    assert _stalled(history, 97.5)


def test_slow_progress_at_full_steps_is_not_a_stall() -> None:
    # linear convergence at full Newton steps: keep iterating, it gets there
    history = [(100.0, 1.0), (95.0, 1.0), (90.0, 1.0)]
    assert not _stalled(history, 86.0)


def test_short_line_searches_that_still_reduce_the_residual_are_not_a_stall() -> None:
    history = [(100.0, _ETA_FLOOR), (70.0, _ETA_FLOOR), (50.0, _ETA_FLOOR)]
    assert not _stalled(history, 40.0)


def test_one_longer_line_search_among_the_last_three_is_not_a_stall() -> None:
    history = [(100.0, _ETA_FLOOR), (99.5, 0.3), (99.0, _ETA_FLOOR)]
    assert not _stalled(history, 98.9)


def test_two_iterations_are_too_few_to_call_a_stall() -> None:
    assert not _stalled([(100.0, _ETA_FLOOR), (99.9, _ETA_FLOOR)], 99.8)


def test_the_path_opens_at_its_share_of_the_nominal_step_and_grows_from_there() -> None:
    """The crush engine opens a path at a quarter of the nominal step (crush_run._OPENING): at
    first touch a round can meets the indenter at one node. The steps after it grow as usual."""
    assert _OPENING == 0.25
    model, _ = block_between_plates(calibration_foam(), cells=2)
    first = 1e-5
    control = StepControl(first, first * 1e-4, 4 * first, 25, 1e-8, opening=_OPENING)
    follower = PathFollower(model, control, lambda: None)
    one = follower.advance(10 * first)
    assert one.travel == pytest.approx(_OPENING * first, rel=1e-12)
    assert one.iterations <= control.fast
    two = follower.advance(10 * first)
    assert two.travel - one.travel == pytest.approx(1.5 * _OPENING * first, rel=1e-12)
