"""Binary cycler files: Arbin .res (MS Access Jet 4, :mod:`.jet4`) and Neware .nda/.ndax
(fastnda)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from cellwright.projects.labdata import _parse
from cellwright.projects.labdata import table as t
from cellwright.projects.labdata.jet4 import Jet4Database
from cellwright.projects.labdata.mapper import apply_mapping, propose_mapping, used_columns
from cellwright.projects.labdata.resolve import resolve
from cellwright.projects.labdata.table import CyclerTable, LabDataError

OLE_EPOCH_DAYS = 25569.0  # 1970-01-01 as an OLE automation date


def read_arbin_res(path: Path) -> CyclerTable:
    """Arbin MITS Pro .res (MS Access Jet 4 database), read in-process by :mod:`.jet4`:
    ``Channel_Normal_Table`` holds the records, ``Global_Table`` the test's metadata.

    ``DateTime`` and ``Start_DateTime`` are OLE automation dates (days since 1899-12-30).
    """
    db = Jet4Database(path)
    table = db.table_def("Channel_Normal_Table")
    names = [c.name for c in table.columns]
    mapping = propose_mapping(names, "arbin")
    mapping.guesses = [g for g in mapping.guesses if g.confidence >= 1.0]
    needed = {g.column for g in mapping.guesses} | {"DateTime", "Data_Point"}
    rows = db.read(table, [name for name in names if name in needed])
    raw = {name: values for name, values in rows.items() if values.dtype != object}
    cols = resolve(apply_mapping(raw, mapping, lambda c, _: raw[c].astype(np.float64)), path)
    if "DateTime" in raw:
        cols[t.UNIX_TIME] = (raw["DateTime"].astype(np.float64) - OLE_EPOCH_DAYS) * 86400.0
    if "Data_Point" in raw:  # Jet tables come back in page order, not record order
        order = np.argsort(raw["Data_Point"], kind="stable")
        if np.any(order != np.arange(order.size)):
            cols = {name: values[order] for name, values in cols.items()}
    meta = {"format": "arbin_res", "instrument": "Arbin", "column_map": used_columns(mapping)}
    meta.update(_arbin_global(db))
    return _parse.finish(cols, meta, path)


def _arbin_global(db: Jet4Database) -> dict:
    """Channel, start time, schedule and cell id from ``Global_Table`` (informative: a file
    without it still reads)."""
    try:
        info = db.read("Global_Table")
    except LabDataError:
        return {}
    if not len(info.get("Test_ID", ())):
        return {}
    meta: dict = {}
    if "Channel_Index" in info:
        meta["channel"] = str(int(info["Channel_Index"][0]))
    start = info.get("Start_DateTime")
    if start is not None and np.isfinite(start[0]):
        meta["start_unix_time"] = float((start[0] - OLE_EPOCH_DAYS) * 86400.0)
    if "Schedule_File_Name" in info:
        meta["schedule"] = str(info["Schedule_File_Name"][0])
    item = info.get("Item_ID", [None])[0]
    meta["cell_id"] = item if isinstance(item, str) and item.strip() else None
    return meta


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
