"""A squeeze's short-circuit onset starts a runaway study at its place (app/chains.py)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from cellwright.app.chains import runaway_spec_after_crush
from cellwright.app.cli import main
from cellwright.projects.model import InputError, Provenance, Result

ONSET = (0.001, 0.0085, 0.035)


def _crush_result(onset: bool = True, engine: str = "mechanics.crush") -> Result:
    scalars = {"Peak force [N]": 9000.0}
    if onset:
        scalars |= {
            "Short-circuit onset x [m]": ONSET[0],
            "Short-circuit onset y [m]": ONSET[1],
            "Short-circuit onset z [m]": ONSET[2],
            "Short-circuit onset time [s]": 2.4,
        }
    return Result(
        name="GB 38031 squeeze",
        message="" if onset else "stopped by 15 % deformation reached without a short",
        series={
            "Time [s]": np.array([0.0, 0.5]),
            "Displacement [m]": np.array([0.0, 1e-3]),
            "Force [N]": np.array([0.0, 9e3]),
        },
        scalars=scalars,
        provenance=Provenance(engine_id=engine, engine_version="1.0", spec_hash=""),
    )


def test_the_onset_becomes_a_nail_trigger_at_its_place() -> None:
    spec, note = runaway_spec_after_crush({"duration": 60.0}, _crush_result(),
                                          {"after": "x", "power": 80.0}, "[trigger]")  # fmt: skip
    assert spec["trigger"] == "nail" and spec["target"] == "cell"
    assert spec["nail_position"] == list(ONSET) and spec["nail_power"] == 80.0
    assert spec["duration"] == 60.0
    assert "[1.0, 8.5, 35.0] mm" in note and "2.4 s into the squeeze" in note


@pytest.mark.parametrize(
    ("result", "trigger", "spec", "message"),
    [
        (_crush_result(onset=False), {"after": "x"}, {}, "found no short-circuit onset"),
        (_crush_result(engine="thermal.conduction"), {"after": "x"}, {}, "not a mechanics.crush"),
        (_crush_result(), {"after": "x", "power": -1}, {}, r"\[trigger\]\.power: must be"),
        # NaN passed "<= 0"; true was a power of 1 W
        (
            _crush_result(),
            {"after": "x", "power": float("nan")},
            {},
            r"\[trigger\]\.power: must be a finite number, got nan",
        ),
        (
            _crush_result(),
            {"after": "x", "radius": float("inf")},
            {},
            r"\[trigger\]\.radius: must be a finite number, got inf",
        ),
        (
            _crush_result(),
            {"after": "x", "power": True},
            {},
            r"\[trigger\]\.power: must be a positive number, got True",
        ),
        (_crush_result(), {"after": "x", "delay": 1}, {}, r"unknown field\(s\) \['delay'\]"),
        (_crush_result(), {"after": "x"}, {"trigger": "oven"}, "leave spec.trigger"),
    ],
)
def test_what_cannot_start_a_runaway_is_refused(result, trigger, spec, message) -> None:
    with pytest.raises(InputError, match=message):
        runaway_spec_after_crush(spec, result, trigger, "[trigger]")


CRUSH = """
[study]
name = "GB 38031 squeeze"
engine = "mechanics.crush"
[design]
cell = "LG M50 21700 (entered)"
[spec]
standard = "GB38031-cell"
"""

DOC = Path(__file__).resolve().parents[2] / "docs" / "study-file.md"
RUNAWAY = next(
    b for b in re.findall(r"```toml\n(.*?)```", DOC.read_text(), re.S) if "[trigger]" in b
)


def test_a_runaway_study_file_runs_after_the_squeeze_in_the_project(tmp_path, capsys) -> None:
    """The crush result is stored by hand (a squeeze to its short takes minutes); the runaway
    study runs for real and is stored with the trigger it was given."""
    from cellwright.app.study_file import read_study_file
    from cellwright.projects.design.reference_designs import lg_m50
    from cellwright.projects.store import Project

    cell = lg_m50().model_copy(update={"name": "LG M50 21700 (entered)"})
    (tmp_path / "crush.toml").write_text(CRUSH)
    (tmp_path / "runaway.toml").write_text(RUNAWAY)
    project_path = tmp_path / "p.cwproj"
    crush = read_study_file(tmp_path / "crush.toml").study
    with Project.create(project_path, name="chain") as project:
        project.put(cell)  # both studies name it in [design]
        project.put(crush)
        project.put_result(_crush_result().model_copy(update={"study_id": crush.id}))
    # without the project there is nothing to start from
    assert main(["run", str(tmp_path / "runaway.toml")]) != 0
    assert "needs --project" in capsys.readouterr().err
    assert main(["run", str(tmp_path / "runaway.toml"), "--project", str(project_path)]) == 0
    with Project.open(project_path) as project:
        study = project.find("study", "Runaway after the squeeze")
        stored = project.get_result(project.results(study.id)[0].id)
    assert study.spec["nail_position"] == list(ONSET) and study.spec["nail_power"] == 60.0
    assert "short-circuit onset of 'GB 38031 squeeze'" in study.notes
    assert "60 W nail at [1.0, 8.5, 35.0] mm" in " ".join(stored.provenance.warnings) + str(
        stored.message
    ) + str(stored.tables)


def test_a_trigger_table_belongs_to_runaway_studies_only(tmp_path, capsys) -> None:
    path = tmp_path / "crush.toml"
    path.write_text(CRUSH + '\n[trigger]\nafter = "x"\n')
    assert main(["run", str(path)]) != 0
    assert "only a thermal.runaway study has a trigger" in capsys.readouterr().err
