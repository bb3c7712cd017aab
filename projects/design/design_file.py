"""Design files: a cell or pack design as TOML (or JSON) that a person can write and read.

    format_version = 1

    [cell]
    name = "LFP 21700"
    from = "template:21700"          # start from a template, a library cell or another design
    [cell.positive]
    active_material = "lfp"
    coating_thickness = "80 um"      # numbers are SI; text may carry any unit

    [pack]
    name = "Module 14s3p"
    series = 14
    parallel = 3                     # its cell: the file's [cell], or `cell = "<id or name>"`

A table is read as the design's fields; with ``from`` it only changes what it names of the
starting design. Everything goes through the same validated models as the window and the CLI,
then every material is looked up in the library and the design is computed once, so a file that
does not describe a buildable design is refused with the file, the line and the field. See
docs/design-file.md.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from cellwright.projects.jsontext import key_lines
from cellwright.projects.jsontext import loads as json_loads
from cellwright.projects.model import CellDesign, InputError, PackDesign
from cellwright.projects.model.base import name_problem
from cellwright.projects.model.errors import FINITE, brief_repr, rule_message
from cellwright.projects.tomltext import line_of, where
from cellwright.projects.tomltext import loads as toml_loads

__all__ = [
    "FORMAT_VERSION",
    "DesignFile",
    "dumps_design",
    "loads_design",
    "read_design_file",
    "write_design_file",
]

FORMAT_VERSION = 1
_GEOMETRY_KINDS = {"cylindrical", "pouch", "prismatic"}


@dataclass(frozen=True)
class DesignFile:
    """What a design file holds: a cell design, a pack design, or both."""

    cell: CellDesign | None
    pack: PackDesign | None

    @property
    def designs(self) -> list[CellDesign | PackDesign]:
        """The designs in the file, cell first."""
        return [d for d in (self.cell, self.pack) if d is not None]


# -- reading ----------------------------------------------------------------------------------
def read_design_file(path: str | Path, project=None, library=None) -> DesignFile:
    """Read and check a design file (.toml or .json).

    Parameters
    ----------
    path
        The file.
    project
        The open project: ``from`` and a pack's ``cell`` may name its designs, and its library
        overrides are used; None for a file on its own.
    library
        The library (default: the built-in one).

    Raises
    ------
    InputError
        Naming the file, the line and the field.
    """
    from cellwright.projects.userfiles import read_text

    path = Path(path)
    return loads_design(read_text(path, "design file"), path, project, library)


def loads_design(text: str, path: str | Path, project=None, library=None) -> DesignFile:
    """Parse the text of a design file (TOML, or JSON when it starts with ``{`` or ``path``
    ends in ``.json``)."""
    from cellwright.projects.design.resolve import library_for

    data, is_toml = _parse(text, path)
    version = data.pop("format_version", FORMAT_VERSION)
    if type(version) is not int or version != FORMAT_VERSION:  # true == 1, so a plain int only
        newer = type(version) is int and version > FORMAT_VERSION
        raise InputError(
            f"format_version {version!r}: "
            + (
                "the file is of a newer format; this Cellwright reads design files of version "
                f"{FORMAT_VERSION} (update Cellwright to read it)"
                if newer
                else f"must be the integer {FORMAT_VERSION}"
            ),
            where(path, line_of(text, "format_version") if is_toml else 0),
        )
    unknown = sorted(set(data) - {"cell", "pack"})
    if unknown or not data:
        first = unknown[0] if unknown else ""
        raise InputError(
            f"{'[' + first + '] ' if first else ''}a design file holds a [cell] table, a [pack] "
            "table, or both",
            where(path, line_of(text, first) if is_toml and first else 0),
        )
    library = library_for(project, library)
    context = _Context(text if is_toml else "", path, project, library,
                       None if is_toml else key_lines(text))  # fmt: skip
    cell = _cell(data["cell"], context) if "cell" in data else None
    pack = _pack(data["pack"], cell, context) if "pack" in data else None
    return DesignFile(cell, pack)


def _parse(text: str, path) -> tuple[dict[str, Any], bool]:
    # a .json file is JSON whatever it starts with: "[1, 2]" was refused as "not valid TOML"
    if text.lstrip().startswith("{") or Path(path).suffix.lower() == ".json":
        try:
            data = json_loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {exc.lineno}: not valid JSON ({exc.msg})", str(path)) from None
        if not isinstance(data, dict):
            raise InputError("a JSON design file is an object with cell and/or pack", str(path))
        return data, False
    try:
        return toml_loads(text), True
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", str(path)) from None


@dataclass(frozen=True)
class _Context:
    text: str  # TOML text for line numbers ("" for JSON)
    path: Any
    project: Any
    library: Any
    json_lines: dict[tuple[str, ...], int] | None = None  # a JSON file's key lines

    def at(self, table: str, loc: tuple = ()) -> str:
        """file:line of field ``loc`` (a path of keys) under ``[table]``."""
        keys = [str(k) for k in loc if not isinstance(k, int) and str(k) not in _GEOMETRY_KINDS]
        line = 0
        if self.json_lines is not None:
            for depth in range(len(keys), -1, -1):  # the deepest key that is written in the file
                line = self.json_lines.get((table, *keys[:depth]), 0)
                if line:
                    break
        elif self.text:
            for depth in range(len(keys), 0, -1):  # the deepest key that is written in the file
                parent = ".".join([table, *keys[: depth - 1]])
                line = line_of(self.text, keys[depth - 1], parent)
                if line:
                    break
            line = line or line_of(self.text, table)
        return where(self.path, line)


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            value = _merge(out[key], value)
        out[key] = value
    return out


def _model_at(cls: type[BaseModel], loc: tuple) -> type[BaseModel]:
    """The model class that holds the field at ``loc`` (following nested parts and the
    geometry's kind tag)."""
    from typing import get_args

    def models(annotation) -> list[type[BaseModel]]:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return [annotation]
        return [m for arg in get_args(annotation) for m in models(arg)]

    for i, key in enumerate(loc[:-1]):
        field = cls.model_fields.get(str(key))
        if field is None:
            break
        found = models(field.annotation)
        tag = str(loc[i + 1]) if i + 1 < len(loc) else ""
        tagged = [
            m for m in found if m.model_fields.get("kind") and m.model_fields["kind"].default == tag
        ]
        cls = (tagged or found or [cls])[0]
    return cls


def _validate(cls: type[BaseModel], data: dict[str, Any], table: str, context: _Context):
    import difflib
    import re

    try:
        validated = cls.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = tuple(err.get("loc", ()))
        message = rule_message(err)
        named = re.match(r"^(\w+): ", message)
        if not loc and named and named.group(1) in cls.model_fields:  # a rule between fields
            loc, message = (named.group(1),), message[named.end() :]
        if err.get("type") == "missing":
            message = "required field is missing"
        elif err.get("type") == "extra_forbidden":
            owner = _model_at(cls, loc)
            close = difflib.get_close_matches(str(loc[-1]), list(owner.model_fields), n=2)
            hint = f"did you mean {' or '.join(close)}? " if close else ""
            message = (
                f"unknown field; {hint}{_a(owner.__name__)} has: {', '.join(owner.model_fields)}"
            )
        elif err.get("type") in _BOUNDS and loc and message != FINITE:
            message = _bound_message(message, err, _model_at(cls, loc), str(loc[-1]))
        field = ".".join([table, *(str(k) for k in loc if str(k) not in _GEOMETRY_KINDS)])
        raise InputError(f"{field}: {message}", context.at(table, loc)) from None
    from cellwright.projects.model.errors import bools_read_as_numbers

    for loc, value in bools_read_as_numbers(data, validated):  # "parallel = true" was 1
        field = ".".join([table, *(str(k) for k in loc)])
        raise InputError(f"{field}: a number is needed, not {str(value).lower()}",
                         context.at(table, loc))  # fmt: skip
    problem = name_problem(getattr(validated, "name", "x"))
    if problem:
        raise InputError(f"{table}.name: {problem}", context.at(table, ("name",)))
    return validated


#: pydantic's error types of a number outside a field's range
_BOUNDS = ("greater_than", "greater_than_equal", "less_than", "less_than_equal")


def _bound_message(message: str, err: Any, owner: type[BaseModel], name: str) -> str:
    """A range error with the field's unit and the value given: "less than or equal to 0.1"
    alone does not say that 0.1 is in metres, nor that "2 m" was read as 2 m."""
    from cellwright.projects.model.base import Unit

    info = owner.model_fields.get(name)
    unit = next((m.unit for m in info.metadata if isinstance(m, Unit)), "") if info else ""
    if unit and unit != "1":
        message = f"{message} {unit}"
    return f"{message} (got {brief_repr(err.get('input'))})"


def _start(spec: str, changes: dict[str, Any], context: _Context) -> CellDesign:
    """The design a ``from`` names, with a changed active material applied the way the
    builder applies it (its lithiation window and the voltage window go with the old
    material; see :func:`~cellwright.projects.design.authoring.with_active_material`)."""
    from cellwright.projects.design.authoring import start_point, with_active_material

    try:
        design = start_point(spec, context.project, context.library)
    except InputError as exc:
        raise InputError(f"cell.from: {exc.detail}", context.at("cell", ("from",))) from None
    for side in ("positive", "negative"):
        wanted = (changes.get(side) or {}).get("active_material")
        current = getattr(design, side)
        if wanted and current is not None and wanted != current.active_material:
            try:
                design = with_active_material(design, side, str(wanted), context.library)
            except InputError as exc:
                keys = (side, "active_material")
                raise InputError(f"cell.{exc.detail}", context.at("cell", keys)) from None
    return design


def _cell(table: Any, context: _Context) -> CellDesign:
    if not isinstance(table, dict):
        raise InputError("cell: must be a table ([cell])", context.at("cell"))
    table = dict(table)
    start = table.pop("from", None)
    if start:
        from cellwright.projects.design.authoring import with_solid_kept

        begun = _start(str(start), table, context)
        data = _merge(begun.model_dump(exclude={"id", "name", "notes"}), table)
        # a porosity the file changes keeps the solid's make-up (authoring.with_solid_kept)
        explicit = [side for side in ("positive", "negative")
                    if "active_volume_fraction" in (table.get(side) or {})]  # fmt: skip
        with_solid_kept(begun, data, explicit)
    else:
        data = table
    cell = _validate(CellDesign, data, "cell", context)
    _check_parameter_set(cell, table, context)
    _check_materials(cell, "cell", context)
    _check_buildable(cell, "cell", context)
    return cell


def _check_parameter_set(cell: CellDesign, table: dict[str, Any], context: _Context) -> None:
    """A set the file names must be one the installed PyBaMM offers: a misspelt name was
    stored and failed only when a study ran on the design."""
    from cellwright.projects.library import lithium_ion_parameter_sets

    name = table.get("pybamm_parameter_set")
    known = lithium_ion_parameter_sets()
    if name is not None and cell.pybamm_parameter_set not in known:
        raise InputError(
            f"cell.pybamm_parameter_set: unknown PyBaMM parameter set {name!r}; known: "
            f"{', '.join(known)}",
            context.at("cell", ("pybamm_parameter_set",)),
        )


def _pack(table: Any, cell: CellDesign | None, context: _Context) -> PackDesign:
    if not isinstance(table, dict):
        raise InputError("pack: must be a table ([pack])", context.at("pack"))
    data = dict(table)
    if "cell" not in data:
        if cell is None:
            raise InputError(
                "pack.cell: name the pack's cell (a cell design of the project or a library cell "
                "id), or put a [cell] table in the same file",
                context.at("pack"),
            )
        data["cell"] = cell.id
    pack = _validate(PackDesign, data, "pack", context)
    if cell is not None and pack.cell == cell.name != cell.id:
        pack = pack.model_copy(update={"cell": cell.id})  # the file's own cell, by its name
    if cell is None or pack.cell != cell.id:
        pack = _check_pack_cell(pack, context)
    _check_materials(pack, "pack", context)
    _check_buildable(pack, "pack", context, cell)
    return pack


def _check_pack_cell(pack: PackDesign, context: _Context) -> PackDesign:
    """``pack`` naming its cell by id: a project cell design found by its name is stored by its
    id, so renaming that design later does not leave the pack without its cell."""
    if context.project is not None:
        try:
            found = context.project.find("cell", pack.cell)
        except InputError:
            pass
        else:
            return pack if found.id == pack.cell else pack.model_copy(update={"cell": found.id})
    try:
        context.library.cell(pack.cell)
        return pack
    except InputError as exc:
        raise InputError(
            f"pack.cell: {exc.detail} (nor a cell design of the project)",
            context.at("pack", ("cell",)),
        ) from None


def _check_materials(design: CellDesign | PackDesign, table: str, context: _Context) -> None:
    from cellwright.projects.design.material_fields import material_fields

    for path, material_id, wanted in material_fields(design):
        try:
            material = context.library.material(material_id)
        except InputError as exc:
            raise InputError(
                f"{table}.{path}: {exc.detail}", context.at(table, tuple(path.split(".")))
            ) from None
        if wanted and str(material.material_class) not in wanted:
            raise InputError(
                f"{table}.{path}: {material_id!r} is {_a(material.material_class)} material; "
                f"this field takes {' or '.join(wanted)}",
                context.at(table, tuple(path.split("."))),
            )


def _a(word: object) -> str:
    """``word`` with its indefinite article: "an anode_active", "a separator"."""
    return f"{'an' if str(word)[:1].lower() in 'aeiou' else 'a'} {word}"


def _check_buildable(design, table: str, context: _Context, cell: CellDesign | None = None):
    """Compute the design once: a stack that does not fit its can is refused here."""
    from cellwright.projects.design import design_report
    from cellwright.projects.design.resolve import design_snapshot

    try:
        if isinstance(design, PackDesign) and cell is not None and design.cell == cell.id:
            snapshot = context.library.snapshot_for(cell, design)
        elif isinstance(design, CellDesign) and design.geometry is None:
            return  # figures come from the reference cell, nothing to build
        else:
            snapshot = design_snapshot(design, context.project, context.library)
        design_report(design, snapshot)
    except InputError as exc:
        detail = exc.detail
        field = detail.split(":", 1)[0] if ":" in detail else ""
        keys = tuple(field.split(".")) if field and " " not in field else ()
        raise InputError(f"{table}.{detail}", context.at(table, keys)) from None


# -- writing ----------------------------------------------------------------------------------
def dumps_design(
    cell: CellDesign | None = None, pack: PackDesign | None = None, fmt: str = "toml"
) -> str:
    """The text of a design file holding ``cell`` and/or ``pack`` (``fmt``: toml or json).

    Every field is written, numbers in SI with their unit as a comment, so reading the file
    back gives the same design.
    """
    if cell is None and pack is None:
        raise InputError("nothing to write: give a cell or a pack design")
    if fmt == "json":
        data: dict[str, Any] = {"format_version": FORMAT_VERSION}
        if cell is not None:
            data["cell"] = cell.model_dump(mode="json", exclude_none=True)
        if pack is not None:
            data["pack"] = pack.model_dump(mode="json", exclude_none=True)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    from cellwright.projects.design.toml_writer import model_tables

    lines = [
        "# Cellwright design file (docs/design-file.md); numbers are SI, units in comments",
        f"format_version = {FORMAT_VERSION}",
    ]
    if cell is not None:
        lines += ["", *model_tables(cell, "cell")]
    if pack is not None:
        lines += ["", *model_tables(pack, "pack")]
    return "\n".join(lines) + "\n"


def write_design_file(
    path: str | Path, cell: CellDesign | None = None, pack: PackDesign | None = None
) -> Path:
    """Write a design file; the format follows the suffix (.toml or .json).

    Raises
    ------
    InputError
        For another suffix (a design file named ``x.exe`` holding TOML would be read back by
        nothing that trusts suffixes), or a folder that is missing or not writable.
    """
    from cellwright.projects.userfiles import check_writable, writing

    path = check_writable(path, "design file", (".toml", ".json"))
    text = dumps_design(cell, pack, "json" if path.suffix.lower() == ".json" else "toml")
    with writing(path, "design file") as fh:
        fh.write(text)
    return path
