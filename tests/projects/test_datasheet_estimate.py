"""A library cell with only its datasheet: the design estimated for the engines that need a
housing and layers (projects/design/datasheet_estimate.py)."""

from __future__ import annotations

import pytest

from cellwright.projects.design.cell_figures import cell_figures
from cellwright.projects.design.datasheet_estimate import (
    estimate_from_datasheet,
    estimate_message,
)
from cellwright.projects.design.part_defaults import default_part
from cellwright.projects.design.reference_designs import (
    reference_design_for,
    with_reference_geometry,
)
from cellwright.projects.design.templates import new_cell_from_template
from cellwright.projects.library import Library
from cellwright.projects.model import InputError

DATASHEET_ONLY = [
    "panasonic-ncr18650b",
    "samsung-inr21700-50e",
    "molicel-p42a",
    "sony-vtc6",
    "a123-anr26650m1b",
    "eve-lf280k",
    "enertech-spb58253172p2",
    "lg-e63",
    "tesla-4680",
]


@pytest.fixture(scope="module")
def lib() -> Library:
    return Library.load_builtin()


def _figures(design, lib, ref):
    return cell_figures(design, lib.snapshot_for(design).materials, ref)


def test_every_datasheet_only_library_cell_is_covered(lib) -> None:
    without = sorted(c.id for c in lib.cells() if reference_design_for(c.id) is None)
    assert without == sorted(DATASHEET_ONLY)


@pytest.mark.parametrize("cell_id", DATASHEET_ONLY)
def test_the_estimate_has_the_datasheet_housing_chemistry_and_balance(lib, cell_id) -> None:
    ref = lib.cell(cell_id)
    est = estimate_from_datasheet(ref, lib)
    design, g = est.design, est.design.geometry
    if g.kind == "cylindrical":
        assert (g.diameter, g.height) == (ref.diameter, ref.height)
    else:
        assert (g.length, g.width, g.thickness) == (ref.length, ref.width, ref.thickness)
    assert str(design.format) == str(ref.format)
    assert design.reference_cell == cell_id
    assert "estimated from its datasheet" in design.name
    assert "Not the cell's own design" in design.notes
    chem = {m.id: m.chemistry.lower() for m in lib.materials()}
    if ref.cathode.lower() in chem.values():  # "NMC" names a family, no one material
        assert chem[design.positive.active_material] == ref.cathode.lower()
    assert chem[design.negative.active_material] == ref.anode.lower()
    # the N/P ratio of the template stack, whatever the materials and the scale
    template = new_cell_from_template(est.template)
    expected = _figures(template, lib, None).np_ratio
    assert _figures(design, lib, ref).np_ratio == pytest.approx(expected, rel=1e-9)
    assert 0.4 <= est.scale <= 2.5
    figures = _figures(design, lib, ref)
    assert figures.capacity == pytest.approx(est.capacity, rel=1e-12)
    assert sum(figures.mass.values()) == pytest.approx(est.mass, rel=1e-12)


@pytest.mark.parametrize(
    "cell_id", ["panasonic-ncr18650b", "samsung-inr21700-50e", "sony-vtc6", "lg-e63"]
)
def test_where_the_housing_allows_the_capacity_is_the_datasheets(lib, cell_id) -> None:
    ref = lib.cell(cell_id)
    est = estimate_from_datasheet(ref, lib)
    assert 0.4 < est.scale < 2.5
    # a pouch's capacity steps with its layer count: within one layer's share
    tolerance = 0.05 if str(ref.format) == "pouch" else 0.005
    assert est.capacity == pytest.approx(ref.nominal_capacity, rel=tolerance)
    # and the mass the datasheet states comes out near, though nothing was fitted to it
    assert est.mass == pytest.approx(ref.mass, rel=0.06)


def test_a_capacity_out_of_reach_is_the_nearest_and_said(lib) -> None:
    ref = lib.cell("a123-anr26650m1b")  # a power cell: thin LFP coatings in a 26650 can
    est = estimate_from_datasheet(ref, lib)
    assert est.scale == pytest.approx(0.4)
    assert est.capacity > ref.nominal_capacity
    message = estimate_message(est, "the thermal engine needs")
    assert f"{est.capacity:.3g} A.h against the datasheet's 2.5 A.h" in message
    assert "enter the cell's design" in message


def test_a_large_can_takes_the_4680_walls_also_in_the_builders_default(lib) -> None:
    ref = lib.cell("tesla-4680")
    est = estimate_from_datasheet(ref, lib)
    assert est.template == "4680"
    large = new_cell_from_template("4680").geometry
    assert est.design.geometry.can_wall_thickness == large.can_wall_thickness == 0.5e-3
    snap = lib.snapshot_for(lib.design_for_cell("tesla-4680"))
    builder = default_part(snap.cell, "geometry", snap)
    assert builder.can_wall_thickness == 0.5e-3
    assert builder.diameter == ref.diameter
    small = lib.snapshot_for(lib.design_for_cell("panasonic-ncr18650b"))
    assert default_part(small.cell, "geometry", small).can_wall_thickness == 0.25e-3


def test_engines_get_the_estimate_with_a_warning_and_entered_designs_stay(lib) -> None:
    snap = lib.snapshot_for(lib.design_for_cell("lg-e63"))
    warnings: list[str] = []
    out = with_reference_geometry(snap, "the thermal engine needs", warnings)
    assert out.cell.geometry is not None and out.cell.positive.active_material == "nmc622"
    assert {"nmc622", "pouch-laminate"} <= set(out.materials)
    assert len(warnings) == 1 and "estimated from the datasheet" in warnings[0]
    m50 = lib.snapshot_for(lib.design_for_cell("lg-m50"))
    warnings = []
    assert with_reference_geometry(m50, "x needs", warnings).cell.id == "lg-m50-chen2020"
    assert warnings == []


def test_a_design_without_geometry_or_library_cell_is_refused(lib) -> None:
    snap = lib.snapshot_for(lib.design_for_cell("lg-e63"))
    bare = snap.model_copy(
        update={"cell": snap.cell.model_copy(update={"reference_cell": None}),
                "reference_cell": None}
    )  # fmt: skip
    with pytest.raises(InputError, match="names no library cell"):
        with_reference_geometry(bare, "the thermal engine needs")


def test_a_housing_without_electrodes_is_not_replaced_by_an_estimate(lib) -> None:
    snap = lib.snapshot_for(lib.design_for_cell("lg-e63"))
    est = estimate_from_datasheet(snap.reference_cell, lib)
    housed = snap.model_copy(
        update={"cell": snap.cell.model_copy(update={"geometry": est.design.geometry})}
    )
    with pytest.raises(InputError, match=r"positive: the crush needs the electrodes of"):
        with_reference_geometry(housed, "the crush needs")


@pytest.mark.parametrize(
    ("cell_id", "parameter_set"),
    [
        ("panasonic-ncr18650b", "Chen2020"),  # no NCA cell with a set: the template's base
        ("eve-lf280k", "Prada2013"),  # the library's LFP cell (A123) has one
        ("enertech-spb58253172p2", "Ai2020"),  # its own
    ],
)
def test_the_chemistry_changes_as_in_the_builder(lib, cell_id, parameter_set) -> None:
    # a design started from the estimate runs the electrochemical engines too: it needs a
    # PyBaMM set to derive its parameters from (None refused "the design has no PyBaMM
    # parameter set"), and the new material's particle size, not the template's
    est = estimate_from_datasheet(lib.cell(cell_id), lib)
    assert est.design.pybamm_parameter_set == parameter_set
    positive = lib.material(est.design.positive.active_material)
    assert est.design.positive.particle_radius == positive.value("particle_radius")
    assert est.design.positive.stoichiometry_min is None  # the template's window went with it


def test_the_estimate_of_the_lg_m50_is_near_its_entered_design(lib) -> None:
    # the one cylindrical cell with both: the datasheet estimate against Chen et al.'s design
    ref = lib.cell("lg-m50")
    est = estimate_from_datasheet(ref, lib)
    assert est.capacity == pytest.approx(5.0, rel=0.005)
    assert est.mass == pytest.approx(ref.mass, rel=0.01)  # 69.4 g against the datasheet's 69.25
