"""Editing a project through a working copy in the recovery folder.

The window never edits the user's file directly: opening copies it (SQLite backup API) into the
recovery folder, every edit commits to that copy at once, and *Save* writes the copy back over
the original atomically. So the saved file only changes when the user saves, while nothing the
user did is lost if the program dies: the copy and a small JSON note naming its original stay
in the recovery folder, and :func:`recoverable_projects` finds them on the next start.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cellwright.projects.store.project import Project, ProjectError, backup_to, check_header

__all__ = [
    "RecoveryEntry",
    "WorkingCopy",
    "discard_recovered",
    "new_for_editing",
    "open_for_editing",
    "recoverable_projects",
]


@dataclass(frozen=True)
class RecoveryEntry:
    """A working copy left behind by a session that did not close normally."""

    copy: Path
    original: Path | None
    modified: datetime


class WorkingCopy:
    """A project being edited: ``project`` is the copy, ``original`` the user's file."""

    def __init__(self, project: Project, original: Path | None, note: Path) -> None:
        self.project = project
        self.original = original
        self._note = note
        self._saved_changes = self._changes()

    def _changes(self) -> int:
        return self.project._db.total_changes

    @property
    def dirty(self) -> bool:
        """True when there are edits not yet saved to the original."""
        return self._changes() != self._saved_changes or self.original is None

    def save(self) -> None:
        """Write the working copy over the original file (atomically)."""
        if self.original is None:
            raise ProjectError("this project has no file yet: use Save As")
        backup_to(self.project._db, self.original)
        self._saved_changes = self._changes()

    def save_as(self, path: str | Path) -> None:
        """Save to a new file, which becomes the original from now on.

        The new file is written first: if that fails, nothing changes (the working copy keeps
        its original, and the error says why).
        """
        path = Path(path)
        backup_to(self.project._db, path)
        self.original = path
        self._saved_changes = self._changes()
        _write_note(self._note, self.original)

    def discard(self) -> None:
        """Close and delete the working copy (after saving, or to throw edits away)."""
        copy = self.project.path
        self.project.close()
        _remove(copy, self._note)


def _remove(copy: Path, *others: Path) -> None:
    """Delete a working copy with its WAL files (and ``others``: its recovery note)."""
    for path in (copy, copy.with_name(copy.name + "-wal"), copy.with_name(copy.name + "-shm")):
        path.unlink(missing_ok=True)
    for path in others:
        path.unlink(missing_ok=True)


def _write_note(note: Path, original: Path | None) -> None:
    note.write_text(
        json.dumps(
            {
                "original": str(original) if original else None,
                "pid": os.getpid(),
                "opened": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        )
    )


def _slot(recovery_dir: Path) -> tuple[Path, Path]:
    recovery_dir.mkdir(parents=True, exist_ok=True)
    stem = uuid.uuid4().hex[:12]
    return recovery_dir / f"{stem}.cwproj", recovery_dir / f"{stem}.json"


def open_for_editing(path: str | Path, recovery_dir: str | Path) -> WorkingCopy:
    """Open the project at ``path`` for editing through a working copy."""
    path = Path(path).resolve()
    check_header(path)
    copy, note = _slot(Path(recovery_dir))
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    except sqlite3.DatabaseError as exc:
        copy.unlink(missing_ok=True)
        raise ProjectError(f"the project file is damaged ({exc})", str(path)) from None
    problem = _damage(copy)
    if problem:  # named by the file the user opened, not the working copy a page came from
        _remove(copy)
        raise ProjectError(
            f"the project file is damaged ({problem}); it is left as it was", str(path)
        )
    try:  # a file SQLite copies but Cellwright cannot use (a table dropped by hand)
        project = Project.open(copy)
    except ProjectError as exc:
        # named by the file the user opened, and no recovery slot left to offer next start
        copy.unlink(missing_ok=True)
        raise ProjectError(exc.detail, str(path)) from None
    _write_note(note, path)
    project._db.execute("PRAGMA journal_mode = WAL")
    return WorkingCopy(project, path, note)


def _damage(copy: Path) -> str | None:
    """What SQLite's quick check finds wrong in the pages of ``copy``, or None.

    Opening reads the schema only, and the backup copies pages as they are: a page damaged
    further in failed at the first query that reached it, the tree's or a result tab's, while
    the window kept the project open. The check walks every table's pages (not the contents
    of the blobs, which their own decoding checks): milliseconds for hundreds of megabytes.
    """
    db = sqlite3.connect(copy)  # only read; the last connection's close removes a WAL's files
    try:
        rows = [row[0] for row in db.execute("PRAGMA quick_check(1)").fetchall()]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        db.close()
    if rows == ["ok"]:
        return None
    return "; ".join(line for row in rows for line in row.splitlines() if "***" not in line)


def new_for_editing(recovery_dir: str | Path, name: str = "Untitled") -> WorkingCopy:
    """A new, unsaved project (Save As gives it a file)."""
    copy, note = _slot(Path(recovery_dir))
    _write_note(note, None)
    return WorkingCopy(Project.create(copy, name=name), None, note)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fingerprint(path: Path) -> tuple | None:
    """What a project holds, cheaply: counts and latest change times of its tables."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return tuple(
                db.execute(sql).fetchone()
                for sql in (
                    "SELECT count(*), max(updated_at) FROM objects",
                    "SELECT count(*), max(created_at) FROM results",
                    "SELECT count(*) FROM arrays",
                    "SELECT count(*), max(value) FROM meta",
                )
            )
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return None


def _unchanged(copy: Path, original: Path | None) -> bool:
    if original is None or not original.exists():
        return False
    first = _fingerprint(copy)
    return first is not None and first == _fingerprint(original)


def discard_recovered(copy: str | Path) -> None:
    """Delete a recovered working copy, its WAL files and its recovery note: its work now
    lives in the working copy it was opened into (or the user declined it)."""
    copy = Path(copy)
    _remove(copy, copy.with_suffix(".json"))


def recoverable_projects(recovery_dir: str | Path) -> list[RecoveryEntry]:
    """Working copies whose session ended without closing them (newest first).

    Copies that hold nothing their original does not are removed instead of offered.
    """
    entries = []
    for note in Path(recovery_dir).glob("*.json"):
        copy = note.with_suffix(".cwproj")
        try:
            info = json.loads(note.read_text())
        except (OSError, ValueError):
            continue
        if not copy.exists() or (info.get("pid") != os.getpid() and _alive(int(info["pid"]))):
            continue
        if info.get("pid") == os.getpid():
            continue
        original = Path(info["original"]) if info.get("original") else None
        if _unchanged(copy, original):
            _remove(copy, note)
            continue
        entries.append(
            RecoveryEntry(copy, original, datetime.fromtimestamp(copy.stat().st_mtime, UTC))
        )
    return sorted(entries, key=lambda e: e.modified, reverse=True)
