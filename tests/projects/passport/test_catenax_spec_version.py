"""A Catena-X payload's specVersion: another major version is refused, another 6.x read."""

from __future__ import annotations

import pytest

from cellwright.projects.model import InputError
from cellwright.projects.passport.batteries import add_battery
from cellwright.projects.passport.compile import compile_passport
from cellwright.projects.passport.exchange import import_passport_file, validate_file
from cellwright.projects.store import Project
from support.passports import write_json

URN = "urn:io.catenax.battery.battery_pass:{}"


@pytest.mark.parametrize("version", ["7.0.0", "5.0.0"])
def test_another_major_version_is_refused_naming_the_field_and_versions(catenax, tmp_path, version):
    catenax["specVersion"] = URN.format(version)
    path = write_json(tmp_path, catenax)
    kind, problems = validate_file(path)
    assert kind == "catena-x"
    assert len(problems) == 1
    assert problems[0].where == "Catena-X/specVersion"
    assert f"version {version}" in problems[0].message
    assert "reads 6.x, validated against 6.1.0" in problems[0].message
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        with pytest.raises(InputError, match="specVersion"):
            import_passport_file(project, "B1", path)


def test_a_spec_version_naming_no_version_is_refused(catenax, tmp_path):
    catenax["specVersion"] = "battery pass, latest"
    _, problems = validate_file(write_json(tmp_path, catenax))
    assert [p.where for p in problems] == ["Catena-X/specVersion"]
    assert "names no version" in problems[0].message


@pytest.mark.parametrize("version", ["6.0.0", "6.2.1"])
def test_another_6x_is_validated_against_6_1_0_and_imported(catenax, tmp_path, version):
    catenax["specVersion"] = URN.format(version)
    path = write_json(tmp_path, catenax)
    assert validate_file(path) == ("catena-x", [])
    del catenax["metadata"]["issueDate"]  # still checked against 6.1.0
    _, problems = validate_file(write_json(tmp_path, catenax, "no-issue-date.json"))
    assert [str(p) for p in problems] == ["Catena-X/metadata: 'issueDate' is a required property"]
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        import_passport_file(project, "B1", path)
        assert compile_passport(project, "B1").values["rated_capacity"].value == 4.0


def test_the_samm_urn_form_and_no_spec_version_are_read(catenax, tmp_path):
    catenax["specVersion"] = "urn:samm:io.catenax.battery.battery_pass:6.1.0#BatteryPass"
    assert validate_file(write_json(tmp_path, catenax)) == ("catena-x", [])
    del catenax["specVersion"]  # optional in 6.1.0
    assert validate_file(write_json(tmp_path, catenax)) == ("catena-x", [])
