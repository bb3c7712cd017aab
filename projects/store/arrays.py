"""Arrays in the project file: chunked, compressed blobs with their dtype and shape.

Chunks are compressed with Blosc2 (LZ4 with byte shuffle, which regroups the bytes of
floating-point numbers so that smooth fields compress several-fold, on all cores). Only plain
numeric dtypes are stored, and they are rebuilt with ``numpy.frombuffer`` — nothing is pickled,
so a project file cannot carry code.
"""

from __future__ import annotations

import json
import sqlite3

import numpy as np

__all__ = ["CHUNK_BYTES", "delete_array", "read_array", "write_array"]

CHUNK_BYTES = 2 << 20  # 2 MiB of raw data per chunk: with 64 KiB pages a chunk is ~32 overflow
# pages, and measured 1 GB writes were fastest at 1-2 MiB (8 MiB was 15-40 % slower through WAL)
_CODEC = "blosc2-lz4-shuffle"
_ALLOWED_KINDS = "biuf"  # bool, signed/unsigned integers, floats


def _compress(raw: memoryview, itemsize: int) -> bytes:
    import blosc2

    return blosc2.compress2(
        raw,
        typesize=itemsize,
        clevel=1,
        filter=blosc2.Filter.SHUFFLE,
        codec=blosc2.Codec.LZ4,
        nthreads=blosc2.nthreads,
    )


def write_array(db: sqlite3.Connection, key: str, array: np.ndarray) -> None:
    """Store ``array`` under ``key`` (replacing any array of that key); caller commits."""
    array = np.asarray(array)
    if array.dtype.kind not in _ALLOWED_KINDS:
        raise TypeError(f"array {key!r}: dtype {array.dtype} cannot be stored (numbers only)")
    flat = np.ascontiguousarray(array).reshape(-1)
    per_chunk = max(CHUNK_BYTES // max(flat.itemsize, 1), 1)
    n_chunks = (flat.size + per_chunk - 1) // per_chunk
    delete_array(db, key)
    db.execute(
        "INSERT INTO arrays (key, dtype, shape, codec, n_chunks) VALUES (?, ?, ?, ?, ?)",
        (key, array.dtype.str, json.dumps(list(array.shape)), _CODEC, n_chunks),
    )
    db.executemany(
        "INSERT INTO array_chunks (key, idx, data) VALUES (?, ?, ?)",
        (
            (
                key,
                i,
                _compress(
                    memoryview(flat[i * per_chunk : (i + 1) * per_chunk]).cast("B"), flat.itemsize
                ),
            )
            for i in range(n_chunks)
        ),
    )


def read_array(db: sqlite3.Connection, key: str) -> np.ndarray:
    """The array stored under ``key``.

    Raises
    ------
    KeyError
        If there is no such array.
    ValueError
        If its metadata or data are damaged.
    """
    import blosc2

    row = db.execute(
        "SELECT dtype, shape, codec, n_chunks FROM arrays WHERE key = ?", (key,)
    ).fetchone()
    if row is None:
        raise KeyError(key)
    dtype_text, shape_text, codec, n_chunks = row
    try:
        dtype = np.dtype(dtype_text)
        shape = tuple(int(n) for n in json.loads(shape_text))
    except (TypeError, ValueError):
        raise ValueError(
            f"array {key!r} has damaged metadata (dtype {dtype_text!r}, shape {shape_text!r})"
        ) from None
    if dtype.kind not in _ALLOWED_KINDS or codec != _CODEC:
        raise ValueError(f"array {key!r} has an unsupported dtype or codec ({dtype}, {codec})")
    if any(n < 0 for n in shape) or not isinstance(n_chunks, int):
        raise ValueError(f"array {key!r} has damaged metadata (shape {shape}, {n_chunks} chunks)")
    out = np.empty(int(np.prod(shape)), dtype=dtype)
    view = memoryview(out).cast("B")
    pos = 0
    for (data,) in db.execute("SELECT data FROM array_chunks WHERE key = ? ORDER BY idx", (key,)):
        raw = blosc2.decompress2(data)
        view[pos : pos + len(raw)] = raw
        pos += len(raw)
        n_chunks -= 1
    if n_chunks != 0 or pos != out.nbytes:
        raise ValueError(f"array {key!r} is incomplete ({pos} of {out.nbytes} bytes)")
    return out.reshape(shape)


def delete_array(db: sqlite3.Connection, key: str) -> None:
    """Remove an array and its chunks (no error if absent)."""
    db.execute("DELETE FROM array_chunks WHERE key = ?", (key,))
    db.execute("DELETE FROM arrays WHERE key = ?", (key,))
