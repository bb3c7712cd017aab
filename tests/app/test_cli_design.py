"""``cellwright design show`` and ``design mesh`` as a user types them."""

from __future__ import annotations

import json

import pytest

from cellwright.app.cli import main
from cellwright.projects.design.reference_designs import lg_m50
from cellwright.projects.model import CoolingPlate, ModuleArrangement, PackDesign, ThermalInterface
from cellwright.projects.store import Project


def test_show_a_library_cell_design(capsys) -> None:
    assert main(["design", "show", "lg-m50"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("LG M50 (Chen2020)")
    assert "Jelly roll length" in out and "warning: no price" in out
    assert main(["design", "show", "lg-m50", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["figures"]["Capacity"]["unit"] == "A.h"
    assert data["figures"]["Capacity"]["value"] == pytest.approx(5.0, rel=0.05)


def test_show_a_project_pack_and_an_unknown_design(tmp_path, capsys) -> None:
    path = tmp_path / "p.cwproj"
    cell = lg_m50()
    pack = PackDesign(
        name="module 4s2p", cell=cell.id, series=4, parallel=2,
        arrangement=ModuleArrangement(rows=2, columns=4),
        cooling_plate=CoolingPlate(channel_count=2, channel_width=6e-3),
        thermal_interface=ThermalInterface(),
    )  # fmt: skip
    with Project.create(path) as p:
        p.put(cell)
        p.put(pack)
    assert main(["design", "show", "module 4s2p", "--project", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("module 4s2p") and "V" in out
    assert main(["design", "show", "no-such-cell"]) == 2
    assert "no library cell 'no-such-cell'" in capsys.readouterr().err


def test_mesh_writes_a_vtu_with_regions(tmp_path, capsys) -> None:
    import meshio

    out = tmp_path / "m50.vtu"
    # a size with its unit, as every other length a user types ("0.003" was the only form)
    assert main(["design", "mesh", "lg-m50", "--out", str(out), "--size", "3 mm"]) == 0
    assert "tetrahedra" in capsys.readouterr().out
    mesh = meshio.read(out)
    assert sum(len(c.data) for c in mesh.cells if c.type == "tetra") > 1000
    # imported again it keeps every region by name; top, bottom and ambient overlap other face
    # groups and were lost when meshio folded the sets into one array
    from support.regions import vtu_regions

    regions = vtu_regions(out)
    assert {"jelly_roll", "can", "top", "bottom", "ambient", "side"} <= set(regions)
    assert "volume_1" not in regions
