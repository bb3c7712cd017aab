"""A Catena-X import keeps what no attribute takes, so a Catena-X export gives it back."""

from __future__ import annotations

import pytest

from cellwright.projects.passport.batteries import add_battery
from cellwright.projects.passport.compile import compile_passport, set_user_values
from cellwright.projects.passport.exchange import export_passport, import_passport_file
from cellwright.projects.store import Project
from support.passports import write_json

#: what the passport writes itself, whatever the imported file said: the battery keeps its own
#: serial and passport identifier, and the passport counts its own versions
OWNED = {
    "/identification/identification/serial[0]/value",
    "/metadata/passportIdentifier",
    "/metadata/version",
}


def _leaves(value, at=""):
    if isinstance(value, dict) and value:
        return {p: v for k, x in value.items() for p, v in _leaves(x, f"{at}/{k}").items()}
    if isinstance(value, list) and value:
        return {p: v for i, x in enumerate(value) for p, v in _leaves(x, f"{at}[{i}]").items()}
    return {at: value}


def _imported(tmp_path, document, serial="B1"):
    path = write_json(tmp_path, document, "in.json")
    project = Project.create(tmp_path / "p.cwproj")
    add_battery(project, serial)
    import_passport_file(project, serial, path)
    return project


def test_catenax_import_then_export_gives_back_every_value(catenax, tmp_path):
    with _imported(tmp_path, catenax) as project:
        document, problems = export_passport(
            compile_passport(project, "B1"), "authority", "catena-x"
        )
    assert problems == []
    before, after = _leaves(catenax), _leaves(document)
    assert len(before) > 250
    changed = {p for p in before.keys() | after.keys() if before.get(p, ...) != after.get(p, ...)}
    assert changed == OWNED


def test_values_attributes_take_still_go_into_the_attributes(catenax, tmp_path):
    with _imported(tmp_path, catenax) as project:
        passport = compile_passport(project, "B1")
    assert passport.values["rated_capacity"].value == 4.0
    assert passport.values["battery_mass"].value == pytest.approx(0.02)  # 20 g
    assert "/performance/rated/capacity/value" not in passport.catenax
    assert passport.catenax["/commercial"] == catenax["commercial"]
    assert passport.catenax["/performance/rated/capacity/temperature"] == 20.0
    # a value the passport holds in other units keeps its Catena-X form beside it
    assert passport.catenax["/characteristics/physicalDimension/weight"] == {
        "value": 20.0,
        "unit": "unit:gram",
    }


def test_a_value_entered_after_the_import_replaces_its_kept_catenax_form(catenax, tmp_path):
    with _imported(tmp_path, catenax) as project:
        set_user_values(project, "B1", {"battery_mass": 0.05, "remaining_capacity": 3.5})
        document, _ = export_passport(compile_passport(project, "B1"), "authority", "catena-x")
    weight = document["characteristics"]["physicalDimension"]["weight"]
    assert weight == {"value": 0.05, "unit": "unit:kilogram"}
    # the imported time belonged to the imported capacity, not to the one entered now
    capacity = document["performance"]["dynamic"]["capacity"]["capacity"]
    assert capacity["value"] == 3.5
    assert capacity["time"] != catenax["performance"]["dynamic"]["capacity"]["capacity"]["time"]


def test_kept_fields_are_withheld_below_the_level_of_the_attributes_beside_them(catenax, tmp_path):
    with _imported(tmp_path, catenax) as project:
        document, _ = export_passport(compile_passport(project, "B1"), "public", "catena-x")
    assert document["commercial"] == catenax["commercial"]  # no attribute: public
    assert document["identification"]["idDmc"] == catenax["identification"]["idDmc"]
    # the remaining power (an attribute) and the remaining resistance beside its increase are
    # for persons with a legitimate interest: neither goes to the public
    assert "dynamic" not in document["performance"]
    assert document["performance"]["rated"]["power"]["at20SoC"] == 35000.0


def test_imported_negative_events_stand_until_the_history_records_one(catenax, tmp_path):
    from cellwright.projects.model import EventKind
    from cellwright.projects.passport.batteries import find_battery

    imported = catenax["performance"]["dynamic"]["negativeEvents"]
    with _imported(tmp_path, catenax) as project:
        # no field event in the history: no measured list to beat the imported one
        value = compile_passport(project, "B1").values["negative_events"]
        assert (value.value, value.source) == (imported, "import")
        battery = find_battery(project, "B1").id
        time = "2024-03-01T08:00:00Z"
        project.append_event(battery, EventKind.FIELD, time, {"description": "deep discharge"})
        passport = compile_passport(project, "B1")
    value = passport.values["negative_events"]
    assert value.source == "twin"  # a measured dynamic value beats an entered one, as before
    assert value.value == [{"negativeEvent": "deep discharge", "lastUpdate": time}]
