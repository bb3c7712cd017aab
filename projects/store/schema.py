"""The project file's schema and its stepwise migrations.

``PRAGMA user_version`` holds the schema version. A file of version n is brought to the current
version by running the migrations n+1, n+2, … in order, each in its own transaction, so an
older file always opens and a crash mid-migration leaves a consistent older file behind.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

__all__ = ["APPLICATION_ID", "SCHEMA_VERSION", "migrate"]

APPLICATION_ID = 0x43575052  # "CWPR": marks an SQLite file as a Cellwright project


def _v1(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE objects (
            kind TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL DEFAULT '',
            json TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (kind, id));
        CREATE TABLE results (
            id TEXT PRIMARY KEY, study_id TEXT NOT NULL, name TEXT NOT NULL,
            status TEXT NOT NULL, created_at TEXT NOT NULL, json TEXT NOT NULL);
        CREATE INDEX results_by_study ON results (study_id);
        CREATE TABLE arrays (
            key TEXT PRIMARY KEY, dtype TEXT NOT NULL, shape TEXT NOT NULL,
            codec TEXT NOT NULL, n_chunks INTEGER NOT NULL);
        CREATE TABLE array_chunks (
            key TEXT NOT NULL, idx INTEGER NOT NULL, data BLOB NOT NULL,
            PRIMARY KEY (key, idx));
        """
    )


def _v2(db: sqlite3.Connection) -> None:
    """The twin history: an append-only, hash-chained event log per physical battery, the
    chain heads (so a removed last event is seen), and the issued passport versions."""
    db.executescript(
        """
        CREATE TABLE twin_events (
            battery TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,
            time TEXT NOT NULL, source TEXT NOT NULL, source_sha256 TEXT NOT NULL,
            payload TEXT NOT NULL, recorded_at TEXT NOT NULL,
            prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
            PRIMARY KEY (battery, seq));
        CREATE INDEX twin_events_by_source ON twin_events (battery, source_sha256);
        CREATE TABLE twin_heads (
            battery TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL);
        CREATE TRIGGER twin_events_append_only_update BEFORE UPDATE ON twin_events
            BEGIN SELECT RAISE(ABORT, 'twin events are append-only'); END;
        CREATE TRIGGER twin_events_append_only_delete BEFORE DELETE ON twin_events
            BEGIN SELECT RAISE(ABORT, 'twin events are append-only'); END;
        CREATE TABLE passport_versions (
            battery TEXT NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL,
            json TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (battery, version));
        """
    )


def _v3(db: sqlite3.Connection) -> None:
    """Each physical battery's own record of its chain head (event count, last hash), written
    with every event: a battery whose events and ``twin_heads`` row were both deleted verified
    as one that never had a history. NULL (a battery of an older file, or none appended since)
    is "not recorded", not "no events"."""
    db.executescript(
        """
        ALTER TABLE objects ADD COLUMN chain_events INTEGER;
        ALTER TABLE objects ADD COLUMN chain_hash TEXT;
        """
    )


# Migration n turns a version n-1 file into a version n file. Append; never edit old steps.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite3.Connection, from_version: int) -> None:
    """Run every migration after ``from_version``, one transaction each."""
    for version in range(from_version + 1, SCHEMA_VERSION + 1):
        with db:
            db.execute("BEGIN IMMEDIATE")
            MIGRATIONS[version - 1](db)
            db.execute(f"PRAGMA user_version = {version}")
