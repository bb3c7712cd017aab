"""An element size no machine could mesh or solve is refused at once, naming the field.

Before, a mesh size typed in the wrong unit (0.01 for 10 mm, 1e-5 for 10 mm in metres) set
gmsh meshing a 21700 cell into ~1e11 tetrahedra: minutes of growing memory and no answer; a
0.5 mm crush mesh (a million tetrahedra) meshed, then assembled until the system killed it.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from cellwright.engines.mesh.cells import mesh_cell
from cellwright.engines.mesh.packs import mesh_pack
from cellwright.engines.mesh.session import MAX_TETRAHEDRA, MeshSettings, estimate_tetrahedra
from cellwright.projects.design import CellSummary, cell_box, pack_layout
from cellwright.projects.design.reference_designs import lg_m50
from cellwright.projects.model import (
    Busbar,
    CoolingPlate,
    InputError,
    ModuleArrangement,
    PackDesign,
    ThermalInterface,
)

M50_VOLUME = np.pi * 0.0211**2 / 4 * 0.0701  # its can's envelope [m³]


@pytest.mark.parametrize("size", [1e-5, 2e-4])
def test_a_cell_size_beyond_what_can_be_meshed_is_refused_before_gmsh_meshes(size) -> None:
    start = time.perf_counter()
    with pytest.raises(InputError) as err:
        mesh_cell(lg_m50(), MeshSettings(size=size))
    assert time.perf_counter() - start < 30  # the geometry is built, nothing is meshed
    text = str(err.value)
    assert f"mesh_size {size * 1e3:.3g} mm" in text and "choose a larger mesh_size" in text
    assert "21.1 x 21.1 x 70" in text  # the part's size, to see a unit mistake by
    assert float(text.split("about ")[1].split(" tetrahedra")[0]) > MAX_TETRAHEDRA


def test_a_refined_contact_zone_too_fine_names_its_own_setting() -> None:
    with pytest.raises(InputError, match="choose a larger contact_mesh_size"):
        mesh_cell(lg_m50(), MeshSettings(size=2e-3, refine_ends=(0, 0.2, 1e-5)))


def test_a_pack_size_beyond_what_can_be_meshed_is_refused(library) -> None:
    cell = CellSummary.from_reference(library.cell("lg-m50"))
    pack = PackDesign(
        name="4s2p", cell="lg-m50", series=4, parallel=2,
        arrangement=ModuleArrangement(rows=2, columns=4, gap=2e-3),
        busbar=Busbar(width=8e-3, thickness=1e-3, length_per_connection=25e-3),
        cooling_plate=CoolingPlate(channel_count=3, channel_width=6e-3),
        thermal_interface=ThermalInterface(),
    )  # fmt: skip
    layout = pack_layout(pack, cell_box(cell, pack))
    with pytest.raises(InputError, match=r"4s2p: mesh_size 0\.05 mm would give about"):
        mesh_pack(layout, pack.name, MeshSettings(size=5e-5))


def test_the_estimate_is_of_the_order_of_what_gmsh_makes() -> None:
    """The refusal must not stop meshes that work: the estimate stays below the count gmsh
    makes (coarse meshes get more, refined along the thin can and the core), and comes
    near it as the size shrinks, where the refusal acts (LG M50: 3 mm, 1.5 mm)."""
    ratios = []
    for size in (3e-3, 1.5e-3):
        made = mesh_cell(lg_m50(), MeshSettings(size=size)).quality.elements
        ratios.append(estimate_tetrahedra(M50_VOLUME, size) / made)
    assert all(r < 1.0 for r in ratios), ratios
    assert ratios[1] > ratios[0] and ratios[1] > 0.6, ratios


def test_a_refined_zone_adds_its_finer_elements() -> None:
    assert estimate_tetrahedra(1e-6, 1e-3) == pytest.approx(6000.0)  # six per cube of 1 mm
    # a tenth of the volume at half the size: eight times as many there
    assert estimate_tetrahedra(1e-6, 1e-3, (1e-7, 5e-4)) == pytest.approx(6000.0 + 600.0 * 7)
    assert estimate_tetrahedra(1e-6, 1e-3, (1e-7, 2e-3)) == pytest.approx(6000.0)  # not finer
