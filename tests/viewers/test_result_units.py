"""The rule for the unit a result's lengths are shown in (no Qt)."""

from __future__ import annotations

from cellwright.projects.model import Provenance, Result
from cellwright.viewers.result_units import lengths_in_mm, shown_length


def _of(engine: str) -> Result:
    return Result(provenance=Provenance(engine_id=engine, engine_version="1", spec_hash=""))


def test_mechanical_studies_show_lengths_in_mm_and_the_others_in_m() -> None:
    assert lengths_in_mm(_of("mechanics.crush")) and lengths_in_mm(_of("mechanics.vibration"))
    assert not lengths_in_mm(_of("cfd.network")) and not lengths_in_mm(None)
    assert shown_length("Final displacement [m]", True) == ("Final displacement [mm]", 1e3)
    assert shown_length("Final displacement [m]", False) == ("Final displacement [m]", 1.0)
    assert shown_length("Indenter speed [m/s]", True) == ("Indenter speed [m/s]", 1.0)
    assert shown_length("Cell loaded area [m^2]", True) == ("Cell loaded area [m^2]", 1.0)
