"""Delimited text exports of every vendor, read by one reader driven by vendor profiles.

A :class:`.vendor_profiles.Profile` says how a vendor family is recognised (a preamble
signature or column names), which alias table of :mod:`.vocabulary` names its columns and
whether current is written as a magnitude with a state letter; the preamble tells channel,
cell and start (:func:`preamble_metadata`).  The table itself is found by :mod:`.sniff`
(metadata block of any length, separator, units row, decimal comma, encoding), mapped by
:mod:`.mapper` and converted by :mod:`.resolve`.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from cellwright.projects.labdata import (
    concatenated,
    datetimes,
    delimited,
    file_head,
    finish,
    numeric_columns,
    sniff,
)
from cellwright.projects.labdata import table as t
from cellwright.projects.labdata.mapper import (
    AUTO_THRESHOLD,
    Mapping,
    apply_mapping,
    propose_mapping,
    states_time_unit,
    unread_targets,
    used_columns,
)
from cellwright.projects.labdata.mapping_checks import absent_columns, listed
from cellwright.projects.labdata.resolve import refuse_damaged_clock, resolve
from cellwright.projects.labdata.table import CyclerTable, LabDataError
from cellwright.projects.labdata.vendor_profiles import (
    ENOUGH_COLUMNS,
    HeaderNaming,
    Profile,
    profile_for_headers,
    rival_profiles,
)


def read_text_table(
    path: Path,
    profile: Profile | None = None,
    mapping: Mapping | None = None,
    progress=None,
) -> CyclerTable:
    """Read a delimited export with ``profile`` (or ``mapping`` for an unknown layout)."""
    layout = _layout(path, profile, mapping)
    if profile is None and mapping is None:
        profile = profile_for_headers(layout.headers)
    if mapping is None:
        mapping = propose_mapping(layout.headers, profile.vendor if profile else None)
        if profile is None:
            raise unrecognised(path, layout.header_line, mapping)
        missing = mapping.missing() if profile.kind == "timeseries" else []
        if missing:  # a column left out of the export: say so at the header, not after reading
            raise LabDataError(
                f"{path}: line {layout.header_line + 1}: {profile.instrument} header names no "
                f"column for {', '.join(missing)} (columns: {', '.join(layout.headers)[:300]})"
            )
    absent = absent_columns(mapping, layout.headers)
    if absent:
        raise LabDataError(f"{path}: line {layout.header_line + 1}: {absent}")
    # recognised but not needed (a step time; a step capacity beside both sides): not read
    unread = unread_targets(mapping)
    usecols = [g.column for g in mapping.guesses if g.target not in unread]
    wanted = set(usecols)
    raw = delimited.read_delimited(
        path,
        header_line=layout.header_line,
        sep=layout.sep,
        encoding=layout.encoding,
        decimal=layout.decimal,
        skip_after_header=1 if layout.unit_line is not None else 0,
        quoted_lines=layout.quoted_lines,
        usecols=(lambda name: file_head.clean_name(name) in wanted)
        if layout.unit_line is None and not layout.quoted_lines
        else None,
        progress=progress,
        lazy_text=True,  # every column goes through numeric, state_sign or parse_datetimes
    )
    if layout.unit_line is not None:  # header cells carry the units row in brackets
        raw = dict(zip(layout.headers, raw.values(), strict=False))
    raw = {name: values for name, values in raw.items() if name in usecols}
    first = layout.first_data_line + 1
    # two exports of one channel appended: the header again mid-file joins two parts
    repeated = concatenated.repeated_headers(raw, next(iter(raw)), path, layout) if raw else []
    if repeated:
        raw = concatenated.drop_rows(raw, repeated)

    def line(row: int) -> str:
        for dropped in sorted(repeated):  # an appended export's header is not a row of raw
            row += dropped <= row
        return f"line {first + row}"

    def convert(column: str, target: str) -> np.ndarray:
        return numeric_columns.numeric(raw, column, path, line if repeated else first)

    notes: list[str] = []
    cols = resolve(
        apply_mapping(raw, mapping, convert),
        path,
        magnitudes=bool(profile and profile.magnitudes),
        notes=notes,
        state_codes=dict(profile.state_codes) if profile else None,
        time_unit_stated=states_time_unit(mapping),
    )

    refuse_damaged_clock(raw, mapping, cols, path, line)
    if repeated:
        concatenated.join_parts(cols, repeated, layout, notes)
    meta = {
        "format": profile.name if profile else "generic",
        "instrument": profile.instrument if profile else "",
        "column_map": used_columns(mapping),
        "encoding": layout.encoding,
        "header": layout.preamble[:200],
    }
    if notes:
        meta["notes"] = notes
    meta.update(preamble_metadata(layout.preamble, profile))
    return finish_any(cols, meta, path, profile.kind if profile else "timeseries", line)


def _layout(path: Path, profile: Profile | None, mapping: Mapping | None) -> sniff.TextLayout:
    options = mapping.options if mapping is not None else {}
    header_line = options.get("_header_line")
    sep = options.get("_sep")
    if header_line is None and profile is not None and profile.header is not None:
        _, text = sniff.decode_head(path)
        lines = sniff.lines_of(text)[:2000]
        header_line = profile.header(lines)
        if header_line is None:
            raise LabDataError(
                f"{path}: lines 1-{len(lines)}: {profile.instrument} export without its table "
                f"header (no line names {ENOUGH_COLUMNS} of its columns)"
                if isinstance(profile.header, HeaderNaming)
                else f"{path}: {profile.instrument} export without its table header"
            )
    return sniff.sniff_layout(path, header_line, sep)


def finish_any(
    cols: dict, meta: dict, path: Path, kind: str, where: t.RowPlace | None = None
) -> CyclerTable:
    """A time series through :func:`finish.finish` (``where``: where each row stands in the
    file); impedance and summaries as they are."""
    if t.FREQUENCY in cols and kind == "timeseries" and not {t.VOLTAGE, t.CURRENT} <= set(cols):
        kind = "impedance"
    if kind == "impedance":
        for name in t.IMPEDANCE_REQUIRED:
            if name not in cols:
                raise LabDataError(f"{path}: impedance table without a {name} column")
        return CyclerTable(cols, meta | {"kind": "impedance", "source": str(path)})
    if kind == "cycle_summary":
        return CyclerTable(cols, meta | {"kind": kind, "source": str(path)})
    return finish.finish(cols, meta, path, where)


def unrecognised(path: Path, header_line: int, mapping: Mapping) -> LabDataError:
    """The error for a table no vendor profile knows: what the mapper would use."""
    missing = mapping.missing(AUTO_THRESHOLD)
    rivals = rival_profiles([g.column for g in mapping.guesses] + mapping.unmapped)
    alike = f"columns of {' and '.join(rivals)} exports alike, " if rivals else ""
    found = ", ".join(f"{g.column}->{g.target} ({g.confidence:.2f})" for g in mapping.guesses)
    hint = (
        "run with --mapping auto to import it with these columns"
        if not missing
        else f"no column found for {', '.join(missing)}; give --mapping FILE.json"
    )
    columns = (
        f"a table with columns {found}"
        if found
        else f"a table with columns {listed(mapping.unmapped)}, none of them known"
    )
    return LabDataError(
        f"{path}: line {header_line + 1}: unrecognised cycler format ({alike}{columns}); {hint}"
    )


_KEY_VALUE = re.compile(r"^[~\"]?\s*([^:=\t]{2,60}?)\s*[:=]\s*[\t,;]?\s*(.*?)[\",;\t]*$")
_META_KEYS = {
    "channel": ("channel", "testchannel", "run on channel", "channel number", "通道"),
    "cell_id": ("cell", "cell id", "cellid", "battery", "barcode", "comment/barcode", "serial"),
    "start_time": (
        "started",
        "start of test",
        "start time",
        "date of test",
        "acquisition started on",
    ),
}


def preamble_metadata(lines: list[str], profile: Profile | None) -> dict:
    """Channel, cell id and start time from ``key: value`` lines of a metadata block."""
    found: dict[str, str] = {}
    for line in lines[:400]:
        match = _KEY_VALUE.match(line.strip())
        if not match or not match.group(2).strip():
            continue
        key = match.group(1).strip().lower()
        for meta_key, words in _META_KEYS.items():
            if key in words and meta_key not in found:
                found[meta_key] = match.group(2).strip()
    if profile is not None and profile.name == "maccor" and lines:
        barcode = re.search(r"Comment/Barcode:\s*([^,\t]*)", lines[0])
        if barcode and barcode.group(1).strip():
            found["cell_id"] = barcode.group(1).strip()
    if "start_time" in found:  # ISO as every run's start, or left to the records' clock
        start = datetimes.iso_stamp(found.pop("start_time"))
        if start is not None:
            found["start_time"] = start
    return found
