"""``cfd.network``: flow split, pressure drop and coolant temperatures of a channel network.

The network is the pack design's cooling plate (serpentine, or parallel channels between
manifolds fed U- or Z-wise; several plates in series or in parallel) or the channels a study
file lists. The flow is a given rate or the operating point on a pump curve; heat enters the
coolant through the channel walls (a total shared by wetted area, per channel, or a wall at a
given temperature). Friction, minor losses and Nusselt numbers come from ``fluids`` and ``ht``
and from the sources named in :mod:`cellwright.engines.cfd.correlations`; every correlation
used is listed in the result's provenance.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
from pydantic import BaseModel

from cellwright.engines.api import Progress
from cellwright.engines.cfd.network_spec import NetworkSpec
from cellwright.projects.model import DesignSnapshot, InputError, Result

__all__ = ["NetworkEngine", "NetworkSetup", "network_setup"]

_DEFAULT_COOLANT = "water-glycol-50"
_DEFAULT_FLOW = 2.0 / 60000  # m^3/s (2 L/min), as CoolingPlate's default


@dataclass
class NetworkSetup:
    """A network ready to solve: the network, its coolant, solver, flow or pump, and heat."""

    network: object
    coolant: object
    solver: object
    flow_rate: float | None
    pump: object | None
    heat: list
    wall_temperature: list | None
    cells: int


def network_setup(spec: NetworkSpec, design: DesignSnapshot, layout=None) -> NetworkSetup:
    """Build the network, coolant and solver of a study; raises :class:`InputError` naming the
    field for anything that cannot be solved. ``layout``: the pack layout to use (the thermal
    engine passes the one its mesh was built from)."""
    from cellwright.engines.cfd.coolants import coolant_for
    from cellwright.engines.cfd.network_pump import PumpCurve
    from cellwright.engines.cfd.network_solver import NetworkSolver

    plate = design.pack.cooling_plate if design.pack is not None else None
    if spec.channels:
        from cellwright.engines.cfd.network_file import listed_network

        network, cells = listed_network(spec), 0
    else:
        network, cells = _plate_network(spec, design, layout)
    coolant_id = spec.coolant or (plate.coolant if plate and not spec.channels else None)
    coolant = coolant_for(coolant_id or _DEFAULT_COOLANT, design.materials)
    inlet_t = spec.inlet_temperature or (plate.inlet_temperature if plate else 298.15)
    coolant.check(inlet_t, "spec.inlet_temperature")
    pump_points = spec.pump_curve or (plate.pump_curve if plate and not spec.channels else None)
    pump = PumpCurve(pump_points) if pump_points else None
    flow = spec.flow_rate or (plate.flow_rate if plate and not spec.channels else _DEFAULT_FLOW)
    solver = NetworkSolver(
        network,
        coolant,
        inlet_t,
        spec.outlet_pressure,
        spec.wall_condition,
        spec.laminar_heat_transfer,
        spec.entrance_effects,
    )
    total_heat = spec.heat_load if spec.heat_load is not None else (spec.heat_per_cell or 0) * cells
    heat, walls = _heat(network, total_heat)
    return NetworkSetup(network, coolant, solver, flow, pump, heat, walls, cells)


def _plate_network(spec: NetworkSpec, design: DesignSnapshot, layout):
    from cellwright.engines.cfd.network_plate import HoseSpec, plate_network

    pack = design.pack
    if pack is None or pack.cooling_plate is None:
        raise InputError(
            "spec.channels: list the channels of the network, or run the study on a pack design "
            "with a cooling plate"
        )
    if layout is None:
        from cellwright.projects.design import cell_box, pack_layout
        from cellwright.projects.design.report import cell_summary_for

        summary, _ = cell_summary_for(design)
        layout = pack_layout(pack, cell_box(summary, pack))
    hose = HoseSpec(spec.hose_diameter, spec.hose_length)
    network = plate_network(
        pack.cooling_plate,
        layout,
        spec.segments,
        spec.plates,
        spec.plate_connection,
        hose,
        spec.roughness,
    )
    network.check("cooling_plate")
    return network, pack.cell_count


def _heat(network, total: float) -> tuple[list, list | None]:
    """Heat per segment: ``total`` shared by the heated branches' wetted areas, except where a
    branch has its own heat or a wall temperature."""
    shared = [b for b in network.branches if b.heat is None and b.wall_temperature is None]
    area = sum(b.wetted_area for b in shared)
    heat, walls = [], []
    for b in network.branches:
        if b.wall_temperature is not None:
            heat.append(None)
            walls.append(np.full(b.segments, b.wall_temperature))
            continue
        watts = b.heat if b.heat is not None else (total * b.wetted_area / area if area else 0.0)
        heat.append(np.full(b.segments, watts / b.segments))
        walls.append(None)
    return heat, (walls if any(w is not None for w in walls) else None)


class NetworkEngine:
    """1D coolant network: flow split, pressure drop, h, coolant temperatures, pump point."""

    id: ClassVar[str] = "cfd.network"
    title: ClassVar[str] = "Coolant channel network (flow split, pressure drop, heat transfer)"
    version: ClassVar[str] = "1.0"
    Spec: ClassVar[type[BaseModel]] = NetworkSpec
    libraries: ClassVar[tuple[str, ...]] = ("fluids", "ht", "CoolProp", "numpy", "scipy")

    def validate(self, spec: NetworkSpec, design: DesignSnapshot) -> None:
        """Build the network (cheap): every bad channel, node, coolant or curve is named."""
        network_setup(spec, design)

    def run(
        self, spec: NetworkSpec, design: DesignSnapshot, progress: Progress, workdir: Path
    ) -> Result:
        """Solve the network and report branches, channels, nodes and profiles."""
        from cellwright.engines.cfd.network_result import network_result

        started = time.perf_counter()
        progress.update(0.05, "building the network")
        setup = network_setup(spec, design)
        progress.update(0.2, f"solving {len(setup.network.branches)} branches")
        solution = setup.solver.solve(
            setup.flow_rate, setup.pump, setup.heat, setup.wall_temperature
        )
        solve_time = time.perf_counter() - started
        progress.update(0.9, "collecting results")
        return network_result(setup, solution, solve_time)
