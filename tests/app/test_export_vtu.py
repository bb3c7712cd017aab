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
