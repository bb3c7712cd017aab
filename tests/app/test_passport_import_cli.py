"""``cellwright passport import`` and ``export`` from the command line: what a user is told."""

from __future__ import annotations

import pytest

from cellwright.app.cli import main
from support.passports import catenax_example, fleet_project, write_json


@pytest.fixture
def project(tmp_path):
    return fleet_project(tmp_path)


@pytest.fixture
def catenax_file(fixtures_dir, tmp_path):
    """The Catena-X 6.1.0 example payload (its impossible date mended) as a file."""
    return write_json(tmp_path, catenax_example(fixtures_dir), "catenax.json")


def test_a_catenax_import_warns_of_the_missing_state_of_charge_and_export_says_how(
    project, catenax_file, tmp_path, capsys
):
    assert main(["passport", "import", "SN-1", str(catenax_file), "-p", str(project)]) == 0
    err = capsys.readouterr().err
    assert "warning: passport attribute remaining_power_capability " in err
    assert f"cellwright passport set SN-1 --project {project} 'remaining_power_capability=" in err
    out = tmp_path / "bp.json"
    args = ["passport", "export", "SN-1", "-p", str(project), "--access", "authority"]
    assert main([*args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "remaining_power_capability" in err and "cellwright passport set SN-1" in err
    assert "'atSoC' is a required property" not in err


def test_a_battery_pass_export_names_the_imported_values_it_cannot_take(
    project, catenax_file, tmp_path, capsys
):
    """The Catena-X example's labels, materials, hazardous substances, category 'SLI' and
    negative events have no Battery Pass form; the export listed the schema's words at JSON
    paths ("Labels/labels[0]: 'labelingSymbol' is a required property", 28 such lines)."""
    from cellwright.projects.passport.compile import compile_passport
    from cellwright.projects.store import Project

    assert main(["passport", "import", "SN-1", str(catenax_file), "-p", str(project)]) == 0
    with Project.open(project, readonly=True) as p:
        values = compile_passport(p, "SN-1").values
    # what has a Battery Pass form is taken in it
    chemistry = values["battery_chemistry"].value
    assert chemistry == {"clearName": "Nickel Cobalt Manganese", "shortName": "NCM"}
    increase = values["internal_resistance_increase"].value
    assert {i["batteryComponent"] for i in increase} == {"cell", "module", "pack"}
    assert all(set(i) == {"internalResistanceIncreaseValue", "lastUpdate", "batteryComponent"}
               for i in increase)  # fmt: skip
    capsys.readouterr()
    args = ["passport", "export", "SN-1", "-p", str(project), "--access", "authority"]
    assert main([*args, "-o", str(tmp_path / "bp.json")]) == 2
    lines = capsys.readouterr().err.splitlines()
    told = [line for line in lines if "holds the value imported from catenax.json" in line]
    keys = {line.split("passport attribute ")[1].split()[0] for line in told}
    assert {"battery_category", "battery_materials", "hazardous_substances",
            "separate_collection_symbol", "negative_events"} <= keys  # fmt: skip
    assert "battery_chemistry" not in keys and "internal_resistance_increase" not in keys
    for line in told:
        key = line.split("passport attribute ")[1].split()[0]
        assert f"cellwright passport set SN-1 --project {project} '{key}=JSON'" in line
    assert not [line for line in lines if "is a required property" in line and line not in told]
    assert "'SLI' is not one of" in next(line for line in told if "battery_category" in line)
    # a Catena-X export of the same passport still gives back what was imported
    assert main(["passport", "export", "SN-1", "-p", str(project), "--format", "catena-x",
                 "--access", "authority", "-o", str(tmp_path / "cx.json")]) == 0  # fmt: skip
