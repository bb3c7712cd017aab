"""A design-study point opened as a design: a variant of the study's design with the point's
design inputs set, its spec inputs named; for a pack study a cell input makes a cell variant
that the pack variant uses."""

from __future__ import annotations

import pytest

from cellwright.app.studies.point_design import designs_from_point
from cellwright.projects.model import DesignStudy, InputError, PackDesign, StudyPoint
from cellwright.projects.store import Project
from support.studies import M50_ID, m50_project, thickness_study


def _point(study: DesignStudy, values: dict) -> StudyPoint:
    return StudyPoint(id=f"{study.id}.000003", name="p", study=study.id, index=3, values=values)


def test_a_cell_point_becomes_a_named_variant(tmp_path) -> None:
    with Project.open(m50_project(tmp_path / "p.cwproj")) as project:
        study = thickness_study(4)
        base = project.find("cell", M50_ID)
        (cell,) = designs_from_point(project, study, _point(study, {
            "spec.c_rate": 1.5, "design.positive.coating_thickness": 70e-6}))  # fmt: skip
        assert cell.id != base.id and cell.name == f"{base.name} (thickness #3)"
        assert cell.positive.coating_thickness == 70e-6
        assert cell.negative == base.negative
        assert "spec.c_rate = 1.5" in cell.notes
        only_spec = _point(study, {"spec.c_rate": 1.5})
        with pytest.raises(InputError, match="varies only the spec"):
            designs_from_point(project, study, only_spec)
        with pytest.raises(InputError, match=r"design\.positive"):  # refused like the run was
            designs_from_point(project, study, _point(study, {
                "spec.c_rate": 1.0, "design.positive.coating_thickness": -1.0}))  # fmt: skip


def test_a_pack_point_with_a_cell_input_makes_both_variants(tmp_path) -> None:
    with Project.open(m50_project(tmp_path / "p.cwproj")) as project:
        pack = PackDesign(name="2s1p", cell=M50_ID, series=2, parallel=1)
        project.put(pack)
        study = DesignStudy.model_validate({
            "name": "pack", "engine": "electrochem.pack", "spec": {"c_rate": 1.0},
            "design": {"kind": "pack", "id": pack.id},
            "inputs": [{"path": "design.series", "values": [2, 4]},
                       {"path": "cell.positive.coating_thickness", "low": 60e-6, "high": 70e-6}],
        })  # fmt: skip
        cell, new_pack = designs_from_point(project, study, _point(study, {
            "design.series": 4, "cell.positive.coating_thickness": 65e-6}))  # fmt: skip
        assert cell.positive.coating_thickness == 65e-6 and cell.id != M50_ID
        assert (new_pack.series, new_pack.cell) == (4, cell.id) and new_pack.id != pack.id
        (only_pack,) = designs_from_point(project, study, _point(study, {"design.series": 4}))
        assert only_pack.cell == M50_ID and only_pack.series == 4
