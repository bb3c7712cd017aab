"""Passport exports: every aspect validates against its shipped schema; no export for an access
level contains an attribute above it (checked for every attribute of the long-list)."""

from __future__ import annotations

import json

import pytest

from cellwright.projects.model import Passport, PassportValue
from cellwright.projects.passport.attributes import ACCESS_LEVELS, attributes, visible
from cellwright.projects.passport.battery_pass import export_battery_pass
from cellwright.projects.passport.catenax import export_catenax
from cellwright.projects.passport.compile import compile_passport
from cellwright.projects.store import Project
from support.passports import complete_battery


@pytest.fixture
def passport(tmp_path) -> Passport:
    with Project.create(tmp_path / "p.cwproj") as project:
        return compile_passport(project, complete_battery(project))


def test_long_list_has_93_attributes_in_three_levels():
    attrs = attributes()
    assert [a.number for a in attrs] == list(range(1, 94))
    assert {a.access for a in attrs} == set(ACCESS_LEVELS)
    assert len({a.key for a in attrs}) == 93
    by_number = {a.number: a for a in attrs}
    assert by_number[18].access == "authority"  # results of test reports
    assert by_number[33].access == "legitimate-interest"  # materials of cathode, anode …
    assert by_number[52].access == "public"  # rated capacity


@pytest.mark.parametrize("level", ACCESS_LEVELS)
def test_every_battery_pass_aspect_validates(passport, level):
    document, problems = export_battery_pass(passport, level)
    assert problems == []
    assert document["accessLevel"] == level
    assert len(document["aspects"]) == 7  # every aspect has public attributes


def test_catenax_aspect_validates(passport):
    document, problems = export_catenax(passport, "authority")
    assert [str(p) for p in problems] == []
    assert document["metadata"]["passportIdentifier"].startswith("urn:uuid:")


def _marker(attr) -> str:
    return f"M{attr.number:03d}X"  # short enough to survive date truncation, never a substring


def _marker_value(attr):
    m = _marker(attr)
    shapes = {
        "composition": [
            {
                "batteryMaterialIdentifier": m,
                "batteryMaterialName": m,
                "batteryMaterialMass": 1.0,
                "isCriticalRawMaterial": True,
                "batteryMaterialLocation": {"componentName": m},
            }
        ],
        "hazardous": [
            {
                "hazardousSubstanceIdentifier": m,
                "hazardousSubstanceName": m,
                "hazardousSubstanceConcentration": 1.0,
                "hazardousSubstanceLocation": {"componentName": m},
            }
        ],
        "power_at_soc": [{"atSoC": 20.0, "powerCapabilityAt": m}],
        "remaining_power": {"remainingPowerCapabilityValue": {"powerCapabilityAt": m}},
        "resistance": [{"batteryComponent": "cell", "ohmicResistance": m}],
        "resistance_increase": [
            {"batteryComponent": "cell", "internalResistanceIncreaseValue": m, "lastUpdate": m}
        ],
        "identifier": {"identifier": m},
        "chemistry": {"shortName": m, "clearName": m},
        "agents": [m],
        "documents": [{"documentURL": m}],
    }
    return shapes.get(attr.catenax_transform, m)


@pytest.mark.parametrize("level", ACCESS_LEVELS)
def test_no_export_contains_an_attribute_above_its_level(level):
    """Every attribute gets a unique marker value; an export's text must hold exactly the
    markers of the attributes visible at its level that the format has a place for."""
    values = {
        a.key: PassportValue(value=_marker_value(a), source="user", updated=_marker(a))
        for a in attributes()
    }
    passport = Passport(identifier="urn:test:leak", battery="X", values=values)
    bp, _ = export_battery_pass(passport, level)
    cx, _ = export_catenax(passport, level)
    for name, text in (("battery pass", json.dumps(bp)), ("catena-x", json.dumps(cx))):
        for attr in attributes():
            has_place = bool(attr.battery_pass if name == "battery pass" else attr.catenax)
            present = _marker(attr) in text
            if not visible(attr, level):
                assert not present, f"{name} export for {level} leaks #{attr.number} {attr.name}"
            elif has_place and attr.key != "passport_identifier":
                assert present, f"{name} export for {level} lacks #{attr.number} {attr.name}"


def test_catenax_only_fields_inherit_the_access_of_their_attribute():
    values = {}
    passport = Passport(
        identifier="urn:test:x",
        battery="X",
        values=values,
        catenax={
            "/materials/composition": [{"secret": "M999X"}],
            "/identification/idDmc": "PUBLICDMC",
        },
    )
    public, _ = export_catenax(passport, "public")
    assert "M999X" not in json.dumps(public) and public["identification"]["idDmc"] == "PUBLICDMC"
    legit, _ = export_catenax(passport, "legitimate-interest")
    assert "M999X" in json.dumps(legit)
