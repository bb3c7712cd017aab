"""Binary cycler files: Arbin .res (MS Access via mdbtools) and Neware .nda/.ndax (fastnda)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from cellwright.projects.labdata import _parse
from cellwright.projects.labdata import table as t
from cellwright.projects.labdata.mapper import apply_mapping, propose_mapping, used_columns
from cellwright.projects.labdata.resolve import resolve
from cellwright.projects.labdata.table import CyclerTable, LabDataError

MDB_TIMEOUT_S = 120


def read_arbin_res(path: Path) -> CyclerTable:
    """Arbin MITS Pro .res (Jet 4 database): ``Channel_Normal_Table`` via ``mdb-export``.

    ``DateTime`` there is an OLE automation date (days since 1899-12-30).
    """
    exe = shutil.which("mdb-export")
    if exe is None:
        raise LabDataError(f"{path}: reading Arbin .res needs mdbtools ('mdb-export' not found)")
    global_table, csv_path = _export_tables(exe, path)
    try:
        raw = _parse.read_delimited(csv_path, header_line=0, sep=",", encoding="utf-8")
    except LabDataError as exc:  # name the user's file and table, not the scratch CSV
        where = f"{path} [Channel_Normal_Table row export]"
        raise LabDataError(str(exc).replace(str(csv_path), where)) from exc
    finally:
        csv_path.unlink(missing_ok=True)
    mapping = propose_mapping(list(raw), "arbin")
    mapping.guesses = [g for g in mapping.guesses if g.confidence >= 1.0]
    cols = resolve(apply_mapping(raw, mapping, lambda c, _: _parse.numeric(raw, c, path, 2)), path)
    if "DateTime" in raw:
        ole_days = _parse.numeric(raw, "DateTime", path, 2)
        cols[t.UNIX_TIME] = (ole_days - 25569.0) * 86400.0
    if "Data_Point" in raw:  # Jet tables come back in page order, not record order
        order = np.argsort(_parse.numeric(raw, "Data_Point", path, 2), kind="stable")
        cols = {name: values[order] for name, values in cols.items()}
    meta = {"format": "arbin_res", "instrument": "Arbin", "column_map": used_columns(mapping)}
    try:
        info = _parse.read_delimited(global_table, header_line=0, sep=",", encoding="utf-8")
        meta["channel"] = str(info.get("Channel_Index", [None])[0])
        meta["start_unix_time"] = float((float(info["Start_DateTime"][0]) - 25569.0) * 86400.0)
        meta["schedule"] = str(info.get("Schedule_File_Name", [None])[0])
        item = info.get("Item_ID", [None])[0]
        meta["cell_id"] = str(item) if isinstance(item, str) and item.strip() else None
    except (LabDataError, KeyError, ValueError, TypeError):
        pass  # the global table is informative only
    finally:
        global_table.unlink(missing_ok=True)
    return _parse.finish(cols, meta, path)


def _export_tables(exe: str, path: Path) -> tuple[Path, Path]:
    """CSV exports of ``Global_Table`` and ``Channel_Normal_Table``, by two ``mdb-export``
    processes at once: starting a process is most of a small file's read (two in turn took
    150 ms against 70-90 ms side by side on the busy 2-core machine)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        info_job = pool.submit(_mdb_table, exe, path, "Global_Table")
        try:
            rows = _mdb_table(exe, path, "Channel_Normal_Table")
        except BaseException:
            if info_job.exception() is None:  # waits for it; leave no scratch file behind
                info_job.result().unlink(missing_ok=True)
            raise
        try:
            return info_job.result(), rows
        except BaseException:
            rows.unlink(missing_ok=True)
            raise


def _mdb_table(exe: str, path: Path, table_name: str) -> Path:
    handle = tempfile.NamedTemporaryFile(suffix=".csv", delete=False)  # noqa: SIM115
    try:
        proc = subprocess.run(
            [exe, "-D", "%s", str(path), table_name],
            stdout=handle,
            stderr=subprocess.PIPE,
            timeout=MDB_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise LabDataError(f"{path}: mdb-export timed out on {table_name}") from exc
    finally:
        handle.close()
    out = Path(handle.name)
    if proc.returncode != 0 or out.stat().st_size == 0:
        out.unlink(missing_ok=True)
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
        raise LabDataError(f"{path}: not a readable Arbin .res table {table_name} ({message})")
    return out


def _neware_metadata(fastnda, source: Path) -> dict:
    try:
        return dict(fastnda.read_metadata(str(source)))
    except Exception:
        return {}


def read_neware(path: Path) -> CyclerTable:
    """Neware BTS .nda/.ndax via fastnda (current in mA, already positive on charge).

    fastnda's capacity/energy are signed per-step values; they are split by sign into the
    BDF charging/discharging magnitudes.
    """
    import warnings

    import fastnda

    with tempfile.TemporaryDirectory() as scratch:
        # fastnda dispatches on the extension; content detection may have found a renamed file.
        suffix = ".ndax" if _parse.read_head(path, 4) == b"PK\x03\x04" else ".nda"
        source = path
        if path.suffix.lower() != suffix:
            source = Path(scratch) / f"renamed{suffix}"
            os.symlink(path.resolve(), source)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # fastnda warns on time jumps; data stay usable
                frame = fastnda.read(str(source), cycle_mode="raw")
        except Exception as exc:  # fastnda raises ValueError/KeyError/zip errors on bad files
            raise LabDataError(
                f"{path}: unreadable Neware file ({type(exc).__name__}: {exc})"
            ) from exc
        info = _neware_metadata(fastnda, source)
    raw = {name: frame[name].to_numpy() for name in frame.columns if name != "step_type"}
    scale = {
        "total_time_s": (t.TEST_TIME, 1.0),
        "voltage_V": (t.VOLTAGE, 1.0),
        "current_mA": (t.CURRENT, 1e-3),
        "unix_time_s": (t.UNIX_TIME, 1.0),
        "cycle_count": (t.CYCLE, 1.0),
        "step_count": (t.STEP_COUNT, 1.0),
        "step_index": (t.STEP_INDEX, 1.0),
    }
    cols = {
        bdf: np.asarray(raw[v], dtype=np.float64) * f for v, (bdf, f) in scale.items() if v in raw
    }
    for src, chg, dis, factor in (
        ("capacity_mAh", t.CHARGE_CAPACITY, t.DISCHARGE_CAPACITY, 1e-3),
        ("energy_mWh", t.CHARGE_ENERGY, t.DISCHARGE_ENERGY, 1e-3),
    ):
        if src in raw:
            value = np.asarray(raw[src], dtype=np.float64) * factor
            cols[chg], cols[dis] = np.clip(value, 0, None), np.clip(-value, 0, None)
    meta = {
        "format": "neware_nda",
        "instrument": "Neware",
        "column_map": {v: b for v, (b, _) in scale.items() if v in raw},
    }
    if info:
        meta.update(start_time=info.get("start_time"), cell_id=info.get("barcode") or None)
        meta["header"] = info
    if len(frame) == 0:
        raise LabDataError(f"{path}: Neware file holds no records")
    return _parse.finish(cols, meta, path)
