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
from cellwright.projects.units import UnitError, to_unit

__all__ = ["LibraryError", "read_cells", "read_materials", "seed_version"]

SEED_FILES = ("materials.csv", "material_properties.csv", "cells.toml")


class LibraryError(InputError):
    """A seed file of the library is malformed."""


def seed_version(folder: Path) -> str:
    """Short SHA-256 over the seed files: the library version recorded in result provenance."""
    digest = hashlib.sha256()
    for name in SEED_FILES:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:12]


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            return [(reader.line_num, row) for row in reader]
    except FileNotFoundError:
        raise LibraryError("seed file is missing", str(path)) from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise LibraryError(f"cannot be read as CSV: {exc}", str(path)) from None


def read_materials(folder: Path) -> list[Material]:
    """Materials with their sourced properties, converted to canonical units."""
    props_path = folder / "material_properties.csv"
    properties: dict[str, dict[str, dict[str, str | float]]] = {}
    for line, row in _rows(props_path):
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
    for line, row in _rows(materials_path):
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
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except FileNotFoundError:
        raise LibraryError("seed file is missing", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise LibraryError(f"not valid TOML: {exc}", str(path)) from None
    cells = []
    for cell_id, values in data.get("cells", {}).items():
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
