"""A device or named pipe given where a data file belongs is refused before it is opened.

``/dev/zero`` reads for ever and opening a named pipe blocks until someone writes to it, so
either hung the import it was given to (lab data, twin telemetry and lab runs, a project).
"""

from __future__ import annotations

import os

import pytest

from cellwright.projects.labdata.runs import import_file
from cellwright.projects.labdata.table import LabDataError
from cellwright.projects.model import InputError
from cellwright.projects.passport.telemetry import file_sha256
from cellwright.projects.store import Project, ProjectError

pytestmark = [
    pytest.mark.timeout(30),
    pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX named pipes"),
]


@pytest.fixture
def pipe(tmp_path):
    path = tmp_path / "channel_1.csv"
    os.mkfifo(path)
    return path


def test_a_lab_import_refuses_a_pipe_and_a_device(tmp_path, pipe) -> None:
    with Project.create(tmp_path / "p.cwproj") as project:
        with pytest.raises(LabDataError, match=r"channel_1\.csv: cycler file: is a named pipe"):
            import_file(project, pipe)
        if os.path.exists("/dev/zero"):
            with pytest.raises(LabDataError, match=r"/dev/zero: cycler file: is a device"):
                import_file(project, "/dev/zero")
        assert project.list_where("labrun", "sha256", "") == []


def test_a_twin_import_refuses_a_pipe(pipe) -> None:
    # telemetry and lab runs are hashed first, to skip a file imported before
    with pytest.raises(InputError, match=r"channel_1\.csv: file: is a named pipe"):
        file_sha256(pipe)


def test_a_pipe_is_not_opened_as_a_project(pipe) -> None:
    with pytest.raises(ProjectError, match=r"is a named pipe, not a project file"):
        Project.open(pipe)
