"""Job runner latencies: how long a worker-process study takes to stop after Cancel (goal: within
a second, the engine contract's check interval), and the worker start-up to first progress."""

from __future__ import annotations

import pytest

from cellwright.app.jobs import JobState, ProcessRunner
from cellwright.projects.model import CellDesign, DesignSnapshot
from support.jobs import long_ecm_job, wait_until_running

pytestmark = pytest.mark.bench


@pytest.fixture(scope="module")
def ecm_snapshot():
    from cellwright.engines.electrochem.ecm_parameters import ecm_parameters_from_pybamm

    return DesignSnapshot(
        cell=CellDesign(name="ecm"), ecm_parameters=ecm_parameters_from_pybamm("ECM_Example")
    )


def test_worker_cancel_latency(benchmark, ecm_snapshot) -> None:
    runner = ProcessRunner()

    def start():
        job = runner.submit(long_ecm_job(ecm_snapshot))
        assert wait_until_running(job, 60)
        return (job,), {}

    def cancel(job) -> None:
        job.cancel()
        assert job.wait(30)

    benchmark.pedantic(cancel, setup=start, rounds=3)
    print(f"\ncancel latency of a worker-process study: {1000 * benchmark.stats['max']:.0f} ms max")
    assert benchmark.stats["max"] < 1.5  # the contract: stopped within about a second


def test_worker_start_to_first_progress(benchmark, ecm_snapshot) -> None:
    runner = ProcessRunner()
    jobs = []

    def start_and_wait() -> None:
        job = runner.submit(long_ecm_job(ecm_snapshot))
        jobs.append(job)
        assert wait_until_running(job, 60)

    try:
        benchmark.pedantic(start_and_wait, rounds=3)
    finally:
        for job in jobs:
            job.cancel()
            job.wait(30)
    assert all(job.state == JobState.CANCELLED for job in jobs)
