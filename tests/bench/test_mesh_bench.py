"""Meshing a 96s4p pack of 21700 cells with cooling plate, interface and busbars (issue 4).

Prints the element count, the quality (minimum and mean SICN) and the wall time for gmsh's
HXT (parallel Delaunay) with and without tetrahedron optimisation, and classic Delaunay for
comparison. ``make bench`` shows the lines (it runs with ``-s``).
"""

from __future__ import annotations

import pytest

from cellwright.engines.mesh.packs import mesh_pack
from cellwright.engines.mesh.session import MeshSettings
from cellwright.projects.design import CellSummary, cell_box, pack_layout
from cellwright.projects.library import Library
from support.designs import pack_96s4p

pytestmark = pytest.mark.bench


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
