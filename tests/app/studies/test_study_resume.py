"""Resuming a design study only on the base design it started on, and its inputs' units.

A study resumed after its base design (or a material price it reads) was edited ran its
remaining points on the new design and mixed them with the finished ones without a word; a
study made in the window wrote its input columns without units.
"""

from __future__ import annotations

import pytest

from cellwright.app.cli import main
from cellwright.app.studies.backends import InlineBackend, StudyInterrupted
from cellwright.app.studies.execute import load_points, run_design_study
from cellwright.app.studies.table import study_table
from cellwright.projects.model import CostAssumptions, InputError
from cellwright.projects.store import Project
from support.studies import M50_ID, m50_project, rate_study, thickness_study


def _stop_after(n: int):
    def stop(progress) -> None:
        if progress.finished == n:
            raise KeyboardInterrupt

    return stop


def _run_partly(project, study, n: int = 1) -> None:
    with pytest.raises(StudyInterrupted):
        run_design_study(project, study, InlineBackend(), _stop_after(n))


def _thicker(project) -> None:
    cell = project.get("cell", M50_ID)
    positive = cell.positive.model_copy(update={"coating_thickness": 70e-6})
    project.put(cell.model_copy(update={"positive": positive}))


@pytest.fixture
def project(tmp_path):
    with Project.open(m50_project(tmp_path / "p.cwproj")) as p:
        yield p


def _statuses(project, study) -> list[str]:
    return [str(p.status) for p in load_points(project, study)]


def test_a_resume_after_the_base_design_was_edited_is_refused(project) -> None:
    study = rate_study(points=3)
    _run_partly(project, study)
    before = _statuses(project, study)
    assert before == ["done", "pending", "pending"]
    _thicker(project)
    stored = project.get("design_study", study.id)
    with pytest.raises(InputError) as refused:
        run_design_study(project, stored, InlineBackend())
    text = str(refused.value)
    assert f"cannot resume design study {study.name!r}" in text
    changed = "its base design changed since the study started: cell design 'LG M50 (Chen2020)'"
    assert f"{changed} (edited)." in text
    assert "new name" in text and "cellwright study run" in text
    # nothing ran and the study is kept as it was
    assert _statuses(project, study) == before
    assert project.get("design_study", study.id) == stored


def test_an_unedited_or_renamed_design_resumes(project) -> None:
    study = rate_study(points=3)
    _run_partly(project, study)
    cell = project.get("cell", M50_ID)
    project.put(cell.model_copy(update={"name": "M50 renamed", "notes": "a note"}))
    progress = run_design_study(project, project.get("design_study", study.id), InlineBackend())
    assert (progress.done, progress.failed, progress.note) == (3, 0, "")


def test_a_project_price_the_points_read_is_part_of_the_base_design(project) -> None:
    study = rate_study(points=2)
    _run_partly(project, study)
    cell = project.get("cell", M50_ID)
    project.put(CostAssumptions(prices={cell.separator: {"value": 130.0, "source": "quote"}}))
    with pytest.raises(InputError, match=rf"library material \(or its price\) '{cell.separator}'"):
        run_design_study(project, project.get("design_study", study.id), InlineBackend())


def test_a_study_stored_before_fingerprints_resumes_with_a_note(project) -> None:
    study = rate_study(points=2)
    _run_partly(project, study)
    old = project.get("design_study", study.id).model_copy(update={"base_fingerprint": {}})
    project.put(old)
    _thicker(project)  # cannot be told: it resumes as it always did
    progress = run_design_study(project, old, InlineBackend())
    assert progress.done == 2 and "cannot be detected" in progress.note


def test_the_cli_refuses_the_resume_in_one_message(tmp_path, capsys) -> None:
    path = m50_project(tmp_path / "p.cwproj")
    study = rate_study(points=3)
    with Project.open(path) as project:
        _run_partly(project, study)
        _thicker(project)
    capsys.readouterr()
    assert main(["study", "resume", study.name, "-p", str(path), "--inline"]) == 2
    captured = capsys.readouterr()
    assert "cannot resume design study 'rates'" in captured.err and "(edited)" in captured.err
    assert "Traceback" not in captured.err + captured.out
    with Project.open(path, readonly=True) as project:
        assert _statuses(project, study) == ["done", "pending", "pending"]


def test_inputs_get_their_fields_units_and_the_csv_writes_them(project) -> None:
    # as the window's editor makes it: no unit on the inputs
    study = thickness_study(points=2)
    assert [i.unit for i in study.inputs] == ["", ""]
    run_design_study(project, study, InlineBackend())
    stored = project.get("design_study", study.id)
    assert [i.unit for i in stored.inputs] == ["", "m"]  # a C-rate has no unit
    header = study_table(project, study).to_csv().splitlines()[0]
    assert header.startswith("point,status,spec.c_rate,design.positive.coating_thickness [m],")
    assert "Design capacity [A.h]" in header


def test_an_optimisation_resumed_on_an_edited_design_is_refused(project) -> None:
    study = rate_study(
        points=3, name="tpe", sampler="tpe",
        objectives=[{"output": "Discharge energy [W.h]", "direction": "maximize"}],
    )  # fmt: skip
    _run_partly(project, study)
    assert project.get("design_study", study.id).base_fingerprint
    _thicker(project)
    with pytest.raises(InputError, match=r"cannot resume design study 'tpe'.*\(edited\)"):
        run_design_study(project, project.get("design_study", study.id), InlineBackend())


def test_an_edit_that_leaves_a_varied_field_unset_says_the_design_changed(project) -> None:
    # the check of the study's fields ran first and said only that design.positive "is not set
    # on this design", not that the design the study started on was edited since
    study = thickness_study(points=2)
    _run_partly(project, study)
    cell = project.get("cell", M50_ID)
    project.put(cell.model_copy(update={"positive": None, "geometry": None}))
    with pytest.raises(InputError, match=r"cannot resume design study 'thickness'.*\(edited\)"):
        run_design_study(project, project.get("design_study", study.id), InlineBackend())
