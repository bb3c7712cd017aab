"""BioLogic EC-Lab readers (.mpt text, .mpr binary via galvani) and Gamry .DTA impedance.

EC-Lab current is positive for oxidation at the working electrode, i.e. charging for a
full cell or cathode half cell: already BDF's sign.  Impedance tables keep
``impedance_imaginary_ohm`` = Im(Z) (negative for capacitive behaviour); EC-Lab's
``-Im(Z)/Ohm`` column is negated to get it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np

from cellwright.projects.labdata import _parse
from cellwright.projects.labdata import table as t
from cellwright.projects.labdata.readers_text import ColumnMap, _used_map, apply_map
from cellwright.projects.labdata.table import CyclerTable, LabDataError

ECLAB_MAP: ColumnMap = {
    "time/s": (t.TEST_TIME, 1.0),
    "Ecell/V": (t.VOLTAGE, 1.0),
    "Ewe/V": (t.VOLTAGE, 1.0),
    "<Ewe>/V": (t.VOLTAGE, 1.0),
    "I/mA": (t.CURRENT, 1e-3),
    "<I>/mA": (t.CURRENT, 1e-3),
    "cycle number": (t.CYCLE, 1.0),
    "Ns": (t.STEP_INDEX, 1.0),
    "Q charge/mA.h": (t.CHARGE_CAPACITY, 1e-3),
    "Q discharge/mA.h": (t.DISCHARGE_CAPACITY, 1e-3),
    "Energy charge/W.h": (t.CHARGE_ENERGY, 1.0),
    "Energy discharge/W.h": (t.DISCHARGE_ENERGY, 1.0),
    "Temperature/°C": (t.SURFACE_TEMPERATURE, 1.0),
    "freq/Hz": (t.FREQUENCY, 1.0),
    "Re(Z)/Ohm": (t.Z_REAL, 1.0),
    "-Im(Z)/Ohm": (t.Z_IMAG, -1.0),
}


def _eclab_columns(raw, path: Path, first_line: int) -> tuple[dict, dict]:
    cols = apply_map(raw, ECLAB_MAP, path, first_line)
    if t.CURRENT not in cols and "dq/mA.h" in raw and t.TEST_TIME in cols:
        # GCPL files may omit I/mA; I = dq/dt with dq the charge passed since the last point.
        dq = _parse.numeric(raw, "dq/mA.h", path, first_line) * 3.6  # mA.h -> C
        dt = np.diff(cols[t.TEST_TIME], prepend=np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            cols[t.CURRENT] = np.where(dt > 0, dq / dt, 0.0)
    return cols, _used_map(raw, ECLAB_MAP)


def _finish_eclab(cols: dict, meta: dict, path: Path) -> CyclerTable:
    if t.FREQUENCY in cols:
        for name in t.IMPEDANCE_REQUIRED:
            if name not in cols:
                raise LabDataError(f"{path}: impedance file without {name} column")
        meta["kind"] = "impedance"
        return CyclerTable(cols, meta | {"source": str(path)})
    return _parse.finish(cols, meta, path)


def read_biologic_mpt(path: Path) -> CyclerTable:
    """EC-Lab ASCII export (with ``Nb header lines`` preamble or header-less)."""
    lines = _parse.head_lines(path, "latin-1", 400)
    header = 0
    if lines[0].startswith("EC-Lab ASCII FILE"):
        match = re.search(r"Nb header lines\s*:\s*(\d+)", "\n".join(lines[:3]))
        if not match:
            raise LabDataError(f"{path}: line 2: missing 'Nb header lines'")
        header = int(match.group(1)) - 1
    if header >= len(lines):
        raise LabDataError(f"{path}: header line {header + 1} is past the end of the file")
    raw = _parse.read_delimited(path, header_line=header, sep="\t", encoding="latin-1")
    raw = {name.replace("\xb0", "°"): values for name, values in raw.items() if name}
    raw = _decimal_commas(raw)
    cols, used = _eclab_columns(raw, path, header + 2)
    info = "\n".join(lines[:header])
    channel = re.search(r"Run on channel\s*:\s*(\S+)", info)
    meta = {
        "format": "biologic_mpt",
        "instrument": "BioLogic",
        "column_map": used,
        "channel": channel.group(1) if channel else None,
        "technique": lines[2].strip() if header > 2 else None,
    }
    return _finish_eclab(cols, meta, path)


def _decimal_commas(raw: dict) -> dict:
    """EC-Lab in some locales writes 1,23E+000; turn those cells into dotted text."""
    out = {}
    for name, values in raw.items():
        if values.dtype == object and len(values) and "," in str(values[0]):
            values = np.char.replace(values.astype(str), ",", ".")
        out[name] = values
    return out


def read_biologic_mpr(path: Path) -> CyclerTable:
    """EC-Lab binary .mpr via galvani; unknown module versions/column IDs -> LabDataError."""
    from galvani import BioLogic

    try:
        with open(path, "rb") as handle:  # galvani leaves a path it opened unclosed
            mpr = BioLogic.MPRfile(handle)
    except (NotImplementedError, ValueError) as exc:
        if isinstance(exc, ValueError) and "ersion" not in str(exc):
            raise LabDataError(f"{path}: corrupt .mpr ({exc})") from exc
        raise LabDataError(f"{path}: unsupported EC-Lab version or column ({exc})") from exc
    except (
        EOFError,
        IndexError,
        KeyError,
        OSError,
        AssertionError,
        TypeError,
        UnicodeDecodeError,
    ) as exc:
        raise LabDataError(
            f"{path}: corrupt or truncated .mpr ({type(exc).__name__}: {exc})"
        ) from exc
    data = mpr.data
    raw = {name: np.asarray(data[name]) for name in data.dtype.names}
    cols, used = _eclab_columns(raw, path, 1)
    start = getattr(mpr, "timestamp", None) or getattr(mpr, "startdate", None)
    meta = {
        "format": "biologic_mpr",
        "instrument": "BioLogic",
        "column_map": used,
        "start_time": start.isoformat() if start is not None else None,
    }
    if start is not None and hasattr(start, "timestamp") and t.TEST_TIME in cols:
        cols[t.UNIX_TIME] = start.timestamp() + cols[t.TEST_TIME]
    return _finish_eclab(cols, meta, path)


GAMRY_MAP: ColumnMap = {
    "Freq": (t.FREQUENCY, 1.0),
    "Zreal": (t.Z_REAL, 1.0),
    "Zimag": (t.Z_IMAG, 1.0),
    "Time": (t.TEST_TIME, 1.0),
    "Vdc": (t.VOLTAGE, 1.0),
    "Idc": (t.CURRENT, 1.0),
}


def read_gamry_dta(path: Path) -> CyclerTable:
    """Gamry Framework .DTA impedance file: the ``ZCURVE TABLE`` block (Zimag = Im(Z))."""
    import pandas as pd

    raw_bytes = _parse.read_head(path, 50_000_000)
    text = raw_bytes.decode("latin-1")
    lines = text.splitlines()
    header = _parse.find_line(lines, lambda s: s.startswith("ZCURVE"), path, "ZCURVE TABLE")
    if header + 3 > len(lines):
        raise LabDataError(f"{path}: line {header + 1}: ZCURVE table has no data")
    body = [header + 1]
    for number in range(header + 3, len(lines)):
        if not lines[number].startswith("\t"):
            break
        body.append(number)
    block = "\n".join(lines[n][1:] for n in body)
    try:
        frame = pd.read_csv(io.StringIO(block), sep="\t", engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise LabDataError(f"{path}: ZCURVE table at line {header + 1}: {exc}") from exc
    raw = {str(c): frame[c].to_numpy() for c in frame.columns}
    cols = apply_map(raw, GAMRY_MAP, path, header + 4)
    if len(body) < 2:
        raise LabDataError(f"{path}: line {header + 3}: ZCURVE table has no rows")
    tags = dict(re.findall(r"^(TITLE|DATE|TIME|PSTAT)\t\w+\t([^\t]*)", text[:20000], re.M))
    meta = {
        "format": "gamry_dta",
        "instrument": "Gamry",
        "kind": "impedance",
        "column_map": _used_map(raw, GAMRY_MAP),
        "channel": tags.get("PSTAT"),
        "start_time": f"{tags.get('DATE', '')} {tags.get('TIME', '')}".strip() or None,
        "source": str(path),
    }
    for name in t.IMPEDANCE_REQUIRED:
        if name not in cols:
            raise LabDataError(f"{path}: ZCURVE table at line {header + 1} lacks {name}")
    return CyclerTable(cols, meta)
