"""Turn validation failures into clear messages: where, which field, what is allowed."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

__all__ = [
    "FINITE",
    "InputError",
    "bools_read_as_numbers",
    "brief_repr",
    "describe_validation_error",
    "is_nonfinite",
    "nonfinite_numbers",
    "rule_message",
]

#: what every refusal of NaN or an infinity says, whichever check of the field met it first
FINITE = "must be a finite number"


class InputError(ValueError):
    """Bad user input, with a message fit to show as it is (no traceback needed).

    Parameters
    ----------
    message
        What is wrong and what is allowed.
    where
        The file, line or object the problem is in, when known.
    """

    def __init__(self, message: str, where: str | None = None) -> None:
        self.where = where
        self.detail = message
        super().__init__(f"{where}: {message}" if where else message)


def is_nonfinite(value: Any) -> bool:
    """Whether ``value`` is NaN or an infinity: a float (TOML's ``nan``/``inf``, JSON's
    ``NaN``/``Infinity``) or text that reads as one (``"nan"``, ``"-Infinity"``, ``"1e999"``)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return False
    return isinstance(value, float) and not math.isfinite(value)


def brief_repr(value: Any, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters: a list nested 400 deep, or 5000 digits,
    filled a screen after "(got"."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def rule_message(err: dict) -> str:
    """pydantic's message of one error without the "Value error, " it puts before what a
    model's own rule says ("give exactly one of current, c_rate or profile_file").

    A NaN or an infinity is refused as such (:data:`FINITE`) whichever check met it: NaN
    failed a field's bound, which read "should be less than or equal to 20 (got nan)"."""
    if err.get("type") in _NUMBER_CHECKS and is_nonfinite(err.get("input")):
        return FINITE
    return str(err.get("msg", "invalid")).removeprefix("Value error, ")


#: pydantic's bound errors -> the words before the bound and the key of the bound in ctx
_BOUNDS = {
    "greater_than": ("greater than", "gt"),
    "greater_than_equal": ("greater than or equal to", "ge"),
    "less_than": ("less than", "lt"),
    "less_than_equal": ("less than or equal to", "le"),
}

#: pydantic's errors of a number that a non-finite one can meet first
_NUMBER_CHECKS = ("finite_number", "multiple_of", *_BOUNDS)


def _location(loc: tuple[Any, ...], prefix: str) -> str:
    parts = [prefix] if prefix else []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts).replace(".[", "[")


def _bound_message(err: dict) -> str:
    """pydantic's bound message with the bound as a person writes it: a bound kept clear of a
    round number by rounding (0.01 - 1e-12) read "greater than 0.009999999999"."""
    words, key = _BOUNDS[err["type"]]
    bound = (err.get("ctx") or {}).get(key)
    if not isinstance(bound, int | float):
        return err.get("msg", "invalid")
    return f"Input should be {words} {bound:.6g}"


def describe_validation_error(
    exc: ValidationError, where: str | None = None, prefix: str = ""
) -> InputError:
    """One readable :class:`InputError` from a pydantic ``ValidationError``.

    Each line names the field (``spec.c_rate``), says what is wrong and what is allowed, and
    shows the value that was given.
    """
    lines = []
    for err in exc.errors(include_url=False):
        field = _location(tuple(err.get("loc", ())), prefix) or "(top level)"
        msg = rule_message(err)
        if err.get("type") == "missing":
            msg = "required field is missing"
        elif err.get("type") == "extra_forbidden":
            msg = "unknown field (check the spelling)"
        elif err.get("type") in _BOUNDS and msg != FINITE:
            msg = _bound_message(err)
        given = err.get("input")
        # a unit parser's message quotes the text already ("'5 Ahh' is not a number with a
        # unit"); a second "(got '5 Ahh')" only lengthens the line
        shown = (
            ""
            if err.get("type") in ("missing",) or isinstance(given, dict) or repr(given) in msg
            else f" (got {brief_repr(given)})"
        )
        lines.append(f"{field}: {msg}{shown}")
    return InputError("; ".join(lines) if len(lines) == 1 else "\n  " + "\n  ".join(lines), where)


def bools_read_as_numbers(data: Any, model: Any, loc: tuple = ()) -> Iterator[tuple[tuple, bool]]:
    """Where a ``true``/``false`` of ``data`` became a number in the validated ``model``:
    pydantic's lax mode reads ``c_rate = true`` as 1 and ``false`` as 0, so a slip of the
    keyboard ran a study at 1C. Yields each place (a path of keys and indices) and the bool."""
    if isinstance(data, bool):
        if isinstance(model, int | float) and not isinstance(model, bool):
            yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            inner = model.get(key) if isinstance(model, dict) else getattr(model, str(key), None)
            yield from bools_read_as_numbers(value, inner, (*loc, key))
    elif isinstance(data, list) and isinstance(model, list | tuple) and len(model) == len(data):
        for i, (value, inner) in enumerate(zip(data, model, strict=True)):
            yield from bools_read_as_numbers(value, inner, (*loc, i))


def nonfinite_numbers(model: Any, loc: tuple = ()) -> Iterator[tuple[tuple, float]]:
    """Where validated ``model`` (a pydantic model, or the dicts and lists inside one) holds
    NaN or an infinity. A field without bounds took ``nan`` without a word (a plain engine
    spec is not a :class:`~cellwright.projects.model.CWModel`, which refuses them itself)."""
    if isinstance(model, float):
        if not math.isfinite(model):
            yield loc, model
    elif isinstance(model, BaseModel):
        for key in type(model).model_fields:
            yield from nonfinite_numbers(getattr(model, key, None), (*loc, key))
    elif isinstance(model, dict):
        for key, value in model.items():
            yield from nonfinite_numbers(value, (*loc, key))
    elif isinstance(model, list | tuple):
        for i, value in enumerate(model):
            yield from nonfinite_numbers(value, (*loc, i))
