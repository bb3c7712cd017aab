"""The window's study backend: points run in a worker process of their own, Cancel stops a
running point, and a worker that dies or whose window dies ends the study (or itself) cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from cellwright.app.studies.backends import StudyInterrupted
from cellwright.app.studies.execute import load_points, run_design_study
from cellwright.app.studies.process_backend import ProcessBackend
from cellwright.projects.model import DesignSnapshot, PointStatus
from cellwright.projects.store import Project
from support.studies import m50_project, rate_study


def _ecm_base() -> tuple[dict, DesignSnapshot]:
    """An ECM run whose duration a point sets: 60 s is quick, 10^6 s runs for minutes."""
    from cellwright.engines.electrochem.ecm_parameters import ecm_parameters_from_pybamm
    from cellwright.projects.model import CellDesign

    ecm = ecm_parameters_from_pybamm("ECM_Example")
    design = CellDesign(id="ecm-cell", name="ECM cell", ecm_parameters=ecm.id)
    snapshot = DesignSnapshot(cell=design, ecm_parameters=ecm)
    return {"current": 0.001}, snapshot


def test_points_run_in_a_process_of_their_own_and_are_stored_here(tmp_path) -> None:
    with Project.open(m50_project(tmp_path / "p.cwproj")) as project:
        study = rate_study(points=3)
        backend = ProcessBackend()
        progress = run_design_study(project, study, backend)
        backend.close()
        assert (progress.done, progress.failed) == (3, 0)
        points = load_points(project, study)
        assert all(p.status == PointStatus.DONE for p in points)
        pids = {p.worker.rpartition(":")[2] for p in points}
        assert len(pids) == 1 and str(os.getpid()) not in pids
        by_rate = sorted(points, key=lambda p: p.values["spec.c_rate"])
        durations = [p.outputs["Duration [s]"] for p in by_rate]
        assert durations == sorted(durations, reverse=True)  # faster, shorter
    assert not backend._process.is_alive()


@pytest.fixture
def ecm_backend():
    """A worker process given the ECM run of :func:`_ecm_base`; closed after the test."""
    spec, snapshot = _ecm_base()
    backend = ProcessBackend()
    backend.start("electrochem.ecm", spec, snapshot)
    yield backend
    backend.close()


def test_cancel_stops_a_long_point_within_the_grace(ecm_backend) -> None:
    backend = ecm_backend
    backend.submit(0, {"spec.duration": 60.0})
    first = backend.next_outcome()  # ECM kernels compile here on a fresh clone
    assert first.ok, first.error
    backend.submit(1, {"spec.duration": 1e6})
    time.sleep(1.0)  # the long point is running
    assert not backend._receive.poll(0)
    backend.cancel()
    started = time.monotonic()
    with pytest.raises(StudyInterrupted, match="cancelled"):
        backend.next_outcome()
    assert time.monotonic() - started < 5.0
    backend.close()  # (closing again after the test is harmless)
    assert not backend._process.is_alive()


def test_a_worker_that_dies_ends_the_study_with_a_clear_message(ecm_backend) -> None:
    backend = ecm_backend
    backend.submit(0, {"spec.duration": 1e6})
    time.sleep(0.5)
    os.kill(backend._process.pid, signal.SIGKILL)
    with pytest.raises(StudyInterrupted) as caught:
        backend.next_outcome()
    message = str(caught.value)
    assert "worker process ended unexpectedly" in message and "-9" in message


def test_a_worker_whose_window_died_ends_by_itself() -> None:
    script = textwrap.dedent("""
        import os
        from cellwright.app.studies.process_backend import ProcessBackend

        if __name__ == "__main__":
            backend = ProcessBackend()
            print(backend._process.pid, flush=True)
            os._exit(0)  # the window is killed: no close, no atexit
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120, check=True)  # fmt: skip
    pid = int(run.stdout.split()[0])
    deadline = time.monotonic() + 30.0
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.kill(pid, signal.SIGKILL)
    pytest.fail(f"the worker process {pid} outlived its parent by 30 s")
