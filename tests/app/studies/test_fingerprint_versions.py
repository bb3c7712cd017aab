"""The base-design fingerprint survives an upgrade that adds a defaulted field to a model.

Version 1 hashed whole model dumps, so a release adding an optional design field changed every
stored fingerprint and refused every resume after the upgrade; version 2 leaves out the fields
that hold their default. A study stored with version 1 still resumes, compared with version 1.
"""

from __future__ import annotations

import pytest

from cellwright.app.studies.backends import InlineBackend, StudyInterrupted
from cellwright.app.studies.execute import load_points, run_design_study
from cellwright.app.studies.fingerprint import (
    VERSION,
    VERSION_KEY,
    changed_parts,
    snapshot_fingerprint,
)
from cellwright.app.studies.validate import base_snapshot
from cellwright.projects.model import CellDesign, InputError
from cellwright.projects.store import Project
from support.studies import M50_ID, m50_project, rate_study

CELL_KEY = f"cell:{M50_ID}"


class _NextReleaseCell(CellDesign):
    """The cell design as a later release might declare it: one more field, defaulted."""

    swelling_allowance: float = 0.0


@pytest.fixture
def project(tmp_path):
    with Project.open(m50_project(tmp_path / "p.cwproj")) as p:
        yield p


@pytest.fixture
def snapshot(project):
    return base_snapshot(rate_study(points=2), project)


def _with_cell(snapshot, cell):
    return snapshot.model_copy(update={"cell": cell})


def test_a_field_added_with_its_default_leaves_the_fingerprint_as_it_was(snapshot) -> None:
    upgraded = _with_cell(snapshot, _NextReleaseCell(**snapshot.cell.model_dump()))
    assert upgraded.cell.swelling_allowance == 0.0
    before, after = snapshot_fingerprint(snapshot), snapshot_fingerprint(upgraded)
    assert before[VERSION_KEY] == VERSION == "2"
    assert after == before
    assert changed_parts(before, upgraded) == []
    # what version 1 did: the new field's default alone changed the cell's digest
    old = snapshot_fingerprint(snapshot, "1")
    assert VERSION_KEY not in old
    assert snapshot_fingerprint(upgraded, "1")[CELL_KEY] != old[CELL_KEY]
    # the added field, once set, is an edit like any other
    set_ = _with_cell(snapshot, _NextReleaseCell(**snapshot.cell.model_dump(),
                                                 swelling_allowance=0.1))  # fmt: skip
    assert snapshot_fingerprint(set_)[CELL_KEY] != before[CELL_KEY]


def test_a_field_set_back_to_its_default_differs_from_its_other_value(snapshot) -> None:
    default = CellDesign.model_fields["electrolyte_excess"].default
    assert snapshot.cell.electrolyte_excess == default
    changed = _with_cell(snapshot, snapshot.cell.model_copy(update={"electrolyte_excess": 0.1}))
    back = _with_cell(snapshot, changed.cell.model_copy(update={"electrolyte_excess": default}))
    prints = [snapshot_fingerprint(s)[CELL_KEY] for s in (snapshot, changed, back)]
    assert prints[1] != prints[0] and prints[2] == prints[0] != prints[1]
    nested = snapshot.cell.positive.model_copy(update={"coating_thickness": 70e-6})
    thicker = _with_cell(snapshot, snapshot.cell.model_copy(update={"positive": nested}))
    assert snapshot_fingerprint(thicker)[CELL_KEY] != prints[0]


def _stored_as_version_1(project, study) -> None:
    with pytest.raises(StudyInterrupted):
        run_design_study(project, study, InlineBackend(), _stop_after_one)
    stored = project.get("design_study", study.id)
    assert stored.base_fingerprint[VERSION_KEY] == VERSION
    old = snapshot_fingerprint(base_snapshot(stored, project), "1")
    project.put(stored.model_copy(update={"base_fingerprint": old}))


def _stop_after_one(progress) -> None:
    if progress.finished == 1:
        raise KeyboardInterrupt


def test_a_study_stored_with_version_1_resumes_on_its_design(project) -> None:
    study = rate_study(points=2)
    _stored_as_version_1(project, study)
    progress = run_design_study(project, project.get("design_study", study.id), InlineBackend())
    assert (progress.done, progress.failed, progress.note) == (2, 0, "")


def test_a_study_stored_with_version_1_is_refused_on_an_edited_design(project) -> None:
    study = rate_study(points=2)
    _stored_as_version_1(project, study)
    cell = project.get("cell", M50_ID)
    project.put(cell.model_copy(update={"electrolyte_excess": 0.1}))
    with pytest.raises(InputError, match=r"cannot resume design study 'rates'.*\(edited\)"):
        run_design_study(project, project.get("design_study", study.id), InlineBackend())
    assert [str(p.status) for p in load_points(project, study)] == ["done", "pending"]


def test_a_fingerprint_of_an_unknown_version_is_refused_by_name(project) -> None:
    study = rate_study(points=2)
    _stored_as_version_1(project, study)
    stored = project.get("design_study", study.id)
    newer = {**stored.base_fingerprint, VERSION_KEY: "9"}
    project.put(stored.model_copy(update={"base_fingerprint": newer}))
    with pytest.raises(InputError, match="fingerprint is of version 9"):
        run_design_study(project, project.get("design_study", study.id), InlineBackend())
