"""Lab runs in the project: import cycler files (one transaction each), link them to cells.

A file is read completely before anything is written, and a run's metadata and every column
are written in one transaction, so a bad file leaves nothing half-imported. The same bytes
are recognised by their SHA-256 and not imported twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cellwright.projects.labdata import file_head
from cellwright.projects.labdata.detect import detect_format, read_cycler_file
from cellwright.projects.labdata.table import Cancelled, CyclerTable, LabDataError
from cellwright.projects.model import InputError, LabRun, PhysicalCell

__all__ = ["ImportReport", "import_file", "import_paths", "lab_files", "load_run", "not_data"]

# What a lab keeps beside its data: (file name test, why it is skipped)
_NOT_DATA_SUFFIXES = {
    ".md": "notes", ".rst": "notes", ".pdf": "document", ".doc": "document",
    ".docx": "document", ".pptx": "document", ".odt": "document", ".png": "image",
    ".jpg": "image", ".jpeg": "image", ".gif": "image", ".svg": "image", ".bmp": "image",
    ".tif": "image", ".tiff": "image", ".py": "code", ".ipynb": "notebook", ".m": "code",
    ".json": "settings", ".yaml": "settings", ".yml": "settings", ".toml": "settings",
    ".ini": "settings", ".xml": "settings", ".mps": "BioLogic settings file",
    ".mpl": "BioLogic log file", ".mgr": "BioLogic settings file", ".log": "log",
    ".zip": "archive", ".7z": "archive", ".pkl": "Python pickle", ".html": "document",
    ".sdu": "Arbin schedule", ".sdx": "Arbin schedule", ".pro": "Neware/Novonix protocol",
    ".pro1": "Novonix protocol", ".000": "Maccor procedure",
}  # fmt: skip
_NOT_DATA_STEMS = ("license", "licence", "copying", "readme", "notes", "changelog", "authors")


@dataclass
class ImportReport:
    """What a multi-file import did, file by file."""

    imported: list[LabRun] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """One readable line per file."""
        out = [
            f"imported  {r.source_file} -> run {r.id} ({r.format}, {r.rows} rows)"
            for r in self.imported
        ]
        out += [f"skipped   {p}: {_reason(p, why)}" for p, why in self.skipped]
        out += [f"FAILED    {p}: {_reason(p, why)}" for p, why in self.failed]
        return out


def not_data(path: Path) -> str | None:
    """Why ``path`` is not cycler data (a licence, README, image, settings file ...), or None.

    Companion files (an Arbin ``_Metadata.csv``, a BioLogic ``.mps``) are named as such: they
    are read with their data file.
    """
    name = path.name.lower()
    if name.endswith(("_metadata.csv",)):
        return "companion file, read with its data file"
    if name.startswith(_NOT_DATA_STEMS) or path.parent.name.lower() in ("licenses", "licences"):
        return "not cycler data (licence or notes)"
    kind = _NOT_DATA_SUFFIXES.get(path.suffix.lower())
    if kind is not None:
        if path.suffix.lower() == ".mps":
            return "companion file (BioLogic settings), read with its data file"
        return f"not cycler data ({kind})"
    return None


def _not_data_after_reading(path: Path, error: LabDataError) -> bool:
    """An unreadable file that does not look like data at all (no table, no known magic).

    A file its content names as a vendor's export (a Maccor ``Today's Date`` line, an Arbin
    ``Data_Point,`` header, an Arbin workbook's ``Global_Info`` sheet) is data that failed
    however its table is damaged: a header without records, a row of extra cells."""
    text = error.detail
    if "no table found" not in text and "no sheet has a header row" not in text:
        return False
    try:
        return detect_format(path) in ("generic", "xlsx")
    except LabDataError:
        return True  # no signature, and no table to match the vendors' columns against


def _reason(path: Path, why: str) -> str:
    return why.removeprefix(f"{path}: ")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _physical_cell(project, serial: str | None, design: str) -> str:
    if not serial:
        return ""
    for cell in project.list("physical_cell"):
        if cell.name == serial:
            return cell.id
    cell = PhysicalCell(name=serial, design=design)
    project.put(cell)
    return cell.id


def import_file(
    project,
    path: str | Path,
    cell_serial: str | None = None,
    format: str | None = None,
    nominal_capacity: float | str | None = None,
    mass: float | str | None = None,
    design: str = "",
    mapping: dict | str | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> LabRun:
    """Import one cycler file into ``project``; impedance spectra measured within the run
    (a mixed-technique file) are stored as runs of kind ``impedance`` beside it.

    The file is read completely (``progress`` may raise ``Cancelled``) before the run and
    every column are written in one transaction.

    Raises
    ------
    LabDataError
        The file cannot be read (the message names the file and the position).
    InputError
        The same file (same bytes) is already in the project.
    """
    path = Path(path)
    file_head.check_regular_file(path)  # before hashing: /dev/zero would be read for ever
    digest = _sha256(path)
    for run in project.list_where("labrun", "sha256", digest):
        if "parent_run" not in run.metadata:
            raise InputError(f"already imported as run {run.id} ({run.name})", str(path))
    # read fully before writing anything
    table = read_cycler_file(path, format=format, mapping=mapping, progress=progress)
    meta = table.metadata
    serial = cell_serial or meta.get("cell_id") or None
    with project.transaction():
        run = LabRun(
            name=path.stem,
            source_file=path.name,
            sha256=digest,
            format=str(meta.get("format", format or "")),
            kind=str(meta.get("kind", "timeseries")),
            instrument=str(meta.get("instrument", "") or ""),
            channel=str(meta.get("channel", "") or ""),
            start_time=str(meta.get("start_time", "") or ""),
            physical_cell=_physical_cell(project, serial, design),
            nominal_capacity=nominal_capacity,
            mass=mass,
            columns=list(table.columns),
            rows=len(table),
            metadata=_json_safe({k: v for k, v in meta.items() if k != "source"}),
        )
        for name, values in table.columns.items():
            project.put_array(f"labrun/{run.id}/{name}", values)
        project.put(run)
        for spectrum in table.spectra:
            _store_spectrum(project, run, spectrum)
    return run


def _store_spectrum(project, parent: LabRun, spectrum: CyclerTable) -> LabRun:
    number = spectrum.metadata.get("spectrum", 1)
    run = LabRun(
        name=f"{parent.name} EIS {number}",
        source_file=parent.source_file,
        sha256=parent.sha256,
        format=parent.format,
        kind="impedance",
        instrument=parent.instrument,
        channel=parent.channel,
        start_time=parent.start_time,
        physical_cell=parent.physical_cell,
        columns=list(spectrum.columns),
        rows=len(spectrum),
        metadata=_json_safe(
            {k: v for k, v in spectrum.metadata.items() if k != "source"}
            | {"parent_run": parent.id}
        ),
    )
    for name, values in spectrum.columns.items():
        project.put_array(f"labrun/{run.id}/{name}", values)
    project.put(run)
    return run


def lab_files(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """(candidate data files, [(skipped file, why)]) of files and folders, folders walked
    recursively in name order; hidden files are ignored."""
    files, skipped = [], []
    for p in paths:
        found = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
        for f in found:
            if any(part.startswith(".") for part in f.relative_to(p).parts) and p.is_dir():
                continue
            why = not_data(f) if p.is_dir() else None
            (skipped.append((f, why)) if why else files.append(f))
    return files, skipped


def _checked(name: str, value: float | str | None, label: str | None = None) -> float | None:
    """``value`` read as LabRun's field ``name`` reads it, once, before any file: LabRun
    refused a bad one ("5 kg" for a capacity) file by file as a raw ValidationError, which
    reached the command line as an unexpected failure.

    Raises
    ------
    InputError
        Naming the field (or ``label``, what the user typed it into), what is wrong and the
        value given.
    """
    from pydantic import TypeAdapter, ValidationError

    from cellwright.projects.model import describe_validation_error

    try:
        return TypeAdapter(LabRun.model_fields[name].annotation).validate_python(value)
    except ValidationError as exc:
        raise describe_validation_error(exc, prefix=label or name) from None


def check_import_option(
    name: str, value: float | str | None, label: str | None = None
) -> float | None:
    """An import option (``"nominal_capacity"``, ``"mass"``) read as :func:`import_paths`
    reads it, so a form or the command line can refuse a bad one before the import starts.

    Parameters
    ----------
    name
        The LabRun field.
    value
        The value given.
    label
        What the user calls it (``"--capacity"``), for the message; default ``name``.

    Raises
    ------
    InputError
        Naming ``label``, what is wrong and the value given.
    """
    return _checked(name, value, label)


def import_paths(
    project,
    paths: list[str | Path],
    cell_serial: str | None = None,
    format: str | None = None,
    nominal_capacity: float | str | None = None,
    mapping: dict | str | None = None,
    progress: Callable[[float, str], None] | None = None,
    mass: float | str | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import files and whole folders as labs keep them; one line per file in the report.

    Licences, notes, images and settings files are skipped, not failed; a file that looks
    like data and cannot be read fails with a one-line reason and the others import anyway.
    ``cancelled()`` is polled between files and while a large file is parsed; a cancelled
    file leaves nothing stored.
    """
    nominal_capacity = _checked("nominal_capacity", nominal_capacity)
    mass = _checked("mass", mass)
    report = ImportReport()
    files, report.skipped = lab_files([Path(p) for p in paths])
    for n, path in enumerate(files):
        if cancelled is not None and cancelled():
            report.skipped += [(p, "cancelled") for p in files[n:]]
            break
        if progress is not None:
            progress(n / max(len(files), 1), f"reading {path.name}")
        inner = _file_progress(progress, cancelled, n, len(files), path.name)
        try:
            report.imported.append(
                import_file(
                    project,
                    path,
                    cell_serial,
                    format,
                    nominal_capacity,
                    mass=mass,
                    mapping=mapping,
                    progress=inner,
                )
            )
        except Cancelled:
            report.skipped += [(p, "cancelled") for p in files[n:]]
            break
        except LabDataError as exc:
            if "sidecar" in exc.detail:
                report.skipped.append((path, "companion file, read with its data file"))
            elif _not_data_after_reading(path, exc):
                report.skipped.append((path, f"not cycler data ({_reason(path, exc.detail)})"))
            else:
                report.failed.append((path, exc.detail))
        except InputError as exc:
            (report.skipped if "already imported" in str(exc) else report.failed).append(
                (path, exc.detail)
            )
    return report


def _file_progress(progress, cancelled, n: int, total: int, name: str):
    if progress is None and cancelled is None:
        return None

    def inner(fraction: float, message: str) -> None:
        if cancelled is not None and cancelled():
            raise Cancelled(f"{name}: import cancelled; nothing stored")
        if progress is not None:
            progress((n + fraction) / max(total, 1), f"{name}: {message}")

    return inner


def find_run(project, id_or_name: str) -> LabRun:
    """The lab run of this id or name. Two files of one stem (``mb.mpr`` and its text export
    ``mb.mpt``) are two runs of one name, not versions of one: the name alone is refused
    naming each (id and file), where the project's ``find`` took the one stored last and
    ``labdata summary mb`` gave one of two different tables without a word."""
    ids = project.ids_named("labrun", id_or_name)
    if id_or_name in ids or len(ids) < 2:
        return project.find("labrun", id_or_name)
    runs = [project.get("labrun", run_id) for run_id in ids]
    which = ", ".join(f"{run.id} ({Path(run.source_file).name})" for run in runs)
    raise InputError(
        f"{len(runs)} lab runs are named {id_or_name!r}: {which}; give the run's id "
        "(`cellwright labdata list`)"
    )


def load_run(project, run_id: str) -> CyclerTable:
    """The stored columns of a run, as a :class:`CyclerTable`."""
    run = project.get("labrun", run_id)
    columns = {name: project.get_array(f"labrun/{run.id}/{name}") for name in run.columns}
    return CyclerTable(columns, {**run.metadata, "source": run.source_file})
