"""Study files: a TOML description of one study (engine, design, spec).

    [study]
    name = "LG M50 1C discharge"
    engine = "electrochem.pybamm_discharge"
    [design]
    library_cell = "lg-m50"        # or: cell = "<id or name of a cell design in the project>"
    [spec]
    model = "DFN"
    c_rate = 1.0
    ambient_temperature = "25 degC"

Every problem is reported with the file, the line and the field, and what is allowed.
See docs/study-file.md.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cellwright.projects.design.design_file import DesignFile
from cellwright.projects.model import CellDesign, DesignRef, InputError, Study
from cellwright.projects.model.errors import (
    FINITE,
    bools_read_as_numbers,
    brief_repr,
    nonfinite_numbers,
    rule_message,
)
from cellwright.projects.tomltext import line_of, where
from cellwright.projects.tomltext import loads as toml_loads

__all__ = ["StudyFile", "read_study_file"]

_DESIGN_KEYS = {"library_cell": "library_cell", "cell": "cell", "pack": "pack", "file": "file"}


@dataclass(frozen=True)
class StudyFile:
    """A parsed, validated study file; ``designs`` holds a design file's designs when
    ``[design] file = …`` names one (the study refers to its pack, else its cell)."""

    path: Path
    study: Study
    text: str
    designs: DesignFile | None = None
    #: ``[trigger]`` of a runaway study started by a squeeze's short (app/chains.py)
    trigger: dict[str, Any] | None = None


_line_of, _where = line_of, where


def read_study_file(path: str | Path) -> StudyFile:
    """Parse and validate a study file (engine id, design reference and spec).

    Raises
    ------
    InputError
        Naming the file, the line and the field.
    """
    from cellwright.engines.api import load_engine
    from cellwright.projects.userfiles import read_text

    path = Path(path)
    text = read_text(path, "study file")
    try:
        data = toml_loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", str(path)) from None
    for table in ("study", "design"):
        if not isinstance(data.get(table), dict):
            raise InputError(f"missing [{table}] table", str(path))
    unknown = set(data) - {"study", "design", "spec", "trigger"}
    if unknown:
        raise InputError(
            f"unknown table(s) {sorted(unknown)}; allowed: [study], [design], [spec], [trigger]",
            str(path),
        )
    study_table = data["study"]
    _check_study_table(study_table, path, text)
    engine_id = study_table.get("engine")
    if not engine_id:
        raise InputError(
            "[study] engine: required field is missing", _where(path, _line_of(text, "study"))
        )
    try:
        engine = load_engine(engine_id)
    except InputError as exc:
        raise InputError(
            f"[study] engine: {exc.detail}", _where(path, _line_of(text, "engine", "study"))
        ) from None
    trigger = _trigger(data, engine_id, path, text)
    design, designs = _design_ref(data["design"], path, text)
    spec = _files_beside(data.get("spec", {}), path.parent)
    _check_spec(engine, spec, path, text)
    try:
        study = Study(
            name=study_table.get("name") or path.stem,
            engine=engine_id,
            spec=spec,
            design=design,
            notes=study_table.get("notes", ""),
        )
    except ValidationError as exc:
        raise InputError(f"[study]: {exc.errors()[0]['msg']}", str(path)) from None
    return StudyFile(path, study, text, designs, trigger)


#: the fields of ``[study]``; each is text
_STUDY_KEYS = ("name", "engine", "notes")


def _check_study_table(table: dict[str, Any], path: Path, text: str) -> None:
    """Refuse an unknown or non-text field of ``[study]``: a misspelt ``note`` was dropped
    without a word, and ``name = 3`` was refused without naming the field or its line."""
    for key, value in table.items():
        at = _where(path, _line_of(text, key, "study"))
        if key not in _STUDY_KEYS:
            raise InputError(
                f"[study] {key}: unknown field; [study] has: {', '.join(_STUDY_KEYS)}", at
            )
        if not isinstance(value, str):
            raise InputError(f"[study] {key}: must be text in quotes (got {value!r})", at)


#: spec fields that may name a file (besides every ``…file`` field): a drive cycle or a
#: vibration profile is a built-in name or a CSV path
_FILE_FIELDS = ("drive_cycle", "profile")


def _files_beside(spec: Any, folder: Path) -> Any:
    """``spec`` with each relative file path that names a file beside the study file made
    absolute, as ``[design] file`` is read: a study file runs the same from any folder. A path
    with no such file beside it is left as given (taken from the current folder, as before),
    and so is a built-in name (``drive_cycle = "US06"``)."""
    if isinstance(spec, list):
        return [_files_beside(item, folder) for item in spec]
    if not isinstance(spec, dict):
        return spec
    out = {}
    for key, value in spec.items():
        if (
            isinstance(value, str)
            and (key.endswith("file") or key in _FILE_FIELDS)
            and value
            and not Path(value).is_absolute()
            and (folder / value).is_file()
        ):
            value = str((folder / value).resolve())
        out[key] = _files_beside(value, folder)
    return out


def _trigger(data: dict[str, Any], engine_id: str, path: Path, text: str) -> dict | None:
    """The ``[trigger]`` table: only a runaway study can start from another study's short."""
    trigger = data.get("trigger")
    if trigger is None:
        return None
    line = _where(path, _line_of(text, "trigger"))
    if engine_id != "thermal.runaway":
        raise InputError(f"[trigger]: only a thermal.runaway study has a trigger, not {engine_id}",
                         line)  # fmt: skip
    if not isinstance(trigger, dict) or not isinstance(trigger.get("after"), str):
        raise InputError("[trigger] after: name the crush study whose short starts this one", line)
    return trigger


def _design_ref(
    table: dict[str, Any], path: Path, text: str
) -> tuple[DesignRef, DesignFile | None]:
    given = [k for k in table if k in _DESIGN_KEYS]
    extra = [k for k in table if k not in _DESIGN_KEYS]
    if extra:
        raise InputError(
            f"[design] {extra[0]}: unknown field; use one of {', '.join(_DESIGN_KEYS)}",
            _where(path, _line_of(text, extra[0])),
        )
    if len(given) != 1:
        raise InputError(
            "[design] needs exactly one of library_cell, cell, pack or file",
            _where(path, _line_of(text, "design")),
        )
    value = table[given[0]]
    if not isinstance(value, str) or not value:
        # str() turned ["lg-m50"] into the id "['lg-m50']"
        raise InputError(
            f"[design] {given[0]}: must be one id or name in quotes (got {value!r})",
            _where(path, _line_of(text, given[0], "design")),
        )
    if given[0] != "file":
        return DesignRef(kind=_DESIGN_KEYS[given[0]], id=value), None
    from cellwright.projects.design.design_file import read_design_file

    design_path = path.parent / value  # relative to the study file
    try:
        designs = read_design_file(design_path)
    except InputError as exc:
        line = _line_of(text, "file", "design")
        raise InputError(f"[design] file: {exc}", _where(path, line)) from None
    target = designs.pack or designs.cell
    kind = "pack" if designs.pack is not None else "cell"
    return DesignRef(kind=kind, id=target.id), designs


def matched_to_project(
    design: DesignRef, designs: DesignFile | None, project: Any
) -> tuple[DesignRef, DesignFile | None]:
    """A study's design file's designs with the ids of the project's designs of their names
    (:func:`cellwright.projects.store.names.matched_by_name`), and its design reference with
    them: the same file run again is the same design again, not a second of the same name."""
    if designs is None or project is None:
        return design, designs
    from cellwright.projects.store.names import matched_by_name

    matched = matched_by_name(project, designs.designs)
    ids = {old.id: new.id for old, new in zip(designs.designs, matched, strict=True)}
    cell = next((d for d in matched if isinstance(d, CellDesign)), None)
    pack = next((d for d in matched if not isinstance(d, CellDesign)), None)
    return design.model_copy(update={"id": ids.get(design.id, design.id)}), DesignFile(cell, pack)


def _check_spec(engine: Any, spec: dict[str, Any], path: Path, text: str) -> None:
    try:
        model = engine.Spec.model_validate(spec)
    except ValidationError as exc:
        problems = []
        first_line = 0
        for err in exc.errors(include_url=False):
            loc = [str(p) for p in err.get("loc", ())]
            key = loc[0] if loc else ""
            # an error of the spec as a whole (one of two fields needed) is at its [spec]
            line = _line_of(text, key, "spec") if key else _line_of(text, "spec")
            first_line = first_line or line
            msg = rule_message(err)
            if err.get("type") == "missing":
                msg = "required field is missing"
            elif err.get("type") == "extra_forbidden":
                allowed = ", ".join(engine.Spec.model_fields)
                msg = f"unknown field; {engine.id} accepts: {allowed}"
            value = err.get("input")
            shown = (  # a unit's message quotes the value itself ("'25 kg' cannot be …")
                ""
                if err.get("type") == "missing" or isinstance(value, dict) or repr(value) in msg
                else (f" (got {brief_repr(value)})")
            )
            field = ".".join(["spec", *loc]) if loc else "spec"
            at = f"line {line}: " if line else ""
            problems.append(f"{at}{field}: {msg}{shown}")
        raise InputError("; ".join(problems), str(path)) from None
    for loc, value in bools_read_as_numbers(spec, model):
        line = _line_of(text, str(loc[0]), "spec")
        at = f"line {line}: " if line else ""
        field = ".".join(["spec", *map(str, loc)])
        raise InputError(f"{at}{field}: a number is needed, not {str(value).lower()}", str(path))
    for loc, number in nonfinite_numbers(model):  # a field without bounds took nan silently
        line = _line_of(text, str(loc[0]), "spec")
        at = f"line {line}: " if line else ""
        field = ".".join(["spec", *map(str, loc)])
        raise InputError(f"{at}{field}: {FINITE} (got {number})", str(path))
