"""Delimited text exports of every vendor, read by one reader driven by vendor profiles.

A :class:`Profile` says how a vendor family is recognised (a preamble signature or column
names), which alias table of :mod:`.vocabulary` names its columns, whether current is written
as a magnitude with a state letter, and what the preamble tells (channel, cell, start).  The
table itself is found by :mod:`.sniff` (metadata block of any length, separator, units row,
decimal comma, encoding), mapped by :mod:`.mapper` and converted by :mod:`.resolve`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
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
from cellwright.projects.labdata import vocabulary as v
from cellwright.projects.labdata.mapper import (
    AUTO_THRESHOLD,
    Mapping,
    apply_mapping,
    propose_mapping,
    unread_targets,
    used_columns,
)
from cellwright.projects.labdata.resolve import resolve
from cellwright.projects.labdata.table import CyclerTable, LabDataError
from cellwright.projects.labdata.vocabulary import VENDOR_ALIASES


@dataclass(frozen=True)
class Profile:
    """How one export family is recognised and read."""

    name: str
    instrument: str
    vendor: str
    signature: Callable[[str, str], bool] | None = None  # (first line, head text)
    markers: tuple[frozenset[str], ...] = ()  # any set fully among the headers
    header: Callable[[list[str]], int | None] | None = None  # header line from preamble
    magnitudes: bool = False
    kind: str = "timeseries"
    state_codes: tuple[tuple[float, float], ...] = ()  # numeric step type -> current sign


def _markers(*groups: str) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(g.split("|")) for g in groups)


#: known column names a line must hold to be a layout's header (three: a table is read only
#: with its time, voltage and current; no metadata line or data row holds three of them)
ENOUGH_COLUMNS = 3


@lru_cache(maxsize=16)
def _known_columns(vendor: str, markers: tuple[frozenset[str], ...]) -> frozenset[str]:
    """The column names of a vendor's layouts: its marker columns and its exact aliases."""
    names = set(VENDOR_ALIASES.get(vendor, {})).union(*markers)
    return frozenset(name.lstrip("~") for name in names)


def _known_in(line: str, known: frozenset[str]) -> int:
    """How many cells of ``line`` (split by whichever separator names most) are in ``known``."""
    best = 0
    for sep in sniff.SEPARATORS:
        if sep in line:
            # BaSyTec marks its header line with "~" before whichever column comes first
            cells = {cell.lstrip("~").strip() for cell in sniff._cells(line, sep)}
            best = max(best, len(cells & known))
    return best


@dataclass(frozen=True)
class _HeaderNaming:
    """The header finder of a layout whose export dialog lets users choose and order the
    columns: the first line naming :data:`ENOUGH_COLUMNS` of its known columns, in any order."""

    vendor: str
    markers: tuple[frozenset[str], ...]

    def __call__(self, lines: list[str]) -> int | None:
        known = _known_columns(self.vendor, self.markers)
        for n, line in enumerate(lines):
            if _known_in(line, known) >= ENOUGH_COLUMNS:
                return n
        return None

    def in_head(self, head: str) -> bool:
        """True when a line of ``head`` is the layout's header."""
        known = _known_columns(self.vendor, self.markers)
        if sum(name in head for name in known) < ENOUGH_COLUMNS:  # the common case, cheaply
            return False
        return self(head.splitlines()) is not None


_MACCOR = _HeaderNaming(
    "maccor",
    _markers(
        "Rec#|Cyc#|Step|Amps|Volts",
        "Rec#|Cycle P|Step|Current|Voltage",
        # MacNet/MIMS exports: units in brackets, "Md" for the state, "ES" for end status
        "Rec|Cycle P|Step|TestTime|Md|ES",
    ),
)
_BASYTEC = _HeaderNaming("basytec", _markers("~Time[s]|U[V]|I[A]"))
_LANDT = _HeaderNaming("landt", _markers("channel_index|cycle_index|test_time_s|voltage_V"))


def _after_data_section(lines: list[str]) -> int | None:
    for n, line in enumerate(lines):
        if line.strip() == "[Data]":
            return n + 1
    return None


def _eclab_header(lines: list[str]) -> int | None:
    match = re.search(r"Nb header lines\s*:\s*(\d+)", "\n".join(lines[:4]))
    return int(match.group(1)) - 1 if match else (0 if lines and "\t" in lines[0] else None)


_BDF_LABEL = re.compile(r"(?:^|[,;\t])\s*\"?(Test Time|Voltage|Current) / [^,;\t\"]+")


def _bdf_labels(first: str) -> bool:
    """BDF's human-readable header: ``Quantity / unit`` labels (``Test Time / h``, ``Voltage
    / V`` …) for time, voltage and current, in whatever unit the writer chose."""
    return len({m.group(1) for m in _BDF_LABEL.finditer(first)}) == 3


PROFILES: tuple[Profile, ...] = (
    Profile(
        "biologic_mpt",
        "BioLogic",
        "eclab",
        lambda first, head: (
            first.startswith(("EC-Lab ASCII FILE", "BT-Lab ASCII FILE"))
            or (first.startswith("mode\t") and "time/s" in first)
            or first.startswith("freq/Hz\t")
        ),
        _markers("time/s|Ewe/V", "time/s|Ecell/V", "time/s|<Ewe>/V", "freq/Hz|Re(Z)/Ohm"),
        _eclab_header,
    ),
    Profile(
        "maccor",
        "Maccor",
        "maccor",
        lambda first, head: first.startswith("Today's Date"),
        _MACCOR.markers,
        _MACCOR,
        magnitudes=True,
    ),
    Profile(
        "basytec",
        "BaSyTec",
        "basytec",
        lambda first, head: first.startswith("~") and _BASYTEC.in_head(head),
        _BASYTEC.markers,
        _BASYTEC,
    ),
    Profile(
        "novonix",
        "Novonix UHPC",
        "novonix",
        lambda first, head: first.startswith("[Summary]") and "Novonix" in head,
        _markers("Run Time (h)|Potential (V)|Current (A)"),
        _after_data_section,
        # its Step Type codes: 7/8 the CC and CV part of a CC-CV charge, 9/10 of a discharge,
        # 2 a CC discharge, 0 open circuit; 1 is a CC charge but some firmware writes it for a
        # CC discharge as well, so it tells nothing (BatLabLancaster/preparenovonix,
        # novonix_variables.py, and the charge-only fixtures: 1, 7, 8 with positive current)
        state_codes=((2, -1.0), (7, 1.0), (8, 1.0), (9, -1.0), (10, -1.0)),
    ),
    Profile(
        "landt_csv",
        "Landt",
        "landt",
        lambda first, head: _LANDT.in_head(head),
        _LANDT.markers,
        _LANDT,
    ),
    Profile(
        "bdf_csv",
        "BDF",
        "bdf",
        lambda first, head: "test_time_second" in first or _bdf_labels(first),
        _markers("test_time_second|voltage_volt|current_ampere", "Test Time / s|Voltage / V"),
    ),
    Profile(
        "batteryarchive_csv",
        "BatteryArchive",
        "batteryarchive",
        lambda first, head: first.startswith(("Date_Time,Test_Time (s)", "Cycle_Index,Start_Time")),
        _markers("Test_Time (s)|Cycle_Index|Current (A)|Voltage (V)"),
    ),
    Profile(
        "arbin_csv",
        "Arbin",
        "arbin",
        lambda first, head: first.startswith(("Data_Point,", "Data Point,")),
        _markers(
            "Data_Point|Test_Time|Current|Voltage",
            "Test_Time(s)|Step_Index|Cycle_Index|Voltage(V)|Current(A)",
            "Data Point|Test Time (s)|Current (A)|Voltage (V)",
            # MITS Pro 8 / MitsPro7 CSV written without its Data Point column
            "Test Time (s)|Step Time (s)|Cycle Index|Step Index|Current (A)|Voltage (V)",
        ),
    ),
    Profile(
        "neware_csv",
        "Neware",
        "neware",
        None,
        _markers(
            "DataPoint|Cycle Index|Step Index|Step Type",
            "Data Point|Cycle Index|Step Index|Step Type",
            "数据序号|循环号|工步号|工步类型",
            "记录序号|循环号|工步号",
        ),
    ),
    Profile(
        "pec_csv",
        "PEC",
        "pec",
        lambda first, head: first.startswith(("Test Name", '"Test Name')) and "Total Time" in head,
        _markers(
            "Total Time (Seconds)|Cycle|Step",
            "Total Time (Hours)|Cycle|Step",
            # the rack/shelf/position address of a PEC channel, whatever the time format
            "Rack|Shelf|Position|Cycle|Step",
        ),
        magnitudes=False,
    ),
    Profile(
        "digatron_csv",
        "Digatron",
        "digatron",
        None,
        _markers("Programmdauer|Spannung|Strom", "Prog Time|Voltage|Current|AhStep"),
    ),
    Profile(
        "batterydata_csv",
        "battery-data-toolkit",
        "batterydata",
        None,
        _markers("Cycle_Index|Time_s|Current_A|Voltage_V", "Cycle_Index|Time_s|Datenum_d"),
    ),
)
BY_NAME = {p.name: p for p in PROFILES}


def profile_for_headers(headers: list[str]) -> Profile | None:
    """The vendor profile of a table with ``headers``: the one whose marker columns are all
    there, else the one alone in naming the most of its columns among those a user may have
    chosen (see :func:`_chosen_column_matches`); None when none does or two tie."""
    present = {h.strip() for h in headers}
    for profile in PROFILES:
        if any(group <= present for group in profile.markers):
            return profile
    matches = _chosen_column_matches(headers)
    if len(matches) == 1 or (matches and matches[0][0] > matches[1][0]):
        return matches[0][1]
    return None


def rival_profiles(headers: list[str]) -> list[str]:
    """The profiles a table with ``headers`` matches equally well (empty when one wins)."""
    matches = _chosen_column_matches(headers)
    tied = [profile.name for named, profile in matches if named == matches[0][0]]
    return tied if len(tied) > 1 else []


def _chosen_column_matches(headers: list[str]) -> list[tuple[int, Profile]]:
    """(columns named, profile), most first, of each layout ``headers`` may be an export of
    with the columns a user chose: :data:`ENOUGH_COLUMNS` of the layout's known columns, and
    its time, voltage and current mapped with the vendor's names.  Only layouts whose table is
    found by its column names take part (not Novonix's ``[Data]`` section or EC-Lab's header
    count, which a table without its preamble has lost)."""
    present = {h.strip().lstrip("~") for h in headers}
    matches = []
    for profile in PROFILES:
        if profile.header is not None and not isinstance(profile.header, _HeaderNaming):
            continue
        named = len(present & _known_columns(profile.vendor, profile.markers))
        if named >= ENOUGH_COLUMNS and not propose_mapping(headers, profile.vendor).missing():
            matches.append((named, profile))
    return sorted(matches, key=lambda match: -match[0])


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
    absent = [g.column for g in mapping.guesses if g.column not in layout.headers]
    if absent:
        raise LabDataError(
            f"{path}: line {layout.header_line + 1}: mapped columns {absent} not in header "
            f"{layout.headers}"
        )
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

    def convert(column: str, target: str) -> np.ndarray:
        return numeric_columns.numeric(raw, column, path, first)

    notes: list[str] = []
    cols = resolve(
        apply_mapping(raw, mapping, convert),
        path,
        magnitudes=bool(profile and profile.magnitudes),
        notes=notes,
        state_codes=dict(profile.state_codes) if profile else None,
    )
    clock = next((g.column for g in mapping.guesses if g.target == v.DATETIME), None)
    if clock in raw and t.UNIX_TIME in cols and t.UNIX_TIME not in mapping.targets():
        datetimes.refuse_bad_times(raw[clock], cols[t.UNIX_TIME], clock, path, first)
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
    return finish_any(cols, meta, path, profile.kind if profile else "timeseries")


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
                if isinstance(profile.header, _HeaderNaming)
                else f"{path}: {profile.instrument} export without its table header"
            )
    return sniff.sniff_layout(path, header_line, sep)


def finish_any(cols: dict, meta: dict, path: Path, kind: str) -> CyclerTable:
    """A time series through :func:`finish.finish`; impedance and summaries as they are."""
    if t.FREQUENCY in cols and kind == "timeseries" and not {t.VOLTAGE, t.CURRENT} <= set(cols):
        kind = "impedance"
    if kind == "impedance":
        for name in t.IMPEDANCE_REQUIRED:
            if name not in cols:
                raise LabDataError(f"{path}: impedance table without a {name} column")
        return CyclerTable(cols, meta | {"kind": "impedance", "source": str(path)})
    if kind == "cycle_summary":
        return CyclerTable(cols, meta | {"kind": kind, "source": str(path)})
    return finish.finish(cols, meta, path)


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
    return LabDataError(
        f"{path}: line {header_line + 1}: unrecognised cycler format ({alike}a table with columns "
        f"{found or 'none known'}); {hint}"
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
    return found
