"""Text columns that keep the polars strings they were read as, so that durations, clocks
and states convert from those at Rust speed instead of from Python strings."""

from __future__ import annotations

from typing import Any

import numpy as np

#: columns from this many rows on convert their text (durations, clocks) with polars' Rust
#: string kernels (~0.05 µs a cell against ~2.4 µs for pandas' Python-level regex): a
#: million-row Neware export spent seconds per duration column. Below it, polars' import
#: (~0.3 s once per process) would cost a one-file import more than it saves.
POLARS_ROWS = 4096


def text_column(cells) -> np.ndarray:
    """A polars string Series as the column a reader hands on: a :class:`LazyText` from
    :data:`POLARS_ROWS` cells on, else a :class:`TextCells` array."""
    if len(cells) >= POLARS_ROWS:  # its conversions read the polars strings, not these
        return LazyText(cells)
    return text_array(cells)


def text_array(cells) -> np.ndarray:
    """A polars string Series as a :class:`TextCells` object array that keeps it."""
    values = cells.to_numpy().astype(object, copy=False).view(TextCells)
    values.polars = cells
    return values


class LazyText:
    """A large text column as its polars strings, made a :class:`TextCells` object array only
    when something asks for the array: durations, clocks and states convert from the polars
    strings and look at the first cells only, and Python strings for every cell of a date and
    a duration column were ~0.35 ms of a 10k-row Neware export's ~6.5 ms.

    Indexing a cell or a contiguous slice reads only those cells; anything else (``np.asarray``,
    fancy indexing, comparisons, any ndarray attribute) works on the whole array, made once.
    """

    __slots__ = ("_array", "polars")
    dtype = np.dtype(object)
    ndim = 1

    def __init__(self, cells) -> None:
        self.polars = cells
        self._array: np.ndarray | None = None

    def array(self) -> np.ndarray:
        """The column as a :class:`TextCells` object array (made on the first call)."""
        if self._array is None:
            self._array = text_array(self.polars)
        return self._array

    def __len__(self) -> int:
        return self.polars.len()

    @property
    def shape(self) -> tuple[int]:
        return (len(self),)

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        values = self.array()
        return values if dtype is None else values.astype(dtype, copy=False)

    def __getitem__(self, key):
        if isinstance(key, (int, np.integer)):
            return self.polars[int(key)]
        if isinstance(key, slice) and self._array is None:
            start, stop, step = key.indices(len(self))
            if step == 1:
                return self.polars.slice(start, max(stop - start, 0)).to_numpy().astype(object)
        return self.array()[key]

    def __iter__(self):
        return iter(self.array())

    def __eq__(self, other):
        return self.array() == other

    def __ne__(self, other):
        return self.array() != other

    __hash__ = None  # type: ignore[assignment]

    def __getattr__(self, name: str):
        return getattr(self.array(), name)


class TextCells(np.ndarray):
    """An object array of a column's text cells that keeps the polars strings it was made from
    (:attr:`polars`), so that durations and clocks are converted from those without turning
    thousands of Python strings back into Arrow strings. Anything derived from it (a slice, a
    copy, a ufunc's result) has ``polars`` None."""

    polars: Any = None

    def __array_finalize__(self, obj: Any) -> None:
        self.polars = None


def polars_strings(values: np.ndarray):
    """A polars string Series of an object array of text cells (missing cells null); the one
    a :class:`TextCells` was made from, as it is."""
    import pandas as pd
    import polars as pl

    if getattr(values, "polars", None) is not None:  # a TextCells or LazyText as it came
        return values.polars

    missing = pd.isna(values)
    cells = np.where(missing, None, values) if missing.any() else values
    # from a list: polars cannot build strings from an object array that starts with None
    return pl.Series(np.asarray(cells, dtype=object).tolist(), dtype=pl.String, strict=False)
