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
