"""The headless command line, ``cellwright``. No Qt here (import-linter checks it).

One module per command group (:mod:`.project`, :mod:`.library`, :mod:`.design`, :mod:`.cost`,
:mod:`.studies`, :mod:`.design_studies`, :mod:`.ecm`, :mod:`.labdata`, :mod:`.battery`,
:mod:`.twin`, :mod:`.passport`, :mod:`.report`, :mod:`.gui`); each
adds its commands to the root application of :mod:`.root`. Everything heavy is imported inside
the commands so that ``cellwright --help`` is instant. A user error prints one line,
``error: <what and where>``, and exits with status 2; an unexpected failure prints a short
message and the path of a log with the traceback (status 1).
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

# isort: off
# importing a group module adds its commands; `cellwright --help` lists them in this order
from cellwright.app.cli import project, library, design, cost, studies, design_studies  # noqa: F401
from cellwright.app.cli import ecm, labdata  # noqa: F401
from cellwright.app.cli import battery, twin, passport, report, gui  # noqa: F401

# isort: on
from cellwright.app.cli.root import cli, echo_error

__all__ = ["cli", "entry", "main"]


def _log_unexpected(exc: BaseException) -> Path:
    import tempfile
    import traceback

    log = Path(tempfile.gettempdir()) / "cellwright-error.log"
    # a job's failure carries the traceback of where it happened (the engine's)
    details = getattr(exc, "details", "") or "".join(traceback.format_exception(exc))
    log.write_text(details, encoding="utf-8")
    return log


def _usage_errors() -> tuple[type[Exception], ...]:
    """The exceptions of a command-line mistake (unknown command or option, a bad value).

    Newer typer vendors click and raises its own copies of click's errors (subclasses of
    ``typer.TyperException``, and typer no longer needs click installed); older typer raises
    click's. Either is shown as typer shows it, not as an unexpected failure.
    """
    kinds: tuple[type[Exception], ...] = ()
    if hasattr(typer, "TyperException"):
        kinds += (typer.TyperException,)
    try:
        import click
    except ImportError:
        return kinds
    return (*kinds, click.ClickException)


def _not_utf8(argv: list[str]) -> str | None:
    """What is wrong with the first argument that is not UTF-8 text, or None.

    Python hands bytes the locale cannot decode (a Latin-1 terminal, a file named so) over as
    lone surrogates, which no project, design name or SQLite path can store: each was an
    "unexpected failure: … surrogates not allowed" at the first write.
    """
    for n, arg in enumerate(argv, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError as exc:
            raw = arg.encode("utf-8", "surrogateescape")
            byte = arg[exc.start].encode("utf-8", "surrogateescape")
            return (
                f"argument {n} ({raw.decode('utf-8', 'backslashreplace')}): not UTF-8 text "
                f"(byte 0x{byte.hex()}); set the terminal to UTF-8, or rename a file so named"
            )
    return None


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point; returns the exit status."""
    problem = _not_utf8(sys.argv[1:] if argv is None else argv)
    if problem:
        echo_error(problem)
        return 2
    try:
        # without standalone mode click returns the code of a typer.Exit instead of raising
        status = cli(args=argv, standalone_mode=False, prog_name="cellwright")
    except (typer.Abort, KeyboardInterrupt):
        echo_error("interrupted")
        return 130
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except Exception as exc:
        # projects.model is only imported when there is an error to classify: it loads numpy,
        # and `cellwright --help` must stay instant
        from cellwright.projects.model import InputError

        if isinstance(exc, InputError):
            echo_error(str(exc))
            return 2
        if isinstance(exc, _usage_errors()):
            if hasattr(exc, "show"):
                exc.show()
            else:
                echo_error(str(exc))
            return int(getattr(exc, "exit_code", 2))
        if isinstance(exc, OSError):
            from cellwright.projects.userfiles import describe_os_error

            echo_error(describe_os_error(exc))
            return 2
        echo_error(f"unexpected failure: {exc} (details in {_log_unexpected(exc)})")
        return 1
    return status if isinstance(status, int) else 0


def entry() -> None:
    """The ``cellwright`` executable."""
    sys.exit(main())
