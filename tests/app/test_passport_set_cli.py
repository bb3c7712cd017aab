"""``cellwright passport set``: values checked as they are entered, one line per refusal."""

from __future__ import annotations

import json

import pytest

from cellwright.app.cli import main
from support.passports import fleet_project


@pytest.fixture
def project(tmp_path):
    return fleet_project(tmp_path)


def _set(project, *args) -> int:
    return main(["passport", "set", "SN-1", *args, "--project", str(project)])


def _shown(project, capsys, key) -> str:
    capsys.readouterr()
    assert main(["passport", "show", "SN-1", "--project", str(project)]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if f" {key} " in x)
    return line.split()[3]


def test_a_wrong_type_is_refused_without_a_traceback(project, capsys):
    assert _set(project, "rated_capacity=abc") == 2
    err = capsys.readouterr().err
    assert err.startswith("error: SN-1: values refused, nothing stored:")
    assert 'passport attribute rated_capacity: "abc" is not a number (Ah)' in err
    assert "Traceback" not in err
    assert _shown(project, capsys, "rated_capacity") == "-"


def test_an_enum_value_is_refused_listing_the_allowed_ones(project, capsys):
    assert _set(project, "battery_category=car") == 2
    assert '"lmt", "ev", "industrial", "stationary"' in capsys.readouterr().err


def test_good_values_are_stored(project, capsys):
    assert _set(project, "rated_capacity=5", "battery_category=ev") == 0
    assert "set 2 attribute(s)" in capsys.readouterr().out
    assert _shown(project, capsys, "rated_capacity") == "5"
    assert _shown(project, capsys, "battery_category") == '"ev"'


def test_one_bad_value_in_a_batch_stores_nothing(project, capsys, tmp_path):
    assert _set(project, "rated_capacity=5", "battery_mass=-2") == 2
    assert "battery_mass: -2 is out of range: at least 0 (kg)" in capsys.readouterr().err
    entries = tmp_path / "entries.json"
    entries.write_text(json.dumps({"values": {"rated_capacity": 5, "battery_category": "car"}}))
    assert _set(project, "--file", str(entries)) == 2
    assert _shown(project, capsys, "rated_capacity") == "-"


def test_null_clears_what_was_entered(project, capsys):
    # once refused as a wrong type: an entered value could not be taken back
    assert _set(project, "rated_capacity=5", "carbon_footprint_class=B") == 0
    assert _set(project, "rated_capacity=null") == 0
    assert _shown(project, capsys, "rated_capacity") == "-"
    assert _shown(project, capsys, "carbon_footprint_class") == '"B"'
    assert _set(project, "carbon_footprint_class=null") == 0  # text: not the word "null"
    assert _shown(project, capsys, "carbon_footprint_class") == "-"
    assert _set(project, "battery_identifier=null") == 2
    assert "cannot be cleared" in capsys.readouterr().err


def test_text_as_typed_where_the_json_reading_does_not_fit(project, capsys):
    """VALUE is JSON, else text; a text attribute typed as 1 is the text "1", not refused."""
    assert _set(project, "carbon_footprint_class=1") == 0
    assert _shown(project, capsys, "carbon_footprint_class") == '"1"'
    assert _set(project, 'rated_capacity="3.5"') == 2  # text asked for by quoting it
    assert "write it without quotes, 3.5" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"rated_capacity": 5}, "not 'rated_capacity'"),  # was: set 0 attribute(s)
        ({"values": {}, "catenax": "x"}, "each an object"),  # was: unexpected failure
        ({"values": {}, "catenax": [["/a", 1]]}, "each an object"),  # was: stored /a
    ],
)
def test_a_file_of_another_shape_is_refused(project, capsys, tmp_path, document, message):
    entries = tmp_path / "entries.json"
    entries.write_text(json.dumps(document))
    assert _set(project, "--file", str(entries)) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err


def test_nothing_to_enter_and_a_key_given_twice_are_refused(project, capsys):
    assert _set(project) == 2
    assert "nothing to enter" in capsys.readouterr().err
    assert _set(project, "rated_capacity=5", "rated_capacity=6") == 2
    assert "rated_capacity is given twice" in capsys.readouterr().err
    assert _set(project, "rated_capacity=5", "52=6") == 2  # its long-list number
    assert "given twice (by key and number): rated_capacity" in capsys.readouterr().err
    assert _shown(project, capsys, "rated_capacity") == "-"


def test_an_impossible_date_is_refused_naming_key_value_and_form(project, capsys):
    assert _set(project, "putting_into_service=2025-02-29T08:00:00Z") == 2
    err = capsys.readouterr().err
    assert 'passport attribute putting_into_service: "2025-02-29T08:00:00Z" is not a' in err
    assert "February 2025 has 28 days; expected" in err and "Traceback" not in err
    assert _set(project, "putting_into_service=2024-02-29T08:00:00Z") == 0


def test_an_unknown_key_names_the_near_ones_and_a_command_that_exists(project, capsys):
    assert _set(project, "rated_capacty=5") == 2
    err = capsys.readouterr().err
    assert "error: no passport attribute 'rated_capacty'; did you mean rated_capacity" in err
    # the command the hint names is one there is
    assert "cellwright passport show SERIAL --project P" in err
    assert main(["passport", "show", "--help"]) == 0
    assert "Traceback" not in err


def test_a_value_with_a_unit_is_entered_in_the_attributes_unit(project, capsys):
    """battery_mass="5 kg" was refused as "not a number (kg)"; units are taken at the edge."""
    assert _set(project, "battery_mass=5000 g", "rated_capacity=5 Ah") == 0
    assert _shown(project, capsys, "battery_mass") == "5.0"
    assert _shown(project, capsys, "rated_capacity") == "5.0"
    assert _set(project, "battery_mass=-5 kg") == 2  # the number is judged, not its spelling
    assert "battery_mass: -5.0 is out of range: at least 0 (kg)" in capsys.readouterr().err
