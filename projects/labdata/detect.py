"""Content-based format detection and the single entry point :func:`read_cycler_file`.

Detection looks at magic bytes and header lines, not at the extension, so a renamed file
is still read correctly (and a file whose content matches nothing gets a clear error).
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from cellwright.projects.labdata import file_head
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
    "arbin_xlsx",
    "maccor",
    "maccor_eis",
    "neware_nda",
    "neware_csv",
    "neware_xlsx",
    "biologic_mpr",
    "biologic_mpt",
    "basytec",
    "novonix",
    "landt_csv",
    "landt_xlsx",
    "pec_csv",
    "digatron_csv",
    "batteryarchive_csv",
    "batterydata_csv",
    "bdf_csv",
    "bdf_parquet",
    "gamry_dta",
    "arbin_metadata",
    "xlsx",
    "generic",
)

# Text signatures that are not a plain table: (format, test on the first line / head text)
_TEXT_RULES: list[tuple[str, Callable[[str, str], bool]]] = [
    ("gamry_dta", lambda first, head: first.startswith("EXPLAIN") and "\nTAG\t" in head),
    ("maccor_eis", lambda first, head: first.startswith("MACCOR") and "Impedance" in first),
    (
        "arbin_metadata",
        lambda first, head: (
            ("Test_ID" in first and "IV_Ch_ID" in first)
            or ("test_id" in first and "iv_ch_id" in first)
        ),
    ),
    ("neware_csv", lambda first, head: _neware_layered(head)),
]


#: instrument files that travel with a run but hold no measurement: (signature in the head,
#: what the file is, what to read instead). Their errors say "sidecar", so a folder import
#: skips them as companion files rather than failing on them.
_COMPANIONS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (
        ('<?maccor-application progid="Maccor Procedure File"?>', "<MaccorTestProcedure>"),
        "a Maccor procedure (the test's schedule, XML)",
        "the data file the test wrote (.001, .002 ...) or its text export",
    ),
    (
        # the step grid of MacTest's procedure editor written out as a table (one row a step:
        # its type, mode, limits, end conditions, goto and reporting)
        ("Step,Type,Mode,Value,Limit,Value,End Type,Op,Value,Goto",),
        "a Maccor procedure's step table (the test's schedule, CSV)",
        "the data file the test wrote (.001, .002 ...) or its text export",
    ),
    (
        ("EC-Lab LOG FILE", "BT-Lab LOG FILE"),
        "an EC-Lab/BT-Lab log file (.mpl)",
        "the .mpr beside it or its .mpt text export",
    ),
    (
        ("EC-LAB SETTING FILE", "BT-LAB SETTING FILE"),
        "an EC-Lab/BT-Lab settings file (.mps)",
        "the .mpr beside it or its .mpt text export",
    ),
)


def _refuse_companion(path: Path, head: str) -> None:
    lines = head.splitlines()[:6]
    for signatures, what, instead in _COMPANIONS:
        for number, line in enumerate(lines, start=1):
            if line.strip().upper().startswith(tuple(s.upper() for s in signatures)):
                raise LabDataError(
                    f"{path}: line {number}: {what}, a sidecar of the run with no measured "
                    f"data; read {instead}"
                )


def _neware_layered(head: str) -> bool:
    """Neware BTS CSV with layers: a cycle header, a ',Step …' header and a ',,Record …' (or
    ',,DataPoint …') header, then rows of the three layers."""
    lines = head.splitlines()[:3]
    return (
        len(lines) == 3
        and not lines[0].startswith(",")
        and ("Cycle" in lines[0] or "循环" in lines[0])
        and lines[1].startswith(",")
        and lines[2].startswith(",,")
        and any(word in lines[2] for word in ("Record", "记录", "Voltage", "电压"))
    )


def detect_format(path: str | Path) -> str:
    """Return the format name of ``path`` (one of :data:`FORMATS`) from its content.

    Text files get ``"generic"`` when they hold a table no vendor profile recognises.
    """
    path = Path(path)
    head = file_head.read_head(path, 8192)
    if not head.strip():
        raise LabDataError(f"{path}: file is empty")
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
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: legacy Excel .xls (or another Office file)
        from cellwright.projects.labdata.readers_xlsx import xlsx_format

        return xlsx_format(path)
    if head.startswith(b"\x89HDF\r\n"):
        raise LabDataError(
            f"{path}: byte 0: an HDF5 file (a program's own store, e.g. cellpy's), not a "
            "cycler export; export the instrument's data as CSV or XLSX"
        )
    from cellwright.projects.labdata import sniff
    from cellwright.projects.labdata.vendor_profiles import PROFILES, profile_for_headers

    encoding = sniff.sniff_encoding(head, path)
    text = head.decode(encoding, errors="replace").lstrip("\ufeff")
    if not encoding.startswith("utf-16") and _binary(text):
        first = text.split("\n", 1)[0][:40]
        raise LabDataError(
            f"{path}: line 1: unrecognised cycler format (binary data starting {first!r})"
        )
    first = text.split("\n", 1)[0].rstrip("\r")
    _refuse_companion(path, text)
    for name, rule in _TEXT_RULES:
        if rule(first, text):
            return name
    for profile in PROFILES:
        if profile.signature is not None and profile.signature(first, text):
            return profile.name
    layout = sniff.sniff_layout(path)
    profile = profile_for_headers(layout.headers)
    return profile.name if profile is not None else "generic"


def _binary(text: str) -> bool:
    sample = text[:2000]
    if sample.replace("\t", " ").replace("\r", " ").replace("\n", " ").isprintable():
        return False  # the common case, in C: a per-character count took 0.5 ms
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in sample)
    return printable < 0.9 * len(sample)


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise LabDataError(f"{path}: byte 0: zip header but unreadable archive ({exc})") from exc
    if any(name.endswith(".ndc") for name in names) or "Step.xml" in names:
        return "neware_nda"
    if any(name.startswith("xl/") for name in names):
        from cellwright.projects.labdata.readers_xlsx import xlsx_format

        return xlsx_format(path)
    raise LabDataError(f"{path}: zip archive that is neither Neware .ndax nor XLSX")


#: readers of delimited text that parse in chunks and take ``progress``
_TEXT_READERS = frozenset({"arbin_csv", "neware_csv", "batteryarchive_csv", "batterydata_csv"})


def _readers() -> dict[str, Callable[..., CyclerTable]]:
    from cellwright.projects.labdata import readers_binary, readers_biologic, readers_special
    from cellwright.projects.labdata import readers_xlsx as xlsx

    return {
        "arbin_res": readers_binary.read_arbin_res,
        "neware_nda": readers_binary.read_neware,
        "biologic_mpr": readers_biologic.read_biologic_mpr,
        "gamry_dta": readers_biologic.read_gamry_dta,
        "maccor_eis": readers_special.read_maccor_eis,
        "neware_csv": readers_special.read_neware_csv,
        "arbin_csv": readers_special.read_arbin_csv,
        "batteryarchive_csv": readers_special.read_batteryarchive,
        "batterydata_csv": readers_special.read_batterydata,
        "bdf_parquet": readers_special.read_bdf_parquet,
        "arbin_xlsx": xlsx.read_xlsx,
        "neware_xlsx": xlsx.read_xlsx,
        "landt_xlsx": xlsx.read_xlsx,
        "xlsx": xlsx.read_xlsx,
    }


def read_cycler_file(
    path: str | Path,
    format: str | None = None,
    mapping: dict | str | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> CyclerTable:
    """Read any supported cycler file into a :class:`CyclerTable` (BDF columns, SI units).

    Parameters
    ----------
    path
        File to read.
    format
        Force a format from :data:`FORMATS`; detected from the content when None.
    mapping
        A column mapping (``{column: target}``, see :mod:`.mapper`) for a layout no vendor
        profile knows, or ``"auto"`` to use the proposed mapping when it finds every
        required column.
    progress
        ``progress(fraction, message)`` while a large text table is parsed; it may raise
        :class:`~cellwright.projects.labdata.table.Cancelled`.
    """
    path = Path(path)
    file_head.check_regular_file(path)
    name = format or detect_format(path)
    if name == "arbin_metadata":
        raise LabDataError(
            f"{path}: this is an Arbin _Metadata.csv sidecar; read the data CSV "
            "beside it (its metadata is merged automatically)"
        )
    try:
        return _dispatch(path, name, mapping, progress)
    except LabDataError:
        raise
    except _MALFORMED as exc:  # a reader met data its format rules do not allow
        raise LabDataError(
            f"{path}: malformed {name} content ({type(exc).__name__}: {str(exc)[:200]})"
        ) from exc


def _dispatch(path: Path, name: str, mapping, progress) -> CyclerTable:
    from cellwright.projects.labdata import readers_table, vendor_profiles

    readers = _readers()
    if name in ("xlsx", "arbin_xlsx", "neware_xlsx", "landt_xlsx"):
        return readers[name](path, mapping=mapping)
    if name in _TEXT_READERS:  # large text exports: progress and cancel while parsing
        return readers[name](path, progress=progress)
    if name in readers:
        return readers[name](path)
    if name == "generic" or isinstance(mapping, dict):
        return _read_generic(path, mapping, progress)
    if name not in vendor_profiles.BY_NAME:
        raise LabDataError(f"{path}: unknown format {name!r}; known: {', '.join(FORMATS)}")
    profile = vendor_profiles.BY_NAME[name]
    if name == "biologic_mpt":
        from cellwright.projects.labdata.readers_biologic import read_biologic_mpt

        return read_biologic_mpt(path, progress=progress)
    return readers_table.read_text_table(path, profile, progress=progress)


def _read_generic(path: Path, mapping, progress) -> CyclerTable:
    from cellwright.projects.labdata import mapper, readers_table, sniff

    if mapping is None or mapping == "auto":
        layout = sniff.sniff_layout(path)
        proposal = mapper.propose_mapping(layout.headers)
        if mapping is None or proposal.missing(mapper.AUTO_THRESHOLD):
            raise readers_table.unrecognised(path, layout.header_line, proposal)
        proposal.guesses = [g for g in proposal.guesses if g.confidence >= mapper.AUTO_THRESHOLD]
        chosen = proposal
    else:
        chosen = mapper.mapping_from_json(mapping)
    table = readers_table.read_text_table(path, None, chosen, progress=progress)
    table.metadata["mapping"] = "auto" if mapping == "auto" else "user"
    return table
