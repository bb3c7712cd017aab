"""Numba's on-disk cache, kept apart for each version of the kernels' source.

Numba reuses a cached function until *its own* file changes; a change in a kernel it calls from
another file goes unnoticed (numba's documented limitation: "changes in symbols defined in
another file are not recognized", Notes on Caching). After an update that changed
``engines/mechanics/constitutive.py`` but not ``nonlinear.py``, the cached element pass would
go on running the old material law — no error, only wrong forces. So every cached kernel is
stored under a folder named by the digest of all the kernel sources together: any change to
any of them starts a fresh cache, compiled once. The folder lives in the user's cache
directory; the last few digests are kept (two checkouts side by side do not recompile each
other's kernels every start) and older ones removed. A ``NUMBA_CACHE_DIR`` the user set is
left alone.

Kernels are decorated with this module's :func:`njit`, which is numba's, with one addition: a
cached kernel is compiled (or loaded from the cache) by one process at a time. Numba's cache is
not safe when several processes fill it at once: its index and data files are written by each,
and a process may load another's half-matching entries and crash (numba issues #4807 and #10128,
both open). A fresh machine meets exactly that: a design study's worker processes, or a test
run's workers and the example build beside them, all compiling the same kernels on their first
call. Serialised, the first process compiles and the others load its result, which is also less
work than each compiling its own.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: msvcrt's byte-range lock does the same job there
    fcntl = None
try:
    import msvcrt
except ImportError:  # POSIX
    msvcrt = None

__all__ = ["KERNEL_SOURCES", "configure", "kernel_digest", "njit"]

#: every module with a cached numba kernel, relative to the folder that holds the cellwright
#: subpackages (tests/test_jit_cache.py checks that none is missing)
KERNEL_SOURCES: tuple[str, ...] = (
    "engines/cfd/flow2d_kernels.py",
    "engines/electrochem/ecm_kernel.py",
    "engines/electrochem/pack_kernel.py",
    "engines/electrochem/pack_network.py",
    "engines/mechanics/constitutive.py",
    "engines/mechanics/contact.py",
    "engines/mechanics/crush_short.py",
    "engines/mechanics/kernels.py",
    "engines/mechanics/nonlinear.py",
    "engines/thermal/fem_kernels.py",
    "engines/twin/ekf_kernel.py",
    "projects/labdata/_text_kernels.py",
)

_KEEP = 3  # digests kept side by side


def package_root() -> Path:
    """The folder holding the ``engines`` and ``projects`` packages (the repository in a source
    checkout, ``site-packages/cellwright`` in an installed wheel)."""
    return Path(__file__).resolve().parent.parent


def kernel_digest(root: Path | None = None) -> str:
    """SHA-256 (first 16 hex digits) over the kernel sources' names and bytes."""
    root = package_root() if root is None else root
    h = hashlib.sha256()
    for rel in KERNEL_SOURCES:
        h.update(rel.encode())
        try:
            h.update((root / rel).read_bytes())
        except OSError:  # a kernel left out of a trimmed install: its name still counts
            h.update(b"\0missing")
    return h.hexdigest()[:16]


def _cache_base() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("cellwright")) / "numba"


def configure(base: Path | None = None) -> Path | None:
    """Point numba's cache at this source version's folder; returns it (None: left as it was).

    Called on import of ``cellwright.engines`` and ``cellwright.projects``, before any kernel
    module is decorated; a cache folder that cannot be made leaves numba's default.
    """
    if os.environ.get("NUMBA_CACHE_DIR"):
        return None
    base = _cache_base() if base is None else base
    folder = base / kernel_digest()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)  # the most recently used digest is kept longest
    except OSError:
        return None
    # numba reads the variable when its config is first imported, and the config attribute
    # when a cached function is decorated: set both
    os.environ["NUMBA_CACHE_DIR"] = str(folder)
    config = sys.modules.get("numba.core.config")
    if config is not None:
        config.CACHE_DIR = str(folder)
    _prune(base, folder)
    return folder


def _prune(base: Path, current: Path) -> None:
    """Remove all but the most recently used digests (other processes may be using the newest)."""
    try:
        others = sorted((p for p in base.iterdir() if p.is_dir() and p != current),
                        key=lambda p: p.stat().st_mtime, reverse=True)  # fmt: skip
    except OSError:
        return
    for old in others[_KEEP - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


#: how long a compile waits for another process's before going ahead without the lock (numba's
#: own behaviour): a process that holds it that long is stuck, and waiting on would hang this one
LOCK_WAIT_SECONDS = 600.0
_LOCK_NAME = ".compile.lock"
_held: list[int] = []  # the lock file's descriptor while this process holds the lock
_depth = 0  # nested compiles (a kernel's callees compile inside its own compile)
_installed = False


def njit(*args: Any, **kwargs: Any) -> Callable[..., Any]:
    """``numba.njit``, with cached kernels compiled by one process at a time (see above)."""
    import numba

    _serialise_cached_compiles()
    return numba.njit(*args, **kwargs)


def _serialise_cached_compiles() -> None:
    """Wrap numba's ``Dispatcher.compile`` so a cached kernel's compile holds the lock file."""
    global _installed
    if _installed or (fcntl is None and msvcrt is None):
        return
    from numba.core.caching import NullCache
    from numba.core.compiler_lock import global_compiler_lock
    from numba.core.dispatcher import Dispatcher

    original = Dispatcher.compile

    @functools.wraps(original)
    def locked_compile(self: Any, sig: Any) -> Any:
        if isinstance(self._cache, NullCache):
            return original(self, sig)
        # numba's own lock first, this one inside it: threads of this process take them in
        # that order and one at a time, so neither waits on the other holding the second
        with global_compiler_lock, _across_processes():
            return original(self, sig)

    Dispatcher.compile = locked_compile
    _installed = True


@contextlib.contextmanager
def _across_processes() -> Iterator[None]:
    """Hold the cache folder's lock file (re-entrant: taken by the outermost compile only)."""
    global _depth
    if _depth == 0:
        _acquire()
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0 and _held:
            fd = _held.pop()
            with contextlib.suppress(OSError):
                _unlock(fd)
            os.close(fd)


def _lock_path() -> Path:
    import numba.core.config

    folder = numba.core.config.CACHE_DIR or os.environ.get("NUMBA_CACHE_DIR")
    return Path(folder or tempfile.gettempdir()) / _LOCK_NAME


def _acquire(wait: float | None = None) -> None:
    """Take the lock file, waiting up to ``wait`` seconds; without it, go on as numba would."""
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    try:
        path = _lock_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:  # a read-only cache folder: nothing to guard
        return
    deadline = time.monotonic() + wait
    while True:
        try:
            _try_lock(fd)
        except OSError:
            if time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            os.close(fd)
            return
        _held.append(fd)
        return


def _try_lock(fd: int) -> None:
    """Lock the file's first byte without waiting; OSError when another process holds it.

    POSIX: ``lockf`` (a record lock on the whole file). Windows: ``msvcrt.locking`` locks bytes
    from the file position, so the position is set to 0 first; ``LK_NBLCK`` fails at once with
    OSError (``EACCES``) where ``LK_LOCK`` would retry for ten seconds and then fail the same way.
    Either lock ends with the process, so a crashed compile never leaves it held.
    """
    if fcntl is not None:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)


def _unlock(fd: int) -> None:
    """Release the lock :func:`_try_lock` took."""
    if fcntl is not None:
        fcntl.lockf(fd, fcntl.LOCK_UN)
    else:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
