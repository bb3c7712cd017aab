"""JSON files as passports come: UTF-8, or UTF-16/32 (LE/BE), with or without a BOM.

The Battery Pass consortium's own files were UTF-16LE with a byte-order mark and CRLF line ends;
a passport importer must take them as they are.
"""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path
from typing import Any

from cellwright.projects.jsontext import NestedTooDeep
from cellwright.projects.jsontext import loads as json_loads
from cellwright.projects.model import InputError
from cellwright.projects.text_encoding import decode_text

__all__ = ["MAX_DEPTH", "decode_json_bytes", "read_json"]

#: arrays and objects inside each other; the Battery Pass and Catena-X models nest about ten
MAX_DEPTH = 100

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
    text = _text(data, where)
    try:
        document = json_loads(text, object_pairs_hook=_unique_keys)
    except _RepeatedKey as exc:
        raise InputError(_repeated_message(text, exc.key), where) from None
    except NestedTooDeep:  # the decoder recurses once per level
        document = None
        depth = MAX_DEPTH + 1
    except json.JSONDecodeError as exc:
        raise InputError(
            f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})", where
        ) from None
    else:
        depth = _depth(document)
    if depth > MAX_DEPTH:
        # validation, storage and serialisation all recurse per level: refuse before them
        raise InputError(
            f"JSON nested more than {MAX_DEPTH} levels deep; no passport data model nests so deep",
            where,
        )
    return document


def _text(data: bytes, where: str) -> str:
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], name
            break
    else:  # no BOM: UTF-16/32 still shows in the zero bytes of the first two ASCII characters
        encoding = json.detect_encoding(data)
        if encoding == "utf-8":  # says what a file that is not UTF-8 looks like (Latin-1 …)
            return decode_text(data, where, "JSON file")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"not {encoding} text (byte {exc.start})", where) from None


class _RepeatedKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object of the file; a key given twice in it is refused (Python's JSON reader kept
    the last value and dropped the first without a word: which one did the file mean?)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _RepeatedKey(key)
        out[key] = value
    return out


def _repeated_message(text: str, key: str) -> str:
    """Which key is given twice in one object, with the lines the key stands on."""
    pattern = re.compile(re.escape(json.dumps(key)) + r"\s*:")
    lines = sorted({text.count("\n", 0, m.start()) + 1 for m in pattern.finditer(text)})
    shown = ", ".join(map(str, lines[:6])) + (" …" if len(lines) > 6 else "")
    where = f" (the key is at line{'s' if len(lines) > 1 else ''} {shown})" if lines else ""
    return f"key {key!r} is given twice in one object{where}; a key names one value"


def _depth(document: Any) -> int:
    """How many arrays and objects deep ``document`` nests (without recursing)."""
    deepest, stack = 0, [(document, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            level += 1
            deepest = max(deepest, level)
            if deepest > MAX_DEPTH:
                break
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, level) for child in children)
    return deepest


def read_json(path: str | Path) -> Any:
    """A JSON file, whatever of the encodings above it is in."""
    from cellwright.projects.userfiles import read_bytes

    return decode_json_bytes(read_bytes(path), str(path))
