"""Two exports of one channel appended into one file: the table's header repeated mid-file.

Only a header line equal to the first, byte for byte after the line end, joins two parts: the
second part is read as the continuation of the first, one run.  Its test time and cycle count
continue the first part's where they restart (a second export counting from zero again),
and the run's notes say so.  A different line where the header stood stays what it was: a
damaged row, refused at its line by :func:`._parse.numeric`.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import numpy as np

from cellwright.projects.labdata import table as t
from cellwright.projects.labdata.sniff import TextLayout


def repeated_headers(
    raw: dict[str, np.ndarray], column: str, path: Path, layout: TextLayout
) -> list[int]:
    """Rows of ``raw`` (the table under ``layout``) that are the header line again (and, with
    a units row, the units row under it); ``column`` is a column read as text, where a
    repeated header shows as its own name."""
    values = raw[column]
    if np.asarray(values).dtype.kind in "fiub":
        return []
    cells = np.char.strip(np.asarray(values).astype(str))
    rows = np.flatnonzero(cells == column.split(" [", 1)[0]).tolist()
    if not rows:
        return []
    lines = _lines(path, layout.encoding, layout.header_line, layout.first_data_line + rows[-1])
    repeated = []
    step = layout.first_data_line - layout.header_line
    for row in rows:
        at = layout.first_data_line + row - layout.header_line
        if lines[at : at + step] == lines[:step]:  # the header (and units row) exactly
            repeated.extend(range(row, row + step))
    return repeated


def _lines(path: Path, encoding: str, first: int, last: int) -> list[str]:
    """Lines ``first`` to ``last`` (0-based, inclusive) of ``path``, line ends set aside."""
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        return [line.rstrip("\r\n") for line in islice(handle, first, last + 2)]


def drop_rows(raw: dict[str, np.ndarray], rows: list[int]) -> dict[str, np.ndarray]:
    """``raw`` without ``rows``."""
    return {name: np.delete(np.asarray(values), rows) for name, values in raw.items()}


def part_starts(repeated: list[int], step: int) -> list[int]:
    """First rows of the parts after the first, counted in the table without ``repeated``."""
    return [row - k * step for k, row in enumerate(repeated[::step])]


def continue_parts(cols: dict[str, np.ndarray], starts: list[int], notes: list[str]) -> None:
    """Where a part's test time or cycle count restarts, offset it (and the parts after it)
    to continue the part before; say so in ``notes``."""
    for name, gap in ((t.TEST_TIME, 0.0), (t.CYCLE, 1.0)):
        values = cols.get(name)
        if values is None:
            continue
        restarted = []
        for start in starts:
            if values[start] < values[start - 1]:
                wall = _wall_clock_gap(cols, start) if name == t.TEST_TIME else None
                values[start:] += values[start - 1] - values[start] + (wall or gap)
                restarted.append(start)
        if restarted:
            notes.append(
                f"{name} restarted in the appended export(s) from data record "
                f"{', '.join(str(s + 1) for s in restarted)}: offset to continue the one before"
            )


def _wall_clock_gap(cols: dict[str, np.ndarray], start: int) -> float | None:
    """Seconds between the last record of a part and the first of the next by the wall clock,
    when there is one and it runs forward."""
    clock = cols.get(t.UNIX_TIME)
    if clock is None:
        return None
    gap = float(clock[start] - clock[start - 1])
    return gap if np.isfinite(gap) and gap >= 0 else None
