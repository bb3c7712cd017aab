"""Dates and date-times are held to the calendar, not only to the schemas' patterns.

The Catena-X date pattern (``^\\d{4}-\\d{2}-\\d{2}$``) takes ``2026-13-45`` and both models'
date-time pattern takes ``2025-02-29T10:00:00Z``; typed in or imported, such a value is refused
naming the field, the value and what is expected (:mod:`cellwright.projects.passport.dates`).
"""

from __future__ import annotations

import json

import pytest

from cellwright.projects.model import InputError
from cellwright.projects.passport.batteries import add_battery
from cellwright.projects.passport.compile import compile_passport, set_user_values
from cellwright.projects.passport.entry_check import entry_problems
from cellwright.projects.passport.exchange import import_passport_file, validate_file
from cellwright.projects.store import Project
from support.passports import write_json

MANUFACTURED = "/operation/manufacturer/manufacturingDate"  # Catena-X xsd:date
SOC_TIME = "/performance/dynamic/stateOfCharge/time"  # Catena-X xsd:dateTime

GOOD_DATES = ["2026-02-28", "2024-02-29", "2000-02-29", "2026-12-31"]
BAD_DATES = {
    "2026-13-45": "there is no month 13",
    "2025-02-29": "February 2025 has 28 days",
    "1900-02-29": "February 1900 has 28 days",  # a century is no leap year
    "2026-04-31": "April 2026 has 30 days",
    "2026-02-00": "there is no day 00",
}
GOOD_TIMES = [
    "2026-02-28T10:00:00Z",
    "2024-02-29T10:00:00Z",
    "2024-02-29T10:00:00.123+01:00",
    "2024-02-29T23:59:59-05:30",
    "2024-02-29T10:00:00",  # xsd:dateTime: the offset is optional
]
BAD_TIMES = {
    "2025-02-29T10:00:00Z": "February 2025 has 28 days",
    "2026-02-30T10:00:00+02:00": "February 2026 has 28 days",
    "2026-02-30T25:00:00Z": "is not a date-time",
    "2026-06-31T00:00:00Z": "June 2026 has 30 days",
}


@pytest.mark.parametrize("value", GOOD_DATES)
def test_a_real_catenax_date_is_taken(value):
    assert entry_problems({}, {MANUFACTURED: value}) == []


@pytest.mark.parametrize(("value", "why"), BAD_DATES.items())
def test_an_impossible_catenax_date_is_refused_naming_path_value_and_form(value, why):
    [problem] = entry_problems({}, {MANUFACTURED: value})
    assert problem == (
        f'Catena-X field {MANUFACTURED}: "{value}" is not a date: {why}; '
        "expected a calendar date, as 2024-02-29 (YYYY-MM-DD)"
    )


@pytest.mark.parametrize("value", GOOD_TIMES)
def test_a_real_date_time_is_taken(value):
    assert entry_problems({}, {SOC_TIME: value}) == []
    assert entry_problems({"putting_into_service": value}, {}) == []


@pytest.mark.parametrize(("value", "why"), BAD_TIMES.items())
def test_an_impossible_date_time_is_refused(value, why):
    [problem] = entry_problems({}, {SOC_TIME: value})
    assert problem.startswith(f'Catena-X field {SOC_TIME}: "{value}" is not a date-time')
    assert why in problem and "as 2024-02-29T08:00:00Z" in problem
    [problem] = entry_problems({"putting_into_service": value}, {})
    assert problem.startswith(f'passport attribute putting_into_service: "{value}" is not a')
    assert why in problem


def test_the_rfc_3339_manufacturing_date_says_which_day_is_missing():
    assert entry_problems({"manufacturing_date": "2024-02-29T08:00:00Z"}, {}) == []
    [problem] = entry_problems({"manufacturing_date": "2025-02-29T08:00:00Z"}, {})
    assert problem == (
        'passport attribute manufacturing_date: "2025-02-29T08:00:00Z" is not a date-time: '
        "February 2025 has 28 days; expected a date, a time and a UTC offset, as "
        "2024-02-29T08:00:00Z"
    )


def test_passport_set_refuses_an_impossible_date_and_stores_nothing(tmp_path):
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        with pytest.raises(InputError, match="February 2025 has 28 days"):
            set_user_values(project, "B1", {"rated_capacity": 5.0}, {MANUFACTURED: "2025-02-29"})
        set_user_values(project, "B1", {}, {MANUFACTURED: "2024-02-29"})
        passport = compile_passport(project, "B1")
    assert "rated_capacity" not in passport.values
    assert passport.catenax[MANUFACTURED] == "2024-02-29"


@pytest.mark.parametrize(("value", "valid"), [("2024-02-29", True), ("2025-02-29", False)])
def test_a_catenax_import_is_held_to_the_calendar(catenax, tmp_path, value, valid):
    catenax["operation"]["manufacturer"]["manufacturingDate"] = value
    path = write_json(tmp_path, catenax, "in.json")
    _, problems = validate_file(path)
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        if valid:
            assert problems == []
            import_passport_file(project, "B1", path)
            stamp = compile_passport(project, "B1").values["manufacturing_date"].value
            assert stamp == f"{value}T00:00:00Z"
            return
        assert [str(p) for p in problems] == [
            f"Catena-X{MANUFACTURED}: {value!r} is not a date: February 2025 has 28 days; "
            "expected a calendar date, as 2024-02-29 (YYYY-MM-DD)"
        ]
        with pytest.raises(InputError, match="February 2025 has 28 days"):
            import_passport_file(project, "B1", path)


@pytest.mark.parametrize(
    ("value", "valid"), [("2024-02-29T10:00:00+02:00", True), ("2025-02-29T10:00:00Z", False)]
)
def test_a_battery_pass_import_is_held_to_the_calendar(fixtures_dir, tmp_path, value, valid):
    name = "io.BatteryPass.GeneralProductInformation__1.2.0__GeneralProductInformation-payload.json"
    folder = fixtures_dir / "passport" / "batterypass_v1.2.0"
    payload = json.loads((folder / name).read_text(encoding="utf-8"))
    payload["puttingIntoService"] = value  # the xsd:dateTime pattern, no format
    path = write_json(tmp_path, payload, "gpi.json")
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        if valid:
            import_passport_file(project, "B1", path)
            assert compile_passport(project, "B1").values["putting_into_service"].value == value
            return
        with pytest.raises(InputError) as err:
            import_passport_file(project, "B1", path)
    assert f"GeneralProductInformation/puttingIntoService: {value!r} is not a date-time" in str(
        err.value
    )
    assert "February 2025 has 28 days" in str(err.value)
