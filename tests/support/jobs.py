"""Waiting for jobs in tests and benchmarks."""

from __future__ import annotations

import time

from cellwright.app.jobs import Job, JobRequest


def wait_until_running(job: Job, timeout: float) -> bool:
    """True once the engine has reported progress (it is past start-up and imports)."""
    deadline = time.monotonic() + timeout
    while job.progress.message in ("queued", "") or job.progress.fraction == 0.0:
        if time.monotonic() > deadline or job.finished:
            return False
        time.sleep(0.02)
    return True


def long_ecm_job(snapshot) -> JobRequest:
    """4.9 million one-second ECM steps (the most a run takes is 5 million): a minute or more
    of work, reporting every 5000 steps."""
    return JobRequest("electrochem.ecm", {"current": 0.001, "duration": 4.9e6}, snapshot)
