"""A crush study's force–displacement curve drawn in the jobs dock while it runs, then cancelled."""

from __future__ import annotations

import numpy as np
import pytest

from support.cad import write_step_bar
from support.screens import screenshot

pytestmark = pytest.mark.gui


def test_the_force_curve_grows_while_the_crush_runs(window, library, qtbot, tmp_path) -> None:
    from cellwright.app.jobs import JobRequest, JobState

    bar = tmp_path / "bar.step"
    write_step_bar(bar)
    snapshot = library.snapshot_for(library.design_for_cell("lg-m50"))
    materials = {**snapshot.materials, "aluminium-6061": library.material("aluminium-6061")}
    snapshot = snapshot.model_copy(update={"materials": materials})
    spec = {
        "geometry": {"file": str(bar), "materials": {"*": "aluminium-6061"}, "mesh_size": 0.0025},
        "direction": "z",
        "indenter": {"kind": "rod", "radius": 0.005, "axis": "y", "friction": 0.1},
        "max_travel": 0.002,  # far more than the test waits for: it is cancelled on the way
        # small steps on 3.6k tetrahedra: about 40 s of points, half a second apart, here (on
        # the coarse mesh in 40 steps the whole run took 2 s and could end unseen)
        "steps": 2000,
    }
    job = window.jobs.submit(JobRequest("mechanics.crush", spec, snapshot, title="Rod on bar"))
    live = window.jobs.live
    qtbot.waitUntil(lambda: live.isVisible() and live.points()[0].size >= 3, timeout=120000)
    x, y = live.points()
    assert np.all(np.diff(x) > 0) and y[-1] > 0  # travel grows, the rod pushes
    assert live.plot.getAxis("bottom").labelText == "Displacement [mm]"  # not [m] x1e-06
    assert live.plot.getAxis("left").labelText in ("Force [N]", "Force [kN]")
    assert live.title.text().startswith("Rod on bar: Force [N] while it runs")
    screenshot(window.jobs, "crush_live_curve")
    window.jobs.cancel_button(job).click()
    qtbot.waitUntil(lambda: job.finished, timeout=20000)
    assert job.state == JobState.CANCELLED
    qtbot.waitUntil(lambda: not live.isVisible(), timeout=5000)


def _partial(force: np.ndarray):
    from cellwright.projects.model import Provenance, Result

    travel = np.linspace(0.0, 1e-3, force.size)
    series = {"Time [s]": travel / 1e-3, "Displacement [m]": travel, "Force [N]": force}
    provenance = Provenance(engine_id="mechanics.crush", engine_version="1", spec_hash="")
    return Result(name="crush", series=series, provenance=provenance)


def _left_label(live) -> str:
    return live.plot.getAxis("left").labelText


def test_a_stated_force_stop_fixes_the_force_unit_from_the_first_point(qtbot) -> None:
    """A 13 kN stop: the axis reads kN at 40 N already, and still at 12 kN (it switched from
    N to kN at 100 N while the reader watched)."""
    from cellwright.viewers.live_plot import LivePlot

    live = LivePlot()
    qtbot.addWidget(live)
    reach = {"N": 13e3, "m": 2e-3}
    live.show_partial(_partial(np.linspace(0, 40, 5)), "Plate on cell", reach)
    assert (_left_label(live), live.plot.getAxis("bottom").labelText) == (
        "Force [kN]",
        "Displacement [mm]",
    )
    live.show_partial(_partial(np.linspace(0, 12e3, 50)), "Plate on cell", reach)
    assert _left_label(live) == "Force [kN]"
    assert live.title.text() == "Plate on cell: Force [N] while it runs (50 points)"
    # a 100 kN stop reads in kN
    live.show_partial(_partial(np.linspace(0, 99e3, 60)), "Plate on module", {"N": 100e3})
    assert _left_label(live) == "Force [kN]"


def test_without_a_stated_reach_the_unit_only_changes_upward_and_says_so(qtbot) -> None:
    from cellwright.viewers.live_plot import LivePlot

    live = LivePlot()
    qtbot.addWidget(live)
    live.show_partial(_partial(np.linspace(0, 40, 5)), "Rod on bar")
    assert _left_label(live) == "Force [N]"
    live.show_partial(_partial(np.linspace(0, 1500, 20)), "Rod on bar")
    assert _left_label(live) == "Force [kN]"
    assert live.title.text() == "Rod on bar: Force [N] while it runs (20 points); axis now in kN"
    # a later update of smaller values (a partial that restarted its list) keeps kN
    live.show_partial(_partial(np.linspace(0, 40, 6)), "Rod on bar")
    assert _left_label(live) == "Force [kN]"
    # another run starts afresh
    live.show_partial(_partial(np.linspace(0, 40, 5)), "Plate on cell")
    assert _left_label(live) == "Force [N]"
    assert live.title.text() == "Plate on cell: Force [N] while it runs (5 points)"


def test_a_crush_request_states_its_stops() -> None:
    from cellwright.app.jobs import JobRequest
    from cellwright.app.jobs_panel import expected_reach

    assert expected_reach(JobRequest("mechanics.crush", {"standard": "GB38031-cell"}, None)) == {
        "N": 100e3
    }
    spec = {"max_travel": 0.002, "max_force": "off", "direction": "z"}
    assert expected_reach(JobRequest("mechanics.crush", spec, None)) == {"m": 0.002}
    assert expected_reach(JobRequest("thermal.conduction", {}, None)) == {}
