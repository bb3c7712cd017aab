"""Prices in the seed library: every one cited, in USD/kg, and the cost warnings agree with them.

No seed price is in the library yet (see resources/library/README.md): a price needs a published
source (paper and table, or report) with its year and currency. These tests hold the rule for
the rows that will be added and check that a reference design names exactly the materials it
could not price.
"""

from __future__ import annotations

import csv

import pytest

from projects.design.cell_figures import cell_figures
from projects.design.reference_designs import kokam_slpb_75106100, lg_m50, reference_snapshot
from resources import ROOT

SEED = ROOT / "library" / "material_properties.csv"


def _price_rows() -> list[dict[str, str]]:
    with SEED.open(newline="", encoding="utf-8") as f:
        return [row for row in csv.DictReader(f) if row["property"] == "price"]


def test_every_seed_price_is_cited_in_usd_per_kg() -> None:
    for row in _price_rows():
        where = f"{row['material_id']}: {row}"
        assert row["unit"] == "USD/kg", where
        assert float(row["value"]) > 0, where
        assert row["source"].strip(), where
        assert row["note"].strip(), where  # year, currency and any conversion


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
