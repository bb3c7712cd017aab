"""How a runaway study is started: oven, heater, nail or a forced cell, as loads on the mesh.

Each trigger becomes (a) the ambient temperature the convection boundary sees over time and
(b) a nodal heat load [W] that is switched on while the trigger lasts; a forced cell also sets
initial temperatures and, while it is held, fixed-temperature nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cellwright.engines.mesh.extract import tetra_volumes
from cellwright.engines.thermal import fem
from cellwright.engines.thermal.setup import ThermalProblem

__all__ = ["TriggerLoads", "ambient_schedule", "skin", "trigger_loads"]


def skin(tets: np.ndarray) -> np.ndarray:
    """Faces of a set of tetrahedra that belong to only one of them (its outer surface)."""
    faces = np.concatenate(
        [tets[:, [0, 1, 2]], tets[:, [0, 1, 3]], tets[:, [0, 2, 3]], tets[:, [1, 2, 3]]]
    )
    _, idx, counts = np.unique(np.sort(faces, axis=1), axis=0, return_index=True,
                               return_counts=True)  # fmt: skip
    return faces[idx[counts == 1]]


def ambient_schedule(spec) -> tuple[float, float, float]:
    """(start [K], end [K], ramp rate [K/s] or inf) of the air around the target."""
    if spec.trigger != "oven":
        return spec.ambient_temperature, spec.ambient_temperature, np.inf
    rate = spec.oven_ramp_rate if spec.oven_ramp_rate else np.inf
    start = spec.ambient_temperature if np.isfinite(rate) else spec.oven_temperature
    return start, spec.oven_temperature, rate


@dataclass
class TriggerLoads:
    """Nodal trigger heat [W], initial temperatures and held nodes of one study."""

    power: np.ndarray  # nodal load while the trigger is on [W]
    initial: np.ndarray  # node temperatures at t = 0 [K]
    held: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    held_temperature: float = 0.0
    description: str = ""


def _volume_load(points: np.ndarray, tets: np.ndarray, power: float) -> np.ndarray:
    vol = tetra_volumes(points, tets)
    q = np.full(tets.shape[0], power / vol.sum())  # W/m^3, uniform
    geo = fem.TetGeometry(vol, np.zeros((tets.shape[0], 4, 3)))
    return fem.load_vector(points.shape[0], tets, geo, q)


def trigger_loads(spec, problem: ThermalProblem) -> TriggerLoads:
    """The loads of ``spec.trigger`` on cell ``spec.trigger_cell`` of ``problem``."""
    mesh = problem.mesh
    points, tets = mesh.points, mesh.cells["tetra"]
    n = points.shape[0]
    initial = np.full(n, spec.initial_temperature)
    power = np.zeros(n)
    cell_tets = tets[problem.cell_tets[spec.trigger_cell]]
    name = f"cell {spec.trigger_cell}"
    if spec.trigger == "oven":
        return TriggerLoads(power, initial, description=f"oven at {spec.oven_temperature:g} K")
    if spec.trigger == "heater":
        if spec.heater_location == "volume":
            power = _volume_load(points, cell_tets, spec.heater_power)
        else:
            tris = problem.model.boundaries["side"] if problem.cell_count == 1 else None
            if tris is None:
                tris = skin(cell_tets)
            geo = fem.tri_geometry(points, tris)
            flux = np.full(tris.shape[0], spec.heater_power / geo.area.sum())
            power = fem.surface_load(n, tris, geo, flux)
        text = f"{spec.heater_power:g} W heater on the {spec.heater_location} of {name}"
        return TriggerLoads(power, initial, description=text)
    if spec.trigger == "nail":
        centroids = points[cell_tets].mean(axis=1)
        if spec.nail_position is not None:
            centre = np.asarray(spec.nail_position, dtype=float)
        else:  # the middle of the roll, half-way through its wound thickness from the axis
            mid = centroids.mean(axis=0)
            radial = np.linalg.norm(centroids[:, :2] - mid[:2], axis=1)
            target = 0.5 * (radial.min() + radial.max())
            centre = centroids[
                np.argmin(np.abs(radial - target) + np.abs(centroids[:, 2] - mid[2]))
            ]
        dist = np.linalg.norm(centroids - centre, axis=1)
        inside = dist <= spec.nail_radius
        if not inside.any():
            inside = dist == dist.min()
        power = _volume_load(points, cell_tets[inside], spec.nail_power)
        text = f"{spec.nail_power:g} W nail at {np.round(centre * 1e3, 2).tolist()} mm in {name}"
        return TriggerLoads(power, initial, description=text)
    # forced: the trigger cell's reacting region starts at (and may be held at) a temperature
    nodes = np.unique(cell_tets)
    initial[nodes] = spec.forced_temperature
    held = nodes if spec.trigger_duration else np.zeros(0, dtype=np.int64)
    text = f"{name} forced to {spec.forced_temperature:g} K"
    return TriggerLoads(power, initial, held, spec.forced_temperature, text)
