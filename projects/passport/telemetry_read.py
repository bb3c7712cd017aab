"""Reading BMS telemetry files (CSV, JSON, Parquet) into checked SI columns.

A telemetry stream has a time, the current (positive on charge, as the lab data), the terminal
voltage, and optionally a temperature and the SOC the BMS reported. Column names are recognised
with their unit in brackets or parentheses (``Current [mA]``, ``Temperature (K)``), or given by
a mapping (``{"time": "Test_Time", "units": {"current": "mA"}, "time_origin": "..."}``).
Everything is checked before anything is stored: a bad file raises an :class:`InputError` that
names the file, the row and the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from cellwright.projects.jsontext import loads as json_loads
from cellwright.projects.model import InputError
from cellwright.projects.passport.telemetry_clock import (
    iso_times,
    naive_times,
    origin_seconds,
    time_zone,
)
from cellwright.projects.passport.telemetry_clock import row_name as _row
from cellwright.projects.passport.telemetry_sign import check_current_sign_and_unit

__all__ = ["Telemetry", "read_telemetry"]

#: canonical column -> names it is recognised by (lower case, unit stripped)
_NAMES = {
    "time": ("time", "timestamp", "datetime", "date_time", "test_time", "t", "time_s"),
    "current": ("current", "i", "current_a", "pack_current", "cell_current"),
    "voltage": ("voltage", "v", "u", "voltage_v", "pack_voltage", "cell_voltage"),
    "temperature": ("temperature", "temp", "t_cell", "cell_temperature", "temperature_c"),
    "soc": ("soc", "state_of_charge", "soc_percent"),
}
REQUIRED = ("time", "current", "voltage")
#: unit text -> (canonical unit, factor, offset): SI value = raw * factor + offset
_UNITS = {
    "time": {"s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9, "min": 60.0, "h": 3600.0, "d": 86400.0},
    "current": {"a": 1.0, "ma": 1e-3, "ka": 1e3},
    "voltage": {"v": 1.0, "mv": 1e-3, "kv": 1e3},
    "temperature": {
        "k": (1.0, 0.0),
        "degc": (1.0, 273.15),
        "°c": (1.0, 273.15),
        "c": (1.0, 273.15),
        "celsius": (1.0, 273.15),
        "degf": (5 / 9, 273.15 - 32 * 5 / 9),
        "°f": (5 / 9, 273.15 - 32 * 5 / 9),
        "f": (5 / 9, 273.15 - 32 * 5 / 9),
        "fahrenheit": (5 / 9, 273.15 - 32 * 5 / 9),
    },
    "soc": {"%": 0.01, "percent": 0.01, "1": 1.0, "fraction": 1.0},
}
_UNIT_IN_NAME = re.compile(r"^(.*?)\s*[\[(]\s*([^\])]*)\s*[\])]\s*$")


@dataclass
class Telemetry:
    """Checked telemetry columns in SI: time [s since 1970 UTC], current [A] (> 0 charging),
    voltage [V], temperature [K] and SOC [1] (both may be absent)."""

    columns: dict[str, np.ndarray]
    units_given: dict[str, str]
    interval: np.ndarray  # time between consecutive samples [s]
    notes: list[str] = field(default_factory=list)  # what the reader assumed, once each

    def __len__(self) -> int:
        return int(self.columns["time"].size)


def _split_unit(name: str) -> tuple[str, str]:
    match = _UNIT_IN_NAME.match(name)
    if match:
        return match.group(1).strip().lower(), match.group(2).strip()
    return name.strip().lower(), ""


def _load_table(path: Path) -> tuple[dict[str, Any], str]:
    """Raw columns of the file and how rows are called in messages ("line", "record", "row")."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            import polars as pl

            frame = pl.read_parquet(path)
            return {c: frame[c] for c in frame.columns}, "row"
        if suffix == ".json":
            return _json_columns(path), "record"
        return _csv_columns(path), "line"
    except InputError:
        raise
    except Exception as exc:  # polars raises its own exception types per problem
        raise InputError(
            f"cannot be read as telemetry ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})",
            str(path),
        ) from None


def _check_text(head: bytes, path: Path) -> None:
    """Refuse a file that is not UTF-8 text: polars reads a binary file's bytes as column
    names, and the error then printed a screenful of them."""
    import codecs

    try:
        # final=False: the 64 KiB head may end inside a character
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not a text (CSV) file: byte {exc.start} is not UTF-8 or UTF-16 text; "
            "telemetry is CSV, JSON or Parquet",
            str(path),
        ) from None
    if b"\0" in head:
        raise InputError(
            "not a text (CSV) file: it holds NUL bytes; telemetry is CSV, JSON or Parquet",
            str(path),
        )


def _csv_columns(path: Path) -> dict[str, Any]:
    """Columns of a delimited text file as BMS loggers write it: comma, semicolon or tab
    separated, decimal comma with ``;`` or tab, UTF-8 (with or without BOM) or UTF-16."""
    import io

    import polars as pl

    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    source: Any = path
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 (Excel "Unicode text")
        source = io.BytesIO(path.read_bytes().decode("utf-16").encode("utf-8"))
        head = source.getvalue()[: 1 << 16]
    _check_text(head, path)
    lines = head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()
    header = lines[0] if lines else ""
    separator = max(("\t", ";", ","), key=header.count) if header else ","
    sample = "\n".join(lines[1:20])
    decimal_comma = separator != "," and re.search(r"\d,\d", sample) is not None
    frame = pl.read_csv(
        source,
        separator=separator,
        decimal_comma=decimal_comma,
        infer_schema_length=10000,
        null_values=["", "NA", "NaN", "nan"],
    )
    return {c: frame[c] for c in frame.columns}


def _json_columns(path: Path) -> dict[str, Any]:
    from cellwright.projects.userfiles import read_text

    data = json_loads(read_text(path))
    if isinstance(data, dict) and "records" in data:
        data = data["records"]
    if isinstance(data, dict) and "columns" in data:
        data = data["columns"]
    if isinstance(data, list):
        if not data or not all(isinstance(r, dict) for r in data):
            raise InputError("expected a list of records (objects) or a dict of columns", str(path))
        names = list(data[0])
        for n, record in enumerate(data):
            if set(record) != set(names):
                raise InputError(
                    f"record {n + 1} has fields {sorted(record)}, the first has {sorted(names)}",
                    str(path),
                )
        return {name: [r[name] for r in data] for name in names}
    if isinstance(data, dict) and all(isinstance(v, list) for v in data.values()):
        return data
    raise InputError("expected a list of records or a dict of column lists", str(path))


def _match_columns(raw: dict[str, Any], mapping: dict, where: str) -> dict[str, tuple[str, str]]:
    """canonical -> (column in the file, unit text given in the name or the mapping)."""
    units = {k: str(v) for k, v in (mapping.get("units") or {}).items()}
    found: dict[str, tuple[str, str]] = {}
    for canonical in _NAMES:
        if canonical in mapping:
            column = mapping[canonical]
            if column not in raw:
                raise InputError(
                    f"mapping names column {column!r} for {canonical}, the file "
                    f"has {', '.join(raw)}",
                    where,
                )
            found[canonical] = (column, units.get(canonical, _split_unit(column)[1]))
            continue
        for column in raw:
            base, unit = _split_unit(column)
            if base in _NAMES[canonical]:
                found[canonical] = (column, units.get(canonical, unit))
                break
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise InputError(
            f"no {' or '.join(missing)} column (columns: {', '.join(raw)}); name it "
            "'Time [s]', 'Current [A]', 'Voltage [V]' or give a --mapping",
            where,
        )
    return found


def _numbers(values: Any, column: str, kind: str, where: str) -> np.ndarray:
    try:
        array = np.asarray(values.to_numpy() if hasattr(values, "to_numpy") else values)
        array = array.astype(np.float64, copy=False)
    except (TypeError, ValueError):
        array = np.array([_to_float(v) for v in values], dtype=np.float64)
        bad = np.flatnonzero(np.isnan(array))
        if bad.size:
            raise InputError(
                f"{_row(kind, int(bad[0]))}, column {column!r}: "
                f"{list(values)[int(bad[0])]!r} is not a number",
                where,
            ) from None
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        raise InputError(
            f"{_row(kind, int(bad[0]))}, column {column!r}: empty or not a number "
            f"({bad.size} such rows); telemetry must not have gaps in its values",
            where,
        )
    return array


def _to_float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _unit_factor(canonical: str, unit: str, column: str, where: str) -> tuple[float, float]:
    table = _UNITS[canonical]
    key = unit.strip().lower().replace("deg ", "deg")
    if key not in table:
        raise InputError(
            f"column {column!r}: unit {unit!r} is not one of {', '.join(table)} for {canonical}",
            where,
        )
    value = table[key]
    return value if isinstance(value, tuple) else (value, 0.0)


def _times(
    values: Any, column: str, unit: str, mapping: dict, notes: list[str], kind: str, where: str
) -> np.ndarray:
    """Seconds since 1970 UTC, from ISO text or from numbers (epoch or since ``time_origin``)."""
    zone = time_zone(mapping)
    dtype = str(getattr(values, "dtype", ""))
    first = values[0] if len(values) else None
    if dtype.startswith(("String", "Utf8", "str")) or isinstance(first, str):
        return iso_times(values, column, zone, notes, kind, where)
    if dtype.startswith("Datetime"):
        if getattr(values.dtype, "time_zone", None) is None:  # a Parquet wall-clock time
            return naive_times(values.to_pandas(), zone, notes, column, kind, where)
        return values.dt.epoch("us").to_numpy().astype(np.float64) * 1e-6
    factor, _ = _unit_factor("time", unit or "s", column, where)
    seconds = _numbers(values, column, kind, where) * factor
    origin = mapping.get("time_origin")
    if not unit and not origin and seconds.size:
        # undeclared epoch milli-, micro- or nanoseconds (JavaScript, Java, pandas): as
        # seconds they would lie after the year 5138, so the magnitude is unambiguous
        for limit, scale in ((1e17, 1e-9), (1e14, 1e-6), (1e11, 1e-3)):
            if seconds.min() > limit:
                seconds = seconds * scale
                break
    if origin:
        return seconds + origin_seconds(origin, zone, notes)
    if seconds.size and seconds.min() < 1e8:  # before 1973: relative times, not epoch seconds
        excel = not unit and seconds.min() > 2e4 and seconds.max() < 8e4
        raise InputError(
            f"column {column!r} counts seconds from the start of the record; give "
            "the start as 'time_origin' (ISO 8601) in the --mapping"
            + (
                '; Excel serial days: "units": {"time": "d"}, "time_origin": "1899-12-30T00:00:00Z"'
                if excel
                else ""
            ),
            where,
        )
    return seconds


def _check_time(t: np.ndarray, kind: str, max_gap: float, where: str) -> np.ndarray:
    """The sample intervals, after checking them; raises naming the first bad row."""
    from datetime import timedelta

    dt = np.diff(t)
    for mask, what in ((dt == 0, "duplicated"), (dt < 0, "goes backwards")):
        bad = np.flatnonzero(mask)
        if bad.size:
            i = int(bad[0])
            stamp = datetime.fromtimestamp(t[i + 1], UTC).isoformat()
            raise InputError(
                f"{_row(kind, i + 1)}: time {what} ({stamp} after "
                f"{datetime.fromtimestamp(t[i], UTC).isoformat()} on "
                f"{_row(kind, i)}); {bad.size} such rows",
                where,
            )
    bad = np.flatnonzero(dt > max_gap)
    if bad.size:
        i = int(bad[0])
        raise InputError(
            f"{_row(kind, i)}–{_row(kind, i + 1)}: a gap of "
            f"{timedelta(seconds=round(float(dt[i])))} without samples (allowed: "
            f"{timedelta(seconds=round(max_gap))}); {bad.size} such gaps; split the "
            "file at the gap or raise --max-gap",
            where,
        )
    return dt


def _first_outside(values: np.ndarray, lo: float, hi: float) -> int | None:
    bad = np.flatnonzero((values < lo) | (values > hi))
    return int(bad[0]) if bad.size else None


def _check_ranges(
    cols: dict[str, np.ndarray],
    given: dict[str, str],
    names: dict[str, str],
    kind: str,
    battery_kind: str,
    capacity: float | None,
    where: str,
) -> None:
    v_max = 6.0 if battery_kind == "cell" else 1500.0
    checks = [("voltage", 0.0, v_max, f"a {battery_kind} voltage is 0–{v_max:g} V")]
    if "temperature" in cols:
        checks.append(("temperature", 200.0, 400.0, "a battery temperature is -73–127 °C"))
    if "soc" in cols:
        checks.append(("soc", -0.05, 1.05, "SOC is 0–1 (or 0–100 with unit '%')"))
    hint = {
        "voltage": "in mV? declare 'Voltage [mV]'",
        "temperature": "in kelvin? declare 'Temperature [K]'"
        if not given.get("temperature")
        else "check the declared unit",
        "soc": "in percent? declare 'SOC [%]'",
    }
    for name, lo, hi, rule in checks:
        i = _first_outside(cols[name], lo, hi)
        if i is not None and cols[name][i] < lo and name != "temperature":
            hint[name] = "check the sensor or the column mapping"  # too low: not a unit slip
        if i is not None:
            raise InputError(
                f"{_row(kind, i)}, column {names[name]!r}: {cols[name][i]:g} "
                f"(SI) is implausible, {rule}; {hint[name]}",
                where,
            )
    # 60-120 °F reads as a plausible 60-120 °C row by row; a whole record that hot is not
    median = float(np.median(cols["temperature"])) if "temperature" in cols else 0.0
    if median > 323.15 and not given.get("temperature"):
        raise InputError(
            f"column {names['temperature']!r}: median {median - 273.15:.1f} read as °C is "
            "implausible for a whole record; in °F? declare 'Temperature [degF]' (or "
            "'Temperature [degC]' if it is right)",
            where,
        )
    limit = 50.0 * capacity if capacity else (2000.0 if battery_kind == "cell" else 5000.0)
    i = _first_outside(np.abs(cols["current"]), 0.0, limit)
    if i is not None:
        rate = (
            f" ({abs(cols['current'][i]) / capacity:.0f} C for {capacity:g} Ah)" if capacity else ""
        )
        raise InputError(
            f"{_row(kind, i)}, column {names['current']!r}: "
            f"{cols['current'][i]:g} A{rate} is implausible; in mA? declare "
            "'Current [mA]' or units in the --mapping",
            where,
        )


def read_telemetry(
    path: str | Path,
    mapping: dict | None = None,
    battery_kind: str = "cell",
    rated_capacity: float | None = None,
    max_gap: float = 3600.0,
) -> Telemetry:
    """Read and check one telemetry file.

    Raises
    ------
    InputError
        Naming the file and the row/column: missing columns, empty values, duplicated or
        backwards timestamps, gaps longer than ``max_gap`` seconds, unknown or implausible
        units (mA read as A, K read as °C, % read as a fraction), a current > 0 on
        discharge that the file's SOC or voltage steps give away.
    """
    path = Path(path)
    where = str(path)
    mapping = mapping or {}
    raw, kind = _load_table(path)
    found = _match_columns(raw, mapping, where)
    if len(raw[found["time"][0]]) < 2:
        raise InputError("telemetry needs at least two rows", where)
    cols: dict[str, np.ndarray] = {}
    names = {c: col for c, (col, _) in found.items()}
    given = {c: unit for c, (_, unit) in found.items() if unit}
    t_col, t_unit = found["time"]
    notes: list[str] = []
    cols["time"] = _times(raw[t_col], t_col, t_unit, mapping, notes, kind, where)
    defaults = {"current": "A", "voltage": "V", "temperature": "degC", "soc": "1"}
    for canonical, (column, unit) in found.items():
        if canonical == "time":
            continue
        values = _numbers(raw[column], column, kind, where)
        if canonical == "soc" and not unit and values.max() > 1.5:
            unit = "%"  # a BMS reports SOC in percent far more often than not
        factor, offset = _unit_factor(canonical, unit or defaults[canonical], column, where)
        cols[canonical] = values * factor + offset
    if float(mapping.get("current_sign", 1.0)) < 0:  # a file whose current is > 0 on discharge
        cols["current"] = -cols["current"]
    dt = _check_time(cols["time"], kind, max_gap, where)
    _check_ranges(cols, given, names, kind, battery_kind, rated_capacity, where)
    check_current_sign_and_unit(cols, dt, names, battery_kind, where)
    return Telemetry(cols, {c: given.get(c, defaults.get(c, "")) for c in found}, dt, notes)
