"""Passport import: the consortium's payloads (also as UTF-16 with a BOM), Catena-X, round trips."""

from __future__ import annotations

import codecs
import json

import pytest

from cellwright.projects.model import InputError
from cellwright.projects.passport.batteries import add_battery
from cellwright.projects.passport.battery_pass import import_battery_pass
from cellwright.projects.passport.compile import compile_passport
from cellwright.projects.passport.exchange import (
    export_passport,
    import_passport_file,
    validate_file,
    write_json,
)
from cellwright.projects.store import Project
from support.passports import complete_battery


@pytest.fixture
def bp_dir(fixtures_dir):
    return fixtures_dir / "passport" / "batterypass_v1.2.0"


def _utf16(src, dst):
    text = src.read_text(encoding="utf-8").replace("\n", "\r\n")
    dst.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    return dst


def test_consortium_payloads_validate_except_the_known_cas_defect(bp_dir):
    for path in sorted(bp_dir.glob("*-payload.json")):
        kind, problems = validate_file(path)
        assert kind == "battery-pass"
        if "MaterialComposition" in path.name:  # upstream "7439-93-2 " has a trailing space
            assert [p.where for p in problems] == [
                "MaterialComposition/batteryMaterials[0]/batteryMaterialIdentifier"
            ]
        else:
            assert problems == [], path.name


def test_utf16_with_bom_imports_like_utf8(bp_dir, tmp_path):
    src = (
        bp_dir
        / "io.BatteryPass.GeneralProductInformation__1.2.0__GeneralProductInformation-payload.json"
    )
    utf16 = _utf16(src, tmp_path / "gpi-utf16.json")
    a, _ = import_battery_pass(json.loads(src.read_text()), "a")
    from cellwright.projects.passport.json_text import read_json

    b, _ = import_battery_pass(read_json(utf16), "b")
    assert {k: v.value for k, v in a.items()} == {k: v.value for k, v in b.items()}
    assert a["battery_mass"].value == 699
    assert a["battery_status"].value == "Original"


def test_import_into_a_project_keeps_provenance(bp_dir, tmp_path):
    perf = _utf16(
        bp_dir / "io.BatteryPass.Performance__1.2.1__PerformanceAndDurability-payload.json",
        tmp_path / "perf.json",
    )
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        assert import_passport_file(project, "B1", perf).attributes > 20
        passport = compile_passport(project, "B1")
    assert passport.values["idle_temperature_upper"].value == 200.0
    assert passport.values["idle_temperature_upper"].source == "import"
    assert passport.values["idle_temperature_upper"].detail == "perf.json"


def test_invalid_passport_is_refused_with_its_problems(bp_dir, tmp_path):
    bad = json.loads(
        (
            bp_dir / "io.BatteryPass.GeneralProductInformation__1.2.0__"
            "GeneralProductInformation-payload.json"
        ).read_text()
    )
    bad["batteryCategory"] = "spaceship"
    del bad["batteryMass"]
    path = write_json(bad, tmp_path / "bad.json")
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        with pytest.raises(InputError) as err:
            import_passport_file(project, "B1", path)
    text = str(err.value)
    assert "GeneralProductInformation/: 'batteryMass' is a required property" in text
    assert "GeneralProductInformation/batteryCategory: 'spaceship' is not one of" in text


def test_catenax_example_payload_is_refused_for_its_impossible_date(fixtures_dir, tmp_path):
    # the consortium's example has an intoServiceDate in month 75: the schema's pattern
    # (four digits, two, two) takes it, the calendar does not
    path = fixtures_dir / "passport" / "catenax_battery_pass_6.1.0" / "BatteryPass.json"
    _, problems = validate_file(path)
    assert [str(p) for p in problems] == [
        "Catena-X/operation/intoServiceDate: '7172-75-08' is not a date: there is no month 75; "
        "expected a calendar date, as 2024-02-29 (YYYY-MM-DD)"
    ]
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        with pytest.raises(InputError, match="intoServiceDate: '7172-75-08' is not a date"):
            import_passport_file(project, "B1", path)
        assert "putting_into_service" not in compile_passport(project, "B1").values


def test_catenax_example_payload_imports(catenax, tmp_path):
    path = write_json(catenax, tmp_path / "catenax.json")
    kind, problems = validate_file(path)
    assert kind == "catena-x"
    assert problems == []
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        import_passport_file(project, "B1", path)
        values = compile_passport(project, "B1").values
    assert values["rated_capacity"].value == 4.0
    assert values["battery_mass"].value == pytest.approx(0.02)  # 20 g
    assert values["expected_lifetime_years"].value == 8


@pytest.mark.parametrize("kind", ["battery-pass", "catena-x"])
def test_export_then_import_round_trips(tmp_path, kind):
    with Project.create(tmp_path / "p.cwproj") as project:
        passport = compile_passport(project, complete_battery(project))
        document, problems = export_passport(passport, "authority", kind)
        assert problems == []
        path = write_json(document, tmp_path / f"{kind}.json")
        add_battery(project, "COPY")
        import_passport_file(project, "COPY", path)
        copy = compile_passport(project, "COPY")
    for key in ("rated_capacity", "nominal_voltage", "state_of_charge", "expected_cycles"):
        assert copy.values[key].value == pytest.approx(passport.values[key].value), key
