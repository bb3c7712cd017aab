"""Fields exported for ParaView carry the mesh's regions by name, so a re-import keeps them."""

from __future__ import annotations

import numpy as np

from cellwright.projects.model import FieldData, Provenance, Result
from support.regions import two_parts, vtu_regions


def test_a_result_exported_as_vtu_comes_back_with_its_region_names(tmp_path) -> None:
    # the exported steps carried no regions at all: every cell came back as volume_1
    from cellwright.app.export import write_fields_vtu

    mesh = two_parts()
    field = FieldData(name="T [K]", mesh="cell", times=[0.0, 1.0], values=np.ones((2, 5)))
    provenance = Provenance(engine_id="x", engine_version="1", spec_hash="")
    result = Result(meshes={"cell": mesh}, fields=[field], provenance=provenance)
    written = write_fields_vtu(result, tmp_path)
    sets = vtu_regions(next(p for p in written if p.suffix == ".vtu"))
    assert {"jelly-roll", "can", "top", "ambient"} <= set(sets)
    assert "volume_1" not in sets
    assert sets["ambient"] == {"triangle": [0, 1, 2]}


def test_a_cell_field_on_a_mesh_with_faces_is_exported_on_its_volume(tmp_path) -> None:
    """A cell field (one value per tetrahedron, as the field viewer shows it) was written only
    when the mesh had one block: beside its faces, a crush's plastic strain was left out."""
    import meshio

    from cellwright.app.export import write_fields_vtu

    strain = np.array([[0.0, 0.0], [0.1, 0.3]])
    field = FieldData(name="Equivalent plastic strain [-]", mesh="cell", association="cell",
                      times=[0.0, 1.0], values=strain)  # fmt: skip
    provenance = Provenance(engine_id="x", engine_version="1", spec_hash="")
    result = Result(meshes={"cell": two_parts()}, fields=[field], provenance=provenance)
    last = [p for p in write_fields_vtu(result, tmp_path) if p.suffix == ".vtu"][-1]
    back = meshio.read(last)
    kinds = [block.type for block in back.cells]
    values = back.cell_data["Equivalent plastic strain [-]"]
    np.testing.assert_allclose(values[kinds.index("tetra")], [0.1, 0.3])
    assert np.isnan(values[kinds.index("triangle")]).all()


def test_fields_are_named_after_the_chosen_file_and_a_cancel_leaves_nothing(tmp_path) -> None:
    """Two results exported into one folder keep each other's files (under the mesh's name the
    second overwrote the first); progress comes per file; a cancel removes what it wrote."""
    from cellwright.app.export import write_fields_vtu

    provenance = Provenance(engine_id="x", engine_version="1", spec_hash="")

    def result(value: float) -> Result:
        field = FieldData(name="T [K]", mesh="cell", times=[0.0, 1.0, 2.0],
                          values=np.full((3, 5), value))  # fmt: skip
        return Result(meshes={"cell": two_parts()}, fields=[field], provenance=provenance)

    steps: list[tuple[float, str]] = []
    first = write_fields_vtu(result(1.0), tmp_path, "run A", lambda f, m: steps.append((f, m)))
    second = write_fields_vtu(result(2.0), tmp_path, "run B")
    assert [p.name for p in first] == ["run_A_00000.vtu", "run_A_00001.vtu", "run_A_00002.vtu",
                                       "run_A.pvd"]  # fmt: skip
    assert not set(first) & set(second) and all(p.exists() for p in first)
    assert 'file="run_A_00001.vtu"' in first[-1].read_text()
    assert steps == [(1 / 3, "cell: step 1 of 3"), (2 / 3, "cell: step 2 of 3"),
                     (1.0, "cell: step 3 of 3")]  # fmt: skip
    polls = iter([False, False, True])
    cancelled = write_fields_vtu(result(3.0), tmp_path / ".", "run C", None, lambda: next(polls))
    assert cancelled == [] and not list(tmp_path.glob("run_C*"))
