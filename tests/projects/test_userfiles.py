"""OS errors on the user's files are one-line messages naming the file and the reason."""

from __future__ import annotations

import codecs
import os

import pytest

from cellwright.projects.model import InputError
from cellwright.projects.userfiles import (
    check_writable,
    describe_os_error,
    read_text,
    writing,
)

needs_permissions = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root ignores file permissions"
)


def test_missing_file_and_folder_are_named(tmp_path) -> None:
    with pytest.raises(InputError, match=r"nothing.toml: study file: not found"):
        read_text(tmp_path / "nothing.toml", "study file")
    with pytest.raises(InputError, match=r"study file: is a folder, not a file"):
        read_text(tmp_path, "study file")


def test_permission_denied_is_a_message(tmp_path) -> None:
    locked = tmp_path / "locked.csv"
    locked.write_text("x")
    exc = PermissionError(13, "Permission denied", str(locked))
    assert describe_os_error(exc, "profile") == f"profile {locked}: permission denied"


@needs_permissions
def test_unreadable_file_is_permission_denied(tmp_path) -> None:
    locked = tmp_path / "locked.csv"
    locked.write_text("x")
    locked.chmod(0)
    with pytest.raises(InputError, match=r"locked\.csv: file: permission denied"):
        read_text(locked)


@pytest.mark.parametrize(
    "encoded",
    [
        codecs.BOM_UTF8 + "héllo\nwörld".encode(),
        # PowerShell's Out-File and Excel's "Unicode text": UTF-16 with a byte-order mark
        "héllo\nwörld".encode("utf-16"),
        codecs.BOM_UTF16_BE + "héllo\nwörld".encode("utf-16-be"),
        "héllo\nwörld".encode("utf-16-le"),  # no byte-order mark: told by its zero bytes
        codecs.BOM_UTF32_LE + "héllo\nwörld".encode("utf-32-le"),
    ],
)
def test_text_with_a_byte_order_mark_or_in_utf16_is_read(tmp_path, encoded) -> None:
    # UTF-16 was refused as "not UTF-8 text (byte 0: b'\\xff\\xfe…')"
    path = tmp_path / "t.toml"
    path.write_bytes(encoded)
    assert read_text(path) == "héllo\nwörld"


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        ("a = 1\nb = 'café'\n".encode("latin-1"),
         r"t\.toml: line 2: study file: not UTF-8 text \(byte 14: .*\); it looks like "
         r"Latin-1 \(Windows-1252\) text: save it as UTF-8$"),
        (bytes(range(256)) * 4,
         r"t\.toml: line 2: study file: not UTF-8 text \(byte 128: .*\); it holds binary data"),
        (b"\x8f\x01\x02\xff\x00" * 50,
         r"t\.toml: line 1: study file: not UTF-8 text \(byte 0: .*\); it holds binary data, not"),
        (b"[study]\x00\x00\x00garbage", r"t\.toml: line 1: study file: not text \(byte 7 is NUL\)"),
        (b"SQLite format 3\x00" + bytes(100),
         r"t\.toml: study file: not text but an SQLite database \(a Cellwright project\?\)"),
        (b"PK\x03\x04" + bytes(100), r"study file: not text but a ZIP archive \(an Excel workbook"),
        (codecs.BOM_UTF16_LE + b"a\x00\x00\xd8",
         r"line 1: study file: not UTF-16 text \(byte 4: .*\); the file starts with a UTF-16 "
         "byte-order mark but is not UTF-16 throughout"),
    ],
)  # fmt: skip
def test_text_in_another_encoding_or_binary_data_says_what_it_looks_like(
    tmp_path, encoded, expected
) -> None:
    path = tmp_path / "t.toml"
    path.write_bytes(encoded)
    with pytest.raises(InputError, match=expected):
        read_text(path, "study file")


def test_writable_checks_the_folder_before_any_work(tmp_path) -> None:
    assert check_writable(tmp_path / "out.vtu") == tmp_path / "out.vtu"
    with pytest.raises(InputError, match=r"the folder .* does not exist"):
        check_writable(tmp_path / "no" / "out.vtu", "mesh file")
    with pytest.raises(InputError, match="is a folder"):
        check_writable(tmp_path)
    with writing(tmp_path / "x.csv") as fh:
        fh.write("a,b\n")
    assert (tmp_path / "x.csv").read_text() == "a,b\n"
    missing = r"x\.csv: export: the folder .*no does not exist"
    with pytest.raises(InputError, match=missing), writing(tmp_path / "no" / "x.csv", "export"):
        pass


def test_an_output_is_never_written_over_a_project(tmp_path) -> None:
    """``labdata summary RUN --csv p.cwproj -p p.cwproj`` replaced the project with a CSV
    table; a project renamed to .csv is told by its content and kept too."""
    import sqlite3

    from cellwright.projects.store import Project

    project = tmp_path / "p.cwproj"
    Project.create(project).close()
    renamed = tmp_path / "old.csv"
    renamed.write_bytes(project.read_bytes())
    before = project.read_bytes()
    refused = r"p\.cwproj: summary CSV: is a Cellwright project"
    with pytest.raises(InputError, match=refused), writing(project, "summary CSV") as fh:
        fh.write("cycle\n")
    with pytest.raises(InputError, match="is a Cellwright project"):
        check_writable(renamed, "passport file")
    assert project.read_bytes() == before
    other = tmp_path / "other.db"  # an SQLite file of another program is the user's to replace
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    assert check_writable(other) == other


@pytest.mark.timeout(30)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX named pipes")
def test_a_device_or_named_pipe_is_refused_not_read_for_ever(tmp_path) -> None:
    # /dev/zero never ends and a pipe blocks its reader until someone writes: `cellwright run
    # /dev/zero` used to read until memory ran out
    pipe = tmp_path / "study.toml"
    os.mkfifo(pipe)
    with pytest.raises(InputError, match=r"study\.toml: study file: is a named pipe, not a reg"):
        read_text(pipe, "study file")
    if os.path.exists("/dev/zero"):
        with pytest.raises(InputError, match=r"/dev/zero: profile: is a device, not a regular"):
            read_text("/dev/zero", "profile")


def test_the_line_of_a_bad_byte_in_big_endian_utf16_is_counted_in_its_order(tmp_path) -> None:
    # counted in little-endian order, line 3 of a big-endian file read as line 1
    path = tmp_path / "t.toml"
    path.write_bytes(codecs.BOM_UTF16_BE + "a\nb\n".encode("utf-16-be") + b"\xdc\x00")
    with pytest.raises(InputError, match=r"line 3: study file: not UTF-16 text \(byte 10: "):
        read_text(path, "study file")
