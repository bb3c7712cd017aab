"""Bad input on the command line: each case exits 2 with one line naming what and where.

The cases come from an audit of the commands as a hostile but realistic user types them; each
one was once a traceback (an "unexpected failure"), a wrong success or a misleading message.
"""

from __future__ import annotations

import os

import pytest

from cellwright.app.cli import main
from cellwright.resources import ROOT as RESOURCES


def _error(capsys) -> str:
    err = capsys.readouterr().err
    assert "unexpected failure" not in err
    return err


def test_new_project_in_a_missing_folder_names_the_folder(tmp_path, capsys) -> None:
    target = tmp_path / "no" / "such" / "my.cwproj"
    assert main(["new", str(target)]) == 2
    assert f"the folder {target.parent} does not exist" in _error(capsys)
    assert not target.parent.exists()


@pytest.mark.parametrize("name", ["", ".", ".."])
def test_new_project_named_as_a_folder_is_refused(tmp_path, capsys, monkeypatch, name) -> None:
    # "." and "" were an unexpected failure (with_suffix on an empty name); ".." made a file
    # literally called "...cwproj"
    monkeypatch.chdir(tmp_path)
    before = sorted(os.listdir())
    assert main(["new", name]) == 2
    assert "names a folder; give a file name" in _error(capsys)
    assert sorted(os.listdir()) == before


def test_mesh_to_an_unknown_format_is_refused_before_meshing(tmp_path, capsys) -> None:
    out = tmp_path / "cell.txt"
    assert main(["design", "mesh", "lg-m50", "-o", str(out)]) == 2
    assert "cell.txt: mesh file: cannot write .txt; use .vtu, .xdmf, .msh" in _error(capsys)
    assert not out.exists()


def test_qr_code_to_an_unknown_format_names_the_formats(tmp_path, capsys) -> None:
    project = tmp_path / "fleet.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["battery", "add", "C-1", "--design", "lg-m50", "-p", str(project)]) == 0
    out = tmp_path / "qr.gif"
    assert main(["passport", "qr", "C-1", "-o", str(out), "-p", str(project)]) == 2
    assert "qr.gif: QR code: cannot write .gif; use .svg, .png" in _error(capsys)
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--voltage", "400 kg", "--energy", "60 kWh"], "--voltage: '400 kg' cannot be expressed"),
        (["--voltage", "nan V", "--energy", "60 kWh"], "--voltage: 'nan V' is not a finite number"),
        (["--voltage", "400 V", "--energy", "inf kWh"], "--energy: 'inf kWh' is not a finite"),
        (["--voltage", "400 V", "--energy", "60 kWh", "--max-voltage", "x"], "--max-voltage: "),
    ],
)
def test_arrangement_targets_name_the_option(args, expected, capsys) -> None:
    assert main(["design", "arrange", "lg-m50", *args]) == 2
    assert expected in _error(capsys)


def test_new_pack_with_a_nan_voltage_is_refused(tmp_path, capsys) -> None:
    project = tmp_path / "p.cwproj"
    assert main(["new", str(project)]) == 0
    args = ["--cell", "lg-m50", "--voltage", "nan V", "--energy", "60 kWh", "-p", str(project)]
    assert main(["design", "new-pack", "P", *args]) == 2
    assert "--voltage: 'nan V' is not a finite number" in _error(capsys)


_STUDY = """[study]
name = "x"
engine = "electrochem.pybamm_discharge"

[design]
library_cell = "lg-m50"

[spec]
c_rate = 1.0
"""


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # a misspelt field of [study] was dropped without a word
        (('name = "x"', 'name = "x"\nnote = "typo"'), "s.toml:3: [study] note: unknown field"),
        (('name = "x"', "name = 3"), "s.toml:2: [study] name: must be text in quotes (got 3)"),
        # str() made the id "['lg-m50']" of a list
        (('"lg-m50"', '["lg-m50"]'), "s.toml:6: [design] library_cell: must be one id or name"),
        # the library's refusal did not say which file or line asked for the cell
        (('"lg-m50"', '"no-such-cell"'), "s.toml:6: [design] library_cell: no library cell"),
        (('library_cell = "lg-m50"', 'cell = "mine"'), "s.toml:6: [design] cell = 'mine' refers"),
        # pydantic read true as 1: a study at 1C
        (("c_rate = 1.0", "c_rate = true"), "s.toml: line 9: spec.c_rate: a number is needed, not"),
    ],
)
def test_bad_study_tables_are_named_and_leave_no_output(tmp_path, change, expected, capsys):
    study, out = tmp_path / "s.toml", tmp_path / "results"
    study.write_text(_STUDY.replace(*change))
    assert main(["run", str(study), "--out", str(out)]) == 2
    assert expected in _error(capsys)
    assert not out.exists()  # the output folder was made before the design was looked up


def test_a_problem_of_the_whole_spec_names_its_table_line(tmp_path, capsys) -> None:
    # was "s.toml: spec: Value error, give exactly one of …": no line, pydantic's prefix
    study = tmp_path / "s.toml"
    study.write_text(_STUDY.replace("pybamm_discharge", "ecm").replace("c_rate = 1.0", ""))
    assert main(["run", str(study)]) == 2
    err = _error(capsys)
    assert "s.toml: line 8: spec: give exactly one of current, c_rate or profile_file" in err
    assert "Value error" not in err


def test_an_engine_refusing_a_spec_field_names_its_line(tmp_path, capsys) -> None:
    # the engine sees the spec, not the file: 's.toml: spec.profile_file: no profile …'
    study = tmp_path / "s.toml"
    spec = 'parameters = "pybamm:ECM_Example"\n\nprofile_file = "US07"\n'
    study.write_text(_STUDY.replace("pybamm_discharge", "ecm").replace("c_rate = 1.0\n", spec))
    assert main(["run", str(study)]) == 2
    assert "s.toml: line 11: spec.profile_file: no profile 'US07'" in _error(capsys)


def test_a_spec_value_in_the_wrong_unit_is_quoted_once(tmp_path, capsys) -> None:
    # "… '25 kg' cannot be expressed in K (got '25 kg')", unlike docs/study-file.md
    study = tmp_path / "s.toml"
    study.write_text(_STUDY + 'ambient_temperature = "25 kg"\n')
    assert main(["run", str(study)]) == 2
    assert "s.toml: line 10: spec.ambient_temperature: '25 kg' cannot be expressed in K\n" in (
        _error(capsys)
    )


def test_a_decimal_comma_in_a_spec_value_is_refused_not_multiplied(tmp_path, capsys) -> None:
    # pint read "1,5 h" as 1 x 5 h: a study of 18000 s where 5400 s was meant
    study = tmp_path / "s.toml"
    study.write_text(_STUDY + 'ambient_temperature = "298,15 K"\n')
    assert main(["run", str(study)]) == 2
    assert (
        "s.toml: line 10: spec.ambient_temperature: '298,15 K': write the decimal point as '.', "
        "not ','"
    ) in _error(capsys)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("", "name: a name cannot be empty"),
        ("   ", "name: a name cannot be empty"),
        ("two\nlines", "name: a name cannot hold control characters"),
        ("x" * 201, "name: a name has at most 200 characters (got 201)"),
    ],
)
def test_design_names_that_would_break_listings_are_refused(tmp_path, name, expected, capsys):
    project = tmp_path / "p.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["design", "new", name, "--template", "21700", "-p", str(project)]) == 2
    assert expected in _error(capsys)
    assert main(["design", "list", "-p", str(project)]) == 0
    assert capsys.readouterr().out == ""


def test_a_design_file_name_with_a_newline_names_its_line(tmp_path, capsys) -> None:
    project, design = tmp_path / "p.cwproj", tmp_path / "cell.toml"
    assert main(["new", str(project)]) == 0
    design.write_text('format_version = 1\n[cell]\nname = "a\\nb"\nfrom = "template:21700"\n')
    assert main(["design", "import", str(design), "-p", str(project)]) == 2
    assert "cell.toml:3: cell.name: a name cannot hold control characters" in _error(capsys)


def test_unicode_names_are_kept(tmp_path, capsys) -> None:
    project = tmp_path / "p.cwproj"
    assert main(["new", str(project), "--name", "Zellen ü 测试"]) == 0
    assert main(["design", "new", "Zelle — 21700", "--template", "21700", "-p", str(project)]) == 0
    assert main(["design", "list", "-p", str(project)]) == 0
    assert "Zelle — 21700" in capsys.readouterr().out


def test_passport_export_into_a_missing_folder_names_the_file_given(tmp_path, capsys) -> None:
    project = tmp_path / "fleet.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["battery", "add", "C-1", "--design", "lg-m50", "-p", str(project)]) == 0
    out = tmp_path / "no" / "public.json"
    args = ["--access", "public", "--partial", "-o", str(out), "-p", str(project)]
    assert main(["passport", "export", "C-1", *args]) == 2
    err = _error(capsys)
    assert f"{out}: passport file: the folder {out.parent} does not exist" in err
    assert ".writing" not in err


@pytest.mark.parametrize("command", [["design", "show"], ["cost", "show"]])
def test_an_unknown_design_says_the_project_was_searched_too(tmp_path, command, capsys):
    project = tmp_path / "p.cwproj"
    assert main(["new", str(project)]) == 0
    assert main([*command, "lg-m5", "-p", str(project)]) == 2
    assert (
        f"{project}: no cell or pack design 'lg-m5' in this project, and no library cell "
        "'lg-m5' in the library; did you mean lg-m50"
    ) in _error(capsys)


def test_a_report_compared_with_a_misspelt_variant_is_refused(tmp_path, capsys) -> None:
    # was written (status 0) with the name noted among the report's missing items only
    project, out = tmp_path / "p.cwproj", tmp_path / "r.html"
    assert main(["new", str(project)]) == 0
    assert main(["design", "new", "Small", "--template", "18650", "-p", str(project)]) == 0
    args = ["-o", str(out), "-c", "Smal", "-q", "-p", str(project)]
    assert main(["report", "Small", *args]) == 2
    assert "no cell or pack design 'Smal' in this project" in _error(capsys)
    assert not out.exists()


def test_an_export_named_like_the_project_leaves_the_project_as_it_was(tmp_path, capsys):
    # "-o fleet.cwproj" for "-p fleet.cwproj" wrote the passport JSON over the whole project
    project = tmp_path / "fleet.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["battery", "add", "C-1", "--design", "lg-m50", "-p", str(project)]) == 0
    before = project.read_bytes()
    args = ["--access", "public", "--partial", "-o", str(project), "-p", str(project)]
    assert main(["passport", "export", "C-1", *args]) == 2
    assert "fleet.cwproj: passport file: is a Cellwright project" in _error(capsys)
    assert project.read_bytes() == before


def test_twin_import_of_a_binary_file_says_it_is_not_text(tmp_path, capsys) -> None:
    project = tmp_path / "fleet.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["battery", "add", "C-1", "--design", "lg-m50", "-p", str(project)]) == 0
    before = project.read_bytes()
    binary = tmp_path / "log.csv"
    binary.write_bytes(bytes(range(128, 256)) * 8)
    assert main(["twin", "import", str(binary), "--battery", "C-1", "-p", str(project)]) == 2
    err = _error(capsys)
    assert "log.csv: not a text (CSV) file: byte 0 is not UTF-8 or UTF-16 text" in err
    assert len(err) < 300  # the bytes read as column names were printed, a screenful
    assert project.read_bytes() == before


_DESIGN_STUDY = """[study]
name = "rates"
engine = "electrochem.pybamm_discharge"

[design]
library_cell = "lg-m50"

[sampler]
kind = "lhs"
points = 2

[[inputs]]
path = "spec.c_rate"
low = 0.5
high = 2.0
"""


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # a table where an array of tables belongs was an "'str' object has no attribute 'get'"
        (("[[inputs]]", "[inputs]"), "d.toml:12: inputs: write each as a table of its own"),
        (('name = "rates"', 'name = "rates"\nsensitivty = true'), "d.toml:3: [study] sensitivty"),
        # named the model's field: "[sampler] sampler: Input should be 'factorial', …"
        (('kind = "lhs"', 'kind = "LHS"'), "d.toml:9: [sampler] kind: Input should be 'factorial'"),
    ],
)
def test_design_study_tables_of_the_wrong_shape_are_named(tmp_path, change, expected, capsys):
    project, study = tmp_path / "p.cwproj", tmp_path / "d.toml"
    assert main(["new", str(project)]) == 0
    study.write_text(_DESIGN_STUDY.replace(*change))
    assert main(["study", "run", str(study), "-p", str(project)]) == 2
    assert expected in _error(capsys)


def test_ecm_fit_with_an_unknown_model_is_refused_before_simulating(tmp_path, capsys) -> None:
    project = tmp_path / "p.cwproj"
    assert main(["new", str(project)]) == 0
    args = ["--cell", "lg-m50", "--model", "XYZ", "-p", str(project)]
    assert main(["ecm", "fit", *args]) == 2
    captured = capsys.readouterr()
    assert "error: --model: 'XYZ' is not one of SPM, SPMe, DFN" in captured.err
    assert "simulating" not in captured.err and "unexpected failure" not in captured.err


@pytest.mark.parametrize(
    ("extra", "expected"),
    [(["--run", "HPPC", "--initial-soc", "2"], "--initial-soc: a state of charge is between 0"),
     (["--run", "HPPC", "--initial-soc", "nan"], "--initial-soc: must be a finite number"),
     # was dropped without a word while a DFN HPPC was simulated
     (["--initial-soc", "0.5"], "--initial-soc: is the SOC at the start of a measured --run")],
)  # fmt: skip
def test_ecm_fit_initial_soc_is_checked_before_any_work(tmp_path, extra, expected, capsys):
    project = tmp_path / "p.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["ecm", "fit", "--cell", "lg-m50", *extra, "-p", str(project)]) == 2
    captured = capsys.readouterr()
    assert expected in captured.err and "simulating" not in captured.err


def test_ecm_fit_of_a_library_cell_whose_name_a_design_has_says_how_on_before_fitting(
    tmp_path, capsys
) -> None:
    """The library cell is stored as a cell design with its fit: the fit ran (minutes with
    DFN), then was refused with "choose another name", which ecm fit has no option for."""
    from cellwright.projects.library import Library
    from cellwright.projects.store import Project

    library_design = Library.load_builtin().design_for_cell("lg-m50")
    project = tmp_path / "p.cwproj"
    p = str(project)
    assert main(["new", p]) == 0
    assert main(["design", "new", library_design.name, "--template", "21700", "-p", p]) == 0
    with Project.open(project, readonly=True) as opened:
        (mine,) = opened.list("cell")
    capsys.readouterr()
    assert main(["ecm", "fit", "--cell", "lg-m50", "--model", "SPM", "-p", p]) == 2
    err = capsys.readouterr().err
    assert "simulating" not in err and "Traceback" not in err
    assert (
        f"--cell lg-m50: the fit is stored with the library cell as cell design "
        f"{library_design.name!r} (id {library_design.id}), but a cell design named "
        f"{library_design.name!r} is already in the project (id {mine.id}); fit that design "
        f"instead (--cell {mine.id}), or rename it apart first (cellwright design rename "
        f"{mine.id} NEW_NAME)"
    ) in err
    with Project.open(project, readonly=True) as opened:
        assert opened.list("ecm_parameters") == [] and opened.list("cell") == [mine]


def test_ecm_fit_of_a_library_cell_again_keeps_the_name_its_design_was_given(
    tmp_path, capsys
) -> None:
    """The first fit stores the library cell as a cell design; fitting the library cell again
    stored its datasheet design over that one, so a rename (and what named the design by
    its new name) was undone without a word."""
    from cellwright.projects.design.authoring import new_pack
    from cellwright.projects.store import Project

    project = tmp_path / "p.cwproj"
    p = str(project)
    assert main(["new", p]) == 0
    fit = ["ecm", "fit", "--cell", "lg-m50", "--model", "SPM", "-p", p]
    assert main(fit) == 0, capsys.readouterr().err
    with Project.open(project, readonly=True) as opened:
        (stored,) = opened.list("cell")
    assert main(["design", "rename", stored.id, "My M50", "-p", p]) == 0
    with Project.open(project) as opened:
        opened.put(new_pack("module", "My M50", 4, 2))  # names the cell by its new name
    capsys.readouterr()
    assert main(fit) == 0, capsys.readouterr().err
    assert capsys.readouterr().out.endswith("with cell My M50\n")
    with Project.open(project, readonly=True) as opened:
        (cell,) = opened.list("cell")
        assert (cell.id, cell.name) == (stored.id, "My M50")
        assert (
            len(opened.list("ecm_parameters")) == 2 and cell.ecm_parameters != stored.ecm_parameters
        )
        assert opened.find("cell", opened.list("pack")[0].cell).id == stored.id


def test_a_project_locked_by_another_program_is_named_and_left_as_it_was(tmp_path, capsys):
    import sqlite3

    project = tmp_path / "p.cwproj"
    assert main(["new", str(project)]) == 0
    design = RESOURCES / "examples" / "designs" / "lfp-21700.toml"
    other = sqlite3.connect(project, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another program in the middle of a save
    try:
        assert main(["design", "import", str(design), "-p", str(project)]) == 2
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "p.cwproj: the project is being changed by another program" in _error(capsys)
    assert main(["design", "list", "-p", str(project)]) == 0
    assert capsys.readouterr().out == ""


def test_library_list_of_a_misspelt_class_names_the_classes(capsys) -> None:
    assert main(["library", "list", "--class", "cathode"]) == 2
    assert "--class: no material class 'cathode'; classes: cathode_active," in _error(capsys)


def test_battery_add_into_a_missing_pack_does_not_list_the_new_serial(tmp_path, capsys):
    project = tmp_path / "fleet.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["battery", "add", "C-1", "--design", "lg-m50", "-p", str(project)]) == 0
    args = ["--design", "lg-m50", "--pack", "NOPE", "-p", str(project)]
    assert main(["battery", "add", "C-2", *args]) == 2
    assert "no battery with serial 'NOPE' in this project (serials: C-1);" in _error(capsys)
    assert main(["battery", "list", "-p", str(project)]) == 0
    assert "C-2" not in capsys.readouterr().out


def test_battery_add_with_a_day_that_never_was_says_why_and_adds_nothing(tmp_path, capsys):
    project = tmp_path / "fleet.cwproj"
    assert main(["new", str(project)]) == 0
    args = ["--production-date", "2023-02-29", "-p", str(project)]
    assert main(["battery", "add", "C-1", *args]) == 2
    assert (
        "--production-date: production date '2023-02-29' is not a date: February 2023 has 28 days"
        in _error(capsys)
    )
    assert main(["battery", "list", "-p", str(project)]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("threshold", ["5", "-1"])
def test_soh_threshold_outside_zero_to_one_is_refused(tmp_path, threshold, capsys) -> None:
    project = tmp_path / "fleet.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["battery", "add", "C-1", "--design", "lg-m50", "-p", str(project)]) == 0
    assert main(["twin", "soh", "C-1", "--threshold", threshold, "-p", str(project)]) == 2
    assert "threshold: the end-of-life capacity is a fraction between 0 and 1" in _error(capsys)


def test_design_export_to_an_unknown_format_is_refused(tmp_path, capsys) -> None:
    # once written as TOML whatever the name, so x.exe held a design file
    project = tmp_path / "p.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["design", "new", "Small", "--template", "18650", "-p", str(project)]) == 0
    out = tmp_path / "small.exe"
    assert main(["design", "export", "Small", "-o", str(out), "-p", str(project)]) == 2
    assert "small.exe: design file: cannot write .exe; use .toml, .json" in _error(capsys)
    assert not out.exists()
    good = tmp_path / "small.JSON"
    assert main(["design", "export", "Small", "-o", str(good), "-p", str(project)]) == 0
    assert good.read_text(encoding="utf-8").lstrip().startswith("{")


def _project_with_a_design(tmp_path, capsys):
    project = tmp_path / "p.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["design", "new", "Small", "--template", "18650", "-p", str(project)]) == 0
    capsys.readouterr()
    return project


@pytest.mark.parametrize("table", ["results", "meta", "twin_heads"])
def test_a_project_with_a_table_dropped_is_named_damaged_when_opened(tmp_path, table, capsys):
    # `results` on a file without its results table was "unexpected failure: no such table"
    import sqlite3

    project = _project_with_a_design(tmp_path, capsys)
    with sqlite3.connect(project) as db:
        db.execute(f"DROP TABLE {table}")
    db.close()
    assert main(["results", str(project)]) == 2
    assert f"p.cwproj: the project file is damaged (its table {table} is missing)" in _error(capsys)


def test_a_damaged_stored_design_is_named_not_taken_for_absent(tmp_path, capsys) -> None:
    # the lookup skipped the damaged design and said "no cell or pack design 'Small'"
    import sqlite3

    project = _project_with_a_design(tmp_path, capsys)
    with sqlite3.connect(project) as db:
        db.execute("UPDATE objects SET json = '{not json' WHERE name = 'Small'")
    db.close()
    assert main(["design", "show", "Small", "-p", str(project)]) == 2
    err = _error(capsys)
    assert "p.cwproj: stored cell '" in err and "is not valid: Invalid JSON" in err


def test_a_read_only_project_refuses_a_change_and_keeps_its_designs(tmp_path, capsys) -> None:
    # "unexpected failure: attempt to write a readonly database"; an immutable file refuses
    # writes even to root (chmod does not), so chattr where the file system has it
    import shutil
    import subprocess

    project = _project_with_a_design(tmp_path, capsys)
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(project)]).returncode != 0:
        pytest.skip("cannot make the file immutable here")
    try:
        before = project.read_bytes()
        assert main(["design", "new", "Big", "--template", "4680", "-p", str(project)]) == 2
        assert (
            "p.cwproj: the project file cannot be written (it or its folder is read-only); "
            "nothing was saved"
        ) in _error(capsys)
        assert project.read_bytes() == before
    finally:
        subprocess.run([chattr, "-i", str(project)], check=True)
    assert main(["design", "list", "-p", str(project)]) == 0
    assert "Small" in capsys.readouterr().out


def test_a_damaged_stored_design_is_not_overwritten_unless_replaced(tmp_path, capsys) -> None:
    # an import with the damaged design's id wrote over it without a word
    import sqlite3

    project = tmp_path / "p.cwproj"
    design = tmp_path / "cell.toml"
    assert main(["new", str(project)]) == 0
    design.write_text(
        'format_version = 1\n[cell]\nid = "c1"\nname = "C"\nfrom = "template:21700"\n'
    )
    assert main(["design", "import", str(design), "-p", str(project)]) == 0
    with sqlite3.connect(project) as db:
        db.execute("UPDATE objects SET json = '{not json' WHERE id = 'c1'")
    db.close()
    capsys.readouterr()
    assert main(["design", "import", str(design), "-p", str(project)]) == 2
    assert "p.cwproj: stored cell 'c1' is not valid" in _error(capsys)
    assert main(["design", "import", str(design), "--replace", "-p", str(project)]) == 0
    assert main(["design", "show", "C", "-p", str(project)]) == 0


def _damage(project, sql: str) -> None:
    import sqlite3

    with sqlite3.connect(project) as db:
        db.execute(sql)
    db.close()


def test_a_damaged_cost_model_is_named_not_replaced_by_the_defaults(tmp_path, capsys) -> None:
    # read as "no cost model": designs were priced with BatPaC's defaults without a word and
    # `cost set` wrote the defaults over the project's own assumptions
    project = _project_with_a_design(tmp_path, capsys)
    assert main(["cost", "set", "formation", "5", "-p", str(project)]) == 0
    _damage(project, "UPDATE objects SET json = '{oops' WHERE kind = 'cost_model'")
    before = project.read_bytes()
    for command in (["cost", "show", "Small"], ["cost", "set", "plant", "2"]):
        capsys.readouterr()
        assert main([*command, "-p", str(project)]) == 2
        assert "p.cwproj: stored cost_model 'cost' is not valid: Invalid JSON" in _error(capsys)
    assert project.read_bytes() == before


def test_a_damaged_issued_passport_is_named(tmp_path, capsys) -> None:
    # passport diff and issue failed with pydantic's ValidationError: "unexpected failure"
    project = tmp_path / "fleet.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["battery", "add", "C-1", "--design", "lg-m50", "-p", str(project)]) == 0
    assert main(["passport", "issue", "C-1", "-p", str(project)]) == 0
    _damage(project, "UPDATE passport_versions SET json = '{oops'")
    for command in (["diff", "C-1"], ["issue", "C-1"]):
        capsys.readouterr()
        assert main(["passport", *command, "-p", str(project)]) == 2
        assert "fleet.cwproj: stored passport version 1 of 'C-1' is damaged: Invalid JSON" in (
            _error(capsys)
        )


def test_lab_import_of_an_empty_folder_says_so(tmp_path, capsys) -> None:
    # "0 imported, 0 skipped, 0 failed" and status 0, as if the folder had been read
    project, folder = tmp_path / "p.cwproj", tmp_path / "runs"
    assert main(["new", str(project)]) == 0
    folder.mkdir()
    assert main(["import", str(folder), "-p", str(project)]) == 2
    assert f"error: no files to import in {folder}" in _error(capsys)


def test_a_summary_csv_that_cannot_be_written_is_refused_before_the_table(tmp_path, capsys):
    # the table was printed, then the path refused: output and an error for one command
    project, data = tmp_path / "p.cwproj", tmp_path / "run.csv"
    assert main(["new", str(project)]) == 0
    data.write_text("Time [s],Voltage [V],Current [A]\n0,4.1,1\n1,4.0,1\n")
    assert main(["import", str(data), "--mapping", "auto", "-p", str(project)]) == 0
    capsys.readouterr()
    out = tmp_path / "no" / "summary.csv"
    assert main(["labdata", "summary", "run", "--csv", str(out), "-p", str(project)]) == 2
    captured = capsys.readouterr()
    assert f"{out}: summary CSV: the folder {out.parent} does not exist" in captured.err
    assert captured.out == ""


@pytest.mark.timeout(30)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_given_as_column_mapping_is_refused_not_waited_on(tmp_path, capsys):
    # `--mapping` of a named pipe waited for a writer for ever (and /dev/zero was read until
    # memory ran out); a pipe, not /dev/zero, so the old code fails by the timeout, not by
    # filling the machine's memory
    project, data, pipe = tmp_path / "p.cwproj", tmp_path / "run.csv", tmp_path / "m.json"
    assert main(["new", str(project)]) == 0
    data.write_text("Time [s],Voltage [V],Current [A]\n0,4.1,1\n1,4.0,1\n")
    os.mkfifo(pipe)
    assert main(["import", str(data), "--mapping", str(pipe), "-p", str(project)]) == 2
    assert "m.json: column-mapping file: is a named pipe, not a regular file" in _error(capsys)


def test_a_column_mapping_that_is_not_json_names_its_line(tmp_path, capsys) -> None:
    # was "not a readable column-mapping JSON (Expecting … line 2 column 1 (char 2))"
    project, data, mapping = tmp_path / "p.cwproj", tmp_path / "run.csv", tmp_path / "m.json"
    assert main(["new", str(project)]) == 0
    data.write_text("Time [s],Voltage [V],Current [A]\n0,4.1,1\n1,4.0,1\n")
    mapping.write_text("{\n")
    assert main(["import", str(data), "--mapping", str(mapping), "-p", str(project)]) == 2
    assert "m.json: line 2: not a readable column-mapping JSON (Expecting property" in (
        _error(capsys)
    )


@pytest.mark.parametrize(
    ("start", "example"),
    [("datasheet", "datasheet:molicel-p42a"), ("datasheet:", "datasheet:molicel-p42a"),
     ("library: ", "library:lg-m50"), ("template:", "template:21700")],
)  # fmt: skip
def test_a_starting_point_without_its_name_says_what_to_give(tmp_path, capsys, start, example):
    """`design new X --from datasheet` (the help's "datasheet:<library cell id>" without the
    id) read "no library cell '' in the library"."""
    project = str(tmp_path / "p.cwproj")
    assert main(["new", project]) == 0
    assert main(["design", "new", "X", "--from", start, "-p", project]) == 2
    err = _error(capsys)
    assert "name what to start from after the colon" in err and example in err
    assert "no library cell ''" not in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--from", "nonsense"],
         ["--from: no cell design of the project and no library cell is called 'nonsense'",
          "--from takes a library cell, a cell design of the project or datasheet:<library "
          "cell> (library cells: {cells}", "cell designs of the project: Mine;"]),
        (["--from", "datasheet:"],
         ["--from: 'datasheet:': name what to start from after the colon",
          "--from takes datasheet:<library cell> (library cells: {cells}"]),
        (["--from", "template:nope"],
         ["--from: no template 'nope' (templates: 18650, 21700, 4680, pouch, prismatic)"]),
        (["--from", "datasheet:no-such-cell"],
         ["--from: no library cell 'no-such-cell' in the library",
          "--from takes datasheet:<library cell> (library cells: {cells}"]),
        (["--from", "design:nope"],
         ["--from: no cell with id or name 'nope' in this project",
          "--from takes design:<cell design> (cell designs of the project: Mine)"]),
        (["--from", "lg-m5"], ["'lg-m5' (did you mean lg-m50, lg-e63?)"]),
        (["--template", "nope"],
         ["--template: no template 'nope' (templates: 18650, 21700, 4680, pouch, prismatic)"]),
    ],
)  # fmt: skip
def test_a_bad_starting_point_names_its_option_and_what_it_takes(
    tmp_path, capsys, args, expected
) -> None:
    """`design new X --from nonsense` read "no library cell 'nonsense' in the library", naming
    neither the option nor what it takes; `--from template:nope` "template: no template …"."""
    from cellwright.projects.library import Library

    cells = ", ".join(cell.id for cell in Library.load_builtin().cells()[:2])
    project = str(tmp_path / "p.cwproj")
    assert main(["new", project]) == 0
    assert main(["design", "new", "Mine", "--template", "21700", "-p", project]) == 0
    capsys.readouterr()
    assert main(["design", "new", "X", *args, "-p", project]) == 2
    err = _error(capsys)
    assert err.startswith("error: ") and len(err.splitlines()) == 1
    for part in expected:
        assert part.format(cells=cells) in err


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("5", "entry 't': must be a target name or [target, factor]"),
        ("null", "entry 't': must be a target name or [target, factor]"),
        ('["test_time_second"]', "entry 't': must be a target name or [target, factor]"),
        ('["test_time_second", "x"]', "entry 't': the factor must be a number"),
        ('["test_time_second", 1, NaN]', "entry 't': the offset must be a finite number"),
        (
            "[1, 2]",
            "entry 't': must be a target name or [target, factor] or [target, factor, offset];"
            " the target name comes first",
        ),
    ],
)
def test_malformed_column_mapping_entry_names_file_and_column(
    tmp_path, capsys, entry, expected
) -> None:
    # each was "malformed generic content (IndexError/TypeError/ValueError: ...)" per file,
    # naming neither the mapping file nor the entry
    project = tmp_path / "lab.cwproj"
    assert main(["new", str(project)]) == 0
    data = tmp_path / "run.csv"
    data.write_text("t,v,i\n0,3.5,1\n1,3.6,1\n", encoding="utf-8")
    mapping = tmp_path / "map.json"
    text = f'{{"t": {entry}, "v": "voltage_volt", "i": "current_ampere"}}'
    mapping.write_text(text, encoding="utf-8")
    code = main(["import", str(data), "-p", str(project), "--mapping", str(mapping)])
    err = _error(capsys)
    assert code == 2
    assert f"{mapping}: {expected}" in err
    assert "Error" not in err


def test_project_damaged_past_its_schema_names_the_file(tmp_path, capsys) -> None:
    # open() reads the schema only; a damaged page further in surfaced at the first query
    # as "unexpected failure: database disk image is malformed", naming no file
    import sqlite3

    project = tmp_path / "bad.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["battery", "add", "C-1", "--design", "lg-m50", "-p", str(project)]) == 0
    with sqlite3.connect(project) as db:
        (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'objects'").fetchone()
        (page_size,) = db.execute("PRAGMA page_size").fetchone()
    db.close()
    with project.open("r+b") as f:  # the objects table's root page: garbage, header intact
        f.seek((root - 1) * page_size)
        f.write(b"\x13" * page_size)
    assert main(["battery", "list", "-p", str(project)]) == 2
    assert f"{project}: the project file is damaged (database disk image is malformed)" in (
        _error(capsys)
    )


def test_an_error_after_a_progress_line_starts_a_line_of_its_own(tmp_path, capsys) -> None:
    """`cellwright import nope.csv` printed "[  0.0 %] reading nope.csv   error: file …" on one
    line: the progress line was left open."""
    project = str(tmp_path / "p.cwproj")
    assert main(["new", project]) == 0
    capsys.readouterr()
    assert main(["import", str(tmp_path / "nope.csv"), "-p", project]) == 2
    err = _error(capsys)
    assert "reading nope.csv" in err
    assert any(line.startswith("error: ") and "nope.csv" in line for line in err.splitlines())
