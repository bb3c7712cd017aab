"""``cellwright gui``: start the window (Qt is imported only when the command runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cellwright.app.cli.root import PROJECTS, cli


@cli.command("gui", rich_help_panel=PROJECTS)
def gui_command(
    project: Annotated[Path | None, typer.Argument(help="project to open")] = None,
) -> None:
    """Start the Cellwright window."""
    from cellwright.app.gui_main import main as gui_main

    raise typer.Exit(gui_main([str(project)] if project else []))
