"""An imported Catena-X remaining resistance stands until the initial resistance or its
increase, which an export computes it from, is entered again."""

from __future__ import annotations

import pytest

from cellwright.projects.passport.batteries import add_battery
from cellwright.projects.passport.compile import compile_passport, set_user_values
from cellwright.projects.passport.exchange import export_passport, import_passport_file
from cellwright.projects.store import Project
from support.passports import write_json

PATH = "/performance/dynamic/resistance/remaining"
INCREASE = [
    {
        "internalResistanceIncreaseValue": 20.0,
        "batteryComponent": "cell",
        "lastUpdate": "2025-03-01T00:00:00Z",
    }
]


def _remaining(project):
    document, _ = export_passport(compile_passport(project, "B1"), "authority", "catena-x")
    return document["performance"]["dynamic"]["resistance"]["remaining"]


@pytest.mark.parametrize(
    "entered",
    [
        {"internal_resistance_increase": INCREASE},
        {"initial_internal_resistance": [{"ohmicResistance": 0.02, "batteryComponent": "cell"}]},
    ],
    ids=["increase", "initial"],
)
def test_entering_a_source_of_the_remaining_resistance_drops_the_imported_one(
    catenax, tmp_path, entered
):
    path = write_json(tmp_path, catenax, "in.json")
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        import_passport_file(project, "B1", path)
        imported = catenax["performance"]["dynamic"]["resistance"]["remaining"]
        assert compile_passport(project, "B1").catenax[PATH] == imported
        assert _remaining(project) == imported  # as the file gave it
        set_user_values(project, "B1", entered)
        assert PATH not in compile_passport(project, "B1").catenax
        remaining = _remaining(project)
        values = compile_passport(project, "B1").values
    # computed: initial resistance x (1 + increase / 100), per component; an increase imported
    # from Catena-X ({cell: {value, time}}) counts as much as one entered
    initial = values["initial_internal_resistance"].value
    r0 = {i["batteryComponent"]: i["ohmicResistance"] for i in initial}
    rise = values["internal_resistance_increase"].value
    cell = (
        rise["cell"]["value"]
        if isinstance(rise, dict)
        else rise[0]["internalResistanceIncreaseValue"]
    )
    assert remaining["cell"]["value"] == pytest.approx(r0["cell"] * (1 + cell / 100))
