"""``mechanics.swelling``: thickness change of pouch and prismatic cells over charge and life,
and the force it puts on a module's end plates through the compression pads.

Each cell's free thickness follows the volume change of its active materials with their
lithiation (:mod:`~cellwright.engines.mechanics.swelling_cell`, built from the design by
:mod:`~cellwright.engines.mechanics.swelling_build`); the module stack of cells and pads between
end plates on tie rods is solved for its force at every state
(:mod:`~cellwright.engines.mechanics.swelling_stack`). Results: series over a charge/discharge,
a table over life (force at full charge against state of health), scalars, and a warning when
the force passes the design limit.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar

import numpy as np
from pydantic import BaseModel

from cellwright.engines.api import Progress
from cellwright.engines.mechanics.swelling_data import (
    Curve,
    compression_curve,
    make_curve,
    volume_change_curve,
)
from cellwright.engines.mechanics.swelling_spec import StressCurve, SwellingSpec
from cellwright.engines.mechanics.swelling_stack import ModuleStack
from cellwright.projects.model import DesignSnapshot, InputError, Result

__all__ = ["SwellingEngine", "SwellingSpec", "cycle_soc"]

METHODS = [
    "electrode thickness: in-plane-constrained coatings, Δt = Σ n L ε_s Δ(ΔV/V) (Rieger et al. "
    "2016, J. Electrochem. Soc. 163 A1566; PyBaMM 'Cell thickness change [m]')",
    "volume change data: resources/swelling/README.md (Rieger 2016 graphite, Ai 2020 LCO, "
    "Padhi 1997 LFP, Kondrakov 2017 NMC and, by lithium content (Jousseaume 2024), NMC532/622 "
    "and NCA, Hunter 1981 LMO, Ohzuku 1995 LTO, Obrovac 2004 Si)",
    "ageing: loss of lithium inventory shifts the windows (Birkl et al. 2017, J. Power Sources "
    "341 373); irreversible growth linear in capacity loss (Mohtat et al. 2021)",
    "module: cells, pads and tie rods in series, quasi-static 1D equilibrium (brentq)",
]


def cycle_soc(cycle) -> tuple[np.ndarray, np.ndarray]:
    """Time [s] and state of charge of ``cycle``: charge then discharge at the C-rate."""
    span = cycle.soc_max - cycle.soc_min
    leg = np.linspace(0.0, 1.0, cycle.points)
    socs, times = [np.array([cycle.soc_min])], [np.array([0.0])]
    t_leg = span / cycle.c_rate * 3600.0
    for k in range(2 * cycle.cycles):
        up = k % 2 == 0
        soc = cycle.soc_min + span * (leg if up else 1.0 - leg)
        socs.append(soc[1:])
        times.append(k * t_leg + leg[1:] * t_leg)
    return np.concatenate(times), np.concatenate(socs)


def _stress_curve(value: str | StressCurve, field: str) -> Curve:
    if isinstance(value, str):
        return compression_curve(value, field)
    return make_curve("compression", value.strain, value.stress, "study", field, increasing=True)


def _volume_curves(spec: SwellingSpec) -> dict[str, Curve | None]:
    out: dict[str, Curve | None] = {}
    for side in ("negative", "positive"):
        given = getattr(spec, f"{side}_volume_change")
        out[side] = None
        if given is not None:
            field = f"spec.{side}_volume_change"
            out[side] = make_curve(
                "volume change", given.stoichiometry, given.volume_change, "study", field
            )
    return out


class SwellingEngine:
    """End-plate force and pad strain of a module of swelling cells, over a cycle and life."""

    id: ClassVar[str] = "mechanics.swelling"
    title: ClassVar[str] = "Cell swelling and module end-plate force (charge and life)"
    version: ClassVar[str] = "1.0"
    Spec: ClassVar[type[BaseModel]] = SwellingSpec
    libraries: ClassVar[tuple[str, ...]] = ("numpy", "scipy", "pybamm")

    def validate(self, spec: SwellingSpec, design: DesignSnapshot) -> None:
        """Format, data sources, curves and chemistries, before any model is built."""
        cell = design.cell
        fmt = str(cell.format)
        if fmt not in ("pouch", "prismatic"):
            raise InputError(
                f"design: swelling needs a pouch or prismatic cell; {cell.name!r} is {fmt}"
            )
        _stress_curve(spec.pad.curve, "spec.pad.curve")
        _stress_curve(spec.cell_curve, "spec.cell_curve")
        curves = _volume_curves(spec)
        entered = cell.positive is not None and cell.negative is not None
        if entered and cell.geometry is None:
            raise InputError("geometry: swelling needs the cell's pouch or prismatic geometry")
        if not entered and not design.parameter_set:
            from cellwright.engines.mechanics.swelling_build import stack_for

            design, _ = stack_for(design)  # estimated from the datasheet, or refused
            cell, entered = design.cell, True
        ref = design.reference_cell
        if not entered and (ref is None or not (ref.anode and ref.cathode)):
            raise InputError(
                f"design: {cell.name!r} runs on PyBaMM set {design.parameter_set!r} but no "
                "reference cell names its anode and cathode chemistries"
            )
        for side in ("negative", "positive"):
            if curves[side] is not None:
                continue
            if entered:
                material = design.materials.get(getattr(cell, side).active_material)
                chemistry = material.chemistry if material else ""
            else:
                chemistry = ref.anode if side == "negative" else ref.cathode
            volume_change_curve(chemistry, f"{side}.active_material")

    def run(
        self, spec: SwellingSpec, design: DesignSnapshot, progress: Progress, workdir: Path
    ) -> Result:
        """Build the cell and the stack, then solve the cycle and the life states."""
        from cellwright.engines.mechanics.swelling_build import swelling_cell
        from cellwright.engines.mechanics.swelling_result import swelling_result

        started = time.perf_counter()
        progress.update(0.02, "cell thickness model")
        cell = swelling_cell(design, _volume_curves(spec))
        stack = ModuleStack(
            cells=spec.cells,
            pads=spec.pad.count if spec.pad.count is not None else spec.cells + 1,
            cell_thickness=cell.thickness,
            pad_thickness=spec.pad.thickness,
            cell_area=cell.face_area,
            pad_area=spec.pad.area or cell.face_area,
            cell_curve=_stress_curve(spec.cell_curve, "spec.cell_curve"),
            pad_curve=_stress_curve(spec.pad.curve, "spec.pad.curve"),
            tie_stiffness=spec.tie_stiffness,
            preload=spec.preload,
        )
        growth = (spec.life.growth, spec.life.growth_coefficient, spec.life.sei)
        times, soc = cycle_soc(spec.cycle)
        swell = cell.thickness_change(soc, spec.cycle.soh, *growth, spec.assembly_soc)
        states = []
        for k, delta in enumerate(swell):
            states.append(stack.solve(float(delta)))
            if k % 200 == 0:
                progress.update(0.05 + 0.75 * k / len(swell), "solving the stack over the cycle")
        progress.update(0.85, "solving the stack over life")
        life_soh, life_cycles = spec.life.states()
        life = []
        for soh in life_soh:
            full = cell.thickness_change(np.array([1.0]), soh, *growth, spec.assembly_soc)[0]
            empty = cell.thickness_change(np.array([0.0]), soh, *growth, spec.assembly_soc)[0]
            life.append((soh, full, empty, stack.solve(full), stack.solve(empty)))
        result = swelling_result(spec, cell, stack, (times, soc, swell, states),
                                 (life, life_cycles))  # fmt: skip
        result.provenance.methods = list(METHODS)
        result.scalars["Wall time [s]"] = time.perf_counter() - started
        return result
