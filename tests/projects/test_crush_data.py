"""The crush engine's library data (resources/library/crush.toml): every metal and jelly roll
with its source, rate-hardening constants read with theirs, and a malformed entry named."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.library.crush_data import crush_data, read_crush_data
from cellwright.projects.model import InputError

_METAL = """
[metals.m]
strain = [0.0, 0.1]
stress = [100.0, 150.0]
source = "a handbook"
"""


def test_every_built_in_metal_has_its_curve_and_rate_constants_with_sources() -> None:
    data = crush_data()
    assert {"nickel-plated-steel", "aluminium-3003", "aluminium-6061", "steel-304"} <= set(
        data.metals
    )
    for mid, metal in data.metals.items():
        assert metal.source, mid
        assert metal.rate_d > 0 and metal.rate_q >= 1 and metal.rate_source, mid
    steel = data.metals["nickel-plated-steel"]
    assert (steel.rate_d, steel.rate_q) == (40.4, 5.0)  # Cowper & Symonds 1957, mild steel
    assert np.all(np.diff(steel.stress) > 0)


def test_a_metal_without_rate_constants_is_rate_independent(tmp_path) -> None:
    path = tmp_path / "crush.toml"
    path.write_text(_METAL)
    metal = read_crush_data(path).metals["m"]
    assert metal.rate_d == 0.0 and metal.stress[0] == 100e6


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("cowper_symonds_d = 40.4\nrate_source = 'x'", r"missing cowper_symonds_q"),
        ("cowper_symonds_d = 40.4\ncowper_symonds_q = 5.0", r"need a rate_source"),
        ("cowper_symonds_d = -1.0\ncowper_symonds_q = 5.0\nrate_source = 'x'", r"> 0 \[1/s\]"),
        ("cowper_symonds_d = 'fast'\ncowper_symonds_q = 5.0\nrate_source = 'x'", "numbers"),
    ],
)
def test_malformed_rate_constants_are_refused_naming_the_entry(tmp_path, extra, message) -> None:
    path = tmp_path / "crush.toml"
    path.write_text(_METAL + extra + "\n")
    with pytest.raises(InputError, match=r"crush\.toml \[metals\.m\]: .*" + message):
        read_crush_data(path)


_ROLL = """
[jelly_rolls.r]
strain = [0.02, 0.1]
stress = [0.5, 1.5]
modulus = 500.0
plastic_poisson = 0.0
tension = 0.5
in_plane_yield_ratio = 0.5
short_circuit_strain = 0.35
source = "a paper"
"""


def test_every_built_in_roll_averages_its_short_criterion_over_a_length() -> None:
    for rid, roll in crush_data().jelly_rolls.items():
        assert roll.short_circuit_length == pytest.approx(3e-3), rid


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("", None),  # no length: each element's own strain
        ("short_circuit_length_mm = 2.5", None),
        ("short_circuit_length_mm = -1.0", r"at least 0 and below 100 \[mm\]"),
        ("short_circuit_length_mm = 'wide'", "must be numbers"),
    ],
)
def test_a_rolls_averaging_length_is_read_in_millimetres_or_refused(
    tmp_path, extra, message
) -> None:
    path = tmp_path / "crush.toml"
    path.write_text(_ROLL + extra + "\n")
    if message is None:
        roll = read_crush_data(path).jelly_rolls["r"]
        assert roll.short_circuit_length == pytest.approx(2.5e-3 if extra else 0.0)
        return
    with pytest.raises(InputError, match=r"crush\.toml \[jelly_rolls\.r\]: .*" + message):
        read_crush_data(path)
