"""The crush solver's Newton gives up on a step that has stopped making progress."""

from __future__ import annotations

from cellwright.engines.mechanics.crush_solver import _ETA_FLOOR, _stalled


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
