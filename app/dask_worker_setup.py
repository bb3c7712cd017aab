"""Set-up of the worker processes of a LocalCluster Cellwright starts (a Dask preload).

Ctrl-C in the terminal of ``cellwright study run`` reaches the whole foreground process group,
the LocalCluster's worker processes with it: each died of ``KeyboardInterrupt`` and printed a
traceback of Dask's internals above the study's one-line "stopped … resume with" message. The
Cellwright process alone answers Ctrl-C: it cancels the running points through the study's
distributed event and closes the cluster, which stops its workers.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

__all__ = ["PRELOAD", "dask_setup"]

#: this module's name, as a LocalCluster's ``preload`` takes it
PRELOAD = __name__


def dask_setup(worker: Any) -> None:
    """Let a LocalCluster's worker process ignore SIGINT (Dask calls this as it starts).

    Parameters
    ----------
    worker
        The starting :class:`distributed.Worker` (unused: the setting is the process's).
    """
    if threading.current_thread() is threading.main_thread():  # signal.signal's only thread
        signal.signal(signal.SIGINT, signal.SIG_IGN)
