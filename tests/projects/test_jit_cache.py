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
