"""Arrays in the project file: chunked, compressed blobs with their dtype and shape.

Chunks are compressed with Blosc2 (LZ4 with byte shuffle, which regroups the bytes of
floating-point numbers so that smooth fields compress several-fold, on all cores). Arrays
smaller than :data:`RAW_BELOW` are stored as they are: on a few KiB the codec saves a few KiB,
while each call costs 0.03-1 ms (its thread pool wakes per call: slow on a busy machine) and the
first imports blosc2 (~0.2 s, httpx included). So the columns of a lab run of a few thousand
rows, scalar series and small tables never load the codec (a one-file ``cellwright import``
stays quick, a folder of small files does not pay a codec call per column). Only plain numeric
dtypes are stored, and they are rebuilt with ``numpy.frombuffer`` — nothing is pickled, so a
project file cannot carry code.
"""

from __future__ import annotations

import json
import sqlite3

import numpy as np

__all__ = ["CHUNK_BYTES", "delete_array", "read_array", "write_array"]

CHUNK_BYTES = 2 << 20  # 2 MiB of raw data per chunk: with 64 KiB pages a chunk is ~32 overflow
# pages, and measured 1 GB writes were fastest at 1-2 MiB (8 MiB was 15-40 % slower through WAL)
RAW_BELOW = 64 << 10  # arrays under 64 KiB: stored uncompressed (see the module docstring)
_CODEC = "blosc2-lz4-shuffle"
_RAW = "raw"
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
    codec = _RAW if flat.nbytes < RAW_BELOW else _CODEC
    delete_array(db, key)
    db.execute(
        "INSERT INTO arrays (key, dtype, shape, codec, n_chunks) VALUES (?, ?, ?, ?, ?)",
        (key, array.dtype.str, json.dumps(list(array.shape)), codec, n_chunks),
    )
    chunks = (
        memoryview(flat[i * per_chunk : (i + 1) * per_chunk]).cast("B") for i in range(n_chunks)
    )
    db.executemany(
        "INSERT INTO array_chunks (key, idx, data) VALUES (?, ?, ?)",
        (
            (key, i, bytes(raw) if codec == _RAW else _compress(raw, flat.itemsize))
            for i, raw in enumerate(chunks)
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
    if dtype.kind not in _ALLOWED_KINDS or codec not in (_CODEC, _RAW):
        raise ValueError(f"array {key!r} has an unsupported dtype or codec ({dtype}, {codec})")
    if any(n < 0 for n in shape) or not isinstance(n_chunks, int):
        raise ValueError(f"array {key!r} has damaged metadata (shape {shape}, {n_chunks} chunks)")
    out = np.empty(int(np.prod(shape)), dtype=dtype)
    view = memoryview(out).cast("B")
    pos = 0
    decompress = _decompressor() if codec == _CODEC else bytes
    for (data,) in db.execute("SELECT data FROM array_chunks WHERE key = ? ORDER BY idx", (key,)):
        raw = decompress(data)
        if pos + len(raw) > out.nbytes:
            break  # more bytes than dtype and shape hold: reported as damaged below
        view[pos : pos + len(raw)] = raw
        pos += len(raw)
        n_chunks -= 1
    if n_chunks != 0 or pos != out.nbytes:
        raise ValueError(f"array {key!r} is incomplete ({pos} of {out.nbytes} bytes)")
    return out.reshape(shape)


def _decompressor():
    import blosc2

    return blosc2.decompress2


def delete_array(db: sqlite3.Connection, key: str) -> None:
    """Remove an array and its chunks (no error if absent)."""
    db.execute("DELETE FROM array_chunks WHERE key = ?", (key,))
    db.execute("DELETE FROM arrays WHERE key = ?", (key,))
