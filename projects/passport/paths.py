"""Paths into passport JSON documents: ``/a/b``, ``/list[field=value]/c``, ``/a{valueName}``.

``[field=value]`` selects (or, when writing, creates) the element of a list whose ``field`` is
``value``; a trailing ``{name}`` stores a dynamic value as ``{name: value, <time>: updated}`` —
the shape both the Battery Pass and Catena-X give time-stamped values (``lastUpdate`` and
``time`` respectively).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["contains", "get_path", "parse_path", "remove_path", "set_path"]

_STEP = re.compile(r"/([^/\[\]{}]+)(?:\[([^=\]]+)=([^\]]*)\])?")
_WRAP = re.compile(r"\{([^}]+)\}$")


def parse_path(path: str) -> tuple[list[tuple[str, str | None, str | None]], str | None]:
    """Steps (name, select field, select value) and the wrapping value name, if any."""
    wrap = _WRAP.search(path)
    body = path[: wrap.start()] if wrap else path
    steps = []
    pos = 0
    while pos < len(body):
        match = _STEP.match(body, pos)
        if match is None:
            raise ValueError(f"bad passport path {path!r} at {body[pos:]!r}")
        steps.append((match.group(1), match.group(2), match.group(3)))
        pos = match.end()
    return steps, (wrap.group(1) if wrap else None)


def set_path(doc: dict, path: str, value: Any, updated: str | None, time_key: str) -> None:
    """Write ``value`` at ``path`` in ``doc``, creating objects and selected list elements."""
    steps, wrap = parse_path(path)
    if wrap:
        value = {wrap: value, time_key: updated}
    node: Any = doc
    for i, (name, field, selected) in enumerate(steps):
        last = i == len(steps) - 1
        if field is None:
            if last:
                _merge(node, name, value)
            else:
                node = node.setdefault(name, {})
            continue
        items = node.setdefault(name, [])
        element = next((e for e in items if e.get(field) == selected), None)
        if element is None:
            element = {field: selected}
            items.append(element)
        if last:
            element.update(value if isinstance(value, dict) else {"value": value})
        node = element


def _merge(node: dict, name: str, value: Any) -> None:
    if isinstance(value, dict) and isinstance(node.get(name), dict):
        node[name].update(value)
    else:
        node[name] = value


def get_path(doc: Any, path: str) -> tuple[bool, Any, str | None]:
    """(found, value, updated) at ``path``; a wrapped value comes back unwrapped."""
    steps, wrap = parse_path(path)
    node = doc
    for name, field, selected in steps:
        if not isinstance(node, dict) or name not in node:
            return False, None, None
        node = node[name]
        if field is not None:
            if not isinstance(node, list):
                return False, None, None
            node = next((e for e in node if isinstance(e, dict) and e.get(field) == selected), None)
            if node is None:
                return False, None, None
            node = {k: v for k, v in node.items() if k != field}
    if wrap:
        if not isinstance(node, dict) or wrap not in node:
            return False, None, None
        updated = node.get("lastUpdate", node.get("time"))
        return True, node[wrap], updated
    return True, node, None


def remove_path(doc: dict, path: str) -> None:
    """Delete what ``path`` points at (an absent path is no error)."""
    steps, _ = parse_path(path)
    node: Any = doc
    for i, (name, field, selected) in enumerate(steps):
        last = i == len(steps) - 1
        if not isinstance(node, dict) or name not in node:
            return
        if field is None:
            if last:
                del node[name]
                return
            node = node[name]
            continue
        items = node[name]
        keep = [e for e in items if not (isinstance(e, dict) and e.get(field) == selected)]
        if last:
            node[name] = keep
            return
        node = next((e for e in items if e.get(field) == selected), None)


def contains(outer: str, inner: str) -> bool:
    """Whether ``inner`` is ``outer`` or lies inside it (a wrapped value's time included)."""
    steps, _ = parse_path(outer)
    inside, _ = parse_path(inner)
    return inside[: len(steps)] == steps
