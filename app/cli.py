"""The headless command line: ``cellwright``. No Qt here (checked by import-linter)."""

from __future__ import annotations

import json
import sys

import typer

cli = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Cellwright: cell and pack engineering."
)


@cli.command("engines")
def engines_command(
    schema: bool = typer.Option(False, help="print each engine's spec schema"),
) -> None:
    """List the installed engines (and their spec schemas)."""
    from engines.api import available_engines, spec_schema

    for engine_id, info in available_engines().items():
        typer.echo(f"{engine_id}\t{info.target}")
        if schema:
            typer.echo(json.dumps(spec_schema(engine_id), indent=2))


def main() -> None:
    """Console-script entry point."""
    sys.exit(cli())
