"""The head of a text export: its first bytes and lines, the line a table starts on, and
its header cells cleaned of vendors' mangled characters."""

from __future__ import annotations

from pathlib import Path

from cellwright.projects.labdata.table import LabDataError

HEAD_BYTES = 65536


def read_head(path: Path, n_bytes: int = HEAD_BYTES) -> bytes:
    """Return the first ``n_bytes`` of ``path`` or raise a LabDataError for unreadable files."""
    check_regular_file(path)
    try:
        with open(path, "rb") as handle:
            return handle.read(n_bytes)
    except OSError as exc:
        raise LabDataError(f"{path}: cannot open ({exc.strerror or exc})") from exc


def check_regular_file(path: Path) -> None:
    """Refuse a device or named pipe before it is opened: ``/dev/zero`` would be read for
    ever and a pipe blocks its reader until someone writes to it. A path that cannot be
    looked at is left to the open, which says why."""
    import os
    import stat

    from cellwright.projects.model.errors import InputError
    from cellwright.projects.userfiles import check_regular

    try:
        if stat.S_ISREG(os.stat(path).st_mode):
            return
    except OSError:
        return
    try:
        check_regular(path, "cycler file")
    except InputError as exc:
        raise LabDataError(str(exc)) from None


def head_lines(path: Path, encoding: str, n_lines: int = 200) -> list[str]:
    """Decode the head of a text file into lines, reporting the byte of a bad character."""
    raw = read_head(path)
    if not raw.strip():
        raise LabDataError(f"{path}: file is empty")
    if b"\x00" in raw[:4096]:
        nul = raw.index(b"\x00")
        raise LabDataError(f"{path}: byte {nul}: NUL byte in a text format")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.start < len(raw) - 4:  # a multi-byte char cut by the head limit is fine
            raise LabDataError(f"{path}: byte {exc.start}: not valid {encoding} text") from exc
        text = raw[: exc.start].decode(encoding)
    return text.splitlines()[:n_lines]


def find_line(lines: list[str], predicate, path: Path, what: str) -> int:
    """Index of the first line satisfying ``predicate``; LabDataError naming ``what`` if none."""
    for number, line in enumerate(lines):
        if predicate(line):
            return number
    raise LabDataError(f"{path}: no {what} found in the first {len(lines)} lines")


def clean_name(name: object) -> str:
    """Strip a header cell and repair the degree sign that vendors mangle (latin-1/UTF-8)."""
    return str(name).strip().replace("\u00ef\u00bf\u00bd", "°").replace("\ufffd", "°")
