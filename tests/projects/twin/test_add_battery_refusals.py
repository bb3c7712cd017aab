"""``add_battery`` refuses bad input naming the argument it is about, and writes nothing then:
the window's dialog puts each message beside its field, the command line prints it as before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cellwright.projects.model import CellDesign, InputError
from cellwright.projects.passport.batteries import (
    BatteryFieldError,
    add_battery,
    batteries,
    find_battery,
)
from cellwright.projects.store import Project


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "fleet.cwproj") as p:
        p.put(CellDesign(id="cell-a", name="Cell A", format="prismatic"))
        add_battery(p, "PACK-1", kind="pack")
        add_battery(p, "CELL-1", "cell-a")
        yield p


def _refusal(project, **arguments) -> BatteryFieldError:
    before = ([b.serial for b in batteries(project)], len(project.events()))
    with pytest.raises(BatteryFieldError) as info:
        add_battery(project, **arguments)
    assert ([b.serial for b in batteries(project)], len(project.events())) == before
    return info.value


@pytest.mark.parametrize(
    ("arguments", "field", "message"),
    [
        ({"serial": "  "}, "serial", "a battery needs a serial number"),
        ({"serial": "CELL-1"}, "serial", "a battery with serial 'CELL-1' exists already"),
        ({"serial": "C-2", "kind": "module"}, "kind", "kind must be 'cell' or 'pack'"),
        ({"serial": "C-2", "design": "no-such"}, "design", "no cell or pack design 'no-such'"),
        ({"serial": "P-2", "kind": "pack", "design": "cell-a"}, "design", "not a pack design"),
        ({"serial": "C-2", "pack": "NOPE"}, "pack", "no battery with serial 'NOPE'"),
        ({"serial": "C-2", "pack": "CELL-1"}, "pack", "'CELL-1' is a cell, not a pack"),
        ({"serial": "P-2", "kind": "pack", "pack": "PACK-1"}, "pack", "only cells go into packs"),
    ],
)
def test_each_refusal_names_its_argument(project, arguments, field, message) -> None:
    error = _refusal(project, **arguments)
    assert error.field == field
    assert message in error.detail


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2024-13-01", "there is no month 13"),
        ("2023-02-29", "February 2023 has 28 days"),
        ("1 March 2024", "expected a calendar date, as 2024-02-29 (YYYY-MM-DD)"),
        ("0000-01-01", "is not a date of the years 0001 to 9999"),
    ],
)
def test_a_production_date_that_is_no_day_is_refused_naming_it(project, text, why) -> None:
    # pydantic refused these in the model: a ValidationError no caller but the CLI translated
    error = _refusal(project, serial="C-2", production_date=text)
    assert error.field == "production_date"
    assert str(error).startswith(f"--production-date: production date {text!r} ")
    assert why in error.detail


def test_a_production_date_in_the_future_is_refused_as_an_import_refuses_it(project) -> None:
    later = datetime.now(UTC).date() + timedelta(days=30)
    for given in (later, later.isoformat()):
        error = _refusal(project, serial="C-2", production_date=given)
        assert error.field == "production_date"
        assert f"{later.isoformat()!r} is in the future" in error.detail


def test_a_good_date_is_kept_and_recorded(project) -> None:
    battery = add_battery(project, " C-2 ", "cell-a", production_date=" 2024-02-29 ", pack="PACK-1")
    assert (battery.serial, battery.obj.production_date.isoformat()) == ("C-2", "2024-02-29")
    kinds = [e.kind for e in project.events(find_battery(project, "C-2").id)]
    assert kinds == ["registered", "pack_membership"]
    assert project.events(battery.id)[0].payload["production_date"] == "2024-02-29"


def test_a_missing_battery_says_how_to_add_one_in_the_window_and_the_cli(project) -> None:
    from cellwright.projects.passport.batteries import find_battery

    with pytest.raises(InputError) as info:
        find_battery(project, "NOPE")
    assert info.value.detail.endswith("add it (File ▸ Add battery… or `cellwright battery add`)")
