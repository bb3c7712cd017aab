"""The pack calculator: electrical sums, busbars, layout, breakdowns, BOM and refusals."""

from __future__ import annotations

import itertools

import pytest
from pydantic import ValidationError

from cellwright.projects.design import CellSummary, design_report, pack_design_figures
from cellwright.projects.design.materials import pack_material_ids
from cellwright.projects.model import (
    Busbar,
    CoolingPlate,
    DesignSnapshot,
    Enclosure,
    InputError,
    ModuleArrangement,
    PackDesign,
    PropertyValue,
    ThermalInterface,
)


def _pack(**kw) -> PackDesign:
    fields = dict(
        name="96s4p",
        cell="lg-m50",
        series=96,
        parallel=4,
        arrangement=ModuleArrangement(rows=4, columns=12, gap=2e-3, module_rows=2),
        busbar=Busbar(width=10e-3, thickness=1e-3, length_per_connection=30e-3),
        cooling_plate=CoolingPlate(channel_count=8),
        thermal_interface=ThermalInterface(),
        enclosure=Enclosure(length=1.2, width=0.3, height=0.1),
    )
    fields.update(kw)
    return PackDesign(**fields)


def _materials(library, pack, price=None):
    mats = {m: library.material(m) for m in pack_material_ids(pack)}
    if price is not None:
        for key, m in mats.items():
            props = dict(m.properties)
            props["price"] = PropertyValue(value=price, unit="USD/kg", source="test price")
            mats[key] = m.model_copy(update={"properties": props})
    return mats


def test_series_voltages_and_parallel_capacities_add(library) -> None:
    cell = CellSummary.from_reference(library.cell("lg-m50"), cost=3.0)
    pack = _pack()
    f = pack_design_figures(pack, cell, _materials(library, pack))
    assert (f.nominal_voltage, f.min_voltage, f.max_voltage) == pytest.approx(
        (96 * 3.63, 96 * 2.5, 96 * 4.2)
    )
    assert f.capacity == pytest.approx(20.0)
    assert f.energy == pytest.approx(384 * 5.0 * 3.63)
    assert f.modules == 8
    assert f.mass["cells"] == pytest.approx(384 * 0.06925)
    assert f.cost["cells"] == pytest.approx(384 * 3.0)


def test_busbar_resistance_is_rho_l_over_a(library) -> None:
    cell = CellSummary.from_reference(library.cell("lg-m50"))
    pack = _pack()
    f = pack_design_figures(pack, cell, _materials(library, pack), current=100.0)
    # copper 5.8e7 S/m (IACS), 30 mm of 10 mm x 1 mm: 51.7 µΩ
    assert f.busbar_resistance == pytest.approx(30e-3 / (5.8e7 * 10e-6))
    assert f.series_busbar_resistance == pytest.approx(95 * f.busbar_resistance)
    assert f.busbar_loss() == pytest.approx(100.0**2 * 95 * 30e-3 / (5.8e7 * 1e-5))
    assert f.busbar_loss(50.0) == pytest.approx(f.busbar_loss() / 4)
    assert f.mass["busbars"] == pytest.approx(95 * 30e-3 * 1e-5 * 8933)


def test_thin_busbars_are_warned_about(library) -> None:
    cell = CellSummary.from_reference(library.cell("lg-m50"))
    pack = _pack(busbar=Busbar(width=2e-3, thickness=0.1e-3, length_per_connection=0.1))
    f = pack_design_figures(pack, cell, _materials(library, pack), current=100.0)
    assert any(w.startswith("busbars lose") for w in f.warnings)


def test_breakdowns_bom_and_fractions(library) -> None:
    cell = CellSummary.from_reference(library.cell("lg-m50"), cost=3.0)
    pack = _pack()
    f = pack_design_figures(pack, cell, _materials(library, pack, price=5.0))
    assert sum(f.mass.values()) == pytest.approx(f.total_mass)
    assert sum(line.mass for line in f.bom) == pytest.approx(f.total_mass)
    assert sum(line.cost for line in f.bom) == pytest.approx(f.total_cost)
    assert f.total_cost == pytest.approx(384 * 3.0 + 5.0 * (f.total_mass - f.mass["cells"]))
    outer = (1.2 + 4e-3) * (0.3 + 4e-3) * (0.1 + 4e-3)
    assert sum(f.volume.values()) == pytest.approx(outer)
    assert min(f.volume.values()) >= 0
    assert 0 < f.cell_to_pack_volume < f.cell_to_pack_mass < 1
    assert not f.warnings


def test_layout_cells_do_not_overlap_and_stand_on_the_interface(library) -> None:
    cell = CellSummary.from_reference(library.cell("lg-m50"))
    pack = _pack()
    layout = pack_design_figures(pack, cell, _materials(library, pack)).layout
    assert len(layout.cells) == 384 and len(layout.busbars) == 95
    z = layout.interface.z0 + layout.interface.dz
    assert all(c[2] == pytest.approx(z) for c in layout.cells)
    d = layout.cell.size[0]
    for a, b in itertools.combinations(layout.cells[:96], 2):
        assert max(abs(a[0] - b[0]), abs(a[1] - b[1])) >= d + 2e-3 - 1e-12
    plate = layout.plate
    for ch in layout.channels:
        assert ch.x0 > 0 and ch.x0 + ch.dx < plate.dx and ch.y0 > 0 and ch.y0 + ch.dy < plate.dy
        assert ch.z0 > 0 and ch.z0 + ch.dz < plate.dz


def test_refusals_name_the_field(library) -> None:
    cell = CellSummary.from_reference(library.cell("lg-m50"))
    small = _pack(enclosure=Enclosure(length=0.5, width=0.3, height=0.1))
    with pytest.raises(InputError, match=r"^96s4p: enclosure\.length: .* need 1140\.8 mm"):
        pack_design_figures(small, cell, _materials(library, small))
    crowded = _pack(cooling_plate=CoolingPlate(channel_count=40, channel_width=10e-3))
    with pytest.raises(InputError, match=r"cooling_plate\.channel_count"):
        pack_design_figures(crowded, cell, _materials(library, crowded))
    with pytest.raises(ValidationError, match="do not fill whole modules of 5 x 12"):
        _pack(arrangement=ModuleArrangement(rows=5, columns=12))
    with pytest.raises(ValidationError, match="channel_height"):
        CoolingPlate(thickness=3e-3, channel_height=3e-3)
    mats = _materials(library, _pack())
    del mats["copper-busbar"]
    with pytest.raises(InputError, match=r"busbar\.material: material 'copper-busbar'"):
        pack_design_figures(_pack(), cell, mats)


def test_parallel_and_serpentine_channels_and_flat_cells(library) -> None:
    cell = CellSummary.from_reference(library.cell("kokam-slpb-75106100"))
    pack = _pack(
        series=12, parallel=2,
        arrangement=ModuleArrangement(rows=1, columns=24, gap=1e-3),
        cooling_plate=CoolingPlate(channel_layout="parallel", channel_count=5), enclosure=None,
    )  # fmt: skip
    f = pack_design_figures(pack, cell, _materials(library, pack))
    assert f.layout.cell.size == pytest.approx((0.0075, 0.100, 0.106))  # standing on its edge
    assert len(f.layout.channels) == 5 + 2  # channels and two manifolds
    serp = pack.model_copy(update={"cooling_plate": CoolingPlate(channel_count=5)})
    assert len(pack_design_figures(serp, cell, _materials(library, serp)).layout.channels) == 9
    assert f.volume["coolant"] > 0 and sum(f.volume.values()) == pytest.approx(
        f.layout.bounding.volume
    )


def test_pack_report(library) -> None:
    pack = _pack()
    design = library.design_for_cell("lg-m50")
    snap = DesignSnapshot(
        cell=design, pack=pack, reference_cell=library.cell("lg-m50"),
        materials=_materials(library, pack),
    )  # fmt: skip
    report = design_report(pack, snap)
    assert report["Nominal voltage"] == (pytest.approx(348.48), "V")
    assert report["Energy"] == (pytest.approx(6.9696), "kW.h")
    assert report["Busbar resistance per connection"][1] == "uohm"
    assert report["Cells"] == (384.0, "1")
