"""The hash chain: every stored byte of every event is covered; removal and reordering show."""

from __future__ import annotations

import sqlite3

import pytest

from cellwright.projects.passport.batteries import add_battery, assign_to_pack, find_battery
from cellwright.projects.store import SCHEMA_VERSION, Project

COLUMNS = (
    "battery",
    "seq",
    "kind",
    "time",
    "source",
    "source_sha256",
    "payload",
    "recorded_at",
    "prev_hash",
    "hash",
)


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "twin.cwproj") as p:
        add_battery(p, "PACK-1", kind="pack", production_site="Plant A")
        add_battery(p, "CELL-1", production_date="2024-05-02", pack="PACK-1")
        cell = find_battery(p, "CELL-1")
        for n in range(3):
            p.append_event(
                cell.id,
                "service",
                f"2024-06-0{n + 1}T00:00:00+00:00",
                {"description": f"inspection {n}", "ok": True},
            )
        yield p


def _tamper(path, sql: str, args: tuple) -> None:
    db = sqlite3.connect(path)
    db.execute("DROP TRIGGER twin_events_append_only_update")
    db.execute("DROP TRIGGER twin_events_append_only_delete")
    db.execute(sql, args)
    db.commit()
    db.close()


def test_fresh_chains_verify_and_pack_membership_is_recorded(project):
    assert project.verify_history() == []
    cell = find_battery(project, "CELL-1")
    kinds = [e.kind for e in project.events(cell.id)]
    assert kinds[:2] == ["registered", "pack_membership"]
    assert cell.obj.pack == find_battery(project, "PACK-1").id
    assert project.events(cell.id)[0].prev_hash == "0" * 64


def test_the_program_cannot_rewrite_history(project):
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        project._db.execute("UPDATE twin_events SET kind = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        project._db.execute("DELETE FROM twin_events")


def test_changing_any_stored_events_byte_is_detected(project, tmp_path):
    """Flip one character of every column of every event, one at a time, in a fresh copy."""
    rows = project._db.execute("SELECT battery, seq FROM twin_events").fetchall()
    project.close()
    source = tmp_path / "twin.cwproj"
    for battery, seq in rows:
        for column in COLUMNS:
            copy = tmp_path / f"copy-{battery}-{seq}-{column}.cwproj"
            copy.write_bytes(source.read_bytes())
            db = sqlite3.connect(copy)
            (text,) = db.execute(
                f"SELECT {column} FROM twin_events WHERE battery = ? AND seq = ?", (battery, seq)
            ).fetchone()
            db.close()
            text = str(text or "")
            i = len(text) // 2
            changed = text[:i] + ("0" if text[i : i + 1] != "0" else "1") + text[i + 1 :]
            if not text:
                changed = "x"
            if column == "seq":
                changed = seq + 100
            _tamper(
                copy,
                f"UPDATE twin_events SET {column} = ? WHERE battery = ? AND seq = ?",
                (changed, battery, seq),
            )
            with Project.open(copy, readonly=True) as p:
                problems = {pr.battery: pr for pr in p.verify_history()}
            assert battery in problems, (column, seq)
            assert problems[battery].seq in (seq, seq + 1), (column, seq, problems[battery])


def test_removed_event_is_reported(project, tmp_path):
    cell = find_battery(project, "CELL-1").id
    project.close()
    path = tmp_path / "twin.cwproj"
    _tamper(path, "DELETE FROM twin_events WHERE battery = ? AND seq = 2", (cell,))
    with Project.open(path, readonly=True) as p:
        (problem,) = p.verify_history()
    assert (problem.seq, "removed" in problem.problem) == (2, True)


def test_removed_last_event_is_reported_by_the_head(project, tmp_path):
    cell = find_battery(project, "CELL-1").id
    last = project.events(cell)[-1].seq
    project.close()
    path = tmp_path / "twin.cwproj"
    _tamper(path, "DELETE FROM twin_events WHERE battery = ? AND seq = ?", (cell, last))
    with Project.open(path, readonly=True) as p:
        (problem,) = p.verify_history()
    assert problem.seq == last and "removed" in problem.problem


def test_an_edited_or_removed_passport_version_is_reported(project, tmp_path):
    import json

    from cellwright.projects.passport.versions import issue_passport

    cell = find_battery(project, "CELL-1").id
    issue_passport(project, "CELL-1")
    issue_passport(project, "CELL-1")
    assert project.verify_history() == []
    project.close()
    path = tmp_path / "twin.cwproj"
    db = sqlite3.connect(path)
    (text,) = db.execute("SELECT json FROM passport_versions WHERE version = 2").fetchone()
    edited = json.loads(text)
    edited["battery"] = "CELL-2"
    db.execute("UPDATE passport_versions SET json = ? WHERE version = 2", (json.dumps(edited),))
    db.commit()
    db.close()
    # the versions sit outside the chain: an edited one passed and was exported as issued
    with Project.open(path, readonly=True) as p:
        (problem,) = p.verify_history()
        second = p.events(cell)[-1].seq
    assert (problem.battery, problem.seq) == (cell, second)
    assert problem.problem.startswith("records passport version 2, which was edited")
    db = sqlite3.connect(path)
    db.execute("DELETE FROM passport_versions WHERE version = 1")
    db.commit()
    db.close()
    with Project.open(path, readonly=True) as p:
        (problem,) = p.verify_history()
    assert problem.problem == "records passport version 1, which was removed"


def test_reordered_events_are_reported(project, tmp_path):
    cell = find_battery(project, "CELL-1").id
    project.close()
    path = tmp_path / "twin.cwproj"
    _tamper(path, "UPDATE twin_events SET seq = -1 WHERE battery = ? AND seq = 2", (cell,))
    db = sqlite3.connect(path)
    db.execute("UPDATE twin_events SET seq = 2 WHERE battery = ? AND seq = 3", (cell,))
    db.execute("UPDATE twin_events SET seq = 3 WHERE battery = ? AND seq = -1", (cell,))
    db.commit()
    db.close()
    with Project.open(path, readonly=True) as p:
        (problem,) = p.verify_history()
    assert problem.seq == 2 and "reordered" in problem.problem


def test_a_version_1_file_opens_and_gains_the_history_tables(tmp_path):
    from cellwright.projects.store.schema import MIGRATIONS

    path = tmp_path / "old.cwproj"
    db = sqlite3.connect(path)
    db.execute("PRAGMA application_id = 0x43575052")
    MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with Project.open(path) as p:
        add_battery(p, "OLD-1")
        assert p.verify_history() == []
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_battery_errors_are_clear(project):
    from cellwright.projects.model import InputError

    with pytest.raises(InputError, match=r"no battery with serial 'NOPE'.*CELL-1"):
        find_battery(project, "NOPE")
    with pytest.raises(InputError, match="exists already"):
        add_battery(project, "CELL-1")
    with pytest.raises(InputError, match="is a pack"):
        assign_to_pack(project, "PACK-1", "PACK-1")


def test_a_battery_whose_whole_history_was_deleted_fails_naming_it(project, tmp_path):
    # deleting every event of a battery and its twin_heads row left an empty chain that
    # verified: the battery's own row now records its head
    cell = find_battery(project, "CELL-1").id
    count = len(project.events(cell))
    last = project.events(cell)[-1].hash
    project.close()
    path = tmp_path / "twin.cwproj"
    _tamper(path, "DELETE FROM twin_events WHERE battery = ?", (cell,))
    db = sqlite3.connect(path)
    db.execute("DELETE FROM twin_heads WHERE battery = ?", (cell,))
    db.commit()
    db.close()
    with Project.open(path, readonly=True) as p:
        (problem,) = p.verify_history()
    assert problem.battery == cell and problem.seq == 0
    assert f"and the {count - 1} after it were removed" in problem.problem
    assert f"battery CELL-1 records {count} events ending in {last[:16]}" in problem.problem
    assert "the history holds none" in problem.problem


def test_a_battery_missing_its_last_events_and_head_row_fails(project, tmp_path):
    cell = find_battery(project, "CELL-1").id
    count = len(project.events(cell))
    project.close()
    path = tmp_path / "twin.cwproj"
    _tamper(path, "DELETE FROM twin_events WHERE battery = ? AND seq > 0", (cell,))
    db = sqlite3.connect(path)
    db.execute("UPDATE twin_heads SET seq = 0, hash = (SELECT hash FROM twin_events "
               "WHERE battery = ?1 AND seq = 0) WHERE battery = ?1", (cell,))  # fmt: skip
    db.commit()
    db.close()
    with Project.open(path, readonly=True) as p:
        (problem,) = p.verify_history()
    assert problem.seq == 1 and f"and the {count - 2} after it were removed" in problem.problem


def test_a_battery_without_history_or_from_an_older_file_still_verifies(project, tmp_path):
    from cellwright.projects.model import PhysicalCell

    # a cell a lab import made has no history at all
    project.put(PhysicalCell(name="LAB-1"))
    # editing a battery keeps the head its history recorded
    pack = find_battery(project, "PACK-1")
    project.put(pack.obj.model_copy(update={"notes": "moved to bay 2"}))
    assert project.verify_history() == []
    (recorded,) = project._db.execute(
        "SELECT chain_events FROM objects WHERE id = ?", (pack.id,)
    ).fetchone()
    assert recorded == len(project.events(pack.id))
    # a battery of a schema-2 file records no head: its deleted history is judged as before
    cell = find_battery(project, "CELL-1").id
    project.close()
    path = tmp_path / "twin.cwproj"
    _tamper(path, "DELETE FROM twin_events WHERE battery = ?", (cell,))
    db = sqlite3.connect(path)
    db.execute("DELETE FROM twin_heads WHERE battery = ?", (cell,))
    db.execute("UPDATE objects SET chain_events = NULL, chain_hash = NULL WHERE id = ?", (cell,))
    db.commit()
    db.close()
    with Project.open(path, readonly=True) as p:
        assert p.verify_history() == []
