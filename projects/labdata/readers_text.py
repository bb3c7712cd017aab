"""Readers for vendor text exports: Arbin CSV, Maccor, Basytec, Novonix, Landt, BDF, BatteryArchive.

Each reader finds the table header from the file's content, parses the table in C
(:func:`cellwright.projects.labdata._parse.read_delimited`) and maps vendor columns to BDF names
with unit factors.  Vendor sign conventions are converted to BDF's (current > 0 = charge).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from cellwright.projects.labdata import _parse
from cellwright.projects.labdata import table as t
from cellwright.projects.labdata.table import CyclerTable, LabDataError

# vendor column -> (BDF column, factor to BDF unit)
ColumnMap = dict[str, tuple[str, float]]


def apply_map(raw, mapping: ColumnMap, path: Path, first_line: int) -> dict[str, np.ndarray]:
    """Convert every mapped vendor column that is present; returns BDF columns."""
    out: dict[str, np.ndarray] = {}
    for vendor, (bdf, factor) in mapping.items():
        if vendor in raw and bdf not in out:
            out[bdf] = _parse.numeric(raw, vendor, path, first_line) * factor
    return out


def _used_map(raw, mapping: ColumnMap) -> dict[str, str]:
    return {vendor: bdf for vendor, (bdf, _) in mapping.items() if vendor in raw}


ARBIN_MAP: ColumnMap = {
    "Test_Time": (t.TEST_TIME, 1.0),
    "Test Time (s)": (t.TEST_TIME, 1.0),
    "Voltage": (t.VOLTAGE, 1.0),
    "Voltage (V)": (t.VOLTAGE, 1.0),
    "Current": (t.CURRENT, 1.0),
    "Current (A)": (t.CURRENT, 1.0),
    "Cycle_Index": (t.CYCLE, 1.0),
    "Cycle Index": (t.CYCLE, 1.0),
    "Step_Index": (t.STEP_INDEX, 1.0),
    "Step Index": (t.STEP_INDEX, 1.0),
    "Charge_Capacity": (t.CHARGE_CAPACITY, 1.0),
    "Charge Capacity (Ah)": (t.CHARGE_CAPACITY, 1.0),
    "Discharge_Capacity": (t.DISCHARGE_CAPACITY, 1.0),
    "Discharge Capacity (Ah)": (t.DISCHARGE_CAPACITY, 1.0),
    "Charge_Energy": (t.CHARGE_ENERGY, 1.0),
    "Charge Energy (Wh)": (t.CHARGE_ENERGY, 1.0),
    "Discharge_Energy": (t.DISCHARGE_ENERGY, 1.0),
    "Discharge Energy (Wh)": (t.DISCHARGE_ENERGY, 1.0),
    "Temperature": (t.SURFACE_TEMPERATURE, 1.0),
    "Aux_Temperature_1 (C)": (t.SURFACE_TEMPERATURE, 1.0),
}


def _fill_counter(values: np.ndarray) -> np.ndarray:
    """Forward-fill a counter column (empty cells = same step/cycle); leading gaps -> 1."""
    valid = ~np.isnan(values)
    if not valid.any():
        return np.ones_like(values)
    index = np.where(valid, np.arange(len(values)), 0)
    np.maximum.accumulate(index, out=index)
    filled = values[index]
    filled[: int(np.argmax(valid))] = values[valid][0] if valid[0] else 1.0
    return filled


def read_arbin_csv(path: Path) -> CyclerTable:
    """Arbin MITS CSV export (both the ``Test_Time`` and ``Test Time (s)`` dialects).

    Arbin current is already positive on charge.  A BEEP-style ``<name>_Metadata.csv``
    beside the file supplies channel, start time and barcode.
    """
    _parse.head_lines(path, "utf-8-sig")
    raw = _parse.read_delimited(path, header_line=0, sep=",", encoding="utf-8-sig")
    cols = apply_map(raw, ARBIN_MAP, path, 2)
    for counter in (t.CYCLE, t.STEP_INDEX):
        if counter in cols:
            cols[counter] = _fill_counter(cols[counter])
    if "DateTime" in raw:
        cols[t.UNIX_TIME] = _parse.numeric(raw, "DateTime", path, 2)
    elif "Date Time" in raw:
        cols[t.UNIX_TIME] = _parse.parse_datetimes(raw["Date Time"], "%m/%d/%Y %H:%M:%S.%f")
    meta = {"format": "arbin_csv", "instrument": "Arbin", "column_map": _used_map(raw, ARBIN_MAP)}
    meta.update(_arbin_sidecar(path))
    return _parse.finish(cols, meta, path)


def _arbin_sidecar(path: Path) -> dict:
    sidecar = path.with_name(path.stem + "_Metadata.csv")
    if not sidecar.exists():
        return {}
    raw = _parse.read_delimited(sidecar, header_line=0, sep=",", encoding="utf-8")
    first = {name: values[0] for name, values in raw.items()}
    meta = {"metadata_file": str(sidecar)}
    if "IV_Ch_ID" in first:
        meta["channel"] = str(first["IV_Ch_ID"])
    if "Item_ID" in first:
        meta["cell_id"] = str(first["Item_ID"])
    if "First_Start_DateTime" in first:
        meta["start_unix_time"] = float(first["First_Start_DateTime"])
    if "Schedule_File_Name" in first:
        meta["schedule"] = str(first["Schedule_File_Name"])
    return meta


MACCOR_MAP: ColumnMap = {
    "Test (Min)": (t.TEST_TIME, 60.0),
    "Test Time (sec)": (t.TEST_TIME, 1.0),
    "Volts": (t.VOLTAGE, 1.0),
    "Voltage": (t.VOLTAGE, 1.0),
    "Amps": (t.CURRENT, 1.0),
    "Current": (t.CURRENT, 1.0),
    "Cyc#": (t.CYCLE, 1.0),
    "Cycle C": (t.CYCLE, 1.0),
    "Cycle P": (t.CYCLE, 1.0),
    "Step": (t.STEP_INDEX, 1.0),
    "Amp-hr": ("_capacity", 1.0),
    "Capacity": ("_capacity", 1.0),
    "Watt-hr": ("_energy", 1.0),
    "Energy": ("_energy", 1.0),
    "Temp 1": (t.SURFACE_TEMPERATURE, 1.0),
}
_DAY_TIME = re.compile(r"^\s*(\d+)d\s+(\d+):(\d+):([\d.]+)\s*$")


def read_maccor(path: Path) -> CyclerTable:
    """Maccor text export (.0xx tab-separated, or the CSV dialect).

    Maccor reports current and capacity as magnitudes with a ``State`` letter (C charge,
    D discharge, R rest); the sign comes from the state.  Step capacity/energy go to the
    charging or discharging BDF column according to the state.
    """
    lines = _parse.head_lines(path, "latin-1", 5)
    header = _parse.find_line(lines, lambda s: s.startswith(("Rec", "Rec#")), path, "Rec header")
    sep = "\t" if "\t" in lines[header] else ","
    raw = _parse.read_delimited(path, header_line=header, sep=sep, encoding="latin-1")
    cols = apply_map(raw, MACCOR_MAP, path, header + 2)
    if t.TEST_TIME not in cols and "TestTime" in raw:
        cols[t.TEST_TIME] = _day_time_seconds(raw["TestTime"], path, header + 2)
    state = raw.get("State")
    if state is not None:
        letters = np.char.strip(state.astype(str))
        sign = np.select([letters == "D", letters == "C"], [-1.0, 1.0], 0.0)
        cols[t.CURRENT] = np.abs(cols[t.CURRENT]) * np.where(sign == 0, 1.0, sign)
        charging, discharging = sign > 0, sign < 0
    else:
        charging, discharging = cols[t.CURRENT] > 0, cols[t.CURRENT] < 0
    for src, chg, dis in (
        ("_capacity", t.CHARGE_CAPACITY, t.DISCHARGE_CAPACITY),
        ("_energy", t.CHARGE_ENERGY, t.DISCHARGE_ENERGY),
    ):
        if src in cols:
            magnitude = np.abs(cols.pop(src))
            cols[chg] = np.where(charging, magnitude, 0.0)
            cols[dis] = np.where(discharging, magnitude, 0.0)
    time_col = "DPt Time" if "DPt Time" in raw else "DPT Time"
    if time_col in raw:
        cols[t.UNIX_TIME] = _parse.parse_datetimes(
            raw[time_col], _maccor_date_format(raw[time_col])
        )
    barcode = re.search(r"Comment/Barcode:\s*([^,\t]*)", lines[0])
    meta = {
        "format": "maccor",
        "instrument": "Maccor",
        "header": lines[:header],
        "column_map": _used_map(raw, MACCOR_MAP),
    }
    if barcode and barcode.group(1).strip():
        meta["cell_id"] = barcode.group(1).strip()
    return _parse.finish(cols, meta, path)


def _maccor_date_format(values: np.ndarray) -> str | None:
    sample = str(values[0]).strip() if len(values) else ""
    if re.match(r"\d\d-[A-Za-z]{3}-\d\d", sample):
        return "%d-%b-%y %I:%M:%S %p"
    return "%m/%d/%Y %H:%M:%S" if re.match(r"\d\d/\d\d/\d{4} \d", sample) else None


def _day_time_seconds(values: np.ndarray, path: Path, first_line: int) -> np.ndarray:
    import pandas as pd

    parts = pd.Series(values).astype("string").str.extract(_DAY_TIME.pattern)
    numbers = parts.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.isnan(numbers).any(axis=1)
    if bad.any():
        row = int(np.argmax(bad))
        raise LabDataError(f"{path}: line {first_line + row}: bad Maccor time {values[row]!r}")
    return numbers @ np.array([86400.0, 3600.0, 60.0, 1.0])
