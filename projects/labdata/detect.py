"""Content-based format detection and the single entry point :func:`read_cycler_file`.

Detection looks at magic bytes and header lines, not at the extension, so a renamed file
is still read correctly (and a file whose content matches nothing gets a clear error).
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from cellwright.projects.labdata import _parse
from cellwright.projects.labdata.table import CyclerTable, LabDataError

# Exceptions that third-party parsers raise on corrupt input (not programming errors here).
_MALFORMED = (
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    OverflowError,
    EOFError,
    UnicodeError,
    zipfile.BadZipFile,
    struct.error,
    MemoryError,
)

FORMATS = (
    "arbin_res",
    "arbin_csv",
    "maccor",
    "neware_nda",
    "biologic_mpr",
    "biologic_mpt",
    "basytec",
    "novonix",
    "landt_csv",
    "batteryarchive_csv",
    "bdf_csv",
    "bdf_parquet",
    "gamry_dta",
    "arbin_metadata",
    "xlsx",
)

# Text signatures: (format, test on the first line / whole head text)
_TEXT_RULES: list[tuple[str, Callable[[str, str], bool]]] = [
    (
        "biologic_mpt",
        lambda first, head: (
            first.startswith("EC-Lab ASCII FILE")
            or (first.startswith("mode\t") and "time/s" in first)
            or (first.startswith("freq/Hz\t"))
        ),
    ),
    ("gamry_dta", lambda first, head: first.startswith("EXPLAIN") and "\nTAG\t" in head),
    ("basytec", lambda first, head: first.startswith("~") and "\n~Time[s]" in head),
    ("novonix", lambda first, head: first.startswith("[Summary]") and "Novonix" in head),
    ("maccor", lambda first, head: first.startswith("Today's Date")),
    (
        "landt_csv",
        lambda first, head: (
            "\nchannel_index,cycle_index" in head or head.startswith("channel_index,cycle_index")
        ),
    ),
    ("bdf_csv", lambda first, head: "test_time_second" in first or "Test Time / s" in first),
    ("arbin_metadata", lambda first, head: "Test_ID" in first and "IV_Ch_ID" in first),
    (
        "batteryarchive_csv",
        lambda first, head: first.startswith(("Date_Time,Test_Time (s)", "Cycle_Index,Start_Time")),
    ),
    ("arbin_csv", lambda first, head: first.startswith(("Data_Point,", "Data Point,"))),
]


def detect_format(path: str | Path) -> str:
    """Return the format name of ``path`` (one of :data:`FORMATS`) from its content."""
    path = Path(path)
    head = _parse.read_head(path, 8192)
    if not head.strip():
        raise LabDataError(f"{path}: file is empty")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LabDataError(f"{path}: byte 0: UTF-16 text (byte-order mark); save it as UTF-8")
    if head[4:19] == b"Standard Jet DB":
        return "arbin_res"
    if head.startswith(b"BIO-LOGIC MODULAR FILE"):
        return "biologic_mpr"
    if head.startswith(b"NEWARE"):
        return "neware_nda"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(path)
    if head.startswith(b"PAR1"):
        return "bdf_parquet"
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    first = text.split("\n", 1)[0].rstrip("\r")
    for name, rule in _TEXT_RULES:
        if rule(first, text):
            return name
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text[:2000])
    kind = "binary data" if printable < 0.9 * min(len(text), 2000) else "text"
    raise LabDataError(
        f"{path}: line 1: unrecognised cycler format ({kind} starting {first[:60]!r}); "
        "use read_generic with a column mapping for other CSV/XLSX layouts"
    )


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise LabDataError(f"{path}: byte 0: zip header but unreadable archive ({exc})") from exc
    if any(name.endswith(".ndc") for name in names) or "Step.xml" in names:
        return "neware_nda"
    if any(name.startswith("xl/") for name in names):
        return "xlsx"
    raise LabDataError(f"{path}: zip archive that is neither Neware .ndax nor XLSX")


def _readers() -> dict[str, Callable[[Path], CyclerTable]]:
    from cellwright.projects.labdata import (
        readers_binary,
        readers_biologic,
        readers_more,
        readers_text,
    )

    return {
        "arbin_res": readers_binary.read_arbin_res,
        "arbin_csv": readers_text.read_arbin_csv,
        "maccor": readers_text.read_maccor,
        "neware_nda": readers_binary.read_neware,
        "biologic_mpr": readers_biologic.read_biologic_mpr,
        "biologic_mpt": readers_biologic.read_biologic_mpt,
        "gamry_dta": readers_biologic.read_gamry_dta,
        "basytec": readers_more.read_basytec,
        "novonix": readers_more.read_novonix,
        "landt_csv": readers_more.read_landt,
        "batteryarchive_csv": readers_more.read_batteryarchive,
        "bdf_csv": readers_more.read_bdf_csv,
        "bdf_parquet": readers_more.read_bdf_parquet,
    }


def read_cycler_file(
    path: str | Path, format: str | None = None, mapping: dict | None = None
) -> CyclerTable:
    """Read any supported cycler file into a :class:`CyclerTable` (BDF columns, SI units).

    Parameters
    ----------
    path
        File to read.
    format
        Force a format from :data:`FORMATS`; detected from the content when None.
    mapping
        Column mapping for the generic CSV/XLSX reader (see ``readers_more.read_generic``);
        when given, the generic reader is used.
    """
    path = Path(path)
    if mapping is not None:
        from cellwright.projects.labdata.readers_more import read_generic

        return read_generic(path, mapping)
    name = format or detect_format(path)
    if name == "arbin_metadata":
        raise LabDataError(
            f"{path}: this is an Arbin _Metadata.csv sidecar; read the data CSV "
            "beside it (its metadata is merged automatically)"
        )
    if name == "xlsx":
        raise LabDataError(f"{path}: XLSX needs a column mapping (read_cycler_file(..., mapping=))")
    readers = _readers()
    if name not in readers:
        raise LabDataError(f"{path}: unknown format {name!r}; known: {sorted(readers)}")
    try:
        return readers[name](path)
    except LabDataError:
        raise
    except _MALFORMED as exc:  # a reader met data its format rules do not allow
        raise LabDataError(
            f"{path}: malformed {name} content ({type(exc).__name__}: {str(exc)[:200]})"
        ) from exc
