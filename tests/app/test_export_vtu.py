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
