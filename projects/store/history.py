"""The twin history in the project file: an append-only event log per battery, hash-chained.

Each event is hashed with SHA-256 over the previous event's hash and the canonical JSON of its
stored fields (battery, kind, time, source, source digest, payload text, recording time), the
scheme of a Merkle–Damgård hash chain as in Haber & Stornetta, "How to time-stamp a digital
document", J. Cryptology 3 (1991). Editing any stored byte of an event changes its hash;
removing or reordering events breaks the link to the previous hash; the chain head of each
battery is kept in ``twin_heads`` so removing the last events is seen too, and the battery's own
row records it as well (schema 3), so deleting a battery's whole history, its ``twin_heads`` row
with it, is seen: a battery that never had a history (a cell made by a lab import) records
none and verifies, as does one of an older file until its next event. Telemetry payloads
carry the SHA-256 of every stored column, so a deep check covers the arrays as well.

SQLite triggers refuse UPDATE and DELETE on the log, so the program itself cannot rewrite
history; :func:`verify` is what finds changes made to the file from outside. Against a complete
rewrite of a chain (every hash recomputed) only a head hash kept elsewhere helps: ``twin verify``
prints the heads, and each passport version records the head it was issued at.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

__all__ = [
    "GENESIS",
    "ChainProblem",
    "StoredEvent",
    "append_event",
    "array_digest",
    "canonical_json",
    "chain_heads",
    "has_source",
    "read_events",
    "verify",
    "verify_passports",
]

GENESIS = "0" * 64  # the "previous hash" of a battery's first event
#: the object kinds whose rows record their chain head (an SQL tuple)
BATTERY_KINDS = "('physical_cell', 'physical_pack')"


@dataclass(frozen=True)
class StoredEvent:
    """One event of a battery's history as stored."""

    battery: str
    seq: int
    kind: str
    time: str
    source: str
    source_sha256: str
    payload: dict[str, Any]
    recorded_at: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainProblem:
    """The first thing wrong with one battery's chain."""

    battery: str
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"battery {self.battery}, event {self.seq}: {self.problem}"


def canonical_json(value: Any) -> str:
    """Canonical JSON text: sorted keys, no spaces, UTF-8 characters, no NaN (RFC 8785 style
    for the values we store: strings, integers, finite floats in ``repr`` form, lists, dicts)."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def _event_hash(prev_hash: str, fields: tuple[str, ...]) -> str:
    # the sequence number is not hashed: order is what the previous-hash link protects, and
    # keeping it out lets verify tell a reordered event (own hash intact) from an edited one
    body = json.dumps(list(fields), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(prev_hash.encode("ascii") + body).hexdigest()


def array_digest(array: np.ndarray) -> str:
    """SHA-256 of an array's dtype, shape and bytes (what a telemetry payload records)."""
    array = np.ascontiguousarray(array)
    digest = hashlib.sha256(f"{array.dtype.str}{list(array.shape)}".encode())
    digest.update(memoryview(array).cast("B"))
    return digest.hexdigest()


def _head(db: sqlite3.Connection, battery: str) -> tuple[int, str]:
    row = db.execute("SELECT seq, hash FROM twin_heads WHERE battery = ?", (battery,)).fetchone()
    return (row[0], row[1]) if row else (-1, GENESIS)


def append_event(
    db: sqlite3.Connection,
    battery: str,
    kind: str,
    time: str,
    payload: dict[str, Any],
    source: str = "user",
    source_sha256: str = "",
) -> StoredEvent:
    """Append one event to ``battery``'s chain; the caller holds the transaction."""
    seq, prev = _head(db, battery)
    seq += 1
    recorded_at = datetime.now(UTC).isoformat(timespec="microseconds")
    text = canonical_json(payload)
    fields = (battery, kind, time, source, source_sha256, text, recorded_at)
    digest = _event_hash(prev, fields)
    db.execute(
        "INSERT INTO twin_events (battery, seq, kind, time, source, source_sha256, payload, "
        "recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (battery, seq, kind, time, source, source_sha256, text, recorded_at, prev, digest),
    )
    db.execute(
        "INSERT OR REPLACE INTO twin_heads (battery, seq, hash) VALUES (?, ?, ?)",
        (battery, seq, digest),
    )
    db.execute(
        "UPDATE objects SET chain_events = ?, chain_hash = ? "
        f"WHERE id = ? AND kind IN {BATTERY_KINDS}",
        (seq + 1, digest, battery),
    )
    return StoredEvent(
        battery, seq, kind, time, source, source_sha256, payload, recorded_at, prev, digest
    )


_COLUMNS = "battery, seq, kind, time, source, source_sha256, payload, recorded_at, prev_hash, hash"


def read_events(db: sqlite3.Connection, battery: str | None = None) -> list[StoredEvent]:
    """Events of one battery (or all), in chain order."""
    sql = f"SELECT {_COLUMNS} FROM twin_events"
    args: tuple[str, ...] = ()
    if battery is not None:
        sql += " WHERE battery = ?"
        args = (battery,)
    rows = db.execute(sql + " ORDER BY battery, seq", args).fetchall()
    out = []
    for row in rows:
        try:
            payload = json.loads(row[6])
        except (TypeError, ValueError):
            payload = {"unreadable": str(row[6])}
        out.append(StoredEvent(*row[:6], payload, *row[7:]))
    return out


def has_source(db: sqlite3.Connection, battery: str, source_sha256: str) -> bool:
    """Whether ``battery``'s history already holds an event from that source digest."""
    row = db.execute(
        "SELECT 1 FROM twin_events WHERE battery = ? AND source_sha256 = ? LIMIT 1",
        (battery, source_sha256),
    ).fetchone()
    return row is not None


def chain_heads(db: sqlite3.Connection) -> dict[str, tuple[int, str]]:
    """Each battery's last event number and hash."""
    return {b: (s, h) for b, s, h in db.execute("SELECT battery, seq, hash FROM twin_heads")}


def _check_row(row: tuple, expected_seq: int, prev: str, seen: dict[str, int]) -> str | None:
    battery, seq, kind, time, source, src_sha, text, recorded, prev_hash, digest = row
    if seq != expected_seq:
        return f"event {expected_seq} is missing (removed)"
    fields = (battery, kind, time, source, src_sha, text, recorded)
    if not all(isinstance(f, str) for f in fields) or _event_hash(prev_hash, fields) != digest:
        return "was edited (its content no longer matches its hash)"
    if prev_hash != prev:
        if prev_hash in seen and seen[prev_hash] > seq:
            return f"was reordered (the chain puts it after event {seen[prev_hash]})"
        if prev_hash in seen:
            return f"events between {seen[prev_hash]} and {seq} were removed"
        return "does not follow the event before it (an event was removed or reordered)"
    return None


def verify(
    db: sqlite3.Connection, load_array: Callable[[str], np.ndarray] | None = None
) -> list[ChainProblem]:
    """Check every battery's chain; one :class:`ChainProblem` (the first) per broken chain.

    With ``load_array`` the stored telemetry columns are checked against their digests too.
    """
    rows = db.execute(f"SELECT {_COLUMNS} FROM twin_events ORDER BY battery, seq").fetchall()
    by_battery: dict[str, list[tuple]] = {}
    for row in rows:
        by_battery.setdefault(row[0], []).append(row)
    heads = chain_heads(db)
    recorded = _recorded_heads(db)
    problems = []
    for battery in sorted(set(by_battery) | set(heads) | set(recorded)):
        rows_of = by_battery.get(battery, [])
        problem = _verify_chain(battery, rows_of, heads, load_array)
        if problem is None and battery in recorded:
            problem = _against_recorded(battery, rows_of, *recorded[battery])
        if problem is not None:
            problems.append(problem)
    return problems


def _recorded_heads(db: sqlite3.Connection) -> dict[str, tuple[str, int, str]]:
    """Battery id -> (serial, event count, last hash) its own row records, for those that do."""
    return {
        battery: (serial, count, digest)
        for battery, serial, count, digest in db.execute(
            "SELECT id, name, chain_events, chain_hash FROM objects "
            f"WHERE kind IN {BATTERY_KINDS} AND chain_events IS NOT NULL"
        )
    }


def _against_recorded(
    battery: str, rows: list[tuple], serial: str, count: int, digest: str
) -> ChainProblem | None:
    """The chain (intact in itself) against the head the battery recorded when its last event
    was appended: fewer events, or another last one, means events were removed or replaced."""
    held = len(rows)
    last = rows[-1][9] if rows else GENESIS
    if held == count and last == digest:
        return None
    head = f"battery {serial} records {count} event{'s' * (count != 1)} ending in {digest[:16]}"
    holds = f"the history holds {held or 'none'}"
    if held < count:
        # read after "event {seq}" (``twin verify``): "event 0 and the 4 after it were removed"
        gone = "was" if count - held == 1 else f"and the {count - held - 1} after it were"
        return ChainProblem(battery, held, f"{gone} removed ({head}; {holds})")
    return ChainProblem(battery, max(held - 1, 0), f"is not the last event: {head}; {holds}")


def _verify_chain(battery, rows, heads, load_array) -> ChainProblem | None:
    seen = {row[9]: row[1] for row in rows}
    prev = GENESIS
    for expected, row in enumerate(rows):
        problem = _check_row(row, expected, prev, seen)
        if problem is None and load_array is not None:
            problem = _check_arrays(row[6], load_array)
        if problem is not None:
            return ChainProblem(battery, expected if "missing" in problem else row[1], problem)
        prev = row[9]
    head_seq, head_hash = heads.get(battery, (-1, GENESIS))
    last = len(rows) - 1
    if head_seq != last or head_hash != prev:
        if head_seq > last:
            return ChainProblem(battery, last + 1, f"events {last + 1}–{head_seq} were removed")
        return ChainProblem(battery, last, "the chain head does not match the last event")
    return None


def verify_passports(db: sqlite3.Connection) -> list[ChainProblem]:
    """Check every issued passport version against the SHA-256 its ``passport`` event
    recorded; one :class:`ChainProblem` (the first) per battery.

    The versions sit in their own table, outside the chain: an edited version (a rated
    capacity changed from 5 to 6) passed ``twin verify`` and was exported as valid, though
    the history holds the digest to tell.
    """
    recorded = {}
    for battery, seq, text in db.execute(
        "SELECT battery, seq, payload FROM twin_events WHERE kind = 'passport' ORDER BY seq"
    ):
        try:
            payload = json.loads(text)
        except (TypeError, ValueError):
            continue  # an unreadable event is the chain check's to report
        recorded[(battery, payload.get("version"))] = (seq, payload.get("sha256"))
    stored = {
        (battery, version): text
        for battery, version, text in db.execute(
            "SELECT battery, version, json FROM passport_versions"
        )
    }
    problems: dict[str, ChainProblem] = {}
    for (battery, version), (seq, digest) in sorted(recorded.items(), key=lambda i: i[1][0]):
        text = stored.get((battery, version))
        if text is None:
            problem = f"records passport version {version}, which was removed"
        elif _passport_digest(text) != digest:
            problem = f"records passport version {version}, which was edited since (SHA-256)"
        else:
            continue
        problems.setdefault(battery, ChainProblem(battery, seq, problem))
    return [problems[b] for b in sorted(problems)]


def _passport_digest(text: str) -> str:
    """The SHA-256 an issued version was recorded with: of its canonical JSON."""
    try:
        return hashlib.sha256(canonical_json(json.loads(text)).encode()).hexdigest()
    except (TypeError, ValueError):
        return ""


def _check_arrays(text: str, load_array: Callable[[str], np.ndarray]) -> str | None:
    payload = json.loads(text)
    for column, ref in (payload.get("arrays") or {}).items():
        try:
            data = load_array(ref["key"])
        except Exception as exc:
            return f"its {column} data cannot be read ({exc})"
        if array_digest(data) != ref["sha256"]:
            return f"its {column} data were changed (digest mismatch)"
    return None
