"""Running a stored design study again from scratch in place (``study resume --fresh``).

There was no way to: a study refused on an edited base design could only be run again under a
new name. A fresh run discards the study's finished points, their runs and its stored base
fingerprint, and runs every point on the base design as it is now; it is checked first, and the
old points are deleted only in the transaction that stores it afresh, so a refusal or a failure
on the way keeps them.
"""

from __future__ import annotations

import pytest

from cellwright.app.cli import main
from cellwright.app.studies.backends import InlineBackend, StudyInterrupted
from cellwright.app.studies.execute import load_points, run_design_study
from cellwright.app.studies.fingerprint import snapshot_fingerprint
from cellwright.app.studies.insight import sensitivity_id, store_sensitivity
from cellwright.app.studies.validate import base_snapshot
from cellwright.projects.model import InputError
from cellwright.projects.store import Project
from support.studies import M50_ID, m50_project, rate_study, thickness_study


def _stop_after_one(progress) -> None:
    if progress.finished == 1:
        raise KeyboardInterrupt


def _run_partly(project, study) -> None:
    with pytest.raises(StudyInterrupted):
        run_design_study(project, study, InlineBackend(), _stop_after_one)


def _thicker(project) -> None:
    cell = project.get("cell", M50_ID)
    positive = cell.positive.model_copy(update={"coating_thickness": 70e-6})
    project.put(cell.model_copy(update={"positive": positive}))


def _sensitivity(project, study) -> None:
    found = {"Duration [s]": {"names": ["spec.c_rate"], "first": [0.9], "total": [0.95],
                              "first_conf": [0.1], "total_conf": [0.1], "r2": 0.9,
                              "rmse": 1.0}}  # fmt: skip
    store_sensitivity(project, project.get("design_study", study.id), found)


@pytest.fixture
def project(tmp_path):
    with Project.open(m50_project(tmp_path / "p.cwproj")) as p:
        yield p


def test_a_fresh_run_discards_the_old_points_and_runs_on_the_edited_design(project) -> None:
    study, other = rate_study(points=3), rate_study(points=2, name="others")
    run_design_study(project, other, InlineBackend())
    others = [(p.id, p.result) for p in load_points(project, other)]
    _run_partly(project, study)
    _sensitivity(project, study)
    (old,) = [p.result for p in load_points(project, study) if p.result]
    _thicker(project)
    stored = project.get("design_study", study.id)
    with pytest.raises(InputError, match="--fresh"):  # the refusal names the way out
        run_design_study(project, stored, InlineBackend())
    progress = run_design_study(project, stored, InlineBackend(), fresh=True)
    assert (progress.discarded, progress.done, progress.failed, progress.total) == (1, 3, 0, 3)
    points = load_points(project, study)
    assert [str(p.status) for p in points] == ["done"] * 3 and old not in {p.result for p in points}
    results = {r.id for r in project.results()}
    assert old not in results and sensitivity_id(stored) not in results  # runs of the old points
    restarted = project.get("design_study", study.id)
    assert restarted.base_fingerprint == snapshot_fingerprint(base_snapshot(restarted, project))
    assert restarted.base_fingerprint != stored.base_fingerprint
    assert restarted.created_at == stored.created_at and restarted.inputs == stored.inputs
    # nothing else is lost: another study's points and runs, the design as edited
    assert [(p.id, p.result) for p in load_points(project, other)] == others
    assert all(r in results for _, r in others)
    assert project.get("cell", M50_ID).positive.coating_thickness == 70e-6


def test_a_fresh_run_refused_by_the_design_keeps_every_old_point(project) -> None:
    study = thickness_study(points=2)
    _run_partly(project, study)
    before = load_points(project, study)
    stored = project.get("design_study", study.id)
    cell = project.get("cell", M50_ID)
    project.put(cell.model_copy(update={"positive": None, "geometry": None}))
    with pytest.raises(InputError, match=r"design\.positive"):
        run_design_study(project, stored, InlineBackend(), fresh=True)
    assert load_points(project, study) == before
    assert project.get("design_study", study.id) == stored


def test_a_fresh_run_that_fails_while_storing_keeps_every_old_point(project, monkeypatch) -> None:
    study = rate_study(points=3)
    _run_partly(project, study)
    before = load_points(project, study)
    results = {r.id for r in project.results()}
    stored = project.get("design_study", study.id)
    real_put = project.put

    def put(obj) -> None:  # the disk fills up after the old points are deleted
        if obj.__class__.__name__ == "StudyPoint":
            raise OSError("disk full")
        real_put(obj)

    monkeypatch.setattr(project, "put", put)
    with pytest.raises(OSError, match="disk full"):
        run_design_study(project, stored, InlineBackend(), fresh=True)
    monkeypatch.undo()
    assert load_points(project, study) == before
    assert {r.id for r in project.results()} == results
    assert project.get("design_study", study.id) == stored


def test_an_optimisation_runs_fresh_too(project) -> None:
    study = rate_study(
        points=2, name="tpe", sampler="tpe",
        objectives=[{"output": "Discharge energy [W.h]", "direction": "maximize"}],
    )  # fmt: skip
    _run_partly(project, study)
    _thicker(project)
    stored = project.get("design_study", study.id)
    progress = run_design_study(project, stored, InlineBackend(), fresh=True)
    assert (progress.discarded, progress.done, progress.total) == (1, 2, 2)
    assert len(load_points(project, study)) == 2


def test_the_cli_says_how_many_points_it_discarded(tmp_path, capsys) -> None:
    path = m50_project(tmp_path / "p.cwproj")
    study = rate_study(points=3)
    with Project.open(path) as project:
        _run_partly(project, study)
        _thicker(project)
    capsys.readouterr()
    assert main(["study", "resume", study.name, "-p", str(path), "--inline", "--fresh"]) == 0
    out = capsys.readouterr().out
    assert ("rates: discarded 1 finished point and the stored base-design fingerprint; running "
            "all 3 points again on the base design as it is now") in out  # fmt: skip
    assert out.index("discarded") < out.index("[   1/3]")  # said before the points run
    assert "rates: 3 done, 0 failed of 3 points" in out
