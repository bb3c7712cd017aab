"""The last step of every reader: the required columns checked, step and cycle counters
derived where the file has none, and the :class:`~.table.CyclerTable` built."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from cellwright.projects.labdata.table import (
    CURRENT,
    CYCLE,
    STEP_COUNT,
    STEP_INDEX,
    TIME_SERIES_REQUIRED,
    UNIX_TIME,
    CyclerTable,
    LabDataError,
    RowPlace,
    row_place,
)


def finish(
    columns: dict[str, np.ndarray],
    metadata: dict[str, Any],
    path: Path,
    where: RowPlace | None = None,
) -> CyclerTable:
    """Check required columns, derive step/cycle counters, and build the CyclerTable.

    ``where`` tells where each row stands in the file (:data:`.table.RowPlace`), for the
    error naming a damaged record.
    """
    for name in TIME_SERIES_REQUIRED:
        if name not in columns:
            raise LabDataError(f"{path}: no {name} column could be mapped")
        if len(columns[name]) == 0:
            raise LabDataError(f"{path}: no data rows")
        if np.isnan(columns[name]).all():
            raise LabDataError(f"{path}: column for {name} holds no numbers")
        source = [c for c, target in metadata.get("column_map", {}).items() if target == name]
        _check_finite(columns[name], name, path, where, source[0] if source else None)
    if STEP_COUNT not in columns:
        columns[STEP_COUNT] = derive_step_count(columns)
    if CYCLE not in columns:
        columns[CYCLE] = np.ones_like(columns[CURRENT])
    metadata.setdefault("source", str(path))
    if not metadata.get("start_time") and UNIX_TIME in columns:
        first = columns[UNIX_TIME][np.isfinite(columns[UNIX_TIME])][:1]
        try:  # ISO 8601, UTC: vendors' own clocks are local and unlabelled
            if first.size:
                stamp = datetime.fromtimestamp(float(first[0]), tz=UTC)
                metadata["start_time"] = stamp.isoformat()
        except (ValueError, OverflowError, OSError):
            pass  # a clock of no known epoch: the run keeps its records, without a start time
    return CyclerTable(columns, metadata)


def _check_finite(
    values: np.ndarray, name: str, path: Path, where: RowPlace | None, column: str | None
) -> None:
    """Time, voltage and current are measured on every record: an empty cell (or one the
    parser reads as missing, ``N/A``) or an infinite value there is a damaged record, reported
    by its row, its place in the file and its column rather than imported as a gap."""
    bad = ~np.isfinite(values)
    if bad.any():
        row = int(np.argmax(bad))
        what = "is empty" if np.isnan(values[row]) else f"is {values[row]}"
        at = [row_place(where, row)] if where is not None else []
        at += [f"column {column!r}"] if column else []
        at_text = f" ({', '.join(at)})" if at else ""
        more = int(bad.sum()) - 1
        also = f" (and {more} more record{'s' if more > 1 else ''})" if more else ""
        raise LabDataError(f"{path}: data record {row + 1}: {name} {what}{at_text}{also}")


def derive_step_count(columns: dict[str, np.ndarray]) -> np.ndarray:
    """BDF step count: 1 + number of changes of step index (or of current sign) so far."""
    key = columns[STEP_INDEX] if STEP_INDEX in columns else np.sign(np.round(columns[CURRENT], 9))
    changes = np.concatenate(([0], (np.diff(key) != 0).astype(np.int64)))
    return (1 + np.cumsum(changes)).astype(np.float64)
