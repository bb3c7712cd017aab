"""Binary cycler files: Arbin .res (MS Access Jet 4, :mod:`.jet4`) and Neware .nda/.ndax
(fastnda)."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

import numpy as np

from cellwright.projects.labdata import file_head, finish
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
    return finish.finish(cols, meta, path)


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


#: the columns of fastnda's records that :func:`_ndax_records` relies on
_NDAX_COLUMNS = {"voltage_V", "current_mA", "step_time_s", "step_count", "cycle_count",
                 "step_index", "unix_time_s"}  # fmt: skip


def _ndax_records(source: Path) -> dict[str, np.ndarray] | None:
    """The records of a .ndax file as ``fastnda.read(cycle_mode="raw")`` gives them (the
    columns read here, its dtypes and rounding), from fastnda's own parser of the archive;
    None where its records lack a column relied on here (``fastnda.read`` then reads it).

    ``fastnda.read`` spends 45 % of a small file's read after the parse, on columns and
    categories that are not used here (1.4 of 3.1 ms on the fixture's test.ndax); its total
    time is the step time plus the longest step times of all earlier steps, as fastnda's
    ``_add_total_time`` computes it, and its charge and discharge capacity and energy are
    merged into one signed value. ``tests/projects/labdata/test_labdata_readers.py`` checks
    every .ndax of the fixtures and the corpus against ``fastnda.read``.
    """
    try:
        from fastnda.ndax import read_ndax
    except ImportError:
        return None
    frame = _single_record_file(source)
    frame = read_ndax(source) if frame is None else frame
    if not set(frame.columns) >= _NDAX_COLUMNS:
        return None
    raw = {name: frame[name].to_numpy() for name in _NDAX_COLUMNS}
    for name in ("voltage_V", "current_mA"):  # fastnda's Float32
        raw[name] = raw[name].astype(np.float32)
    for merged, unit in (("capacity", "mAh"), ("energy", "mWh")):
        if f"{merged}_{unit}" in frame.columns:
            raw[f"{merged}_{unit}"] = frame[f"{merged}_{unit}"].to_numpy().astype(np.float32)
        elif {f"charge_{merged}_{unit}", f"discharge_{merged}_{unit}"} <= set(frame.columns):
            signed = frame[f"charge_{merged}_{unit}"] - frame[f"discharge_{merged}_{unit}"]
            raw[f"{merged}_{unit}"] = signed.to_numpy().astype(np.float32)
    if "total_time_s" in frame.columns:
        raw["total_time_s"] = frame["total_time_s"].to_numpy().astype(np.float64)
    else:  # each step's longest step time, summed over the steps before it (by step number)
        step_time = raw["step_time_s"].astype(np.float64)
        steps, which = np.unique(raw["step_count"], return_inverse=True)
        longest = np.full(steps.size, -np.inf)
        np.maximum.at(longest, which, np.where(np.isnan(step_time), -np.inf, step_time))
        longest[~np.isfinite(longest)] = np.nan  # a step of no time: fastnda's null
        before = np.concatenate(([0.0], np.cumsum(np.nan_to_num(longest))[:-1]))
        raw["total_time_s"] = step_time + before[which]
    for name in ("total_time_s", "unix_time_s"):  # fastnda rounds times to the microsecond
        raw[name] = np.round(raw[name].astype(np.float64), 6)
    return raw


#: the record files of a .ndax archive besides ``data.ndc`` that fastnda's ``read_ndax`` joins
#: (run info and steps by name, auxiliary channels by a number before ``.ndc``, as it finds them)
_NDAX_JOINED = ("data_runInfo.ndc", "data_step.ndc")
_NDAX_AUX = re.compile(r".*_(\d+)\.ndc")


def _single_record_file(source: Path):
    """fastnda's ``read_ndax`` of an archive whose records are all in ``data.ndc`` (BTS 8
    before the run-info and step files: nothing to join), without the thread pool it starts
    for each read (0.4 of a 1.5 ms read); None for any other archive (and ``read_ndax``
    reads it). The same records either way: ``read_ndax`` returns that file's frame as it is.
    """
    import zipfile

    try:
        from fastnda.ndax import read_ndc
    except ImportError:
        return None
    with zipfile.ZipFile(source) as archive:
        names = archive.namelist()
        joined = any(n in _NDAX_JOINED or _NDAX_AUX.search(n) for n in names)
        if "data.ndc" not in names or joined:
            return None
        return read_ndc(archive.read("data.ndc"))


def _neware_metadata(fastnda, source: Path) -> dict:
    if source.suffix.lower() == ".ndax":
        return _ndax_test_info(source)
    try:
        return dict(fastnda.read_metadata(str(source)))
    except Exception:
        return {}


def _ndax_test_info(source: Path) -> dict:
    """The test's record in a .ndax archive (``TestInfo.xml``, GB2312 text): start time,
    barcode, channel, step file and remark under the names fastnda gives a .nda's, and every
    attribute as written. fastnda's ``read_metadata`` of a .ndax keys it all by XML file
    (no ``start_time`` or ``barcode`` at the top, so a .ndax lost its cell's barcode here)
    and parses the whole step program as well (0.5 ms of a 2.5 ms import)."""
    import zipfile

    from defusedxml import ElementTree

    try:
        with zipfile.ZipFile(source) as archive:
            text = archive.read("TestInfo.xml").decode("gb18030", errors="replace")
        text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # the text is decoded already
        config = ElementTree.fromstring(text).find("config")
        test = config.find("TestInfo") if config is not None else None
    except Exception:  # no or damaged TestInfo.xml: the records still import
        return {}
    if test is None:
        return {}
    names = {
        **{"StartTime": "start_time", "EndTime": "end_time", "Barcode": "barcode", "SN": "sn"},
        **{"StepName": "step_name", "Remark": "remarks", "ChlID": "channel"},
    }
    info: dict = {
        key: test.get(attribute) for attribute, key in names.items() if attribute in test.attrib
    }
    info["client_version"] = config.get("SortVersion")
    info["test_info"] = dict(test.attrib)
    return info


def read_neware(path: Path) -> CyclerTable:
    """Neware BTS .nda/.ndax via fastnda (current in mA, already positive on charge).

    fastnda's capacity/energy are signed per-step values; they are split by sign into the
    BDF charging/discharging magnitudes.
    """
    import logging
    import warnings

    import fastnda

    # fastnda logs "negative jumps in unix_time_s" through the logging module, which printed
    # it raw into the CLI's progress line; the reader keeps total_time_s (test time), as that
    # message advises, so the note is not the user's to act on
    logging.getLogger("fastnda").setLevel(logging.ERROR)
    with contextlib.ExitStack() as scratch:
        # fastnda dispatches on the extension; content detection may have found a renamed file.
        suffix = ".ndax" if file_head.read_head(path, 4) == b"PK\x03\x04" else ".nda"
        source = path
        if path.suffix.lower() != suffix:
            source = Path(scratch.enter_context(tempfile.TemporaryDirectory())) / f"renamed{suffix}"
            os.symlink(path.resolve(), source)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # fastnda warns on time jumps; data stay usable
                raw = _ndax_records(source) if suffix == ".ndax" else None
                if raw is None:
                    frame = fastnda.read(str(source), cycle_mode="raw")
                    raw = {n: frame[n].to_numpy() for n in frame.columns if n != "step_type"}
        except Exception as exc:  # fastnda raises ValueError/KeyError/zip errors on bad files
            raise LabDataError(
                f"{path}: unreadable Neware file ({type(exc).__name__}: {exc})"
            ) from exc
        info = _neware_metadata(fastnda, source)
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
        if info.get("channel"):
            meta["channel"] = str(info["channel"])
        meta["header"] = info
    if not len(next(iter(raw.values()), ())):
        raise LabDataError(f"{path}: Neware file holds no records")
    return finish.finish(cols, meta, path)
