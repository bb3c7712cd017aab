"""The in-process Jet 4 reader against mdb-export (mdbtools) on every real Arbin .res file,
and damaged copies of one: each a one-line LabDataError naming the file and the page."""

from __future__ import annotations

import io
import shutil
import subprocess

import numpy as np
import pytest

from cellwright.projects.labdata import LabDataError, read_cycler_file
from cellwright.projects.labdata import table as t
from cellwright.projects.labdata.jet4 import PAGE, ROWS_AT, Jet4Database
from cellwright.projects.labdata.jet4_values import decode_text
from support.paths import CORPUS, FIXTURES

EXAMPLE = FIXTURES / "cycler/arbin_res/arbin_example.res"
needs_example = pytest.mark.skipif(
    not EXAMPLE.exists(), reason=f"fixture {EXAMPLE} not found (clone ../shared beside the repo)"
)
RES_FILES = sorted({*FIXTURES.glob("cycler/**/*.res"), *CORPUS.glob("**/*.res")})


def mdb_export(path, table: str):
    """``table`` as mdb-export prints it, parsed as text (empty cells as '')."""
    import pandas as pd

    exe = shutil.which("mdb-export")
    if exe is None:
        pytest.skip("mdbtools (mdb-export) not installed: nothing to compare the reader with")
    done = subprocess.run([exe, "-D", "%s", str(path), table], capture_output=True, check=True)
    return pd.read_csv(
        io.StringIO(done.stdout.decode(errors="replace")), dtype=str, keep_default_na=False
    )


def assert_same_as_mdb_export(ours: dict, theirs) -> None:
    assert list(ours) == list(theirs.columns)
    for name, values in ours.items():
        text = theirs[name].to_numpy()
        if values.dtype == object:  # text: mdb-export prints a null as an empty cell
            assert [v or "" for v in values] == list(text), name
        elif values.dtype == bool:
            np.testing.assert_array_equal(values.astype(int).astype(str), text, err_msg=name)
        else:  # mdb-export prints singles with 7-8 significant digits
            expected = np.array([float(v) if v else np.nan for v in text])
            np.testing.assert_allclose(values.astype(float), expected, rtol=1e-6, err_msg=name)


@pytest.mark.parametrize("path", RES_FILES, ids=[p.name for p in RES_FILES])
def test_every_table_matches_mdb_export(path):
    db = Jet4Database(path)
    names = [n for n in db.table_names() if not n.startswith("MSys")]
    assert {"Global_Table", "Channel_Normal_Table"} <= set(names)
    for name in names:
        ours = db.read(name)
        theirs = mdb_export(path, name)
        assert len(next(iter(ours.values()))) == len(theirs), name
        assert_same_as_mdb_export(ours, theirs)
    table = read_cycler_file(path)
    assert len(table) == len(mdb_export(path, "Channel_Normal_Table"))


@needs_example
def test_example_values_read_by_hand():
    """First record and the test's metadata of arbin_example.res (navani's example file)."""
    db = Jet4Database(EXAMPLE)
    rows = db.read("Channel_Normal_Table", ["Data_Point", "Test_Time", "DateTime", "Voltage"])
    assert rows["Data_Point"].dtype == np.int32 and rows["Voltage"].dtype == np.float32
    assert rows["Data_Point"][0] == 1 and len(rows["Data_Point"]) == 2150
    assert rows["Test_Time"][0] == pytest.approx(0.07259541979508601, rel=1e-15)
    assert rows["DateTime"][0] == pytest.approx(45131.78472222222, rel=1e-15)
    assert rows["Voltage"][0] == pytest.approx(3.8591957, rel=1e-7)
    info = db.read("Global_Table")
    assert info["Test_Name"][0] == "ajm314_LCO_ajm5-SSB1-F_Wait48hr-Repeat-01-012"
    assert info["Schedule_File_Name"][0] == "AliceM\\LCO-ajm5-SSA8-N_5xCo10.sdu"
    assert info["Log_ChanStat_Data_Flag"][0] and not info["Log_Aux_Data_Flag"][0]
    table = read_cycler_file(EXAMPLE)
    assert table[t.VOLTAGE][0] == pytest.approx(3.8591957, rel=1e-7)
    assert table.metadata["start_unix_time"] == pytest.approx(1690224600.0, abs=1e-3)
    assert table.metadata["schedule"] == "AliceM\\LCO-ajm5-SSA8-N_5xCo10.sdu"


def test_text_compression():
    """0xFF 0xFE: one byte per character; a 0x00 byte toggles to UCS-2 pairs and back."""
    assert decode_text("Ω-cell".encode("utf-16-le")) == "Ω-cell"
    assert decode_text(b"\xff\xfeCreator") == "Creator"
    mixed = b"\xff\xfeAB\x00" + "Ωж".encode("utf-16-le") + b"\x00C"
    assert decode_text(mixed) == "ABΩжC"
    assert decode_text(b"\xff\xfe\x00\x3a") == ""  # odd trailing byte dropped, as mdbtools


# -- damaged copies ---------------------------------------------------------------------
def spoiled_copy(tmp_path, edit) -> tuple:
    data = bytearray(EXAMPLE.read_bytes())
    db = Jet4Database(EXAMPLE)
    table = db.table_def("Channel_Normal_Table")
    edit(data, db, table)
    path = tmp_path / "spoiled.res"
    path.write_bytes(bytes(data))
    return path, db, table


def expect_error(path, pattern: str) -> str:
    with pytest.raises(LabDataError, match=pattern) as info:
        read_cycler_file(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    return message


@needs_example
def test_truncated_mid_page(tmp_path):
    path, _, _ = spoiled_copy(tmp_path, lambda data, db, table: data.__delitem__(slice(-100, None)))
    expect_error(
        path,
        r"byte 532380: truncated Jet 4 database \(expected a whole number of 4096-byte pages, "
        r"found 129 and 3996 bytes\)",
    )


@needs_example
def test_truncated_at_a_page_boundary(tmp_path):
    def cut(data, db, table):
        last = int(db.data_pages(table)[-1])
        del data[last * PAGE :]

    path, _, _ = spoiled_copy(tmp_path, cut)
    expect_error(path, r"page \d+: .*(past the end|file ends at page).*truncated")


@needs_example
def test_flipped_page_type(tmp_path):
    def flip(data, db, table):
        data[int(db.data_pages(table)[3]) * PAGE] = 0x04

    path, db, table = spoiled_copy(tmp_path, flip)
    page = int(db.data_pages(table)[3])
    expect_error(path, rf"page {page} \(byte {page * PAGE}\): expected a data page \(type 0x01\)")


@needs_example
def test_flipped_table_definition_type(tmp_path):
    path, _, table = spoiled_copy(
        tmp_path, lambda data, db, tab: data.__setitem__(tab.page * PAGE, 1)
    )
    expect_error(path, rf"page {table.page} .*expected table definition .* found type 0x01")


@needs_example
def test_row_offset_out_of_the_page(tmp_path):
    def spoil(data, db, table):
        at = int(db.data_pages(table)[1]) * PAGE + ROWS_AT + 2
        data[at : at + 2] = (3).to_bytes(2, "little")  # inside the page header

    path, db, table = spoiled_copy(tmp_path, spoil)
    expect_error(path, rf"page {int(db.data_pages(table)[1])} row 0 .*expected a row between")


@needs_example
def test_deleted_and_moved_rows(tmp_path):
    """A deleted row (offset flag 0x8000) is skipped; a moved row (0x4000) is read from the
    4-byte pointer (row, page) it leaves behind, whose target Access marks deleted."""

    def delete_and_move(data, db, table):
        page = int(db.data_pages(table)[0])
        slots = page * PAGE + ROWS_AT + 2 + 2 * np.arange(4)
        offsets = [int.from_bytes(data[s : s + 2], "little") for s in slots]
        data[slots[0] : slots[0] + 2] = (offsets[0] | 0x8000).to_bytes(2, "little")
        data[slots[1] : slots[1] + 2] = (offsets[1] | 0x4000).to_bytes(2, "little")
        data[page * PAGE + offsets[1]] = 3  # row 1 now points at row 3 of the same page
        data[page * PAGE + offsets[1] + 1 : page * PAGE + offsets[1] + 4] = page.to_bytes(
            3, "little"
        )
        data[slots[3] : slots[3] + 2] = (offsets[3] | 0x8000).to_bytes(2, "little")

    path, db, _ = spoiled_copy(tmp_path, delete_and_move)
    before = db.read("Channel_Normal_Table", ["Data_Point"])["Data_Point"]
    after = Jet4Database(path).read("Channel_Normal_Table", ["Data_Point"])["Data_Point"]
    assert len(after) == len(before) - 2
    np.testing.assert_array_equal(after[:3], [before[3], before[2], before[4]])


@needs_example
def test_spoiled_structure_bytes_raise_labdata_error_or_read(tmp_path):
    """Random bytes written over the structures a read relies on (catalog, table definition,
    usage map, row-offset tables, the text rows of Global_Table): a table or one line."""
    db = Jet4Database(EXAMPLE)
    rows, info = db.table_def("Channel_Normal_Table"), db.table_def("Global_Table")
    pages = db.data_pages(rows)
    targets = [2, rows.page, info.page, rows.usage_map[0], int(pages[0]), *db.data_pages(info)]
    original = EXAMPLE.read_bytes()
    rng = np.random.default_rng(20260)
    path = tmp_path / "spoiled.res"
    outcomes = {"read": 0, "error": 0}
    for _ in range(300):
        data = bytearray(original)
        for _ in range(int(rng.integers(1, 4))):
            page = targets[int(rng.integers(len(targets)))]
            data[page * PAGE + int(rng.integers(0, 1024))] = int(rng.integers(0, 256))
        path.write_bytes(bytes(data))
        try:
            table = read_cycler_file(path)
        except LabDataError as exc:
            assert str(path) in str(exc) and "\n" not in str(exc)
            outcomes["error"] += 1
        else:
            assert len({len(v) for v in table.columns.values()}) == 1
            outcomes["read"] += 1
    assert outcomes["error"] > 20  # the spoiled structures were noticed, not read as garbage


@needs_example
def test_catalog_matches_mdb_export():
    """MSysObjects: long integers, text, and memo columns that are all null."""
    db = Jet4Database(EXAMPLE)
    names = ["Id", "ParentId", "Name", "Type", "Flags", "Database", "Connect"]
    ours = db.read("MSysObjects", names)
    theirs = mdb_export(EXAMPLE, "MSysObjects")[names]
    assert_same_as_mdb_export(ours, theirs)


class LongValuePages:
    """Long-value (LVAL) rows at byte ranges of a small buffer, keyed by (page, row)."""

    def __init__(self, rows: dict[tuple[int, int], bytes]):
        self.spans, data = {}, b""
        for key, row in rows.items():
            self.spans[key] = (len(data), len(data) + len(row))
            data += row
        self.buf = np.frombuffer(data + bytes(8), np.uint8)

    def record(self, page, row, what):
        return self.spans[(page, row)]

    def u32(self, at):
        return int.from_bytes(self.buf[at : at + 4].tobytes(), "little")

    def fail(self, where, what):
        return LabDataError(f"x.res: {where}: {what}")


def test_memo_inline_single_and_chained_long_values():
    from cellwright.projects.labdata.jet4_values import _long_value

    text = "Zyklus 1: Laden".encode("utf-16-le")
    inline = (len(text) | 0x80000000).to_bytes(4, "little") + bytes(8) + text
    assert decode_text(_long_value(LongValuePages({}), inline, "Comment")) == "Zyklus 1: Laden"
    single = (len(text) | 0x40000000).to_bytes(4, "little") + (7 << 8 | 2).to_bytes(4, "little")
    pages = LongValuePages({(7, 2): text})
    assert _long_value(pages, single + bytes(4), "Comment") == text
    first, second = text[:10], text[10:]
    chained = LongValuePages(
        {(9, 0): (11 << 8 | 3).to_bytes(4, "little") + first, (11, 3): bytes(4) + second}
    )
    header = len(text).to_bytes(4, "little") + (9 << 8).to_bytes(4, "little") + bytes(4)
    assert _long_value(chained, header, "Comment") == text
    with pytest.raises(LabDataError, match="expected a 12-byte header"):
        _long_value(chained, header[:8], "Comment")
