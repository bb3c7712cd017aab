"""Channel cooling of a pack from its coolant network (``cfd.network``), coupled to conduction.

Every triangle of the mesh's ``channel_walls`` belongs to one branch of the plate's network and
to one segment along it (the network is built from the same layout as the mesh). Each coupling
step:

1. the heat each wall triangle gave the coolant over the step, h0 A (T_wall - T_c) +
   (h - h0) A (T_wall,prev - T_c), is summed per segment;
2. the network marches the coolant with that heat (energy-conserving, in enthalpy), re-solving
   the flow split when the coolant's viscosity or density has moved (see
   :class:`cellwright.engines.cfd.network_solver.NetworkSolver`), which also gives each
   segment its h from its Reynolds and Prandtl numbers;
3. the wall triangles get the new local coolant temperature, interpolated along the segment.

The conduction matrix keeps the first h (h0) so that its factorisation is reused; the change of
h since then enters the load, lagged by one step (a deferred correction). The heat the walls
give is then exactly the heat the coolant takes, and the run's energy balance (heat generated =
heat stored + heat to the coolant + heat to the surroundings) is checked.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from pydantic import BaseModel, ConfigDict, Field

from cellwright.engines.api import EngineError
from cellwright.projects.model import InputError

__all__ = ["CoolingRecord", "CoolingSpec", "NetworkCooling"]

_GROUP = "channel_walls"


class CoolingSpec(BaseModel):
    """Cooling of a pack's channel walls by its coolant network."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field("network", pattern="^network$")
    network: dict[str, Any] = Field(
        default_factory=dict,
        description="the cfd.network spec (coolant, flow_rate or pump_curve, inlet_temperature "
        "…); default: the pack's cooling plate as designed",
    )
    update_every: int = Field(1, ge=1, le=1000, description="conduction steps per exchange")


def network_spec(spec: CoolingSpec):
    """The cfd.network spec of ``spec``, checked for a coupling to the pack's own plate.

    Raises
    ------
    InputError
        Naming spec.cooling.network and what is wrong.
    """
    from pydantic import ValidationError

    from cellwright.engines.cfd.network_spec import NetworkSpec
    from cellwright.projects.model import describe_validation_error

    try:
        net_spec = NetworkSpec.model_validate({"segments": 20, **spec.network})
    except ValidationError as exc:
        raise describe_validation_error(exc, prefix="spec.cooling.network") from None
    if net_spec.channels or net_spec.plates != 1:
        raise InputError(
            "spec.cooling.network: the coupled network is the pack's own plate (no channels "
            "list, plates = 1)"
        )
    return net_spec


class NetworkCooling:
    """The coolant side of a pack's conduction problem.

    Parameters
    ----------
    problem
        The pack's :class:`cellwright.engines.thermal.setup.ThermalProblem`.
    spec
        The cooling spec.
    design
        The snapshot (coolant and plate from its pack).
    """

    def __init__(self, problem, spec: CoolingSpec, design) -> None:
        from cellwright.engines.cfd.network import network_setup
        from cellwright.engines.thermal import fem

        net_spec = network_spec(spec)
        self.setup = network_setup(net_spec, design, layout=problem.layout)
        self.network = self.setup.network
        model = problem.model
        self.tris = model.boundaries[_GROUP]
        points = problem.mesh.points
        self.area = fem.tri_geometry(points, self.tris).area
        self.n_nodes = points.shape[0]
        self.branch, self.segment, self.position = self._locate(points[self.tris].mean(axis=1))
        self.wall_mean = self._mean_operator()
        self.solver = self.setup.solver
        self._first_solve()
        self.h0 = self._h_per_triangle()
        model.convection_field(_GROUP, self.h0, np.zeros_like(self.h0))
        self.coolant_t = self._coolant_per_triangle()
        self.h = self.h0.copy()
        self.wall_prev = self.coolant_t.copy()
        self.heat_to_coolant = 0.0  # J over the run
        self.steps = 0
        self.update_every = spec.update_every

    # -- geometry: which branch and segment each wall triangle belongs to ----------------------
    def _locate(self, centroids: np.ndarray):
        branches = self.network.branches
        n = centroids.shape[0]
        owner = np.full(n, -1)
        segment = np.zeros(n, np.int64)
        position = np.zeros(n)
        # manifolds and U-turns first: where they overlap a channel's end, they own the walls
        order = sorted(range(len(branches)), key=lambda k: branches[k].axis == 0)
        for k in order:
            b = branches[k]
            if b.box is None:
                continue
            x0 = np.array(b.box[:3])
            size = np.array(b.box[3:])
            eps = 1e-6 + 1e-3 * size
            inside = np.all((centroids >= x0 - eps) & (centroids <= x0 + size + eps), axis=1)
            take = inside & (owner < 0)
            s = (centroids[take, b.axis] - x0[b.axis]) / size[b.axis]
            s = np.clip(s if b.direction > 0 else 1.0 - s, 0.0, 1.0 - 1e-12)
            owner[take] = k
            segment[take] = (s * b.segments).astype(np.int64)
            position[take] = s * b.segments - segment[take]
        if (owner < 0).any():
            raise EngineError(
                f"{int((owner < 0).sum())} channel-wall faces lie in no branch of the plate's "
                "network: the mesh and the network disagree"
            )
        return owner, segment, position

    def _mean_operator(self) -> sp.csr_matrix:
        """(triangles x nodes): each triangle's mean temperature (exact for linear elements)."""
        n = self.tris.shape[0]
        rows = np.repeat(np.arange(n), 3)
        return sp.csr_matrix(
            (np.full(3 * n, 1 / 3), (rows, self.tris.ravel())), shape=(n, self.n_nodes)
        )

    # -- the coolant ---------------------------------------------------------------------------
    def _first_solve(self) -> None:
        s = self.setup
        solution = self.solver.solve(s.flow_rate, s.pump)  # no heat yet: the inlet temperature
        self.solution = solution
        self._temps = np.array([np.mean(t) for t in solution.segment_temperatures])
        self._solved_at = self._temps.copy()

    def _h_per_triangle(self) -> np.ndarray:
        h = self.solution.segment_h
        return np.array([h[b][s] for b, s in zip(self.branch, self.segment, strict=True)])

    def _coolant_per_triangle(self) -> np.ndarray:
        seg_t = self.solution.segment_temperatures
        t0 = np.array([seg_t[b][s] for b, s in zip(self.branch, self.segment, strict=True)])
        t1 = np.array([seg_t[b][s + 1] for b, s in zip(self.branch, self.segment, strict=True)])
        forward = np.array([self.solution.flows[b] >= 0 for b in self.branch])
        # segment temperatures run from the branch's start: interpolate in that direction
        start, end = np.where(forward, t0, t1), np.where(forward, t1, t0)
        along = np.where(forward, self.position, 1.0 - self.position)
        return start + (end - start) * along

    def load(self) -> np.ndarray:
        """Nodal load [W] of the coolant on the walls: h0 T_c, and the lagged change of h."""
        from cellwright.engines.thermal import fem

        flux = self.h0 * self.coolant_t + (self.h - self.h0) * (self.coolant_t - self.wall_prev)
        return fem.surface_load(self.n_nodes, self.tris, _Area(self.area), flux)

    def exchange(self, temps: np.ndarray, dt: float) -> float:
        """After a conduction step of ``dt`` ending at ``temps``: pass the walls' heat to the
        coolant, march it, and update h and T_c; returns the heat rate into the coolant [W]."""
        wall = self.wall_mean @ temps
        per_tri = self.area * (
            self.h0 * (wall - self.coolant_t)
            + (self.h - self.h0) * (self.wall_prev - self.coolant_t)
        )
        heat = [np.zeros(b.segments) for b in self.network.branches]
        flat = np.zeros(sum(b.segments for b in self.network.branches))
        offsets = np.cumsum([0] + [b.segments for b in self.network.branches])
        np.add.at(flat, offsets[self.branch] + self.segment, per_tri)
        for k in range(len(heat)):
            heat[k] = flat[offsets[k] : offsets[k + 1]]
        self._march(heat)
        self.wall_prev = wall
        rate = float(per_tri.sum())
        self.heat_to_coolant += rate * dt
        self.steps += 1
        return rate

    def _march(self, heat: list[np.ndarray]) -> None:
        solver, s = self.solver, self.setup
        if solver._properties_moved(self._solved_at, self._temps):
            self.solution = solver.solve(s.flow_rate, s.pump, heat, temps=self._temps)
            self._solved_at = self._temps.copy()
        else:
            old = self.solution
            node_t, seg_t, seg_q, seg_h, _ = solver.march(old.flows, old.states, self._temps, heat)
            old.node_temperatures, old.segment_temperatures = node_t, seg_t
            old.segment_heat, old.segment_h = seg_q, seg_h
        self._temps = np.array([np.mean(t) for t in self.solution.segment_temperatures])
        self.h = self._h_per_triangle()
        self.coolant_t = self._coolant_per_triangle()

    # -- what the result reports -----------------------------------------------------------------
    def outlet_temperature(self) -> float:
        """Mixed coolant temperature at the outlet [K]."""
        return float(self.solution.node_temperatures[self.network.outlet])

    def pressure_drop(self) -> float:
        """Inlet-to-outlet pressure drop [Pa]."""
        p = self.solution.pressures
        return float(p[self.network.inlet] - p[self.network.outlet])


class _Area:
    """What :func:`fem.surface_load` reads of a TriGeometry."""

    def __init__(self, area: np.ndarray) -> None:
        self.area = area


class CoolingRecord:
    """What happens over a run: per step heat into the coolant and to the surroundings,
    stored energy, outlet temperature, and coolant node temperatures at field outputs."""

    def __init__(self, cooling: NetworkCooling, problem, system, steps: int, scheme: str):
        self.cooling, self.scheme = cooling, scheme
        self.capacity = np.asarray(system.mass.sum(axis=0)).ravel()  # 1^T M: J/K per node
        self.coolant = np.zeros(steps + 1)  # W into the coolant over the step ending here
        self.ambient = np.zeros(steps + 1)  # W to the surroundings, likewise
        self.outlet = np.full(steps + 1, cooling.outlet_temperature())
        self.energy = np.zeros(steps + 1)  # J stored (1^T M T)
        self.node_temperatures = [cooling.solution.node_temperatures.copy()]
        self._meters, self.metered = _ambient_meters(problem)

    def start(self, temps: np.ndarray) -> None:
        """The state before the first step."""
        self.energy[0] = self.capacity @ temps

    def step(self, k: int, temps: np.ndarray, dt: float, store_field: bool) -> None:
        """Book step ``k`` (ended at ``temps``) and exchange with the coolant."""
        self.energy[k] = self.capacity @ temps
        self.ambient[k] = sum(meter(temps) for meter in self._meters)
        if k % self.cooling.update_every == 0:
            self.coolant[k] = self.cooling.exchange(temps, dt * self.cooling.update_every)
        self.outlet[k] = self.cooling.outlet_temperature()
        if store_field:
            self.node_temperatures.append(self.cooling.solution.node_temperatures.copy())

    def balance(self, generated: float, dt: float) -> tuple[float, float, float]:
        """(stored, to the coolant, to the surroundings) [J] as the time scheme counts them."""
        e = self.energy
        if self.scheme == "bdf2" and e.size > 2:  # telescoped BDF2 (first step backward Euler)
            stored = 1.5 * e[-1] - 0.5 * e[-2] - 0.5 * e[1] - 0.5 * e[0]
        else:
            stored = e[-1] - e[0]
        return stored, float(self.coolant.sum() * dt), float(self.ambient.sum() * dt)


def _ambient_meters(problem):
    """Heat rate [W] out through each non-channel condition, as functions of the temperatures;
    False when a fixed-temperature face makes that heat unknown here."""
    from cellwright.engines.thermal import fem

    model, meters, metered = problem.model, [], True
    points = problem.mesh.points
    for bc in model.conditions:
        if bc.group == _GROUP:
            continue
        tris = model.boundaries[bc.group]
        area = fem.tri_geometry(points, tris).area
        mean = sp.csr_matrix(
            (np.full(3 * len(tris), 1 / 3), (np.repeat(np.arange(len(tris)), 3), tris.ravel())),
            shape=(len(tris), points.shape[0]),
        )
        if bc.kind == "convection":
            meters.append(
                lambda t, a=area, m=mean, h=bc.a, amb=bc.b: float((a * h * (m @ t - amb)).sum())
            )
        elif bc.kind == "flux":
            meters.append(lambda t, a=area, q=bc.a: -float((a * q).sum()))
        else:
            metered = False
    return meters, metered


def cooling_report(
    record: CoolingRecord, series, scalars, tables, meshes, fields, field_times, prov
) -> None:
    """Add the coolant's series, scalars, branch table, network mesh and fields, correlations
    and energy balance to a conduction result's parts."""
    from cellwright.engines.cfd.network_result import network_result
    from cellwright.projects.model import FieldData

    cooling = record.cooling
    dt = float(series["Time [s]"][1] - series["Time [s]"][0]) if series["Time [s]"].size > 1 else 0
    series["Heat into coolant [W]"] = record.coolant
    series["Heat to surroundings [W]"] = record.ambient
    series["Coolant outlet temperature [K]"] = record.outlet
    network = network_result(cooling.setup, cooling.solution, 0.0)
    for name in (
        "Total flow rate [m3/s]",
        "Pressure drop [Pa]",
        "Hydraulic pumping power [W]",
        "Channel flow maldistribution (max/min) [-]",
    ):
        if name in network.scalars:
            scalars[f"Coolant {name[0].lower()}{name[1:]}"] = network.scalars[name]
    scalars["Coolant inlet temperature [K]"] = cooling.solver.inlet_temperature
    scalars["Maximum coolant outlet temperature [K]"] = float(record.outlet.max())
    generated = scalars["Heat generated [J]"]
    stored, coolant, ambient = record.balance(generated, dt)
    scalars["Heat into coolant [J]"] = coolant
    if record.metered:
        scalars["Heat to surroundings [J]"] = ambient
        scalars["Energy balance error [-]"] = abs(generated - stored - coolant - ambient) / max(
            abs(generated), 1e-300
        )
    tables["coolant branches"] = network.tables["branches"]
    tables["coolant along flow path"] = network.tables["along flow path"]
    if "channels" in network.tables:
        tables["coolant channels"] = network.tables["channels"]
    meshes["coolant network"] = network.meshes["network"]
    fields.append(
        FieldData(
            name="Coolant temperature [K]",
            mesh="coolant network",
            association="point",
            times=np.asarray(field_times),
            values=np.asarray(record.node_temperatures),
        )
    )
    prov.methods = [*prov.methods, *network.provenance.methods]
    prov.warnings.extend(network.provenance.warnings)
