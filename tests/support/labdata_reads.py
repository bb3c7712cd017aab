"""Reading a cycler file in tests that compare two ways of reading it."""

from __future__ import annotations

from pathlib import Path


def read_or_error(path: Path):
    """The file's :class:`~cellwright.projects.labdata.CyclerData`, or the text of the
    :class:`LabDataError` it raises, so that two ways of reading can be compared either way."""
    from cellwright.projects.labdata import LabDataError, read_cycler_file

    try:
        return read_cycler_file(path)
    except LabDataError as exc:
        return str(exc)
