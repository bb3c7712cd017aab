"""The CLI as a user types it: the documented example, library browsing, clear errors."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cellwright.app.cli import main
from cellwright.projects.store import Project
from cellwright.resources import ROOT as RESOURCES

DOC = Path(__file__).resolve().parents[2] / "docs" / "study-file.md"


def _doc_example() -> str:
    return re.search(r"```toml\n(.*?)```", DOC.read_text(), re.S).group(1)


def test_documented_example_runs_and_is_stored(tmp_path, capsys) -> None:
    study = tmp_path / "lg-m50-1c.toml"
    study.write_text(_doc_example())
    project, out = tmp_path / "my.cwproj", tmp_path / "results"
    assert main(["new", str(project)]) == 0
    assert main(["run", str(study), "--project", str(project), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    capacity = float(re.search(r"Discharge capacity \[A.h\]\s+([\d.]+)", printed).group(1))
    assert capacity == pytest.approx(4.94, abs=0.03)
    header = (out / "series.csv").read_text().splitlines()[0]
    assert "Voltage [V]" in header and "Cell temperature [K]" in header
    assert '"engine_id": "electrochem.pybamm_discharge"' in (out / "scalars.json").read_text()
    with Project.open(project) as p:
        [info] = p.results()
        result = p.get_result(info.id)
        assert [s.name for s in p.list("study")] == ["LG M50 1C discharge"]
        assert result.series["Voltage [V]"][-1] == pytest.approx(2.5, abs=1e-6)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("c_rate = 1.0", "c_rate = 50"),
            r"lg-m50-1c.toml: line \d+: spec.c_rate: Input should be less than or equal to 20",
        ),
        (
            ('engine = "electrochem.pybamm_discharge"', 'engine = "electrochem.dfn"'),
            r"lg-m50-1c.toml:3: \[study\] engine: unknown engine 'electrochem.dfn'; available "
            r"engines: .*electrochem.pybamm_discharge",
        ),
        (
            ('ambient_temperature = "25 degC"', 'ambient_temperature = "25 kg"'),
            r"spec.ambient_temperature: '25 kg' cannot be expressed in K",
        ),
        (('model = "DFN"', 'modell = "DFN"'), r"spec.modell: unknown field; "),
        (('library_cell = "lg-m50"', ""), r"\[design\] needs exactly one of"),
        (("[spec]", "[spec"), r"not valid TOML: .*line"),
    ],
)
def test_bad_study_files_get_one_clear_line(tmp_path, capsys, change, expected) -> None:
    study = tmp_path / "lg-m50-1c.toml"
    study.write_text(_doc_example().replace(*change))
    assert main(["run", str(study)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ")
    assert re.search(expected, err[0]), err[0]


def test_unknown_library_cell_is_named(tmp_path, capsys) -> None:
    study = tmp_path / "s.toml"
    study.write_text(_doc_example().replace('"lg-m50"', '"lg-m5"'))
    assert main(["run", str(study)]) == 2
    assert "no library cell 'lg-m5' in the library; did you mean lg-m50" in capsys.readouterr().err


def test_library_commands(capsys) -> None:
    assert main(["library", "list"]) == 0
    out = capsys.readouterr().out
    assert "Materials (48)" in out and "lg-m50" in out and "[PyBaMM Chen2020]" in out
    assert main(["library", "show", "nmc811"]) == 0
    assert "Noh et al. 2013" in capsys.readouterr().out
    assert main(["library", "show", "eve-lf280k"]) == 0
    assert "EVE LF280K product specification" in capsys.readouterr().out
    assert main(["library", "search", "graphite"]) == 0
    assert "graphite-natural" in capsys.readouterr().out


def test_engines_lists_ids(capsys) -> None:
    assert main(["engines"]) == 0
    out = capsys.readouterr().out
    engines = ("electrochem.pybamm_discharge", "electrochem.ecm", "electrochem.pack",
               "mechanics.modal", "mechanics.vibration", "mechanics.crush", "cfd.network",
               "cfd.flow2d")  # fmt: skip
    for engine in engines:
        assert engine in out


def test_foreign_project_is_refused_cleanly(tmp_path, capsys) -> None:
    bogus = tmp_path / "notes.cwproj"
    bogus.write_text("not a project")
    assert main(["results", str(bogus)]) == 2
    assert "not a Cellwright project" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["no-such-command"], "No such command 'no-such-command'"),
        (["library", "cells"], "No such command 'cells'"),
        (["run", "--bogus", "x.toml"], "No such option: --bogus"),
        (["run"], "Missing argument"),
    ],
)
def test_a_mistyped_command_is_a_usage_error_not_a_failure(argv, expected, capsys) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert expected in err and "Usage: cellwright" in err
    assert "unexpected failure" not in err


def test_console_script_help_needs_no_heavy_imports() -> None:
    code = (
        "import sys, cellwright.app.cli as cli; cli.main(['--help']); "
        "print(sorted(m for m in ('pybamm', 'numpy', 'PySide6', 'pyvista', 'gmsh') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().endswith("[]")


def test_example_file_matches_the_doc() -> None:
    example = RESOURCES / "examples" / "lg-m50-1c.toml"
    body = "\n".join(line for line in example.read_text().splitlines() if not line.startswith("#"))
    assert body.strip() == _doc_example().strip()


def test_ecm_fit_is_stored_with_the_cell(tmp_path, capsys) -> None:
    project = tmp_path / "p.cwproj"
    assert main(["new", str(project)]) == 0
    assert (
        main(
            [
                "ecm",
                "fit",
                "--project",
                str(project),
                "--cell",
                "lg-m50",
                "--model",
                "SPM",
                "--rc-pairs",
                "1",
            ]
        )
        == 0
    )
    assert "stored ECM fitted to SPM HPPC (Chen2020)" in capsys.readouterr().out
    with Project.open(project) as p:
        [cell] = p.list("cell")
        params = p.get("ecm_parameters", cell.ecm_parameters)
        assert params.n_rc == 1 and "SPM HPPC" in params.source


def test_an_output_folder_in_the_way_is_refused_before_solving(tmp_path, capsys) -> None:
    blocker = tmp_path / "results"
    blocker.write_text("a file where the folder should go")
    study = RESOURCES / "examples" / "lg-m50-1c.toml"
    assert main(["run", str(study), "--out", str(blocker / "sub")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "output folder" in err and "Traceback" not in err


def test_a_study_file_that_is_a_folder_is_one_line(tmp_path, capsys) -> None:
    assert main(["run", str(tmp_path)]) == 2
    assert (
        capsys.readouterr().err.strip() == f"error: {tmp_path}: study file: is a folder, not a file"
    )


def test_an_engine_bug_is_an_unexpected_failure_with_its_traceback_logged(
    tmp_path, capsys, monkeypatch
) -> None:
    """It was reported as an input error (status 2, 'error: s.toml: unexpected error in …')
    and its traceback was dropped, though the file was not at fault."""
    import tempfile

    from cellwright.app import jobs

    def engine_bug(*args, **kwargs):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(jobs, "run_study", engine_bug)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    study = tmp_path / "s.toml"
    study.write_text(_doc_example())
    project = tmp_path / "p.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["run", str(study), "-p", str(project)]) == 1
    err = capsys.readouterr().err
    assert "error: unexpected failure: electrochem.pybamm_discharge: float division by zero" in err
    log = tmp_path / "cellwright-error.log"
    assert "details in " + str(log) in err
    assert "in engine_bug" in log.read_text() and "ZeroDivisionError" in log.read_text()
    with Project.open(project, readonly=True) as p:
        assert p.results() == [] and p.list("study") == []


def _doc_examples() -> list[str]:
    return re.findall(r"```toml\n(.*?)```", DOC.read_text(), re.S)


_STRUCTURAL = re.compile(r'engine = "mechanics\.(modal|vibration)"')
_MECHANICS = [b for b in _doc_examples() if _STRUCTURAL.search(b)]
_CRUSH = [b for b in _doc_examples() if 'engine = "mechanics.crush"' in b]


@pytest.mark.parametrize(
    "k",
    [pytest.param(0, marks=pytest.mark.slow), pytest.param(1, marks=pytest.mark.slow), 2],
    ids=["lg-m50-modes", "lg-m50-gb38031", "imported-bracket"],
)
def test_documented_mechanics_examples_run(tmp_path, capsys, monkeypatch, k) -> None:
    """The modal, random-vibration and imported-bracket studies of docs/study-file.md (the two
    on the LG M50 mesh a whole cell: slow on a loaded 2-core machine)."""
    from support.cad import write_step_bar

    assert len(_MECHANICS) == 3
    monkeypatch.chdir(tmp_path)
    write_step_bar(tmp_path / "bracket.step")  # the bracket: a 100 x 10 x 10 mm bar
    study = tmp_path / f"mech{k}.toml"
    study.write_text(_MECHANICS[k])
    assert main(["run", str(study)]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "First natural frequency [Hz]" in out
    if k == 0:
        assert "above the target 800 Hz" in out
    if k == 1:
        # a stress reads in the prefixed unit it reads best in (kPa, MPa), as the window shows it
        assert re.search(r"Maximum 3-sigma von Mises stress \[[kM]?Pa\]\s+\d", out)


def test_documented_crush_example_runs(tmp_path, capsys, monkeypatch) -> None:
    """The mechanics.crush study of docs/study-file.md, through ``cellwright run``."""
    from support.cad import write_step_bar

    assert len(_CRUSH) == 1
    monkeypatch.chdir(tmp_path)
    write_step_bar(tmp_path / "bracket.step")
    study = tmp_path / "crush.toml"
    study.write_text(_CRUSH[0])
    assert main(["run", str(study)]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    # as the window's table shows them: kN, and a mechanical study's lengths in mm
    assert "Peak force [kN]" in out and "Final displacement [mm]" in out
    assert "Energy balance error  " in out  # a fraction, shown without "[-]"


def test_a_crush_study_file_with_every_stop_switched_off_is_refused(tmp_path, capsys) -> None:
    """``max_force = "off"`` on R100 8D (its only stop): refused at the line that says so."""
    from cellwright.app.study_file import read_study_file

    study = tmp_path / "crush.toml"
    text = _CRUSH[0].replace("max_travel = 0.0006", 'standard = "R100-8D"\nmax_force = "off"')
    study.write_text(text)
    assert main(["run", str(study)]) == 2
    err = capsys.readouterr().err.strip()
    line = text.splitlines().index('max_force = "off"') + 1
    assert f"line {line}: spec.max_force: switching off max_force leaves the R100-8D run" in err
    study.write_text(text.replace('"off"', '"off"\nmax_deformation = 0.2'))  # a stop again
    assert read_study_file(study).study.spec["max_force"] == "off"


def test_the_documented_stop_switched_off_reads_as_a_crush_spec() -> None:
    import tomllib

    from cellwright.engines.mechanics.crush_spec import CrushSpec

    block = next(b for b in _doc_examples() if 'weight_factor = "off"' in b)
    spec = CrushSpec.model_validate(tomllib.loads(block)["spec"])
    assert spec.stops_off() == ["weight_factor"]
    preset = spec.preset()
    assert preset.weight_factor is None and preset.max_deformation == 0.15


def test_every_command_that_takes_a_project_takes_it_as_p_too(tmp_path, capsys) -> None:
    """`cellwright design ... -p my.cwproj` worked while `cellwright import ... -p` was refused
    ("No such option: -p"): 17 of the 34 commands had --project alone."""
    import typer

    from cellwright.app.cli.root import cli

    def leaves(command, path=()):
        for name, sub in (getattr(command, "commands", None) or {}).items():
            yield from leaves(sub, (*path, name))
        if not getattr(command, "commands", None):
            yield path, command

    taking = [
        (path, p.opts)
        for path, command in leaves(typer.main.get_command(cli))
        for p in command.params
        if p.name == "project" and p.opts[0].startswith("--")
    ]
    assert len(taking) > 30
    assert [path for path, opts in taking if "-p" not in opts] == []
    # as typed: an import into a project named by -p
    project = tmp_path / "p.cwproj"
    assert main(["new", str(project)]) == 0
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert main(["import", str(empty), "-p", str(project)]) == 2
    assert "empty.csv: file is empty" in capsys.readouterr().out


def test_command_summaries_read_as_flowing_sentences() -> None:
    """A group's --help listed each command's summary broken where its docstring's lines broke
    ("...against the format's schemas; it" / "holds no attribute above that level."). Every line
    of a summary but its last is now broken only where the next word would not fit."""
    import typer
    from typer.testing import CliRunner

    from cellwright.app.cli.root import cli

    groups = [name for name, c in typer.main.get_command(cli).commands.items()
              if getattr(c, "commands", None)]  # fmt: skip
    assert len(groups) >= 8
    ragged = []
    for group in groups:
        shown = CliRunner().invoke(cli, [group, "--help"], terminal_width=100).output
        panel = shown[shown.index("Commands") :].splitlines()[1:]
        rows = [line[2:-1] for line in panel if line.startswith("│")]
        start = len(rows[0]) - len(rows[0].split(maxsplit=1)[1])  # where summaries begin
        width = len(rows[0]) - start - 1  # the panel's right padding
        for row, below in itertools.pairwise(rows):
            text, after = row[start:].rstrip(), below[start:].strip()
            goes_on = not below[:start].strip() and after  # the row below names no command
            if goes_on and len(text) + 1 + len(after.split()[0]) <= width:
                ragged.append(f"{group}: {text!r} / {after!r}")
    assert ragged == []


def test_files_a_study_names_are_found_beside_it_from_any_folder(tmp_path, monkeypatch) -> None:
    """A profile, a drive cycle or a geometry file beside the study file is found whichever
    folder the study is run from, as ``[design] file`` is; a built-in drive cycle name and a
    path with no file beside the study are left as given."""
    from cellwright.app.study_file import _files_beside

    study = tmp_path / "studies"
    study.mkdir()
    (study / "profile.csv").write_text("Time [s],Current [A]\n0,1\n10,1\n")
    (study / "part.step").write_text("")
    monkeypatch.chdir(tmp_path)  # not the study's folder
    spec = _files_beside(
        {
            "profile_file": "profile.csv",
            "drive_cycle": "US06",
            "geometry": {"file": "part.step", "mesh_size": 0.005},
            "shapes": [{"file": "missing.png"}],
        },
        study,
    )
    assert spec["profile_file"] == str((study / "profile.csv").resolve())
    assert spec["drive_cycle"] == "US06"
    assert spec["geometry"] == {"file": str((study / "part.step").resolve()), "mesh_size": 0.005}
    assert spec["shapes"] == [{"file": "missing.png"}]


def test_an_ecm_study_runs_its_profile_beside_it_from_another_folder(
    tmp_path, capsys, monkeypatch
) -> None:
    folder = tmp_path / "studies"
    folder.mkdir()
    (folder / "pulse.csv").write_text("Time [s],Current [A]\n0,5\n60,5\n61,0\n120,0\n")
    (folder / "pulse.toml").write_text(
        '[study]\nname = "Pulse"\nengine = "electrochem.ecm"\n\n[design]\n'
        'library_cell = "lg-m50"\n\n[spec]\nparameters = "pybamm:ECM_Example"\n'
        'profile_file = "pulse.csv"\n'
    )
    monkeypatch.chdir(tmp_path)
    assert main(["run", "studies/pulse.toml"]) == 0, capsys.readouterr().err
