"""A battery with a complete passport: the example entries plus the measured values a twin
with telemetry, lab runs and estimates would add."""

from __future__ import annotations

import json

from cellwright.projects.design.reference_designs import lg_m50
from cellwright.projects.passport.batteries import add_battery
from cellwright.projects.passport.compile import set_user_values
from cellwright.resources import ROOT

#: what telemetry, a lab run and the estimators provide in a full example (typed in here)
MEASURED = {
    "putting_into_service": "2024-07-01T08:00:00Z",
    "initial_round_trip_efficiency": 95.2,
    "initial_internal_resistance": [{"ohmicResistance": 0.0215, "batteryComponent": "cell"}],
    "remaining_capacity": 4.71,
    "capacity_fade": 5.8,
    "remaining_energy": 0.0171,
    "state_of_certified_energy": 94.2,
    "state_of_charge": 61.0,
    "full_cycles": 212.4,
    "energy_throughput": 7.9,
    "capacity_throughput": 2124.0,
    "internal_resistance_increase": [
        {
            "internalResistanceIncreaseValue": 12.0,
            "batteryComponent": "cell",
            "lastUpdate": "2025-01-01T00:00:00Z",
        }
    ],
    "time_above_temperature": 3.0,
    "time_below_temperature": 0.0,
    "time_charging_above_temperature": 0.0,
    "time_charging_below_temperature": 0.0,
    "temperature_information_updated": "2025-01-01T00:00:00Z",
}


#: the one value of the Catena-X 6.1.0 example payload that is no date (there is no month 75);
#: an import refuses it, so the tests that import the example mend it to a real one
IMPOSSIBLE_DATE = ("/operation/intoServiceDate", "7172-75-08")
MENDED_DATE = "2024-07-01"


def catenax_example(fixtures_dir) -> dict:
    """The Catena-X 6.1.0 example payload from ../shared, its impossible date mended."""
    path = fixtures_dir / "passport" / "catenax_battery_pass_6.1.0" / "BatteryPass.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["operation"]["intoServiceDate"] == IMPOSSIBLE_DATE[1]
    document["operation"]["intoServiceDate"] = MENDED_DATE
    return document


def example_entries() -> dict:
    """The example project's passport entries (resources/examples/passport_entries.json)."""
    return json.loads((ROOT / "examples" / "passport_entries.json").read_text(encoding="utf-8"))


def complete_battery(project, serial: str = "SN-001") -> str:
    """Add an LG M50 cell with every passport attribute the schemas require filled in."""
    design = lg_m50()
    project.put(design)
    add_battery(
        project,
        serial,
        design=design.id,
        manufacturer="LG Energy Solution",
        production_date="2024-03-01",
        production_site="Ochang",
    )
    entries = example_entries()
    set_user_values(project, serial, entries["values"] | MEASURED, entries["catenax"])
    return serial


def fleet_project(folder, serial: str = "SN-1"):
    """A new project ``fleet.cwproj`` in ``folder`` holding one battery ``serial`` and nothing
    else (no design, no passport values); its path."""
    from cellwright.projects.store import Project

    path = folder / "fleet.cwproj"
    with Project.create(path) as project:
        add_battery(project, serial)
    return path


def write_json(folder, document, name: str = "p.json"):
    """``document`` written as a JSON file ``name`` in ``folder``; its path."""
    path = folder / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
