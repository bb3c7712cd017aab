"""projects.readable: the one rule by which the window and the report show a number, a
temperature, a time and a small SI value (Qt-free, so the CLI and the report share it)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cellwright.projects.readable import (
    celsius_shown,
    column_shown,
    duration,
    is_absolute_temperature,
    range_unit,
    scalar_shown,
    time_unit,
)


@pytest.mark.parametrize(
    ("name", "values", "expected"),
    [
        ("Maximum temperature [K]", [298.15, 335.0], ("Maximum temperature [°C]", 273.15)),
        ("Temperature [K]", np.full((3, 9000), 300.0), ("Temperature [°C]", 273.15)),
        ("Temperature rise [K]", [0.0, 12.5], ("Temperature rise [K]", 0.0)),  # a difference
        ("Temperature [K]", [math.nan], ("Temperature [K]", 0.0)),  # nothing to judge by
        ("Voltage [V]", [298.0], ("Voltage [V]", 0.0)),
    ],
)
def test_absolute_temperatures_are_shown_in_celsius(name, values, expected) -> None:
    assert celsius_shown(name, values) == expected
    assert is_absolute_temperature(name, values) == bool(expected[1])


def test_a_scalar_temperature_reads_in_celsius_and_a_rise_in_kelvin() -> None:
    label, value, unit = scalar_shown("Coolant inlet temperature [K]", 298.15)
    assert (label, value.text, unit) == ("Coolant inlet temperature", "25", "°C")
    assert float(value) == 25.0  # exported as the number shown, not 25.000000000000023
    label, value, unit = scalar_shown("Temperature rise [K]", 3.25)
    assert (value.text, unit) == ("3.25", "K")


@pytest.mark.parametrize(
    ("seconds", "span", "text"),
    [
        (1234.56, None, "20.58 min"),  # not "1234.56 s"
        (1234.56, 600.0, "20.58 min"),
        (0.0, 3600.0, "0 min"),  # the run's unit from its start
        (12.3456, None, "12.35 s"),
        (20000.0, None, "5.556 h"),
        (0.000488281, None, "0.4883 ms"),  # a solver's step
        (math.nan, None, "–"),
    ],
)
def test_a_time_reads_in_the_unit_of_its_run(seconds, span, text) -> None:
    assert duration(seconds, span) == text


def test_time_units_step_as_the_reports_axes() -> None:
    assert [time_unit(t)[0] for t in (60.0, 300.0, 301.0, 7200.0, 7201.0)] == [
        "s", "s", "min", "min", "h"]  # fmt: skip
    assert time_unit(math.inf) == ("s", 1.0)


def test_small_si_values_read_in_the_unit_of_the_design_figures() -> None:
    """A design study's "Cell volume [m3]" read 1.918 × 10⁻⁵ in the window; the design's
    figures (and the report) read a cell in cm^3 and g."""
    assert range_unit("m3", [1.918e-5, 2.4e-5]) == ("cm^3", 1e6)
    assert range_unit("kg", [0.046, 0.07]) == ("g", 1e3)
    assert range_unit("kg", [320.0]) == ("kg", 1.0)  # a pack
    assert range_unit("m2", [0.0086]) == ("cm^2", 1e4)
    assert column_shown("Cell volume [m3]", [1.918e-5, None, "DFN"]) == (
        "Cell volume [cm^3]", 1e6, 0.0)  # fmt: skip
    assert column_shown("Cell mass [kg]", [0.0462]) == ("Cell mass [g]", 1e3, 0.0)
    assert column_shown("Maximum temperature [K]", [310.0, 330.0]) == (
        "Maximum temperature [°C]", 1.0, 273.15)  # fmt: skip
    assert column_shown("Energy density [W.h.L-1]", [700.0]) == ("Energy density [W.h.L-1]",
                                                                 1.0, 0.0)  # fmt: skip
