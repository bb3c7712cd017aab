"""The project file: round trips, refusal of bad files without touching them, working copies."""

from __future__ import annotations

import os
import sqlite3
import struct

import numpy as np
import pytest

from cellwright.projects.model import (
    CellDesign,
    DesignKind,
    DesignRef,
    FieldData,
    MeshData,
    PackDesign,
    Provenance,
    Result,
    Study,
)
from cellwright.projects.store import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    AmbiguousNameError,
    Project,
    ProjectError,
    discard_recovered,
    open_for_editing,
    recoverable_projects,
)


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "p.cwproj", name="Test") as p:
        yield p


def _result() -> Result:
    rng = np.random.default_rng(0)
    mesh = MeshData(
        points=rng.random((50, 3)),
        cells={"tetra": rng.integers(0, 50, (20, 4))},
        cell_sets={"jelly roll": {"tetra": np.arange(10)}},
    )
    return Result(
        study_id="s1",
        name="r",
        series={"Time [s]": np.linspace(0, 1, 7), "Voltage [V]": np.linspace(4.2, 3, 7)},
        meshes={"cell": mesh},
        fields=[
            FieldData(
                name="Temperature [K]", mesh="cell", times=[0.0, 1.0], values=rng.random((2, 50))
            )
        ],
        scalars={"Discharge capacity [A.h]": 4.9},
        provenance=Provenance(engine_id="e.x", engine_version="1", spec_hash="abc"),
    )


def test_objects_round_trip(project) -> None:
    cell = CellDesign(name="M50 copy", pybamm_parameter_set="Chen2020")
    pack = PackDesign(name="96s4p", cell=cell.id, series=96, parallel=4)
    study = Study(
        name="1C",
        engine="electrochem.pybamm_discharge",
        spec={"c_rate": 1},
        design={"kind": "cell", "id": cell.id},
    )
    for obj in (cell, pack, study):
        project.put(obj)
    assert project.get("cell", cell.id) == cell
    assert project.find("pack", "96s4p") == pack
    assert project.list("study") == [study]
    project.delete("pack", pack.id)
    assert project.list("pack") == []
    with pytest.raises(ProjectError, match="no cell with id 'nope'"):
        project.get("cell", "nope")


def test_a_name_two_designs_share_is_refused_and_a_study_is_the_one_stored_last(
    project,
) -> None:
    # a project saved before names were unique may hold a second "Q" (a design file without
    # ids imported again after an edit); the one stored last was taken, so a study of "Q"
    # could run on either without a word: now neither is taken, and both are listed
    edited = CellDesign(id="aaaa", name="Q", pybamm_parameter_set="Chen2020")
    first = CellDesign(id="zzzz", name="Q", pybamm_parameter_set="Marquis2019")
    project.put(first)
    project._db.execute(  # as the older version stored it, past today's put()
        "INSERT INTO objects (kind, id, name, json, updated_at) VALUES ('cell', ?, 'Q', ?, "
        "(SELECT updated_at FROM objects WHERE id = 'zzzz'))",
        (edited.id, edited.model_dump_json()),
    )
    with pytest.raises(AmbiguousNameError, match=r"2 cell designs are named 'Q'.*id aaaa.*zzzz"):
        project.find("cell", "Q")
    assert project.find("cell", "zzzz") == first  # an id is still exact
    assert project.find("cell", "aaaa") == edited
    # studies may share a name (one run again keeps it): the one stored last is meant
    ref = DesignRef(kind=DesignKind.CELL, id="zzzz")
    older = Study(id="s-old", name="rate", engine="electrochem.ecm", design=ref)
    newer = Study(id="s-new", name="rate", engine="electrochem.ecm", design=ref)
    project.put(newer)
    project.put(older)
    assert project.find("study", "rate").id == "s-old"


def test_result_round_trip_is_exact(project) -> None:
    result = _result()
    project.put_result(result)
    again = project.get_result(result.id)
    for name, values in result.series.items():
        np.testing.assert_array_equal(again.series[name], values)
    np.testing.assert_array_equal(again.fields[0].values, result.fields[0].values)
    np.testing.assert_array_equal(
        again.meshes["cell"].cells["tetra"], result.meshes["cell"].cells["tetra"]
    )
    assert again.meshes["cell"].cell_sets["jelly roll"]["tetra"].tolist() == list(range(10))
    assert again.provenance == result.provenance and again.scalars == result.scalars
    assert [r.id for r in project.results("s1")] == [result.id]
    project.delete_result(result.id)
    assert project.results() == []
    assert project._db.execute("SELECT count(*) FROM array_chunks").fetchone()[0] == 0


@pytest.mark.parametrize(
    "array",
    [
        np.arange(10, dtype=np.float64),
        np.zeros((0, 3)),
        np.arange(24, dtype=np.int32).reshape(2, 3, 4),
        np.array([True, False]),
        np.arange(100, dtype=np.float32).reshape(10, 10)[:, ::3],  # not contiguous
        np.linspace(0, 1, 3_000_000),  # several chunks
    ],
)
def test_arrays_round_trip(project, array) -> None:
    project.put_array("a", array)
    again = project.get_array("a")
    assert again.dtype == array.dtype and again.shape == array.shape
    np.testing.assert_array_equal(again, array)


def test_small_arrays_are_stored_raw_and_compressed_ones_still_read(project, monkeypatch) -> None:
    from cellwright.projects.store import arrays

    small, large = np.arange(100.0), np.linspace(0, 1, arrays.RAW_BELOW // 8 + 1)
    project.put_array("small", small)
    project.put_array("large", large)
    codecs = dict(project._db.execute("SELECT key, codec FROM arrays"))
    assert codecs == {"small": "raw", "large": "blosc2-lz4-shuffle"}
    monkeypatch.setattr(arrays, "RAW_BELOW", 0)  # as files written before small arrays went raw
    project.put_array("old", small)
    assert project._db.execute("SELECT codec FROM arrays WHERE key = 'old'").fetchone()[0] != "raw"
    for key, values in (("small", small), ("large", large), ("old", small)):
        np.testing.assert_array_equal(project.get_array(key), values)


def test_raw_array_with_extra_bytes_is_damaged(project) -> None:
    project.put_array("x", np.arange(6.0))
    project._db.execute("UPDATE array_chunks SET data = data || x'00' WHERE key = 'x'")
    with pytest.raises(ProjectError, match=r"array 'x' is damaged"):
        project.get_array("x")


def test_objects_are_refused(project) -> None:
    with pytest.raises(TypeError, match="numbers only"):
        project.put_array("x", np.array([object()]))


def _unchanged(path, action):
    before = (path.read_bytes(), os.stat(path).st_mtime_ns)
    with pytest.raises(ProjectError) as info:
        action()
    assert (path.read_bytes(), os.stat(path).st_mtime_ns) == before
    return str(info.value)


def test_bad_files_are_refused_and_left_alone(tmp_path, project) -> None:
    text = tmp_path / "notes.cwproj"
    text.write_text("hello")
    assert "not an SQLite database" in _unchanged(text, lambda: Project.open(text))
    empty = tmp_path / "empty.cwproj"
    empty.write_bytes(b"")
    assert "empty" in _unchanged(empty, lambda: Project.open(empty))
    foreign = tmp_path / "foreign.cwproj"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    assert "another application" in _unchanged(foreign, lambda: Project.open(foreign))
    project.put_array("big", np.linspace(0, 1, 200_000))
    project.close()
    truncated = tmp_path / "truncated.cwproj"
    truncated.write_bytes((tmp_path / "p.cwproj").read_bytes()[:3000])
    assert "damaged" in _unchanged(truncated, lambda: Project.open(truncated).get_array("big"))


def test_newer_file_is_refused(tmp_path) -> None:
    path = tmp_path / "new.cwproj"
    Project.create(path).close()
    with path.open("r+b") as fh:  # raise user_version in the header
        fh.seek(60)
        fh.write(struct.pack(">I", SCHEMA_VERSION + 1))
    assert "newer Cellwright" in _unchanged(path, lambda: Project.open(path))


def test_an_older_file_opens_for_reading_too(tmp_path) -> None:
    """'cellwright results old.cwproj' said "file format 1 must be upgraded; open it for
    writing", which no command says how to do; an older file always opens."""
    from cellwright.projects.store.schema import MIGRATIONS

    path = tmp_path / "old.cwproj"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    MIGRATIONS[0](db)  # a file as the first format wrote it
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    before = path.read_bytes()
    with Project.open(path, readonly=True) as old:
        assert old.results() == [] and old.list("cell") == []
    # read in memory: the file stays in its format, for an older Cellwright that uses it
    assert path.read_bytes() == before
    with Project.open(path) as upgraded:  # for writing: the file itself is upgraded
        assert upgraded.list("cell") == []
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_header_identifies_cellwright(tmp_path) -> None:
    path = tmp_path / "id.cwproj"
    Project.create(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_create_refuses_to_overwrite(tmp_path) -> None:
    path = tmp_path / "x.cwproj"
    path.write_text("precious")
    with pytest.raises(ProjectError, match="exists already"):
        Project.create(path)
    assert path.read_text() == "precious"


def test_save_as_writes_a_complete_copy(tmp_path, project) -> None:
    project.put(CellDesign(name="a"))
    project.put_result(_result())
    project.save_as(tmp_path / "copy.cwproj")
    with Project.open(tmp_path / "copy.cwproj") as copy:
        assert [c.name for c in copy.list("cell")] == ["a"]
        assert len(copy.results()) == 1


def test_working_copy_saves_only_on_save_and_is_recoverable(tmp_path) -> None:
    original = tmp_path / "design.cwproj"
    with Project.create(original) as p:
        p.put(CellDesign(name="first"))
    saved = original.read_bytes()
    recovery = tmp_path / "recovery"
    work = open_for_editing(original, recovery)
    assert not work.dirty
    work.project.put(CellDesign(name="second"))
    assert work.dirty and original.read_bytes() == saved  # the user's file is untouched
    work.save()
    assert not work.dirty
    with Project.open(original, readonly=True) as p:
        assert sorted(c.name for c in p.list("cell")) == ["first", "second"]
    work.project.put(CellDesign(name="unsaved"))
    # a copy left by this (live) process is not offered for recovery
    assert recoverable_projects(recovery) == []
    note = next(recovery.glob("*.json"))
    note.write_text(note.read_text().replace(f'"pid": {os.getpid()}', '"pid": 999999999'))
    [entry] = recoverable_projects(recovery)
    assert entry.original == original.resolve()
    with Project.open(entry.copy) as rescued:
        assert "unsaved" in {c.name for c in rescued.list("cell")}
    work.discard()
    assert list(recovery.iterdir()) == []


def test_a_recovered_copy_is_discarded_with_its_wal_files_and_note(tmp_path) -> None:
    """The window opens a recovered copy into a working copy of its own, then drops the old one
    (app/gui_main.py): the copy, its -wal and -shm and its note all go, the work stays."""
    original = tmp_path / "design.cwproj"
    Project.create(original).close()
    recovery = tmp_path / "recovery"
    crashed = open_for_editing(original, recovery)
    crashed.project.put(CellDesign(name="unsaved"))
    crashed.project.close()
    note = next(recovery.glob("*.json"))
    note.write_text(note.read_text().replace(f'"pid": {os.getpid()}', '"pid": 999999999'))
    [entry] = recoverable_projects(recovery)
    rescued = open_for_editing(entry.copy, recovery)
    for suffix in ("-wal", "-shm"):  # as a session killed mid-write leaves them
        entry.copy.with_name(entry.copy.name + suffix).write_bytes(b"")
    discard_recovered(entry.copy)
    left = {p.name for p in recovery.iterdir()}
    assert not any(name.startswith(entry.copy.stem) for name in left)
    assert "unsaved" in {c.name for c in rescued.project.list("cell")}
    rescued.discard()
    assert list(recovery.iterdir()) == []


def test_an_unchanged_copy_is_cleaned_up_not_offered(tmp_path) -> None:
    original = tmp_path / "same.cwproj"
    with Project.create(original) as p:
        p.put(CellDesign(name="a"))
    work = open_for_editing(original, tmp_path / "rec")
    work.project.close()  # the session died without a single edit
    note = next((tmp_path / "rec").glob("*.json"))
    note.write_text(note.read_text().replace(f'"pid": {os.getpid()}', '"pid": 999999999'))
    assert recoverable_projects(tmp_path / "rec") == []
    assert list((tmp_path / "rec").iterdir()) == []


def test_saved_file_is_edited_in_wal_mode(tmp_path, project) -> None:
    project.save_as(tmp_path / "saved.cwproj")
    with Project.open(tmp_path / "saved.cwproj") as again:
        assert again._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_damaged_array_pages_give_a_project_error(tmp_path, project) -> None:
    project.put_array("noise", np.random.default_rng(0).random(400_000))
    project.close()
    path = tmp_path / "p.cwproj"
    data = bytearray(path.read_bytes())
    # the start of a page in the middle: an overflow page's next-page pointer (LZ4 has no
    # checksum, so damage inside a chunk's payload need not be detectable at all)
    page = 65536
    start = len(data) // 2 // page * page
    data[start : start + 4096] = bytes(range(256)) * 16
    path.write_bytes(bytes(data))
    with Project.open(path) as damaged, pytest.raises(ProjectError, match="'noise' is damaged"):
        damaged.get_array("noise")


@pytest.mark.parametrize(
    "column, value",
    [("dtype", "not-a-dtype"), ("dtype", "|O"), ("shape", "[3, -1]"), ("shape", '{"a": 1}')],
)
def test_damaged_array_metadata_gives_a_project_error(project, column, value) -> None:
    project.put_array("x", np.arange(6.0))
    project._db.execute(f"UPDATE arrays SET {column} = ? WHERE key = 'x'", (value,))
    with pytest.raises(ProjectError, match=r"array 'x' is damaged"):
        project.get_array("x")


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda text: text[: len(text) // 2], r"stored result '.*' is damaged \(JSONDecodeError"),
        (lambda text: text.replace('"series"', '"series": 5, "x"', 1), r"is damaged: series"),
        (lambda text: text.replace('"$array": "result/', '"$array": "nowhere/', 1), "no array"),
    ],
)
def test_damaged_result_gives_a_project_error(project, damage, message) -> None:
    result = _result()
    project.put_result(result)
    (text,) = project._db.execute("SELECT json FROM results WHERE id = ?", (result.id,)).fetchone()
    project._db.execute("UPDATE results SET json = ? WHERE id = ?", (damage(text), result.id))
    with pytest.raises(ProjectError, match=message):
        project.get_result(result.id)


def test_a_write_the_file_refuses_is_a_project_error_and_nothing_is_kept(project) -> None:
    # SQLite's "attempt to write a readonly database" reached the user as an unexpected failure
    cell = CellDesign(name="Small", pybamm_parameter_set="Chen2020")
    project._db.execute("PRAGMA query_only = 1")  # refuses writes as a read-only file does
    with pytest.raises(ProjectError, match=r"cannot be written .* nothing was saved"):
        project.put(cell)
    project._db.execute("PRAGMA query_only = 0")
    assert not project._db.in_transaction
    assert project.list("cell") == []


def test_opening_a_file_with_a_table_dropped_for_editing_names_it_and_leaves_no_copy(tmp_path):
    # the window's open named its recovery copy ("…/3f2a….cwproj: … damaged") and left that
    # copy behind, offered for recovery at the next start
    original = tmp_path / "hand-edited.cwproj"
    with Project.create(original) as p:
        p.put(CellDesign(name="a"))
    with sqlite3.connect(original) as db:
        db.execute("DROP TABLE passport_versions")
    db.close()
    recovery = tmp_path / "rec"
    with pytest.raises(ProjectError) as caught:
        open_for_editing(original, recovery)
    assert str(caught.value) == (
        f"{original}: the project file is damaged (its table passport_versions is missing)"
    )
    assert list(recovery.iterdir()) == []


def test_opening_a_file_damaged_past_its_schema_for_editing_refuses_it_at_once(tmp_path):
    """The copy for editing is made page by page and opening reads the schema only: a page
    damaged in the middle of the file (here among a result's arrays) opened, to fail in each
    result's tab later, naming the working copy in the recovery folder."""
    original = tmp_path / "damaged.cwproj"
    with Project.create(original) as p:
        p.put(CellDesign(name="a"))
        for k in range(3):
            p.put_array(f"result/r/series/{k}", np.random.default_rng(k).random(100_000))
        (pages,) = p._db.execute("PRAGMA page_count").fetchone()
        (page_size,) = p._db.execute("PRAGMA page_size").fetchone()
    assert pages > 10  # the middle is well past the schema's page
    with original.open("r+b") as f:
        f.seek(pages // 2 * page_size)
        f.write(b"\x13" * page_size)
    before = original.read_bytes()
    recovery = tmp_path / "rec"
    with pytest.raises(ProjectError) as caught:
        open_for_editing(original, recovery)
    assert str(caught.value).startswith(f"{original}: the project file is damaged (")
    assert str(caught.value).endswith("); it is left as it was")
    assert list(recovery.iterdir()) == []
    assert original.read_bytes() == before


def test_an_interrupted_save_leaves_neither_a_changed_file_nor_its_temporary(
    tmp_path, project, monkeypatch
) -> None:
    """Ctrl-C during the copy left '<name>.cwproj.saving' beside the untouched project (only
    OSError and sqlite3.Error cleaned it up)."""
    target = tmp_path / "saved.cwproj"
    project.save_as(target)
    before = target.read_bytes()

    def interrupted(self, *args, **kwargs):
        raise KeyboardInterrupt

    # the copy is written, then synced to disk before the rename: stopped there
    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        project.save_as(target)
    assert target.read_bytes() == before
    assert not (tmp_path / "saved.cwproj.saving").exists()
