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
