"""A pack's passport: what its design gives beyond its cells."""

from __future__ import annotations

import pytest

from cellwright.projects.design.authoring import new_pack
from cellwright.projects.design.report import design_report
from cellwright.projects.design.resolve import find_design
from cellwright.projects.passport.batteries import add_battery
from cellwright.projects.passport.compile import compile_passport
from cellwright.projects.store import Project


def test_a_pack_weighs_its_cells_and_its_parts(tmp_path):
    parts = ("arrangement", "busbar", "cooling_plate", "thermal_interface", "enclosure")
    with Project.create(tmp_path / "p.cwproj") as project:
        pack = new_pack("96s4p", "lg-m50", 96, 4, parts, project=project)
        project.put(pack)
        add_battery(project, "PK-1", design=pack.id, kind="pack")
        mass = compile_passport(project, "PK-1").values["battery_mass"]
        design_mass, _ = design_report(*find_design(pack.id, project))["Mass"]
    cells = 96 * 4 * 0.06925  # the datasheet's cell mass: what the passport said before
    assert design_mass > 1.2 * cells  # busbars, cooling, enclosure weigh
    assert mass.value == pytest.approx(design_mass, rel=1e-6)
    assert mass.source == "design" and "enclosure" in mass.detail


def _pack_passport(tmp_path, **fields):
    from cellwright.projects.design.authoring import new_cell

    parts = ("arrangement", "busbar", "cooling_plate", "thermal_interface", "enclosure")
    with Project.create(tmp_path / "p.cwproj") as project:
        cell = new_cell("library:lg-m50", "M50 design", project=project)  # with geometry
        project.put(cell)
        pack = new_pack("8s2p", cell.id, 8, 2, parts, project=project)
        if fields:
            arrangement = pack.arrangement.model_copy(update=fields)
            pack = pack.model_copy(update={"arrangement": arrangement})
        project.put(pack)
        add_battery(project, "PK-1", design=pack.id, kind="pack")
        return compile_passport(project, "PK-1").values


def test_a_packs_material_list_holds_its_parts_and_sums_to_its_mass(tmp_path):
    # the list held the cells' materials only: 1.07 kg of a 1.92 kg pack
    values = _pack_passport(tmp_path)
    listed = values["battery_materials"].value
    parts = {m["batteryMaterialLocation"]["componentId"]: m for m in listed}
    assert {"busbars", "cooling plate", "coolant", "thermal interface", "enclosure"} <= set(parts)
    assert parts["busbars"]["batteryMaterialIdentifier"] == "7440-50-8"  # copper
    total = sum(m["batteryMaterialMass"] for m in listed)
    assert total == pytest.approx(values["battery_mass"].value, rel=1e-6)
    assert "not listed" not in values["battery_materials"].detail
    # a hazard's concentration is in the pack, the battery the passport is of
    glycol = [h for h in values["hazardous_substances"].value
              if h["hazardousSubstanceLocation"]["componentId"] == "coolant"]  # fmt: skip
    kg = parts["coolant"]["batteryMaterialMass"]
    expected = 100 * kg / values["battery_mass"].value
    assert glycol[0]["hazardousSubstanceConcentration"] == pytest.approx(expected, abs=1e-4)


def test_polycarbonate_frames_are_listed_with_their_cas_number(tmp_path):
    # polycarbonate had no CAS row: the frames were named in the detail, not listed
    values = _pack_passport(tmp_path, frame_material="polycarbonate", frame_mass_per_cell=0.005)
    listed = values["battery_materials"]
    frames = [m for m in listed.value
              if m["batteryMaterialLocation"]["componentId"] == "module frames"]  # fmt: skip
    assert [m["batteryMaterialIdentifier"] for m in frames] == ["25037-45-0"]
    assert frames[0]["batteryMaterialMass"] == pytest.approx(16 * 0.005)
    assert "not listed" not in listed.detail
    total = sum(m["batteryMaterialMass"] for m in listed.value)
    assert total == pytest.approx(values["battery_mass"].value, rel=1e-6)


def test_every_library_material_has_a_cas_row_or_is_knowingly_unlisted():
    import csv

    from cellwright.projects.passport.design_facts import material_facts
    from cellwright.resources import ROOT

    with (ROOT / "library" / "materials.csv").open(encoding="utf-8", newline="") as fh:
        library = {row["id"] for row in csv.DictReader(line for line in fh if line[0] != "#")}
    # LMFP has no CAS number of its own; air is no material of the battery (materials.csv)
    assert library - set(material_facts()) == {"lmfp", "air"}


def test_a_part_of_a_material_without_a_cas_number_is_named_not_dropped_silently(
    tmp_path, monkeypatch
):
    from cellwright.projects.passport import design_facts

    facts = {k: v for k, v in design_facts.material_facts().items() if k != "polycarbonate"}
    monkeypatch.setattr(design_facts, "material_facts", lambda: facts)
    values = _pack_passport(tmp_path, frame_material="polycarbonate", frame_mass_per_cell=0.005)
    listed = values["battery_materials"]
    assert "module frames (polycarbonate)" in listed.detail
    total = sum(m["batteryMaterialMass"] for m in listed.value)
    assert total == pytest.approx(values["battery_mass"].value - 16 * 0.005, rel=1e-6)
