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
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

__all__ = ["KERNEL_SOURCES", "configure", "kernel_digest"]

#: every module with a cached numba kernel, relative to the folder that holds the cellwright
#: subpackages (tests/test_jit_cache.py checks that none is missing)
KERNEL_SOURCES: tuple[str, ...] = (
    "engines/cfd/flow2d_kernels.py",
    "engines/electrochem/ecm_kernel.py",
    "engines/electrochem/pack_kernel.py",
    "engines/electrochem/pack_network.py",
    "engines/mechanics/constitutive.py",
    "engines/mechanics/contact.py",
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
