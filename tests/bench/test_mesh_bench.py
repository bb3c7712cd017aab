"""Meshing a 96s4p pack of 21700 cells with cooling plate, interface and busbars (issue 4).

Prints the element count, the quality (minimum and mean SICN) and the wall time for gmsh's
HXT (parallel Delaunay) with and without tetrahedron optimisation, and classic Delaunay for
comparison. ``make bench`` shows the lines (it runs with ``-s``).
"""

from __future__ import annotations

import pytest

pytest.importorskip("gmsh")

from cellwright.engines.mesh.packs import mesh_pack
from cellwright.engines.mesh.session import MeshSettings
from cellwright.projects.design import CellSummary, cell_box, pack_layout
from cellwright.projects.library import Library
from cellwright.projects.model import (
    Busbar,
    CoolingPlate,
    ModuleArrangement,
    PackDesign,
    ThermalInterface,
)

pytestmark = pytest.mark.bench


def pack_96s4p() -> PackDesign:
    """Eight modules of 12s4p 21700 cells in two rows on one channelled plate."""
    return PackDesign(
        name="96s4p",
        cell="lg-m50",
        series=96,
        parallel=4,
        arrangement=ModuleArrangement(rows=4, columns=12, gap=2e-3, module_rows=2),
        busbar=Busbar(width=10e-3, thickness=1e-3, length_per_connection=30e-3),
        cooling_plate=CoolingPlate(channel_count=4),
        thermal_interface=ThermalInterface(),
    )


@pytest.fixture(scope="module")
def layout():
    cell = CellSummary.from_reference(Library.load_builtin().cell("lg-m50"))
    pack = pack_96s4p()
    return pack_layout(pack, cell_box(cell, pack))


@pytest.mark.parametrize(
    "label, settings",
    [
        ("HXT + optimise (default)", MeshSettings()),
        ("HXT, no optimisation", MeshSettings(optimize=False)),
        ("Delaunay + optimise", MeshSettings(algorithm_3d=1)),
    ],
)
def test_mesh_96s4p_pack(benchmark, layout, label, settings) -> None:
    result = benchmark.pedantic(mesh_pack, args=(layout, "96s4p", settings), rounds=1)
    q = result.quality
    print(f"\n96s4p pack mesh, {label}: {q.summary()}")
    assert result.cell_count == 384 and q.min_sicn > 0
