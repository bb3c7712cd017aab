"""Finding where a key sits in TOML text, so errors about study and design files name the line.

:mod:`tomllib` returns plain data without positions; these helpers find the line of a key in a
table (``[cell.positive]`` … ``coating_thickness = …``), of a table header, or of a key in an
inline table, which is what a person needs to fix a file.
"""

from __future__ import annotations

import re

__all__ = ["line_of", "where"]

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
