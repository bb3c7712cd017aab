"""Prices in the seed library: the cost warning names exactly the unpriced materials.

No seed price is in the library yet (see resources/library/README.md): a price needs a published
source (paper and table, or report) with its year and currency; the library loader already
refuses a value without a source. This test checks that a reference design names exactly the
materials it could not price, so a cost of 0 is never silent.
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
