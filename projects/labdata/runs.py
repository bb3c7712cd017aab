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

from cellwright.projects.labdata.detect import read_cycler_file
from cellwright.projects.labdata.table import CyclerTable, LabDataError
from cellwright.projects.model import InputError, LabRun, PhysicalCell

__all__ = ["ImportReport", "import_file", "import_paths", "load_run"]

_SKIP = {".md", ".txt~", ".json"}


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
    mapping: dict | None = None,
) -> LabRun:
    """Import one cycler file into ``project``.

    Raises
    ------
    LabDataError
        The file cannot be read (the message names the file and the position).
    InputError
        The same file (same bytes) is already in the project.
    """
    path = Path(path)
    digest = _sha256(path)
    for run in project.list("labrun"):
        if run.sha256 == digest:
            raise InputError(f"already imported as run {run.id} ({run.name})", str(path))
    # read fully before writing anything
    table = read_cycler_file(path, format=format, mapping=mapping)
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
    return run


def _files(paths: list[Path]) -> list[Path]:
    out = []
    for p in paths:
        if p.is_dir():
            out += sorted(
                f
                for f in p.rglob("*")
                if f.is_file() and f.suffix not in _SKIP and not f.name.startswith(".")
            )
        else:
            out.append(p)
    return out


def import_paths(
    project,
    paths: list[str | Path],
    cell_serial: str | None = None,
    format: str | None = None,
    nominal_capacity: float | str | None = None,
    mapping: dict | None = None,
    progress: Callable[[float, str], None] | None = None,
    mass: float | str | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import files and whole folders; one line per file in the report."""
    report = ImportReport()
    files = _files([Path(p) for p in paths])
    for n, path in enumerate(files):
        if cancelled is not None and cancelled():
            report.skipped += [(p, "cancelled") for p in files[n:]]
            break
        if progress is not None:
            progress(n / max(len(files), 1), f"reading {path.name}")
        try:
            report.imported.append(
                import_file(
                    project, path, cell_serial, format, nominal_capacity, mass=mass, mapping=mapping
                )
            )
        except LabDataError as exc:
            # a metadata sidecar belongs to the data file beside it, which carries its content
            (report.skipped if "sidecar" in exc.detail else report.failed).append(
                (path, exc.detail)
            )
        except InputError as exc:
            (report.skipped if "already imported" in str(exc) else report.failed).append(
                (path, exc.detail)
            )
    return report


def load_run(project, run_id: str) -> CyclerTable:
    """The stored columns of a run, as a :class:`CyclerTable`."""
    run = project.get("labrun", run_id)
    columns = {name: project.get_array(f"labrun/{run.id}/{name}") for name in run.columns}
    return CyclerTable(columns, {**run.metadata, "source": run.source_file})
