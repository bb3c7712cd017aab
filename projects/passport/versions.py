"""Issued passport versions: stored whole, chained into the battery's history, compared.

Issuing a passport freezes what :func:`compile_passport` says now as version n+1, stores it in
``passport_versions`` and appends a ``passport`` event carrying its SHA-256, so the history
proves which passport was issued when, and the passport names the chain head it was issued at.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cellwright.projects.model import EventKind, InputError, Passport
from cellwright.projects.passport.attributes import attribute
from cellwright.projects.passport.batteries import find_battery
from cellwright.projects.passport.compile import compile_passport
from cellwright.projects.store.history import canonical_json

__all__ = ["Change", "diff_passports", "issue_passport", "passport_version", "passport_versions"]


def _digest(passport: Passport) -> str:
    return hashlib.sha256(canonical_json(passport.model_dump(mode="json")).encode()).hexdigest()


def issue_passport(project, serial: str) -> Passport:
    """Issue the current passport of ``serial`` as its next version."""
    battery = find_battery(project, serial)
    versions = passport_versions(project, serial)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    passport = compile_passport(project, serial).model_copy(
        update={"version": len(versions) + 1, "issued_at": stamp}
    )
    digest = _digest(passport)
    with project.transaction():
        project.store_passport_version(
            battery.id, passport.version, stamp, passport.model_dump_json(), digest
        )
        project.append_event(
            battery.id,
            EventKind.PASSPORT,
            stamp,
            {"version": passport.version, "identifier": passport.identifier, "sha256": digest},
        )
    return passport


def passport_versions(project, serial: str) -> list[Passport]:
    """Every issued version of ``serial``'s passport, oldest first."""
    from pydantic import ValidationError

    battery = find_battery(project, serial)
    versions = []
    for number, text in enumerate(project.passport_versions(battery.id), start=1):
        try:
            versions.append(Passport.model_validate_json(text))
        except ValidationError as exc:  # edited by hand: was a raw ValidationError, status 1
            raise InputError(
                f"stored passport version {number} of {serial!r} is damaged: "
                f"{exc.errors()[0]['msg']}",
                str(project.path),
            ) from None
    return versions


def passport_version(project, serial: str, version: int | None = None) -> Passport:
    """One issued version (the latest by default); version 0 is the current draft."""
    if version == 0:
        return compile_passport(project, serial)
    versions = passport_versions(project, serial)
    if not versions:
        raise InputError(
            f"no passport of {serial!r} was issued yet; issue one with `cellwright passport issue`"
        )
    if version is None:
        return _as_issued(project, serial, versions[-1])
    if not 1 <= version <= len(versions):
        raise InputError(f"{serial!r} has passport versions 1–{len(versions)}, not {version}")
    return _as_issued(project, serial, versions[version - 1])


def _as_issued(project, serial: str, passport: Passport) -> Passport:
    """``passport`` if it is the version its history recorded; an edited one was exported and
    compared as if it had been issued so."""
    battery = find_battery(project, serial)
    recorded = [
        e.payload.get("sha256")
        for e in project.events(battery.id)
        if e.kind == EventKind.PASSPORT and e.payload.get("version") == passport.version
    ]
    if _digest(passport) not in recorded:
        raise InputError(
            f"passport version {passport.version} of {serial!r} is not the one issued: its "
            "SHA-256 differs from the one its history recorded (`cellwright twin verify` "
            "checks the whole project)"
        )
    return passport


@dataclass(frozen=True)
class Change:
    """One attribute that differs between two passport versions."""

    key: str
    name: str
    before: Any
    after: Any
    source: str

    def __str__(self) -> str:
        if self.before is None:
            return f"+ {self.name}: {_short(self.after)}  [{self.source}]"
        if self.after is None:
            return f"- {self.name}: {_short(self.before)}"
        return f"~ {self.name}: {_short(self.before)} -> {_short(self.after)}  [{self.source}]"


def _short(value: Any) -> str:
    text = canonical_json(value) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:77] + "..."


def diff_passports(old: Passport, new: Passport) -> list[Change]:
    """What changed from ``old`` to ``new``, attribute by attribute, in long-list order."""
    changes = []
    for key in sorted(set(old.values) | set(new.values), key=lambda k: attribute(k).number):
        before, after = old.values.get(key), new.values.get(key)
        a = before.value if before else None
        b = after.value if after else None
        if a != b:
            changes.append(
                Change(key, attribute(key).name.strip(), a, b, after.source if after else "")
            )
    return changes
