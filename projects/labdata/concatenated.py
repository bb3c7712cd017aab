"""Two exports of one channel appended into one file: the table's header repeated mid-file.

Only a header line equal to the first, byte for byte after the line end, joins two parts: the
second part is read as the continuation of the first, one run.  A second export may bring the
vendor's preamble before its header, as the instrument writes every export (Maccor's
``Today's Date … Filename … Procedure`` line, a Landt or Novonix metadata block): a block of
the first preamble's length just before the repeated header, whose lines are the first
preamble's lines but for their digits (dates, times, a file number), is that export's own
preamble; one of another test (another procedure, cell or channel) is not.  The later parts'
test time and cycle count continue the first part's where they restart (a second export
counting from zero again), and the run's notes say so.  A different line where the header
stood stays what it was: a damaged row, refused at its line by :func:`.numeric_columns.numeric`.
"""

from __future__ import annotations

import re
from itertools import islice
from pathlib import Path

import numpy as np

from cellwright.projects.labdata import table as t
from cellwright.projects.labdata.sniff import TextLayout

_DIGITS = re.compile(r"\d+")


def repeated_headers(
    raw: dict[str, np.ndarray], column: str, path: Path, layout: TextLayout
) -> list[int]:
    """Rows of ``raw`` (the table under ``layout``) that are the header line again (and, with
    a units row, the units row under it, and the preamble before it when the appended export
    brought its own); ``column`` is a column read as text, where a repeated header shows as
    its own name."""
    values = raw[column]
    if np.asarray(values).dtype.kind in "fiub":
        return []
    cells = np.char.strip(np.asarray(values).astype(str))
    rows = np.flatnonzero(cells == column.split(" [", 1)[0]).tolist()
    if not rows:
        return []
    lines = _lines(path, layout.encoding, 0, layout.first_data_line + rows[-1])
    repeated: list[int] = []
    step, first_row = layout.first_data_line - layout.header_line, layout.first_data_line
    head, preamble = lines[layout.header_line : first_row], lines[: layout.header_line]
    for row in rows:
        at = first_row + row
        if lines[at : at + step] != head:  # the header (and units row) exactly
            continue
        before = lines[at - len(preamble) : at] if len(preamble) <= row else []
        own = bool(preamble) and len(before) == len(preamble) and _same_but_digits(before, preamble)
        repeated.extend(range(row - len(preamble) if own else row, row + step))
    return repeated


def _same_but_digits(block: list[str], preamble: list[str]) -> bool:
    """``block`` is ``preamble`` but for digits: the same instrument's preamble of the same
    test, written on another day (or with another file number)."""
    return all(
        _DIGITS.sub("", a).strip() == _DIGITS.sub("", b).strip()
        for a, b in zip(block, preamble, strict=True)
    )


def _lines(path: Path, encoding: str, first: int, last: int) -> list[str]:
    """Lines ``first`` to ``last`` (0-based, inclusive) of ``path``, line ends set aside."""
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        return [line.rstrip("\r\n") for line in islice(handle, first, last + 2)]


def drop_rows(raw: dict[str, np.ndarray], rows: list[int]) -> dict[str, np.ndarray]:
    """``raw`` without ``rows``."""
    return {name: np.delete(np.asarray(values), rows) for name, values in raw.items()}


def join_parts(
    cols: dict[str, np.ndarray], repeated: list[int], layout: TextLayout, notes: list[str]
) -> None:
    """Continue the parts that ``repeated`` (rows of the table as read, each repeat a block of
    consecutive rows) separated; say in ``notes`` how many exports were joined, and whether
    they brought their own preamble."""
    starts, sizes = [], []
    for k, row in enumerate(repeated):
        if k and row == repeated[k - 1] + 1:
            sizes[-1] += 1
        else:
            starts.append(row - sum(sizes))
            sizes.append(1)
    continue_parts(cols, starts, notes)
    step = layout.first_data_line - layout.header_line
    own = sum(size > step for size in sizes)
    how = f" ({own} with its own preamble before the header)" if own else ""
    notes.append(f"{len(starts) + 1} appended exports with one header read as one{how}")


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
