"""Reading the seed files of the materials and cell library (resources/library).

``materials.csv`` names each material, ``material_properties.csv`` gives one sourced value per line
in whatever unit the source used (converted here to the canonical unit of
:data:`cellwright.projects.model.properties.PROPERTIES`), and ``cells.toml`` describes reference
cells. Errors name the file, the line and the field.
"""

from __future__ import annotations

import csv
import hashlib
import tomllib
from pathlib import Path

from pydantic import ValidationError

from cellwright.projects.model import InputError, Material, ReferenceCell, describe_validation_error
from cellwright.projects.model.properties import PROPERTIES
from cellwright.projects.tomltext import loads as toml_loads
from cellwright.projects.units import UnitError, to_unit

__all__ = ["LibraryError", "read_cells", "read_materials", "seed_version"]

SEED_FILES = ("materials.csv", "material_properties.csv", "cells.toml")


class LibraryError(InputError):
    """A seed file of the library is malformed."""


def seed_version(folder: Path) -> str:
    """Short SHA-256 over the seed files: the library version recorded in result provenance."""
    digest = hashlib.sha256()
    for name in SEED_FILES:
        digest.update(_read(folder / name).encode("utf-8"))
    return digest.hexdigest()[:12]


def _read(path: Path) -> str:
    """The text of a library file (UTF-8); a missing or unreadable file is a LibraryError."""
    from cellwright.projects.userfiles import read_text

    try:
        return read_text(path, "library file")
    except InputError as exc:
        raise LibraryError(exc.detail, exc.where) from None


def _rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a library CSV with their line numbers; the header must name ``required``."""
    import io

    reader = csv.DictReader(io.StringIO(_read(path), newline=""))
    try:
        header = reader.fieldnames or []
        missing = [name for name in required if name not in header]
        if missing:
            raise LibraryError(
                f"line 1: the header lacks {', '.join(missing)} (it has {', '.join(header)})",
                str(path),
            )
        rows = []
        for row in reader:
            if None in row:  # more cells than the header names
                raise LibraryError(
                    f"line {reader.line_num}: {len(header) + len(row[None])} fields, the header "
                    f"names {len(header)}",
                    str(path),
                )
            rows.append((reader.line_num, {k: v or "" for k, v in row.items()}))
        return rows
    except csv.Error as exc:
        raise LibraryError(f"line {reader.line_num}: not valid CSV ({exc})", str(path)) from None


def read_materials(folder: Path) -> list[Material]:
    """Materials with their sourced properties, converted to canonical units."""
    props_path = folder / "material_properties.csv"
    properties: dict[str, dict[str, dict[str, str | float]]] = {}
    for line, row in _rows(props_path, ("material_id", "property", "value", "unit", "source")):
        where = f"{props_path}:{line}"
        name = row.get("property") or ""
        if name not in PROPERTIES:
            raise LibraryError(f"field 'property': unknown property {name!r}", where)
        try:
            value = to_unit(f"{row['value']} {row['unit']}", PROPERTIES[name].unit)
        except (UnitError, KeyError, TypeError) as exc:
            raise LibraryError(f"field 'value'/'unit': {exc}", where) from None
        source = (row.get("source") or "").strip()
        if not source:
            raise LibraryError("field 'source': every value needs a source", where)
        properties.setdefault(row["material_id"], {})[name] = {
            "value": value,
            "unit": PROPERTIES[name].unit,
            "source": source,
            "note": row.get("note") or "",
        }
    materials_path = folder / "materials.csv"
    materials = []
    for line, row in _rows(materials_path, ("id", "name", "material_class")):
        try:
            materials.append(Material(properties=properties.pop(row.get("id", ""), {}), **row))
        except ValidationError as exc:
            raise describe_validation_error(exc, f"{materials_path}:{line}") from None
    if properties:
        raise LibraryError(
            f"properties for unknown materials: {', '.join(sorted(properties))}", str(props_path)
        )
    return materials


def read_cells(folder: Path) -> list[ReferenceCell]:
    """Reference cells from cells.toml."""
    path = folder / "cells.toml"
    text = _read(path)
    try:
        data = toml_loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LibraryError(f"not valid TOML: {exc}", str(path)) from None
    table = data.get("cells", {})
    if not isinstance(table, dict):
        raise LibraryError("'cells' must be a table of [cells.<id>] entries", str(path))
    cells = []
    for cell_id, values in table.items():
        if not isinstance(values, dict):
            raise LibraryError(f"cells.{cell_id}: must be a table ([cells.{cell_id}])", str(path))
        try:
            cells.append(ReferenceCell(id=cell_id, **values))
        except ValidationError as exc:
            line = next(
                (
                    n
                    for n, t in enumerate(text.splitlines(), 1)
                    if t.strip() == f"[cells.{cell_id}]"
                ),
                0,
            )
            raise describe_validation_error(exc, f"{path}:{line} [cells.{cell_id}]") from None
    return cells
