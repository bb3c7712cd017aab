"""The twin-history part of :class:`~cellwright.projects.store.project.Project`: the event
log (:mod:`.history`) and issued passport versions, on the project's connection."""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from typing import Any

import numpy as np

from cellwright.projects.store import history

__all__ = ["HistoryMixin"]


class HistoryMixin:
    """Methods of a project for the twin history (mixed into ``Project``)."""

    _db: sqlite3.Connection

    def transaction(self) -> AbstractContextManager[None]:  # provided by Project
        raise NotImplementedError

    def get_array(self, key: str) -> np.ndarray:  # provided by Project
        raise NotImplementedError

    # -- twin history -------------------------------------------------------------------------
    def append_event(
        self,
        battery: str,
        kind: str,
        time: str,
        payload: dict[str, Any],
        source: str = "user",
        source_sha256: str = "",
    ) -> history.StoredEvent:
        """Append an event to a battery's hash-chained history (see :mod:`.history`)."""
        with self.transaction():
            return history.append_event(
                self._db, battery, kind, time, payload, source, source_sha256
            )

    def events(self, battery: str | None = None) -> list[history.StoredEvent]:
        """The history of one battery (by id), or of all, in chain order."""
        return history.read_events(self._db, battery)

    def has_event_source(self, battery: str, source_sha256: str) -> bool:
        """Whether a file with this digest was already recorded in ``battery``'s history."""
        return history.has_source(self._db, battery, source_sha256)

    def verify_history(self, deep: bool = True) -> list[history.ChainProblem]:
        """Check every hash chain (and, if ``deep``, the telemetry arrays' digests), and every
        issued passport version against the digest its history recorded."""
        problems = history.verify(self._db, self.get_array if deep else None)
        broken = {problem.battery for problem in problems}
        problems += [p for p in history.verify_passports(self._db) if p.battery not in broken]
        return problems

    def chain_heads(self) -> dict[str, tuple[int, str]]:
        """Each battery's last event number and hash."""
        return history.chain_heads(self._db)

    def store_passport_version(
        self, battery: str, version: int, created_at: str, text: str, sha256: str
    ) -> None:
        """Store an issued passport version (versions are never replaced)."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO passport_versions (battery, version, created_at, json, sha256) "
                "VALUES (?, ?, ?, ?, ?)",
                (battery, version, created_at, text, sha256),
            )

    def passport_versions(self, battery: str) -> list[str]:
        """The JSON of every issued passport version of ``battery``, oldest first."""
        rows = self._db.execute(
            "SELECT json FROM passport_versions WHERE battery = ? ORDER BY version", (battery,)
        ).fetchall()
        return [text for (text,) in rows]
