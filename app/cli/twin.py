"""``cellwright twin …``: a battery's history — imports, state of health, verification."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cellwright.app.cli.root import TWIN, finite_number, group

twin_cli = group("twin", "Digital-twin history: imports, state of health, verification.", TWIN)
KINDS = ("telemetry", "manufacturing", "events", "labrun")


@twin_cli.command("import")
def twin_import(
    files: Annotated[list[Path], typer.Argument(help="files to import")],
    project: Annotated[
        Path, typer.Option("--project", "-p", help="the project holding the battery")
    ],
    battery: Annotated[str | None, typer.Option(help="serial (records may name their own)")] = None,
    kind: Annotated[
        str, typer.Option(help="telemetry, manufacturing, events or labrun")
    ] = "telemetry",
    mapping: Annotated[Path | None, typer.Option(help="column mapping JSON")] = None,
    max_gap: Annotated[
        float, typer.Option(help="longest gap between samples [s]", callback=finite_number)
    ] = 3600.0,
) -> None:
    """Import files into a battery's history; each file is checked whole, then stored in one
    transaction, and a file imported before adds nothing."""
    from cellwright.projects.model import InputError
    from cellwright.projects.passport import records
    from cellwright.projects.passport.json_text import read_json
    from cellwright.projects.passport.telemetry import import_telemetry
    from cellwright.projects.store import Project

    if kind not in KINDS:
        raise InputError(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}", "--kind")
    if kind in ("telemetry", "labrun") and not battery:
        raise InputError(f"--kind {kind} needs --battery SERIAL", "--battery")
    if not max_gap > 0:  # nan let every gap through; -1 refused each one as "-1 day, 23:59:59"
        raise InputError(f"the longest gap is a time above 0 s (got {max_gap})", "--max-gap")
    columns = None
    if mapping is not None and kind == "labrun":  # a cycler file's {column: target} mapping
        from cellwright.projects.labdata.mapper import load_mapping

        columns = load_mapping(mapping)
    elif mapping is not None:
        columns = read_json(mapping)
    with Project.open(project) as p:
        for path in files:
            if kind == "telemetry":
                report = import_telemetry(p, path, battery, columns, max_gap)
                what = f"{report.rows:,} rows"
            elif kind == "labrun":
                report = records.import_labrun(p, path, battery, mapping=columns)
                what = "1 lab run"
            else:
                importer = (
                    records.import_manufacturing
                    if kind == "manufacturing"
                    else records.import_events
                )
                report = importer(p, path, battery, columns)
                what = f"{report.events} events for {', '.join(report.batteries) or '-'}"
            typer.echo(f"{path}: {'skipped, ' + report.skipped if report.skipped else what}")
            for note in getattr(report, "notes", ()):
                typer.echo(f"{path}: note: {note}")


@twin_cli.command("soh")
def twin_soh(
    serial: Annotated[str, typer.Argument(help="battery serial")],
    project: Annotated[
        Path, typer.Option("--project", "-p", help="the project holding the battery")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    threshold: Annotated[
        float, typer.Option(help="end-of-life capacity fraction", callback=finite_number)
    ] = 0.8,
) -> None:
    """State of health, capacity, resistance, SOC and remaining life with its interval; the
    estimate is appended to the battery's history."""
    from cellwright.app.twin_estimates import estimate_battery
    from cellwright.projects.store import Project

    with Project.open(project) as p:
        report = estimate_battery(p, serial, threshold)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
        return
    _print_soh(report)


def _print_soh(report) -> None:
    def fmt(value, sd=None, unit="", scale=1.0, digits=4):
        if value is None:
            return "unknown"
        text = f"{value * scale:.{digits}g}"
        return text + (f" ± {sd * scale:.2g}" if sd else "") + unit

    typer.echo(f"battery      {report.serial}")
    typer.echo(f"SOH          {fmt(report.soh, None, ' %', 100)}")
    typer.echo(
        f"capacity     {fmt(report.capacity, report.capacity_sd, ' A.h')} "
        f"(rated {fmt(report.rated_capacity, None, ' A.h')})"
    )
    typer.echo(
        f"resistance   {fmt(report.resistance, None, ' mOhm', 1e3)} "
        f"(initial {fmt(report.resistance_initial, None, ' mOhm', 1e3)})"
    )
    typer.echo(f"SOC          {fmt(report.soc, report.soc_sd, ' %', 100, 3)}")
    if report.rul:
        r = report.rul
        if r["median"] is not None:
            high = f"{r['high']:.0f}" if r["high"] is not None else "beyond the horizon"
            typer.echo(
                f"RUL          {r['median']:.0f} days [{r['low']:.0f}, {high}] "
                f"({round(100 * r['level'])} % credible) to "
                f"{100 * r['threshold_fraction']:.0f} %"
            )
        typer.echo(f"             {r['message']}")
        for h in r.get("history", []):
            typer.echo(f"  as of {h['as_of'][:10]} ({h['points']} points): {_days(h)}")
    for note in report.notes:
        typer.echo(f"note         {note}")
    typer.echo(
        f"points       {len(report.points)} capacity points; estimate event {report.stored_event}"
    )


def _days(forecast: dict) -> str:
    if forecast["median"] is None:
        return "no crossing within the horizon"
    high = f"{forecast['high']:.0f}" if forecast["high"] is not None else "beyond"
    return f"{forecast['median']:.0f} days [{forecast['low']:.0f}, {high}]"


@twin_cli.command("verify")
def twin_verify(
    project: Annotated[Path, typer.Option("--project", "-p", help="a .cwproj file")],
) -> None:
    """Check every battery's hash chain, telemetry digests and issued passport versions; exit 1
    on the first problem."""
    from cellwright.projects.passport.batteries import batteries
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        problems = p.verify_history()
        heads = p.chain_heads()
        serials = {b.id: b.serial for b in batteries(p)}
    for battery, (seq, digest) in sorted(heads.items()):
        typer.echo(f"{serials.get(battery, battery)}\t{seq + 1} events\thead {digest}")
    for problem in problems:
        name = serials.get(problem.battery, problem.battery)
        typer.echo(f"TAMPERED  {name}: event {problem.seq} {problem.problem}", err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo(f"verified {len(heads)} chains")


@twin_cli.command("history")
def twin_history(
    serial: Annotated[str, typer.Argument(help="battery serial")],
    project: Annotated[Path, typer.Option("--project", "-p", help="a .cwproj file")],
) -> None:
    """The events of a battery's history, oldest first."""
    from cellwright.projects.passport.batteries import find_battery
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        for e in p.events(find_battery(p, serial).id):
            typer.echo(f"{e.seq:>4}  {e.time:<25}  {e.kind:<15}  {e.source:<24}  {e.hash[:16]}")
