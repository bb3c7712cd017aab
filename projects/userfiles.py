"""Reading and writing the user's files with errors a person can act on.

Every file a user names (study files, profiles, library entries, mappings, exports) goes through
here, so a missing file, a folder where a file was expected, a permission problem, a full disk or
text in an unexpected encoding is an :class:`~cellwright.projects.model.InputError` that names
the file and says what is wrong — never a traceback.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from cellwright.projects.model.errors import InputError

__all__ = [
    "check_regular",
    "check_writable",
    "describe_os_error",
    "read_bytes",
    "read_text",
    "writing",
]

_REASONS = {
    errno.ENOENT: "not found",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EISDIR: "is a folder, not a file",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.ENOSPC: "no space left on the device",
    errno.EROFS: "the file system is read-only",
    errno.ENAMETOOLONG: "the name is too long",
}


def describe_os_error(exc: OSError, what: str = "file") -> str:
    """One line for an OS error on a user's file: ``<what> <path>: <reason>``."""
    reason = _REASONS.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()
    path = exc.filename if exc.filename is not None else ""
    return f"{what} {path}: {reason}".replace("  ", " ")


def _input_error(exc: OSError, path: Path, what: str) -> InputError:
    reason = _REASONS.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()
    return InputError(f"{what}: {reason}", str(path))


def read_bytes(path: str | Path, what: str = "file") -> bytes:
    """The bytes of a user's file.

    Raises
    ------
    InputError
        Naming the file and the reason (not found, permission denied, a folder …).
    """
    path = Path(path)
    check_regular(path, what)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _input_error(exc, path, what) from None


def check_regular(path: str | Path, what: str = "file") -> None:
    """Refuse a path that is not a regular file before anything opens it.

    A device such as ``/dev/zero`` reads forever and a named pipe blocks its reader until
    someone writes to it, so either would hang a command that was only given the wrong path.

    Raises
    ------
    InputError
        Naming the file and the reason (not found, a folder, not a regular file …).
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise _input_error(exc, path, what) from None
    if stat.S_ISDIR(mode):
        raise InputError(f"{what}: is a folder, not a file", str(path))
    if not stat.S_ISREG(mode):
        kind = (
            "a named pipe"
            if stat.S_ISFIFO(mode)
            else "a device"
            if (stat.S_ISCHR(mode) or stat.S_ISBLK(mode))
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "not a regular file"
        )
        raise InputError(f"{what}: is {kind}, not a regular file", str(path))


def read_text(path: str | Path, what: str = "file", encoding: str | None = None) -> str:
    """The text of a user's file: UTF-8, with or without a byte-order mark, or UTF-16/32 with
    one (see :func:`~cellwright.projects.text_encoding.decode_text`); ``encoding`` forces one.

    Raises
    ------
    InputError
        Naming the file and the reason, or the line and byte that is not text and what the
        file looks like instead (Latin-1, binary data, a project …).
    """
    from cellwright.projects.text_encoding import decode_text

    path = Path(path)
    data = read_bytes(path, what)
    if encoding is None:
        return decode_text(data, str(path), what)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"line {line}: {what}: not {encoding} text "
            f"(byte {exc.start}: {data[exc.start : exc.start + 4]!r})",
            str(path),
        ) from None


def check_writable(
    path: str | Path,
    what: str = "file",
    formats: tuple[str, ...] | None = None,
    *,
    over_project: bool = False,
) -> Path:
    """Refuse early, with a clear message, a path that cannot be written.

    The folder must exist and be writable, and the path must not be a folder; with
    ``formats`` (suffixes such as ``".vtu"``) its suffix must be one of them, since the
    writer's own refusal ("Could not deduce file format") would surface as an unexpected
    failure. A Cellwright project is not written over unless ``over_project`` (Save and Save
    As, which write a project).
    """
    path = Path(path)
    if formats is not None and path.suffix.lower() not in formats:
        raise InputError(
            f"{what}: cannot write {path.suffix or 'a file without extension'}; "
            f"use {', '.join(formats)}",
            str(path),
        )
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(f"{what}: is a folder, not a file", str(path))
    if not over_project:
        _refuse_project(path, what)
    if not folder.is_dir():
        raise InputError(f"{what}: the folder {folder} does not exist", str(path))
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError(f"{what}: permission denied", str(path))
    return path


def _refuse_project(path: Path, what: str) -> None:
    """Refuse to write a user's output over a Cellwright project: ``labdata summary RUN --csv
    p.cwproj -p p.cwproj`` (an option's value typed where the next one belonged) replaced the
    whole project with a CSV table. Told by its content (SQLite with our application id), so
    a renamed project is safe too."""
    from cellwright.projects.store.schema import APPLICATION_ID

    if not path.is_file():
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(72)
    except OSError:
        return  # writing will say why it cannot
    if head[:16] == b"SQLite format 3\x00" and head[68:72] == APPLICATION_ID.to_bytes(4, "big"):
        raise InputError(
            f"{what}: is a Cellwright project, which writing here would replace; give another "
            "file name",
            str(path),
        )


@contextmanager
def writing(
    path: str | Path, what: str = "file", *, newline: str | None = None
) -> Iterator[IO[str]]:
    """Open a user's file for writing text (UTF-8); OS errors become an :class:`InputError`."""
    path = Path(path)
    _refuse_project(path, what)
    try:
        fh = path.open("w", encoding="utf-8", newline=newline)
    except OSError as exc:
        folder = path.parent if str(path.parent) else Path(".")
        if exc.errno == errno.ENOENT and not folder.is_dir():
            # "not found" reads as if the file should have existed; on writing, it is the folder.
            raise InputError(f"{what}: the folder {folder} does not exist", str(path)) from None
        raise _input_error(exc, path, what) from None
    try:
        with fh:
            yield fh
    except OSError as exc:
        raise _input_error(exc, path, what) from None
