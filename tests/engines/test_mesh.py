"""Meshes of cells and packs: named groups, volumes against the geometry, quality, conversion."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cellwright.engines.mesh.cells import CELL_VOLUMES, mesh_cell, thin_wall_size
from cellwright.engines.mesh.convert import from_meshio, to_meshio, to_pyvista
from cellwright.engines.mesh.extract import tetra_volumes
from cellwright.engines.mesh.packs import cell_region, mesh_pack
from cellwright.engines.mesh.session import MeshSettings
from cellwright.projects.design import CellSummary, cell_box, pack_layout
from cellwright.projects.design.reference_designs import kokam_slpb_75106100, lg_m50
from cellwright.projects.library import Library
from cellwright.projects.model import (
    Busbar,
    CoolingPlate,
    InputError,
    ModuleArrangement,
    PackDesign,
    PrismaticGeometry,
    ThermalInterface,
)


@pytest.fixture(scope="module")
def m50_mesh():
    return mesh_cell(lg_m50())


def _volume(mesh, region: str) -> float:
    idx = mesh.cell_sets[region]["tetra"]
    return float(tetra_volumes(mesh.points, mesh.cells["tetra"][idx]).sum())


def _area(mesh, group: str) -> float:
    tri = mesh.cells["triangle"][mesh.cell_sets[group]["triangle"]]
    a, b, c = (mesh.points[tri[:, k]] for k in range(3))
    return float(np.linalg.norm(np.cross(b - a, c - a), axis=1).sum() / 2)


def test_cylindrical_cell_regions_match_the_geometry(m50_mesh) -> None:
    mesh, quality = m50_mesh.mesh, m50_mesh.quality
    g = lg_m50().geometry
    for name in CELL_VOLUMES["cylindrical"]:
        assert len(mesh.cell_sets[name]["tetra"]) > 0, name
    # every tetrahedron belongs to exactly one volume, all positively oriented
    owned = np.concatenate([mesh.cell_sets[n]["tetra"] for n in CELL_VOLUMES["cylindrical"]])
    assert np.array_equal(np.sort(owned), np.arange(mesh.cells["tetra"].shape[0]))
    assert (tetra_volumes(mesh.points, mesh.cells["tetra"]) > 0).all()
    # jelly roll: an annulus from the mandrel to the can's inner wall, height less headspace
    r_out, r_in = g.diameter / 2 - g.can_wall_thickness, g.mandrel_diameter / 2
    roll = math.pi * (r_out**2 - r_in**2) * (g.height - g.headspace)
    assert _volume(mesh, "jelly_roll") == pytest.approx(roll, rel=0.01)
    total = sum(_volume(mesh, n) for n in CELL_VOLUMES["cylindrical"])
    mandrel = math.pi * r_in**2 * (g.height - g.headspace)
    assert total == pytest.approx(math.pi * (g.diameter / 2) ** 2 * g.height - mandrel, rel=0.01)
    # outer faces: bottom disc, top disc, side
    r = g.diameter / 2
    assert _area(mesh, "bottom") == pytest.approx(math.pi * r**2, rel=0.01)
    assert _area(mesh, "side") == pytest.approx(2 * math.pi * r * g.height, rel=0.01)
    assert quality.min_sicn > 0 and quality.elements == mesh.cells["tetra"].shape[0]
    assert quality.group_volumes["jelly_roll"] == pytest.approx(_volume(mesh, "jelly_roll"))


def test_pouch_and_prismatic_cells_mesh_with_their_groups() -> None:
    pouch = mesh_cell(kokam_slpb_75106100())
    g = kokam_slpb_75106100().geometry
    total = sum(_volume(pouch.mesh, n) for n in CELL_VOLUMES["pouch"])
    outside = sum(t.length * t.width * t.thickness for t in (g.positive_tab, g.negative_tab))
    assert total == pytest.approx(g.length * g.width * g.thickness + outside, rel=1e-6)
    assert len(pouch.mesh.cell_sets["positive_terminal"]["triangle"]) > 0
    assert _area(pouch.mesh, "bottom") == pytest.approx(g.length * g.width, rel=1e-6)

    design = lg_m50()
    prism = PrismaticGeometry(length=0.148, width=0.091, thickness=0.0265, jelly_rolls=2)
    cell = design.model_copy(update={"format": "prismatic", "geometry": prism})
    m = mesh_cell(cell)
    for name in CELL_VOLUMES["prismatic"]:
        assert len(m.mesh.cell_sets[name]["tetra"]) > 0, name
    outer = sum(_volume(m.mesh, n) for n in CELL_VOLUMES["prismatic"])
    assert outer == pytest.approx(0.148 * 0.091 * 0.0265, rel=1e-6)
    assert m.quality.min_sicn > 0


def test_element_size_controls_the_count() -> None:
    coarse = mesh_cell(lg_m50(), MeshSettings(size=3e-3)).quality.elements
    fine = mesh_cell(lg_m50(), MeshSettings(size=1.5e-3)).quality.elements
    assert fine > 3 * coarse


def test_thin_wall_size_keeps_the_sag_within_half_the_wall() -> None:
    """The sagitta of a chord h on radius R is R - √(R² - h²/4) (exactly, not h²/8R)."""
    for radius, wall in ((10.55e-3, 0.25e-3), (23e-3, 0.5e-3), (9.15e-3, 0.2e-3)):
        h = thin_wall_size(radius, wall)
        sag = radius - math.sqrt(radius**2 - h**2 / 4)
        assert sag == pytest.approx(wall / 2, rel=0.02)


@pytest.mark.parametrize(
    "settings",
    [
        MeshSettings(size=6e-3),  # 6 mm triangles sagged through the 0.25 mm can wall
        MeshSettings(size=3.5e-3, refine_ends=(1, 0.4, 0.5e-3)),  # a refinement for a nail
        MeshSettings(size=5e-3, refine_ends=(1, 0.4, 1e-3)),
        MeshSettings(size=4e-3, refine_ends=(1, 0.3, 1.2e-3)),
    ],
    ids=["coarse", "refined-0.5mm", "refined-on-5mm", "refined-on-4mm"],
)
def test_a_thin_can_meshes_coarse_and_refined(settings) -> None:
    """gmsh failed ("PLC Error: a segment and a facet intersect") on the LG M50 from 5 mm
    elements up and with contact refinement below 0.8 mm: the element size on the can's curved
    faces is capped so a triangle sags by at most half the wall, and a refinement grades back
    to the mesh size instead of stepping to it."""
    design = lg_m50()
    mesh = mesh_cell(design, settings).mesh
    g = design.geometry
    cap = thin_wall_size(g.diameter / 2 - g.can_wall_thickness / 2, g.can_wall_thickness)
    side = mesh.cells["triangle"][mesh.cell_sets["side"]["triangle"]]
    p = mesh.points
    r = np.hypot(p[side][..., 0], p[side][..., 1]).min(axis=1)
    wall = side[r > g.diameter / 2 - 1e-5]  # the can's outer curved face
    edges = np.linalg.norm(p[wall] - p[np.roll(wall, 1, axis=1)], axis=2)
    assert len(wall) > 100
    assert edges.max() < 1.5 * cap
    if settings.refine_ends is not None:
        assert edges.min() < 1.5 * settings.refine_ends[2]


def test_impossible_geometry_is_refused_before_meshing() -> None:
    design = lg_m50()
    bad = design.model_copy(
        update={"geometry": design.geometry.model_copy(update={"jelly_roll_length": 1.58})}
    )
    with pytest.raises(InputError, match=r"geometry\.jelly_roll_length"):
        mesh_cell(bad)
    with pytest.raises(InputError, match="geometry: not set"):
        mesh_cell(design.model_copy(update={"geometry": None}))


def test_meshio_and_pyvista_round_trip(m50_mesh, tmp_path) -> None:
    import meshio

    mesh = m50_mesh.mesh
    path = tmp_path / "cell.vtu"
    meshio.write(path, to_meshio(mesh))
    back = from_meshio(meshio.read(path))
    assert np.allclose(back.points, mesh.points)
    assert np.array_equal(back.cells["tetra"], mesh.cells["tetra"])
    grid = to_pyvista(mesh)
    assert grid.n_cells == mesh.cells["tetra"].shape[0]
    assert grid.cell_data["jelly_roll"].sum() == len(mesh.cell_sets["jelly_roll"]["tetra"])


@pytest.fixture(scope="module")
def module_4s2p():
    library = Library.load_builtin()
    cell = CellSummary.from_reference(library.cell("lg-m50"))
    pack = PackDesign(
        name="4s2p",
        cell="lg-m50",
        series=4,
        parallel=2,
        arrangement=ModuleArrangement(rows=2, columns=4, gap=2e-3),
        busbar=Busbar(width=8e-3, thickness=1e-3, length_per_connection=25e-3),
        cooling_plate=CoolingPlate(channel_count=3, channel_width=6e-3),
        thermal_interface=ThermalInterface(),
    )
    layout = pack_layout(pack, cell_box(cell, pack))
    return mesh_pack(layout, pack.name)


def test_pack_mesh_has_one_region_per_cell_and_the_plate(module_4s2p) -> None:
    m = module_4s2p
    mesh, layout = m.mesh, m.layout
    d, _, h = layout.cell.size
    cyl = math.pi * d**2 / 4 * h
    # linear tetrahedra facet the round cells: 16 segments per circle (the pack default) keep
    # at least the inscribed 16-gon's share of the area, 16 sin(2 pi / 16) / (2 pi) = 0.9745
    inscribed = 16 * math.sin(2 * math.pi / 16) / (2 * math.pi)
    for k in range(8):
        assert inscribed * cyl < _volume(mesh, cell_region(k)) <= cyl * (1 + 1e-9)
    assert len(mesh.cell_sets["cells"]["tetra"]) == sum(
        len(mesh.cell_sets[cell_region(k)]["tetra"]) for k in range(8)
    )
    # the plate is its box less the channels (runs and U-turns overlap at the corners)
    p = layout.plate
    plate = _volume(mesh, "cooling_plate")
    assert plate < p.dx * p.dy * p.dz
    assert plate > p.dx * p.dy * p.dz - sum(c.volume for c in layout.channels)
    i = layout.interface
    assert _volume(mesh, "thermal_interface") == pytest.approx(i.dx * i.dy * i.dz, rel=1e-6)
    assert _volume(mesh, "busbar") == pytest.approx(sum(b.volume for b in layout.busbars))
    # each cell stands on the interface with its full bottom disc: between the polygon
    # inscribed with the curvature's segments (reached exactly when the disc's edge is meshed
    # with just those segments) and the disc
    contact = _area(mesh, "cell_contact")
    disc = 8 * math.pi * d**2 / 4
    assert inscribed * disc * (1 - 1e-9) <= contact <= disc * (1 + 1e-9)
    assert _area(mesh, "channel_walls") > 0 and _area(mesh, "plate_bottom") == pytest.approx(
        p.dx * p.dy, rel=1e-6
    )
    assert m.quality.min_sicn > 0.05


def test_the_same_cell_meshes_the_same_every_time() -> None:
    """Reproducible studies need reproducible meshes: gmsh's surface threads reorder the
    elements (and change their number) from run to run, so one cell is meshed on one thread."""
    first, second = (mesh_cell(kokam_slpb_75106100()).mesh for _ in range(2))
    assert np.array_equal(first.cells["tetra"], second.cells["tetra"])
    assert np.array_equal(first.points, second.points)
    options = MeshSettings().gmsh_options(0.005)
    assert options["General.NumThreads"] == 1
    assert MeshSettings(algorithm_3d=10).gmsh_options(0.005)["General.NumThreads"] >= 1
