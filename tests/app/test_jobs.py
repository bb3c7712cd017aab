"""Job runners: a real study inline, in a worker process and on Dask; cancel; failures."""

from __future__ import annotations

import os
import signal
import socket
import time

import pytest

from cellwright.app.jobs import (
    DaskRunner,
    InlineRunner,
    JobRequest,
    JobState,
    ProcessRunner,
    start_local_cluster,
)
from cellwright.projects.model import CellDesign, DesignSnapshot
from support.jobs import long_ecm_job, wait_until_running

LG_M50 = DesignSnapshot(cell=CellDesign(name="LG M50", pybamm_parameter_set="Chen2020"))
SPM = JobRequest(
    "electrochem.pybamm_discharge", {"model": "SPM", "c_rate": 1}, LG_M50, study_id="s-1"
)


@pytest.fixture(scope="module")
def ecm_snapshot():
    from cellwright.engines.electrochem.ecm_parameters import ecm_parameters_from_pybamm

    return DesignSnapshot(
        cell=CellDesign(name="ecm"), ecm_parameters=ecm_parameters_from_pybamm("ECM_Example")
    )


def test_inline_runs_a_real_study() -> None:
    events = []
    job = InlineRunner().submit(SPM, events.append)
    assert job.state == JobState.DONE, job.error
    assert job.result.study_id == "s-1"
    assert 4.8 < job.result.scalars["Discharge capacity [A.h]"] < 5.1
    assert events and job.progress.fraction == 1.0


def test_inline_reports_bad_input_as_text() -> None:
    job = InlineRunner().submit(JobRequest("electrochem.nope", {}, LG_M50))
    assert job.state == JobState.FAILED and "unknown engine 'electrochem.nope'" in job.error


def test_worker_process_runs_and_reports_progress() -> None:
    job = ProcessRunner().submit(SPM)
    assert job.wait(120), "worker did not finish"
    assert job.state == JobState.DONE, job.error + job.details
    assert job.result.scalars["Discharge capacity [A.h]"] > 4.8


def test_worker_cancel_stops_the_job_and_leaves_no_result(ecm_snapshot) -> None:
    # the latency (goal: within a second) is measured by tests/bench/test_jobs_bench.py
    job = ProcessRunner().submit(long_ecm_job(ecm_snapshot))
    assert wait_until_running(job, 60), "the job never started"
    job.cancel()
    assert job.wait(30)
    assert job.state == JobState.CANCELLED and job.result is None


def test_worker_failure_comes_back_as_text_and_runner_survives() -> None:
    runner = ProcessRunner()
    bad = runner.submit(JobRequest("electrochem.pybamm_discharge", {"c_rate": 99}, LG_M50))
    assert bad.wait(60) and bad.state == JobState.FAILED
    assert "spec.c_rate" in bad.error
    good = runner.submit(SPM)
    assert good.wait(120) and good.state == JobState.DONE


@pytest.fixture
def port_8787_taken():
    """Dask's default HTTP port held, as another Dask on the machine (or the other xdist
    worker's cluster) holds it."""
    sock = socket.socket()
    try:
        sock.bind(("", 8787))
        sock.listen()
    except OSError:
        pass  # taken already: the condition the fixture exists to make
    yield
    sock.close()


def test_dask_local_cluster_runs_and_cancels(ecm_snapshot, port_8787_taken) -> None:
    runner = DaskRunner(n_workers=1)  # the suite's warnings are errors: no "port in use" warning
    try:
        job = runner.submit(SPM)
        assert job.wait(120) and job.state == JobState.DONE, job.error
        long = runner.submit(long_ecm_job(ecm_snapshot))
        time.sleep(3)
        long.cancel()
        assert long.wait(30) and long.state == JobState.CANCELLED
    finally:
        runner.close()


def test_ctrl_c_stops_no_worker_of_a_local_cluster(capfd) -> None:
    # Ctrl-C in the terminal of `cellwright study run` reaches the workers too (one process
    # group): each died of KeyboardInterrupt, printing Dask's traceback above the study's
    # one-line message, and its nanny started another. Cellwright alone answers it.
    from distributed import Client

    cluster = start_local_cluster(1)
    client = Client(cluster, set_as_default=False)
    try:
        client.wait_for_workers(1, timeout=60)
        (pid,) = client.run(os.getpid).values()
        os.kill(pid, signal.SIGINT)
        time.sleep(2)
        client.wait_for_workers(1, timeout=20)  # a worker that died is not back by then
        assert list(client.run(os.getpid).values()) == [pid]
    finally:
        client.close()
        cluster.close()
    assert "KeyboardInterrupt" not in capfd.readouterr().err
