"""The threaded backend the window drives: outcomes collected without waiting, a backend that
cannot be made is one clear stop with the points kept pending, and study_steps never waits
before the first outcome is ready."""

from __future__ import annotations

import pytest

from cellwright.app.studies.backends import StudyInterrupted
from cellwright.app.studies.execute import load_points, study_steps
from cellwright.app.studies.threaded import ThreadedBackend
from cellwright.projects.model import PointStatus
from cellwright.projects.store import Project
from support.studies import m50_project, rate_study


def _no_cluster():
    raise OSError("no scheduler at tcp://10.0.0.9:8786")


def test_a_backend_that_cannot_start_stops_the_study_with_its_points_pending(tmp_path) -> None:
    with Project.open(m50_project(tmp_path / "p.cwproj")) as project:
        study = rate_study(points=3)
        backend = ThreadedBackend(_no_cluster)
        steps = study_steps(project, study, backend)
        first = next(steps)  # stored and queued; nothing waited for yet
        assert (first.total, first.finished, backend.in_flight) == (3, 0, 3)
        backend._thread.join(10)
        assert backend.ready()
        with pytest.raises(StudyInterrupted) as caught:
            next(steps)
        assert "no scheduler at tcp://10.0.0.9:8786" in str(caught.value)
        assert "cellwright study resume" in str(caught.value)
        points = load_points(project, study)
        assert [p.status for p in points] == [PointStatus.PENDING] * 3
        backend.close()
