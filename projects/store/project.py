"""A Cellwright project file (``*.cwproj``): one SQLite database.

Durability: WAL journal with ``synchronous=NORMAL``. Every write is one transaction; once a
write returns, it survives the program being killed (the WAL is in the operating system's
hands). A power cut may lose the last transactions but never corrupts the file.
Opening checks the 100-byte SQLite header first (magic, application id, schema version), so a
foreign, corrupt or newer file is refused without SQLite touching it.
"""

from __future__ import annotations

import functools
import importlib
import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ValidationError

from cellwright.projects.model.base import name_problem
from cellwright.projects.model.errors import InputError
from cellwright.projects.model.result import Result
from cellwright.projects.store import arrays
from cellwright.projects.store.project_history import HistoryMixin
from cellwright.projects.store.schema import APPLICATION_ID, SCHEMA_VERSION, migrate
from cellwright.projects.userfiles import check_writable

__all__ = [
    "KINDS",
    "AmbiguousNameError",
    "NotInProjectError",
    "Project",
    "ProjectError",
    "ResultInfo",
]

# kind -> (module of cellwright.projects.model, class)
_KIND_MODELS: dict[str, tuple[str, str]] = {
    "cell": ("cell", "CellDesign"),
    "pack": ("pack", "PackDesign"),
    "study": ("study", "Study"),
    "material": ("material", "Material"),
    "library_cell": ("cell", "ReferenceCell"),
    "ecm_parameters": ("ecm", "EcmParameters"),
    "physical_cell": ("labrun", "PhysicalCell"),
    "labrun": ("labrun", "LabRun"),
    "physical_pack": ("twin", "PhysicalPack"),
    "passport_draft": ("passport", "PassportDraft"),
    "design_study": ("design_study", "DesignStudy"),
    "study_point": ("design_study", "StudyPoint"),
    "parameter_fit": ("parameter_fit", "ParameterFit"),
    "cost_model": ("cost", "CostAssumptions"),
}


class _Kinds(Mapping[str, type[BaseModel]]):
    """Kind -> model class, each class imported when first asked for (a lab import needs two
    of the fourteen; building them all is a tenth of a second of a command's start-up)."""

    def __getitem__(self, kind: str) -> type[BaseModel]:
        module, name = _KIND_MODELS[kind]
        return getattr(importlib.import_module(f"cellwright.projects.model.{module}"), name)

    def __iter__(self) -> Iterator[str]:
        return iter(_KIND_MODELS)

    def __len__(self) -> int:
        return len(_KIND_MODELS)


KINDS: Mapping[str, type[BaseModel]] = _Kinds()


def _kind_of(cls: type) -> str | None:
    """The kind a model class is stored as (its exact class, not a subclass), or None."""
    for kind, (module, name) in _KIND_MODELS.items():
        if cls.__name__ == name and cls.__module__ == f"cellwright.projects.model.{module}":
            return kind
    return None


_SQLITE_MAGIC = b"SQLite format 3\x00"


class ProjectError(InputError):
    """The project file cannot be opened or does not hold what was asked for."""


class NotInProjectError(ProjectError):
    """Nothing of that kind has the id or name asked for (as opposed to a stored object that
    is there but damaged, which a caller looking elsewhere next must not take for absent)."""


class AmbiguousNameError(ProjectError):
    """Two or more designs of the kind have the name asked for (a project saved before design
    names were unique): a caller must not take one of them, nor look elsewhere next."""


@dataclass(frozen=True)
class ResultInfo:
    """A stored result, without its arrays."""

    id: str
    study_id: str
    name: str
    status: str
    created_at: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_header(path: Path) -> int:
    """Validate a project file before opening it; return its schema version.

    Reads the 100-byte header, then asks SQLite read-only for the application id and schema
    version, so a file that is refused is never modified.
    """
    import stat

    try:  # a named pipe would block the open below until someone wrote to it
        if stat.S_ISFIFO(path.stat().st_mode):
            raise ProjectError("is a named pipe, not a project file", str(path))
    except OSError:
        pass  # the open below says why
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except FileNotFoundError:
        raise ProjectError("no such project file", str(path)) from None
    except IsADirectoryError:
        raise ProjectError("is a folder, not a project file", str(path)) from None
    except OSError as exc:
        from cellwright.projects.userfiles import describe_os_error

        raise ProjectError(f"cannot open: {describe_os_error(exc, 'file')}", str(path)) from None
    if len(header) == 0:
        raise ProjectError("the file is empty, not a Cellwright project", str(path))
    if header[:16] != _SQLITE_MAGIC:
        raise ProjectError("not a Cellwright project (not an SQLite database)", str(path))
    if len(header) < 100:
        raise ProjectError("the file is truncated (shorter than its header)", str(path))
    # the application id and version in these bytes can lag behind a write-ahead log, so
    # ask SQLite itself, read-only
    return _identify(path)


class Project(HistoryMixin):
    """An open project file. Use :meth:`create` or :meth:`open`, not the constructor."""

    def __init__(self, path: Path, db: sqlite3.Connection, readonly: bool) -> None:
        self.path = path
        self._db = db
        self.readonly = readonly
        self._depth = 0

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, name: str | None = None) -> Project:
        """Create a new, empty project file (refuses to overwrite an existing file)."""
        path = Path(path)
        if path.exists():
            raise ProjectError("a file of that name exists already", str(path))
        problem = name_problem(name) if name else None  # no name: the file's stem
        if problem:
            raise ProjectError(f"project name: {problem}", str(path))
        # SQLite only says "unable to open database file": name the missing or locked folder
        check_writable(path, "project file")
        db = _connect(path, readonly=False)
        # 64 KiB pages (set before WAL, which freezes the page size): array chunks are long
        # overflow chains, and 4 KiB pages made random-data writes 2-4x slower (measured)
        db.execute("PRAGMA page_size = 65536")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute("PRAGMA journal_mode = WAL")
        migrate(db, 0)
        project = cls(path, db, readonly=False)
        from importlib.metadata import PackageNotFoundError, version

        try:
            app_version = version("cellwright")
        except PackageNotFoundError:
            app_version = "unknown"
        with project.transaction():
            project._set_meta("name", name or path.stem)
            project._set_meta("created", _now())
            project._set_meta("created_by", f"cellwright {app_version}")
        return project

    @classmethod
    def open(cls, path: str | Path, readonly: bool = False) -> Project:
        """Open an existing project; older file formats are migrated forward.

        Opened for writing, the file itself is upgraded. Opened for reading, an older file is
        migrated in memory and left as it is: a read command (``cellwright results``,
        ``report``) neither refuses it ("open it for writing", which no command says how to
        do) nor changes it under an older Cellwright that still uses it.
        """
        path = Path(path)
        version = check_header(path)
        if version < SCHEMA_VERSION and readonly:
            return cls(path, _migrated_in_memory(path, version), readonly=True)
        try:
            db = _connect(path, readonly)
        except sqlite3.DatabaseError as exc:
            raise ProjectError(f"the project file is damaged ({exc})", str(path)) from None
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if not readonly:  # a saved copy is in rollback mode (see backup_to); edits use WAL
                db.execute("PRAGMA journal_mode = WAL")
            if version < SCHEMA_VERSION:
                migrate(db, version)
            _check_tables(db, path)
        except (sqlite3.DatabaseError, ProjectError) as exc:
            db.close()  # a refused file keeps no connection (nor its -wal, -shm files) open
            if isinstance(exc, ProjectError):
                raise
            raise ProjectError(f"the project file is damaged ({exc})", str(path)) from None
        return cls(path, db, readonly)

    def close(self) -> None:
        """Close the file (checkpointing the WAL into it)."""
        if self._db is not None:
            self._db.close()
            self._db = None  # type: ignore[assignment]

    def __enter__(self) -> Project:
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        self.close()
        # open() reads the schema only: a page damaged further in fails at the first query
        # that reaches it, as a bare "database disk image is malformed" (an unexpected
        # failure naming no file). Exactly DatabaseError: its subclasses (a locked file, a
        # constraint) mean something else and keep their own handling.
        if kind is sqlite3.DatabaseError:
            raise ProjectError(f"the project file is damaged ({exc})", str(self.path)) from None

    # -- transactions -------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes into one transaction (nested uses join the outer one)."""
        if self.readonly:
            raise ProjectError("the project is open read-only", str(self.path))
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            refusal = _write_refusal(exc, self.path)  # a read-only file may refuse the BEGIN
            if refusal is not None:
                raise refusal from None
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            # another program holds the write lock past the busy timeout; nothing was written
            raise ProjectError(
                "the project is being changed by another program (the file is locked); "
                "nothing was saved: try again when it is done",
                str(self.path),
            ) from None
        self._depth = 1
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException as exc:
            if self._db.in_transaction:  # SQLite rolls back by itself on some errors (disk full)
                self._db.execute("ROLLBACK")
            refusal = _write_refusal(exc, self.path)
            if refusal is None:
                raise
            raise refusal from None
        finally:
            self._depth = 0

    # -- metadata -----------------------------------------------------------------------------
    @property
    def metadata(self) -> dict[str, str]:
        """Project name, creation time and the Cellwright version that created it."""
        return dict(self._db.execute("SELECT key, value FROM meta").fetchall())

    def _set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def set_name(self, name: str) -> None:
        """Rename the project."""
        with self.transaction():
            self._set_meta("name", name)

    # -- objects ------------------------------------------------------------------------------
    def put(self, obj: BaseModel) -> None:
        """Insert or replace a design, study, material or other model (kind from its type).

        Raises
        ------
        ProjectError
            If a cell or pack design would take a name another design of its kind has (see
            :mod:`~cellwright.projects.store.names`); the message names that design.
        """
        if isinstance(obj, Result):
            self.put_result(obj)
            return
        kind = _kind_of(type(obj))
        if kind is None:
            raise TypeError(f"cannot store a {type(obj).__name__} in a project")
        from cellwright.projects.store.names import name_clash

        # the chain head a battery records (schema 3) is the history's, not the object's: an
        # edit of the battery (its serial, its production date) carries it over
        with self.transaction():  # checked inside, so no other write takes the name between
            clash = name_clash(self, kind, obj.id, getattr(obj, "name", ""))
            if clash:
                raise ProjectError(clash, str(self.path))
            self._db.execute(
                "INSERT OR REPLACE INTO objects "
                "(kind, id, name, json, updated_at, chain_events, chain_hash) "
                "SELECT ?, ?, ?, ?, ?, "
                "(SELECT chain_events FROM objects WHERE kind = ?1 AND id = ?2), "
                "(SELECT chain_hash FROM objects WHERE kind = ?1 AND id = ?2)",
                (kind, obj.id, getattr(obj, "name", ""), obj.model_dump_json(), _now()),
            )

    def get(self, kind: str, obj_id: str) -> Any:
        """The object of ``kind`` with ``obj_id``."""
        row = self._db.execute(
            "SELECT json FROM objects WHERE kind = ? AND id = ?", (self._kind(kind), obj_id)
        ).fetchone()
        if row is None:
            raise NotInProjectError(f"no {kind} with id {obj_id!r} in this project", str(self.path))
        return self._load(kind, obj_id, row[0])

    def find(self, kind: str, id_or_name: str) -> Any:
        """The object of ``kind`` whose id or name is ``id_or_name``: an id first, else of the
        objects so named the one stored last (a study run again), not whichever id happened to
        sort first.

        Raises
        ------
        NotInProjectError
            If nothing of ``kind`` has that id or name.
        AmbiguousNameError
            If two or more cell designs (or pack designs) have that name and none that id: a
            project saved before design names were unique, where the one stored last need
            not be the one meant; the message lists them (see
            :func:`~cellwright.projects.store.names.ambiguous_name`).
        """
        rows = self._db.execute(
            "SELECT id, updated_at FROM objects WHERE kind = ? AND (id = ? OR name = ?) "
            "ORDER BY id = ? DESC, updated_at DESC, rowid DESC",
            (self._kind(kind), id_or_name, id_or_name, id_or_name),
        ).fetchall()
        if not rows:
            raise NotInProjectError(
                f"no {kind} with id or name {id_or_name!r} in this project", str(self.path)
            )
        if len(rows) > 1 and rows[0][0] != id_or_name:
            from cellwright.projects.store.names import UNIQUE_NAME_KINDS, ambiguous_name

            if kind in UNIQUE_NAME_KINDS:
                raise AmbiguousNameError(ambiguous_name(kind, id_or_name, rows), str(self.path))
        return self.get(kind, rows[0][0])

    def ids_named(self, kind: str, id_or_name: str) -> list[str]:
        """The ids of the objects of ``kind`` whose id or name is ``id_or_name`` (the candidates
        a reference by that name could mean), sorted."""
        rows = self._db.execute(
            "SELECT id FROM objects WHERE kind = ? AND (id = ? OR name = ?) ORDER BY id",
            (self._kind(kind), id_or_name, id_or_name),
        ).fetchall()
        return [obj_id for (obj_id,) in rows]

    def list(self, kind: str, id_prefix: str | None = None) -> list[Any]:
        """Every object of ``kind`` (whose id starts with ``id_prefix``, if given: the points of
        one design study), in the order they were named."""
        if id_prefix is None:
            rows = self._db.execute(
                "SELECT id, json FROM objects WHERE kind = ? ORDER BY name, id",
                (self._kind(kind),),
            ).fetchall()
        else:  # a range on the primary key (kind, id): indexed, unlike LIKE
            rows = self._db.execute(
                "SELECT id, json FROM objects WHERE kind = ? AND id >= ? AND id < ? ORDER BY id",
                (self._kind(kind), id_prefix, id_prefix + "\U0010ffff"),
            ).fetchall()
        return [self._load(kind, obj_id, text) for obj_id, text in rows]

    def list_where(self, kind: str, field: str, value: str | float | int) -> list[Any]:
        """The objects of ``kind`` whose top-level ``field`` equals ``value``: only those are
        validated (an import asking whether a file's SHA-256 is stored would otherwise load
        every run, file after file of a folder)."""
        if not field.isidentifier():
            raise ValueError(f"not a field name: {field!r}")
        rows = self._db.execute(
            "SELECT id, json FROM objects WHERE kind = ? AND json_extract(json, ?) = ? "
            "ORDER BY name, id",
            (self._kind(kind), f"$.{field}", value),
        ).fetchall()
        return [self._load(kind, obj_id, text) for obj_id, text in rows]

    def delete(self, kind: str, obj_id: str) -> None:
        """Remove an object (no error if it is not there).

        Raises
        ------
        ProjectError
            If something still refers to it (a pack to its cell, a battery or study to its
            design, a result to its study); the message names them. See
            :mod:`~cellwright.projects.store.references`.
        """
        from cellwright.projects.store.references import removal_problem

        with self.transaction():  # checked inside, so nothing can refer to it in between
            problem = removal_problem(self, self._kind(kind), obj_id)
            if problem:
                raise ProjectError(problem, str(self.path))
            self._db.execute(
                "DELETE FROM objects WHERE kind = ? AND id = ?", (self._kind(kind), obj_id)
            )

    def _kind(self, kind: str) -> str:
        if kind not in KINDS:
            raise ProjectError(f"unknown kind {kind!r}; kinds: {', '.join(KINDS)}")
        return kind

    def _load(self, kind: str, obj_id: str, text: str) -> Any:
        try:
            return KINDS[kind].model_validate_json(text)
        except ValidationError as exc:
            raise ProjectError(
                f"stored {kind} {obj_id!r} is not valid: {exc.errors()[0]['msg']}", str(self.path)
            ) from None

    # -- arrays -------------------------------------------------------------------------------
    def put_array(self, key: str, array: np.ndarray) -> None:
        """Store an array under ``key`` (chunked, compressed)."""
        with self.transaction():
            arrays.write_array(self._db, key, array)

    def get_array(self, key: str) -> np.ndarray:
        """The array stored under ``key``."""
        try:
            return arrays.read_array(self._db, key)
        except KeyError:
            raise ProjectError(f"no array {key!r} in this project", str(self.path)) from None
        except (ValueError, TypeError, RuntimeError, sqlite3.DatabaseError) as exc:
            # RuntimeError: blosc2 cannot decompress a damaged chunk; TypeError: a damaged dtype
            raise ProjectError(f"array {key!r} is damaged ({exc})", str(self.path)) from None

    # -- results ------------------------------------------------------------------------------
    def put_result(self, result: Result) -> None:
        """Store a result: arrays as compressed blobs, everything else as JSON."""
        found: list[tuple[str, np.ndarray]] = []
        data = _extract_arrays(result.model_dump(), f"result/{result.id}", found)
        with self.transaction():
            self._delete_result_arrays(result.id)
            for key, array in found:
                arrays.write_array(self._db, key, array)
            self._db.execute(
                "INSERT OR REPLACE INTO results (id, study_id, name, status, created_at, json) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    result.id,
                    result.study_id,
                    result.name,
                    str(result.status),
                    _now(),
                    json.dumps(data, default=str),
                ),
            )

    def get_result(self, result_id: str) -> Result:
        """A stored result, arrays included."""
        row = self._db.execute("SELECT json FROM results WHERE id = ?", (result_id,)).fetchone()
        if row is None:
            raise ProjectError(f"no result with id {result_id!r} in this project", str(self.path))
        try:
            return Result.model_validate(_restore_arrays(json.loads(row[0]), self.get_array))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ProjectError(
                f"stored result {result_id!r} is damaged: {where}: {first['msg']}", str(self.path)
            ) from None
        except (ValueError, TypeError, KeyError) as exc:  # JSON that is not a result's shape
            raise ProjectError(
                f"stored result {result_id!r} is damaged ({type(exc).__name__}: {exc})",
                str(self.path),
            ) from None

    def results(self, study_id: str | None = None) -> list[ResultInfo]:
        """The stored results (of one study, if given), newest first."""
        sql = "SELECT id, study_id, name, status, created_at FROM results"
        args: tuple[str, ...] = ()
        if study_id is not None:
            sql += " WHERE study_id = ?"
            args = (study_id,)
        rows = self._db.execute(sql + " ORDER BY created_at DESC, rowid DESC", args).fetchall()
        return [ResultInfo(*row) for row in rows]

    def delete_result(self, result_id: str) -> None:
        """Remove a result and its arrays."""
        with self.transaction():
            self._delete_result_arrays(result_id)
            self._db.execute("DELETE FROM results WHERE id = ?", (result_id,))

    def _delete_result_arrays(self, result_id: str) -> None:
        prefix = f"result/{result_id}/"
        keys = self._db.execute(
            "SELECT key FROM arrays WHERE substr(key, 1, ?) = ?", (len(prefix), prefix)
        ).fetchall()
        for (key,) in keys:
            arrays.delete_array(self._db, key)

    # -- copies -------------------------------------------------------------------------------
    def save_as(self, path: str | Path) -> None:
        """Write a consistent copy of the project to ``path`` with SQLite's backup API."""
        backup_to(self._db, Path(path))


def _write_refusal(exc: BaseException, path: Path) -> ProjectError | None:
    """The user's words for SQLite refusing a write to the file itself (an immutable or
    read-only file, a full disk), or None for any other failure, which stays a bug."""
    if not isinstance(exc, sqlite3.OperationalError):
        return None
    text = str(exc)
    if "readonly" in text:
        why = "the project file cannot be written (it or its folder is read-only)"
    elif "disk is full" in text or "disk I/O error" in text:
        why = f"the project file cannot be written ({text})"
    else:
        return None
    return ProjectError(f"{why}; nothing was saved", str(path))


def backup_to(db: sqlite3.Connection, path: Path) -> None:
    """Copy an open database to ``path`` (a temporary beside it, then an atomic rename).

    Raises
    ------
    ProjectError
        If the copy cannot be written there (folder missing or read-only, disk full …); the file
        at ``path``, if any, is left as it was.
    """
    import os

    from cellwright.projects.userfiles import check_writable, describe_os_error

    check_writable(path, "project file", over_project=True)
    tmp = path.with_name(path.name + ".saving")
    try:
        tmp.unlink(missing_ok=True)
        target = sqlite3.connect(tmp)
        try:
            db.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            target.commit()
        finally:
            target.close()
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ProjectError(f"cannot save: {describe_os_error(exc, 'file')}", str(path)) from None
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise ProjectError(f"cannot save here ({exc})", str(path)) from None
    except BaseException:
        # Ctrl-C (or any other stop) mid-copy left a half-written "<name>.saving" beside the
        # untouched project; the project stays as it was, and so does its folder
        tmp.unlink(missing_ok=True)
        raise


def _identify(path: Path) -> int:
    """Application id and schema version as SQLite sees them (the header on disk can lag
    behind a write-ahead log); read-only, so a refused file is not modified. Returns the
    schema version."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"the project file is damaged ({exc})", str(path)) from None
    if app_id != APPLICATION_ID:
        raise ProjectError(
            f"an SQLite database of another application (application id {app_id:#x}), "
            "not a Cellwright project",
            str(path),
        )
    if version > SCHEMA_VERSION:
        raise ProjectError(
            f"made by a newer Cellwright (file format {version}, this version reads up "
            f"to {SCHEMA_VERSION}); update Cellwright to open it",
            str(path),
        )
    return version


@functools.cache
def _expected_tables() -> frozenset[str]:
    """The tables a file of the current schema holds, read from the migrations themselves
    (an in-memory database migrated from nothing), so a new table needs no list kept here."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(db, 0)
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    finally:
        db.close()
    return frozenset(name for (name,) in rows)


def _check_tables(db: sqlite3.Connection, path: Path) -> None:
    """Refuse a file with a table missing (dropped by hand, a tool's 'clean-up'): found at
    opening, not as "no such table" in whichever command first reads it."""
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    missing = sorted(_expected_tables() - {name for (name,) in rows})
    if missing:
        raise ProjectError(
            f"the project file is damaged (its table{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} {'are' if len(missing) > 1 else 'is'} missing)",
            str(path),
        )


def _migrated_in_memory(path: Path, version: int) -> sqlite3.Connection:
    """An in-memory copy of the older project file at ``path``, migrated to this format."""
    try:
        source = _connect(path, readonly=True)
        try:
            db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            source.backup(db)
        finally:
            source.close()
        db.execute("PRAGMA foreign_keys = ON")
        migrate(db, version)
        _check_tables(db, path)
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"the project file is damaged ({exc})", str(path)) from None
    return db


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        db = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
        )
    else:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def _extract_arrays(value: Any, key: str, found: list[tuple[str, np.ndarray]]) -> Any:
    """Replace every numpy array in a dumped model by a reference to a stored array."""
    if isinstance(value, np.ndarray):
        found.append((key, value))
        return {"$array": key}
    if isinstance(value, dict):
        return {k: _extract_arrays(v, f"{key}/{k}", found) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_extract_arrays(v, f"{key}/{i}", found) for i, v in enumerate(value)]
    return value


def _restore_arrays(value: Any, load) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$array"}:
            return load(value["$array"])
        return {k: _restore_arrays(v, load) for k, v in value.items()}
    if isinstance(value, list):
        return [_restore_arrays(v, load) for v in value]
    return value
