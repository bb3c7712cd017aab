"""Field labels spell the trade's abbreviations as the trade does."""

from __future__ import annotations

import pytest

from cellwright.app.field_labels import readable_title


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("Assembly Soc", "Assembly SOC"),
        ("Soc Min", "SOC Min"),
        ("C Rate", "C-rate"),
        ("c_rates", "C-rates"),
        ("Pybamm Parameter Set", "PyBaMM Parameter Set"),
        ("Ecm parameters", "ECM parameters"),
        ("Initial Soc Std", "Initial SOC SD"),
        ("Dt", "dt"),
        ("Social cost", "Social cost"),  # a word that only starts like one is left
        ("Rate", "Rate"),
    ],
)
def test_abbreviations_read_as_written(title: str, shown: str) -> None:
    assert readable_title(title) == shown
