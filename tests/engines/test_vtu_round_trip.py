"""Our own .vtu meshes imported again keep their region names: overlapping face groups and
names with any character (a result's exported fields: tests/app/test_export_vtu.py)."""

from __future__ import annotations

from support.regions import two_parts, vtu_regions


def test_a_mesh_written_as_vtu_comes_back_with_its_region_names(tmp_path) -> None:
    # meshio folded the sets into one array 'jelly-roll_can_top_ambient': overlapping faces
    # kept one set, and the names came back split wrongly or as '<array>_<n>'
    import meshio

    from cellwright.engines.mesh.convert import to_meshio

    path = tmp_path / "parts.vtu"
    meshio.write(path, to_meshio(two_parts(), sets_as_data=True))
    sets = vtu_regions(path)
    assert sets["jelly-roll"] == {"tetra": [0]} and sets["can"] == {"tetra": [1]}
    assert sets["top"] == {"triangle": [1]}
    assert sets["ambient"] == {"triangle": [0, 1, 2]}
