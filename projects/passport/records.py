"""Manufacturing records, lab runs and life events (service, field, second life, recycling)
into the twin history: every file checked whole, then written in one transaction.

Manufacturing records are end-of-line tables (CSV or XLSX), one row per battery, found by a
serial column; a column mapping renames the file's columns to ours. Event files (CSV or JSON)
hold one life event per row with its time and kind. The file's SHA-256 makes a second import of
the same file add nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from cellwright.projects.model import EventKind, InputError
from cellwright.projects.passport.batteries import Battery, batteries, find_battery, now_iso
from cellwright.projects.passport.telemetry import file_sha256
from cellwright.projects.store.history import canonical_json

__all__ = ["LIFE_EVENTS", "RecordImport", "import_events", "import_labrun", "import_manufacturing"]

#: the kinds an event file may hold, and the battery status each one leaves (Battery Pass enum)
LIFE_EVENTS = {
    EventKind.SERVICE: None,
    EventKind.FIELD: None,
    EventKind.SECOND_LIFE: "Repurposed",
    EventKind.RECYCLING: "Waste",
}
#: the battery statuses (Battery Pass ``batteryStatus``) each status-setting kind may name
_STATUS_OF_KIND = {
    EventKind.SECOND_LIFE: ("Repurposed", "Reused", "Remanufactured"),
    EventKind.RECYCLING: ("Waste",),
}


@dataclass
class RecordImport:
    """What importing one records or events file did."""

    path: Path
    events: int = 0
    skipped: str = ""
    batteries: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _rows(path: Path, mapping: dict | None) -> tuple[list[dict[str, Any]], str]:
    """Rows as dicts with mapped names, and how rows are called in messages."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        from cellwright.projects.passport.json_text import read_json

        data = read_json(path)
        rows = data.get("events", data.get("records")) if isinstance(data, dict) else data
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise InputError("expected a list of objects (or {'events': [...]})", str(path))
        kind = "record"
    elif suffix in (".xlsx", ".xlsm"):
        from cellwright.projects.labdata.readers_xlsx import first_sheet_columns

        columns = first_sheet_columns(path)
        names = list(columns)
        rows = [
            {n: _plain(columns[n][i]) for n in names}
            for i in range(len(columns[names[0]]) if names else 0)
        ]
        kind = "row"
    else:
        import csv

        from cellwright.projects.userfiles import read_text

        lines = read_text(path).splitlines()
        header = lines[0] if lines else ""
        # as telemetry is read: the separator the header uses most (Excel in many locales
        # writes ';'); a ';' file read with ',' came in as one column named 'time;kind;…'
        separator = max((",", ";", "\t"), key=header.count)
        rows = list(csv.DictReader(lines, delimiter=separator))
        kind = "line"
    rename = {v: k for k, v in (mapping or {}).items() if isinstance(v, str)}
    return [
        {rename.get(k, k).strip(): v for k, v in r.items() if k is not None} for r in rows
    ], kind


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    return value.isoformat() if isinstance(value, datetime | date) else value


def _where(path: Path, kind: str, n: int) -> str:
    return f"{path}, {'line ' + str(n + 2) if kind == 'line' else f'{kind} {n + 1}'}"


#: how far ahead of this computer's clock a record's time may be: a time logged without a zone
#: is taken as UTC, up to 14 hours from the local time it was
_CLOCK_SLACK = timedelta(days=1)


def _iso_time(value: Any, where: str, name: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise InputError(f"column {name!r} is empty; every event needs its time", where)
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            f"column {name!r}: {text!r} is not an ISO 8601 date or time", where
        ) from None
    stamp = stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    if stamp > datetime.now(UTC) + _CLOCK_SLACK:
        # a history records what happened: a recycling dated 2062 for 2026 made the passport
        # say the battery was waste, and nothing later could undo it
        raise InputError(
            f"column {name!r}: {text!r} is in the future (now "
            f"{datetime.now(UTC).isoformat(timespec='seconds')}); a history records what "
            "happened",
            where,
        )
    return stamp.isoformat(timespec="seconds")


def _battery_of(project, row: dict, serial: str | None, where: str) -> Battery:
    row_serial = str(row.get("serial") or "").strip()
    if serial and row_serial and row_serial != serial:
        raise InputError(f"serial {row_serial!r} differs from --battery {serial!r}", where)
    chosen = row_serial or serial
    if not chosen:
        raise InputError("no 'serial' column and no --battery given", where)
    try:
        return find_battery(project, chosen)
    except InputError as exc:
        raise InputError(exc.detail, where) from None


def _json_safe(row: dict) -> dict:
    out = {}
    for k, v in row.items():
        if isinstance(v, float) and v != v:
            v = None
        out[str(k)] = v if isinstance(v, str | int | float | bool) or v is None else str(v)
    return out


def _identity(kind: str, time: str, payload: dict, spelled: tuple[str, ...]) -> tuple:
    """What makes two events the same event: kind, time and fields, without the fields whose
    spelling may differ between two exports of it (``spelled``: the serial, a time or kind as
    written in the file; the event holds them normalised)."""
    fields = {k: v for k, v in payload.items() if k not in spelled}
    try:  # the same instant written with another offset is the same time
        stamp = datetime.fromisoformat(time)
    except ValueError:
        instant = time
    else:
        instant = (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).astimezone(UTC)
        instant = instant.isoformat()
    return kind, instant, canonical_json(fields)


def _commit(
    project,
    path: Path,
    digest: str,
    planned: list[tuple[Battery, str, str, dict]],
    spelled: tuple[str, ...] = ("serial",),
):
    report = RecordImport(path)
    fresh = [p for p in planned if not project.has_event_source(p[0].id, digest)]
    if not fresh:
        report.skipped = "already imported (same bytes)"
        return report
    # a later export of the same log (every old row and a new one) doubled every event it
    # repeated: a passport then listed one overheating as two negative events
    known = {
        b.id: {_identity(e.kind, e.time, e.payload, spelled) for e in project.events(b.id)}
        for b, *_ in fresh
    }
    new = []
    for battery, kind, time, payload in fresh:
        identity = _identity(kind, time, payload, spelled)
        if identity not in known[battery.id]:
            known[battery.id].add(identity)
            new.append((battery, kind, time, payload))
    if len(new) < len(fresh):
        report.notes.append(
            f"{len(fresh) - len(new)} event(s) already in the history (same kind, time and "
            "fields) not added again"
        )
    fresh = new
    if not fresh:
        report.skipped = "every event is already in the history"
        return report
    with project.transaction():
        for battery, kind, time, payload in fresh:
            project.append_event(battery.id, kind, time, payload, path.name, digest)
    report.events = len(fresh)
    report.batteries = sorted({b.serial for b, *_ in fresh})
    return report


def import_manufacturing(
    project, path: str | Path, serial: str | None = None, mapping: dict | None = None
) -> RecordImport:
    """One ``manufacturing`` event per row of an end-of-line table (CSV/XLSX/JSON).

    Rows find their battery by a ``serial`` column (after ``mapping``: ours -> the file's
    column names), or all go to ``serial``. A ``production_date`` column, when present, is the
    event's time. Every row is checked before anything is written.
    """
    path = Path(path)
    rows, kind = _rows(path, mapping)
    if not rows:
        raise InputError("no rows", str(path))
    planned = []
    for n, row in enumerate(rows):
        where = _where(path, kind, n)
        battery = _battery_of(project, row, serial, where)
        time = (
            _iso_time(row["production_date"], where, "production_date")
            if row.get("production_date")
            else now_iso()
        )
        planned.append((battery, EventKind.MANUFACTURING, time, _json_safe(row)))
    return _commit(project, path, file_sha256(path), planned)


def import_events(
    project, path: str | Path, serial: str | None = None, mapping: dict | None = None
) -> RecordImport:
    """Life events, one per row: ``time``, ``kind`` (service, field, second_life, recycling),
    ``description`` and any further fields; ``serial`` per row or ``serial`` for all.

    A second-life event may name the new ``status`` (Repurposed, Reused, Remanufactured).
    """
    path = Path(path)
    rows, kind = _rows(path, mapping)
    if not rows:
        raise InputError("no events", str(path))
    planned = []
    allowed = ", ".join(LIFE_EVENTS)
    for n, row in enumerate(rows):
        where = _where(path, kind, n)
        battery = _battery_of(project, row, serial, where)
        event_kind = str(row.get("kind") or "").strip().lower().replace("-", "_")
        if event_kind not in LIFE_EVENTS:
            raise InputError(f"column 'kind': {row.get('kind')!r} is not one of {allowed}", where)
        payload = _json_safe(row)
        status = payload.get("status") or LIFE_EVENTS[event_kind]
        # a recycling event's status became the passport's batteryStatus unchecked: 'Shredded'
        # was taken here and only the export failed, naming neither this file nor its line
        allowed_status = _STATUS_OF_KIND.get(event_kind)
        if allowed_status and status not in allowed_status:
            raise InputError(
                f"column 'status': {status!r} is not one of {', '.join(allowed_status)} "
                f"(the battery status a {event_kind} event leaves)",
                where,
            )
        if status:
            payload["status"] = status
        planned.append((battery, event_kind, _iso_time(row.get("time"), where, "time"), payload))
    # by instant, not by text: 10:00+02:00 is before 09:00Z, though it sorts after it
    planned.sort(key=lambda p: datetime.fromisoformat(p[2]))
    return _commit(project, path, file_sha256(path), planned, ("serial", "time", "kind"))


def import_labrun(project, path: str | Path, serial: str, **options: Any) -> RecordImport:
    """A cycler file as a lab run linked to the battery, with its ``labrun`` event."""
    from cellwright.projects.labdata.runs import import_file

    path = Path(path)
    battery = find_battery(project, serial)
    if battery.kind != "cell":
        raise InputError("lab runs are measured on cells; this serial is a pack", str(path))
    digest = file_sha256(path)
    if project.has_event_source(battery.id, digest):
        return RecordImport(path, skipped="already imported (same bytes)")
    with project.transaction():
        run = import_file(project, path, cell_serial=battery.serial, **options)
        record_labrun(project, battery, run)
    return RecordImport(path, events=1, batteries=[battery.serial])


def record_labrun(project, battery: Battery, run) -> None:
    """Append the ``labrun`` event of a run already in the project (idempotent)."""
    if project.has_event_source(battery.id, run.sha256):
        return
    payload = {
        "run": run.id,
        "name": run.name,
        "format": run.format,
        "rows": run.rows,
        "kind": run.kind,
        "start_time": run.start_time,
    }
    time = run.start_time or run.imported_at.isoformat(timespec="seconds")
    project.append_event(
        battery.id, EventKind.LAB_RUN, str(time), payload, run.source_file, run.sha256
    )


def link_run(project, run_name: str, serial: str) -> list[str]:
    """Link a lab run already in the project to the cell it was measured on: the run names
    the cell and the cell's history gets the run's ``labrun`` event. Impedance spectra stored
    from the same file go with it.

    A lab imports its files first and learns which cell each came from later; importing a
    file again with ``--cell`` is refused as the same bytes, so this is the only way to link.

    Returns
    -------
    list of str
        The names of the runs linked (the run, then its spectra); empty when it already was.

    Raises
    ------
    InputError
        Unknown run or serial, a pack's serial, or a run linked to another cell already (a
        history keeps what it recorded, so a run is not moved from one cell to another).
    """
    from cellwright.projects.labdata.runs import find_run

    run = find_run(project, run_name)
    battery = find_battery(project, serial)
    if battery.kind != "cell":
        raise InputError(f"lab runs are measured on cells; {serial!r} is a pack", run.name)
    if run.metadata.get("parent_run"):  # a spectrum goes with the run it was measured in
        run = project.get("labrun", run.metadata["parent_run"])
    if run.physical_cell and run.physical_cell != battery.id:
        other = next((b.serial for b in batteries(project) if b.id == run.physical_cell), "")
        raise InputError(
            f"lab run {run.name!r} is linked to cell {other or run.physical_cell!r} already; "
            "a history keeps what it recorded",
            run.name,
        )
    group = [run] + [r for r in project.list("labrun") if r.metadata.get("parent_run") == run.id]
    linked = [r for r in group if r.physical_cell != battery.id]
    with project.transaction():
        for r in linked:
            project.put(r.model_copy(update={"physical_cell": battery.id}))
        record_labrun(project, battery, run)
    return [r.name for r in linked]


def link_lab_runs(project, serial: str) -> int:
    """Record in the history every lab run linked to the battery that is not there yet."""
    battery = find_battery(project, serial)
    runs = [r for r in project.list("labrun") if r.physical_cell == battery.id]
    before = len(project.events(battery.id))
    with project.transaction():
        for run in runs:
            record_labrun(project, battery, run)
    return len(project.events(battery.id)) - before
