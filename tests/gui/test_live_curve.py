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
