"""Shared pieces of every Cellwright model: the base class, unit-carrying floats, arrays, ids.

Models are pydantic v2, validated on construction and on assignment, JSON round-trippable and
described by JSON Schema (the GUI builds its property forms from that schema, reading the extra
``unit`` key that :class:`Unit` adds).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from cellwright.projects.units import UnitError, to_unit

__all__ = [
    "NAME_MAX_LENGTH",
    "CWModel",
    "FloatArray",
    "IntArray",
    "Slug",
    "Unit",
    "name_problem",
    "new_id",
    "unit_of",
    "upper_bound",
]


class CWModel(BaseModel):
    """Base of all Cellwright models: strict about unknown fields, validated on assignment."""

    model_config = ConfigDict(
        extra="forbid",
        # NaN and infinities are refused as such ("Input should be a finite number"): NaN
        # fails every bound as "should be less than or equal to …", and passes a field without
        # bounds; models of computed or measured values (results, runs) opt back in
        allow_inf_nan=False,
        validate_assignment=True,
        arbitrary_types_allowed=True,
        ser_json_inf_nan="constants",
        use_enum_values=True,
    )


def upper_bound(model: type[BaseModel], name: str) -> float:
    """The largest value field ``name`` of ``model`` accepts (its ``le`` or ``lt``), for a
    message that names the limit before the model would refuse it."""
    for item in model.model_fields[name].metadata:
        for bound in ("le", "lt"):
            if getattr(item, bound, None) is not None:
                return getattr(item, bound)
    raise KeyError(f"{model.__name__}.{name} has no upper bound")


#: longest name a user gives a design or project; lists, reports and window titles show it whole
NAME_MAX_LENGTH = 200


def name_problem(name: str) -> str | None:
    """What is wrong with ``name`` as the name a user gives a design or a project, or None.

    Checked where a name is given (a design file, the command line, a new variant), not in the
    models themselves, so a project saved before the rule still opens.
    """
    if not name.strip():
        return "a name cannot be empty"
    if len(name) > NAME_MAX_LENGTH:
        return f"a name has at most {NAME_MAX_LENGTH} characters (got {len(name)})"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        # a newline or NUL breaks the one-line listings and the report's headings
        return f"a name cannot hold control characters such as a newline (got {name[:40]!r})"
    return None


def new_id() -> str:
    """A fresh random identifier for objects a user creates (studies, results, designs)."""
    return uuid.uuid4().hex[:12]


Slug = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_.\-]*$",
        min_length=1,
        max_length=80,
        description="lower-case identifier: letters, digits, '-', '_' or '.'",
    ),
]

_UNIT_IN_NAME = re.compile(r"\[([^\]]*)\]\s*$")


def unit_of(name: str) -> str:
    """The unit written in brackets at the end of a series name: ``"Voltage [V]"`` -> ``"V"``."""
    match = _UNIT_IN_NAME.search(name)
    return match.group(1) if match else ""


@dataclass(frozen=True)
class Unit:
    """Marks a float field with its unit and lets it accept text such as ``"25 degC"``.

    Use as ``Annotated[float, Unit("K"), Field(ge=200, le=400)]``. Numbers are taken to be in the
    declared unit already; strings are parsed with pint and converted. The JSON Schema of the
    field gets ``"unit": "K"`` so forms can show it.
    """

    unit: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_before_validator_function(
            partial(_parse_with_unit, unit=self.unit), handler(source)
        )

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> Any:
        json_schema = handler(schema)
        json_schema["unit"] = self.unit
        return json_schema


def _parse_with_unit(value: Any, unit: str) -> Any:
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    try:
        return to_unit(value, unit)
    except UnitError as exc:
        raise PydanticCustomError("unit", "{reason}", {"reason": str(exc)}) from None


@dataclass(frozen=True)
class _ArrayType:
    """A numpy array field: lists or arrays in, one-dtype ``numpy.ndarray`` out, lists in JSON."""

    dtype: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_plain_validator_function(
            partial(_to_array, dtype=self.dtype),
            serialization=core_schema.plain_serializer_function_ser_schema(
                _array_to_json, when_used="json"
            ),
        )

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> Any:
        item = {"type": "number"} if self.dtype.startswith("float") else {"type": "integer"}
        return {"type": "array", "items": {"anyOf": [item, {"type": "array"}]}}


def _to_array(value: Any, dtype: str) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise PydanticCustomError(
            "array", "not an array of {dtype}: {err}", {"dtype": dtype, "err": str(exc)}
        ) from None
    return array


def _array_to_json(array: np.ndarray) -> list[Any]:
    return array.tolist()


FloatArray = Annotated[np.ndarray, _ArrayType("float64")]
IntArray = Annotated[np.ndarray, _ArrayType("int64")]
