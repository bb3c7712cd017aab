"""The cost model: breakdowns sum to totals, overrides move them, unpriced materials are named."""

from __future__ import annotations

import math

import pytest

from cellwright.projects.design.cell_figures import cell_figures
from cellwright.projects.design.cost import (
    estimate_cost,
    project_cost_assumptions,
    with_prices,
    with_project_prices,
)
from cellwright.projects.design.reference_designs import (
    kokam_slpb_75106100,
    lg_m50,
    reference_snapshot,
)
from cellwright.projects.model import (
    Busbar,
    CoolingPlate,
    CostAssumptions,
    ModuleArrangement,
    PackDesign,
    PriceOverride,
    ThermalInterface,
)
from cellwright.projects.store import Project


def _module(library):
    cell = lg_m50()
    pack = PackDesign(
        id="m", name="4s2p", cell=cell.id, series=4, parallel=2,
        arrangement=ModuleArrangement(rows=2, columns=4, gap=2e-3),
        busbar=Busbar(width=8e-3, thickness=1e-3, length_per_connection=25e-3),
        cooling_plate=CoolingPlate(channel_count=3, channel_width=6e-3),
        thermal_interface=ThermalInterface(),
    )  # fmt: skip
    snapshot = library.snapshot_for(cell, pack)
    materials = {**reference_snapshot(cell, library).materials, **snapshot.materials}
    return pack, snapshot.model_copy(update={"materials": materials})


@pytest.mark.parametrize("make", [lg_m50, kokam_slpb_75106100])
def test_cell_breakdown_sums_to_its_total(make) -> None:
    design = make()
    estimate = estimate_cost(design, reference_snapshot(design))
    cell = estimate.cell
    assert cell.total == pytest.approx(sum(line.cost for line in cell.lines), rel=1e-12)
    assert sum(cell.by_group().values()) == pytest.approx(cell.total, rel=1e-12)
    assert cell.per_kwh == pytest.approx(cell.total / (cell.energy / 1e3))
    assert estimate.pack is None and estimate.headline is cell


def test_a_material_line_is_mass_over_yield_times_price_with_overhead() -> None:
    from cellwright.projects.design.cell_figures import cell_figures

    design = kokam_slpb_75106100()
    snapshot = reference_snapshot(design)
    a = CostAssumptions()
    line = next(x for x in estimate_cost(design, snapshot, a).cell.lines if x.name == "separator")
    mass = cell_figures(design, snapshot.materials).mass["separator"]
    price = snapshot.materials[design.separator].value("price")
    assert line.cost == pytest.approx(mass / a.separator_yield * price * (1 + a.overhead))


def test_pack_breakdown_sums_and_holds_the_cells(library) -> None:
    pack, snapshot = _module(library)
    estimate = estimate_cost(pack, snapshot)
    lines = {line.name: line.cost for line in estimate.pack.lines}
    assert estimate.pack.total == pytest.approx(math.fsum(lines.values()), rel=1e-12)
    assert lines["cells"] == pytest.approx(8 * estimate.cell.total)
    groups = estimate.pack.by_group()
    assert set(groups) == {"cells", "structure and thermal", "BMS", "assembly"}
    assert sum(groups.values()) == pytest.approx(estimate.pack.total)


def test_unpriced_materials_are_named_never_silently_zero(library) -> None:
    pack, snapshot = _module(library)
    estimate = estimate_cost(pack, snapshot)
    # no citable price for these (resources/library/README.md)
    for material in ("aluminium-6061", "gap-pad", "water-glycol-50", "separator-ceramic-pe"):
        assert material in estimate.unpriced
    zero = [x for x in estimate.pack.lines + estimate.cell.lines if x.cost == 0]
    assert zero and all(x.note.startswith("no price for ") for x in zero)


def test_a_price_override_changes_the_cost_and_is_marked(library) -> None:
    pack, snapshot = _module(library)
    before = estimate_cost(pack, snapshot)
    a = CostAssumptions(prices={"aluminium-6061": PriceOverride(value=2.805, source="test")})
    after = estimate_cost(pack, snapshot, a)
    assert "aluminium-6061" not in after.unpriced
    assert after.pack.total > before.pack.total
    plate = next(x for x in after.pack.lines if x.name == "cooling plate")
    assert plate.cost > 0 and "2.805 USD/kg" in plate.note
    row = next(r for r in after.prices if r.material == "aluminium-6061")
    assert row.overridden and row.source == "test"
    twice = PriceOverride(value=52, source="twice BatPaC")
    doubled = a.model_copy(update={"prices": {"nmc811": twice}})
    assert estimate_cost(pack, snapshot, doubled).cell.total > before.cell.total


def test_sensitivity_names_the_five_prices_that_move_the_total_most() -> None:
    design = kokam_slpb_75106100()
    estimate = estimate_cost(design, reference_snapshot(design))
    rows = estimate.sensitivity
    assert len(rows) == 5 and rows[0].material == "nmc111"
    swings = [abs(r.swing) for r in rows]
    assert swings == sorted(swings, reverse=True)
    # linear in price: the swing is 2 x step x the material's share of the total
    line = next(x for x in estimate.cell.lines if x.name == "positive active material")
    assert rows[0].swing == pytest.approx(2 * 0.2 * line.cost)
    assert rows[0].low < estimate.cell.total < rows[0].high


def test_assumptions_are_stored_in_the_project(tmp_path) -> None:
    with Project.create(tmp_path / "p.cwproj") as project:
        assert project_cost_assumptions(project) == CostAssumptions()
        quote = PriceOverride(value=30, source="a quote")
        changed = CostAssumptions(formation=9.0, prices={"lco": quote})
        project.put(changed)
    with Project.open(tmp_path / "p.cwproj", readonly=True) as project:
        assert project_cost_assumptions(project) == changed


def test_an_override_of_a_material_the_design_lacks_is_ignored() -> None:
    design = lg_m50()
    snapshot = reference_snapshot(design)
    a = CostAssumptions(prices={"lco": PriceOverride(value=30, source="a quote")})
    assert with_prices(snapshot, a).materials == snapshot.materials


def test_a_pack_of_a_library_cell_prices_its_cells_on_the_entered_design(library) -> None:
    """A pack of library cell lg-m50 reads the datasheet, which holds no cost: its 286 cells
    were 0 USD in `cost show` (465 of 861 USD missing) and a silent 0 in the pack's figures.
    Where the library holds the cell's entered design, that design prices the cell as it does
    the project's entered M50; a cell without one stays named as unpriced."""
    from cellwright.projects.design.pack_calculator import pack_design_figures
    from cellwright.projects.design.report import cell_summary_for

    entered = estimate_cost(lg_m50(), reference_snapshot(lg_m50(), library))
    for cell_id, priced in (("lg-m50", True), ("molicel-p42a", False)):
        pack = PackDesign(id="p", name="13s22p", cell=cell_id, series=13, parallel=22)
        snapshot = library.snapshot_for(library.design_for_cell(cell_id), pack)
        estimate = estimate_cost(pack, snapshot)
        cells = next(x for x in estimate.pack.lines if x.name == "cells")
        if priced:
            assert estimate.cell.total == pytest.approx(entered.cell.total, rel=1e-12)
            assert cells.cost == pytest.approx(286 * entered.cell.total)
            assert any("priced on the library's entered design" in n for n in estimate.notes)
            assert not any(u.startswith("cell ") for u in estimate.unpriced)
            assert estimate.sensitivity and estimate.sensitivity[0].material == "nmc811"
        else:
            assert cells.cost == 0 and estimate.unpriced[0].startswith("cell Molicel")
        # the pack's own figures (the builder, `design show`) count the cells' materials as the
        # entered design has them (they were 0, with a warning, while the breakdown priced them)
        priced_snapshot = with_project_prices(snapshot)
        summary, _ = cell_summary_for(priced_snapshot)
        figures = pack_design_figures(pack, summary, priced_snapshot.materials)
        unpriced_cell = any(w.startswith("no price for cell ") for w in figures.warnings)
        if priced:
            materials = cell_figures(lg_m50(), reference_snapshot(lg_m50(), library).materials)
            assert figures.cost["cells"] == pytest.approx(286 * materials.total_cost, rel=1e-12)
            assert materials.total_cost > 1.0 and not unpriced_cell
        else:
            assert figures.cost["cells"] == 0 and unpriced_cell


def test_a_price_override_reaches_a_library_cells_cost_in_the_packs_figures(library) -> None:
    from cellwright.projects.design.pack_calculator import pack_design_figures
    from cellwright.projects.design.report import cell_summary_for

    pack = PackDesign(id="p", name="13s22p", cell="lg-m50", series=13, parallel=22)
    snapshot = library.snapshot_for(library.design_for_cell("lg-m50"), pack)

    def cells(assumptions):
        priced = with_prices(with_project_prices(snapshot), assumptions)
        summary, _ = cell_summary_for(priced)
        return pack_design_figures(pack, summary, priced.materials).cost["cells"]

    base = cells(CostAssumptions())
    dearer = CostAssumptions(prices={"nmc811": PriceOverride(value=100.0, source="a quote")})
    assert cells(dearer) > base * 1.5
