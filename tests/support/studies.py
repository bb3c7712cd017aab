"""Design-study helpers: a project holding the entered LG M50, and small studies on it."""

from __future__ import annotations

from pathlib import Path

from cellwright.projects.design.reference_designs import lg_m50
from cellwright.projects.model import DesignStudy
from cellwright.projects.store import Project

M50_ID = "lg-m50-chen2020"


def m50_project(path: Path) -> Path:
    """A new project at ``path`` with the entered LG M50 design (id ``lg-m50-chen2020``)."""
    with Project.create(path) as project:
        project.put(lg_m50())
    return path


def rate_study(points: int = 6, name: str = "rates", **changes) -> DesignStudy:
    """An SPM discharge study over C-rate on the LG M50 (the model is built once per worker,
    then each point is one solve)."""
    data = {
        "name": name,
        "engine": "electrochem.pybamm_discharge",
        "spec": {"model": "SPM"},
        "design": {"kind": "cell", "id": M50_ID},
        "inputs": [{"path": "spec.c_rate", "low": 0.5, "high": 3.0}],
        "sampler": "sobol",
        "points": points,
        "seed": 3,
    }
    data.update(changes)
    return DesignStudy.model_validate(data)


def thickness_study(points: int = 6, name: str = "thickness", high: float = 77e-6):
    """A study over positive coating thickness (a model build per point); above about 80 um the
    0.79 m jelly roll no longer fits the can, so such points fail in the builder."""
    return rate_study(
        points,
        name,
        inputs=[
            {"path": "spec.c_rate", "low": 0.5, "high": 2.0},
            {"path": "design.positive.coating_thickness", "low": 60e-6, "high": high},
        ],
        sampler="lhs",
    )
