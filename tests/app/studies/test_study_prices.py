"""A design study's cost outputs price the materials as the project does."""

from __future__ import annotations

import pytest

from cellwright.app.studies.backends import InlineBackend
from cellwright.app.studies.execute import load_points, run_design_study
from cellwright.projects.design import cell_figures
from cellwright.projects.design.cost import with_project_prices
from cellwright.projects.design.resolve import design_snapshot
from cellwright.projects.model import CostAssumptions
from cellwright.projects.store import Project
from support.studies import M50_ID, m50_project, rate_study


def test_a_points_material_cost_takes_the_projects_own_prices(tmp_path) -> None:
    # the study's "Material cost [USD]" priced the M50's separator at the library's price (none:
    # counted as 0) while the design's figures, its cost breakdown and its report used the
    # project's price of it
    with Project.open(m50_project(tmp_path / "p.cwproj")) as project:
        cell = project.get("cell", M50_ID)
        unpriced = design_snapshot(cell, project).materials[cell.separator]
        assert "price" not in unpriced.properties
        prices = {unpriced.id: {"value": 130.0, "source": "supplier quote"}}
        project.put(CostAssumptions(prices=prices))
        priced = with_project_prices(design_snapshot(cell, project), project)
        expected = cell_figures(cell, priced.materials, priced.reference_cell).total_cost
        unpriced_cost = cell_figures(cell, design_snapshot(cell, project).materials).total_cost
        assert expected > unpriced_cost
        study = rate_study(points=1, inputs=[{"path": "spec.c_rate", "values": [1.0]}],
                           sampler="factorial")  # fmt: skip
        run_design_study(project, study, InlineBackend())
        (point,) = load_points(project, study)
        assert point.status == "done", point.error
        assert point.outputs["Material cost [USD]"] == pytest.approx(expected, rel=1e-12)
