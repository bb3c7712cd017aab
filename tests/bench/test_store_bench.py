"""Project-file array throughput: 1 GB of float64 fields against numpy.save on the same disk.

Goal (issue: foundation): write ≥ 0.5x numpy.save. Two payloads: smooth temperature-like fields
(what engines write; they compress) and random numbers (the worst case; they do not).
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from cellwright.projects.store import Project

pytestmark = pytest.mark.bench

N_ARRAYS, N_VALUES = 128, 1_000_000  # 128 x 8 MB = 1.02 GB


def _fields(kind: str) -> list[np.ndarray]:
    x = np.linspace(0, 1, N_VALUES)
    if kind == "smooth":
        return [298.15 + 20 * np.sin(3 * x + 0.05 * i) * np.exp(-x) for i in range(N_ARRAYS)]
    rng = np.random.default_rng(0)
    return [rng.random(N_VALUES) for _ in range(N_ARRAYS)]


@pytest.mark.parametrize("kind", ["smooth", "random"])
def test_write_and_read_1gb(tmp_path, kind) -> None:
    arrays = _fields(kind)
    nbytes = sum(a.nbytes for a in arrays)
    t0 = time.perf_counter()
    for i, a in enumerate(arrays):
        np.save(tmp_path / f"{i}.npy", a)
    os_sync()
    t_np_write = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in range(N_ARRAYS):
        np.load(tmp_path / f"{i}.npy")
    t_np_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    with Project.create(tmp_path / "bench.cwproj") as project:
        for i, a in enumerate(arrays):
            project.put_array(f"field/{i}", a)
    os_sync()
    t_write = time.perf_counter() - t0
    t0 = time.perf_counter()
    with Project.open(tmp_path / "bench.cwproj") as project:
        for i in range(N_ARRAYS):
            project.get_array(f"field/{i}")
    t_read = time.perf_counter() - t0
    size = (tmp_path / "bench.cwproj").stat().st_size
    mb = nbytes / 1e6
    print(
        f"\n{kind}: numpy.save {mb / t_np_write:.0f} MB/s, project write {mb / t_write:.0f} "
        f"MB/s (ratio {t_np_write / t_write:.2f}); numpy.load {mb / t_np_read:.0f} MB/s, "
        f"project read {mb / t_read:.0f} MB/s (ratio {t_np_read / t_read:.2f}); file "
        f"{size / nbytes:.2f} of raw"
    )
    assert size > 0


def os_sync() -> None:
    import os

    os.sync()
