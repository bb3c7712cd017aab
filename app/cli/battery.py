"""``cellwright battery …``: physical cells and packs by serial number."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cellwright.app.cli.root import TWIN, group

battery_cli = group("battery", "Physical cells and packs (serial numbers).", TWIN)


@battery_cli.command("add")
def battery_add(
    serial: Annotated[str, typer.Argument(help="serial number or barcode")],
    project: Annotated[Path, typer.Option("--project", "-p", help="the project to add it to")],
    design: Annotated[
        str, typer.Option(help="cell or pack design (id or name) it was built to")
    ] = "",
    kind: Annotated[str, typer.Option(help="cell or pack")] = "cell",
    pack: Annotated[str, typer.Option(help="serial of the pack the cell is built into")] = "",
    manufacturer: Annotated[str, typer.Option(help="who made it")] = "",
    production_date: Annotated[str, typer.Option(help="YYYY-MM-DD")] = "",
    site: Annotated[str, typer.Option(help="production site")] = "",
) -> None:
    """Register a physical battery and open its history (a ``registered`` event)."""
    from cellwright.projects.passport.batteries import add_battery
    from cellwright.projects.store import Project

    with Project.open(project) as p:
        # a bad date is refused by add_battery itself, naming --production-date, as the window's
        # dialog shows it beside its field
        battery = add_battery(
            p, serial, design, kind, manufacturer, production_date or None, site, pack
        )
    typer.echo(f"added {battery.kind} {battery.serial} (id {battery.id})")


@battery_cli.command("list")
def battery_list(
    project: Annotated[Path, typer.Option("--project", "-p", help="a .cwproj file")],
) -> None:
    """The physical batteries of a project with their design and history length."""
    from cellwright.projects.passport.batteries import batteries
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        for b in batteries(p):
            events = len(p.events(b.id))
            typer.echo(f"{b.serial}\t{b.kind}\t{b.obj.design or '-'}\t{events} events")
