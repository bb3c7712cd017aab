"""Vendor profiles of delimited text exports: how each family is recognised (a preamble
signature, marker columns, or enough of the columns a user may have chosen), where its table
header sits, which alias table of :mod:`.vocabulary` names its columns, whether current is a
magnitude with a state letter, and what numeric step codes say about the current's sign.

:mod:`.readers_table` reads a table with the profile found here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from cellwright.projects.labdata import sniff
from cellwright.projects.labdata.mapper import propose_mapping
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
class HeaderNaming:
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


_MACCOR = HeaderNaming(
    "maccor",
    _markers(
        "Rec#|Cyc#|Step|Amps|Volts",
        "Rec#|Cyc#|Step|mAmps|Volts",
        "Rec#|Cycle P|Step|Current|Voltage",
        # MacNet/MIMS exports: units in brackets, "Md" for the state, "ES" for end status
        "Rec|Cycle P|Step|TestTime|Md|ES",
    ),
)
_BASYTEC = HeaderNaming("basytec", _markers("~Time[s]|U[V]|I[A]"))
_LANDT = HeaderNaming("landt", _markers("channel_index|cycle_index|test_time_s|voltage_V"))


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
        if profile.header is not None and not isinstance(profile.header, HeaderNaming):
            continue
        named = len(present & _known_columns(profile.vendor, profile.markers))
        if named >= ENOUGH_COLUMNS and not propose_mapping(headers, profile.vendor).missing():
            matches.append((named, profile))
    return sorted(matches, key=lambda match: -match[0])
