"""The result of a solved network: a line mesh with fields, tables, scalars, provenance.

The network is drawn as lines between its nodes (pressure and coolant temperature on the
nodes, flow, velocity, Reynolds number and h on the branches), so the 3D field viewer shows
it over the plate; tables hold every branch, the flow split of the parallel channels, the
nodes, and pressure and temperature along the flow path for plots.
"""

from __future__ import annotations

import numpy as np

from cellwright.engines.cfd.network_solver import NetworkSolution
from cellwright.projects.model import FieldData, MeshData, Provenance, Result

__all__ = ["network_result"]

_ATMOSPHERE = 101325.0  # Pa: outlet pressures are gauge
_LMIN = 6e4  # (L/min) per (m^3/s)
_TRANSITION = (2300.0, 1e4)


def network_result(setup, sol: NetworkSolution, solve_time: float) -> Result:
    """Assemble the :class:`Result` of ``setup`` solved as ``sol``."""
    net, coolant = setup.network, setup.coolant
    branches = _branch_table(setup, sol)
    channels = _channel_table(net, sol, branches)
    tables = {
        "branches": branches,
        "nodes": {
            "Node": np.arange(len(net.nodes), dtype=float),
            "Pressure [Pa]": sol.pressures,
            "Coolant temperature [K]": sol.node_temperatures,
        },
        "along flow path": _profiles(net, sol),
    }
    if channels:
        tables["channels"] = channels
    scalars = _scalars(setup, sol, branches, channels, solve_time)
    prov = Provenance(engine_id="cfd.network", engine_version="1.0", spec_hash="")
    prov.methods = [*sorted(sol.methods), f"coolant {coolant.id}: {coolant.reference}"]
    prov.warnings = [*net.warnings, *_warnings(net, sol), *_compressibility(setup, sol)]
    return Result(
        name="Coolant network",
        meshes={"network": _mesh(net)},
        fields=_fields(sol),
        scalars=scalars,
        tables=tables,
        provenance=prov,
    )


def _mesh(net) -> MeshData:
    lines = np.array([[b.start, b.end] for b in net.branches], dtype=np.int64)
    sets = {}
    for k, b in enumerate(net.branches):
        sets.setdefault(b.name, {"line": []})["line"].append(k)
    return MeshData(
        points=np.asarray(net.positions, float),
        cells={"line": lines},
        cell_sets={n: {"line": np.asarray(v["line"])} for n, v in sets.items()},
    )


def _fields(sol: NetworkSolution) -> list[FieldData]:
    def field(name, association, values):
        return FieldData(
            name=name,
            mesh="network",
            association=association,
            times=np.zeros(1),
            values=np.asarray(values, float)[None, :],
        )

    h_mean = [float(np.mean(h)) for h in sol.segment_h]
    return [
        field("Pressure [Pa]", "point", sol.pressures),
        field("Coolant temperature [K]", "point", sol.node_temperatures),
        field("Flow rate [m3/s]", "cell", sol.flows),
        field("Velocity [m/s]", "cell", [s.velocity for s in sol.states]),
        field("Reynolds number [-]", "cell", [s.reynolds for s in sol.states]),
        field("Heat transfer coefficient [W/(m2.K)]", "cell", h_mean),
    ]


def _branch_table(setup, sol: NetworkSolution) -> dict[str, np.ndarray]:
    net, coolant = setup.network, setup.coolant
    rho_in = float(coolant.density(setup.solver.inlet_temperature))
    n = len(net.branches)
    friction, minor, wall_max, t_in, t_out = (np.zeros(n) for _ in range(5))
    for k, b in enumerate(net.branches):
        rho = float(coolant.density(sol.branch_temperature(k)))
        friction[k], minor[k] = sol.states[k].split(sol.flows[k], rho, b.area)
        seg_t = sol.segment_temperatures[k]
        bulk = (seg_t[1:] + seg_t[:-1]) / 2
        area = b.wetted_area / b.segments
        with np.errstate(divide="ignore", invalid="ignore"):
            rise = np.where(
                sol.segment_h[k] * area > 0, sol.segment_heat[k] / (sol.segment_h[k] * area), 0.0
            )
        wall_max[k] = float(np.max(bulk + rise)) if b.heated_fraction > 0 else np.nan
        upstream, downstream = (seg_t[0], seg_t[-1]) if sol.flows[k] >= 0 else (seg_t[-1], seg_t[0])
        t_in[k], t_out[k] = upstream, downstream
    d_h = [
        b.duct.hydraulic_diameter if b.duct is not None else b.bank.diameter for b in net.branches
    ]
    h_mean = np.array([float(np.mean(h)) for h in sol.segment_h])
    k_fluid = np.array([float(coolant.conductivity(sol.branch_temperature(k))) for k in range(n)])
    return {
        "Branch": np.arange(n, dtype=float),
        "Channel": np.array([b.channel for b in net.branches], dtype=float),
        "Plate": np.array([b.plate for b in net.branches], dtype=float),
        "Length [m]": np.array([b.length for b in net.branches]),
        "Hydraulic diameter [m]": np.asarray(d_h),
        "Flow rate [m3/s]": sol.flows,
        "Mass flow [kg/s]": sol.flows * rho_in,
        "Velocity [m/s]": np.array([s.velocity for s in sol.states]),
        "Reynolds number [-]": np.array([s.reynolds for s in sol.states]),
        "Darcy friction factor [-]": np.array([s.friction for s in sol.states]),
        "Loss coefficient [-]": np.array([s.k_total for s in sol.states]),
        "Pressure drop [Pa]": sol.pressures[[b.start for b in net.branches]]
        - sol.pressures[[b.end for b in net.branches]],
        "Friction pressure drop [Pa]": friction,
        "Minor-loss pressure drop [Pa]": minor,
        "Heat transfer coefficient [W/(m2.K)]": h_mean,
        "Nusselt number [-]": h_mean * np.asarray(d_h) / k_fluid,
        "Inlet temperature [K]": t_in,
        "Outlet temperature [K]": t_out,
        "Heat into coolant [W]": np.array([float(np.sum(q)) for q in sol.segment_heat]),
        "Maximum wall temperature [K]": wall_max,
    }


def _channel_table(net, sol: NetworkSolution, branches) -> dict[str, np.ndarray]:
    idx = net.channels
    if not idx:
        return {}
    flows = sol.flows[idx]
    return {
        "Channel": np.arange(len(idx), dtype=float) + 1,
        "Flow rate [m3/s]": flows,
        "Flow rate [L/min]": flows * _LMIN,
        "Flow share [-]": flows / flows.sum(),
        "Velocity [m/s]": branches["Velocity [m/s]"][idx],
        "Reynolds number [-]": branches["Reynolds number [-]"][idx],
        "Pressure drop [Pa]": branches["Pressure drop [Pa]"][idx],
        "Outlet temperature [K]": branches["Outlet temperature [K]"][idx],
        "Heat into coolant [W]": branches["Heat into coolant [W]"][idx],
        "Maximum wall temperature [K]": branches["Maximum wall temperature [K]"][idx],
    }


def _profiles(net, sol: NetworkSolution) -> dict[str, np.ndarray]:
    """Pressure and temperature at every segment boundary, with the distance from the inlet
    along the flow (the shortest path of flowing branches); pressure varies linearly along a
    branch between its end nodes."""
    distance = _distance_from_inlet(net, sol)
    rows = {
        k: []
        for k in ("Branch", "Distance from inlet [m]", "Pressure [Pa]", "Coolant temperature [K]")
    }
    for k, b in enumerate(net.branches):
        n = b.segments
        s = np.linspace(0.0, 1.0, n + 1)
        if sol.flows[k] < 0:
            s = s[::-1]
        upstream = b.start if sol.flows[k] >= 0 else b.end
        p = sol.pressures[b.start] + (sol.pressures[b.end] - sol.pressures[b.start]) * np.linspace(
            0, 1, n + 1
        )
        rows["Branch"].append(np.full(n + 1, float(k)))
        rows["Distance from inlet [m]"].append(distance[upstream] + s * b.length)
        rows["Pressure [Pa]"].append(p)
        rows["Coolant temperature [K]"].append(sol.segment_temperatures[k])
    return {name: np.concatenate(parts) for name, parts in rows.items()}


def _distance_from_inlet(net, sol: NetworkSolution) -> np.ndarray:
    distance = np.full(len(net.nodes), np.inf)
    distance[net.inlet] = 0.0
    for _ in range(len(net.nodes)):  # Bellman-Ford on the flow directions (small graphs)
        changed = False
        for k, b in enumerate(net.branches):
            a, z = (b.start, b.end) if sol.flows[k] >= 0 else (b.end, b.start)
            if distance[a] + b.length < distance[z]:
                distance[z] = distance[a] + b.length
                changed = True
        if not changed:
            break
    return np.where(np.isfinite(distance), distance, 0.0)


def _scalars(setup, sol, branches, channels, solve_time: float) -> dict[str, float]:
    net, coolant = setup.network, setup.coolant
    dp = float(sol.pressures[net.inlet] - sol.pressures[net.outlet])
    heat = float(sum(np.sum(q) for q in sol.segment_heat))
    t_in, t_out = setup.solver.inlet_temperature, float(sol.node_temperatures[net.outlet])
    mass = sol.total_flow * float(coolant.density(t_in))
    energy_out = mass * (float(coolant.enthalpy(t_out)) - float(coolant.enthalpy(t_in)))
    out = {
        "Total flow rate [m3/s]": sol.total_flow,
        "Total flow rate [L/min]": sol.total_flow * _LMIN,
        "Pressure drop [Pa]": dp,
        "Hydraulic pumping power [W]": dp * sol.total_flow,
        "Coolant inlet temperature [K]": t_in,
        "Coolant outlet temperature [K]": t_out,
        "Coolant temperature rise [K]": t_out - t_in,
        "Heat into coolant [W]": heat,
        "Energy balance error [W]": energy_out - heat,
        "Maximum wall temperature [K]": float(np.nanmax(branches["Maximum wall temperature [K]"]))
        if np.isfinite(branches["Maximum wall temperature [K]"]).any()
        else t_out,
        "Branches": float(len(net.branches)),
        "Nodes": float(len(net.nodes)),
        "Thermal-hydraulic iterations": float(sol.iterations),
        "Solve wall time [s]": solve_time,
    }
    if channels:
        flows = channels["Flow rate [m3/s]"]
        out["Channel flow maldistribution (max/min) [-]"] = (
            float(flows.max() / flows.min()) if flows.min() > 0 else float("inf")
        )
        out["Channel flow spread (max-min)/mean [-]"] = float(np.ptp(flows) / flows.mean())
    return out


def _warnings(net, sol: NetworkSolution) -> list[str]:
    out = []
    transitional = [
        b.name
        for b, s in zip(net.branches, sol.states, strict=True)
        if _TRANSITION[0] <= s.reynolds < _TRANSITION[1]
    ]
    if transitional:
        shown = ", ".join(transitional[:5]) + (" …" if len(transitional) > 5 else "")
        out.append(
            f"{len(transitional)} branch(es) in laminar-turbulent transition (2300 <= Re < 1e4: "
            f"{shown}); friction and Nu there are interpolations, uncertain by tens of per cent"
        )
    reverse = [b.name for k, b in enumerate(net.branches) if b.channel >= 0 and sol.flows[k] <= 0]
    if reverse:
        out.append(f"channel(s) {', '.join(reverse)} carry no flow or flow backwards")
    return out


def _compressibility(setup, sol: NetworkSolution) -> list[str]:
    """The solver takes the coolant as incompressible; say when the pressure drop is too large
    for that. A gas: Δp above 10 % of the absolute pressure (Crane TP-410, ch. 1: beyond
    it the density change must be accounted for). A liquid: Δp above 10 MPa, a density change
    of about 0.5 % (bulk moduli of these coolants 1 to 3 GPa) and far beyond any cooling loop's
    pump, i.e. a flow rate or channel size out by orders of magnitude."""
    net, coolant = setup.network, setup.coolant
    dp = float(sol.pressures[net.inlet] - sol.pressures[net.outlet])
    absolute = _ATMOSPHERE + setup.solver.outlet_pressure
    speed = max(abs(s.velocity) for s in sol.states)
    if float(coolant.density(setup.solver.inlet_temperature)) < 50.0:  # a gas
        if dp > 0.1 * absolute:
            return [
                f"the pressure drop ({dp / 1e3:.3g} kPa) is {dp / absolute:.0%} of the absolute "
                f"pressure (velocity up to {speed:.3g} m/s): beyond 10 % the gas's density "
                "change matters and this incompressible model is not valid (Crane TP-410)"
            ]
    elif dp > 1e7:
        return [
            f"the pressure drop is {dp / 1e6:.3g} MPa (velocity up to {speed:.3g} m/s): far "
            "beyond any coolant pump, and beyond the incompressible model; check the flow rate "
            "and the channel sizes"
        ]
    return []
