"""Finding where a key sits in TOML text, so errors about study and design files name the line.

:mod:`tomllib` returns plain data without positions; these helpers find the line of a key in a
table (``[cell.positive]`` … ``coating_thickness = …``), of a table header, or of a key in an
inline table, which is what a person needs to fix a file.
"""

from __future__ import annotations

import re
import sys
import tomllib
from typing import Any

__all__ = ["deep_nesting_at", "line_of", "loads", "long_number_at", "where"]

_HEADER = re.compile(r"^\[\[?\s*([^\]]+?)\s*\]\]?")


def line_of(text: str, key: str, table: str | None = None) -> int:
    """Line number (from 1) of ``key = …`` inside ``[table]`` (any table when None), of the
    header ``[table.key]`` when the key is a table of its own, or 0 when it is not found."""
    current = ""
    qualified = f"{table}.{key}" if table else key
    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = _HEADER.match(stripped)
        if header:
            current = header.group(1).replace(" ", "")
            if current == qualified:
                return n
            continue
        if re.match(rf"^\"?{re.escape(key)}\"?\s*=", stripped) and (
            table is None or current == table
        ):
            return n
    return 0


def where(path: object, line: int) -> str:
    """``path:line`` (or the path alone when the line is unknown)."""
    return f"{path}:{line}" if line else str(path)


def long_number_at(text: str) -> int | None:
    """Where (an index into ``text``) a run of digits starts that is longer than Python turns
    into an integer (:func:`sys.get_int_max_str_digits`), or None."""
    limit = sys.get_int_max_str_digits()
    if not limit:
        return None
    match = re.search(rf"\d{{{limit + 1},}}", text)
    return match.start() if match else None


def deep_nesting_at(text: str) -> int:
    """Where (an index into ``text``) the deepest run of opening brackets and braces starts."""
    runs = list(re.finditer(r"[\[{](?:\s*[\[{])*", text))
    return max(runs, key=lambda m: len(m.group()), default=None).start() if runs else 0


def loads(text: str) -> dict[str, Any]:
    """:func:`tomllib.loads`, with what it cannot read raised as a
    :class:`tomllib.TOMLDecodeError` naming its line, as any other syntax error: a number too
    long for Python ("Exceeds the limit (4300 digits) …", a plain ``ValueError``) and arrays
    nested deeper than the parser recurses (a ``RecursionError``) were unexpected failures."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raise
    except RecursionError:
        at = deep_nesting_at(text)
        raise tomllib.TOMLDecodeError(
            f"arrays or tables nested too deeply {_at(text, at)}"
        ) from None
    except ValueError:
        at = long_number_at(text)
        if at is None:
            raise
        limit = sys.get_int_max_str_digits()
        raise tomllib.TOMLDecodeError(
            f"a number of more than {limit} digits {_at(text, at)}"
        ) from None


def _at(text: str, at: int) -> str:
    """``(at line L, column C)`` of index ``at``, as tomllib words its positions."""
    return f"(at line {text.count(chr(10), 0, at) + 1}, column {at - text.rfind(chr(10), 0, at)})"
