"""Numba's cache is kept per version of the kernels' source (projects/jit_cache.py): numba alone
would reuse a kernel whose callee in another file changed, and run the old code."""

from __future__ import annotations

import os
import shutil
import time

import pytest

from cellwright.projects import jit_cache


@pytest.fixture
def unset(monkeypatch):
    """No NUMBA_CACHE_DIR, and numba's config restored after the test."""
    import numba.core.config

    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setattr(numba.core.config, "CACHE_DIR", numba.core.config.CACHE_DIR)
    return monkeypatch


def test_every_cached_kernel_module_is_in_the_digest() -> None:
    """A new module with ``cache=True`` must join KERNEL_SOURCES, or a change to it would not
    start a fresh cache for the kernels that call it."""
    root = jit_cache.package_root()
    found = {
        path.relative_to(root).as_posix()
        for package in ("app", "engines", "projects", "viewers")
        for path in (root / package).rglob("*.py")
        if "cache=True" in path.read_text(encoding="utf-8")
    }
    assert found == set(jit_cache.KERNEL_SOURCES)


def test_a_change_to_any_kernel_source_gives_another_cache_folder(tmp_path) -> None:
    root = jit_cache.package_root()
    copy = tmp_path / "src"
    for rel in jit_cache.KERNEL_SOURCES:
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / rel, copy / rel)
    same = jit_cache.kernel_digest(copy)
    assert same == jit_cache.kernel_digest(root)
    law = copy / "engines/mechanics/constitutive.py"  # a callee of nonlinear.py's element pass
    law.write_text(law.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert jit_cache.kernel_digest(copy) != same


def test_configure_points_numba_at_the_digest_and_keeps_the_newest(unset, tmp_path) -> None:
    import numba.core.config

    base = tmp_path / "numba"
    for k, old in enumerate(("a", "b", "c", "d")):
        (base / old).mkdir(parents=True)
        stamp = time.time() - 1000 + k
        os.utime(base / old, (stamp, stamp))
    folder = jit_cache.configure(base)
    assert folder == base / jit_cache.kernel_digest()
    assert os.environ["NUMBA_CACHE_DIR"] == str(folder) == numba.core.config.CACHE_DIR
    # the current digest and the two most recently used others
    assert sorted(p.name for p in base.iterdir()) == sorted(["c", "d", folder.name])


def test_a_cache_folder_the_user_chose_is_left_alone(unset, tmp_path) -> None:
    unset.setenv("NUMBA_CACHE_DIR", str(tmp_path / "mine"))
    assert jit_cache.configure(tmp_path / "numba") is None
    assert os.environ["NUMBA_CACHE_DIR"] == str(tmp_path / "mine")
    assert not (tmp_path / "numba").exists()


def test_a_cache_folder_that_cannot_be_made_leaves_numbas_default(unset, tmp_path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert jit_cache.configure(blocked / "numba") is None
    assert "NUMBA_CACHE_DIR" not in os.environ


def test_every_cached_kernel_is_decorated_with_the_serialising_njit() -> None:
    """numba's own njit would let processes fill the cache at once (numba #4807, #10128)."""
    root = jit_cache.package_root()
    for rel in jit_cache.KERNEL_SOURCES:
        text = (root / rel).read_text(encoding="utf-8")
        assert "from cellwright.projects.jit_cache import njit" in text, rel
        assert "from numba import njit" not in text and "numba.njit" not in text, rel


_HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.lockf(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()  # until the test says so
open(sys.argv[2], "w").close()  # released only after this file exists
"""

_COMPILE = """
import sys
from cellwright.projects.jit_cache import njit

@njit(cache=True)
def inner(x):
    return 2.0 * x

@njit(cache=True)
def outer(x):
    return inner(x) + 1.0

print("calling", flush=True)
print(outer(1.5), flush=True)
"""


def _compile_in_a_process(cache):
    import subprocess
    import sys

    script = cache.parent / "kernels.py"  # numba caches only functions defined in a file
    script.write_text(_COMPILE)
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache))
    command = [sys.executable, str(script)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)


def test_a_cached_kernel_compiles_only_while_no_other_process_holds_the_lock(tmp_path) -> None:
    import select
    import subprocess
    import sys

    cache = tmp_path / "numba"
    cache.mkdir()
    released = tmp_path / "released"
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(cache / ".compile.lock"), str(released)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        compiler = _compile_in_a_process(cache)
        assert compiler.stdout.readline().strip() == "calling"
        # two small kernels compile in ~1 s; with the lock held, nothing comes
        ready, _, _ = select.select([compiler.stdout], [], [], 10.0)
        assert not ready, "compiled while another process held the lock"
    finally:
        holder.communicate("go\n", timeout=30)
    out, _ = compiler.communicate(timeout=300)
    assert released.exists()  # the compile finished only after the holder let go
    # nested cached kernels (a callee compiled inside its caller's compile) do not deadlock
    assert float(out.strip()) == 4.0
    assert any(cache.rglob("*.nbi"))  # and they were cached


def test_a_lock_held_too_long_is_given_up_not_waited_on_forever(tmp_path, monkeypatch) -> None:
    import subprocess
    import sys

    import numba.core.config

    cache = tmp_path / "numba"
    cache.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(cache / ".compile.lock"), str(tmp_path / "r")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(numba.core.config, "CACHE_DIR", str(cache))
        jit_cache._acquire(wait=0.3)
        assert not jit_cache._held  # went ahead without it
    finally:
        holder.communicate("go\n", timeout=30)
    jit_cache._acquire(wait=0.3)  # free now: taken
    assert jit_cache._held
    os.close(jit_cache._held.pop())


class _Msvcrt:
    """msvcrt's ``locking`` as Windows documents it, for one byte range per file: ``LK_NBLCK``
    raises OSError while another descriptor holds the bytes at the file position, ``LK_UNLCK``
    releases them (and raises when they are not held)."""

    LK_UNLCK, LK_NBLCK = 0, 2

    def __init__(self) -> None:
        self.holders: dict[tuple[int, int], int] = {}  # (inode, first byte) -> descriptor

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        assert nbytes == 1
        key = (os.fstat(fd).st_ino, os.lseek(fd, 0, os.SEEK_CUR))
        if mode == self.LK_NBLCK:
            if self.holders.get(key, fd) != fd:
                raise PermissionError(13, "Permission denied")
            self.holders[key] = fd
        elif self.holders.pop(key, None) != fd:
            raise PermissionError(13, "Permission denied")


def test_without_fcntl_the_lock_is_msvcrts_byte_lock(tmp_path, monkeypatch) -> None:
    """Windows has no fcntl: a compile there still waits for another's (was: not serialised)."""
    import numba.core.config

    fake = _Msvcrt()
    monkeypatch.setattr(jit_cache, "fcntl", None)
    monkeypatch.setattr(jit_cache, "msvcrt", fake)
    monkeypatch.setattr(numba.core.config, "CACHE_DIR", str(tmp_path))
    other = os.open(tmp_path / ".compile.lock", os.O_RDWR | os.O_CREAT)
    try:
        fake.locking(other, fake.LK_NBLCK, 1)  # another process compiling
        os.lseek(other, 5, os.SEEK_SET)  # its file position moved on: the lock stays on byte 0
        jit_cache._acquire(wait=0.2)
        assert not jit_cache._held  # waited, then went ahead without it
        os.lseek(other, 0, os.SEEK_SET)
        fake.locking(other, fake.LK_UNLCK, 1)
        with jit_cache._across_processes():  # free now: taken, and given back after
            assert len(jit_cache._held) == 1 and fake.holders
        assert not jit_cache._held and not fake.holders
    finally:
        os.close(other)
