"""Original and remaining power capability (long-list 62/63) to and from Catena-X 6.1.0."""

from __future__ import annotations

from cellwright.projects.passport.batteries import add_battery
from cellwright.projects.passport.compile import compile_passport, set_user_values
from cellwright.projects.passport.exchange import export_passport, import_passport_file
from cellwright.projects.store import Project
from support.passports import complete_battery, write_json

ORIGINAL = [
    {"atSoC": 80.0, "powerCapabilityAt": 26.0},
    {"atSoC": 20.0, "powerCapabilityAt": 20.0},
    {"atSoC": 50.0, "powerCapabilityAt": 24.0},  # no Catena-X field at 50 %
]
REMAINING = {
    "remainingPowerCapabilityValue": {
        "atSoC": 80.0,
        "powerCapabilityAt": 24.5,
        "rPCLastUpdated": "2025-02-01T00:00:00Z",
    },
    "lastUpdate": "2025-02-01T00:00:00Z",
}


def test_battery_pass_power_capabilities_export_to_catenax(tmp_path):
    with Project.create(tmp_path / "p.cwproj") as project:
        serial = complete_battery(project)
        values = {"original_power_capability": ORIGINAL, "remaining_power_capability": REMAINING}
        set_user_values(project, serial, values)
        passport = compile_passport(project, serial)
    document, problems = export_passport(passport, "authority", "catena-x")
    assert problems == []
    power = document["performance"]["rated"]["power"]
    # watts on both sides; the maximum power keeps the rated power's own value
    assert (power["at20SoC"], power["at80SoC"]) == (20.0, 26.0)
    assert power["value"] == passport.values["maximum_power"].value
    remaining = document["performance"]["dynamic"]["power"]["remaining"]
    assert remaining == {"value": 24.5, "time": "2025-02-01T00:00:00Z"}
    public, _ = export_passport(passport, "public", "catena-x")
    assert "dynamic" not in public["performance"]  # remaining power: legitimate interest
    assert public["performance"]["rated"]["power"]["at80SoC"] == 26.0


def test_catenax_power_capabilities_import_as_attributes(catenax, tmp_path):
    path = write_json(tmp_path, catenax, "in.json")
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        import_passport_file(project, "B1", path)
        passport = compile_passport(project, "B1")
    rated = catenax["performance"]["rated"]["power"]
    assert passport.values["original_power_capability"].value == [
        {"atSoC": 20.0, "powerCapabilityAt": rated["at20SoC"]},
        {"atSoC": 80.0, "powerCapabilityAt": rated["at80SoC"]},
    ]
    assert passport.values["maximum_power"].value == rated["value"]
    remaining = catenax["performance"]["dynamic"]["power"]["remaining"]
    power = passport.values["remaining_power_capability"].value
    assert power["remainingPowerCapabilityValue"]["powerCapabilityAt"] == remaining["value"]
    assert power["lastUpdate"] == remaining["time"]
    # neither is kept a second time as a Catena-X field; the test temperature is
    assert not any(p.startswith("/performance/dynamic/power/remaining") for p in passport.catenax)
    assert "/performance/rated/power/at20SoC" not in passport.catenax
    assert passport.catenax["/performance/rated/power/temperature"] == rated["temperature"]


def _soc_problems(problems) -> list:
    return [p for p in problems if "remainingPowerCapabilityValue" in p.where]


def test_a_catenax_import_warns_that_the_remaining_power_has_no_state_of_charge(catenax, tmp_path):
    path = write_json(tmp_path, catenax, "in.json")
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        imported = import_passport_file(project, "B1", path)
        passport = compile_passport(project, "B1")
    # not invented: Catena-X 6.1.0 has no state of charge beside the remaining power
    value = passport.values["remaining_power_capability"].value
    assert "atSoC" not in value["remainingPowerCapabilityValue"]
    [warning] = imported.warnings
    assert "remaining_power_capability" in warning and "atSoC" in warning
    assert f"cellwright passport set B1 --project {tmp_path / 'p.cwproj'} " in warning
    assert "'remaining_power_capability={" in warning and '"atSoC": SOC' in warning


def test_a_battery_pass_export_without_the_state_of_charge_names_the_command(catenax, tmp_path):
    path = write_json(tmp_path, catenax, "in.json")
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        import_passport_file(project, "B1", path)
        passport = compile_passport(project, "B1")
    _, problems = export_passport(passport, "authority", "battery-pass", tmp_path / "p.cwproj")
    [problem] = _soc_problems(problems)
    assert "is a required property" not in problem.message
    assert problem.message.startswith("passport attribute remaining_power_capability ")
    assert "cellwright passport set B1 --project" in problem.message
    # withheld at the public level: nothing to say there
    _, public = export_passport(passport, "public", "battery-pass")
    assert _soc_problems(public) == []


def test_the_command_named_supplies_the_state_of_charge(catenax, tmp_path):
    import shlex

    from cellwright.app.cli import main

    path = write_json(tmp_path, catenax, "in.json")
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        [warning] = import_passport_file(project, "B1", path).warnings
    command = shlex.split(warning[warning.index("cellwright passport set") :])
    # the placeholder is no JSON number: run as shown, the command is refused
    assert main(command[1:]) == 2
    assert main([a.replace('"atSoC": SOC', '"atSoC": 50.0') for a in command[1:]]) == 0
    with Project.open(tmp_path / "p.cwproj", readonly=True) as project:
        passport = compile_passport(project, "B1")
    _, problems = export_passport(passport, "authority", "battery-pass")
    assert _soc_problems(problems) == []
    value = passport.values["remaining_power_capability"].value["remainingPowerCapabilityValue"]
    assert (value["atSoC"], value["powerCapabilityAt"]) == (50.0, 40000.0)


def test_a_catenax_import_keeps_the_state_of_charge_entered_before(catenax, tmp_path):
    path = write_json(tmp_path, catenax, "in.json")
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        set_user_values(project, "B1", {"remaining_power_capability": REMAINING})
        imported = import_passport_file(project, "B1", path)
        passport = compile_passport(project, "B1")
    value = passport.values["remaining_power_capability"].value["remainingPowerCapabilityValue"]
    remaining = catenax["performance"]["dynamic"]["power"]["remaining"]
    # the imported power and time, at the state of charge entered before
    assert value == {
        "atSoC": 80.0,
        "powerCapabilityAt": remaining["value"],
        "rPCLastUpdated": remaining["time"],
    }
    assert imported.warnings == []
    _, problems = export_passport(passport, "authority", "battery-pass")
    assert _soc_problems(problems) == []
