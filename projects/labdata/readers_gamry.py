"""Gamry Framework .DTA time series: the ``CURVE`` tables of DC techniques.

A .DTA file is tab-delimited text: ``EXPLAIN``, ``TAG <technique>``, setup objects, then data
tables, each a ``<name>\tTABLE`` line, a header line and a units line, then rows that start
with a tab (Gamry, "Data File Overview" and "The Data Curve", help.gamry.com). DC techniques
(chronoamperometry ``CHRONOA``, cyclic voltammetry ``CV``, open circuit ``CORPOT``, the
charge and discharge experiments ...) write ``CURVE`` (or ``CURVE1``, ``CURVE2`` ... one per
cycle of a CV) with ``T`` in s, ``Vf`` in V and ``Im`` in A. ``OCVCURVE`` (the open circuit
before the experiment) and ``ZCURVE`` (impedance, :func:`readers_biologic.read_gamry_dta`)
are not these curves. ``Im`` is taken as written, anodic current positive: Gamry's
``CONVENTION`` 1, BDF's sign for a working electrode that charges when oxidised; a file with
another convention says so in a note.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from cellwright.projects.labdata import datetimes
from cellwright.projects.labdata import table as t
from cellwright.projects.labdata.readers_table import finish_any
from cellwright.projects.labdata.resolve import resolve
from cellwright.projects.labdata.table import CyclerTable, LabDataError

_CURVE = re.compile(r"^CURVE(\d*)\tTABLE\b")
#: the curve columns read, with the unit the header's units line must give
_COLUMNS = {"T": (t.TEST_TIME, "s"), "Vf": (t.VOLTAGE, "V"), "Im": (t.CURRENT, "A")}
_OPEN_CIRCUIT = ("CORPOT",)  # techniques that hold the cell at open circuit: I = 0


def has_curves(lines: list[str]) -> bool:
    """True when the file holds a DC ``CURVE`` table."""
    return any(_CURVE.match(line) for line in lines)


def read_gamry_curves(path: Path, text: str, lines: list[str]) -> CyclerTable:
    """The ``CURVE`` tables of a .DTA as one run; ``CURVE<n>`` rows are cycle n."""
    tags = dict(re.findall(r"^(TITLE|DATE|TIME|PSTAT|CONVENTION)\t\w+\t([^\t]*)", text, re.M))
    tag = re.search(r"^TAG\t([^\t\r\n]+)", text, re.M)
    technique = tag.group(1).strip() if tag else ""
    parts: dict[str, list[np.ndarray]] = {}
    starts = [(n, m.group(1)) for n, line in enumerate(lines) if (m := _CURVE.match(line))]
    for n, number in starts:
        columns = _curve_columns(path, lines, n, technique)
        for name, values in columns.items():
            parts.setdefault(name, []).append(values)
        if number:
            rows = len(next(iter(columns.values())))
            parts.setdefault(t.CYCLE, []).append(np.full(rows, float(number)))
    cols = {name: np.concatenate(chunks) for name, chunks in parts.items()}
    notes = []
    used = {raw: target for raw, (target, _unit) in _COLUMNS.items() if target in cols}
    if t.CURRENT not in cols:
        cols[t.CURRENT] = np.zeros(len(cols[t.TEST_TIME]))
        notes.append(f"open-circuit technique ({technique}): no Im column, current is zero")
    convention = tags.get("CONVENTION", "1").strip()
    if convention != "1":
        notes.append(f"Current Convention {convention} (not anodic-positive): Im as written")
    meta = {
        "format": "gamry_dta",
        "instrument": "Gamry",
        "technique": technique or None,
        "channel": tags.get("PSTAT"),
        "column_map": used,
        "start_time": datetimes.iso_stamp(f"{tags.get('DATE', '')} {tags.get('TIME', '')}"),
    }
    if notes:
        meta["notes"] = "; ".join(notes)
    resolve(cols, path)
    return finish_any(cols, meta, path, "timeseries")


def _curve_columns(path: Path, lines: list[str], start: int, technique: str) -> dict:
    name = lines[start].split("\t", 1)[0]
    if start + 3 >= len(lines) or not lines[start + 3].startswith("\t"):
        raise LabDataError(f"{path}: line {start + 1}: {name} table has no rows")
    header = lines[start + 1].rstrip("\r\n").split("\t")[1:]
    units = lines[start + 2].rstrip("\r\n").split("\t")[1:]
    wanted = {}
    for raw, (target, unit) in _COLUMNS.items():
        if raw not in header:
            if raw == "Im" and technique in _OPEN_CIRCUIT:
                continue
            raise LabDataError(
                f"{path}: line {start + 2}: {name} table has no {raw!r} column for {target} "
                f"(columns: {', '.join(header)})"
            )
        index = header.index(raw)
        found = units[index].split(" ", 1)[0] if index < len(units) else ""
        if found != unit:
            raise LabDataError(
                f"{path}: line {start + 3}: {name} column {raw!r} in {found or 'no unit'!r}, "
                f"expected {unit!r}"
            )
        wanted[target] = (raw, index)
    values: dict[str, list[float]] = {target: [] for target in wanted}
    number = start + 3
    while number < len(lines) and lines[number].startswith("\t") and lines[number].strip():
        cells = lines[number].rstrip("\r\n").split("\t")[1:]
        if len(cells) < len(header):  # a run stopped mid-row
            raise LabDataError(
                f"{path}: line {number + 1}: truncated record ({len(cells)} of {len(header)} cells)"
            )
        for target, (raw, index) in wanted.items():
            try:
                # the decimal separator of the Windows locale it was run under
                values[target].append(float(cells[index].replace(",", ".")))
            except ValueError:
                raise LabDataError(
                    f"{path}: line {number + 1}: column {raw!r} has non-numeric value "
                    f"{cells[index]!r}"
                ) from None
        number += 1
    return {target: np.asarray(found, dtype=float) for target, found in values.items()}
