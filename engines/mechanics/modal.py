"""``mechanics.modal``: natural frequencies, mode shapes and effective masses of a cell, module,
pack or imported part, with a verdict against a target first frequency.

The structure (:mod:`cellwright.engines.mechanics.spec`) is meshed with quadratic tetrahedra,
held on its supports (or free), and its lowest modes found by shift-invert Lanczos
(:mod:`cellwright.engines.mechanics.eigen`). Mode shapes are stored at the mesh vertices, one
"time" per mode (1, 2, 3 …), so the 3D viewer and ParaView step through them.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar

import numpy as np
from pydantic import BaseModel, Field

from cellwright.engines.api import Progress
from cellwright.engines.mechanics.spec import Hertz, StructureSpec, prepare_structure
from cellwright.projects.model import DesignSnapshot, FieldData, InputError, Provenance, Result

__all__ = ["ModalEngine", "ModalSpec", "modal_result"]


class ModalSpec(StructureSpec):
    """Modal analysis: the structure, how many modes, and the first frequency it must exceed."""

    target_frequency: Hertz | None = Field(
        None, description="verdict: the first elastic mode must lie above this frequency"
    )


def check_target(spec: StructureSpec, design: DesignSnapshot) -> None:
    """What can be checked without meshing: a pack target needs a pack."""
    if spec.geometry is None and spec.target == "pack" and design.pack is None:
        raise InputError("spec.target: 'pack' needs a pack design in the study")


class ModalEngine:
    """Modes of a supported or free structure by shift-invert Lanczos on quadratic tetrahedra."""

    id: ClassVar[str] = "mechanics.modal"
    title: ClassVar[str] = "Modal analysis (natural frequencies, mode shapes, effective masses)"
    version: ClassVar[str] = "1.0"
    Spec: ClassVar[type[BaseModel]] = ModalSpec
    libraries: ClassVar[tuple[str, ...]] = ("gmsh", "numpy", "scipy", "numba", "pypardiso")

    def validate(self, spec: ModalSpec, design: DesignSnapshot) -> None:
        """A pack target needs a pack; an imported file must exist."""
        check_target(spec, design)
        if spec.geometry is not None and not Path(spec.geometry.file).is_file():
            raise InputError(f"spec.geometry.file: {spec.geometry.file} not found")

    def run(
        self, spec: ModalSpec, design: DesignSnapshot, progress: Progress, workdir: Path
    ) -> Result:
        """Mesh, assemble, solve; a table of modes and the mode shapes as a field."""
        from cellwright.engines.mechanics.eigen import solve_modes

        started = time.perf_counter()
        progress.update(0.02, "meshing the structure")
        problem = prepare_structure(spec, design)
        progress.update(0.25, f"{problem.quality}; assembling")
        system = problem.model.build()
        progress.update(0.4, f"solving for {spec.modes} modes ({system.free.size} unknowns)")
        modes = solve_modes(system, spec.modes, spec.rigid_below)
        if system.supported and modes.rigid.any():
            raise InputError(
                f"spec.supports: the supported model still has {int(modes.rigid.sum())} "
                f"rigid-body mode(s) below {spec.rigid_below:g} Hz: a support holds too few "
                "components (fix all of x, y and z somewhere)"
            )
        progress.update(0.95, "writing the result")
        result = modal_result(problem, system, modes, spec.target_frequency)
        result.scalars["Wall time [s]"] = time.perf_counter() - started
        return result


def mode_table(modes) -> dict[str, np.ndarray]:
    """Mode number, frequency, effective masses and their fractions of the total mass."""
    eff = modes.effective_mass
    table = {
        "Mode": np.arange(1, len(modes.frequencies) + 1, dtype=float),
        "Frequency [Hz]": modes.frequencies,
        "Rigid-body mode [-]": modes.rigid.astype(float),
    }
    for d, axis in enumerate("XYZ"):
        table[f"Effective mass {axis} [kg]"] = eff[:, d]
        table[f"Effective mass fraction {axis} [-]"] = eff[:, d] / modes.total_mass
    if modes.residual is not None:  # the last row, at its Rayleigh frequency
        table["Residual vector [-]"] = modes.residual.astype(float)
    return table


def modal_result(problem, system, modes, target: float | None) -> Result:
    """The modal result: table, mode-shape field, scalars and the verdict."""
    nv = system.mesh.n_vertices
    shapes = modes.shapes.reshape(-1, 3, modes.shapes.shape[1])[:nv].transpose(2, 0, 1)
    elastic = modes.frequencies[modes.elastic]
    first = float(elastic[0]) if elastic.size else float("nan")
    eff = modes.effective_mass[modes.elastic].sum(axis=0) / modes.total_mass
    scalars = {
        "First natural frequency [Hz]": first,
        "Modes": float(len(modes.frequencies)),
        "Rigid-body modes": float(modes.rigid.sum()),
        "Total mass [kg]": modes.total_mass,
        "Nodes": float(system.mesh.n_nodes),
        "Tetrahedra": float(system.mesh.tet10.shape[0]),
        "Degrees of freedom": float(modes.free.size),
    }
    for d, axis in enumerate("XYZ"):
        scalars[f"Effective mass captured {axis} [-]"] = float(eff[d])
    message = ""
    if target is not None:
        passed = bool(first > target)
        scalars["Target first frequency [Hz]"] = target
        scalars["Passes target [-]"] = float(passed)
        message = (
            f"first natural frequency {first:.1f} Hz is "
            f"{'above' if passed else 'below'} the target {target:g} Hz"
        )
    prov = Provenance(engine_id="mechanics.modal", engine_version="1.0", spec_hash="")
    prov.warnings.append(f"mesh: {problem.quality}")
    prov.warnings.extend(problem.warnings)
    return Result(
        name="Modal analysis",
        message=message,
        meshes={"design": problem.mesh},
        fields=[
            FieldData(
                name="Mode shape [-]",
                mesh="design",
                association="point",
                times=np.arange(1, shapes.shape[0] + 1, dtype=float),
                values=shapes,
            )
        ],
        scalars=scalars,
        tables={"modes": mode_table(modes)},
        provenance=prov,
    )
