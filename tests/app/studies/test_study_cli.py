"""`cellwright study …` as a user types it: the documented example, results, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cellwright.app.cli import main

DOC = Path(__file__).resolve().parents[3] / "docs" / "design-studies.md"


def _doc_files(folder: Path) -> Path:
    design, study = re.findall(r"```toml\n(.*?)```", DOC.read_text(), re.S)[:2]
    (folder / "m50.toml").write_text(design)
    (folder / "thickness.toml").write_text(study)
    return folder / "thickness.toml"


def test_documented_study_runs_and_its_results_export(tmp_path, capsys) -> None:
    study = _doc_files(tmp_path)
    project = tmp_path / "my.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["study", "run", str(study), "--project", str(project), "--inline"]) == 0
    printed = capsys.readouterr().out
    assert "M50 coating thickness: 6 done, 0 failed of 6 points" in printed
    csv = tmp_path / "table.csv"
    args = ["study", "results", "M50 coating thickness", "--project", str(project)]
    assert main([*args, "--csv", str(csv)]) == 0
    rows = csv.read_text().splitlines()
    assert len(rows) == 7 and "Discharge specific energy [W.h.kg-1]" in rows[0]
    # the inputs carry their units as the outputs do (the file's "60 um" is stored in metres)
    assert rows[0].startswith("point,status,design.positive.coating_thickness [m],spec.c_rate,")
    # running it again is refused (resume instead); resume has nothing left to do
    assert main(["study", "run", str(study), "--project", str(project), "--inline"]) == 2
    assert "already has a study named" in capsys.readouterr().err
    assert main(["study", "resume", "M50 coating thickness", "-p", str(project), "--inline"]) == 0
    assert "6 done, 0 failed of 6 points" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('low = "60 um"', 'low = "90 um"'),
         r"thickness.toml:\d+: \[\[inputs\]\]: .*low \(9e-05\) must be below high \(7.7e-05\)"),
        (('path = "design.positive.coating_thickness"', 'path = "design.positive.thicknes"'),
         r"thickness.toml:\d+: design.positive.thicknes: Electrode has no field 'thicknes'"),
        (("high = 2.0", "high = 40.0"),
         r"thickness.toml:\d+: spec.c_rate: 40 is above the field's maximum 20"),
    ],
)  # fmt: skip
def test_bad_studies_are_one_clear_line(tmp_path, capsys, change, expected) -> None:
    study = _doc_files(tmp_path)
    study.write_text(study.read_text().replace(*change))
    project = tmp_path / "my.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["study", "run", str(study), "--project", str(project), "--inline"]) == 2
    err = capsys.readouterr().err
    assert re.search(expected, err), err
    assert "Traceback" not in err


def test_a_design_named_wrongly_or_by_a_shared_name_is_named_at_its_line(tmp_path, capsys):
    """The project's refusal ("no cell with id or name 'Nope'", or two older designs of one
    name) came without the study file and its line, unlike `cellwright run`'s."""
    from cellwright.projects.design.reference_designs import lg_m50
    from cellwright.projects.store import Project

    study = _doc_files(tmp_path)
    project = tmp_path / "older.cwproj"
    first = lg_m50().model_copy(update={"id": "m50-a", "name": "M50"})
    second = lg_m50().model_copy(update={"id": "m50-b", "name": "M50"})
    with Project.create(project) as p:
        p.put(first)
        p._db.execute(  # as a version before unique names stored it, past today's put()
            "INSERT INTO objects (kind, id, name, json, updated_at) VALUES ('cell', ?, ?, ?, '')",
            (second.id, second.name, second.model_dump_json()),
        )
    line = study.read_text().splitlines().index('file = "m50.toml"') + 1
    for name, expected in (("Nope", "no cell with id or name 'Nope' in this project"),
                           ("M50", "2 cell designs are named 'M50' in this project")):  # fmt: skip
        study.write_text(re.sub(r'file = "m50.toml"', f'cell = "{name}"', study.read_text()))
        args = ["study", "run", str(study), "--project", str(project), "--inline"]
        assert main(args) == 2
        err = capsys.readouterr().err
        assert f"{study}:{line}: [design] cell: {expected}" in err, err
        study.write_text(study.read_text().replace(f'cell = "{name}"', 'file = "m50.toml"'))


_ECM_RATES = """[study]
name = "ECM rates"
engine = "electrochem.ecm"

[design]
library_cell = "lg-m50"

[spec]
parameters = "pybamm:ECM_Example"
duration = 1

[sampler]
kind = "factorial"

[[inputs]]
path = "spec.c_rate"
values = [0.5, 2.0]
"""


def test_a_field_the_engine_needs_may_be_given_by_the_inputs_alone(tmp_path, capsys) -> None:
    # the base [spec] was checked without the inputs: "ds.toml: spec: Value error, give
    # exactly one of current, c_rate or profile_file", though every point gives c_rate
    study, project = tmp_path / "ds.toml", tmp_path / "my.cwproj"
    study.write_text(_ECM_RATES)
    assert main(["new", str(project)]) == 0
    assert main(["study", "run", str(study), "--project", str(project), "--inline"]) == 0
    out = capsys.readouterr().out
    assert "c_rate=0.5" in out and "c_rate=2" in out
    # a spec refused with the inputs' values too is still refused, at its line
    study.write_text(_ECM_RATES.replace("duration = 1", "duration = -1"))
    assert main(["study", "run", str(study), "--project", str(project), "--inline"]) == 2
    assert "ds.toml: line 10: spec.duration: Input should be greater than 0" in (
        capsys.readouterr().err
    )


@pytest.mark.slow  # the CLI waits its full 10 s connect timeout; the backend's own message is
# checked with a 2 s timeout in test_dask_cluster.py
def test_an_unreachable_scheduler_is_one_line(tmp_path, capsys) -> None:
    study = _doc_files(tmp_path)
    project = tmp_path / "my.cwproj"
    assert main(["new", str(project)]) == 0
    args = ["study", "run", str(study), "-p", str(project), "--scheduler", "tcp://127.0.0.1:9"]
    assert main(args) == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err


def test_a_study_file_asking_for_its_sensitivity_gets_it_stored(tmp_path, capsys) -> None:
    # [study] sensitivity = true was stored with the study and nothing computed: the window,
    # opening the study, had no indices to show, and the command said nothing of it
    from cellwright.app.studies.insight import load_sensitivity
    from cellwright.projects.store import Project

    study, project = tmp_path / "ds.toml", tmp_path / "my.cwproj"
    text = _ECM_RATES.replace('engine = "electrochem.ecm"',
                              'engine = "electrochem.ecm"\nsensitivity = true')  # fmt: skip
    text = text.replace('kind = "factorial"', 'kind = "lhs"\npoints = 6').replace(
        "values = [0.5, 2.0]", "low = 0.5\nhigh = 2.0"
    )
    study.write_text(text)
    assert main(["new", str(project)]) == 0
    assert main(["study", "run", str(study), "--project", str(project), "--inline"]) == 0
    out = capsys.readouterr().out
    assert "Discharge capacity [A.h]: most sensitive to spec.c_rate" in out
    with Project.open(project, readonly=True) as p:
        found = load_sensitivity(p, p.find("design_study", "ECM rates"))
    assert found["Discharge capacity [A.h]"]["total"][0] > 0.9  # the only input
    # too few points for a surrogate: said, and the study still ends well
    study.write_text(text.replace('name = "ECM rates"', 'name = "few"').replace(
        "points = 6", "points = 2"))  # fmt: skip
    assert main(["study", "run", str(study), "--project", str(project), "--inline"]) == 0
    assert "sensitivity: not computed (a surrogate needs at least 6" in capsys.readouterr().out


def test_points_for_a_factorial_grid_is_refused_not_dropped(tmp_path, capsys) -> None:
    # points = 100 beside kind = "factorial" was ignored: the grid ran its values instead
    study, project = tmp_path / "ds.toml", tmp_path / "my.cwproj"
    study.write_text(_ECM_RATES.replace('kind = "factorial"', 'kind = "factorial"\npoints = 100'))
    assert main(["new", str(project)]) == 0
    assert main(["study", "run", str(study), "--project", str(project), "--inline"]) == 2
    err = capsys.readouterr().err
    assert "ds.toml:14: [sampler] points: a factorial grid has no number of points" in err
