"""Prices in the seed library: sourced, converted as their notes say, and the cost warning
names exactly the unpriced materials.

Prices come from BatPaC v5.0 (resources/library/README.md). Where BatPaC gives a price per m^2
(foils, separators) or per litre (electrolyte), the seed holds it per kg with the entry's own
density (and porosity) at the thickness BatPaC states; the test recomputes that arithmetic from
the library, so a changed density cannot silently leave a stale price behind.
"""

from __future__ import annotations

import pytest

from cellwright.projects.design.cell_figures import cell_figures
from cellwright.projects.design.reference_designs import (
    kokam_slpb_75106100,
    lg_m50,
    reference_snapshot,
)


@pytest.mark.parametrize("make", [lg_m50, kokam_slpb_75106100])
def test_no_price_warning_names_only_unpriced_materials(make) -> None:
    design = make()
    snap = reference_snapshot(design)
    figures = cell_figures(design, snap.materials)
    warning = [w for w in figures.warnings if w.startswith("no price for ")]
    if not warning:  # every material priced: the cost is real
        assert sum(figures.cost.values()) > 0
        return
    named = warning[0].removeprefix("no price for ").split(":")[0].split(", ")
    for material_id in named:
        assert snap.materials[material_id].value("price") is None, material_id


#: material -> (BatPaC price, its unit basis: m^2 at a thickness [m], or L)
BATPAC_AREAL = {
    "aluminium-foil": (0.20, 15e-6),  # Chem!C159, thickness Chem!C31
    "copper-foil": (1.20, 10e-6),  # Chem!C160, thickness Chem!C58
    "separator-pe": (0.90, 15e-6),  # Chem!C161
    "separator-pp": (0.90, 15e-6),
    "separator-pp-pe-pp": (0.90, 15e-6),
}


@pytest.mark.parametrize("material_id", sorted(BATPAC_AREAL))
def test_areal_prices_are_converted_with_the_entrys_own_density(library, material_id) -> None:
    material = library.material(material_id)
    per_m2, thickness = BATPAC_AREAL[material_id]
    solid = 1 - (material.value("porosity") or 0.0)
    per_kg = per_m2 / (thickness * solid * material.value("density"))
    assert material.value("price") == pytest.approx(per_kg, rel=2e-3)


@pytest.mark.parametrize("material_id", ["lp57", "lp30", "electrolyte-ecker2015"])
def test_electrolyte_price_per_litre_is_converted_at_batpac_density(library, material_id) -> None:
    # BatPaC Chem!C162: 10 USD/L of electrolyte at 1.2 g/cm3
    assert library.material(material_id).value("price") == pytest.approx(10 / 1.2, rel=1e-3)


def test_every_price_states_its_source_and_basis(library) -> None:
    priced = [m for m in library.materials() if m.value("price") is not None]
    assert len(priced) >= 25
    for material in priced:
        prop = material.properties["price"]
        assert "BatPaC" in prop.source or "Baars" in prop.source, material.id
        assert any(word in prop.note for word in ("year", "2021", "converted", "computed",
                                                  "per kg")), material.id  # fmt: skip
