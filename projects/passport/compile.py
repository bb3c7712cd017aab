"""Compile a battery's passport from everything the project knows about it.

In order of increasing precedence: defaults, the battery record (serial, production), the
design (rated values, masses, materials: :mod:`.design_facts`), lab runs measured on the cell,
the twin history (telemetry throughput and temperature exposure, life events, the latest
state-of-health estimate), and what the user entered (for a dynamic attribute only where the
history has measured nothing; an empty list of field events is nothing). Every value keeps
its provenance.
"""

from __future__ import annotations

from typing import Any

from cellwright.projects.model import (
    EventKind,
    InputError,
    Passport,
    PassportDraft,
    PassportValue,
)
from cellwright.projects.passport.attributes import attribute
from cellwright.projects.passport.batteries import Battery, find_battery
from cellwright.projects.passport.catenax import DERIVED
from cellwright.projects.passport.entry_check import check_entries
from cellwright.projects.passport.paths import contains

__all__ = ["compile_passport", "draft_for", "set_user_values"]

DEFAULT_THRESHOLD = 80.0  # % of rated capacity: end of first life (the RUL threshold)


def draft_for(project, battery: Battery) -> PassportDraft:
    """The user-entered part of a battery's passport (empty if none yet)."""
    try:
        return project.get("passport_draft", battery.id)
    except InputError:
        return PassportDraft(id=battery.id, name=battery.serial)


def set_user_values(
    project,
    serial: str,
    values: dict[str, Any],
    catenax: dict | None = None,
    source: str = "",
    form: str = "battery-pass",
    typed: bool = True,
    updated: dict[str, str] | None = None,
) -> None:
    """Enter passport values by attribute key (checked against the long-list) and Catena-X
    fields by path; ``source`` names the file they were imported from, if they were, and
    ``form`` the model the values are in (``"catena-x"`` when taken from a Catena-X file).

    Every value is checked against the schema at its path first, and when ``typed`` in (not
    imported) a number against the range of its quantity and a Catena-X field's path against
    the model too (:mod:`.entry_check`); if any is refused, nothing of the batch is stored.

    A value entered for an attribute replaces the Catena-X fields kept at or inside its
    Catena-X path (the imported value's Catena-X form, its time), and those an export computes
    from it (the remaining resistance from the initial one and its increase): they described
    the old one. A passport identifier entered becomes the passport's own.

    A value of None typed in (``KEY=null``) clears what was entered for that attribute, or
    that Catena-X field: the passport then shows what the design, lab data and twin give, or
    nothing.

    ``updated`` gives the time of an imported dynamic value (its ``lastUpdate`` in the file),
    which an export writes back; a value entered without one is stamped by the export.

    Raises
    ------
    InputError
        For an unknown key, an attribute given twice, a battery identifier other than the
        serial, or naming every value that does not fit its schema.
    """
    battery = find_battery(project, serial)
    draft = draft_for(project, battery)
    keys = [attribute(key).key for key in values]  # raises naming an unknown key
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:  # by key and by long-list number: which one was meant?
        raise InputError(f"given twice (by key and number): {', '.join(twice)}", serial)
    catenax = dict(catenax or {})
    # None typed in clears an entry (an import's None is a value its schema checks)
    cleared = {k for k, v in zip(keys, values.values(), strict=True) if v is None and typed}
    gone = {p for p, v in catenax.items() if v is None and typed}
    check_entries(
        {k: v for k, v in values.items() if not (v is None and typed)},
        {p: v for p, v in catenax.items() if p not in gone},
        form,
        typed,
        where=serial,
    )
    values = {k: v for k, v in zip(keys, values.values(), strict=True) if k not in cleared}
    if cleared & {"battery_identifier", "passport_identifier"}:
        raise InputError("the battery and passport identifiers cannot be cleared", serial)
    identifier = _own_identifiers(battery, draft, values)
    sources = {k: v for k, v in draft.sources.items() if k not in values and k not in cleared}
    if source:
        sources |= dict.fromkeys(values, source)
    # a new value drops the time of the one it replaces; an imported one brings its own
    times = {k: v for k, v in draft.updated.items() if k not in values and k not in cleared}
    times |= {k: v for k, v in (updated or {}).items() if k in values and v}
    kept = {k: v for k, v in draft.values.items() if k not in cleared}
    fields = _catenax_outside(draft.catenax, keys)
    update = {
        "identifier": identifier,
        "values": {**kept, **values},
        "sources": sources,
        "updated": times,
        "catenax": {
            **{p: v for p, v in fields.items() if p not in gone},
            **{p: v for p, v in catenax.items() if p not in gone},
        },
    }
    project.put(PassportDraft.model_validate({**draft.model_dump(), **update}))


def _own_identifiers(battery: Battery, draft: PassportDraft, values: dict[str, Any]) -> str:
    """Take the identifiers out of ``values``: the passport identifier entered is the draft's
    own (the compiled passport takes it from there; as a plain value it was ignored), and the
    battery identifier is the serial, which no entry changes. The passport identifier."""
    serial = values.pop("battery_identifier", battery.serial)
    if serial != battery.serial:
        raise InputError(
            f"passport attribute battery_identifier: {serial!r} is not this battery's serial "
            f"{battery.serial!r}; the passport takes its battery identifier from the serial",
            battery.serial,
        )
    return values.pop("passport_identifier", draft.identifier)


def _catenax_outside(fields: dict[str, Any], keys) -> dict[str, Any]:
    """The Catena-X fields at no attribute's Catena-X path of ``keys`` nor inside one, nor
    computed from one of them (:data:`.catenax.DERIVED`)."""
    keys = list(keys)
    outer = [attribute(key).catenax for key in keys if attribute(key).catenax]
    outer += [path for path, sources in DERIVED.items() if set(sources) & set(keys)]
    return {
        path: value
        for path, value in fields.items()
        if not any(contains(attr, path) for attr in outer)
    }


def _v(value: Any, source: str, detail: str, updated: str | None = None) -> PassportValue:
    return PassportValue(value=value, source=source, detail=detail, updated=updated)


def _record_values(battery: Battery) -> dict[str, PassportValue]:
    obj = battery.obj
    out = {"battery_identifier": _v(battery.serial, "twin", "battery record: serial number")}
    if obj.production_date:
        stamp = f"{obj.production_date.isoformat()}T00:00:00Z"
        out["manufacturing_date"] = _v(stamp, "twin", "battery record: production date")
    if obj.production_site:
        place = {"streetAddress": obj.production_site, "postalCode": "", "addressCountry": ""}
        out["manufacturing_place"] = _v(place, "twin", "battery record: production site")
    if obj.manufacturer:
        info = {
            "identifier": obj.manufacturer,
            "contactName": obj.manufacturer,
            "postalAddress": {"streetAddress": "", "postalCode": "", "addressCountry": ""},
        }
        out["manufacturer_information"] = _v(info, "twin", "battery record: manufacturer")
    return out


def _manufacturing_values(project, battery: Battery, values: dict) -> dict[str, PassportValue]:
    """The production date of an end-of-line record when the battery record has none."""
    if "manufacturing_date" in values:
        return {}
    for event in project.events(battery.id):
        if event.kind == EventKind.MANUFACTURING and event.payload.get("production_date"):
            return {
                "manufacturing_date": _v(event.time, "twin", f"manufacturing event {event.seq}")
            }
    return {}


def _design_values(project, battery: Battery) -> dict[str, PassportValue]:
    if not battery.obj.design:
        return {}
    from cellwright.projects.design.resolve import find_design
    from cellwright.projects.passport.design_facts import design_facts

    design, snapshot = find_design(battery.obj.design, project, prefer=battery.kind)
    return design_facts(design, snapshot)


def compile_passport(project, serial: str) -> Passport:
    """The passport of ``serial`` as it stands now (version 0: not issued)."""
    battery = find_battery(project, serial)
    draft = draft_for(project, battery)
    values: dict[str, PassportValue] = {
        "capacity_threshold_exhaustion": _v(
            DEFAULT_THRESHOLD, "default", "end of first life at 80 % of rated capacity"
        ),
        "battery_status": _v("Original", "default", "no second-life or recycling event"),
    }
    values |= _record_values(battery)
    values |= _manufacturing_values(project, battery, values)
    values |= _design_values(project, battery)
    from cellwright.projects.passport.twin_state import lab_values, twin_values

    values |= lab_values(project, battery, values)
    values |= twin_values(project, battery, values)
    measured = {k for k, v in values.items() if v.source in ("twin", "lab")}
    # ... where it measured something: no field events in the history is no measured list
    beats = {k for k in measured if attribute(k).dynamic and values[k].value != []}
    for key, value in draft.values.items():
        if key in beats:
            continue  # a dynamic value the history measured beats one typed in
        imported = draft.sources.get(key)
        values[key] = _v(
            value,
            "import" if imported else "user",
            imported or "entered",
            draft.updated.get(key),
        )
    identifier = draft.identifier or f"urn:cellwright:{battery.id.lower()}"
    values["passport_identifier"] = _v(
        identifier,
        "user" if draft.identifier else "twin",
        "entered" if draft.identifier else "from the battery id",
    )
    heads = project.chain_heads()
    head = heads.get(battery.id, (-1, ""))[1]
    return Passport(
        identifier=identifier,
        battery=battery.serial,
        chain_head=head,
        values=values,
        catenax=_catenax_outside(draft.catenax, beats),
    )
