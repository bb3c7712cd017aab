"""Study, design, design-study and mapping files in the encodings editors save them in.

PowerShell and Excel's "Unicode text" write UTF-16 with a byte-order mark, Notepad wrote UTF-8
with one: such files are read as they are. A Latin-1 file, binary data or a project given where
a text file belongs is refused in one line saying what the file looks like; a UTF-16 study file
was "line 1: study file: not UTF-8 text (byte 0: b'\\xff\\xfe[\\x00')".
"""

from __future__ import annotations

import codecs
import json

import pytest

from cellwright.app.cli import main

_STUDY = """[study]
name = "Zelle ü"
engine = "electrochem.pybamm_discharge"

[design]
library_cell = "lg-m50"

[spec]
c_rate = 60
"""

#: how editors save text: a byte-order mark with UTF-8, UTF-16 (either order) or UTF-32
ENCODINGS = {
    "utf-8-bom": lambda text: codecs.BOM_UTF8 + text.encode(),
    "utf-16": lambda text: text.replace("\n", "\r\n").encode("utf-16"),
    "utf-16-be-bom": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "utf-16-le-no-bom": lambda text: text.encode("utf-16-le"),
}


def _error(capsys) -> str:
    err = capsys.readouterr().err
    assert "unexpected failure" not in err
    return err


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_study_file_in_utf16_or_with_a_bom_is_read(tmp_path, encoding, capsys) -> None:
    # read through to the spec: its c_rate above the range is refused with its line
    study = tmp_path / "s.toml"
    study.write_bytes(ENCODINGS[encoding](_STUDY))
    assert main(["run", str(study)]) == 2
    assert "s.toml: line 9: spec.c_rate: Input should be less than or equal to 20 (got 60)" in (
        _error(capsys)
    )


_DESIGN = 'format_version = 1\n[cell]\nname = "Zelle ü"\nfrom = "template:21700"\n'


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_design_file_in_utf16_or_with_a_bom_is_imported(tmp_path, encoding, capsys) -> None:
    project, design = tmp_path / "p.cwproj", tmp_path / "cell.toml"
    assert main(["new", str(project)]) == 0
    design.write_bytes(ENCODINGS[encoding](_DESIGN))
    assert main(["design", "import", str(design), "-p", str(project)]) == 0
    assert main(["design", "list", "-p", str(project)]) == 0
    assert "Zelle ü" in capsys.readouterr().out


_DESIGN_STUDY = """[study]
name = "rates"
engine = "electrochem.pybamm_discharge"

[design]
library_cell = "lg-m50"

[[inputs]]
path = "spec.c_rate"
low = 2.0
high = 0.5
"""


def test_a_design_study_file_in_utf16_is_read(tmp_path, capsys) -> None:
    project, study = tmp_path / "p.cwproj", tmp_path / "d.toml"
    assert main(["new", str(project)]) == 0
    study.write_bytes(ENCODINGS["utf-16"](_DESIGN_STUDY))
    assert main(["study", "run", str(study), "-p", str(project)]) == 2
    assert "d.toml:9: " in _error(capsys)  # the low-above-high range, on its line


@pytest.mark.parametrize(
    ("command", "name"),
    [(["run"], "s.toml"), (["design", "import"], "cell.toml"), (["study", "run"], "d.toml")],
)
def test_a_latin1_file_is_refused_naming_its_line_and_what_it_looks_like(
    tmp_path, command, name, capsys
) -> None:
    project, path = tmp_path / "p.cwproj", tmp_path / name
    assert main(["new", str(project)]) == 0
    path.write_bytes(_STUDY.encode("latin-1"))
    assert main([*command, str(path), "-p", str(project)]) == 2
    err = _error(capsys)
    assert f"{name}: line 2: " in err
    assert "not UTF-8 text (byte 22: " in err
    assert err.rstrip().endswith("it looks like Latin-1 (Windows-1252) text: save it as UTF-8")


def test_a_project_given_as_a_study_file_is_named_as_such(tmp_path, capsys) -> None:
    project = tmp_path / "p.cwproj"
    assert main(["new", str(project)]) == 0
    before = project.read_bytes()
    assert main(["run", str(project)]) == 2
    err = _error(capsys)
    assert "p.cwproj: study file: not text but an SQLite database (a Cellwright project?)" in err
    assert project.read_bytes() == before


def test_binary_data_as_a_design_file_is_one_short_line(tmp_path, capsys) -> None:
    project, design = tmp_path / "p.cwproj", tmp_path / "cell.toml"
    assert main(["new", str(project)]) == 0
    design.write_bytes(bytes(range(128, 256)) * 16)
    assert main(["design", "import", str(design), "-p", str(project)]) == 2
    err = _error(capsys)
    assert "cell.toml: line 1: design file: not UTF-8 text (byte 0: " in err
    assert err.rstrip().endswith("it holds binary data, not text") and len(err) < 300


def test_a_utf16_column_mapping_is_read_and_a_latin1_one_refused(tmp_path, capsys) -> None:
    from cellwright.projects.labdata.mapper import load_mapping

    mapping = tmp_path / "map.json"
    entries = {
        "Zeit [s]": "test_time_second",
        "Spannung": "voltage_volt",
        "Strom": "current_ampere",
    }
    mapping.write_bytes(json.dumps(entries, ensure_ascii=False).encode("utf-16"))
    assert load_mapping(mapping) == entries
    mapping.write_bytes('{"Spannung für": "voltage"}'.encode("latin-1"))
    project = tmp_path / "p.cwproj"
    assert main(["new", str(project)]) == 0
    args = ["--mapping", str(mapping), "-p", str(project)]
    assert main(["import", str(tmp_path / "run.csv"), *args]) == 2
    assert "map.json: line 1: column-mapping file: not UTF-8 text (byte 12: " in _error(capsys)


def test_a_latin1_twin_mapping_says_what_it_looks_like(tmp_path, capsys) -> None:
    project, mapping = tmp_path / "fleet.cwproj", tmp_path / "map.json"
    assert main(["new", str(project)]) == 0
    assert main(["battery", "add", "C-1", "--design", "lg-m50", "-p", str(project)]) == 0
    mapping.write_bytes('{"Spannung für": "voltage"}'.encode("latin-1"))
    (tmp_path / "log.csv").write_text("Time [s],Current [A],Voltage [V]\n0,1,3.7\n")
    args = ["--battery", "C-1", "--mapping", str(mapping), "-p", str(project)]
    assert main(["twin", "import", str(tmp_path / "log.csv"), *args]) == 2
    err = _error(capsys)
    assert "map.json: line 1: JSON file: not UTF-8 text (byte 12: " in err
    assert "Latin-1" in err


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        # Python hands undecodable bytes over as lone surrogates: "unexpected failure: 'utf-8'
        # codec can't encode character '\udcff' …: surrogates not allowed" at the first write
        (["new", "{tmp}/\udcff.cwproj"],
         "argument 2 ({tmp}/\\xff.cwproj): not UTF-8 text (byte 0xff)"),
        (["design", "new", "Zelle \udce9", "--template", "21700", "-p", "{project}"],
         "argument 3 (Zelle \\xe9): not UTF-8 text (byte 0xe9)"),
    ],
)  # fmt: skip
def test_a_command_line_that_is_not_utf8_is_refused_before_any_work(
    tmp_path, args, shown, capsys
) -> None:
    project = tmp_path / "p.cwproj"
    assert main(["new", str(project)]) == 0
    before = project.read_bytes()
    args = [a.format(tmp=tmp_path, project=project) for a in args]
    assert main(args) == 2
    err = _error(capsys)
    assert shown.format(tmp=tmp_path) in err and "set the terminal to UTF-8" in err
    assert project.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == [
        "p.cwproj"
    ]
