"""``cellwright passport …``: battery passports — enter, issue, export, validate, compare."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cellwright.app.cli.root import TWIN, group

passport_cli = group("passport", "Battery passports (Battery Pass v1.2, Catena-X 6.1.0).", TWIN)


@passport_cli.command("export")
def passport_export(
    serial: Annotated[str, typer.Argument(help="battery serial")],
    project: Annotated[
        Path, typer.Option("--project", "-p", help="the project holding the battery")
    ],
    access: Annotated[str, typer.Option(help="public, legitimate-interest or authority")],
    output: Annotated[Path, typer.Option("-o", "--output", help="JSON file to write")],
    format: Annotated[str, typer.Option(help="battery-pass or catena-x")] = "battery-pass",
    version: Annotated[int | None, typer.Option(help="issued version (default: now)")] = None,
    partial: Annotated[
        bool, typer.Option(help="write even if required values are missing")
    ] = False,
) -> None:
    """Export a passport for one access level, validated against the format's schemas; it
    holds no attribute above that level."""
    from cellwright.projects.model import InputError
    from cellwright.projects.passport.attributes import access_rank
    from cellwright.projects.passport.exchange import export_passport, write_json
    from cellwright.projects.passport.versions import passport_version
    from cellwright.projects.store import Project

    access_rank(access)
    with Project.open(project, readonly=True) as p:
        passport = passport_version(p, serial, 0 if version is None else version)
    document, problems = export_passport(passport, access, format, project)
    if problems and not partial:
        listed = "\n  ".join(str(x) for x in problems)
        raise InputError(
            f"the {format} export for {access} fails its schema "
            f"(--partial writes it anyway):\n  {listed}",
            serial,
        )
    write_json(document, output)
    note = f" ({len(problems)} schema problems)" if problems else ", valid"
    typer.echo(f"wrote {output}: {format} passport of {serial} for {access}{note}")


@passport_cli.command("validate")
def passport_validate(file: Annotated[Path, typer.Argument(help="a passport JSON file")]) -> None:
    """Validate a Battery Pass or Catena-X passport file (UTF-8 or UTF-16 with a BOM)."""
    from cellwright.projects.passport.exchange import validate_file

    kind, problems = validate_file(file)
    for problem in problems:
        typer.echo(f"{file}: {problem}", err=True)
    if problems:
        typer.echo(f"{file}: {kind}: {len(problems)} problems", err=True)
        raise typer.Exit(1)
    typer.echo(f"{file}: valid {kind} passport")


@passport_cli.command("set")
def passport_set(
    serial: Annotated[str, typer.Argument(help="battery serial")],
    project: Annotated[
        Path, typer.Option("--project", "-p", help="the project holding the battery")
    ],
    values: Annotated[
        list[str] | None, typer.Argument(help="KEY=VALUE (VALUE as JSON, else text)")
    ] = None,
    file: Annotated[
        Path | None, typer.Option(help='JSON {"values": {KEY: VALUE}, "catenax": {PATH: VALUE}}')
    ] = None,
) -> None:
    """Enter passport attributes by key (see ``passport show`` for the keys); each value is
    checked against the passport schemas first, and if one is refused nothing is stored."""
    from cellwright.projects.model import InputError
    from cellwright.projects.passport.compile import set_user_values
    from cellwright.projects.store import Project

    parsed, catenax = _entries_file(file) if file is not None else ({}, {})
    for key, value in _entries_typed(values or []).items():
        if key in parsed:
            raise InputError(f"{key} is given twice: in {file} and as {key}=…", "values")
        parsed[key] = value
    if not parsed and not catenax:
        raise InputError("nothing to enter: give KEY=VALUE or --file ENTRIES.json", "values")
    with Project.open(project) as p:
        set_user_values(p, serial, parsed, catenax)
    typer.echo(f"set {len(parsed)} attribute(s) and {len(catenax)} Catena-X field(s) of {serial}")


def _entries_file(file: Path) -> tuple[dict, dict]:
    """The values and Catena-X fields of a ``--file``; anything else in it is refused, so a
    file of bare ``{KEY: VALUE}`` is not taken as nothing to enter."""
    from cellwright.projects.model import InputError
    from cellwright.projects.passport.json_text import read_json

    entries = read_json(file)
    shape = 'expected {"values": {KEY: VALUE}, "catenax": {"/json/path": VALUE}}'
    if not isinstance(entries, dict):
        raise InputError(shape, str(file))
    other = sorted(k for k in entries if k not in ("values", "catenax") and k != "$comment")
    if other:
        raise InputError(f"{shape}, not {', '.join(map(repr, other))}", str(file))
    parts = entries.get("values", {}), entries.get("catenax", {})
    if not all(isinstance(part, dict) for part in parts):
        raise InputError(f"{shape}: each an object", str(file))
    return dict(parts[0]), dict(parts[1])


def _entries_typed(items: list[str]) -> dict:
    """KEY=VALUE items -> key -> value: VALUE as JSON, else text; and text as typed where the
    JSON value does not fit the attribute and the text does (``carbon_footprint_class=1``)."""
    from cellwright.projects.jsontext import loads as json_loads
    from cellwright.projects.model import InputError
    from cellwright.projects.passport.entry_check import entry_problems

    out: dict = {}
    for item in items:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep:
            raise InputError(f"{item!r} is not KEY=VALUE", "values")
        if key in out:
            raise InputError(f"{key} is given twice", "values")
        try:
            value = json_loads(text)
        except json.JSONDecodeError:
            value = text
        if value is not None and not isinstance(value, str) and entry_problems({key: value}, {}):
            value = text if not entry_problems({key: text}, {}) else value
        if isinstance(value, str):
            value = _in_its_unit(key, value)
        out[key] = value
    return out


def _in_its_unit(key: str, text: str):
    """``text`` with a unit ("5 kg", "5000 g") as a number in the attribute's unit, as every
    other field of Cellwright takes units at the edge (``battery_mass="5 kg"`` was refused as
    "not a number (kg)"); anything else, or an attribute without a physical unit, as typed."""
    from cellwright.projects.model import InputError
    from cellwright.projects.passport.attributes import attribute
    from cellwright.projects.units import looks_numeric, to_unit

    try:
        unit = attribute(key).unit
    except InputError:
        return text  # an unknown key: the check names it
    if not unit or unit in ("-", "%") or looks_numeric(text) or not any(c.isdigit() for c in text):
        return text  # a bare number typed as text ("1") stays the text the attribute may want
    try:
        return to_unit(text, unit)
    except (InputError, ValueError):
        return text


@passport_cli.command("import")
def passport_import(
    serial: Annotated[str, typer.Argument(help="battery serial")],
    file: Annotated[
        Path | None, typer.Argument(help="Battery Pass or Catena-X JSON", show_default=False)
    ] = None,
    project: Annotated[
        Path, typer.Option("--project", "-p", help="the project holding the battery")
    ] = ...,  # type: ignore[assignment]
    battery: Annotated[
        str | None, typer.Option(hidden=True, help="the serial, as earlier versions took it")
    ] = None,
) -> None:
    """Take a passport file's values into a battery's passport (validated first); one line
    for each value not taken, with its path in the file and why, and one for each required
    field the file lacks (an export for a lower access level withholds some by design).

    The serial comes first, as in every other passport command; the earlier form,
    FILE --battery SERIAL, still works.
    """
    from cellwright.projects.passport.exchange import import_passport_file
    from cellwright.projects.store import Project

    if battery is not None:
        if file is not None:
            raise typer.BadParameter("give the serial once: SERIAL FILE, or FILE --battery SERIAL")
        serial, file = battery, Path(serial)
    elif file is None:
        raise typer.BadParameter("give the battery serial and the passport file: SERIAL FILE")
    battery = serial
    with Project.open(project) as p:
        imported = import_passport_file(p, battery, file)
    for path, why in imported.skipped:
        typer.echo(f"not taken: {path}: {why}")
    for path in imported.missing:
        typer.echo(f"missing: {path} (required by the schema; not in this file)")
    for warning in imported.warnings:
        typer.echo(f"warning: {warning}", err=True)
    kept = f" and kept {imported.catenax} Catena-X field(s)" if imported.catenax else ""
    missing = f", {len(imported.missing)} required field(s) missing" if imported.missing else ""
    typer.echo(
        f"imported {imported.attributes} attribute(s){kept} into the passport of {battery}; "
        f"{len(imported.skipped)} value(s) not taken{missing}"
    )


@passport_cli.command("issue")
def passport_issue(
    serial: Annotated[str, typer.Argument(help="battery serial")],
    project: Annotated[
        Path, typer.Option("--project", "-p", help="the project holding the battery")
    ],
) -> None:
    """Issue the passport as it stands now as the next version (recorded in the history)."""
    from cellwright.projects.passport.versions import issue_passport
    from cellwright.projects.store import Project

    with Project.open(project) as p:
        passport = issue_passport(p, serial)
    typer.echo(f"issued version {passport.version} of {passport.identifier}")


@passport_cli.command("diff")
def passport_diff(
    serial: Annotated[str, typer.Argument(help="battery serial")],
    project: Annotated[
        Path, typer.Option("--project", "-p", help="the project holding the battery")
    ],
    old: Annotated[int, typer.Option(help="older version")] = 1,
    new: Annotated[int, typer.Option(help="newer version (0: now)")] = 0,
) -> None:
    """What changed between two passport versions, attribute by attribute."""
    from cellwright.projects.passport.versions import diff_passports, passport_version
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        changes = diff_passports(passport_version(p, serial, old), passport_version(p, serial, new))
    for change in changes:
        typer.echo(str(change))
    typer.echo(f"{len(changes)} change(s) from version {old} to {new or 'now'}")


@passport_cli.command("show")
def passport_show(
    serial: Annotated[str, typer.Argument(help="battery serial")],
    project: Annotated[
        Path, typer.Option("--project", "-p", help="the project holding the battery")
    ],
) -> None:
    """Every attribute with its value, access level and provenance."""
    from cellwright.projects.passport.attributes import attributes
    from cellwright.projects.passport.compile import compile_passport
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        passport = compile_passport(p, serial)
    for attr in attributes():
        value = passport.values.get(attr.key)
        shown = "-" if value is None else json.dumps(value.value, ensure_ascii=False)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        source = f"{value.source}: {value.detail}" if value else ""
        typer.echo(f"{attr.number:>3} {attr.key:<38} {attr.access:<20} {shown:<60} {source}")


@passport_cli.command("qr")
def passport_qr_command(
    serial: Annotated[str, typer.Argument(help="battery serial")],
    project: Annotated[
        Path, typer.Option("--project", "-p", help="the project holding the battery")
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help=".svg, .png or .pdf")],
    resolver: Annotated[str, typer.Option(help="URL prefix the identifier resolves at")] = "",
) -> None:
    """Write the QR code of the battery's passport identifier."""
    from cellwright.projects.passport.compile import compile_passport
    from cellwright.projects.passport.qr import passport_qr
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        identifier = compile_passport(p, serial).identifier
    passport_qr(identifier, output, resolver)
    typer.echo(f"wrote {output}: {resolver}{identifier}")
