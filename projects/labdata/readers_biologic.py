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

from cellwright.projects.labdata import datetimes, delimited, file_head, numeric_columns, sniff
from cellwright.projects.labdata import table as t
from cellwright.projects.labdata.mapper import apply_mapping, propose_mapping, used_columns
from cellwright.projects.labdata.readers_table import finish_any
from cellwright.projects.labdata.resolve import resolve
from cellwright.projects.labdata.table import CyclerTable, LabDataError

# EC-Lab column IDs that galvani 0.5 does not know: (dtype, name, unit).  From the EC-Lab
# data module layout as documented by yadg's extractor table (dgbowl/yadg,
# src/yadg/extractors/eclab/mpr_columns.py); facts of the format, not code.
_EXTRA_MPR_COLUMNS = {
    15: ("<f4", "Phase(Z1)/deg"),
    45: ("<f4", "|Z1|/Ohm"),
    46: ("<f4", "|Z2|/Ohm"),
    105: ("<f4", "-Im(Z1)/Ohm"),
    106: ("<f4", "-Im(Z2)/Ohm"),
    110: ("<f8", "Energy ce/W.h"),
    112: ("<f8", "Energy we/W.h"),
    115: ("<f8", "Energy ce charge/W.h"),
    116: ("<f8", "Energy ce discharge/W.h"),
    135: ("<f4", "<E1>/V"),
    136: ("<f4", "<E2>/V"),
    166: ("<f4", "Phase(Zstack)/deg"),
    167: ("<f4", "|Zstack|/Ohm"),
    175: ("<f4", "|Zwe-ce|/Ohm"),
    176: ("<f4", "Re(Zwe-ce)/Ohm"),
    177: ("<f4", "-Im(Zwe-ce)/Ohm"),
    182: ("<f8", "step time/s"),
    185: ("<f4", "<Ece>/V"),
    206: ("<f4", "Temperature/°C"),
    215: ("<f4", "<Ece>/V"),
    219: ("<f4", "THD Ece/%"),
    222: ("<f4", "NSD Ece/%"),
    225: ("<f4", "NSR Ece/%"),
    243: ("<f4", "|Ece h3|/V"),
    244: ("<f4", "|Ece h4|/V"),
    245: ("<f4", "|Ece h5|/V"),
    246: ("<f4", "|Ece h6|/V"),
    247: ("<f4", "|Ece h7|/V"),
    248: ("<f4", "Rac/Ohm"),
    249: ("<f4", "Rdc/Ohm"),
}
# EC-Lab "mode": 1 galvanostatic, 2 potentiostatic, 3 rest (open circuit).
_MODES = {1.0: "galvanostatic", 2.0: "potentiostatic", 3.0: "open circuit"}
IMPEDANCE_CODE = 4.0


def _eclab_columns(raw, path: Path, first_line: int) -> tuple[dict, dict]:
    time = raw.get("time/s")
    if time is not None and time.dtype == object and len(time) and ":" in str(time[0]):
        raw = dict(raw)  # "Absolute time" export: time/s holds the wall clock
        text = raw.pop("time/s")
        raw["_clock"] = datetimes.parse_datetimes(text)
        datetimes.refuse_bad_times(text, raw["_clock"], "time/s", path, first_line)
    mapping = propose_mapping(list(raw), "eclab")
    mapping.guesses = [g for g in mapping.guesses if g.confidence >= 0.8]
    cols = apply_mapping(
        raw, mapping, lambda c, _: numeric_columns.numeric(raw, c, path, first_line)
    )
    if t.CURRENT not in cols and "dq/mA.h" in raw and t.TEST_TIME in cols:
        # GCPL files may omit I/mA; I = dq/dt with dq the charge passed since the last point.
        dq = numeric_columns.numeric(raw, "dq/mA.h", path, first_line) * 3.6  # mA.h -> C
        dt = np.diff(cols[t.TEST_TIME], prepend=np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            cols[t.CURRENT] = np.where(dt > 0, dq / dt, 0.0)
    if t.FREQUENCY in cols and t.Z_REAL not in cols and "|Z|/Ohm" in raw and "Phase(Z)/deg" in raw:
        # an .mpr whose data module holds the modulus and phase only (navani's mb.mpr): its
        # spectra were stored without Re(Z) and Im(Z), and the window's viewer failed on them
        modulus = numeric_columns.numeric(raw, "|Z|/Ohm", path, first_line)
        phase = np.radians(numeric_columns.numeric(raw, "Phase(Z)/deg", path, first_line))
        cols[t.Z_REAL] = modulus * np.cos(phase)
        cols[t.Z_IMAG] = modulus * np.sin(phase)  # Im(Z): negative where capacitive
    if t.CYCLE not in cols and "half cycle" in raw:
        # an .mpr's data module may keep the half cycle and not the cycle number, which EC-Lab
        # counts as half cycle // 2 (its text export of navani's mb.mpr writes both)
        half = numeric_columns.numeric(raw, "half cycle", path, first_line)
        cols[t.CYCLE] = np.floor(half / 2.0)
    if "mode" in raw:
        cols["_mode"] = numeric_columns.numeric(raw, "mode", path, first_line)
    if "_clock" in raw:
        cols[t.UNIX_TIME] = raw["_clock"]
    return cols, used_columns(mapping)


def _finish_eclab(
    cols: dict, meta: dict, path: Path, where: t.RowPlace | None = None
) -> CyclerTable:
    """One run per file: a technique column, and impedance rows also as spectra (``where``:
    the line of the first row, in a text export)."""
    mode = cols.pop("_mode", None)
    technique_name = str(meta.get("technique") or "")
    resolve(cols, path)
    n = len(next(iter(cols.values()))) if cols else 0
    if t.FREQUENCY in cols:
        impedance = np.isfinite(cols[t.FREQUENCY]) & (cols[t.FREQUENCY] > 0)
        if impedance.all() or t.VOLTAGE not in cols:
            return finish_any(cols, meta, path, "impedance")
    else:
        impedance = np.zeros(n, dtype=bool)
    if t.CURRENT not in cols and _open_circuit(mode, technique_name):
        cols[t.CURRENT] = np.zeros(n)  # open-circuit techniques hold I = 0 by definition
        meta["notes"] = "open-circuit technique: no current column, current is zero"
    codes = np.where(impedance, IMPEDANCE_CODE, mode if mode is not None else 0.0)
    cols[t.TECHNIQUE] = np.nan_to_num(codes)
    meta["techniques"] = {
        **{str(k): v for k, v in _MODES.items()},
        str(IMPEDANCE_CODE): "impedance",
        "0.0": technique_name or "unknown",
    }
    spectra = split_spectra(cols, impedance, meta, path) if impedance.any() else []
    for name in (t.FREQUENCY, t.Z_REAL, t.Z_IMAG):
        cols.pop(name, None)
    table = finish_any(cols, meta, path, "timeseries", where)
    table.spectra = spectra
    return table


def _open_circuit(mode, technique_name: str) -> bool:
    name = technique_name.lower()
    if "open circuit" in name or name.strip() in ("ocv", "wait", "open circuit voltage"):
        return True
    return mode is not None and len(mode) > 0 and bool(np.all(mode == 3.0))


def split_spectra(cols: dict, impedance: np.ndarray, meta: dict, path: Path) -> list[CyclerTable]:
    """Impedance rows as spectra: contiguous blocks, split again where a sweep restarts."""
    rows = np.flatnonzero(impedance)
    breaks = np.flatnonzero(np.diff(rows) > 1) + 1
    spectra = []
    for block in np.split(rows, breaks):
        freq = cols[t.FREQUENCY][block]
        log_f = np.log10(freq)
        restart = [i for i in range(2, len(block)) if abs(log_f[i] - log_f[0]) < 1e-3]
        for part in np.split(block, restart):
            if len(part) < 2:
                continue
            columns = {
                n: cols[n][part]
                for n in (
                    t.FREQUENCY,
                    t.Z_REAL,
                    t.Z_IMAG,
                    t.TEST_TIME,
                    t.VOLTAGE,
                    t.CURRENT,
                    t.CYCLE,
                )
                if n in cols
            }
            spectrum_meta = {k: meta[k] for k in ("format", "instrument", "channel") if k in meta}
            spectrum_meta |= {
                "kind": "impedance",
                "source": str(path),
                "first_row": int(part[0]),
                "spectrum": len(spectra) + 1,
            }
            spectra.append(CyclerTable(columns, spectrum_meta))
    return spectra


def read_biologic_mpt(path: Path, progress=None) -> CyclerTable:
    """EC-Lab / BT-Lab ASCII export, with its ``Nb header lines`` block or without."""
    from cellwright.projects.labdata import sniff

    _encoding, text = sniff.decode_head(path)
    lines = sniff.lines_of(text)
    header = 0
    if lines[0].startswith(("EC-Lab ASCII FILE", "BT-Lab ASCII FILE")):
        match = re.search(r"Nb header lines\s*:\s*(\d+)", "\n".join(lines[:3]))
        if not match:
            raise LabDataError(f"{path}: line 2: missing 'Nb header lines'")
        header = int(match.group(1)) - 1
    if header >= len(lines):
        raise LabDataError(f"{path}: line {header + 1}: header is past the end of the file")
    layout = sniff.sniff_layout(path, header, None if header == 0 else "\t")
    raw = delimited.read_delimited(
        path,
        header_line=layout.header_line,
        sep=layout.sep,
        encoding=layout.encoding,
        decimal=layout.decimal,
        progress=progress,
    )
    raw = {
        name.replace("\xb0", "°"): values
        for name, values in raw.items()
        if name and not name.startswith("Unnamed")
    }
    cols, used = _eclab_columns(raw, path, header + 2)
    info = "\n".join(lines[:header])
    channel = re.search(r"Run on channel\s*:\s*(\S+)", info)
    # the start of a relative time/s (an "Absolute time" export's clock gives it otherwise)
    started = re.search(r"Acquisition started on\s*:\s*(.+)", info)
    meta = {
        "format": "biologic_mpt",
        "instrument": "BioLogic",
        "column_map": used,
        "channel": channel.group(1) if channel else None,
        "technique": lines[3].strip()
        if header > 3 and lines[3].strip()
        else (lines[2].strip() if header > 2 else None),
        "encoding": layout.encoding,
        "start_time": datetimes.iso_stamp(started.group(1)) if started else None,
    }
    return _finish_eclab(cols, meta, path, header + 2)


def read_biologic_mpr(path: Path) -> CyclerTable:
    """EC-Lab binary .mpr via galvani; unknown module versions/column IDs -> LabDataError."""
    from galvani import BioLogic

    _teach_galvani(BioLogic)
    try:
        mpr = BioLogic.MPRfile(_ModuleReads(path.read_bytes()))
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
    if len(data) == 0:
        raise LabDataError(
            f"{path}: the .mpr data module holds no rows (technique recorded nothing)"
        )
    raw = _with_export_columns({name: np.asarray(data[name]) for name in data.dtype.names})
    cols, used = _eclab_columns(raw, path, 1)
    start = getattr(mpr, "timestamp", None) or getattr(mpr, "startdate", None)
    meta = {
        "format": "biologic_mpr",
        "instrument": "BioLogic",
        "column_map": used,
        "start_time": start.isoformat() if start is not None else None,
        "technique": _mpr_technique(mpr),
    }
    if start is not None and hasattr(start, "timestamp") and t.TEST_TIME in cols:
        cols[t.UNIX_TIME] = start.timestamp() + cols[t.TEST_TIME]
    return _finish_eclab(cols, meta, path)


def _with_export_columns(raw: dict) -> dict:
    """The columns EC-Lab's text export computes from what a .mpr stores, so that a .mpr reads
    as its .mpt does: ``mode`` (bits 0-1 of the packed ``flags`` byte; 1 galvanostatic, 2
    potentiostatic, 3 rest), ``cycle number`` (``half cycle`` // 2) and ``Q charge/mA.h`` /
    ``Q discharge/mA.h`` (the signed ``Q charge/discharge/mA.h`` of the half cycle, split by
    its sign). Checked row by row on the 15 .mpr/.mpt pairs of yadg's test files."""
    raw = dict(raw)
    if "mode" not in raw and "flags" in raw:
        raw["mode"] = (raw["flags"].astype(np.int64) & 0x03).astype(float)
    if "cycle number" not in raw and "half cycle" in raw:
        raw["cycle number"] = np.floor_divide(raw["half cycle"].astype(np.int64), 2).astype(float)
    signed = raw.get("Q charge/discharge/mA.h")
    if signed is not None and "Q charge/mA.h" not in raw and "Q discharge/mA.h" not in raw:
        signed = signed.astype(float)
        raw["Q charge/mA.h"] = np.where(signed > 0, signed, 0.0)
        raw["Q discharge/mA.h"] = np.where(signed < 0, -signed, 0.0)
    return raw


class _ModuleReads:
    """A .mpr file's bytes, read once and handed to galvani's ``MPRfile`` as it reads a file:
    short reads (magics, module headers, which it compares and concatenates) as bytes, a
    module's data as a view. ``MPRfile`` slices the data module three or four times (header
    fields, then the records), and each slice of bytes copied the whole module: 2.4 ms of the
    3.8 ms galvani took for a 3.6 MB file. (A path galvani opens itself it also leaves open.)
    """

    _SHORT = 4096

    def __init__(self, data: bytes) -> None:
        self._data, self._view, self._at = data, memoryview(data), 0

    def read(self, size: int = -1):
        start = self._at
        # galvani hands on a module header's length as numpy's uint32: a damaged one near 2³²
        # wrapped round in start + size and read a few bytes instead of failing as too short
        size = -1 if size is None else int(size)
        end = len(self._data) if size < 0 else min(start + size, len(self._data))
        self._at = end
        return self._data[start:end] if end - start < self._SHORT else self._view[start:end]

    def tell(self) -> int:
        return self._at


# First byte of the settings module: the technique (same source as _EXTRA_MPR_COLUMNS).
_MPR_TECHNIQUES = {
    0x04: "GCPL",
    0x06: "CV",
    0x0B: "OCV",
    0x16: "MP",
    0x18: "CA",
    0x19: "CP",
    0x1C: "WAIT",
    0x1D: "PEIS",
    0x1E: "GEIS",
    0x30: "CV",
    0x32: "ZIR",
    0x33: "CVA",
    0x6C: "LSV",
    0x75: "coV",
    0x76: "coC",
    0x77: "GCPL",
    0x7F: "MB",
    0x88: "BCD",
}


def _mpr_technique(mpr) -> str | None:
    for module in getattr(mpr, "modules", []):
        if module["shortname"].startswith(b"VMP Set") and module["data"]:
            return _MPR_TECHNIQUES.get(module["data"][0])
    return None


def _teach_galvani(module) -> None:
    known = module.VMPdata_colID_dtype_map
    for column, (dtype, name) in _EXTRA_MPR_COLUMNS.items():
        known.setdefault(column, (name, dtype))


def read_gamry_dta(path: Path) -> CyclerTable:
    """Gamry Framework .DTA impedance file: the ``ZCURVE TABLE`` block (Zimag = Im(Z))."""
    import pandas as pd

    raw_bytes = file_head.read_head(path, 50_000_000)
    encoding = sniff.sniff_encoding(raw_bytes[:65536], path)  # ANSI, or UTF-16 re-saved
    text = raw_bytes.decode(encoding, errors="replace").lstrip("\ufeff")
    lines = text.splitlines()
    if not any(line.startswith("ZCURVE") for line in lines):
        from cellwright.projects.labdata.readers_gamry import has_curves, read_gamry_curves

        if has_curves(lines):  # a DC technique's time series
            return read_gamry_curves(path, text, lines)
    header = file_head.find_line(
        lines, lambda s: s.startswith("ZCURVE"), path, "ZCURVE (impedance) or CURVE (DC) table"
    )
    if header + 3 > len(lines):
        raise LabDataError(f"{path}: line {header + 1}: ZCURVE table has no data")
    body = [header + 1]
    fields = lines[header + 1].count("\t")
    for number in range(header + 3, len(lines)):
        if not lines[number].startswith("\t") or not lines[number].strip():
            break  # the table ends at the next section (or at blank rows of tabs)
        if (found := lines[number].count("\t")) < fields:  # an export cut mid-row
            raise LabDataError(
                f"{path}: line {number + 1}: truncated record ({found} of {fields} cells)"
            )
        body.append(number)
    block = "\n".join(lines[n][1:] for n in body)
    try:
        frame = pd.read_csv(io.StringIO(block), sep="\t", engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise LabDataError(f"{path}: ZCURVE table at line {header + 1}: {exc}") from exc
    raw = {str(c): frame[c].to_numpy() for c in frame.columns}
    mapping = propose_mapping(list(raw), "gamry")
    mapping.guesses = [g for g in mapping.guesses if g.confidence >= 1.0]
    cols = apply_mapping(
        raw, mapping, lambda c, _: numeric_columns.numeric(raw, c, path, header + 4)
    )
    if len(body) < 2:
        raise LabDataError(f"{path}: line {header + 3}: ZCURVE table has no rows")
    tags = dict(re.findall(r"^(TITLE|DATE|TIME|PSTAT)\t\w+\t([^\t]*)", text[:20000], re.M))
    meta = {
        "format": "gamry_dta",
        "instrument": "Gamry",
        "kind": "impedance",
        "column_map": used_columns(mapping),
        "channel": tags.get("PSTAT"),
        "start_time": datetimes.iso_stamp(f"{tags.get('DATE', '')} {tags.get('TIME', '')}"),
        "source": str(path),
    }
    for name in t.IMPEDANCE_REQUIRED:
        if name not in cols:
            raise LabDataError(f"{path}: ZCURVE table at line {header + 1} lacks {name}")
    return CyclerTable(cols, meta)
