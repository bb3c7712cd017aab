"""Two commercial cells entered from their papers come out as their datasheets say.

* LG INR21700 M50 entered with the Chen et al. (2020) geometry and materials (PyBaMM set
  Chen2020): nominal capacity 5.0 A.h and mass 69.25 g, both from the LG INR21700 M50 product
  specification (typical 5000 mAh; max. 69.25 g), as held by the library cell ``lg-m50``.
* Kokam SLPB 75106100 entered with the Ecker et al. (2015) coatings (PyBaMM set Ecker2015):
  7.5 A.h nominal (Ecker et al. 2015) and 160 g (Kokam data sheet), library cell
  ``kokam-slpb-75106100``.

The lithiation windows the designs use are checked against PyBaMM's electrode state-of-health
solver, so the capacities rest on PyBaMM's own open-circuit potentials.
"""

from __future__ import annotations

import pytest

from cellwright.projects.design import cell_figures
from cellwright.projects.design.reference_designs import (
    CHEN2020_WINDOWS,
    ECKER2015_WINDOWS,
    kokam_slpb_75106100,
    lg_m50,
    reference_snapshot,
)


@pytest.mark.parametrize("make", [lg_m50, kokam_slpb_75106100], ids=["lg-m50", "kokam"])
def test_capacity_and_mass_match_the_datasheet(make) -> None:
    design = make()
    snap = reference_snapshot(design)
    ref = snap.reference_cell
    f = cell_figures(design, snap.materials, ref)
    assert f.capacity == pytest.approx(ref.nominal_capacity, rel=0.05)
    assert f.total_mass == pytest.approx(ref.mass, rel=0.05)
    assert f.np_ratio > 1.05
    assert not [w for w in f.warnings if "price" not in w]


def test_chen2020_electrode_fits_the_lg_m50_can() -> None:
    """Chen2020's 0.79 m double-sided electrode winds to less than the can's inner diameter."""
    design = lg_m50()
    f = cell_figures(design, reference_snapshot(design).materials)
    outer = f.layout.facts["Jelly roll outer diameter"][0]
    can_inner = 21.1e-3 - 2 * 0.25e-3
    assert 0.9 * can_inner < outer < can_inner
    assert 20 < f.layout.facts["Jelly roll turns"][0] < 25


@pytest.mark.parametrize(
    ("name", "windows"), [("Chen2020", CHEN2020_WINDOWS), ("Ecker2015", ECKER2015_WINDOWS)]
)
def test_lithiation_windows_are_pybamms(name, windows) -> None:
    from cellwright.engines.electrochem._pybamm import import_pybamm

    pybamm = import_pybamm()
    x0, x100, y100, y0 = pybamm.lithium_ion.get_min_max_stoichiometries(
        pybamm.ParameterValues(name)
    )
    assert windows["negative"] == pytest.approx((x0, x100), abs=1e-5)
    assert windows["positive"] == pytest.approx((y100, y0), abs=1e-5)
