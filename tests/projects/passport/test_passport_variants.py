"""Passport files as other tools write them: encodings, nesting, extra fields, versions."""

from __future__ import annotations

import json

import pytest

from cellwright.projects.model import InputError
from cellwright.projects.passport.exchange import validate_file
from cellwright.projects.passport.json_text import MAX_DEPTH, decode_json_bytes
from support.passports import write_json


@pytest.fixture
def bp_dir(fixtures_dir):
    return fixtures_dir / "passport" / "batterypass_v1.2.0"


@pytest.fixture
def gpi(bp_dir):
    name = "io.BatteryPass.GeneralProductInformation__1.2.0__GeneralProductInformation-payload.json"
    return json.loads((bp_dir / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 10_000])
def test_deeply_nested_json_is_refused_not_crashed(depth):
    for data in (b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth):
        with pytest.raises(InputError, match="nested more than"):
            decode_json_bytes(data, "deep.json")


def test_utf16_and_utf32_without_a_bom_are_read():
    for encoding in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        assert decode_json_bytes('{"a": "é"}'.encode(encoding), "x.json") == {"a": "é"}


def test_a_key_given_twice_in_one_object_is_refused_with_its_lines():
    # the first value was dropped without a word: 5.2 kg stored where the file also said 4.8
    data = b'{"batteryMass": 4.8,\n "batteryCategory": "ev",\n "batteryMass": 5.2}'
    with pytest.raises(
        InputError,
        match=r"key 'batteryMass' is given twice in one object "
        r"\(the key is at lines 1, 3\)",
    ):
        decode_json_bytes(data, "twice.json")
    # the same key in two objects is two values
    assert decode_json_bytes(b'{"a": {"x": 1}, "b": {"x": 2}}', "x.json") == {
        "a": {"x": 1},
        "b": {"x": 2},
    }


def test_deep_value_inside_an_aspect_is_refused_by_name(gpi, tmp_path):
    node: object = 1
    for _ in range(MAX_DEPTH):
        node = {"a": node}
    gpi["manufacturerInformation"]["note"] = node
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(gpi), encoding="utf-8")
    with pytest.raises(InputError) as err:
        validate_file(path)
    assert "deep.json" in str(err.value)


def test_extra_fields_are_allowed_where_the_schemas_allow_them(gpi, catenax, tmp_path):
    # no schema of either model forbids additional properties
    gpi["vendorNote"] = "x"
    catenax["vendorNote"] = "x"
    assert validate_file(write_json(tmp_path, gpi)) == ("battery-pass", [])
    assert validate_file(write_json(tmp_path, catenax)) == ("catena-x", [])


@pytest.mark.parametrize("part", ["metadata", "identification"])
def test_catenax_missing_a_required_part_is_told_as_catenax(catenax, tmp_path, part):
    del catenax[part]
    kind, problems = validate_file(write_json(tmp_path, catenax))
    assert kind == "catena-x"
    assert [str(p) for p in problems] == [f"Catena-X/: '{part}' is a required property"]


def test_battery_pass_aspect_with_catenax_names_stays_battery_pass(gpi, tmp_path):
    gpi["metadata"], gpi["identification"] = {}, {}
    assert validate_file(write_json(tmp_path, gpi)) == ("battery-pass", [])


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ([], "not an array at the top level"),
        ("x", "not a string at the top level"),
        ({"foo": 1}, "match no aspect"),
        ({"format": "cellwright.battery-pass-export/1", "aspects": []}, "aspects: an object"),
        (
            {"format": "cellwright.battery-pass-export/2", "aspects": {}},
            "version 2 of the export document",
        ),
        ({"format": "other", "aspects": {}}, "format: 'other' is not"),
        ({"aspects": {}, "accessLevel": "secret"}, "accessLevel: 'secret' is not one of"),
    ],
)
def test_documents_of_the_wrong_shape_are_refused_by_name(tmp_path, document, expected):
    with pytest.raises(InputError, match=expected):
        validate_file(write_json(tmp_path, document))


def test_array_where_an_object_belongs_is_one_short_line(gpi, tmp_path):
    gpi["manufacturerInformation"] = [gpi["manufacturerInformation"]]
    _, problems = validate_file(write_json(tmp_path, gpi))
    assert len(problems) == 1
    assert problems[0].where == "GeneralProductInformation/manufacturerInformation"
    assert "is not of type 'object'" in problems[0].message
    assert len(problems[0].message) < 120


def test_non_object_aspect_in_an_export_is_a_problem_not_a_crash(tmp_path):
    urn = "urn:samm:io.BatteryPass.Performance:1.2.1#PerformanceAndDurability"
    document = {"format": "cellwright.battery-pass-export/1", "aspects": {urn: [1]}}
    _, problems = validate_file(write_json(tmp_path, document))
    assert [str(p) for p in problems] == ["PerformanceAndDurability/: [1] is not of type 'object'"]


@pytest.mark.parametrize(
    ("stamp", "valid"),
    [
        ("2025-06-17T11:14:27Z", True),
        ("2025-06-17T11:14:27.123456+02:00", True),
        ("2025-06-17t11:14:27z", True),  # RFC 3339 allows lower case
        ("2025-06-17T11:14:27", False),  # date-time (RFC 3339) needs the offset
        ("2025-06-17", False),
        ("2025-02-30T00:00:00Z", False),
        ("yesterday", False),
    ],
)
def test_manufacturing_date_is_checked_as_a_date_time(gpi, tmp_path, stamp, valid):
    gpi["manufacturingDate"] = stamp
    _, problems = validate_file(write_json(tmp_path, gpi))
    if valid:
        assert problems == []
    else:
        assert [p.where for p in problems] == ["GeneralProductInformation/manufacturingDate"]
        assert f"{stamp!r} is not a date-time" in problems[0].message


def test_performance_1_2_0_loses_no_value_on_import(bp_dir):
    from cellwright.projects.passport.battery_pass import import_battery_pass

    name = "io.BatteryPass.Performance__1.2.0__PerformanceAndDurability-payload.json"
    payload = json.loads((bp_dir / name).read_text(encoding="utf-8"))
    values, _ = import_battery_pass(payload, name)
    got = {k: v.value for k, v in values.items()}
    condition, tech = payload["batteryCondition"], payload["batteryTechicalProperties"]
    # moved to batteryTechicalProperties in 1.2.1
    assert (
        got["round_trip_efficiency_50pct_life"]
        == condition["roundTripEfficiencyat50PerCentCycleLife"]
    )
    assert got["round_trip_efficiency_fade"] == condition["roundTripEfficiencyFade"]
    assert got["power_fade"] == condition["powerFade"]
    # value names respelled in 1.2.1
    assert got["remaining_energy"] == condition["remainingEnergy"]["remainingEnergyalue"]
    assert (
        got["current_self_discharge"]
        == (condition["currentSelfDischargingRate"]["currentSelfDischargingRateEntity"])
    )
    assert (
        got["self_discharge_evolution"]
        == (condition["evolutionOfSelfDischarge"]["evolutionOfSelfDischargeEntityValue"])
    )
    # a bare number in 1.2.0, wrapped (or a single object) in 1.2.1
    assert got["energy_throughput"] == condition["energyThroughput"]
    assert got["remaining_power_capability"] == condition["remainingPowerCapability"][-1]
    assert got["idle_temperature_lower"] == tech["temperatureRangeIdleState"]
    assert "batteryCondition" in payload and "powerFade" in condition  # input left as it was


@pytest.mark.parametrize(
    ("life", "months"),
    [
        ({"lifeValue": 3, "lifeUnit": "unit:year"}, 36),
        ({"lifeValue": 6, "lifeUnit": "unit:month"}, 6),
    ],
)
def test_catenax_warranty_in_years_or_months_becomes_months(catenax, tmp_path, life, months):
    from cellwright.projects.passport.batteries import add_battery
    from cellwright.projects.passport.compile import compile_passport
    from cellwright.projects.passport.exchange import import_passport_file
    from cellwright.projects.store import Project

    catenax["characteristics"]["warranty"] = life
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        import_passport_file(project, "B1", write_json(tmp_path, catenax))
        assert compile_passport(project, "B1").values["warranty_period"].value == months


def test_catenax_warranty_in_days_is_kept_not_read_as_months(catenax, tmp_path):
    from cellwright.projects.passport.batteries import add_battery
    from cellwright.projects.passport.compile import compile_passport
    from cellwright.projects.passport.exchange import import_passport_file
    from cellwright.projects.store import Project

    catenax["characteristics"]["warranty"] = {"lifeValue": 36, "lifeUnit": "unit:day"}
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        import_passport_file(project, "B1", write_json(tmp_path, catenax))
        passport = compile_passport(project, "B1")
    assert "warranty_period" not in passport.values  # 36 days are not 36 months
    assert passport.catenax["/characteristics/warranty"] == {
        "lifeValue": 36,
        "lifeUnit": "unit:day",
    }


@pytest.mark.parametrize(("unit", "kg"), [("unit:pound", 0.45359237), ("unit:gram", 1e-3)])
def test_catenax_mass_units_of_the_schema_are_converted(catenax, unit, kg):
    from cellwright.projects.passport.catenax_read import import_catenax

    catenax["characteristics"]["physicalDimension"]["weight"] = {"value": 2.0, "unit": unit}
    values, _ = import_catenax(catenax, "x")
    assert values["battery_mass"].value == pytest.approx(2.0 * kg)


def test_catenax_import_exports_back_to_catenax_without_loss_of_its_documents(catenax, tmp_path):
    from cellwright.projects.passport.batteries import add_battery
    from cellwright.projects.passport.compile import compile_passport
    from cellwright.projects.passport.exchange import export_passport, import_passport_file
    from cellwright.projects.store import Project

    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        import_passport_file(project, "B1", write_json(tmp_path, catenax))
        document, _ = export_passport(compile_passport(project, "B1"), "authority", "catena-x")
    # the composition, hazardous substances, resistance increase and documents were in the
    # Catena-X shape already: the export crashed on them or blanked the documents
    dynamic, expected = document["performance"]["dynamic"], catenax["performance"]["dynamic"]
    assert document["safety"]["dismantling"] == catenax["safety"]["dismantling"]
    assert dynamic["resistance"]["increase"] == expected["resistance"]["increase"]
    assert document["materials"]["composition"] == catenax["materials"]["composition"]
