"""``mechanics.crush``: quasi-static crush, squeeze and indentation of a cell or module.

Large-deformation FEM on quadratic tetrahedra (total Lagrangian, logarithmic-strain plasticity:
:mod:`cellwright.engines.mechanics.constitutive`), metals J2 with tabulated hardening and
fracture, the jelly roll a crushable foam from the library (:mod:`...crush_build`), rigid
indenters with frictional penalty contact (:mod:`...contact`), displacement loading followed by
Newton with line search and automatic step control (:mod:`...crush_solver`) until the standard's
stop: force, deformation, 1000 × the weight or the short-circuit onset
(:mod:`...crush_short`). Results: the force–displacement curve (live through progress), the
deformed shape, equivalent plastic strain, volumetric strain of the jelly roll, contact
pressure, where and when the short starts, and the standard's verdict.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel

from cellwright.engines.api import Progress
from cellwright.engines.mechanics.crush_spec import STANDARD_GRAVITY, CrushSpec
from cellwright.projects.model import DesignSnapshot, InputError, Result

__all__ = ["CrushEngine"]


class CrushEngine:
    """Quasi-static crush with short-circuit onset and the standard's verdict."""

    id: ClassVar[str] = "mechanics.crush"
    title: ClassVar[str] = "Crush, squeeze and indentation (large-deformation FEM, short onset)"
    version: ClassVar[str] = "1.0"
    Spec: ClassVar[type[BaseModel]] = CrushSpec
    libraries: ClassVar[tuple[str, ...]] = ("gmsh", "numpy", "scipy", "numba", "pypardiso")

    def validate(self, spec: CrushSpec, design: DesignSnapshot) -> None:
        """Foam parameters exist, a pack target has a pack, an imported file exists."""
        from cellwright.engines.mechanics.crush_build import foam_for
        from cellwright.engines.mechanics.spec import with_geometry

        if spec.target == "pack" and design.pack is None and spec.geometry is None:
            raise InputError("spec.target: 'pack' needs a pack design in the study")
        if spec.geometry is not None and not Path(spec.geometry.file).is_file():
            raise InputError(f"spec.geometry.file: {spec.geometry.file} not found")
        foam_for(spec, with_geometry(design) if spec.geometry is None else design)

    def run(
        self, spec: CrushSpec, design: DesignSnapshot, progress: Progress, workdir: Path
    ) -> Result:
        """Mesh, set up, follow the indenter to the stop and write the result."""
        from cellwright.engines.mechanics.crush_run import CrushRun

        started = time.perf_counter()
        progress.update(0.0, "meshing the part")
        run = CrushRun.prepare(spec, design, progress)
        result = run.solve()
        result.scalars["Wall time [s]"] = time.perf_counter() - started
        return result


def part_weight(problem) -> float:
    """Weight [N] of the meshed part (its mass under standard gravity)."""
    system_mass = 0.0
    a = problem.model.assembler
    for name, idx in problem.model.regions.items():
        system_mass += problem.model.materials[name].density * float(a.volume[idx].sum())
    return system_mass * STANDARD_GRAVITY
