"""CSV writers shared by the viewers: curves (shared or separate x) and plain tables.

Numbers are written with ``repr`` precision (17 significant digits) so a CSV read back gives
the same doubles that were plotted; no Qt here, so these are tested without a display.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from cellwright.projects.model import InputError

__all__ = ["write_curves_csv", "write_table_csv"]

Curve = tuple[np.ndarray, np.ndarray]


def _open(path: str | Path):
    path = Path(path)
    try:
        return path, path.open("w", newline="", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the file ({exc.strerror})", where=str(path)) from exc


def _shares_x(curves: Sequence[Curve]) -> bool:
    first = curves[0][0]
    return all(x.shape == first.shape and np.array_equal(x, first) for x, _ in curves[1:])


def write_curves_csv(path: str | Path, x_name: str, curves: Mapping[str, Curve]) -> Path:
    """Write curves to CSV.

    Parameters
    ----------
    path
        The file to write.
    x_name
        Header of the x column when all curves share x.
    curves
        Curve name -> (x, y). When every curve has the same x the file has one x column and a
        column per curve; otherwise each curve gets its own ``"<name> x"``/``"<name>"`` pair of
        columns, the shorter ones padded with empty cells.

    Returns
    -------
    Path
        The written file.
    """
    names = list(curves)
    pairs = [(np.asarray(x, float), np.asarray(y, float)) for x, y in curves.values()]
    if _shares_x(pairs):
        header = [x_name, *names]
        columns = [pairs[0][0], *(y for _, y in pairs)]
    else:
        header = [h for n in names for h in (f"{n} x", n)]
        columns = [a for pair in pairs for a in pair]
    length = max(c.size for c in columns)
    path, fh = _open(path)
    with fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for i in range(length):
            writer.writerow([repr(float(c[i])) if i < c.size else "" for c in columns])
    return path


def write_table_csv(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> Path:
    """Write a header and rows of already formatted cells to CSV."""
    path, fh = _open(path)
    with fh:
        writer = csv.writer(fh)
        writer.writerow(list(header))
        writer.writerows(list(r) for r in rows)
    return path
