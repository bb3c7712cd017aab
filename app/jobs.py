"""Running studies: inline, in a worker process, or on a Dask cluster — one Job interface.

Qt-free: the window polls :class:`Job` from a QTimer, the CLI waits on it. A job's request is plain
data (engine id, spec, design snapshot), so it crosses process boundaries unchanged. Cancelling sets
a flag the engine's :class:`cellwright.engines.api.Progress` reads at least once a second; a worker
process that has not stopped one second later is terminated. Nothing is written to the project by a
job: the caller stores the result after success, so a cancelled or failed job leaves the project as
it was.
"""

from __future__ import annotations

import itertools
import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from cellwright.engines.api import Cancelled, EngineError, Progress, ProgressEvent, run_study
from cellwright.projects.model import DesignSnapshot, InputError, Result

__all__ = [
    "DaskRunner",
    "InlineRunner",
    "Job",
    "JobRequest",
    "JobState",
    "ProcessRunner",
    "next_job_id",
]

CANCEL_GRACE = 1.0  # seconds a worker gets to stop by itself before it is terminated


@dataclass(frozen=True)
class JobRequest:
    """What to run: an engine, its spec and the design snapshot."""

    engine: str
    spec: dict[str, Any]
    snapshot: DesignSnapshot
    study_id: str = ""
    title: str = ""
    workdir: Path | None = None


class JobState(StrEnum):
    """Where a job is in its life."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


_ids = itertools.count(1)


def next_job_id() -> int:
    """A new id, unique among jobs and background tasks (the jobs dock keys rows by it)."""
    return next(_ids)


@dataclass
class Job:
    """One submitted study. Thread-safe; reading it never blocks."""

    request: JobRequest
    id: int = field(default_factory=next_job_id)
    state: JobState = JobState.QUEUED
    progress: ProgressEvent = field(default_factory=lambda: ProgressEvent(0.0, "queued"))
    result: Result | None = None
    error: str = ""
    details: str = ""
    #: the worker process's id while a :class:`ProcessRunner` runs the job, else None
    pid: int | None = None
    _finished: threading.Event = field(default_factory=threading.Event, repr=False)
    _cancel: Callable[[], None] | None = field(default=None, repr=False)

    @property
    def finished(self) -> bool:
        """True once the job is done, failed or cancelled."""
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job finishes (or ``timeout`` passes); True if it finished."""
        return self._finished.wait(timeout)

    def cancel(self) -> None:
        """Ask the job to stop (it ends in state ``cancelled``)."""
        if self._cancel is not None and not self.finished:
            self._cancel()

    def _finish(
        self, state: JobState, result: Result | None = None, error: str = "", details: str = ""
    ) -> None:
        self.state, self.result, self.error, self.details = state, result, error, details
        if state == JobState.DONE:
            self.progress = ProgressEvent(1.0, "finished")
        self._finished.set()


#: how the error of a job that an engine bug ended begins (not the user's input)
UNEXPECTED = "unexpected error in "


def execute(
    request: JobRequest, report: Callable[[ProgressEvent], None], is_cancelled: Callable[[], bool]
) -> tuple[JobState, Result | None, str, str]:
    """Run a request and classify the outcome: (state, result, error message, details)."""
    try:
        result = run_study(
            request.engine,
            request.spec,
            request.snapshot,
            Progress(report, is_cancelled),
            request.workdir,
        )
    except Cancelled:
        return JobState.CANCELLED, None, "cancelled", ""
    except InputError as exc:
        return JobState.FAILED, None, str(exc), ""
    except EngineError as exc:
        return JobState.FAILED, exc.partial, str(exc), traceback.format_exc()
    except Exception as exc:  # an engine bug: keep the runner alive, show the details on demand
        return (
            JobState.FAILED,
            None,
            f"{UNEXPECTED}{request.engine}: {exc}",
            traceback.format_exc(),
        )
    result.study_id = request.study_id or result.study_id
    return JobState.DONE, result, "", ""


class InlineRunner:
    """Runs each job in the calling thread (CLI, tests)."""

    def submit(
        self, request: JobRequest, on_progress: Callable[[ProgressEvent], None] | None = None
    ) -> Job:
        """Run ``request`` now and return its finished job."""
        job = Job(request)
        flag = threading.Event()
        job._cancel = flag.set

        def report(event: ProgressEvent) -> None:
            job.progress = event
            if on_progress is not None:
                on_progress(event)

        job.state = JobState.RUNNING
        job._finish(*execute(request, report, flag.is_set))
        return job


def _worker_main(request: JobRequest, queue: Any, cancel: Any) -> None:
    """Entry point of a worker process: run and send back progress and the outcome."""

    def report(event: ProgressEvent) -> None:
        queue.put(("progress", event))

    try:
        outcome = execute(request, report, cancel.is_set)
    except BaseException as exc:  # pragma: no cover - e.g. a pickling failure of the result
        outcome = (JobState.FAILED, None, f"worker failed: {exc}", traceback.format_exc())
    queue.put(("done", outcome))


class ProcessRunner:
    """Runs each job in its own worker process (the window's runner: CPU work off the UI).

    Uses the "spawn" start method: a fork of a process with Qt loaded is not safe.
    """

    def __init__(self) -> None:
        import multiprocessing

        self._ctx = multiprocessing.get_context("spawn")

    def submit(
        self, request: JobRequest, on_progress: Callable[[ProgressEvent], None] | None = None
    ) -> Job:
        """Start ``request`` in a new process; returns at once."""
        job = Job(request)
        queue = self._ctx.Queue()
        cancel = self._ctx.Event()
        process = self._ctx.Process(
            target=_worker_main,
            args=(request, queue, cancel),
            daemon=True,
            name=f"cellwright-job-{job.id}",
        )

        def request_cancel() -> None:
            cancel.set()
            threading.Timer(CANCEL_GRACE, _terminate_if_alive, args=(job, process)).start()

        job._cancel = request_cancel
        process.start()
        job.pid = process.pid
        job.state = JobState.RUNNING
        threading.Thread(
            target=self._monitor,
            args=(job, process, queue, on_progress),
            daemon=True,
            name=f"cellwright-job-{job.id}-monitor",
        ).start()
        return job

    @staticmethod
    def _monitor(job: Job, process: Any, queue: Any, on_progress) -> None:
        import queue as queue_module

        while not job.finished:
            try:
                kind, payload = queue.get(timeout=0.1)
            except queue_module.Empty:
                if not process.is_alive() and queue.empty():
                    if not job.finished:
                        code = process.exitcode
                        if code is not None and code < 0 and job.progress.message == "cancelling":
                            job._finish(JobState.CANCELLED, error="cancelled")
                        else:
                            job._finish(
                                JobState.FAILED,
                                error=f"the worker process ended unexpectedly ({code})",
                            )
                    break
                continue
            if kind == "progress":
                job.progress = payload
                if on_progress is not None:
                    on_progress(payload)
            else:
                job._finish(*payload)
        process.join(timeout=5)


def _terminate_if_alive(job: Job, process: Any) -> None:
    if process.is_alive():
        job.progress = ProgressEvent(job.progress.fraction, "cancelling")
        process.terminate()
        process.join(timeout=2)
        if not job.finished:
            job._finish(JobState.CANCELLED, error="cancelled (worker stopped)")


def _dask_task(request: JobRequest, queue_name: str, event_name: str):
    """Runs on a Dask worker; progress and cancellation go through named Dask primitives."""
    from distributed import Event, Queue

    queue, event = Queue(queue_name), Event(event_name)
    last = [0.0]

    def report(progress: ProgressEvent) -> None:
        import time

        now = time.monotonic()
        if now - last[0] > 0.2:  # the scheduler is not a firehose
            last[0] = now
            queue.put((progress.fraction, progress.message))

    return execute(request, report, event.is_set)


def start_local_cluster(n_workers: int, threads_per_worker: int = 1) -> Any:
    """A Dask LocalCluster of ``n_workers`` worker processes on this machine, without dashboard.

    The scheduler serves its health and metrics routes over HTTP even without the dashboard, on
    port 8787 unless told otherwise. Any other Dask on the machine (a second Cellwright, a
    notebook, a design study running beside this job) holds that port, and distributed then
    only warns and moves on: a warning a user should not see, and one that stopped a cluster
    where warnings are errors. Port 0 lets the system pick a free one. The workers ignore
    Ctrl-C (:mod:`cellwright.app.dask_worker_setup`).
    """
    from distributed import LocalCluster

    from cellwright.app.dask_worker_setup import PRELOAD

    return LocalCluster(
        n_workers=n_workers,
        threads_per_worker=threads_per_worker,
        processes=True,
        dashboard_address=None,  # no dashboard ...
        scheduler_kwargs={"dashboard_address": ":0"},  # ... and its HTTP routes on a free port
        silence_logs=logging.ERROR,  # a worker's shutdown chatter is not the user's business
        preload=[PRELOAD],  # Ctrl-C is this process's to answer, not each worker's
    )


class DaskRunner:
    """Runs jobs on a Dask cluster: a LocalCluster by default, or a scheduler address."""

    def __init__(
        self, address: str | None = None, n_workers: int = 2, threads_per_worker: int = 1
    ) -> None:
        from distributed import Client

        if address:
            self.cluster = None
            self.client = Client(address)
        else:
            self.cluster = start_local_cluster(n_workers, threads_per_worker)
            self.client = Client(self.cluster)

    def submit(
        self, request: JobRequest, on_progress: Callable[[ProgressEvent], None] | None = None
    ) -> Job:
        """Submit ``request`` to the cluster; returns at once."""
        from distributed import Event, Queue

        job = Job(request)
        names = (f"cw-progress-{id(job)}-{job.id}", f"cw-cancel-{id(job)}-{job.id}")
        queue, event = Queue(names[0], client=self.client), Event(names[1], client=self.client)
        future = self.client.submit(_dask_task, request, *names, pure=False)
        job._cancel = event.set
        job.state = JobState.RUNNING

        def watch() -> None:
            while not future.done():
                try:
                    fraction, message = queue.get(timeout=0.2)
                except Exception:
                    continue
                job.progress = ProgressEvent(fraction, message)
                if on_progress is not None:
                    on_progress(job.progress)
            try:
                job._finish(*future.result())
            except Exception as exc:
                job._finish(
                    JobState.FAILED,
                    error=f"Dask task failed: {exc}",
                    details=traceback.format_exc(),
                )

        threading.Thread(target=watch, daemon=True).start()
        return job

    def close(self) -> None:
        """Shut the client (and the local cluster, if we started it) down."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
