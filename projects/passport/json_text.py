"""JSON files as passports come: UTF-8, UTF-8 with a BOM, or UTF-16 (LE/BE) with a BOM.

The Battery Pass consortium's own files were UTF-16LE with a byte-order mark and CRLF line ends;
a passport importer must take them as they are.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

from cellwright.projects.model import InputError

__all__ = ["decode_json_bytes", "read_json"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts with UTF-16 LE's
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_json_bytes(data: bytes, where: str) -> Any:
    """Parse JSON bytes in any of the encodings above.

    Raises
    ------
    InputError
        Naming the encoding problem or the line and column of the JSON error.
    """
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], name
            break
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"not {encoding} text (byte {exc.start})", where) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})", where
        ) from None


def read_json(path: str | Path) -> Any:
    """A JSON file, whatever of the encodings above it is in."""
    from cellwright.projects.userfiles import read_bytes

    return decode_json_bytes(read_bytes(path), str(path))
