"""Exports that need more than a profile: companion files, layered tables, summaries, EIS.

* Arbin CSV with its ``_Metadata.csv`` companion (BEEP / MITS Pro layout, either case).
* Neware BTS CSV, flat (``DataPoint,Cycle Index,...``) or layered (cycle rows, ``,Step``
  rows, ``,,Record`` rows: only the record layer is the time series; cycle and step come
  from the enclosing rows).
* BatteryArchive and battery-data-toolkit CSVs, whose ``cycle_data``/``summary`` files are
  per-cycle tables (kind ``cycle_summary``).
* Maccor AC-impedance text (``MACCOR, INC. AC Impedance Test``).
* BDF as Parquet.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from cellwright.projects.labdata import delimited, finish, numeric_columns, sniff
from cellwright.projects.labdata import table as t
from cellwright.projects.labdata.mapper import (
    apply_mapping,
    propose_mapping,
    states_time_unit,
    used_columns,
)
from cellwright.projects.labdata.readers_table import finish_any, read_text_table
from cellwright.projects.labdata.resolve import refuse_damaged_clock, resolve
from cellwright.projects.labdata.table import CyclerTable, LabDataError
from cellwright.projects.labdata.vendor_profiles import BY_NAME


def read_arbin_csv(path: Path, progress=None) -> CyclerTable:
    """Arbin MITS CSV; a ``<name>_Metadata.csv`` beside it supplies channel, cell and start."""
    table = read_text_table(path, BY_NAME["arbin_csv"], progress=progress)
    table.metadata.update(arbin_sidecar(path))
    return table


def companion_files(path: Path) -> list[Path]:
    """Files that belong to ``path`` and are read with it (Arbin metadata, BioLogic .mps)."""
    out = [path.with_name(path.stem + "_Metadata.csv"), path.with_name(path.stem + "_metadata.csv")]
    out.append(path.with_suffix(".mps"))
    return [p for p in out if p.exists() and p != path]


def arbin_sidecar(path: Path) -> dict:
    """Channel, cell id, start time and schedule from an Arbin ``_Metadata.csv``."""
    sidecars = [p for p in companion_files(path) if p.suffix.lower() == ".csv"]
    if not sidecars:
        return {}
    sidecar = sidecars[0]
    raw = delimited.read_delimited(sidecar, header_line=0, sep=",", encoding="utf-8")
    first = {name.lower(): values[0] for name, values in raw.items()}
    meta: dict = {"metadata_file": str(sidecar)}
    for key, meta_key in (
        ("iv_ch_id", "channel"),
        ("item_id", "cell_id"),
        ("schedule_file_name", "schedule"),
    ):
        if key in first and str(first[key]).strip() not in ("", "nan"):
            meta[meta_key] = str(first[key]).strip()
    if "first_start_datetime" in first:
        meta["start_unix_time"] = float(first["first_start_datetime"])
    return meta


def read_neware_csv(path: Path, progress=None) -> CyclerTable:
    """Neware BTS CSV export, flat or with cycle/step/record layers."""
    encoding, text = sniff.decode_head(path)
    lines = sniff.lines_of(text)
    if not (len(lines) > 2 and lines[1].startswith(",") and lines[2].startswith(",,")):
        return read_text_table(path, BY_NAME["neware_csv"], progress=progress)
    return _neware_layered(path, encoding)


def _neware_layered(path: Path, encoding: str) -> CyclerTable:
    import pandas as pd

    try:
        with open(path, encoding=encoding, errors="strict") as handle:
            lines = handle.read().splitlines()
    except UnicodeDecodeError as exc:
        raise LabDataError(f"{path}: byte ~{exc.start}: not valid {encoding} text") from exc
    headers = [c.strip() for c in lines[2].split(",")[2:]]
    cycle_width = len(lines[0].rstrip(",").split(","))
    cycle_of, step_of, records, record_lines = [], [], [], []
    cycle = step = np.nan
    for number, line in enumerate(lines[3:], start=4):
        if line.startswith(",,"):
            records.append(line[2:])
            record_lines.append(number)
            cycle_of.append(cycle)
            step_of.append(step)
        elif line.startswith(","):
            step = _first_number(line[1:], path, number)
        elif line.strip():
            cycle = _first_number(line, path, number)
            cells = line.split(",")
            if len(cells) > cycle_width and cells[cycle_width].strip():
                # some BTS versions write a cycle's first step on the cycle's own row
                step = _first_number(cells[cycle_width], path, number)
    if not records:
        raise LabDataError(f"{path}: line 4: layered Neware export without record rows")
    import io

    frame = pd.read_csv(
        io.StringIO("\n".join(records)), header=None, names=headers, index_col=False
    )
    raw = {name: frame[name].to_numpy() for name in headers if name}
    mapping = propose_mapping(list(raw), "neware")

    def place(k: int) -> str:  # the cycle and step rows between the records are no rows of raw
        return f"line {record_lines[k]}"

    cols = apply_mapping(raw, mapping, lambda c, _: numeric_columns.numeric(raw, c, path, place))
    cols.setdefault(t.CYCLE, np.asarray(cycle_of, dtype=float))
    cols.setdefault(t.STEP_INDEX, np.asarray(step_of, dtype=float))
    cols = resolve(cols, path)
    refuse_damaged_clock(raw, mapping, cols, path, place)
    meta = {"format": "neware_csv", "instrument": "Neware", "layout": "cycle/step/record layers"}
    return finish.finish(cols, meta | {"column_map": used_columns(mapping)}, path, place)


def _first_number(line: str, path: Path, number: int) -> float:
    cell = line.split(",", 1)[0].strip()
    try:
        return float(cell)
    except ValueError:
        raise LabDataError(
            f"{path}: line {number}: expected a cycle or step number, got {cell!r}"
        ) from None


def read_batteryarchive(path: Path, progress=None) -> CyclerTable:
    """BatteryArchive.org ``*_timeseries.csv`` or per-cycle ``*_cycle_data.csv``."""
    layout = sniff.sniff_layout(path, 0, ",")
    if "Start_Time" not in layout.headers:
        return read_text_table(path, BY_NAME["batteryarchive_csv"], progress=progress)
    return _cycle_table(
        path,
        layout,
        "batteryarchive",
        "batteryarchive_csv",
        "BatteryArchive",
        {
            "Min_Voltage (V)": "min_voltage_volt",
            "Max_Voltage (V)": "max_voltage_volt",
            # BatteryArchive's Test_Time of a cycle row is the test time at its end (the
            # CALCE CX2-33 file: cycle 1 at 12923 s, where its time series' cycle 1 ends)
            "Test_Time (s)": t.CYCLE_END_TIME,
        },
    )


def read_batterydata(path: Path, progress=None) -> CyclerTable:
    """battery-data-toolkit's ``batterydata`` CSV: raw time series or per-cycle summary."""
    layout = sniff.sniff_layout(path, 0, ",")
    if "Voltage_V" in layout.headers:
        return read_text_table(path, BY_NAME["batterydata_csv"], progress=progress)
    return _cycle_table(
        path,
        layout,
        "batterydata",
        "batterydata_csv",
        "battery-data-toolkit",
        {
            "Q_chg": t.CHARGE_CAPACITY,
            "Q_dis": t.DISCHARGE_CAPACITY,
            "E_chg": t.CHARGE_ENERGY,
            "E_dis": t.DISCHARGE_ENERGY,
            "CE": "coulombic_efficiency",
            "tsecs_start": t.CYCLE_START_TIME,
            "tsecs_end": t.CYCLE_END_TIME,
        },
        labels="Cycle_Label",
    )


#: how a per-cycle summary labels a reference capacity check (INL's "Capacity check", an RPT,
#: a "reference performance test"); the twin judges the state of health on those cycles alone
_REFERENCE_LABEL = re.compile(r"capacity[ _-]*check|\brpt\b|reference", re.IGNORECASE)


def _cycle_table(
    path, layout, vendor, fmt, instrument, extra: dict[str, str], labels: str | None = None
) -> CyclerTable:
    raw = delimited.read_delimited(path, header_line=0, sep=",", encoding=layout.encoding)
    mapping = propose_mapping(layout.headers, vendor)
    mapping.guesses = [
        g
        for g in mapping.guesses
        if g.target
        in (t.CYCLE, t.CHARGE_CAPACITY, t.DISCHARGE_CAPACITY, t.CHARGE_ENERGY, t.DISCHARGE_ENERGY)
    ]
    cols = apply_mapping(raw, mapping, lambda c, _: numeric_columns.numeric(raw, c, path, 2))
    for vendor_name, name in extra.items():
        if vendor_name in raw:
            cols[name] = numeric_columns.numeric(raw, vendor_name, path, 2)
    if labels is not None and labels in raw:
        checks = np.array([bool(_REFERENCE_LABEL.search(str(v))) for v in raw[labels]])
        if checks.any():
            cols[t.REFERENCE_CYCLE] = checks.astype(float)
    meta = {"format": fmt, "instrument": instrument, "column_map": used_columns(mapping)}
    return finish_any(cols, meta, path, "cycle_summary")


def read_maccor_eis(path: Path) -> CyclerTable:
    """Maccor AC impedance export: ``Freq(Hz)``, ``Z'(a)`` real, ``Z''(b)`` = Im(Z)."""
    _, text = sniff.decode_head(path)
    lines = sniff.lines_of(text)
    header = next((n for n, line in enumerate(lines) if line.startswith("Freq(Hz)")), None)
    if header is None:
        raise LabDataError(f"{path}: Maccor impedance export without its 'Freq(Hz)' header")
    layout = sniff.sniff_layout(path, header, "\t")
    raw = delimited.read_delimited(path, header_line=header, sep="\t", encoding=layout.encoding)
    raw = {k: v for k, v in raw.items() if not k.startswith("Unnamed")}
    mapping = propose_mapping(list(raw))
    mapping.guesses = [g for g in mapping.guesses if g.target in t.IMPEDANCE_REQUIRED]
    cols = apply_mapping(
        raw, mapping, lambda c, _: numeric_columns.numeric(raw, c, path, header + 2)
    )
    meta = {
        "format": "maccor_eis",
        "instrument": "Maccor",
        "column_map": used_columns(mapping),
        "header": lines[:header],
    }
    return finish_any(cols, meta, path, "impedance")


def read_bdf_parquet(path: Path) -> CyclerTable:
    """Battery Data Format as Apache Parquet (same column labels as the CSV form)."""
    import polars as pl

    try:
        frame = pl.read_parquet(path)
    except Exception as exc:  # polars raises its own error types for damaged files
        raise LabDataError(f"{path}: not a readable Parquet file ({exc})") from None
    raw = {name: frame[name].to_numpy() for name in frame.columns}
    mapping = propose_mapping(list(raw), "bdf")

    def place(k: int) -> str:  # a Parquet file has rows, not lines
        return f"row {k + 1}"

    cols = resolve(
        apply_mapping(raw, mapping, lambda c, _: numeric_columns.numeric(raw, c, path, place)),
        path,
        time_unit_stated=states_time_unit(mapping),
    )
    refuse_damaged_clock(raw, mapping, cols, path, place)
    meta = {"format": "bdf_parquet", "instrument": "BDF", "column_map": used_columns(mapping)}
    return finish.finish(cols, meta, path, place)
