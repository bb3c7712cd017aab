"""Readers for Basytec, Novonix, Landt, BDF and BatteryArchive CSVs, and the generic mapper."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from cellwright.projects.labdata import _parse
from cellwright.projects.labdata import table as t
from cellwright.projects.labdata.readers_text import ColumnMap, _used_map, apply_map
from cellwright.projects.labdata.table import CyclerTable, LabDataError

BASYTEC_MAP: ColumnMap = {
    "~Time[s]": (t.TEST_TIME, 1.0),
    "U[V]": (t.VOLTAGE, 1.0),
    "I[A]": (t.CURRENT, 1.0),
    "Line": (t.STEP_INDEX, 1.0),
    "Cyc-Count": (t.CYCLE, 1.0),
    "Ah-Cyc-Charge-0": (t.CHARGE_CAPACITY, 1.0),
    "Ah-Cyc-Discharge-0": (t.DISCHARGE_CAPACITY, 1.0),
    "Wh-Cyc-Charge-0": (t.CHARGE_ENERGY, 1.0),
    "Wh-Cyc-Discharge-0": (t.DISCHARGE_ENERGY, 1.0),
    "T1[°C]": (t.SURFACE_TEMPERATURE, 1.0),
    "T1[\ufffdC]": (t.SURFACE_TEMPERATURE, 1.0),
}


def _header_meta(lines: list[str], prefix: str, sep: str = ":") -> dict[str, str]:
    meta = {}
    for line in lines:
        body = line.removeprefix(prefix)
        if sep in body:
            key, value = body.split(sep, 1)
            meta[key.strip()] = value.strip()
    return meta


def read_basytec(path: Path) -> CyclerTable:
    """Basytec BTS result text export (``~``-prefixed header, tab separated, latin-1).

    Basytec current is positive on charge; per-cycle capacities can be signed, so the BDF
    capacity/energy columns take their magnitudes.
    """
    lines = _parse.head_lines(path, "latin-1", 60)
    header = _parse.find_line(lines, lambda s: s.startswith("~Time"), path, "~Time header")
    raw = _parse.read_delimited(path, header_line=header, sep="\t", encoding="latin-1")
    raw = {name.replace("\xb0", "°"): values for name, values in raw.items()}
    cols = apply_map(raw, BASYTEC_MAP, path, header + 2)
    for name in (t.CHARGE_CAPACITY, t.DISCHARGE_CAPACITY, t.CHARGE_ENERGY, t.DISCHARGE_ENERGY):
        if name in cols:
            cols[name] = np.abs(cols[name])
    info = _header_meta(lines[:header], "~")
    meta = {
        "format": "basytec",
        "instrument": "Basytec",
        "channel": info.get("Testchannel"),
        "start_time": info.get("Start of Test"),
        "cell_id": info.get("Battery"),
        "header": info,
        "column_map": _used_map(raw, BASYTEC_MAP),
    }
    return _parse.finish(cols, meta, path)


NOVONIX_MAP: ColumnMap = {
    "Run Time (h)": (t.TEST_TIME, 3600.0),
    "Potential (V)": (t.VOLTAGE, 1.0),
    "Current (A)": (t.CURRENT, 1.0),
    "Cycle Number": (t.CYCLE, 1.0),
    "Step Number": (t.STEP_INDEX, 1.0),
    "Temperature (°C)": (t.SURFACE_TEMPERATURE, 1.0),
    "Capacity (Ah)": ("_capacity", 1.0),
    "Energy (Wh)": ("_energy", 1.0),
}


def read_novonix(path: Path) -> CyclerTable:
    """Novonix UHPC CSV: ``[Summary]``/``[Protocol]`` sections, then ``[Data]``.

    Current is signed (positive charge); capacity/energy are per-step magnitudes split into
    the charging/discharging columns by the sign of the current.
    """
    lines = _parse.head_lines(path, "utf-8", 400)
    start = _parse.find_line(lines, lambda s: s.strip() == "[Data]", path, "[Data] section")
    raw = _parse.read_delimited(path, header_line=start + 1, sep=",", encoding="utf-8")
    cols = apply_map(raw, NOVONIX_MAP, path, start + 3)
    charging, discharging = cols[t.CURRENT] > 0, cols[t.CURRENT] < 0
    for src, chg, dis in (
        ("_capacity", t.CHARGE_CAPACITY, t.DISCHARGE_CAPACITY),
        ("_energy", t.CHARGE_ENERGY, t.DISCHARGE_ENERGY),
    ):
        if src in cols:
            magnitude = np.abs(cols.pop(src))
            cols[chg] = np.where(charging, magnitude, 0.0)
            cols[dis] = np.where(discharging, magnitude, 0.0)
    if "Date and Time" in raw:
        cols[t.UNIX_TIME] = _parse.parse_datetimes(raw["Date and Time"], "%Y-%m-%d %H:%M:%S")
    info = _header_meta(lines[:start], "")
    meta = {
        "format": "novonix",
        "instrument": "Novonix UHPC",
        "channel": info.get("Channel"),
        "start_time": info.get("Started"),
        "cell_id": info.get("CellID") or info.get("Cell"),
        "header": info,
        "column_map": _used_map(raw, NOVONIX_MAP),
    }
    return _parse.finish(cols, meta, path)


LANDT_MAP: ColumnMap = {
    "test_time_s": (t.TEST_TIME, 1.0),
    "voltage_V": (t.VOLTAGE, 1.0),
    "current_A": (t.CURRENT, 1.0),
    "cycle_index": (t.CYCLE, 1.0),
    "step_index": (t.STEP_INDEX, 1.0),
    "discharge_capacity_Ah": (t.DISCHARGE_CAPACITY, 1.0),
    "charge_capacity_Ah": (t.CHARGE_CAPACITY, 1.0),
    "discharge_energy_Wh": (t.DISCHARGE_ENERGY, 1.0),
    "charge_energy_Wh": (t.CHARGE_ENERGY, 1.0),
    "temperature_1_C": (t.AMBIENT_TEMPERATURE, 1.0),
}


def read_landt(path: Path) -> CyclerTable:
    """Landt (LANHE) CSV export: ``key:,`` preamble lines then ``channel_index,...``.

    Landt current is already signed positive on charge (BDF convention).
    """
    lines = _parse.head_lines(path, "utf-8", 40)
    header = _parse.find_line(
        lines, lambda s: s.startswith("channel_index"), path, "channel_index header"
    )
    raw = _parse.read_delimited(path, header_line=header, sep=",", encoding="utf-8")
    cols = apply_map(raw, LANDT_MAP, path, header + 2)
    if "date_time_iso_string" in raw:
        cols[t.UNIX_TIME] = _parse.parse_datetimes(raw["date_time_iso_string"], "%m/%d/%Y %H:%M:%S")
    info = {
        k.strip(): v.strip(", ")
        for k, v in (line.split(":", 1) for line in lines[:header] if ":" in line)
    }
    channel = raw.get("channel_index")
    meta = {
        "format": "landt_csv",
        "instrument": "Landt",
        "header": info,
        "cell_id": info.get("cell id") or None,
        "channel": str(channel[0]) if channel is not None else None,
        "column_map": _used_map(raw, LANDT_MAP),
    }
    return _parse.finish(cols, meta, path)


# BDF machine names map to themselves; the human-readable BDF labels map onto them.
BDF_NAMES = [
    t.TEST_TIME,
    t.UNIX_TIME,
    t.VOLTAGE,
    t.CURRENT,
    t.CYCLE,
    t.STEP_COUNT,
    t.STEP_INDEX,
    t.CHARGE_CAPACITY,
    t.DISCHARGE_CAPACITY,
    t.CHARGE_ENERGY,
    t.DISCHARGE_ENERGY,
    t.AMBIENT_TEMPERATURE,
    t.SURFACE_TEMPERATURE,
]
BDF_MAP: ColumnMap = {name: (name, 1.0) for name in BDF_NAMES} | {
    "Test Time / s": (t.TEST_TIME, 1.0),
    "Unix Time / s": (t.UNIX_TIME, 1.0),
    "Voltage / V": (t.VOLTAGE, 1.0),
    "Current / A": (t.CURRENT, 1.0),
    "Cycle Count / 1": (t.CYCLE, 1.0),
    "Step Count / 1": (t.STEP_COUNT, 1.0),
    "Step Index / 1": (t.STEP_INDEX, 1.0),
    "Charging Capacity / Ah": (t.CHARGE_CAPACITY, 1.0),
    "Discharging Capacity / Ah": (t.DISCHARGE_CAPACITY, 1.0),
    "Charging Energy / Wh": (t.CHARGE_ENERGY, 1.0),
    "Discharging Energy / Wh": (t.DISCHARGE_ENERGY, 1.0),
    "Ambient Temperature / degC": (t.AMBIENT_TEMPERATURE, 1.0),
    "Surface Temperature / degC": (t.SURFACE_TEMPERATURE, 1.0),
}


def read_bdf_csv(path: Path) -> CyclerTable:
    """Battery Data Format CSV (machine-readable or human-readable column labels)."""
    _parse.head_lines(path, "utf-8-sig", 2)
    raw = _parse.read_delimited(path, header_line=0, sep=",", encoding="utf-8-sig")
    cols = apply_map(raw, BDF_MAP, path, 2)
    meta = {"format": "bdf_csv", "instrument": "BDF", "column_map": _used_map(raw, BDF_MAP)}
    return _parse.finish(cols, meta, path)


def read_bdf_parquet(path: Path) -> CyclerTable:
    """Battery Data Format as Apache Parquet (same column labels as the CSV form).

    Read with polars straight into numpy columns.
    """
    import polars as pl

    try:
        frame = pl.read_parquet(path)
    except Exception as exc:
        raise LabDataError(f"{path}: not a readable Parquet file ({exc})") from None
    raw = {name: frame[name].to_numpy() for name in frame.columns}
    cols = apply_map(raw, BDF_MAP, path, 1)
    meta = {"format": "bdf_parquet", "instrument": "BDF", "column_map": _used_map(raw, BDF_MAP)}
    return _parse.finish(cols, meta, path)


BATTERYARCHIVE_MAP: ColumnMap = {
    "Test_Time (s)": (t.TEST_TIME, 1.0),
    "Cycle_Index": (t.CYCLE, 1.0),
    "Current (A)": (t.CURRENT, 1.0),
    "Voltage (V)": (t.VOLTAGE, 1.0),
    "Charge_Capacity (Ah)": (t.CHARGE_CAPACITY, 1.0),
    "Discharge_Capacity (Ah)": (t.DISCHARGE_CAPACITY, 1.0),
    "Charge_Energy (Wh)": (t.CHARGE_ENERGY, 1.0),
    "Discharge_Energy (Wh)": (t.DISCHARGE_ENERGY, 1.0),
    "Environment_Temperature (C)": (t.AMBIENT_TEMPERATURE, 1.0),
    "Cell_Temperature (C)": (t.SURFACE_TEMPERATURE, 1.0),
}


def read_batteryarchive(path: Path) -> CyclerTable:
    """BatteryArchive.org CSV: ``*_timeseries.csv`` (time series) or ``*_cycle_data.csv``.

    The cycle-data file becomes a table with ``metadata["kind"] == "cycle_summary"``.
    """
    _parse.head_lines(path, "utf-8", 2)
    raw = _parse.read_delimited(path, header_line=0, sep=",", encoding="utf-8")
    cols = apply_map(raw, BATTERYARCHIVE_MAP, path, 2)
    meta = {
        "format": "batteryarchive_csv",
        "instrument": "BatteryArchive",
        "column_map": _used_map(raw, BATTERYARCHIVE_MAP),
    }
    if "Start_Time" in raw:  # cycle_data: one row per cycle, no voltage/current trace
        meta["kind"] = "cycle_summary"
        for vendor, name in (
            ("Min_Voltage (V)", "min_voltage_volt"),
            ("Max_Voltage (V)", "max_voltage_volt"),
        ):
            if vendor in raw:
                cols[name] = _parse.numeric(raw, vendor, path, 2)
        return CyclerTable(cols, meta | {"source": str(path)})
    if "Date_Time" in raw:
        cols[t.UNIX_TIME] = _parse.parse_datetimes(raw["Date_Time"], "%Y-%m-%d %H:%M:%S")
    return _parse.finish(cols, meta, path)


def read_generic(path: Path, mapping: dict[str, str | list]) -> CyclerTable:
    """CSV/XLSX with a user column mapping: ``{vendor column: BDF name}`` or
    ``{vendor column: [BDF name, factor]}``; keys ``"_sep"``/``"_header_line"``/``"_sheet"``
    set the delimiter, 0-based header line and XLSX sheet.  Save it with :func:`save_mapping`.
    """
    options = {k: v for k, v in mapping.items() if k.startswith("_")}
    column_map: ColumnMap = {}
    for vendor, target in mapping.items():
        if vendor.startswith("_"):
            continue
        name, factor = (target, 1.0) if isinstance(target, str) else (target[0], float(target[1]))
        column_map[vendor] = (name, factor)
    header = int(options.get("_header_line", 0))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raw = _read_xlsx(path, header, options.get("_sheet", 0))
    else:
        raw = _parse.read_delimited(
            path,
            header_line=header,
            sep=options.get("_sep", ","),
            encoding=options.get("_encoding", "utf-8"),
        )
    missing = [vendor for vendor in column_map if vendor not in raw]
    if missing:
        raise LabDataError(f"{path}: mapped columns {missing} not in header {sorted(raw)}")
    cols = apply_map(raw, column_map, path, header + 2)
    meta = {"format": "generic", "column_map": {k: v[0] for k, v in column_map.items()}}
    return _parse.finish(cols, meta, path)


def _read_xlsx(path: Path, header: int, sheet) -> dict[str, np.ndarray]:
    import pandas as pd

    try:
        frame = pd.read_excel(path, sheet_name=sheet, header=header, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for corrupt zips/sheets
        raise LabDataError(f"{path}: cannot read XLSX sheet {sheet!r}: {exc}") from exc
    return {str(name).strip(): frame[name].to_numpy() for name in frame.columns}


def save_mapping(mapping: dict, path: Path) -> None:
    """Store a generic column mapping as JSON for reuse."""
    Path(path).write_text(json.dumps(mapping, indent=2, ensure_ascii=False), encoding="utf-8")


def load_mapping(path: Path) -> dict:
    """Load a mapping written by :func:`save_mapping`."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LabDataError(f"{path}: not a readable column-mapping JSON ({exc})") from exc
