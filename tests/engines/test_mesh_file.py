"""Imported meshes as other tools write them: .msh 2.2/4.1 with and without physical names,
second-order and hexahedral cells, .vtu cell sets as meshio writes them, inverted tetrahedra."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.mesh.imported import read_imported
from cellwright.projects.model import ImportedGeometry, InputError


def _read(path, **kw):
    return read_imported(ImportedGeometry(file=str(path), materials={"*": "steel"}, **kw))


def _volume(mesh) -> np.ndarray:
    p, t = mesh.points, mesh.cells["tetra"]
    a, b, c, d = (p[t[:, i]] for i in range(4))
    return np.einsum("ij,ij->i", np.cross(b - a, c - a), d - a) / 6.0


def _gmsh_bar(path, version: float, *, names: bool = True, order: int = 1, hexes: bool = False):
    """A 100 x 10 x 10 mm bar (in metres) with a volume group and a face group at x = 0."""
    import gmsh

    gmsh.initialize()
    try:
        gmsh.option.setNumber("General.Terminal", 0)
        gmsh.model.occ.addBox(0, 0, 0, 0.1, 0.01, 0.01)
        gmsh.model.occ.synchronize()
        gmsh.model.addPhysicalGroup(3, [1], tag=10, name="bar" if names else "")
        left = gmsh.model.getEntitiesInBoundingBox(-1e-6, -1e-6, -1e-6, 1e-6, 0.011, 0.011, 2)
        gmsh.model.addPhysicalGroup(2, [t for _, t in left], tag=99, name="fixed" if names else "")
        gmsh.option.setNumber("Mesh.MeshSizeMax", 0.005)
        if hexes:
            for _, c in gmsh.model.getEntities(1):
                gmsh.model.mesh.setTransfiniteCurve(c, 4)
            for _, s in gmsh.model.getEntities(2):
                gmsh.model.mesh.setTransfiniteSurface(s)
                gmsh.model.mesh.setRecombine(2, s)
            gmsh.model.mesh.setTransfiniteVolume(1)
        gmsh.model.mesh.generate(3)
        gmsh.model.mesh.setOrder(order)
        gmsh.option.setNumber("Mesh.MshFileVersion", version)
        gmsh.write(str(path))
    finally:
        gmsh.finalize()


@pytest.mark.parametrize("version", [2.2, 4.1])
def test_unnamed_physical_groups_are_group_tag_in_both_msh_versions(tmp_path, version) -> None:
    # meshio gives 4.1's unnamed groups no cell set: they were dropped, the face group with them
    path = tmp_path / "bar.msh"
    _gmsh_bar(path, version, names=False)
    mesh = _read(path)
    assert {"group_10", "group_99"} <= set(mesh.cell_sets)
    assert "volume_1" not in mesh.cell_sets
    assert _volume(mesh).sum() == pytest.approx(1e-5)


def test_second_order_mesh_keeps_no_orphan_edge_nodes(tmp_path) -> None:
    # the edge nodes of a 10-node mesh, unused by the corner tetrahedra, made conduction singular
    path = tmp_path / "bar.msh"
    _gmsh_bar(path, 4.1, order=2)
    mesh = _read(path)
    assert len(np.unique(mesh.cells["tetra"])) == len(mesh.points)
    assert len(mesh.cell_sets["fixed"]["triangle"]) > 0


@pytest.mark.parametrize("version", [2.2, 4.1])
def test_hexahedra_are_split_into_a_conforming_tetrahedral_mesh(tmp_path, version) -> None:
    # hexahedra were skipped: a hexahedral mesh was refused, a mixed one silently lost volume
    path = tmp_path / "bar.msh"
    _gmsh_bar(path, version, hexes=True)
    mesh = _read(path)
    assert (_volume(mesh) > 0).all()
    assert _volume(mesh)[mesh.cell_sets["bar"]["tetra"]].sum() == pytest.approx(1e-5)
    # conforming: the outer faces are exactly the 6 x 9 split quadrilaterals
    assert len(mesh.cell_sets["boundary"]["triangle"]) == 6 * 9 * 2
    assert len(mesh.cell_sets["fixed"]["triangle"]) == 9 * 2


def test_vtu_cell_sets_as_meshio_writes_them_and_inverted_tetrahedra(tmp_path) -> None:
    # meshio writes cell sets to VTU as one integer array "a-b": read as one group before
    import meshio

    points = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], float) * 0.01
    tets = np.array([[0, 1, 2, 3], [1, 2, 3, 4]])  # the second numbered the other way round
    sets = {"left": [np.array([0])], "right": [np.array([1])]}
    meshio.write(tmp_path / "two.vtu", meshio.Mesh(points, [("tetra", tets)], cell_sets=sets))
    mesh = _read(tmp_path / "two.vtu")
    assert {"left", "right"} <= set(mesh.cell_sets)
    assert (_volume(mesh) > 0).all()
    data = {"MaterialIds": [np.array([3, 7])]}
    meshio.write(tmp_path / "ids.vtu", meshio.Mesh(points, [("tetra", tets)], cell_data=data))
    assert {"MaterialIds_3", "MaterialIds_7"} <= set(_read(tmp_path / "ids.vtu").cell_sets)


def test_surface_only_and_flat_meshes_are_refused_by_name(tmp_path) -> None:
    import meshio

    points = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]], float)
    meshio.write(tmp_path / "skin.vtu", meshio.Mesh(points, [("triangle", [[0, 1, 2]])]))
    with pytest.raises(InputError, match=r"skin\.vtu.*no volume cells.*holds triangle"):
        _read(tmp_path / "skin.vtu")
    meshio.write(tmp_path / "flat.vtu", meshio.Mesh(points, [("tetra", [[0, 1, 2, 3]])]))
    with pytest.raises(InputError, match=r"flat\.vtu.*1 of 1 cells have no volume"):
        _read(tmp_path / "flat.vtu")


@pytest.mark.parametrize("name", ["junk.msh", "junk.vtu"])
def test_a_damaged_mesh_file_is_an_input_error_not_an_exit(tmp_path, name, capsys) -> None:
    # meshio.read printed its reader's error and called sys.exit(1): `cellwright run` ended
    # with "Error: Couldn't read file … as either of ansys, gmsh" and no "error:" line
    (tmp_path / name).write_text("not a mesh\n")
    with pytest.raises(InputError, match=rf"{name}: not a readable (gmsh|VTU) mesh: \w"):
        _read(tmp_path / name)
    assert capsys.readouterr().out == ""


def test_iges_faces_in_millimetres_are_a_solid_in_metres(tmp_path) -> None:
    # setting OpenCASCADE's target unit failed before its first IGES read: every IGES refused
    import subprocess
    import sys

    path = tmp_path / "bar.iges"
    code = (
        "import gmsh; gmsh.initialize(); gmsh.option.setNumber('General.Terminal', 0); "
        "gmsh.model.occ.addBox(0, 0, 0, 100, 10, 10); gmsh.model.occ.synchronize(); "
        f"gmsh.write({str(path)!r}); gmsh.finalize()"
    )  # gmsh writes the box's six faces in mm, no solid (as most CAD IGES exports)
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=120)
    mesh = _read(path, mesh_size=0.005)
    assert set(mesh.cell_sets) == {"volume_1", "boundary"}
    assert np.ptp(mesh.points, axis=0) == pytest.approx([0.1, 0.01, 0.01])
    assert _volume(mesh).sum() == pytest.approx(1e-5)


def test_a_mesh_in_millimetres_is_not_taken_for_metres_unless_said(tmp_path) -> None:
    # a mesh carries no unit: the bar drawn in mm was read as a 100 m part and ran silently
    import meshio

    metres = tmp_path / "bar.msh"
    _gmsh_bar(metres, 4.1)
    m = meshio.read(metres)
    mm = tmp_path / "bar_mm.vtu"
    meshio.write(mm, meshio.Mesh(m.points * 1e3, [b for b in m.cells if b.type == "tetra"]))
    with pytest.raises(InputError, match=r"geometry\.scale: the part spans 100 m as read"):
        _read(mm)
    assert np.ptp(_read(mm, scale=1e-3).points, axis=0).max() == pytest.approx(0.1)
    assert np.ptp(_read(mm, scale=1.0).points, axis=0).max() == pytest.approx(100.0)  # as said
    assert np.ptp(_read(metres).points, axis=0).max() == pytest.approx(0.1)


def test_a_brep_in_millimetres_asks_for_its_scale(tmp_path) -> None:
    import gmsh

    path = tmp_path / "bar.brep"
    gmsh.initialize()
    try:
        gmsh.option.setNumber("General.Terminal", 0)
        gmsh.model.occ.addBox(0, 0, 0, 100, 10, 10)  # a 100 mm bar written in mm
        gmsh.model.occ.synchronize()
        gmsh.write(str(path))
    finally:
        gmsh.finalize()
    with pytest.raises(InputError, match=r"geometry\.scale: the part spans 100 m as read"):
        _read(path)
    assert _volume(_read(path, scale=1e-3)).sum() == pytest.approx(1e-5)


def test_a_step_of_faces_only_is_sewn_into_a_solid(tmp_path) -> None:
    # a STEP surface model (a closed shell, no solid entity) gave "no solid volume to mesh"
    from support.cad import write_step_faces

    path = tmp_path / "shell.step"
    write_step_faces(path)
    mesh = _read(path, mesh_size=0.005)
    assert set(mesh.cell_sets) == {"volume_1", "boundary"}
    assert np.ptp(mesh.points, axis=0) == pytest.approx([0.1, 0.01, 0.01])
    assert _volume(mesh).sum() == pytest.approx(1e-5)
    write_step_faces(tmp_path / "open.step", leave_out=1)
    with pytest.raises(InputError, match=r"open\.step.*no solid volume.*do not close into one"):
        _read(tmp_path / "open.step")


def test_step_scale_acts_on_top_of_its_unit_and_a_double_conversion_is_refused(tmp_path) -> None:
    # scale did nothing for a STEP: read in metres by its own unit, scale silently ignored
    from support.cad import write_step_bar

    path = tmp_path / "bar.step"
    write_step_bar(path)  # 100 mm, the file says mm
    assert np.ptp(_read(path, mesh_size=0.005).points, axis=0).max() == pytest.approx(0.1)
    halved = _read(path, mesh_size=0.0025, scale=0.5)  # a file whose unit header is wrong
    assert np.ptp(halved.points, axis=0) == pytest.approx([0.05, 0.005, 0.005])
    with pytest.raises(InputError, match=r"geometry\.scale: a \.step file carries its unit.*"
                       r"scale = 0\.001 on top of it makes the part span 0\.0001 m"):  # fmt: skip
        _read(path, mesh_size=0.005, scale=1e-3)
