"""Design-study files: a study file (``[study]``, ``[design]``, ``[spec]``) plus what varies.

    [sampler]
    kind = "lhs"                     # factorial, lhs, sobol, tpe, nsga2
    points = 16
    seed = 1

    [[inputs]]
    path = "design.positive.coating_thickness"
    low = "60 um"                    # numbers in the field's unit, or text with a unit
    high = "90 um"

    [[objectives]]
    output = "Specific energy [W.h.kg-1]"
    direction = "maximize"

    [[constraints]]
    output = "Capacity utilisation [1]"
    min = 0.8

Every problem is reported with the file, the line and the field (docs/study-file.md, "Design
studies").
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cellwright.app.study_file import _check_spec, _design_ref, matched_to_project
from cellwright.projects.design.design_file import DesignFile
from cellwright.projects.model import DesignSnapshot, DesignStudy, InputError
from cellwright.projects.model.errors import brief_repr, rule_message
from cellwright.projects.tomltext import line_of, where
from cellwright.projects.tomltext import loads as toml_loads

__all__ = ["DesignStudyFile", "read_design_study_file"]

_TABLES = ("study", "design", "spec", "sampler", "inputs", "objectives", "constraints")


@dataclass(frozen=True)
class DesignStudyFile:
    """A parsed, validated design-study file and the base design it runs on."""

    path: Path
    study: DesignStudy
    snapshot: DesignSnapshot
    designs: DesignFile | None = None


def _input_line(text: str, item_path: str) -> int:
    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.replace(" ", "")
        if stripped.startswith(("path=", '"path"=')) and f'"{item_path}"' in stripped:
            return n
    return line_of(text, "inputs")


def _base_spec(engine: Any, spec: Any, items: list, path: Path, text: str) -> Any:
    """The ``[spec]`` checked as the points will run it: when it is refused as written, with
    each field an input varies and it leaves out at the input's first value. A field the
    engine needs (electrochem.ecm's c_rate, current or profile) was refused in the base spec
    ("give exactly one of …") though every point gives it."""
    try:
        _check_spec(engine, spec, path, text)
        return spec
    except InputError:
        filled = _with_varied_fields(spec, items)
        if filled == spec:
            raise
    _check_spec(engine, filled, path, text)
    return filled


def _with_varied_fields(spec: Any, items: list[dict[str, Any]]) -> Any:
    """``spec`` with each top-level field an input varies, and ``spec`` leaves out, at the
    input's first value."""
    if not isinstance(spec, dict):
        return spec
    filled = dict(spec)
    for item in items:
        parts = str(item.get("path", "")).split(".")
        if len(parts) != 2 or parts[0] != "spec" or parts[1] in filled:
            continue
        values = item.get("values")
        first = values[0] if isinstance(values, list) and values else item.get("low")
        if first is not None:
            filled[parts[1]] = first
    return filled


def _convert_units(items: list[dict[str, Any]], infos: dict[str, Any]) -> list[dict[str, Any]]:
    """Text with a unit ("60 um") in low/high/values, converted into the field's unit."""
    from cellwright.projects.units import UnitError, looks_numeric, to_unit

    out = []
    for item in items:
        info = infos.get(item.get("path", ""))
        item = dict(item)
        for key in ("low", "high"):
            if isinstance(item.get(key), str) and info is not None:
                try:
                    item[key] = to_unit(item[key], info.unit or "1")
                except UnitError as exc:
                    raise InputError(f"{item['path']}: {key}: {exc}") from None
        if isinstance(item.get("values"), list) and info is not None and not info.choices:
            try:
                item["values"] = [
                    to_unit(v, info.unit or "1") if isinstance(v, str) and not looks_numeric(v)
                    else v
                    for v in item["values"]
                ]  # fmt: skip
            except UnitError as exc:
                raise InputError(f"{item['path']}: values: {exc}") from None
        if info is not None and info.unit:
            item["unit"] = info.unit
        out.append(item)
    return out


#: the fields of a design study's ``[study]`` table
_STUDY_KEYS = ("name", "engine", "notes", "outputs", "sensitivity")


def _check_shapes(data: dict[str, Any], path: Path, text: str) -> None:
    """Refuse a table written in the wrong form before its contents are read: ``[inputs]``
    for ``[[inputs]]`` failed as "'str' object has no attribute 'get'", and an unknown
    ``[study]`` field was dropped without a word."""
    for key in data["study"]:
        if key not in _STUDY_KEYS:
            raise InputError(
                f"[study] {key}: unknown field; [study] has: {', '.join(_STUDY_KEYS)}",
                where(path, line_of(text, key, "study")),
            )
    if not isinstance(data.get("sampler", {}), dict):
        raise InputError("sampler: must be a table ([sampler])",
                         where(path, line_of(text, "sampler")))  # fmt: skip
    for table in ("inputs", "objectives", "constraints"):
        items = data.get(table, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise InputError(
                f"{table}: write each as a table of its own, [[{table}]] (double brackets)",
                where(path, line_of(text, table)),
            )


def _study(data: dict[str, Any], design, path: Path, text: str) -> DesignStudy:
    study_table, sampler = data.get("study", {}), data.get("sampler", {})
    unknown = set(sampler) - {"kind", "points", "seed"}
    if unknown:
        key = sorted(unknown)[0]
        raise InputError(
            f"[sampler] {key}: unknown field; use kind, points, seed",
            where(path, line_of(text, key, "sampler")),
        )
    if sampler.get("kind") == "factorial" and "points" in sampler:
        # the grid is every combination of the inputs' levels or values: points = 100 was
        # dropped without a word, and the study ran its 3 (levels) per input instead
        raise InputError(
            "[sampler] points: a factorial grid has no number of points; it runs every "
            "combination of each input's values, or of its levels (3 unless given) on a range",
            where(path, line_of(text, "points", "sampler")),
        )
    seed = sampler.get("seed", 0)
    if type(seed) is int and seed < 0:
        # the sampler's random generator refused it once the workers had started, as an
        # "unexpected failure: expected non-negative integer"; checked here, not in the model,
        # so a study stored before still opens
        raise InputError(f"[sampler] seed: must be 0 or more (got {seed})",
                         where(path, line_of(text, "seed", "sampler")))  # fmt: skip
    try:
        return DesignStudy(
            name=study_table.get("name") or path.stem,
            engine=study_table["engine"],
            spec=data.get("spec", {}),
            design=design,
            inputs=data.get("inputs", []),
            sampler=sampler.get("kind", "lhs"),
            points=sampler.get("points", 16),
            seed=sampler.get("seed", 0),
            outputs=study_table.get("outputs", []),
            objectives=data.get("objectives", []),
            constraints=data.get("constraints", []),
            notes=study_table.get("notes", ""),
            sensitivity=study_table.get("sensitivity", False),
        )
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        # pydantic names the member of a union that refused ("values.1.float"): not a field
        loc = [str(p) for p in err.get("loc", ()) if p not in _UNION_MEMBERS]
        msg = rule_message(err)
        line = 0
        if loc and loc[0] == "inputs" and len(loc) > 1:
            items = data.get("inputs", [])
            k = int(loc[1]) if loc[1].isdigit() else 0
            line = _input_line(text, items[k].get("path", "")) if k < len(items) else 0
            field = f"[[inputs]] {'.'.join(loc[2:])}".rstrip(". ")
        elif loc and loc[0] in ("objectives", "constraints") and len(loc) > 1:
            # an array of tables: "[[constraints]] min", at the line in that item (it read
            # "[constraints] constraints.0.min", at the first line naming "constraints")
            k = int(loc[1]) if loc[1].isdigit() else 0
            line = _item_line(text, loc[0], k, loc[2] if len(loc) > 2 else "")
            field = f"[[{loc[0]}]] {'.'.join(loc[2:])}".rstrip(". ")
        else:
            table = {"points": "sampler", "seed": "sampler", "sampler": "sampler"}.get(
                loc[0] if loc else "", loc[0] if loc else "study"
            )
            line = line_of(text, "kind" if loc and loc[0] == "sampler" else (loc or [""])[0])
            if loc and loc[0] == "sampler":  # DesignStudy.sampler is [sampler] kind
                loc = ["kind", *loc[1:]]
            field = f"[{table}] {'.'.join(loc)}" if loc else f"[{table}]"
        if err.get("type") == "extra_forbidden":
            msg = "unknown field (check the spelling)"
        given = err.get("input")
        scalar = isinstance(given, str | int | float) and not isinstance(given, bool)
        if scalar and err.get("type") != "extra_forbidden" and repr(given) not in msg:
            msg = f"{msg} (got {brief_repr(given)})"
        raise InputError(f"{field}: {msg}", where(path, line)) from None


def _item_line(text: str, table: str, k: int, key: str) -> int:
    """The line of ``key`` in the ``k``-th ``[[table]]`` of ``text`` (the header's line when
    the key is not written there; 0 when there is no such item)."""
    lines = text.splitlines()
    headers = [n for n, line in enumerate(lines) if line.strip().replace(" ", "") == f"[[{table}]]"]
    if k >= len(headers):
        return 0
    start = headers[k]
    for n in range(start + 1, len(lines)):
        stripped = lines[n].strip()
        if stripped.startswith("["):
            break
        if key and stripped.split("=", 1)[0].strip().strip('"') == key:
            return n + 1
    return start + 1


#: the members of a union field that pydantic's error locations name
_UNION_MEMBERS = ("float", "int", "str")


def read_design_study_file(path: str | Path, project=None) -> DesignStudyFile:
    """Parse and validate a design-study file against its design.

    Raises
    ------
    InputError
        Naming the file, the line and the field: an unknown table, a range with low above high,
        a field that does not exist on the design, a value outside what the field allows.
    """
    from cellwright.app.studies.fields import describe_field
    from cellwright.app.studies.validate import base_snapshot, check_study
    from cellwright.engines.api import load_engine, parse_spec
    from cellwright.projects.userfiles import read_text

    path = Path(path)
    text = read_text(path, "design-study file")
    try:
        data = toml_loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", str(path)) from None
    unknown = set(data) - set(_TABLES)
    if unknown:
        raise InputError(
            f"unknown table(s) {sorted(unknown)}; allowed: {', '.join(_TABLES)}", str(path)
        )
    for table in ("study", "design"):
        if not isinstance(data.get(table), dict):
            raise InputError(f"missing [{table}] table", str(path))
    _check_shapes(data, path, text)
    if not data["study"].get("engine"):
        raise InputError("[study] engine: required field is missing",
                         where(path, line_of(text, "study")))  # fmt: skip
    if not data.get("inputs"):
        raise InputError("no [[inputs]]: name at least one field to vary", str(path))
    try:
        engine = load_engine(data["study"]["engine"])
    except InputError as exc:
        raise InputError(f"[study] engine: {exc.detail}",
                         where(path, line_of(text, "engine", "study"))) from None  # fmt: skip
    data["spec"] = _base_spec(engine, data.get("spec", {}), data["inputs"], path, text)
    design, designs = matched_to_project(*_design_ref(data["design"], path, text), project)
    try:
        snapshot = _snapshot(design, designs, project)
    except InputError as exc:
        if designs is not None:
            raise
        # the project does not say which file asked for the design (as `cellwright run`)
        detail = exc.detail
        if not detail.startswith("[design]"):
            detail = f"[design] {design.kind}: {detail}"
        raise InputError(detail, where(path, line_of(text, design.kind, "design"))) from None
    spec = parse_spec(engine, data["spec"])
    infos = {}
    for item in data["inputs"]:
        item_path = str(item.get("path", ""))
        try:
            infos[item_path] = describe_field(item_path, spec, snapshot)
        except InputError as exc:
            raise InputError(exc.detail, where(path, _input_line(text, item_path))) from None
    try:
        data["inputs"] = _convert_units(data["inputs"], infos)
    except InputError as exc:
        item_path = exc.detail.split(":")[0]
        raise InputError(exc.detail, where(path, _input_line(text, item_path))) from None
    study = _study(data, design, path, text)
    try:
        check_study(study, base_snapshot(study, project, snapshot))
    except InputError as exc:
        item_path = exc.detail.split(":")[0]
        line = _input_line(text, item_path) if item_path in infos else 0
        raise InputError(exc.detail, where(path, line)) from None
    return DesignStudyFile(path, study, snapshot, designs)


def _snapshot(design, designs: DesignFile | None, project) -> DesignSnapshot:
    if designs is None:
        from cellwright.projects.design.resolve import study_snapshot
        from cellwright.projects.model import Study

        return study_snapshot(Study(name="base", engine="x.y", design=design), project)
    from cellwright.projects.design.resolve import design_snapshot, library_for

    if designs.pack is not None and designs.cell is not None:
        return library_for(project).snapshot_for(designs.cell, designs.pack)
    return design_snapshot(designs.pack or designs.cell, project)
