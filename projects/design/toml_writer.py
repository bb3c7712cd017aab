"""Writing a model as TOML tables a person can read: SI numbers with their unit in a comment.

Only what design files need: scalars (text, numbers, booleans) and nested models as sub-tables;
None is left out (the field's default). Floats are written with ``repr`` so they read back
exactly; a length also gets its value in mm or µm in the comment.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

from pydantic import BaseModel

__all__ = ["model_tables"]


def _units(model: BaseModel) -> dict[str, str]:
    props = type(model).model_json_schema().get("properties", {})
    out = {}
    for name, prop in props.items():
        unit = prop.get("unit") or next(
            (alt.get("unit") for alt in prop.get("anyOf", []) if alt.get("unit")), ""
        )
        out[name] = unit
    return out


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string


def _comment(value: Any, unit: str) -> str:
    if not unit or unit == "1" or not isinstance(value, float):
        return ""
    if unit == "m" and 0 < abs(value) < 1:
        shown = f"{value * 1e3:.6g} mm" if abs(value) >= 1e-3 else f"{value * 1e6:.6g} um"
        return f"  # m ({shown})"
    return f"  # {unit}"


def model_tables(model: BaseModel, table: str) -> list[str]:
    """The lines of ``[table]`` with the model's scalars, then one sub-table per nested model."""
    units = _units(model)
    lines, nested = [f"[{table}]"], []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if value is None:
            continue
        if isinstance(value, BaseModel):
            nested.append((name, value))
        elif isinstance(value, dict | list):
            continue  # design models have none; never guess a layout for them
        else:
            lines.append(f"{name} = {_scalar(value)}{_comment(value, units.get(name, ''))}")
    for name, value in nested:
        lines += ["", *model_tables(value, f"{table}.{name}")]
    return lines
