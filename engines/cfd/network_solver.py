"""Flow split, pressures and coolant temperatures of a network.

Hydraulics: the global gradient method of Todini & Pilati (1988) — Newton's method on branch
flows and node pressures together. With each branch's law Δp = g(Q) linearised as
g(Q_k) + G (Q - Q_k), mass conservation A^T Q = s at every node but the outlet gives one
symmetric system for the pressures, (A^T G^-1 A) p = s - A^T Q_k + A^T G^-1 (g_k - ...), and
the flows follow from the pressures. The laws' coefficients (friction factor, minor losses at
the current Reynolds numbers) are re-evaluated until the flows stop changing.

Heat: with the flows known the coolant is marched node by node in the direction of flow
(pressure-driven flow through positive resistances has no loops): a node mixes what enters it
(energy balance sum m cp T), and each branch segment adds its heat, T_out = T_in + q/(m cp);
with a given wall temperature q = m cp (T_w - T_in)(1 - exp(-h A / (m cp))) instead
(Incropera et al. 6th ed., eq. 8.42b). Coolant properties follow the temperatures, so the
hydraulics and the march alternate until the temperatures settle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import numpy as np

from cellwright.engines.api import EngineError
from cellwright.engines.cfd.coolants import Coolant
from cellwright.engines.cfd.network_losses import BranchState, branch_state, segment_heat_transfer
from cellwright.engines.cfd.network_model import Network
from cellwright.projects.model import InputError

__all__ = ["NetworkSolution", "NetworkSolver"]

_FLOW_TOL = 1e-7  # relative Newton step in the branch flows that ends the iteration
_TEMP_TOL = 1e-2  # K change of branch temperatures that ends the thermal-hydraulic iteration


@dataclass
class NetworkSolution:
    """Everything a solved network holds; per-segment arrays run from a branch's start."""

    total_flow: float
    flows: np.ndarray  # m^3/s per branch
    pressures: np.ndarray  # Pa per node (gauge, outlet at its given pressure)
    node_temperatures: np.ndarray  # K
    states: list[BranchState]
    segment_temperatures: list[np.ndarray]  # K at segment boundaries (n_segments + 1)
    segment_heat: list[np.ndarray]  # W into the coolant per segment
    segment_h: list[np.ndarray]  # W/(m^2 K) per segment
    methods: set[str] = field(default_factory=set)
    iterations: int = 0

    @property
    def inlet_pressure(self) -> float:
        """Highest node pressure: the inlet's [Pa]."""
        return float(self.pressures.max())

    def branch_temperature(self, k: int) -> float:
        """Bulk mean coolant temperature of branch ``k`` [K]."""
        return float(np.mean(self.segment_temperatures[k]))


class NetworkSolver:
    """Solves one network for a coolant; keeps the last flows to warm-start the next solve.

    Parameters
    ----------
    network
        The checked network.
    coolant
        Its coolant.
    inlet_temperature
        Coolant temperature at the inlet [K].
    outlet_pressure
        Gauge pressure held at the outlet [Pa].
    wall
        Thermal condition the Nusselt numbers assume ("heat_flux" or "temperature").
    laminar_model
        "vdi", "hausen" or "fully_developed" (see :mod:`correlations`).
    developing
        Whether laminar friction includes the entrance region (apparent friction).
    """

    def __init__(
        self,
        network: Network,
        coolant: Coolant,
        inlet_temperature: float,
        outlet_pressure: float = 0.0,
        wall: str = "heat_flux",
        laminar_model: str = "vdi",
        developing: bool = True,
    ) -> None:
        self.network, self.coolant = network, coolant
        self.inlet_temperature, self.outlet_pressure = inlet_temperature, outlet_pressure
        self.wall, self.laminar_model, self.developing = wall, laminar_model, developing
        self.incidence = network.incidence()
        self.areas = np.array([b.area for b in network.branches])
        self.free = np.array([i != network.outlet for i in range(len(network.nodes))])
        self._out: list[list[int]] = [[] for _ in network.nodes]  # branches starting at a node
        self._in: list[list[int]] = [[] for _ in network.nodes]  # branches ending at a node
        for k, b in enumerate(network.branches):
            self._out[b.start].append(k)
            self._in[b.end].append(k)
        self._flows: np.ndarray | None = None
        self._total = 0.0
        # branches whose pressure drop depends on branch j's flow: j itself and its tees' users
        self._dependents = [[j] for j in range(len(network.branches))]
        for k, b in enumerate(network.branches):
            for f in b.fittings:
                if f.partner >= 0 and k not in self._dependents[f.partner]:
                    self._dependents[f.partner].append(k)

    def solve(
        self,
        total_flow: float | None = None,
        pump=None,
        heat: list[np.ndarray] | None = None,
        wall_temperature: list[np.ndarray] | None = None,
        temps: np.ndarray | None = None,
    ) -> NetworkSolution:
        """Flows, pressures and temperatures for a given ``total_flow`` [m^3/s] or the
        operating point on a ``pump`` curve, with ``heat`` [W per segment] or a
        ``wall_temperature`` [K per segment] (neither: no heat)."""
        from cellwright.engines.cfd.network_pump import operating_point

        n = len(self.network.branches)
        temps = np.full(n, self.inlet_temperature) if temps is None else temps.copy()
        iterations, solved_at = 0, None
        while True:
            iterations += 1
            if solved_at is None or self._properties_moved(solved_at, temps):
                if pump is not None:
                    total_flow = operating_point(pump, partial(self.system_pressure, temps=temps))
                flows, pressures, states = self.hydraulics(total_flow, temps)
                solved_at = temps
            self._check_stagnant(flows, heat)
            node_t, seg_t, seg_q, seg_h, names = self.march(
                flows, states, temps, heat, wall_temperature
            )
            new = np.array([np.mean(t) for t in seg_t])
            self._check_range(seg_t)
            change = float(np.max(np.abs(new - temps)))
            temps = new
            if change < _TEMP_TOL or self._constant_properties:
                break
            if iterations == 30:
                raise EngineError(
                    f"the coolant temperatures did not settle in 30 iterations (last change "
                    f"{change:.3g} K): the heat is too large for the flow"
                )
        methods = names | {s.friction_name for s in states}
        methods |= {m for s in states for m in s.minor_names}
        return NetworkSolution(
            total_flow, flows, pressures, node_t, states, seg_t, seg_q, seg_h, methods, iterations
        )

    def _properties_moved(self, before: np.ndarray, now: np.ndarray) -> bool:
        """Whether viscosity or density changed by more than 0.1 % in some branch since the
        flows were solved (below that, Δp moves less than the correlations' own accuracy)."""
        for prop in (self.coolant.viscosity, self.coolant.density):
            if np.max(np.abs(prop(now) / prop(before) - 1.0)) > 1e-3:
                return True
        return False

    @property
    def _constant_properties(self) -> bool:
        from cellwright.engines.cfd.coolants import is_constant

        return is_constant(self.coolant)

    def _check_range(self, seg_t: list[np.ndarray]) -> None:
        """Raise unless every segment's coolant temperature lies within the property data: the
        branch means alone would let a branch's outlet leave the range unseen."""
        coolant = self.coolant
        for k, t in enumerate(seg_t):
            if t.max() <= coolant.t_max and t.min() >= coolant.t_min:
                continue
            b = self.network.branches[k]
            worst = float(t.max() if t.max() > coolant.t_max else t.min())
            cause = (
                f"its wall is held at {b.wall_temperature:.1f} K; give a wall_temperature "
                "within that range or another coolant"
                if b.wall_temperature is not None
                else "raise the flow or lower the heat"
            )
            raise EngineError(
                f"the coolant reaches {worst:.1f} K in {b.name!r}, outside the range of "
                f"{coolant.name} ({coolant.t_min:.0f} to {coolant.t_max:.0f} K): {cause}"
            )

    def _check_stagnant(self, flows: np.ndarray, heat: list | None) -> None:
        """Refuse heat on a branch that carries no flow: stagnant coolant heated at a steady
        rate has no steady temperature (the march would divide the heat by a zero mass flow)."""
        if heat is None:
            return
        total = float(np.max(np.abs(flows)))
        for k, q in enumerate(heat):
            if q is not None and np.any(q != 0) and abs(flows[k]) <= 1e-9 * total:
                raise InputError(
                    f"{self.network.branches[k].name!r} carries no flow (a dead end, or a loop "
                    "whose pressures balance) but is given heat: stagnant coolant has no steady "
                    "temperature; remove its heat or join its far end to the outlet",
                    "spec.channels",
                )

    # -- hydraulics ---------------------------------------------------------------------------
    def hydraulics(self, total: float, temps: np.ndarray) -> tuple[np.ndarray, np.ndarray, list]:
        """Branch flows, node pressures and branch states for ``total`` [m^3/s] entering.

        A first pass solves the network with every branch law frozen at the starting flows
        (Todini & Pilati's gradient method, which closes every node's mass balance exactly);
        Newton's method on flows and pressures together then converges quadratically, with
        each branch's pressure-drop derivatives (on its own flow and on the flow a tee refers
        to) taken by finite differences.
        """
        rho = self.coolant.density(temps)
        mu = self.coolant.viscosity(temps)
        flows = self._start_flows(total)
        flows, pressures = self._gradient(self._states(flows, rho, mu), flows, total)
        change = np.inf
        for _ in range(40):
            flows, pressures, change = self._newton_step(flows, pressures, rho, mu, total)
            if change < _FLOW_TOL:
                break
        else:
            raise EngineError(f"the flow split did not converge (last change {change:.2e})")
        self._flows, self._total = flows, total
        return flows, pressures, self._states(flows, rho, mu)

    def _gradient(self, states, flows: np.ndarray, total: float):
        """Todini & Pilati's gradient method for the laws dp = a Q + b Q|Q| held fixed."""
        a = np.array([s.a for s in states])
        b = np.array([s.b for s in states])
        a_mat, free = self.incidence, self.free
        af = a_mat[:, free]
        fixed = a_mat[:, ~free] @ np.array([self.outlet_pressure])
        pressures = np.full(len(self.network.nodes), self.outlet_pressure)
        for _ in range(50):
            g = a * flows + b * flows * np.abs(flows)
            slope = a + 2 * b * np.abs(flows)
            inv = 1.0 / np.maximum(slope, 1e-9 * max(slope.max(), 1e-300))
            matrix = af.T @ (inv[:, None] * af)
            rhs = self._supply(total) - af.T @ flows + af.T @ (inv * (g - fixed))
            pressures[free] = np.linalg.solve(matrix, rhs)
            new = flows + inv * (a_mat @ pressures - g)
            step = np.max(np.abs(new - flows)) / total
            flows = new
            if step < 1e-13:
                break
        return flows, pressures.copy()

    def _supply(self, total: float) -> np.ndarray:
        supply = np.zeros(int(self.free.sum()))
        supply[np.flatnonzero(self.free) == self.network.inlet] = total
        return supply

    def _drops(self, flows: np.ndarray, rho, mu, which=None) -> np.ndarray:
        which = range(len(flows)) if which is None else which
        out = np.zeros(len(flows))
        for k in which:
            out[k] = self._state(k, flows, rho, mu).pressure_drop(flows[k])
        return out

    def _newton_step(self, flows, pressures, rho, mu, total):
        """One Newton step on [branch laws, node balances] with a finite-difference Jacobian."""
        a_mat, free = self.incidence, self.free
        nb, nf = len(flows), int(free.sum())
        drops = self._drops(flows, rho, mu)
        residual = np.concatenate(
            [drops - a_mat @ pressures, a_mat[:, free].T @ flows - self._supply(total)]
        )
        jac = np.zeros((nb + nf, nb + nf))
        for j in range(nb):
            step = 1e-7 * max(abs(flows[j]), 1e-4 * total)
            bumped = flows.copy()
            bumped[j] += step
            rows = self._dependents[j]
            jac[rows, j] = (self._drops(bumped, rho, mu, rows)[rows] - drops[rows]) / step
        jac[:nb, nb:] = -a_mat[:, free]
        jac[nb:, :nb] = a_mat[:, free].T
        delta = np.linalg.solve(jac, -residual)
        flows = flows + delta[:nb]
        pressures = pressures.copy()
        pressures[free] += delta[nb:]
        return flows, pressures, float(np.max(np.abs(delta[:nb])) / total)

    def _start_flows(self, total: float) -> np.ndarray:
        if self._flows is not None and self._total > 0:
            return self._flows * (total / self._total)
        return np.full(len(self.network.branches), total * 1e-3)

    def _state(self, k: int, flows: np.ndarray, rho, mu) -> BranchState:
        b = self.network.branches[k]
        return branch_state(b, flows[k], rho[k], mu[k], flows, self.areas, self.developing)

    def _states(self, flows: np.ndarray, rho, mu) -> list[BranchState]:
        return [self._state(k, flows, rho, mu) for k in range(len(flows))]

    def system_pressure(self, total: float, temps: np.ndarray) -> float:
        """Inlet-to-outlet pressure difference the network needs at ``total`` [Pa]."""
        _, pressures, _ = self.hydraulics(total, temps)
        return float(pressures[self.network.inlet] - self.outlet_pressure)

    # -- heat ---------------------------------------------------------------------------------
    def march(
        self,
        flows: np.ndarray,
        states: list[BranchState],
        temps: np.ndarray,
        heat: list | None = None,
        wall_temperature: list | None = None,
    ):
        """Coolant temperatures along every branch and at every node, the heat each segment
        passes to the coolant and its h.

        Per branch, ``heat[k]`` gives W per segment, or ``wall_temperature[k]`` K per segment
        (an entry may be None; neither: no heat). The march is in specific enthalpy with the
        mass flow of the inlet density, so the energy leaving equals the energy entering plus
        the heat to round-off.
        """
        net, coolant = self.network, self.coolant
        h_seg, names = [], set()
        for k, b in enumerate(net.branches):
            h, name = segment_heat_transfer(
                b, states[k], temps[k], coolant, self.wall, self.laminar_model
            )
            h_seg.append(np.asarray(h))
            names.add(name)
        rho_in = float(coolant.density(self.inlet_temperature))
        node_t = np.full(len(net.nodes), self.inlet_temperature)
        seg_t = [np.full(b.segments + 1, np.nan) for b in net.branches]
        seg_q = [np.zeros(b.segments) for b in net.branches]
        arriving_energy = np.zeros(len(net.nodes))  # sum of m h arriving at each node [W]
        arriving_mass = np.zeros(len(net.nodes))  # sum of m arriving [kg/s]
        for node in self._flow_order(flows):
            if node != net.inlet and arriving_mass[node] > 0:
                node_t[node] = coolant.scalar(
                    "temperature", arriving_energy[node] / arriving_mass[node]
                )
            for k in self._leaving(node, flows):
                mass = abs(flows[k]) * rho_in
                given = heat[k] if heat is not None else None
                wall = wall_temperature[k] if wall_temperature is not None else None
                h_out = self._through(
                    k, flows[k] > 0, mass, node_t[node], h_seg[k], seg_t[k], seg_q[k], given, wall
                )
                downstream = net.branches[k].end if flows[k] > 0 else net.branches[k].start
                arriving_energy[downstream] += mass * h_out
                arriving_mass[downstream] += mass
        for k, b in enumerate(net.branches):  # branches without flow sit at their start node
            if np.isnan(seg_t[k]).any():
                seg_t[k][:] = node_t[b.start]
        return node_t, seg_t, seg_q, h_seg, names

    def _through(self, k, forward, mass, t_in, h, seg_t, seg_q, heat, wall) -> float:
        """March one branch from its upstream end; returns the specific enthalpy leaving it."""
        b, coolant = self.network.branches[k], self.coolant
        n = b.segments
        area = b.wetted_area / n
        enthalpy = coolant.scalar("enthalpy", t_in)
        t = t_in
        seg_t[0 if forward else n] = t
        for j in range(n) if forward else range(n - 1, -1, -1):
            if wall is not None:  # Incropera eq. 8.42b over the segment
                cap = mass * coolant.scalar("specific_heat", t)
                q = cap * (wall[j] - t) * -np.expm1(-h[j] * area / cap)
            else:
                q = float(heat[j]) if heat is not None else 0.0
            seg_q[j] = q
            enthalpy += q / mass
            t = coolant.scalar("temperature", enthalpy)
            seg_t[j + 1 if forward else j] = t
        return enthalpy

    def _flow_order(self, flows: np.ndarray) -> list[int]:
        """Nodes in the order the coolant reaches them (Kahn's topological sort)."""
        net = self.network
        indegree = np.zeros(len(net.nodes), dtype=int)
        for k, b in enumerate(net.branches):
            if flows[k] != 0:
                indegree[b.end if flows[k] > 0 else b.start] += 1
        ready = [i for i in range(len(net.nodes)) if indegree[i] == 0]
        order = []
        while ready:
            node = ready.pop()
            order.append(node)
            for k in self._leaving(node, flows):
                nxt = net.branches[k].end if flows[k] > 0 else net.branches[k].start
                indegree[nxt] -= 1
                if indegree[nxt] == 0:
                    ready.append(nxt)
        if len(order) != len(net.nodes):
            raise EngineError("the flow runs in a loop; a pressure-driven network cannot")
        return order

    def _leaving(self, node: int, flows: np.ndarray) -> list[int]:
        return [k for k in self._out[node] if flows[k] > 0] + [
            k for k in self._in[node] if flows[k] < 0
        ]
