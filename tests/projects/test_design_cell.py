"""The cell calculator: winding geometry, capacity routes, breakdown sums, refusals, warnings."""

from __future__ import annotations

import math

import pytest
from scipy.integrate import quad

from cellwright.projects.design import cell_figures, design_report
from cellwright.projects.design.electrode import FARADAY
from cellwright.projects.design.reference_designs import (
    kokam_slpb_75106100,
    lg_m50,
    reference_snapshot,
)
from cellwright.projects.design.winding import (
    flat_roll_length,
    flat_roll_turns,
    spiral_length,
    spiral_outer_radius,
)
from cellwright.projects.model import InputError, PrismaticGeometry, PropertyValue


@pytest.fixture(scope="module")
def m50():
    design = lg_m50()
    return design, reference_snapshot(design)


@pytest.fixture(scope="module")
def kokam():
    design = kokam_slpb_75106100()
    return design, reference_snapshot(design)


def _priced(materials, usd_per_kg=10.0):
    out = {}
    for key, m in materials.items():
        props = dict(m.properties)
        props["price"] = PropertyValue(value=usd_per_kg, unit="USD/kg", source="test price")
        out[key] = m.model_copy(update={"properties": props})
    return out


def test_spiral_length_matches_numerical_arc_length_and_area_balance() -> None:
    r_in, r_out, t = 1.5e-3, 9.8e-3, 373.6e-6
    a = t / (2 * math.pi)
    # arc length of r = a θ: ∫ sqrt(r² + (dr/dθ)²) dθ
    numeric, _ = quad(lambda th: math.hypot(a * th, a), r_in / a, r_out / a, limit=500)
    assert spiral_length(r_in, r_out, t) == pytest.approx(numeric, rel=1e-9)
    assert spiral_length(r_in, r_out, t) == pytest.approx(
        math.pi * (r_out**2 - r_in**2) / t, rel=2e-3
    )
    length = spiral_length(r_in, r_out, t)
    assert spiral_outer_radius(r_in, length, t) == pytest.approx(r_out, rel=1e-9)


def test_flat_roll_length_is_the_sum_of_its_turns() -> None:
    straight, core, t = 0.1, 1e-3, 300e-6
    turns = flat_roll_turns(core + 2 * 40 * t, core, t)
    assert turns == pytest.approx(40)
    by_turn = sum(2 * straight + math.pi * (core + (2 * k + 1) * t) for k in range(40))
    assert flat_roll_length(straight, core, t, turns) == pytest.approx(by_turn, rel=1e-12)


def test_capacity_from_stoichiometry_window_by_hand(m50) -> None:
    design, snap = m50
    f = cell_figures(design, snap.materials, snap.reference_cell)
    pos = design.positive
    area = 2 * 0.79 * 0.065  # double-sided, wound length × coated height
    expected = (
        FARADAY * 63104 * 0.665 * pos.coating_thickness * area
        * (pos.stoichiometry_max - pos.stoichiometry_min) / 3600
    )  # fmt: skip
    assert f.layout.positive_area == pytest.approx(area)
    assert f.capacity == pytest.approx(expected, rel=1e-3)  # the negative's window is a hair less
    assert f.energy == pytest.approx(f.capacity * 3.63)
    assert f.areal_capacity == pytest.approx(f.capacity / area)


def test_capacity_from_specific_capacity_and_rule_of_mixtures(m50) -> None:
    design, _ = m50
    pos = design.positive.model_copy(
        update=dict(
            active_fraction=0.94, binder="pvdf", binder_fraction=0.03,
            conductive_additive="carbon-black", additive_fraction=0.03,
            active_volume_fraction=None, stoichiometry_min=None, stoichiometry_max=None,
            utilisation=0.95,
        )
    )  # fmt: skip
    neg = design.negative.model_copy(update=dict(stoichiometry_min=None, stoichiometry_max=None))
    cell = design.model_copy(update={"positive": pos, "negative": neg})
    mats = reference_snapshot(cell).materials
    f = cell_figures(cell, mats)
    v = 0.94 / 4780 + 0.03 / 1780 + 0.03 / 1800  # specific volumes of NMC811, PVDF, carbon black
    phi = (1 - 0.335) * (0.94 / 4780) / v
    assert f.positive.active_volume_fraction == pytest.approx(phi)
    active_mass = phi * 4780 * 75.6e-6 * f.layout.positive_area
    assert f.mass["positive active material"] == pytest.approx(active_mass)
    assert f.positive.method == "specific capacity"
    # NMC811 203 mAh/g × 0.95 against graphite-SiOx 484 mAh/g: the positive limits
    assert f.capacity == pytest.approx(active_mass * 203 * 0.95)
    assert f.mass["positive binder"] / f.mass["positive conductive additive"] == pytest.approx(1)


@pytest.mark.parametrize("which", ["m50", "kokam"])
def test_breakdowns_sum_to_their_totals(which, request) -> None:
    design, snap = request.getfixturevalue(which)
    f = cell_figures(design, _priced(snap.materials), snap.reference_cell)
    g = design.geometry
    envelope = (
        math.pi * g.diameter**2 / 4 * g.height
        if g.kind == "cylindrical"
        else g.length * g.width * g.thickness
    )
    assert sum(f.volume.values()) == pytest.approx(envelope, rel=1e-12)
    assert f.total_volume == pytest.approx(envelope)
    assert min(f.volume.values()) >= 0
    assert f.total_mass == pytest.approx(sum(f.mass.values()))
    assert f.total_cost == pytest.approx(10.0 * f.total_mass)  # every material at 10 USD/kg
    assert sum(f.cost.values()) == pytest.approx(f.total_cost)
    assert f.cost_per_kwh == pytest.approx(f.total_cost / f.energy * 1e3)
    assert f.gravimetric_energy_density == pytest.approx(f.energy / f.total_mass)
    assert not [w for w in f.warnings if "price" in w]


def test_unpriced_materials_are_named(m50) -> None:
    design, snap = m50
    f = cell_figures(design, snap.materials, snap.reference_cell)
    # the can's steel and the ceramic separator have no citable price (library README)
    assert 0 < f.total_cost == pytest.approx(sum(f.cost.values()))
    assert f.cost["can"] == 0 and f.cost["separator"] == 0
    warning = next(w for w in f.warnings if w.startswith("no price for"))
    assert "nickel-plated-steel" in warning and "separator-ceramic-pe" in warning
    assert "nmc811" not in warning


def test_np_ratio_and_plating_warning(m50) -> None:
    design, snap = m50
    f = cell_figures(design, snap.materials, snap.reference_cell)
    # full negative lithiation range over the positive's usable window
    assert f.np_ratio == pytest.approx(
        (33133 * 0.75 * 85.2e-6) / (63104 * 0.665 * 75.6e-6 * (0.853975 - 0.263845)), rel=1e-4
    )
    thin = design.negative.model_copy(update={"coating_thickness": 70e-6})
    f = cell_figures(design.model_copy(update={"negative": thin}), snap.materials)
    assert f.np_ratio < 1.05
    assert any("N/P ratio" in w and "plate" in w for w in f.warnings)
    assert any("negative limits the capacity" in w for w in f.warnings)


def test_porosity_and_thickness_warnings(m50) -> None:
    design, snap = m50
    pos = design.positive.model_copy(
        update={"porosity": 0.6, "active_volume_fraction": 0.4, "coating_thickness": 150e-6}
    )
    filled = design.geometry.model_copy(update={"jelly_roll_length": None})
    cell = design.model_copy(update={"positive": pos, "geometry": filled})
    warnings = cell_figures(cell, snap.materials).warnings
    assert any(w.startswith("positive.porosity 0.60") for w in warnings)
    assert any(w.startswith("positive.coating_thickness 150 um") for w in warnings)


def _refused(design, materials, *fields):
    with pytest.raises(InputError) as info:
        cell_figures(design, materials)
    for field in fields:
        assert field in str(info.value)
    assert str(info.value).startswith(design.name)
    return str(info.value)


def test_impossible_cylindrical_geometry_is_refused(m50) -> None:
    design, snap = m50
    g = design.geometry

    def with_(**kw):
        return design.model_copy(update={"geometry": g.model_copy(update=kw)})

    msg = _refused(with_(jelly_roll_length=1.58), snap.materials, "geometry.jelly_roll_length")
    assert "longer than the can holds" in msg
    _refused(with_(headspace=3e-3), snap.materials, "geometry.headspace")
    _refused(with_(mandrel_diameter=19.5e-3), snap.materials, "geometry.mandrel_diameter")
    _refused(with_(can_wall_thickness=11e-3), snap.materials, "geometry.can_wall_thickness")


def test_impossible_pouch_geometry_is_refused(kokam) -> None:
    design, snap = kokam
    g = design.geometry

    def with_(**kw):
        return design.model_copy(update={"geometry": g.model_copy(update=kw)})

    msg = _refused(with_(cathode_layers=23), snap.materials, "geometry.cathode_layers")
    assert "7.49 mm stack" in msg
    _refused(with_(electrode_width=0.103), snap.materials, "geometry.electrode_width")
    _refused(with_(electrode_length=0.099), snap.materials, "geometry.electrode_length")


def test_missing_and_unknown_materials_name_the_field(m50) -> None:
    design, snap = m50
    mats = dict(snap.materials)
    del mats["lp57"]
    _refused(design, mats, "electrolyte", "'lp57'")
    _refused(design.model_copy(update={"separator": None}), snap.materials, "separator: no")
    mats = dict(snap.materials)
    del mats["nickel-plated-steel"]
    _refused(design, mats, "geometry.can_material")
    _refused(design.model_copy(update={"geometry": None}), snap.materials, "geometry: not set")


@pytest.mark.parametrize("construction", ["wound", "stacked"])
def test_prismatic_cells(m50, construction) -> None:
    design, _ = m50
    geometry = PrismaticGeometry(
        length=0.148, width=0.091, thickness=0.0265, construction=construction,
        jelly_rolls=2, cathode_layers=60 if construction == "stacked" else None,
    )  # fmt: skip
    cell = design.model_copy(update={"format": "prismatic", "geometry": geometry})
    snap = reference_snapshot(cell)
    f = cell_figures(cell, snap.materials, snap.reference_cell)
    assert f.total_volume == pytest.approx(0.148 * 0.091 * 0.0265)
    assert f.mass["can"] > 0 and f.mass["lid assembly"] == pytest.approx(20e-3)
    # a ~50 Ah class cell of this NMC811 stack; energy density between 18650 and pouch cells
    assert 30 < f.capacity < 80
    assert 150 < f.gravimetric_energy_density < 350
    if construction == "stacked":
        more = geometry.model_copy(update={"cathode_layers": 80})
        too_many = cell.model_copy(update={"geometry": more})
        _refused(too_many, snap.materials, "geometry.cathode_layers")


def test_design_report_names_units(m50) -> None:
    design, snap = m50
    report = design_report(design, snap)
    assert report["Capacity"][1] == "A.h"
    mass = cell_figures(design, snap.materials).total_mass
    assert report["Mass"] == (pytest.approx(mass * 1e3), "g")
    assert report["Jelly roll length"] == (pytest.approx(790.0), "mm")
    assert report["Minimum voltage"] == (2.5, "V")
    masses = [v for k, (v, u) in report.items() if k.startswith("Mass: ")]
    assert sum(masses) == pytest.approx(report["Mass"][0])
    library_only = snap.model_copy(update={"cell": design.model_copy(update={"geometry": None})})
    short = design_report(library_only.cell, library_only)
    assert short["Capacity"] == (5.0, "A.h") and short["Mass"] == (pytest.approx(69.25), "g")


@pytest.mark.parametrize("length", [0.0, 1e-30, 1e-12, 1e-3])
def test_a_roll_shorter_than_a_turn_still_has_an_outer_radius(length) -> None:
    # the bisection met the float spacing of the mandrel radius and asked spiral_length for a
    # spiral from r to r, which raised ValueError: a slot of the window's builder crashed
    r_in, t = 1.5e-3, 373.6e-6
    r_out = spiral_outer_radius(r_in, length, t)
    assert r_in <= r_out < r_in + t
    if r_out > r_in:
        assert spiral_length(r_in, r_out, t) == pytest.approx(length, rel=1e-6)


def test_an_entered_short_roll_is_warned_of_by_its_field() -> None:
    design = lg_m50()
    design = design.model_copy(
        update={"geometry": design.geometry.model_copy(update={"jelly_roll_length": 1e-30})}
    )
    figures = cell_figures(design, reference_snapshot(design).materials)
    assert figures.capacity == pytest.approx(0.0, abs=1e-20)
    [turns] = [w for w in figures.warnings if "turns" in w]
    assert turns.startswith("geometry.jelly_roll_length 1e-27 mm winds only 0.0 turns")
    assert "too thick" not in turns


def test_a_porosity_edit_keeps_the_solids_make_up_in_design_files(tmp_path) -> None:
    """A designer's first edit, the positive's porosity on the 21700 template, was refused
    ("binder volume fraction of 0.035 but no binder material is named")."""
    from cellwright.projects.design.authoring import with_solid_kept
    from cellwright.projects.design.design_file import read_design_file

    design = lg_m50()
    data = design.model_dump()
    data["positive"]["porosity"] = 0.4
    kept = type(design).model_validate(with_solid_kept(design, data))
    assert kept.positive.active_volume_fraction == pytest.approx(0.6)
    assert cell_figures(kept, reference_snapshot(kept).materials).capacity > 0
    path = tmp_path / "p.toml"
    path.write_text(
        'format_version = 1\n[cell]\nname = "P"\nfrom = "template:21700"\n'
        "[cell.positive]\nporosity = 0.3\n"
    )
    cell = read_design_file(path).cell
    assert cell.positive.porosity == 0.3
    assert cell.positive.active_volume_fraction == pytest.approx(0.7)


def test_a_stated_volume_fraction_that_overrides_the_mass_fractions_is_said(kokam) -> None:
    """The pouch stack states 94 % active by mass and an active volume fraction that leaves
    30 % of the coating to binder and additive: the masses followed the volume fraction (6.1 g
    of a "3 %" binder beside 24 g of graphite) with no word. (The library's Kokam itself is
    left alone: its fractions are its parameter set's, its mass checked against its datasheet.)
    """
    design, snap = kokam
    assert not [w for w in cell_figures(design, snap.materials, snap.reference_cell).warnings
                if "active_volume_fraction" in w]  # fmt: skip
    design = design.model_copy(update={"reference_cell": None})  # a design of the user's
    f = cell_figures(design, snap.materials)
    neg = f.negative
    shown = neg.active_mass / (neg.active_mass + neg.inactive_mass)
    assert abs(shown - design.negative.active_fraction) > 0.05
    [note] = [w for w in f.warnings if w.startswith("negative.active_volume_fraction")]
    assert f"the masses are {shown:.0%} active, not the 94%" in note
    # the same solid without a stated volume fraction follows the recipe, and says nothing
    recipe = design.negative.model_copy(update={"active_volume_fraction": None})
    f = cell_figures(design.model_copy(update={"negative": recipe}), snap.materials)
    neg = f.negative
    assert neg.active_mass / (neg.active_mass + neg.inactive_mass) == pytest.approx(0.94)
    assert not [w for w in f.warnings if w.startswith("negative.active_volume_fraction")]
