"""Where a study's points run: in this process, or on a Dask cluster.

Both backends take the study's base inputs (engine id, spec, design snapshot) once, then points
as ``(index, values)``, and hand back :class:`~cellwright.app.studies.point.PointOutcome` s as
the points finish, in the order they finish. On Dask the base inputs are scattered to every
worker once (``Client.scatter(broadcast=True)``), so a task carries only its point's values; a
worker that dies has its points rescheduled by the scheduler, and a point that keeps killing
workers comes back as a failed point (``KilledWorker``), not as a stopped study.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cellwright.app.jobs import start_local_cluster
from cellwright.app.studies.point import PointOutcome, run_point
from cellwright.projects.model import DesignSnapshot, InputError

__all__ = ["DaskBackend", "InlineBackend", "StudyInterrupted", "connect_dask"]


class StudyInterrupted(InputError):
    """The study stopped before all its points ran (cancelled, scheduler or workers lost).

    Finished points are stored; ``cellwright study resume`` runs the rest.
    """


@dataclass(frozen=True)
class BaseInputs:
    """What every point of a study shares; scattered to Dask workers once."""

    engine: str
    spec: dict[str, Any]
    snapshot: DesignSnapshot


class InlineBackend:
    """Runs points one after the other in this process (the CLI, tests, no cluster).

    Parameters
    ----------
    cancel
        The event :meth:`cancel` sets and the running point reads at its progress checks; a
        worker process passes one shared with its parent (``multiprocessing.Event``).
    """

    slots = 1
    description = "inline (this process)"

    def __init__(self, cancel: Any = None) -> None:
        self._queue: deque[tuple[int, dict[str, Any]]] = deque()
        self._base: BaseInputs | None = None
        self._cancel = cancel if cancel is not None else threading.Event()

    def start(self, engine: str, spec: dict[str, Any], snapshot: DesignSnapshot) -> None:
        """Take the base inputs every point shares."""
        self._base = BaseInputs(engine, spec, snapshot)

    def submit(self, index: int, values: dict[str, Any]) -> None:
        """Queue a point."""
        self._queue.append((index, values))

    @property
    def in_flight(self) -> int:
        """Points submitted and not yet handed back."""
        return len(self._queue)

    def next_outcome(self) -> PointOutcome:
        """Run the next queued point and return how it went."""
        from cellwright.engines.api import Cancelled

        if self._cancel.is_set():
            raise StudyInterrupted("cancelled")
        index, values = self._queue.popleft()
        base = self._base
        try:
            return run_point(base.engine, base.spec, base.snapshot, index, values,
                             self._cancel.is_set)  # fmt: skip
        except Cancelled:
            raise StudyInterrupted("cancelled") from None

    def cancel(self) -> None:
        """Stop at the next progress check of the running point."""
        self._cancel.set()

    def close(self) -> None:
        """Nothing to release."""


def connect_dask(
    address: str | None = None, n_workers: int = 2, timeout: float = 10.0
) -> tuple[Any, Any]:
    """A Dask client: to the scheduler at ``address``, or to a new LocalCluster of
    ``n_workers`` single-threaded worker processes. Returns (client, cluster or None).

    Raises
    ------
    InputError
        If the scheduler cannot be reached within ``timeout`` seconds.
    """
    from distributed import Client

    if address:
        try:
            return Client(address, timeout=f"{timeout}s", set_as_default=False), None
        except (OSError, TimeoutError) as exc:
            raise InputError(
                f"cannot reach the Dask scheduler at {address} within {timeout:g} s ({exc}); "
                "is `dask scheduler` running there, and is the address (tcp://host:8786) right?"
            ) from None
        except ValueError as exc:  # a malformed address
            raise InputError(f"{address!r} is not a Dask scheduler address ({exc})") from None
    cluster = start_local_cluster(n_workers)
    return Client(cluster, set_as_default=False), cluster


class _CancelFlag:
    """A study's distributed cancel event, read at most twice a second per worker."""

    def __init__(self, name: str) -> None:
        from distributed import Event

        self._event = Event(name)
        self._checked, self._value = 0.0, False

    def __call__(self) -> bool:
        now = time.monotonic()
        if not self._value and now - self._checked > 0.5:
            self._checked = now
            try:
                self._value = self._event.is_set()
            except Exception:  # the scheduler is unreachable: let the run finish
                self._value = False
        return self._value


def _dask_point(base: BaseInputs, index: int, values: dict[str, Any], cancel: str) -> PointOutcome:
    """The task a Dask worker runs for one point."""
    from cellwright.engines.api import Cancelled

    try:
        return run_point(base.engine, base.spec, base.snapshot, index, values, _CancelFlag(cancel))
    except Cancelled:
        return PointOutcome(index, False, error="cancelled")


class DaskBackend:
    """Runs points on a Dask cluster (a LocalCluster, or the scheduler at ``address``).

    Parameters
    ----------
    address
        ``tcp://host:8786`` of a running scheduler; None starts a LocalCluster.
    n_workers
        Workers of the LocalCluster (ignored with an address).
    worker_wait
        Seconds the study waits for a worker when the cluster has none before it stops
        (finished points are kept; the study can be resumed).
    """

    def __init__(
        self,
        address: str | None = None,
        n_workers: int = 2,
        worker_wait: float = 60.0,
        timeout: float = 10.0,
    ) -> None:
        import uuid

        self.client, self.cluster = connect_dask(address, n_workers, timeout)
        self.address = address or self.client.scheduler.address
        self.description = f"Dask at {self.address}" + ("" if address else " (LocalCluster)")
        self.worker_wait = worker_wait
        self._tag = uuid.uuid4().hex[:8]
        self._futures: dict[Any, int] = {}
        self._values: dict[int, dict[str, Any]] = {}
        self._retry: list[int] = []
        self._inputs: BaseInputs | None = None
        self._finished: queue.Queue[Any] = queue.Queue()
        self._base: Any = None
        self._cancel_name = f"cw-study-cancel-{self._tag}"
        self._cancelled = False

    @property
    def slots(self) -> int:
        """How many points run at once: the cluster's worker threads."""
        workers = self.client.scheduler_info(n_workers=-1)["workers"].values()
        return max(1, sum(w.get("nthreads", 1) for w in workers))

    def start(self, engine: str, spec: dict[str, Any], snapshot: DesignSnapshot) -> None:
        """Send the base inputs to every worker once."""
        self._inputs = BaseInputs(engine, spec, snapshot)
        self._base = self.client.scatter(self._inputs, broadcast=True, hash=False)

    def submit(self, index: int, values: dict[str, Any]) -> None:
        """Submit one point (its values only; the base inputs are already there)."""
        self._values[index] = values
        future = self.client.submit(
            _dask_point, self._base, index, values, self._cancel_name,
            key=f"cw-point-{self._tag}-{index}", pure=False,
        )  # fmt: skip
        self._futures[future] = index
        future.add_done_callback(self._finished.put)  # called on the client's event loop

    @property
    def in_flight(self) -> int:
        """Points submitted and not yet handed back."""
        return len(self._futures) + len(self._retry)

    def _resubmit(self) -> None:
        """Points whose task was dropped because every copy of the base inputs was lost with
        the workers that held them: scatter the inputs again and submit them again."""
        if self._base is None or self._base.status != "finished":
            self._base = self.client.scatter(self._inputs, broadcast=True, hash=False)
        retry, self._retry = self._retry, []
        for index in retry:
            self.submit(index, self._values[index])

    def next_outcome(self) -> PointOutcome:
        """Wait for the next finished point.

        Raises
        ------
        StudyInterrupted
            When cancelled, when the scheduler is lost, or when the cluster has had no worker
            for ``worker_wait`` seconds.
        """
        no_workers_since: float | None = None
        while True:
            if self._cancelled:
                raise StudyInterrupted("cancelled")
            try:
                future = self._finished.get(timeout=0.5)
            except queue.Empty:
                no_workers_since = self._check_workers(no_workers_since)
                if self._retry and no_workers_since is None:
                    self._resubmit()
                continue
            if future not in self._futures:
                continue
            index = self._futures.pop(future)
            if future.cancelled() and not self._cancelled:  # its inputs died with the workers
                self._retry.append(index)
                future.release()
                continue
            return self._collect(future, index)

    def _collect(self, future: Any, index: int) -> PointOutcome:
        from distributed import KilledWorker

        try:
            return future.result()
        except KilledWorker:
            return PointOutcome(
                index, False,
                error="the worker running this point died repeatedly (KilledWorker: out of "
                "memory or a crash in the solver); the point was given up",
            )  # fmt: skip
        except OSError as exc:
            raise self._lost(exc) from None
        except Exception as exc:  # an error the task raised outside run_point's handling
            return PointOutcome(index, False, error=f"Dask task failed: {exc}")
        finally:
            future.release()

    def _check_workers(self, since: float | None) -> float | None:
        try:
            workers = self.client.scheduler_info(n_workers=-1)["workers"]
        except OSError as exc:
            raise self._lost(exc) from None
        if self.client.status not in ("running", "connecting"):
            raise self._lost(RuntimeError(f"client {self.client.status}"))
        if workers:
            return None
        now = time.monotonic()
        if since is None:
            return now
        if now - since > self.worker_wait:
            raise StudyInterrupted(
                f"the Dask cluster at {self.address} has had no workers for "
                f"{self.worker_wait:g} s; start workers, then resume"
            )
        return since

    def _lost(self, exc: BaseException) -> StudyInterrupted:
        return StudyInterrupted(
            f"lost the Dask scheduler at {self.address} ({exc}); resume when it is back"
        )

    def cancel(self) -> None:
        """Tell the running points to stop and drop the queued ones."""
        from distributed import Event

        self._cancelled = True
        try:
            Event(self._cancel_name, client=self.client).set()
            self.client.cancel(list(self._futures))
        except Exception:  # the cluster is gone already: nothing left to stop
            pass

    def close(self) -> None:
        """Disconnect (and shut the LocalCluster down, if this backend started it)."""
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


BackendFactory = Callable[[], InlineBackend | DaskBackend]
