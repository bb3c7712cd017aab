"""Passport files in and out: which format a file is, validating it, importing it, writing it.

Two exchange formats: Battery Pass v1.2 JSON (our export document, or a bare aspect payload
as the consortium publishes them) and the Catena-X battery_pass 6.1.0 aspect. Files may be
UTF-8, or UTF-16/UTF-32 with a byte-order mark (:mod:`.json_text`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cellwright.projects.model import InputError, Passport
from cellwright.projects.passport.battery_pass import (
    aspect_fields,
    export_battery_pass,
    import_battery_pass,
    validate_battery_pass,
)
from cellwright.projects.passport.catenax import (
    catenax_fields,
    export_catenax,
    import_catenax,
    validate_catenax,
)
from cellwright.projects.passport.json_text import read_json
from cellwright.projects.passport.schemas import Problem

__all__ = ["FORMATS", "export_passport", "import_passport_file", "validate_file", "write_json"]

FORMATS = ("battery-pass", "catena-x")


def detect_format(document: Any) -> str:
    """``"catena-x"`` or ``"battery-pass"``: the model whose top-level fields the document
    shares most of, so a payload missing a required part or carrying extra fields is still
    told apart (and then validated against the right schema)."""
    if not isinstance(document, dict) or "aspects" in document:
        return "battery-pass"
    _, shared = aspect_fields(document)
    return "catena-x" if catenax_fields(document) > shared else "battery-pass"


def validate_file(path: str | Path) -> tuple[str, list[Problem]]:
    """The format of a passport file and its schema problems (empty when valid)."""
    where = str(path)
    document = read_json(path)
    kind = detect_format(document)
    if kind == "catena-x":
        return kind, validate_catenax(document)
    return kind, validate_battery_pass(document, where)


def import_passport_file(project, serial: str, path: str | Path) -> int:
    """Enter the values of a passport file into ``serial``'s passport; returns how many.

    Raises
    ------
    InputError
        If the file fails its schema (every problem named), or is not a passport.
    """
    from cellwright.projects.passport.compile import set_user_values

    kind, problems = validate_file(path)
    if problems:
        listed = "\n  ".join(str(p) for p in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise InputError(f"not a valid {kind} passport:\n  {listed}{more}", str(path))
    document = read_json(path)
    kept: dict[str, Any] = {}
    if kind == "catena-x":
        values, _ = import_catenax(document, str(path), kept)
    else:
        values, _ = import_battery_pass(document, str(path))
    values.pop("passport_identifier", None)  # the battery keeps its own identifier
    values.pop("battery_identifier", None)
    set_user_values(
        project, serial, {k: v.value for k, v in values.items()}, kept, source=Path(path).name
    )
    return len(values) + len(kept)


def export_passport(passport: Passport, level: str, kind: str = "battery-pass"):
    """(document, problems) of a passport for an access level in one of :data:`FORMATS`."""
    if kind == "catena-x":
        return export_catenax(passport, level)
    if kind == "battery-pass":
        return export_battery_pass(passport, level)
    raise InputError(f"format {kind!r} is not one of {', '.join(FORMATS)}", "--format")


def write_json(document: Any, path: str | Path) -> Path:
    """Write a passport document as UTF-8 JSON (atomically: a temporary file, then a rename)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".writing")
    tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path
