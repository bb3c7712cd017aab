"""NaN, infinities and numbers out of reach in study, design and design-study files and options.

TOML writes them ``nan``/``inf``, Python's JSON reader takes ``NaN``/``Infinity``, and text such
as ``"nan"`` reads as one too. Each is refused as "must be a finite number" with the file, line
and field: NaN failed a field's bound as "should be less than or equal to 20 (got nan)", and a
field without bounds took it without a word.
"""

from __future__ import annotations

import pytest

from cellwright.app.cli import main

_STUDY = """[study]
name = "x"
engine = "electrochem.pybamm_discharge"

[design]
library_cell = "lg-m50"

[spec]
c_rate = 1.0
"""


def _error(capsys) -> str:
    err = capsys.readouterr().err
    assert "unexpected failure" not in err
    return err


@pytest.mark.parametrize(
    ("value", "shown"),
    [("nan", "nan"), ("inf", "inf"), ("-inf", "-inf"), ('"nan"', "'nan'"), ("1e999", "inf")],
)
def test_a_nonfinite_spec_value_is_refused_as_such(tmp_path, value, shown, capsys) -> None:
    study, out = tmp_path / "s.toml", tmp_path / "results"
    study.write_text(_STUDY.replace("c_rate = 1.0", f"c_rate = {value}"))
    assert main(["run", str(study), "--out", str(out)]) == 2
    err = _error(capsys)
    assert f"s.toml: line 9: spec.c_rate: must be a finite number (got {shown})" in err
    assert "less than" not in err and "greater than" not in err
    assert not out.exists()


def test_nan_in_a_spec_field_without_bounds_is_refused(tmp_path, capsys) -> None:
    # a node's position has no bounds: nan was taken and met the solver
    study = tmp_path / "n.toml"
    spec = 'nodes = [{name = "a", position = [0.0, nan, 0.0]}]\n'
    study.write_text(_STUDY.replace("pybamm_discharge", "network").replace("electrochem", "cfd")
                     .replace("c_rate = 1.0\n", spec))  # fmt: skip
    assert main(["run", str(study)]) == 2
    assert "n.toml: line 9: spec.nodes.0.position.1: must be a finite number (got nan)" in (
        _error(capsys)
    )


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("cell.toml",
         'format_version = 1\n[cell]\nname = "a"\nfrom = "template:21700"\n'
         "[cell.positive]\ncoating_thickness = nan\n",
         "cell.toml:6: cell.positive.coating_thickness: must be a finite number"),
        ("cell.json",
         '{"cell": {"name": "a", "from": "template:21700",\n'
         ' "positive": {"coating_thickness": Infinity}}}',
         "cell.json:2: cell.positive.coating_thickness: must be a finite number"),
    ],
)  # fmt: skip
def test_a_nonfinite_design_value_is_refused_as_such(tmp_path, name, text, expected, capsys):
    project, design = tmp_path / "p.cwproj", tmp_path / name
    assert main(["new", str(project)]) == 0
    design.write_text(text)
    assert main(["design", "import", str(design), "-p", str(project)]) == 2
    assert expected in _error(capsys)
    assert main(["design", "list", "-p", str(project)]) == 0
    assert capsys.readouterr().out == ""


_DESIGN_STUDY = """[study]
name = "rates"
engine = "electrochem.pybamm_discharge"

[design]
library_cell = "lg-m50"

[[inputs]]
path = "spec.c_rate"
low = 0.5
high = 2.0
"""


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("low = 0.5", "low = nan"), "d.toml:9: [[inputs]] low: must be a finite number"),
        # refused by the sampler once the workers had started: an "unexpected failure"
        (("[[inputs]]", "[sampler]\nseed = -1\n\n[[inputs]]"),
         "d.toml:9: [sampler] seed: must be 0 or more (got -1)"),
        # named pydantic's union member: "[[inputs]] values.1.float: …"
        (("low = 0.5\nhigh = 2.0", "values = [1.0, inf]"),
         "d.toml:9: [[inputs]] values.1: must be a finite number"),
    ],
)  # fmt: skip
def test_a_nonfinite_design_study_value_is_refused_as_such(tmp_path, change, expected, capsys):
    project, study = tmp_path / "p.cwproj", tmp_path / "d.toml"
    assert main(["new", str(project)]) == 0
    study.write_text(_DESIGN_STUDY.replace(*change))
    assert main(["study", "run", str(study), "-p", str(project)]) == 2
    assert expected in _error(capsys)


_OPTIMISED = (
    _DESIGN_STUDY
    + """
[sampler]
kind = "tpe"
points = 4

[[objectives]]
output = "Discharge energy [W.h]"
direction = "maximize"

[[constraints]]
output = "Duration [s]"
min = 600

[[constraints]]
output = "Minimum voltage [V]"
min = 2.5
"""
)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("min = 2.5", "min = nan"), "d.toml:27: [[constraints]] min: must be a finite number"),
        (("min = 2.5", 'min = "low"'),
         "d.toml:27: [[constraints]] min: Input should be a valid number, unable to parse "
         "string as a number (got 'low')"),
        (("min = 2.5", "mni = 2.5"), "d.toml:27: [[constraints]] mni: unknown field"),
        (('direction = "maximize"', 'direction = "maximize"\nweight = 2'),
         "d.toml:20: [[objectives]] weight: unknown field"),
    ],
)  # fmt: skip
def test_a_bad_objective_or_constraint_is_named_in_its_table_at_its_line(
    tmp_path, change, expected, capsys
) -> None:
    """It read "d.toml:16: [constraints] constraints.1.min: …" at the line of the first
    [[constraints]], and an unknown key "Extra inputs are not permitted"."""
    project, study = tmp_path / "p.cwproj", tmp_path / "d.toml"
    assert main(["new", str(project)]) == 0
    study.write_text(_OPTIMISED.replace(*change))
    assert main(["study", "run", str(study), "-p", str(project)]) == 2
    assert expected in _error(capsys)


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_a_nonfinite_cost_assumption_or_price_is_refused(tmp_path, value, capsys) -> None:
    project = tmp_path / "p.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["cost", "set", "formation", value, "-p", str(project)]) == 2
    assert f"cost model: formation: must be a finite number (got '{value}')" in _error(capsys)
    args = ["nmc811", value, "--source", "quote", "-p", str(project)]
    assert main(["cost", "price", *args]) == 2
    assert "prices.nmc811.value: must be a finite number" in _error(capsys)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["twin", "soh", "C-1", "--threshold", "nan"], "--threshold: must be a finite number"),
        # an infinite gap was taken (every gap let through), NaN said "a time above 0 s"
        (["twin", "import", "log.csv", "--battery", "C-1", "--max-gap", "inf"],
         "--max-gap: must be a finite number (got inf)"),
        (["twin", "import", "log.csv", "--battery", "C-1", "--max-gap", "nan"],
         "--max-gap: must be a finite number (got nan)"),
    ],
)  # fmt: skip
def test_nonfinite_number_options_are_refused_as_such(tmp_path, args, expected, capsys):
    project = tmp_path / "fleet.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["battery", "add", "C-1", "--design", "lg-m50", "-p", str(project)]) == 0
    (tmp_path / "log.csv").write_text("Time [s],Current [A],Voltage [V]\n0,1,3.7\n")
    args = [str(tmp_path / a) if a == "log.csv" else a for a in args]
    assert main([*args, "-p", str(project)]) == 2
    assert expected in _error(capsys)


_LONG = "1" * 5000  # more digits than Python turns into an integer (4300)


@pytest.mark.parametrize(
    ("command", "name", "text", "expected"),
    [
        (["run"], "s.toml", _STUDY.replace("c_rate = 1.0", f"c_rate = {_LONG}"),
         "s.toml: not valid TOML: a number of more than 4300 digits (at line 9, column 10)"),
        (["design", "import"], "cell.json",
         '{"cell": {"name": "a", "from": "template:21700",\n "nominal_voltage": ' + _LONG + "}}",
         "cell.json: line 2: not valid JSON (a number of more than 4300 digits)"),
        (["study", "run"], "d.toml", _DESIGN_STUDY.replace("high = 2.0", f"high = {_LONG}"),
         "d.toml: not valid TOML: a number of more than 4300 digits (at line 11, column 8)"),
        (["passport", "validate"], "pass.json", '{"a": [' + _LONG + "]}",
         "pass.json: line 1, column 8: not valid JSON (a number of more than 4300 digits)"),
    ],
)  # fmt: skip
def test_a_number_too_long_for_python_is_a_syntax_error_with_its_line(
    tmp_path, command, name, text, expected, capsys
) -> None:
    # "unexpected failure: Exceeds the limit (4300 digits) for integer string conversion"
    project, path = tmp_path / "p.cwproj", tmp_path / name
    assert main(["new", str(project)]) == 0
    path.write_text(text)
    extra = [] if command[0] == "passport" else ["-p", str(project)]
    assert main([*command, str(path), *extra]) == 2
    assert expected in _error(capsys)


_DEEP = "[" * 100_000 + "]" * 100_000  # deeper than Python's parsers recurse


@pytest.mark.parametrize(
    ("command", "name", "text", "expected"),
    [
        (["run"], "s.toml", _STUDY.replace("c_rate = 1.0", f"c_rate = {_DEEP}"),
         "s.toml: not valid TOML: arrays or tables nested too deeply (at line 9, column 10)"),
        (["design", "import"], "cell.json",
         '{"cell": {"name": "a", "from": "template:21700",\n "nominal_voltage": ' + _DEEP + "}}",
         "cell.json: line 2: not valid JSON (arrays or objects nested too deeply)"),
    ],
)  # fmt: skip
def test_nesting_deeper_than_python_parses_is_a_syntax_error_with_its_line(
    tmp_path, command, name, text, expected, capsys
) -> None:
    # "unexpected failure: maximum recursion depth exceeded"
    project, path = tmp_path / "p.cwproj", tmp_path / name
    assert main(["new", str(project)]) == 0
    path.write_text(text)
    assert main([*command, str(path), "-p", str(project)]) == 2
    assert expected in _error(capsys)


def test_a_deeply_nested_value_is_shown_in_brief(tmp_path, capsys) -> None:
    # the 400-deep list was printed whole after "(got"
    study = tmp_path / "s.toml"
    study.write_text(_STUDY.replace("c_rate = 1.0", "c_rate = " + "[" * 400 + "]" * 400))
    assert main(["run", str(study)]) == 2
    err = _error(capsys)
    assert "s.toml: line 9: spec.c_rate: Input should be a valid number (got [[[[" in err
    assert err.rstrip().endswith("[[[[…)") and len(err) < 250
