"""Finding where a key sits in JSON text, so errors about JSON design files name the line.

:mod:`json` returns plain data without positions; :func:`key_lines` scans the text once and
gives the line of every object key by its path of keys (array positions left out, the first
element's key kept), the JSON counterpart of :mod:`cellwright.projects.tomltext`.
"""

from __future__ import annotations

import json
import sys
from typing import Any

__all__ = ["NestedTooDeep", "key_lines", "loads"]

_SPACE = " \t\r\n"


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Line (from 1) of each object key of valid JSON ``text``, by its path of keys."""
    lines: dict[tuple[str, ...], int] = {}
    stack: list[list] = []  # per open container: [is_object, current key or None]
    line, i, n = 1, 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
        elif c == '"':
            end = i + 1
            while text[end] != '"':  # JSON strings hold no raw newline
                end += 2 if text[end] == "\\" else 1
            after = end + 1
            while after < n and text[after] in _SPACE:
                after += 1
            if stack and stack[-1][0] and after < n and text[after] == ":":
                stack[-1][1] = json.loads(text[i : end + 1])
                path = tuple(key for is_object, key in stack if is_object)
                lines.setdefault(path, line)
            i = end
        elif c in "{[":
            stack.append([c == "{", None])
        elif c in "}]":
            stack.pop()
        i += 1
    return lines


class NestedTooDeep(json.JSONDecodeError):
    """Arrays and objects nested deeper than Python's decoder can recurse."""


def loads(text: str, **kwargs: Any) -> Any:
    """:func:`json.loads`, with what it cannot read raised as a :class:`json.JSONDecodeError`
    at its place, as any other syntax error: a number too long for Python ("Exceeds the limit
    (4300 digits) …", a plain ``ValueError``) and nesting deeper than the decoder recurses (a
    ``RecursionError``, as :class:`NestedTooDeep`) were unexpected failures."""
    from cellwright.projects.tomltext import deep_nesting_at, long_number_at

    try:
        return json.loads(text, **kwargs)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise NestedTooDeep("arrays or objects nested too deeply", text,
                            deep_nesting_at(text)) from None  # fmt: skip
    except ValueError:
        at = long_number_at(text)
        if at is None:
            raise
        limit = sys.get_int_max_str_digits()
        raise json.JSONDecodeError(f"a number of more than {limit} digits", text, at) from None
