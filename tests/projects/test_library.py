"""The materials and cell library: coverage, sources, units, queries, overrides, bad seeds."""

from __future__ import annotations

import shutil

import pytest

from cellwright.projects.library import (
    Library,
    LibraryError,
    attach_parameter_set,
    pybamm_parameter_sets,
)
from cellwright.projects.model import CellDesign, Electrode, InputError, Material
from cellwright.projects.model.properties import PROPERTIES
from cellwright.resources import ROOT


def test_coverage_of_classes_and_chemistries(library) -> None:
    assert len(library.materials()) >= 40 and len(library.cells()) >= 10
    chem = {m.chemistry for m in library.materials(material_class="cathode_active")}
    assert {"LCO", "LMO", "LFP", "LMFP", "NCA", "NMC111", "NMC532", "NMC622", "NMC811"} <= chem
    anodes = {m.chemistry for m in library.materials(material_class="anode_active")}
    assert {"graphite", "Si-graphite", "LTO", "hard carbon"} <= anodes
    for cls in (
        "electrolyte",
        "separator",
        "current_collector",
        "binder",
        "conductive_additive",
        "casing",
        "coolant",
        "thermal_interface",
        "structural",
    ):
        assert library.materials(material_class=cls), cls
    assert {"cylindrical", "pouch", "prismatic"} == {str(c.format) for c in library.cells()}
    sheet = library.material("graphite-sheet")  # an anisotropic entry: in-plane vs through-plane
    assert sheet.value("thermal_conductivity_in_plane") > 100 * sheet.value(
        "thermal_conductivity_through_plane"
    )


def test_every_value_has_a_source_and_is_in_range(library) -> None:
    for m in library.materials():
        for name, prop in m.properties.items():
            spec = PROPERTIES[name]
            assert prop.source.strip() and prop.unit == spec.unit
            assert spec.minimum <= prop.value <= spec.maximum
    for cell in library.cells():
        assert all(cell.sources.get(k) for k, v in cell if isinstance(v, float))


def test_every_electrode_and_separator_material_has_elastic_constants(library) -> None:
    """The mechanics engines homogenise every coating and separator layer of a jelly roll, so a
    cell built of any of them (a Panasonic 18650's NCA, an EVE LF280K's LFP) can be crushed."""
    layers = ("cathode_active", "anode_active", "separator")
    missing = [
        (m.id, name)
        for kind in layers
        for m in library.materials(material_class=kind)
        for name in ("youngs_modulus", "poisson_ratio")
        if name not in m.properties
    ]
    assert not missing


def test_seed_units_are_converted(library) -> None:
    assert library.material("lco").value("density") == pytest.approx(5050.0)  # 5.05 g/cm^3
    assert library.material("nmc811").value("specific_capacity") == pytest.approx(203.0)
    assert library.material("separator-pp").value("thickness") == pytest.approx(25e-6)
    assert library.material("aluminium-6061").value("youngs_modulus") == pytest.approx(68.9e9)


def test_filters_and_search(library) -> None:
    high = library.materials(
        material_class="cathode_active", ranges={"specific_capacity": (180, None)}
    )
    assert {m.id for m in high} == {"nca", "nmc622", "nmc811"}
    conductive = library.materials(ranges={"thermal_conductivity": (100, 300)})
    assert "aluminium-foil" in {m.id for m in conductive}
    assert "copper-foil" not in {m.id for m in conductive}  # 401 W/(m K)
    assert [m.id for m in library.materials(chemistry="lfp")] == ["lfp"]
    found = {x.id for x in library.search("21700")}
    assert {"lg-m50", "samsung-inr21700-50e", "molicel-p42a"} <= found
    assert library.cells(format="prismatic")[0].id == "eve-lf280k"
    nmc = {c.id for c in library.cells(chemistry="NMC")}
    assert {"lg-m50", "lg-e63", "tesla-4680", "kokam-slpb-75106100"} <= nmc
    assert "eve-lf280k" not in nmc


def test_unknown_ids_suggest_close_ones(library) -> None:
    with pytest.raises(InputError, match="did you mean nmc811"):
        library.material("nmc81")
    with pytest.raises(InputError, match="no library cell 'lg-m5'"):
        library.cell("lg-m5")


def test_overrides_shadow_seed_without_touching_it(library) -> None:
    before = {p.name: p.read_bytes() for p in (ROOT / "library").iterdir() if p.is_file()}
    mine = library.material("lfp").model_copy(update={"name": "LFP (our supplier)"})
    new = Material(id="my-binder", name="My binder", material_class="binder")
    over = library.with_overrides(materials=[mine, new])
    assert over.material("lfp").name == "LFP (our supplier)"
    assert over.material("my-binder") == new and over.version != library.version
    assert library.material("lfp").name != "LFP (our supplier)"
    assert {p.name: p.read_bytes() for p in (ROOT / "library").iterdir() if p.is_file()} == before


def test_snapshot_gathers_what_a_design_names(library) -> None:
    design = CellDesign(
        name="d",
        reference_cell="lg-m50",
        positive=Electrode(
            active_material="nmc811",
            binder="pvdf",
            conductive_additive="carbon-black",
            current_collector="aluminium-foil",
        ),
        separator="separator-ceramic-pe",
        electrolyte="lp57",
    )
    snap = library.snapshot_for(design)
    assert set(snap.materials) == {
        "nmc811",
        "pvdf",
        "carbon-black",
        "aluminium-foil",
        "separator-ceramic-pe",
        "lp57",
    }
    assert snap.parameter_set == "Chen2020" and snap.library_version == library.version
    assert library.design_for_cell("kokam-slpb-75106100").pybamm_parameter_set == "Ecker2015"


def test_parameter_sets_listed_without_importing_pybamm(library) -> None:
    import pybamm

    assert pybamm_parameter_sets() == sorted(pybamm.parameter_sets)
    cell = attach_parameter_set(library.cell("molicel-p42a"), "OKane2022")
    assert cell.pybamm_parameter_set == "OKane2022"
    with pytest.raises(InputError, match="unknown PyBaMM parameter set"):
        attach_parameter_set(cell, "Nope2030")


def _copy_seed(tmp_path):
    folder = tmp_path / "seed"
    shutil.copytree(ROOT / "library", folder, ignore=shutil.ignore_patterns("*.md", "__py*"))
    return folder


def test_bad_seed_names_file_line_and_field(tmp_path) -> None:
    folder = _copy_seed(tmp_path)
    props = folder / "material_properties.csv"
    lines = props.read_text().splitlines()
    assert lines[1].startswith("lco,density,5.05,g/cm^3")
    lines[1] = lines[1].replace("5.05,g/cm^3", "5.05,kg")  # line 2: a mass, not a density
    props.write_text("\n".join(lines) + "\n")
    with pytest.raises(LibraryError, match=r"material_properties.csv:2: field 'value'/'unit'"):
        Library.load(folder)
    folder = _copy_seed(tmp_path / "b")
    cells = folder / "cells.toml"
    cells.write_text(cells.read_text().replace("nominal_voltage = 3.63", "nominal_voltage = 9"))
    with pytest.raises(InputError, match=r"cells.toml:\d+ \[cells.lg-m50\]: nominal_voltage"):
        Library.load(folder)


def test_computed_nmc111_max_concentration_is_density_over_molar_mass() -> None:
    from cellwright.projects.library import Library

    nmc = Library.load_builtin().material("nmc111")
    # one Li per LiNi1/3Mn1/3Co1/3O2, M = 96.46 g/mol; within 2 % of Ecker2015's 48580
    assert nmc.value("max_concentration") == pytest.approx(nmc.value("density") / 0.09646, 1e-4)
    assert nmc.value("max_concentration") == pytest.approx(48580, rel=0.02)


@pytest.mark.parametrize(
    "name, damage, message",
    [
        ("cells.toml", lambda b: b.replace(b"LG", "L\u00e9".encode("latin-1"), 1),
         r"cells.toml: line \d+: library file: not UTF-8 text"),
        ("cells.toml", lambda b: b"cells = 5\n", r"'cells' must be a table"),
        ("cells.toml", lambda b: b"[cells]\nlg = 3\n", r"cells.lg: must be a table"),
        ("materials.csv", lambda b: b.replace(b"material_class", b"class", 1),
         r"materials.csv: line 1: the header lacks material_class"),
        ("material_properties.csv", lambda b: b.replace(b"\n", b",extra\n", 2).replace(
            b",extra\n", b"\n", 1), r"material_properties.csv: line 2: \d+ fields, the header"),
        ("materials.csv", lambda b: b"", r"materials.csv: line 1: the header lacks id"),
    ],
)  # fmt: skip
def test_seed_files_of_bad_encoding_or_shape_are_clear_errors(tmp_path, name, damage, message):
    folder = _copy_seed(tmp_path)
    (folder / name).write_bytes(damage((folder / name).read_bytes()))
    with pytest.raises(LibraryError, match=message):
        Library.load(folder)


def test_a_missing_seed_file_is_named(tmp_path) -> None:
    folder = _copy_seed(tmp_path)
    (folder / "cells.toml").unlink()
    with pytest.raises(LibraryError, match=r"cells.toml: library file: not found"):
        Library.load(folder)
