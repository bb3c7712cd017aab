"""``cfd.flow2d`` transient step control: a step whose inner iterations fail is cut into half
steps, and the result says so; a run that diverges even at the shortest sub-step keeps what it
solved; a run whose steps converge is stepped exactly as asked."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.api import Cancelled, EngineError, Progress, run_study
from cellwright.projects.model import ResultStatus


@pytest.fixture(scope="module")
def design(library):
    return library.snapshot_for(library.design_for_cell("lg-m50"))


def _cavity(**extra) -> dict:
    """A lid-driven cavity at Re 10^4 on 16 x 16 cells, from rest: SIMPLEC does not reach the
    tolerance in 50 inner iterations at a step of 0.5 s, and does in 20 to 43 at 0.25 s."""
    spec = {
        "length": 1.0,
        "height": 1.0,
        "cells": 16,
        "density": 1.0,
        "viscosity": 1e-3,
        "energy": False,
        "mode": "transient",
        "duration": 1.5,
        "time_step": 0.5,
        "edges": [{"name": "lid", "side": "top", "kind": "moving_wall", "velocity": 10.0}],
    }
    spec.update(extra)
    return spec


def _fast_duct(**extra) -> dict:
    """Water at 1 m/s into a 40 x 10 mm duct at rest on 32 x 8 cells (Re 10^4): a step of 1 s
    or more runs away within 20 inner iterations."""
    spec = {
        "length": 0.04,
        "height": 0.01,
        "cells": 32,
        "coolant": "water",
        "mode": "transient",
        "edges": [
            {"name": "in", "side": "left", "kind": "inlet", "velocity": 1.0, "temperature": 295.0},
            {"name": "out", "side": "right", "kind": "outlet"},
            {"name": "hot", "side": "bottom", "kind": "wall", "temperature": 320.0},
        ],
    }
    spec.update(extra)
    return spec


def test_a_step_that_fails_is_cut_and_lands_where_the_short_steps_do(design) -> None:
    cut = run_study("cfd.flow2d", _cavity(), design)
    s = cut.scalars
    assert cut.status == ResultStatus.COMPLETE and s["Converged [-]"] == 1.0
    assert s["Time steps"] == 3 and s["Time steps cut"] == 3 and s["Sub-steps taken"] == 6
    assert s["Smallest time step [s]"] == pytest.approx(0.25)
    assert s["Unconverged steps"] == 0 and s["End time [s]"] == pytest.approx(1.5)
    assert any("3 of 3 time steps were cut (down to 0.25 s)" in w for w in cut.provenance.warnings)
    steps = cut.tables["time steps"]
    assert steps["Time [s]"] == pytest.approx([0.25, 0.5, 0.75, 1.0, 1.25, 1.5])
    assert np.all(steps["Inner iterations"] < 50)
    assert cut.series["Time [s]"].tolist() == [1.5]  # the snapshots stay at the user's times
    # each cut step is two implicit Euler steps of 0.25 s from the step's start: the same
    # sequence as a run asked for 0.25 s, so the same flow to the tolerance
    short = run_study("cfd.flow2d", _cavity(time_step=0.25, output_every=2), design)
    assert short.scalars["Time steps cut"] == 0
    assert short.series["Time [s]"].tolist() == [0.5, 1.0, 1.5]
    final = cut.field("Velocity [m/s]").values[-1]
    assert np.abs(final - short.field("Velocity [m/s]").values[-1]).max() < 1e-6 * 10.0


def test_a_run_diverging_at_its_shortest_sub_step_keeps_what_it_solved(design, monkeypatch):
    from cellwright.engines.cfd import flow2d_transient

    # at the first step nothing is kept: an error naming the time and what to change
    with pytest.raises(EngineError, match=r"from t = 0 s even cut to 0\.625 s .*spec\.time_step"):
        run_study("cfd.flow2d", _fast_duct(duration=20.0, time_step=10.0), design)
    # with one halving: 2 s runs away, 1 s is kept unconverged, the next 1 s runs away
    monkeypatch.setattr(flow2d_transient, "MOST_HALVINGS", 1)
    result = run_study("cfd.flow2d", _fast_duct(duration=6.0, time_step=2.0), design)
    assert result.status == ResultStatus.PARTIAL
    assert result.message.startswith("stopped at t = 1 s of 6 s: the 2D solver diverged")
    assert "shorten spec.time_step (now 2 s)" in result.message
    assert result.series["Time [s]"].tolist() == [1.0]
    assert result.field("Temperature [K]").values.shape == (1, 32 * 8)
    s = result.scalars
    assert s["End time [s]"] == 1.0 and s["Converged [-]"] == 0.0 and s["Unconverged steps"] == 1
    assert any("1 time step, cut to the shortest" in w for w in result.provenance.warnings)


def test_once_cutting_has_not_helped_a_step_that_misses_the_tolerance_is_kept_at_once(design):
    # water switched on at 1 m/s misses the tolerance in 50 inner iterations at 0.2 s and at
    # every cut down to 0.0125 s: the first step is cut to the floor; after that, steps that
    # only miss it are kept without retries (31 tries of 50 iterations each before)
    result = run_study("cfd.flow2d", _fast_duct(duration=0.8, time_step=0.2), design)
    s = result.scalars
    steps = result.tables["time steps"]
    assert s["Smallest time step [s]"] == pytest.approx(0.0125)
    assert steps["Time step [s]"][-3:] == pytest.approx([0.2, 0.2, 0.2])
    assert s["Unconverged steps"] == s["Sub-steps taken"] <= 8
    assert s["Converged [-]"] == 0.0 and result.status == ResultStatus.COMPLETE
    assert any("did not reach the tolerance" in w for w in result.provenance.warnings)


def test_a_run_whose_steps_converge_is_stepped_as_asked_and_can_be_cancelled(design) -> None:
    duct = _fast_duct(duration=0.5, time_step=0.125, output_every=2)
    duct["edges"][0]["velocity"] = 0.01
    result = run_study("cfd.flow2d", duct, design)
    s = result.scalars
    assert result.status == ResultStatus.COMPLETE and not result.message
    assert s["Converged [-]"] == 1.0 and s["Time steps"] == 4 and s["Sub-steps taken"] == 4
    assert s["Time steps cut"] == 0 and s["Unconverged steps"] == 0
    assert result.series["Time [s]"].tolist() == [0.25, 0.5]
    assert not any("cut" in w for w in result.provenance.warnings)
    # a duration that is no whole number of steps ends on it, the last step shorter
    odd = run_study("cfd.flow2d", {**duct, "duration": 0.3}, design)
    assert odd.tables["time steps"]["Time [s]"] == pytest.approx([0.125, 0.25, 0.3])
    assert odd.tables["time steps"]["Time step [s]"][-1] == pytest.approx(0.05)
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 20

    with pytest.raises(Cancelled):
        run_study("cfd.flow2d", _cavity(), design, Progress(is_cancelled=cancelled))
