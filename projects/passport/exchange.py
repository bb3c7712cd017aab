"""Passport files in and out: which format a file is, validating it, importing it, writing it.

Two exchange formats: Battery Pass v1.2 JSON (our export document, or a bare aspect payload
as the consortium publishes them) and the Catena-X battery_pass 6.1.0 aspect. Files may be
UTF-8, or UTF-16/UTF-32 with a byte-order mark (:mod:`.json_text`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cellwright.projects.model import InputError, Passport
from cellwright.projects.passport.attributes import attribute
from cellwright.projects.passport.battery_pass import (
    aspect_fields,
    export_battery_pass,
    file_path,
    import_battery_pass,
    validate_battery_pass,
)
from cellwright.projects.passport.catenax import export_catenax
from cellwright.projects.passport.catenax_read import (
    catenax_fields,
    import_catenax,
    validate_catenax,
)
from cellwright.projects.passport.entry_check import check_entries
from cellwright.projects.passport.json_text import read_json
from cellwright.projects.passport.remaining_power import KEY as SOC_KEY
from cellwright.projects.passport.remaining_power import (
    carry_state_of_charge,
    lacks_soc,
    missing_soc_message,
)
from cellwright.projects.passport.schemas import Problem
from cellwright.projects.userfiles import check_writable

__all__ = [
    "FORMATS",
    "Imported",
    "export_passport",
    "import_passport_file",
    "validate_file",
    "write_json",
]

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


@dataclass(frozen=True)
class Imported:
    """What an import took: attribute values, Catena-X fields kept, what it did not take
    as ``(path in the file, reason)``, and the paths of required fields the file lacks."""

    attributes: int
    catenax: int
    skipped: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    #: what the passport still lacks for an export that the file could not give, each with
    #: the command that enters it (:mod:`.remaining_power`)
    warnings: list[str] = field(default_factory=list)


#: identifiers a file brings that the battery does not take
_OWN_IDENTIFIERS = {
    "passport_identifier": "the battery keeps its own passport identifier",
    "battery_identifier": "the battery keeps its own serial number",
}


def import_passport_file(project, serial: str, path: str | Path) -> Imported:
    """Enter the values of a passport file into ``serial``'s passport.

    A file whose only schema problems are required fields it lacks is imported for what it
    holds: an export for the public or persons with a legitimate interest withholds some
    fields by design. The paths of those fields come back in :attr:`Imported.missing`.

    Raises
    ------
    InputError
        If the file fails its schema in any other way (every problem named), or is not a
        passport.
    """
    from cellwright.projects.passport.compile import set_user_values

    kind, problems = validate_file(path)
    if any(not p.missing for p in problems):
        listed = "\n  ".join(str(p) for p in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise InputError(f"not a valid {kind} passport:\n  {listed}{more}", str(path))
    document = read_json(path)
    kept: dict[str, Any] = {}
    skipped: list[tuple[str, str]] = []
    if kind == "catena-x":
        values, _ = import_catenax(document, str(path), kept, skipped)
    else:
        values, _ = import_battery_pass(document, str(path), skipped)
    for key, why in _OWN_IDENTIFIERS.items():
        if values.pop(key, None) is not None:
            attr = attribute(key)
            skipped.append((attr.catenax if kind == "catena-x" else file_path(document, attr), why))
    entries = {k: v.value for k, v in values.items()}
    warnings = _state_of_charge(project, serial, entries) if kind == "catena-x" else []
    check_entries(entries, kept, kind, typed=False, where=str(path))  # named with the file
    set_user_values(
        project,
        serial,
        entries,
        kept,
        source=Path(path).name,
        form=kind,
        typed=False,
        updated={k: v.updated for k, v in values.items() if v.updated},
    )
    missing = list(dict.fromkeys(p.missing for p in problems))
    return Imported(len(values), len(kept), skipped, missing, warnings)


def _state_of_charge(project, serial: str, entries: dict[str, Any]) -> list[str]:
    """Give the remaining power capability of a Catena-X file the state of charge the passport
    held for it (Catena-X has none; :mod:`.remaining_power`), or warn that it has none."""
    from cellwright.projects.passport.batteries import find_battery
    from cellwright.projects.passport.compile import draft_for

    if not lacks_soc(entries.get(SOC_KEY)):
        return []
    earlier = draft_for(project, find_battery(project, serial)).values.get(SOC_KEY)
    entries[SOC_KEY] = carry_state_of_charge(entries[SOC_KEY], earlier)
    if not lacks_soc(entries[SOC_KEY]):
        return []
    return [missing_soc_message(serial, getattr(project, "path", None), entries[SOC_KEY])]


def export_passport(
    passport: Passport, level: str, kind: str = "battery-pass", project: str | Path | None = None
):
    """(document, problems) of a passport for an access level in one of :data:`FORMATS`;
    ``project`` (its path) goes into the commands the problems name to mend them."""
    if kind == "catena-x":
        return export_catenax(passport, level)
    if kind == "battery-pass":
        return export_battery_pass(passport, level, project)
    raise InputError(f"format {kind!r} is not one of {', '.join(FORMATS)}", "--format")


def write_json(document: Any, path: str | Path) -> Path:
    """Write a passport document as UTF-8 JSON (atomically: a temporary file, then a rename).

    Raises
    ------
    InputError
        For a path that cannot be written (a missing folder, a folder in the way …), named
        as given: the OS would name the temporary ``….writing`` file instead.
    """
    path = check_writable(path, "passport file")
    tmp = path.with_name(path.name + ".writing")
    tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path
