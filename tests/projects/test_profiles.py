"""Load profiles: the shipped ones are found by name from one place, user files by path."""

from __future__ import annotations

import pytest

from cellwright.engines.electrochem.pybamm_protocols import drive_cycle
from cellwright.projects.model import InputError
from cellwright.projects.profiles import load_profile, profile_path, shipped_profiles
from cellwright.resources import ROOT


def test_shipped_profiles_are_the_files_in_resources() -> None:
    files = sorted(p.stem.upper() for p in (ROOT / "profiles").glob("*.csv"))
    assert sorted(shipped_profiles()) == files
    assert {"US06", "UDDS", "WLTC"} <= set(files)


def test_names_are_case_insensitive_and_paths_pass_through(tmp_path) -> None:
    assert profile_path("us06") == shipped_profiles()["US06"]
    own = tmp_path / "mine.csv"
    own.write_text("Time [s],Current [A]\n0,1\n10,2\n")
    assert profile_path(own) == own
    assert load_profile(own).values.tolist() == [1.0, 2.0]


def test_unknown_name_lists_the_shipped_profiles() -> None:
    with pytest.raises(InputError, match=r"spec.x: no profile 'US07' \(shipped: UDDS, US06, WLTC"):
        profile_path("US07", "spec.x")


def test_wltc_is_a_power_cycle_and_starts_at_zero() -> None:
    wltc = drive_cycle("WLTC")
    assert wltc.kind == "power" and wltc.time[0] == 0.0
    # PyBaMM's WLTC is the vehicle's power in kW; the reader converts to W
    assert 1e4 < abs(wltc.values).max() < 2e5
    assert drive_cycle("US06").kind == "current"


def test_a_profile_that_is_not_utf8_names_the_byte(tmp_path) -> None:
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("Time [s],Current [A]\n0,1\n1,\xb52\n".encode("latin-1"))
    with pytest.raises(
        InputError, match=r"latin1.csv: line 3: profile file: not UTF-8 text \(byte 27"
    ):
        load_profile(bad)


@pytest.mark.parametrize(
    ("header", "rows", "time", "values"),
    [
        # the unit of the time column counts: minutes are not seconds
        ("time (min),Current (A)", "0,1.5\n10,2.5\n", [0, 600], [1.5, 2.5]),
        ("Time [ms],Current [mA]", "0,1500\n1000,2500\n", [0, 1], [1.5, 2.5]),
        ("Time / h,Power (kW)", "0,1.5\n1,2.5\n", [0, 3600], [1500, 2500]),
        # European exports: ';' or tab separators with a decimal comma
        ("Time [s];Current [A]", "0;1,5\n10;2,5\n", [0, 10], [1.5, 2.5]),
        ("Time [s]\tCurrent [A]", "0\t1.5\n10\t2.5\n", [0, 10], [1.5, 2.5]),
    ],
)
def test_units_separators_and_decimal_commas_are_read(tmp_path, header, rows, time, values):
    own = tmp_path / "mine.csv"
    own.write_text(f"{header}\n{rows}")
    profile = load_profile(own)
    assert profile.time.tolist() == pytest.approx(time)
    assert profile.values.tolist() == pytest.approx(values)


def test_excel_unicode_text_is_read(tmp_path) -> None:
    own = tmp_path / "excel.txt"
    own.write_bytes("Time [s]\tCurrent [A]\r\n0\t1,5\r\n10\t2\r\n".encode("utf-16"))
    assert load_profile(own).values.tolist() == [1.5, 2.0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0,1\n10,2\n", r"line 1: no header row"),
        ("Time [s],Current [A]\n0,1\nnan,2\n20,1\n", r"line 3: time and current must be finite"),
        ("Time [s],Current [A]\n0,1\n10,inf\n", r"line 3: time and current must be finite"),
        ("Time [s],Current [A]\n0,1\n10,2\n2", r"line 4: expected two numbers"),
    ],
)
def test_bad_rows_are_refused_by_line(tmp_path, text, message) -> None:
    own = tmp_path / "bad.csv"
    own.write_text(text)
    with pytest.raises(InputError, match=message):
        load_profile(own)


def test_only_profiles_that_charge_on_balance_are_flagged(tmp_path) -> None:
    assert not any(load_profile(name).charges_on_balance for name in shipped_profiles())
    own = tmp_path / "cycler.csv"
    own.write_text("Time [s],Current [A]\n0,-2\n10,1\n20,0\n")
    assert load_profile(own).charges_on_balance
