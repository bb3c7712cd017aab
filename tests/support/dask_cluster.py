"""A real Dask cluster for tests: ``dask scheduler`` and ``dask worker`` processes on loopback.

Started as the user would start them (the ``dask`` command line of the installed distributed),
each in its own process group so a test can kill one worker the hard way.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

DASK = Path(sys.executable).with_name("dask")


class Cluster:
    """A scheduler (``address``) and its worker processes; :meth:`stop` ends them all."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.scheduler_file = folder / "scheduler.json"
        self.scheduler = self._spawn(
            "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
            "--scheduler-file", str(self.scheduler_file),
        )  # fmt: skip
        self.address = self._wait_for_address()
        self.workers: list[subprocess.Popen] = []

    def _spawn(self, *args: str) -> subprocess.Popen:
        env = {**os.environ, "DASK_DISTRIBUTED__LOGGING__DISTRIBUTED": "warning"}
        with (self.folder / f"{args[0]}-{time.monotonic_ns()}.log").open("w") as log:
            return subprocess.Popen(
                [str(DASK), *args], stdout=log, stderr=subprocess.STDOUT, env=env,
                start_new_session=True,
            )  # fmt: skip

    def _wait_for_address(self, timeout: float = 60.0) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.scheduler_file.exists():
                try:
                    return json.loads(self.scheduler_file.read_text())["address"]
                except (ValueError, KeyError):
                    pass
            if self.scheduler.poll() is not None:
                raise RuntimeError("dask scheduler exited at start")
            time.sleep(0.1)
        raise TimeoutError("dask scheduler did not start")

    def add_worker(self) -> subprocess.Popen:
        """Start one single-threaded worker without a nanny (so a killed worker stays dead)."""
        worker = self._spawn(
            "worker", self.address, "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1",
            "--no-dashboard", "--death-timeout", "60",
        )  # fmt: skip
        self.workers.append(worker)
        return worker

    def wait_for_workers(self, n: int, timeout: float = 120.0) -> None:
        """Block until the scheduler knows ``n`` workers."""
        from distributed import Client

        with Client(self.address, timeout="30s", set_as_default=False) as client:
            client.wait_for_workers(n, timeout=timeout)

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """SIGKILL a process and its group: a worker dying as an out-of-memory kill would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop(self) -> None:
        """End every worker and the scheduler."""
        for process in [*self.workers, self.scheduler]:
            if process.poll() is None:
                self.kill(process)


def _dependencies(dask_scheduler) -> dict:
    return {k: [d.key for d in ts.dependencies] for k, ts in dask_scheduler.tasks.items()}


def task_dependencies(client) -> dict:
    """Each task the scheduler holds -> the keys it depends on."""
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the scheduler lacks `support`
    return client.run_on_scheduler(_dependencies)
