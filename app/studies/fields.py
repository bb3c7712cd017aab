"""The fields a design study varies: finding them by dotted path, and applying a point.

A path starts with what it addresses:

- ``spec.<field>[.<field>…]`` — the engine's spec (``spec.c_rate``,
  ``spec.heat.electrochem.c_rate``);
- ``design.<field>…`` — the study's design: the cell design, or the pack design of a pack study
  (``design.positive.coating_thickness``, ``design.cooling_plate.channel_width``);
- ``cell.<field>…`` — the cell design, also inside a pack study.

Nested fields are reached as the builder's ``SetField`` reaches them, and every applied point is
validated by the model as a whole, so rules that tie fields together still hold.
"""

from __future__ import annotations

import copy
import types
import typing
from dataclasses import dataclass
from typing import Any

import annotated_types
from pydantic import BaseModel, ValidationError

from cellwright.projects.design.authoring import with_solid_kept
from cellwright.projects.model import DesignSnapshot, InputError, Unit, describe_validation_error

__all__ = ["FieldInfo", "apply_point", "describe_field", "set_path"]


@dataclass(frozen=True)
class FieldInfo:
    """What a study needs to know of a varied field: its unit, bounds and current value."""

    path: str
    unit: str
    lower: float | None
    upper: float | None
    value: Any
    choices: tuple[Any, ...] = ()
    integer: bool = False


def _target(path: str, spec: BaseModel, snapshot: DesignSnapshot) -> tuple[BaseModel, list[str]]:
    root, *rest = path.split(".")
    if root == "spec":
        return spec, rest
    if root == "cell" or snapshot.pack is None:
        return snapshot.cell, rest
    return snapshot.pack, rest


def _walk(obj: BaseModel, parts: list[str], path: str) -> tuple[BaseModel, str]:
    for k, part in enumerate(parts[:-1]):
        fields = type(obj).model_fields
        if part not in fields:
            raise InputError(_unknown(path, part, obj))
        child = getattr(obj, part)
        if child is None:
            where = ".".join([path.split(".")[0], *parts[: k + 1]])
            raise InputError(
                f"{path}: {where} is not set on this design (a library cell's datasheet design "
                "has no electrodes or geometry; vary an entered design, `cellwright design new`)"
            )
        if not isinstance(child, BaseModel):
            raise InputError(f"{path}: {part} is a value, not a group of fields")
        obj = child
    leaf = parts[-1]
    if leaf not in type(obj).model_fields:
        raise InputError(_unknown(path, leaf, obj))
    return obj, leaf


def _unknown(path: str, part: str, obj: BaseModel) -> str:
    import difflib

    names = list(type(obj).model_fields)
    close = difflib.get_close_matches(part, names, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return (
        f"{path}: {type(obj).__name__} has no field {part!r}{hint} (its fields: {', '.join(names)})"
    )


def _metadata(annotation: Any, found: list[Any]) -> None:
    """Collect Annotated metadata and Literal choices, also inside ``X | None``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        found.extend(meta)
        _metadata(base, found)
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            _metadata(arg, found)
    elif origin is typing.Literal:
        found.append(("choices", typing.get_args(annotation)))


def _whole_numbers(annotation: Any) -> bool:
    """True for a field that takes whole numbers only (``int``, ``Annotated[int, …]``,
    ``int | None``), not one that takes any number (``float``, ``int | float``)."""
    kinds: set[Any] = set()
    stack = [annotation]
    while stack:
        item = stack.pop()
        origin = typing.get_origin(item)
        if origin is typing.Annotated:
            stack.append(typing.get_args(item)[0])
        elif origin in (typing.Union, types.UnionType):
            stack.extend(typing.get_args(item))
        elif item is not type(None):
            kinds.add(item)
    return int in kinds and not kinds & {float, bool}


def describe_field(path: str, spec: BaseModel, snapshot: DesignSnapshot) -> FieldInfo:
    """The unit, bounds and current value of the field ``path`` addresses.

    Raises
    ------
    InputError
        If no such field exists (with the fields that do, and close matches).
    """
    obj, rest = _target(path, spec, snapshot)
    if not rest:
        raise InputError(f"{path}: name a field after {path!r}")
    owner, leaf = _walk(obj, rest, path)
    info = type(owner).model_fields[leaf]
    meta = list(info.metadata)
    _metadata(info.annotation, meta)
    unit, lower, upper, choices = "", None, None, ()
    for item in meta:
        if isinstance(item, Unit):
            unit = item.unit
        elif isinstance(item, annotated_types.Ge | annotated_types.Gt):
            lower = float(getattr(item, "ge", getattr(item, "gt", 0.0)))
        elif isinstance(item, annotated_types.Le | annotated_types.Lt):
            upper = float(getattr(item, "le", getattr(item, "lt", 0.0)))
        elif isinstance(item, tuple) and item[0] == "choices":
            choices = item[1]
    integer = _whole_numbers(info.annotation)
    return FieldInfo(path, unit, lower, upper, getattr(owner, leaf), choices, integer)


def set_path(data: dict[str, Any], parts: list[str], value: Any) -> None:
    """Set ``data[p0][p1]…[leaf] = value`` in plain (dumped) data, creating nothing."""
    target = data
    for part in parts[:-1]:
        target = target[part]
    target[parts[-1]] = value


def apply_point(
    engine: Any,
    spec: dict[str, Any],
    snapshot: DesignSnapshot,
    values: dict[str, Any],
) -> tuple[dict[str, Any], DesignSnapshot]:
    """The spec and snapshot of one point: ``values`` (path -> value) set on a copy of each.

    Raises
    ------
    InputError
        If a value is refused by the spec or the design (naming the path and the value).
    """
    spec_data = copy.deepcopy(spec)
    cell = snapshot.cell.model_dump()
    pack = snapshot.pack.model_dump() if snapshot.pack is not None else None
    for path, value in values.items():
        root, *rest = path.split(".")
        try:
            if root == "spec":
                _set_spec(spec_data, rest, value)
            elif root == "cell" or pack is None:
                set_path(cell, rest, value)
            else:
                set_path(pack, rest, value)
        except (KeyError, TypeError):
            raise InputError(f"{path}: not a field of this {root}") from None
    try:
        engine.Spec.model_validate(spec_data)
    except ValidationError as exc:
        raise describe_validation_error(exc, _values_text(values), prefix="spec") from None
    # a varied porosity keeps the solid's make-up (a stated active fraction follows it),
    # unless the point varies that fraction too
    explicit = {side for side in ("positive", "negative")
                for p in values if p.endswith(f"{side}.active_volume_fraction")}  # fmt: skip
    with_solid_kept(snapshot.cell, cell, explicit)
    try:
        new_cell = type(snapshot.cell).model_validate(cell)
        new_pack = type(snapshot.pack).model_validate(pack) if pack is not None else None
    except ValidationError as exc:
        raise describe_validation_error(exc, _values_text(values), prefix="design") from None
    return spec_data, snapshot.model_copy(update={"cell": new_cell, "pack": new_pack})


def _set_spec(spec: dict[str, Any], parts: list[str], value: Any) -> None:
    target = spec
    for part in parts[:-1]:  # a nested spec table the base spec leaves at its default
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def _values_text(values: dict[str, Any]) -> str:
    return "point " + ", ".join(f"{p} = {v:g}" if isinstance(v, float) else f"{p} = {v!r}"
                                for p, v in values.items())  # fmt: skip
