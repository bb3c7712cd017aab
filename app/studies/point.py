"""Running one point of a design study: apply its values, run the engine, read its outputs.

This is what runs on a Dask worker (or inline). It is handed the study's base spec and design
snapshot once (scattered to the workers) and only the point's values per task, and it returns
plain data: the outcome, the result and the outputs.

Outputs are the result's scalars plus, when the point's design has a geometry, the design's own
figures from the builder (capacity, mass, energy density, material cost), and the simulated
discharge energy per cell mass and volume when the engine reports a discharge energy: the
figures a designer trades against each other.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cellwright.projects.model import DesignSnapshot, InputError, Result

__all__ = ["PointOutcome", "design_outputs", "run_point"]


@dataclass
class PointOutcome:
    """How one point went: ``result`` and ``outputs`` when it ran, else ``error``."""

    index: int
    ok: bool
    result: Result | None = None
    outputs: dict[str, float] = field(default_factory=dict)
    error: str = ""
    wall_time: float = 0.0
    worker: str = ""


def design_outputs(snapshot: DesignSnapshot) -> dict[str, float]:
    """The builder's figures of the snapshot's cell (empty for a datasheet-only cell)."""
    if snapshot.cell.geometry is None or snapshot.pack is not None:
        return {}
    from cellwright.projects.design import cell_figures

    f = cell_figures(snapshot.cell, snapshot.materials, snapshot.reference_cell)
    return {
        "Design capacity [A.h]": f.capacity,
        "Design energy [W.h]": f.energy,
        "Cell mass [kg]": f.total_mass,
        "Cell volume [m3]": f.total_volume,
        "Specific energy [W.h.kg-1]": f.gravimetric_energy_density,
        "Energy density [W.h.L-1]": f.volumetric_energy_density,
        "Material cost [USD]": f.total_cost,
        "Cost per energy [USD.kWh-1]": f.cost_per_kwh,
        "N/P ratio": f.np_ratio,
    }


def _outputs(result: Result, snapshot: DesignSnapshot) -> dict[str, float]:
    out = {name: float(v) for name, v in result.scalars.items()}
    figures = design_outputs(snapshot)
    out.update(figures)
    energy = result.scalars.get("Discharge energy [W.h]")
    if energy is not None and figures:
        out["Discharge specific energy [W.h.kg-1]"] = energy / figures["Cell mass [kg]"]
        out["Discharge energy density [W.h.L-1]"] = energy / (figures["Cell volume [m3]"] * 1e3)
        out["Discharge cost per energy [USD.kWh-1]"] = figures["Material cost [USD]"] / (
            energy / 1e3
        )
    capacity = result.scalars.get("Discharge capacity [A.h]")
    if capacity is not None and figures:  # rate capability: what a C-rate leaves of the design
        out["Capacity utilisation [1]"] = capacity / figures["Design capacity [A.h]"]
    return out


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_point(
    engine_id: str,
    spec: dict[str, Any],
    snapshot: DesignSnapshot,
    index: int,
    values: dict[str, Any],
    is_cancelled: Callable[[], bool] | None = None,
) -> PointOutcome:
    """Run point ``index`` with ``values`` applied to ``spec`` and ``snapshot``.

    Never raises for what a point can get wrong (a refused value, an engine error, a solver
    failure): that is the point's error, and the study goes on with the others. A cancelled
    run raises :class:`cellwright.engines.api.Cancelled`.
    """
    from cellwright.app.jobs import JobRequest, JobState, execute
    from cellwright.app.studies.fields import apply_point
    from cellwright.engines.api import Cancelled, load_engine

    started = time.perf_counter()
    worker = _worker_name()
    try:
        engine = load_engine(engine_id)
        point_spec, point_snapshot = apply_point(engine, spec, snapshot, values)
    except InputError as exc:
        return PointOutcome(index, False, error=str(exc), worker=worker)
    request = JobRequest(engine_id, point_spec, point_snapshot, title=f"point {index}")
    state, result, error, _details = execute(request, lambda _e: None, is_cancelled or bool)
    elapsed = time.perf_counter() - started
    if state == JobState.CANCELLED:
        raise Cancelled("cancelled by the user")
    if state != JobState.DONE or result is None:
        return PointOutcome(index, False, error=error, wall_time=elapsed, worker=worker)
    try:
        outputs = _outputs(result, point_snapshot)
    except InputError as exc:  # the builder refuses the design the point describes
        return PointOutcome(index, False, error=str(exc), wall_time=elapsed, worker=worker)
    return PointOutcome(index, True, result, outputs, wall_time=elapsed, worker=worker)
