"""Physical batteries: cells and packs by serial number, and their place in the history.

Everything that concerns a physical battery (lab runs, telemetry, passports, events) finds it by
its serial number. Adding a battery records a ``registered`` event, building a cell into a pack
a ``pack_membership`` event, so the history starts with where the battery came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from cellwright.projects.model import EventKind, InputError, PhysicalCell, PhysicalPack

__all__ = [
    "Battery",
    "BatteryFieldError",
    "add_battery",
    "assign_to_pack",
    "batteries",
    "find_battery",
    "now_iso",
]


class BatteryFieldError(InputError):
    """A refusal of :func:`add_battery` that concerns one of its arguments.

    The message and ``where`` are what the command line prints; ``field`` names the argument
    (``serial``, ``kind``, ``design``, ``pack`` or ``production_date``), so a form can show the
    message beside the input it is about.
    """

    def __init__(self, message: str, where: str | None, field: str) -> None:
        super().__init__(message, where)
        self.field = field


@contextmanager
def _about(field: str) -> Iterator[None]:
    """Tag the refusals raised inside with the argument they concern."""
    try:
        yield
    except BatteryFieldError:
        raise
    except InputError as exc:
        raise BatteryFieldError(exc.detail, exc.where, field) from None


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Battery:
    """A physical cell or pack of the project, as the twin and the passport see it."""

    obj: PhysicalCell | PhysicalPack

    @property
    def id(self) -> str:
        return self.obj.id

    @property
    def serial(self) -> str:
        return self.obj.name

    @property
    def kind(self) -> str:
        """``"cell"`` or ``"pack"``."""
        return "pack" if isinstance(self.obj, PhysicalPack) else "cell"


def batteries(project) -> list[Battery]:
    """Every physical cell and pack of the project, packs first, by serial."""
    packs = [Battery(p) for p in project.list("physical_pack")]
    cells = [Battery(c) for c in project.list("physical_cell")]
    return packs + cells


def find_battery(project, serial: str) -> Battery:
    """The battery with this serial number (or id).

    Raises
    ------
    InputError
        Naming the serial, the serials the project has, and how to add one in the window or
        the CLI (the message is shown in both).
    """
    for battery in batteries(project):
        if serial in (battery.serial, battery.id):
            return battery
    known = ", ".join(b.serial for b in batteries(project)) or "none yet"
    raise InputError(
        f"no battery with serial {serial!r} in this project (serials: {known}); "
        "add it (File ▸ Add battery… or `cellwright battery add`)",
        str(project.path),
    )


def _check_design(project, design: str, kind: str) -> None:
    if not design:
        return
    from cellwright.projects.design.resolve import find_design

    found, _ = find_design(design, project, prefer=kind)  # raises naming what exists
    is_pack = found.__class__.__name__ == "PackDesign"
    if (kind == "pack") != is_pack:
        raise InputError(
            f"design {design!r} is a {'pack' if is_pack else 'cell'} design, not a {kind} design",
            "--design",
        )


def add_battery(
    project,
    serial: str,
    design: str = "",
    kind: str = "cell",
    manufacturer: str = "",
    production_date: date | str | None = None,
    production_site: str = "",
    pack: str = "",
) -> Battery:
    """Register a physical cell or pack and open its history.

    Nothing is written unless every argument is taken.

    Raises
    ------
    BatteryFieldError
        If the serial exists already, the kind is neither cell nor pack, the design is unknown
        or of the other kind, the pack is not in the project, or the production date is no
        calendar date; its ``field`` names the argument.
    """
    serial = serial.strip()
    if not serial:
        raise BatteryFieldError("a battery needs a serial number", "serial", "serial")
    if any(b.serial == serial for b in batteries(project)):
        raise BatteryFieldError(
            f"a battery with serial {serial!r} exists already", str(project.path), "serial"
        )
    if kind not in ("cell", "pack"):
        raise BatteryFieldError(f"kind must be 'cell' or 'pack', not {kind!r}", "--kind", "kind")
    with _about("design"):
        _check_design(project, design, kind)
    if pack:
        # checked before the cell is written: inside the transaction the refusal listed the
        # new serial among the project's, as if it had been added
        with _about("pack"):
            if kind != "cell":
                raise InputError(f"{serial!r} is a pack; only cells go into packs", "--pack")
            if find_battery(project, pack).kind != "pack":
                raise InputError(f"{pack!r} is a cell, not a pack", "--pack")
    production_date = _production_date(production_date)
    fields = dict(
        name=serial,
        design=design,
        manufacturer=manufacturer,
        production_date=production_date or None,
        production_site=production_site,
    )
    obj = PhysicalPack(**fields) if kind == "pack" else PhysicalCell(**fields)
    with project.transaction():
        project.put(obj)
        battery = Battery(obj)
        project.append_event(
            battery.id,
            EventKind.REGISTERED,
            now_iso(),
            {"serial": serial, "kind": kind, **_production(obj)},
        )
        if pack:
            assign_to_pack(project, serial, pack)
    return Battery(project.get("physical_pack" if kind == "pack" else "physical_cell", obj.id))


def _production_date(value: date | str | None) -> date | None:
    """The production date as given (a date, YYYY-MM-DD or nothing), or a refusal naming it."""
    from cellwright.projects.passport.dates import DATE_PATTERN, calendar_problem

    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        # pydantic refused 2024-13-01 in the model, with its own wording and no field name;
        # the calendar check says what is wrong with the day
        problem = calendar_problem(DATE_PATTERN, text)
        if not problem:
            try:
                value = date.fromisoformat(text)
            except ValueError:  # a calendar day outside years 1..9999 (0000-01-01)
                problem = "is not a date of the years 0001 to 9999"
        if problem:
            raise _date_refused(f"production date {text!r} {problem}")
    # a day of slack: the date is local to the factory, today is UTC
    today = datetime.now(UTC).date()
    if value is not None and value > today + timedelta(days=1):
        # as a record's import refuses it: the passport would date the battery after now
        raise _date_refused(
            f"production date {value.isoformat()!r} is in the future (today is "
            f"{today.isoformat()}); a history records what happened"
        )
    return value


def _date_refused(message: str) -> BatteryFieldError:
    return BatteryFieldError(message, "--production-date", "production_date")


def _production(obj: PhysicalCell | PhysicalPack) -> dict[str, str]:
    out = {"design": obj.design, "manufacturer": obj.manufacturer}
    out["production_date"] = obj.production_date.isoformat() if obj.production_date else ""
    out["production_site"] = obj.production_site
    return out


def assign_to_pack(project, cell_serial: str, pack_serial: str) -> None:
    """Record that a cell is built into a pack (an empty pack serial takes it out)."""
    cell = find_battery(project, cell_serial)
    if cell.kind != "cell":
        raise InputError(f"{cell_serial!r} is a pack; only cells go into packs", "--pack")
    pack_id = ""
    if pack_serial:
        pack = find_battery(project, pack_serial)
        if pack.kind != "pack":
            raise InputError(f"{pack_serial!r} is a cell, not a pack", "--pack")
        pack_id = pack.id
    with project.transaction():
        project.put(cell.obj.model_copy(update={"pack": pack_id}))
        payload = {"pack": pack_serial, "cell": cell_serial}
        project.append_event(cell.id, EventKind.PACK_MEMBERSHIP, now_iso(), payload)
        if pack_id:
            project.append_event(pack_id, EventKind.PACK_MEMBERSHIP, now_iso(), payload)
