"""Writing results to files: series as CSV, scalars and provenance as JSON, fields as VTU.

VTU files (one per mesh and output time, via meshio) come with a ParaView ``.pvd`` collection
that orders them in time, so a field opens in ParaView as an animation.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np

from cellwright.projects.model import Result

__all__ = [
    "export_result",
    "prepare_output_folder",
    "write_fields_vtu",
    "write_result_xlsx",
    "write_scalars_json",
    "write_series_csv",
]


def write_series_csv(result: Result, path: Path) -> Path:
    """All series of a result as columns of one CSV file."""
    from cellwright.projects.userfiles import writing

    names = list(result.series)
    with writing(path, "series CSV", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(names)
        writer.writerows(np.column_stack([result.series[n] for n in names]).tolist())
    return path


def write_scalars_json(result: Result, path: Path) -> Path:
    """Scalars, status and provenance as JSON."""
    data = {
        "name": result.name,
        "status": str(result.status),
        "message": result.message,
        "scalars": result.scalars,
        "provenance": result.provenance.model_dump(mode="json"),
    }
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")


def write_fields_vtu(
    result: Result,
    folder: Path,
    stem: str | None = None,
    report: Callable[[float | None, str], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> list[Path]:
    """One VTU per mesh and output time with every field on that mesh and its regions as
    ``set:<name>`` cell data, plus a .pvd index.

    Parameters
    ----------
    result
        The result whose fields are written.
    folder
        Where the files go (it exists).
    stem
        The files' common name (the ``.pvd`` the user chose: ``stem.pvd``, ``stem_00000.vtu``
        …, the mesh's name added when the result has several); default the mesh names, for a
        folder of the result's own. Two results exported into one folder under their own stems
        keep each other's files (under the mesh names the second overwrote the first).
    report, is_cancelled
        Progress (fraction, message) after each file, and a cancel flag polled before each: a
        cancelled export removes what it wrote and returns an empty list. A runaway's 157 steps
        take ~20 s (meshio's zlib), so the window runs this in the background.
    """
    import meshio

    from cellwright.engines.mesh.convert import set_arrays

    meshes = [(key, mesh, [f for f in result.fields if f.mesh == key])
              for key, mesh in result.meshes.items()]  # fmt: skip
    meshes = [(key, mesh, fields) for key, mesh, fields in meshes if fields]
    total = sum(len(fields[0].times) for _, _, fields in meshes) or 1
    written: list[Path] = []
    done = 0
    for mesh_key, mesh, fields in meshes:
        if stem is None:
            name = _safe(mesh_key)
        else:
            name = _safe(stem) + (f"_{_safe(mesh_key)}" if len(meshes) > 1 else "")
        times = fields[0].times
        cells = [(kind, conn) for kind, conn in mesh.cells.items()]
        regions = set_arrays(mesh, [kind for kind, _ in cells])  # named, so a re-import keeps them
        entries = []
        for k, t in enumerate(times):
            if is_cancelled is not None and is_cancelled():
                for path in written:
                    path.unlink(missing_ok=True)
                return []
            point_data = {f.name: f.values[k] for f in fields if f.association == "point"}
            cell_data = regions | {
                f.name: blocks
                for f in fields
                if f.association == "cell" and (blocks := _per_block(f.values[k], cells))
            }
            path = folder / f"{name}_{k:05d}.vtu"
            meshio.write(
                path, meshio.Mesh(mesh.points, cells, point_data=point_data, cell_data=cell_data)
            )
            entries.append(f'    <DataSet timestep="{t:.9g}" file="{path.name}"/>')
            written.append(path)
            done += 1
            if report is not None:
                report(done / total, f"{mesh_key}: step {k + 1} of {len(times)}")
        pvd = folder / f"{name}.pvd"
        pvd.write_text(
            '<?xml version="1.0"?>\n<VTKFile type="Collection" version="0.1">\n'
            "  <Collection>\n" + "\n".join(entries) + "\n  </Collection>\n"
            "</VTKFile>\n",
            encoding="utf-8",
        )
        written.append(pvd)
    return written


def _per_block(values: np.ndarray, cells: list[tuple[str, np.ndarray]]) -> list[np.ndarray]:
    """A cell field (one value per volume cell, as the field viewer shows it on the tetrahedra)
    as meshio's per-block arrays, NaN on the face blocks; empty if it fits no block. A mesh with
    faces beside its volume lost its cell fields (a crush's plastic strain) in the export."""
    values = np.asarray(values, dtype=float)
    volume = "tetra" if any(kind == "tetra" for kind, _ in cells) else cells[0][0]
    if len(values) != len(dict(cells)[volume]):
        return []
    return [values if kind == volume else np.full((len(conn), *values.shape[1:]), np.nan)
            for kind, conn in cells]  # fmt: skip


def prepare_output_folder(folder: Path) -> Path:
    """Create ``folder`` if needed and check it can be written, before any work is done.

    Raises
    ------
    InputError
        Naming the folder and the reason (permission denied, read-only, a file in the way …).
    """
    import os

    from cellwright.projects.model import InputError
    from cellwright.projects.userfiles import describe_os_error

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"output folder: {describe_os_error(exc, 'path')}", str(folder)) from None
    if not os.access(folder, os.W_OK):
        raise InputError("output folder: permission denied", str(folder))
    return folder


def export_result(result: Result, folder: Path) -> list[Path]:
    """Everything above into ``folder`` (created if needed)."""
    prepare_output_folder(folder)
    written = [write_scalars_json(result, folder / "scalars.json")]
    if result.series:
        written.append(write_series_csv(result, folder / "series.csv"))
    if result.fields:
        written += write_fields_vtu(result, folder)
    return written


def write_result_xlsx(result: Result, path: Path) -> Path:
    """A workbook of the result: its series (one column each), scalars and provenance."""
    from openpyxl import Workbook

    from cellwright.projects.model import InputError, unit_of

    book = Workbook()
    series = book.active
    series.title = "Series"
    names = list(result.series)
    series.append(names)
    if names:
        for row in np.column_stack([result.series[n] for n in names]).tolist():
            series.append(row)
    scalars = book.create_sheet("Scalars")
    scalars.append(["Quantity", "Value", "Unit"])
    for name, value in result.scalars.items():
        scalars.append([name.rsplit(" [", 1)[0], float(value), unit_of(name)])
    provenance = book.create_sheet("Provenance")
    for key, value in result.provenance.model_dump(mode="json").items():
        provenance.append([key, json.dumps(value) if isinstance(value, dict | list) else value])
    try:
        book.save(path)
    except OSError as exc:
        raise InputError(f"cannot write the workbook ({exc.strerror})", str(path)) from None
    return path
