"""Running a study point by point: each a stored engine run; failures listed; resume."""

from __future__ import annotations

import pytest

from cellwright.app.studies.backends import InlineBackend, StudyInterrupted
from cellwright.app.studies.execute import load_points, run_design_study
from cellwright.app.studies.table import study_table
from cellwright.projects.model import InputError
from cellwright.projects.store import Project
from support.studies import m50_project, rate_study, thickness_study


@pytest.fixture
def project(tmp_path):
    with Project.open(m50_project(tmp_path / "p.cwproj")) as p:
        yield p


def test_each_point_is_a_stored_engine_run_with_provenance(project) -> None:
    seen = []
    study = rate_study(points=4)
    progress = run_design_study(project, study, InlineBackend(), seen.append)
    assert (progress.done, progress.failed, len(seen)) == (4, 0, 4)
    points = load_points(project, study)
    assert [p.index for p in points] == [0, 1, 2, 3]
    for point in points:
        result = project.get_result(point.result)
        assert result.study_id == study.id and result.name == f"rates #{point.index}"
        assert result.provenance.engine_id == "electrochem.pybamm_discharge"
        assert result.scalars["Current [A]"] == pytest.approx(point.outputs["Current [A]"])
        # the current is the point's C-rate times the design's capacity: the value was applied
        rate = point.values["spec.c_rate"]
        assert point.outputs["Current [A]"] == pytest.approx(
            rate * point.outputs["Design capacity [A.h]"], rel=1e-9
        )
    # the outputs follow the physics: more current, less time
    ordered = sorted(points, key=lambda p: p.values["spec.c_rate"])
    durations = [p.outputs["Duration [s]"] for p in ordered]
    assert durations == sorted(durations, reverse=True)


def test_failed_points_are_listed_with_their_error_and_the_rest_run(project) -> None:
    study = thickness_study(points=4, high=100e-6)  # thick coatings outgrow the can
    progress = run_design_study(project, study, InlineBackend())
    table = study_table(project, study)
    failed = table.failed()
    assert failed and progress.failed == len(failed) and progress.done == 4 - len(failed)
    thickness = "design.positive.coating_thickness"
    assert all("longer than the can holds" in point.error for point in failed)
    # the builder's limit is one thickness: every failed point is thicker than every done one
    assert min(p.values[thickness] for p in failed) > max(p.values[thickness] for p in table.done())
    csv = table.to_csv().splitlines()
    assert csv[0].startswith("point,status,spec.c_rate,design.positive.coating_thickness [m],")
    assert sum(",failed," in line for line in csv) == len(failed)


def test_an_interrupted_study_resumes_without_rerunning_finished_points(project) -> None:
    study = rate_study(points=5)

    def stop_after_two(progress) -> None:
        if progress.finished == 2:
            raise KeyboardInterrupt

    with pytest.raises(StudyInterrupted, match=r"stopped \(interrupted\) after 2 of 5 points"):
        run_design_study(project, study, InlineBackend(), stop_after_two)
    before = {p.index: p.result for p in load_points(project, study) if p.status == "done"}
    assert len(before) == 2 and len(project.results()) == 2
    stored = project.get("design_study", study.id)
    ran = []
    progress = run_design_study(project, stored, InlineBackend(), lambda p: ran.append(p.last))
    assert progress.done == 5 and len(ran) == 3
    assert {p.index for p in ran}.isdisjoint(before)
    after = {p.index: p.result for p in load_points(project, study)}
    assert all(after[i] == rid for i, rid in before.items())  # the finished ones untouched
    assert len(project.results()) == 5


def test_a_study_that_cannot_run_stores_nothing(project) -> None:
    bad = rate_study(inputs=[{"path": "design.positive.porosty", "low": 0.2, "high": 0.4}])
    with pytest.raises(InputError, match="has no field 'porosty'"):
        run_design_study(project, bad, InlineBackend())
    outside = rate_study(inputs=[{"path": "spec.c_rate", "low": 1.0, "high": 40.0}])
    with pytest.raises(InputError, match=r"spec.c_rate: 40 is above the field's maximum 20"):
        run_design_study(project, outside, InlineBackend())
    assert project.list("design_study") == [] and project.list("study_point") == []


def test_a_range_over_a_whole_number_field_draws_whole_numbers(project) -> None:
    # output_points takes whole numbers: an LHS over 20..30 drew 23.7 and the like, which the
    # spec refused, so every point between the ends failed after the study was accepted (the
    # window's editor has no "integer" to tick)
    study = rate_study(points=3, sampler="lhs",
                       inputs=[{"path": "spec.output_points", "low": 20, "high": 30}])  # fmt: skip
    progress = run_design_study(project, study, InlineBackend())
    points = load_points(project, study)
    assert (progress.done, progress.failed) == (3, 0), [p.error for p in points]
    drawn = [p.values["spec.output_points"] for p in points]
    assert all(isinstance(v, int) and 20 <= v <= 30 for v in drawn)
    assert project.get("design_study", study.id).inputs[0].integer
    # and an optimiser asks optuna for whole numbers there
    objective = [{"output": "Discharge capacity [A.h]", "direction": "maximize"}]
    tpe = rate_study(points=2, name="tpe", sampler="tpe", inputs=study.inputs,
                     objectives=objective)  # fmt: skip
    assert run_design_study(project, tpe, InlineBackend()).done == 2
    assert all(isinstance(p.values["spec.output_points"], int) for p in load_points(project, tpe))
