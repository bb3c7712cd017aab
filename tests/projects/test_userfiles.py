"""OS errors on the user's files are one-line messages naming the file and the reason."""

from __future__ import annotations

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


def test_bom_is_accepted_and_other_encodings_name_the_byte(tmp_path) -> None:
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeffhello".encode())
    assert read_text(bom) == "hello"
    utf16 = tmp_path / "utf16.txt"
    utf16.write_text("hello", encoding="utf-16")
    with pytest.raises(InputError, match=r"line 1: file: not UTF-8 text \(byte 0"):
        read_text(utf16)


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
