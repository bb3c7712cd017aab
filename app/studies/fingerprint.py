"""What a design study's points depend on, fingerprinted when the study starts.

A point runs on the study's base snapshot (the design, the pack's cell, the reference cell, the
fitted ECM parameters and every library material with the project's prices) with its own values
set. A study resumed after any of these was edited would run its remaining points on another
design than its finished ones, and its table would mix the two without a word; so the study
stores one digest per part when it starts, and a resume compares them with the snapshot it is
about to run on and names each part that changed.

A design's name and notes are left out: renaming a design changes no point's outcome.

Version 2 (stored under the ``"version"`` key) hashes each part without the fields that hold
their default value. A later release that adds a field with a default to a model (a new optional
design field) then leaves every fingerprint as it was, where hashing the whole dump changed them
all and refused every resume after the upgrade. A field set back to its default still differs
from the value it had: the dump that held it no longer does. Version 1 (no ``"version"`` key)
hashed whole dumps; such a study is compared with version 1, so it resumes after this change.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cellwright.projects.model import DesignSnapshot, DesignStudy, InputError

__all__ = [
    "VERSION",
    "VERSION_KEY",
    "changed_parts",
    "check_fingerprint",
    "snapshot_fingerprint",
    "stored_version",
]

#: fields that say what a design is called, not what it is
_LABELS = {"name", "notes"}


def _digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


#: the stored fingerprint's version, under a key no ``"<kind>:<id>"`` part can take
VERSION_KEY = "version"
#: the version :func:`snapshot_fingerprint` writes (see the module's docstring)
VERSION = "2"
_VERSIONS = ("1", VERSION)


def _dump(model, version: str, exclude: set[str] | None = None) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude=exclude, exclude_defaults=version != "1")


def snapshot_fingerprint(snapshot: DesignSnapshot, version: str = VERSION) -> dict[str, str]:
    """One SHA-256 per part of ``snapshot`` a point reads, keyed ``"<kind>:<id>"``, with the
    fingerprint's ``version`` under :data:`VERSION_KEY` (version ``"1"``, as stored before
    versions were kept, has none)."""
    parts = {f"cell:{snapshot.cell.id}": _dump(snapshot.cell, version, _LABELS)}
    if snapshot.pack is not None:
        parts[f"pack:{snapshot.pack.id}"] = _dump(snapshot.pack, version, _LABELS)
    if snapshot.reference_cell is not None:
        parts[f"reference_cell:{snapshot.reference_cell.id}"] = _dump(
            snapshot.reference_cell, version
        )
    if snapshot.ecm_parameters is not None:
        parts[f"ecm_parameters:{snapshot.ecm_parameters.id}"] = _dump(
            snapshot.ecm_parameters, version, _LABELS
        )
    for key, material in snapshot.materials.items():
        parts[f"material:{key}"] = _dump(material, version)
    digests = {key: _digest(data) for key, data in parts.items()}
    return digests if version == "1" else {VERSION_KEY: version, **digests}


_KINDS = {
    "cell": "cell design",
    "pack": "pack design",
    "reference_cell": "library reference cell",
    "ecm_parameters": "ECM parameters",
    "material": "library material (or its price)",
}


def _label(key: str, snapshot: DesignSnapshot) -> str:
    kind, _, ident = key.partition(":")
    name = ident
    if kind == "cell" and snapshot.cell.id == ident:
        name = snapshot.cell.name
    elif kind == "pack" and snapshot.pack is not None and snapshot.pack.id == ident:
        name = snapshot.pack.name
    elif kind == "ecm_parameters" and snapshot.ecm_parameters is not None:
        name = snapshot.ecm_parameters.name
    return f"{_KINDS.get(kind, kind)} {name!r}"


def stored_version(stored: dict[str, str]) -> str:
    """The version of a stored fingerprint (``"1"`` for one stored without a version)."""
    return stored.get(VERSION_KEY, "1")


def changed_parts(stored: dict[str, str], snapshot: DesignSnapshot) -> list[str]:
    """What differs between a stored fingerprint and ``snapshot``, as readable phrases; compared
    with the version the stored one was taken with."""
    now = snapshot_fingerprint(snapshot, stored_version(stored))
    changed = []
    for key in sorted((set(stored) | set(now)) - {VERSION_KEY}):
        if key not in now:
            changed.append(f"{_label(key, snapshot)} (no longer used)")
        elif key not in stored:
            changed.append(f"{_label(key, snapshot)} (now used)")
        elif stored[key] != now[key]:
            changed.append(f"{_label(key, snapshot)} (edited)")
    return changed


def check_fingerprint(study: DesignStudy, snapshot: DesignSnapshot) -> None:
    """Refuse to resume ``study`` on a base design other than the one it started on.

    A study stored before fingerprints were kept has none, and resumes as before.

    Raises
    ------
    InputError
        Naming the study and each part of its base design that changed since it started, and
        what the user can do instead.
    """
    if not study.base_fingerprint:
        return
    version = stored_version(study.base_fingerprint)
    if version not in _VERSIONS:
        raise InputError(
            f"cannot resume design study {study.name!r}: its base-design fingerprint is of "
            f"version {version}, which this release of Cellwright does not know (it knows "
            f"{', '.join(_VERSIONS)}); resume it with the release that started it"
        )
    changed = changed_parts(study.base_fingerprint, snapshot)
    if not changed:
        return
    raise InputError(
        f"cannot resume design study {study.name!r}: its base design changed since the study "
        f"started: {'; '.join(changed)}. Its finished points were computed on the design as it "
        "was, so the remaining points would mix two designs in one table. Run it again from "
        "scratch (Run again from scratch… on its tab, or `cellwright study resume "
        f"{study.name!r} --fresh`, which discards its finished points) or afresh under a new "
        "name (Study → Design study…, or `cellwright study run` with a new [study] name) to "
        "compute every point on the design as it is now, or undo the edit to resume."
    )
