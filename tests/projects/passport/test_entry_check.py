"""Passport values are checked against the schemas as they are entered, not first at export."""

from __future__ import annotations

import json

import pytest

from cellwright.projects.model import InputError
from cellwright.projects.passport.batteries import add_battery, find_battery
from cellwright.projects.passport.compile import compile_passport, draft_for, set_user_values
from cellwright.projects.passport.exchange import import_passport_file
from cellwright.projects.store import Project
from support.passports import MEASURED, example_entries


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "p.cwproj") as p:
        add_battery(p, "SN-1")
        yield p


def _refused(project, values, catenax=None) -> str:
    with pytest.raises(InputError) as caught:
        set_user_values(project, "SN-1", values, catenax)
    return str(caught.value)


def _stored(project) -> dict:
    return draft_for(project, find_battery(project, "SN-1")).values


def test_a_text_for_a_number_is_refused_naming_the_key_value_and_unit(project):
    message = _refused(project, {"rated_capacity": "abc"})
    assert 'passport attribute rated_capacity: "abc" is not a number (Ah)' in message
    assert _stored(project) == {}


def test_a_number_given_as_text_is_refused_with_how_to_write_it(project):
    message = _refused(project, {"remaining_capacity": "4.7"})
    assert '"4.7" is not a number (Ah): write it without quotes, 4.7' in message


@pytest.mark.parametrize("text", ["nan", "inf", "-Infinity"])
def test_a_non_finite_text_is_not_told_to_drop_its_quotes(project, text):
    """ "nan" in quotes was answered "write it without quotes, nan", which no passport number
    can be either."""
    message = _refused(project, {"remaining_capacity": text})
    assert f'"{text}" is not a number (Ah)' in message
    assert "without quotes" not in message


def test_an_enum_value_outside_the_schema_lists_the_allowed_values(project):
    message = _refused(project, {"battery_category": "car"})
    assert "passport attribute battery_category" in message
    assert '"car" is not one of the allowed values: "lmt", "ev", "industrial", "stationary"' in (
        message
    )


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("manufacturing_date", "2024-13-01", "is not a date-time"),
        ("putting_into_service", "yesterday", "is not a date-time"),
        ("battery_mass", -3.0, "-3.0 is out of range: at least 0 (kg)"),
        ("state_of_charge", 150, "150 is out of range: between 0 and 100 (%)"),
        ("pre_consumer_recycled_nickel", 120, "at most 100"),
        ("warranty_period", 24, "is not a whole number of months from 1 to 12"),
        ("rated_capacity", float("nan"), "nan is not a finite number"),
        ("separate_collection_symbol", "symbol.svg", "is not an object"),
    ],
)
def test_values_the_schema_or_physics_rule_out_are_refused(project, key, value, expected):
    message = _refused(project, {key: value})
    assert f"passport attribute {key}: " in message and expected in message


def test_a_wrong_part_of_a_nested_value_is_named_by_its_path(project):
    place = {"streetAddress": "Ochang plant", "postalCode": 28122, "addressCountry": "KR"}
    message = _refused(project, {"manufacturing_place": place})
    assert "passport attribute manufacturing_place: /postalCode: 28122 is not text" in message
    resistance = [{"ohmicResistance": "low", "batteryComponent": "cell"}]
    message = _refused(project, {"initial_internal_resistance": resistance})
    assert '[0]/ohmicResistance: "low" is not a number (Ohm)' in message


def test_good_values_are_stored_nested_and_dynamic_ones_included(project):
    place = {"streetAddress": "Ochang plant", "postalCode": "28122", "addressCountry": "KR"}
    values = {
        "rated_capacity": 5.0,
        "battery_category": "ev",
        "manufacturing_place": place,
        "remaining_capacity": 4.7,  # stored bare; an export wraps it with its time
        "52": 5.0,  # a long-list number is the same attribute ...
    }
    with pytest.raises(InputError, match="given twice"):  # ... so given twice here
        set_user_values(project, "SN-1", values)
    del values["52"]
    set_user_values(project, "SN-1", values)
    passport = compile_passport(project, "SN-1")
    assert {k: passport.values[k].value for k in values} == values


def test_a_part_not_entered_yet_is_no_reason_to_refuse(project):
    """A passport fills up over time: an address without its postal code is taken (the export
    names what is still missing), a wrong type inside it is not."""
    set_user_values(project, "SN-1", {"manufacturing_place": {"streetAddress": "Ochang"}})
    assert _stored(project)["manufacturing_place"] == {"streetAddress": "Ochang"}


def test_a_batch_with_one_bad_value_stores_nothing(project):
    set_user_values(project, "SN-1", {"rated_capacity": 5.0}, {"/identification/category": "EV"})
    before = _stored(project)
    message = _refused(
        project,
        {"rated_capacity": 4.0, "battery_category": "ev", "battery_mass": "heavy"},
        {"/identification/category": "LMT"},
    )
    assert "nothing stored" in message and "battery_mass" in message
    assert "rated_capacity" not in message  # only the refused value is named
    assert _stored(project) == before
    draft = draft_for(project, find_battery(project, "SN-1"))
    assert draft.catenax == {"/identification/category": "EV"}


def test_every_refused_value_of_a_batch_is_named(project):
    message = _refused(project, {"rated_capacity": "abc", "battery_category": "car"})
    assert "rated_capacity" in message and "battery_category" in message


def test_catenax_fields_are_checked_against_the_catenax_schema(project):
    message = _refused(project, {}, {"/identification/category": "car"})
    assert 'Catena-X field /identification/category: "car" is not one of' in message
    assert '"EV"' in message
    message = _refused(project, {}, {"/characteristics/physicalDimension/weight": {"value": "x"}})
    assert '/value: "x" is not a number' in message
    assert "starts with /" in _refused(project, {}, {"identification/category": "EV"})


def test_the_example_entries_pass_the_check(project):
    entries = example_entries()
    set_user_values(project, "SN-1", entries["values"] | MEASURED, entries["catenax"])
    assert _stored(project)["battery_category"] == "ev"


def test_an_import_is_checked_too_and_stores_nothing_when_refused(project, tmp_path):
    """The file's schema check lets NaN through (Python's JSON reader takes it, JSON has
    none); the entry check refuses it, naming the file."""
    set_user_values(project, "SN-1", {"rated_capacity": 5.0})
    path = tmp_path / "perf.json"
    payload = {"batteryTechicalProperties": {"ratedCapacity": float("nan"), "ratedEnergy": 0.018}}
    path.write_text(json.dumps(payload), encoding="utf-8")
    with pytest.raises(InputError, match=r"(?s)perf\.json: .*rated_capacity: nan is not a finite"):
        import_passport_file(project, "SN-1", path)
    assert _stored(project) == {"rated_capacity": 5.0}


def test_a_catenax_field_typed_in_must_lie_at_a_path_of_the_model(project):
    """The schema allows undefined fields, so a typo would be kept and exported beside the
    real field; the message lists the fields there are."""
    message = _refused(project, {}, {"/performance/rated/capacty": {"value": 5}})
    assert "/performance/rated has no field 'capacty' in the Catena-X model" in message
    assert "capacity, energy" in message
    set_user_values(project, "SN-1", {}, {"/performance/rated/capacity/value": 5.0})
    set_user_values(project, "SN-1", {}, {"/sustainability/carbonFootprint[lifecycle=total]": {}})


def test_a_passport_identifier_entered_is_the_passports_own(project):
    """It was stored as a plain value and then ignored: the passport kept the generated one."""
    set_user_values(project, "SN-1", {"passport_identifier": "urn:acme:sn1"})
    assert compile_passport(project, "SN-1").identifier == "urn:acme:sn1"
    assert compile_passport(project, "SN-1").values["passport_identifier"].source == "user"
    message = _refused(project, {"passport_identifier": "ACME SN 1"})
    assert "passport attribute passport_identifier" in message
    assert compile_passport(project, "SN-1").identifier == "urn:acme:sn1"


def test_the_battery_identifier_is_the_serial(project):
    set_user_values(project, "SN-1", {"battery_identifier": "SN-1"})  # the same: no change
    message = _refused(project, {"battery_identifier": "OTHER"})
    assert "'OTHER' is not this battery's serial 'SN-1'" in message
    assert compile_passport(project, "SN-1").values["battery_identifier"].value == "SN-1"


def test_a_warranty_of_part_months_is_refused_not_cut(project):
    """12.5 months was exported as --12 (a whole month lost without a word)."""
    message = _refused(project, {"warranty_period": 12.5})
    assert "warranty_period: 12.5 is not a whole number of months" in message
    set_user_values(project, "SN-1", {"warranty_period": 12.0})
