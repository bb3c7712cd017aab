"""The root ``cellwright`` application and what every command group shares."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

__all__ = [
    "DESIGN",
    "LABDATA",
    "PROJECTS",
    "STUDIES",
    "TWIN",
    "ProjectArgument",
    "ProjectOption",
    "ProjectOrOption",
    "cli",
    "echo_error",
    "either_project",
    "end_progress",
    "finite_number",
    "group",
    "show_progress",
]

cli = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    help="Cellwright: lithium-ion cell and pack engineering.",
)

#: ``--project/-p`` where a command may read a project but does not need one
ProjectOption = Annotated[
    Path | None, typer.Option("--project", "-p", help="project holding the design")
]

#: the project of a listing command given by position (``cellwright results P``) ...
ProjectArgument = Annotated[
    Path | None, typer.Argument(help="a .cwproj file (or give it as --project)", show_default=False)
]
#: ... or as ``--project/-p``, as every other command takes it
ProjectOrOption = Annotated[
    Path | None, typer.Option("--project", "-p", help="a .cwproj file", show_default=False)
]


def either_project(positional: Path | None, option: Path | None) -> Path:
    """The project of a command that takes it by position or as ``--project``: one of them.

    Listing commands took the project by position only, while the commands beside them take
    ``-p``; ``cellwright labdata list -p P`` was "No such option". Both forms now work.
    """
    if positional is not None and option is not None and positional != option:
        raise typer.BadParameter(
            f"two projects given ({positional} and --project {option}): give one"
        )
    chosen = positional if positional is not None else option
    if chosen is None:
        raise typer.BadParameter("give the project: PROJECT or --project PROJECT")
    return chosen


#: the panels ``cellwright --help`` sorts commands into
PROJECTS, DESIGN, STUDIES, LABDATA = "Projects", "Library and designs", "Studies", "Lab data"
TWIN = "Batteries, twin and passport"


def group(name: str, help: str, panel: str) -> typer.Typer:
    """A sub-command group ``cellwright NAME …`` added to the root application."""
    sub = typer.Typer(no_args_is_help=True, help=help, rich_markup_mode="markdown")
    cli.add_typer(sub, name=name, rich_help_panel=panel)
    return sub


def finite_number(param: typer.CallbackParam, value: float | None) -> float | None:
    """Callback of a number option: NaN and infinities (which typer reads from "nan", "inf")
    are refused as such, before a range check would call NaN out of range or let it pass."""
    if value is not None and not math.isfinite(value):
        # projects.model loads numpy: imported only when there is an error to report
        from cellwright.projects.model import InputError
        from cellwright.projects.model.errors import FINITE

        raise InputError(f"{FINITE} (got {value})", param.opts[0] if param.opts else param.name)
    return value


#: whether a progress line is open on stderr (written without its newline)
_progress_open = False


def echo_error(message: str) -> None:
    """The one-line form of every user error: ``error: <what and where>`` on stderr, on a line
    of its own (after an unfinished progress line it was "[  0.0 %] reading nope.csv  error: …")."""
    global _progress_open
    start = "\n" if _progress_open else ""
    typer.echo(f"{start}error: {message}", err=True)
    _progress_open = False


def show_progress(fraction: float | None, message: str) -> None:
    """A progress line on stderr, rewritten in place (stdout keeps only the results)."""
    global _progress_open
    pct = f"{100 * fraction:5.1f} %" if fraction is not None else "   …   "
    typer.echo(f"\r[{pct}] {message[:60]:<60}", err=True, nl=False)
    _progress_open = True


def end_progress() -> None:
    """End the open progress line, if one is open."""
    global _progress_open
    if _progress_open:
        typer.echo("", err=True)
    _progress_open = False
