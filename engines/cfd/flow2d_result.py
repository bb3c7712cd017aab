"""The result of a 2D run: a quad mesh of the grid with cell and node fields, the scalars a
designer reads (pressure drop, outlet temperature, heat through each edge and its h), mass and
energy balances, and the convergence history."""

from __future__ import annotations

import time

import numpy as np

from cellwright.engines.cfd.flow2d_energy import energy_system, solve_steady
from cellwright.engines.cfd.flow2d_transient import INNER_ITERATIONS
from cellwright.projects.model import FieldData, MeshData, Provenance, Result, ResultStatus

__all__ = ["grid_mesh", "steady_result", "transient_result"]

METHODS = [
    "finite volumes on a staggered grid (Harlow & Welch 1965)",
    "SIMPLEC pressure-velocity coupling (Van Doormaal & Raithby 1984)",
    "central differences by deferred correction on upwind (Khosla & Rubin 1974)",
    "additive-correction multigrid for momentum (Hutchinson & Raithby 1986), "
    "multigrid-preconditioned CG for the pressure correction",
    "heat: power-law convection, harmonic-mean conduction (Patankar 1980)",
]


def grid_mesh(problem) -> MeshData:
    """The grid as quads (cells in C order of (nx, ny)) with fluid and solid cell sets."""
    g = problem.grid
    x, y = np.meshgrid(np.arange(g.nx + 1) * g.h, np.arange(g.ny + 1) * g.h, indexing="ij")
    points = np.column_stack([x.ravel(), y.ravel(), np.zeros(x.size)])
    i, j = np.meshgrid(np.arange(g.nx), np.arange(g.ny), indexing="ij")
    node = lambda a, b: (a * (g.ny + 1) + b).ravel()  # noqa: E731
    quads = np.column_stack([node(i, j), node(i + 1, j), node(i + 1, j + 1), node(i, j + 1)])
    region = g.region.ravel()
    sets = {"fluid": {"quad": np.flatnonzero(region < 0)}}
    for r, solid in enumerate(g.solids):
        sets.setdefault(solid.name, {"quad": np.flatnonzero(region == r)})
    return MeshData(points=points, cells={"quad": quads}, cell_sets=sets)


def _field(name: str, association: str, times, values) -> FieldData:
    return FieldData(
        name=name,
        mesh="domain",
        association=association,
        times=np.asarray(times, float),
        values=np.asarray(values, float),
    )


def _velocity3(velocity: np.ndarray) -> np.ndarray:
    flat = velocity.reshape(-1, 2)
    return np.column_stack([flat, np.zeros(len(flat))])


def _flow_scalars(problem, solver, conv) -> dict[str, float]:
    g = problem.grid
    inflow = outflow = backflow = 0.0
    for name, (side, faces) in g.edges.items():
        kind = g.edge_specs[name].kind
        flow = solver.edge_flow(side, faces)
        if kind == "inlet":
            inflow += float(flow.sum())
        elif kind == "outlet":
            outflow -= float(flow.sum())
            backflow += float(flow[flow > 0].sum())
    div = np.zeros(g.shape)
    solver.k.divergence(solver.u, solver.v, div)
    speed = np.linalg.norm(solver.cell_velocity(), axis=-1)
    out = {
        "Cells": float(g.nx * g.ny),
        "Fluid cells": float(g.fluid.sum()),
        "Cell size [m]": g.h,
        "Iterations": float(conv.iterations),
        "Coarse-grid iterations": float(conv.coarse_iterations),
        "Converged [-]": float(conv.converged),
        "Continuity residual [-]": conv.continuity[-1] if conv.continuity else 0.0,
        "Velocity change [-]": conv.change[-1] if conv.change else 0.0,
        "Maximum cell divergence [-]": float(np.abs(div[g.fluid]).max() / problem.reference_speed),
        "Flow solve wall time [s]": conv.seconds,
        "Throughput [Mcell updates/s]": conv.cell_updates / max(conv.seconds, 1e-12) / 1e6,
        "Inflow [m3/s]": inflow,
        "Outflow [m3/s]": outflow,
        "Maximum velocity [m/s]": float(speed[g.fluid].max()) if g.fluid.any() else 0.0,
    }
    if inflow <= 0 and backflow > 0:  # no inlet: moving walls drive flow through the outlets
        problem.warnings.append(
            f"{backflow:.3g} m3/s enters through outlet faces (no inlet: moving walls drive the "
            "flow through the open sides at the outlet pressure)"
        )
    elif backflow > 1e-3 * inflow:
        problem.warnings.append(
            f"{backflow / inflow:.1%} of the flow re-enters through outlet faces (a recirculation "
            "reaches the outlet): move the outlet further from bends and obstacles"
        )
    if inflow > 0:
        out["Mass imbalance [-]"] = abs(inflow - outflow) / inflow
        out["Pressure drop [Pa]"] = _inlet_pressure(problem, solver) - solver.p_out
    return out


def _inlet_pressure(problem, solver) -> float:
    """Flow-weighted mean pressure of the cells behind the inlets."""
    total, weight = 0.0, 0.0
    for name, (side, faces) in problem.grid.edges.items():
        if problem.grid.edge_specs[name].kind != "inlet":
            continue
        cells = {
            "left": solver.p[0],
            "right": solver.p[-1],
            "bottom": solver.p[:, 0],
            "top": solver.p[:, -1],
        }[side][faces]
        speeds = np.abs(problem.sides[side].normal[faces])
        total += float((cells * speeds).sum())
        weight += float(speeds.sum())
    return total / weight if weight else solver.p_out


def _heat_scalars(problem, solver, system, solution) -> dict[str, float]:
    """Heat through each named edge, its mean wall temperature and h, the outlet temperature,
    and the energy balance."""
    g = problem.grid
    heat = system.boundary_heat(solution)
    temps = system.temperatures(solution)
    out = {"Maximum temperature [K]": float(np.nanmax(temps))}
    terms = [system.sources] + [float(v.sum()) for v in heat.values()]
    scale = max(sum(abs(t) for t in terms), 1e-300)
    face_heat = {}
    for side, cells, diag, rhs, _ in system.boundary:
        full = np.zeros(g.ny if side in ("left", "right") else g.nx)
        mask = _side_cells(system.index, side) >= 0
        full[mask] = rhs - diag * solution[cells]
        face_heat[side] = full
    outlet_flux = outlet_heat = carried = 0.0
    for name, (side, faces) in g.edges.items():
        spec = g.edge_specs[name]
        q = float(face_heat[side][faces].sum())
        if spec.kind == "outlet":
            flux = _outflow(problem, solver, side, faces)
            outlet_flux += float(flux.sum())
            outlet_heat += float((flux * _edge_cells(temps, side)[faces]).sum())
        if spec.kind in ("inlet", "outlet"):
            carried -= q  # enthalpy flows: what leaves minus what arrives
            continue
        out[f"Heat through {name} [W]"] = q
    t_in = problem.inlet_temperature
    if outlet_flux > 0:
        t_out = outlet_heat / outlet_flux
        out["Mean outlet temperature [K]"] = t_out
        _edge_h(problem, temps, face_heat, out, (t_in + t_out) / 2)
    out["Heat carried away by the flow [W]"] = carried
    out["Heat generated [W]"] = system.sources
    out["Energy imbalance [-]"] = abs(sum(terms)) / scale
    return out


def _edge_h(problem, temps, face_heat, out, bulk: float) -> None:
    g = problem.grid
    for name, (side, faces) in g.edges.items():
        spec = g.edge_specs[name]
        if spec.kind != "wall" or (spec.temperature is None and spec.heat_flux is None):
            continue
        q = face_heat[side][faces]
        cell_t = _edge_cells(temps, side)[faces]
        k = problem.fluid.conductivity
        wall_t = (
            np.full(faces.size, spec.temperature)
            if spec.temperature is not None
            else cell_t + spec.heat_flux * g.h / (2 * k)
        )
        area = faces.size * g.h * g.depth
        mean_wall = float(np.nanmean(wall_t))
        out[f"{name} mean temperature [K]"] = mean_wall
        if abs(mean_wall - bulk) > 1e-9:
            out[f"{name} heat transfer coefficient [W/(m2.K)]"] = float(q.sum()) / (
                area * (mean_wall - bulk)
            )


def _side_cells(a: np.ndarray, side: str) -> np.ndarray:
    return {"left": a[0], "right": a[-1], "bottom": a[:, 0], "top": a[:, -1]}[side]


def _edge_cells(temps: np.ndarray, side: str) -> np.ndarray:
    return _side_cells(temps, side)


def _outflow(problem, solver, side: str, faces) -> np.ndarray:
    """Volume outflow per face [m^3/s over the depth] (re-entering faces count nothing)."""
    return np.maximum(-solver.edge_flow(side, faces), 0.0)


def _provenance(problem, conv, spec, velocity, temps=None, t_out=None) -> Provenance:
    """Methods with the fluid's properties and their temperature; warnings of the setup, the
    convergence, the grid across the channels and the coolant's temperature range."""
    from cellwright.engines.cfd.flow2d_validity import (
        grid_warnings,
        properties_note,
        property_warnings,
    )

    prov = Provenance(engine_id="cfd.flow2d", engine_version="1.0", spec_hash="")
    prov.methods = [*METHODS, properties_note(problem.fluid)]
    prov.warnings = list(problem.warnings)
    prov.warnings += grid_warnings(problem, velocity, spec.depth if spec.thin_channel else None)
    if temps is not None:
        fluid_temps = temps.reshape(problem.grid.shape)[problem.grid.fluid]
        prov.warnings += property_warnings(
            problem.fluid, fluid_temps, problem.inlet_temperature, t_out
        )
    if conv.relaxation is not None:
        how = (
            f"began to diverge ({'once' if conv.cuts == 1 else f'{conv.cuts} times'}, "
            "stepping back to their last good state) or stalled"
            if conv.cuts
            else "stopped converging"
        )
        prov.warnings.append(
            f"the momentum relaxation was lowered to {conv.relaxation:.3g} when the iterations "
            f"{how} at the one asked for"
        )
    return prov


def steady_result(spec, problem, solver, conv, started: float) -> Result:
    """Fields and scalars of a steady run (the temperature solved here, if asked for)."""
    scalars = _flow_scalars(problem, solver, conv)
    fields = [
        _field("Velocity [m/s]", "cell", [0.0], [_velocity3(solver.cell_velocity())]),
        _field(
            "Pressure [Pa]", "cell", [0.0], [np.where(problem.grid.fluid, solver.p, np.nan).ravel()]
        ),
        _field("Vorticity [1/s]", "point", [0.0], [solver.vorticity().ravel()]),
        _field("Stream function [m2/s]", "point", [0.0], [solver.stream_function().ravel()]),
    ]
    if spec.energy:
        system = energy_system(problem, solver.u, solver.v)
        solution = solve_steady(system)
        fields.append(
            _field("Temperature [K]", "cell", [0.0], [system.temperatures(solution).ravel()])
        )
        scalars.update(_heat_scalars(problem, solver, system, solution))
    scalars["Wall time [s]"] = time.perf_counter() - started
    conv_table = {
        "Iteration": np.arange(1, len(conv.continuity) + 1, dtype=float),
        "Continuity residual [-]": np.asarray(conv.continuity),
        "Velocity change [-]": np.asarray(conv.change),
    }
    prov = _provenance(
        problem,
        conv,
        spec,
        solver.cell_velocity(),
        system.temperatures(solution) if spec.energy else None,
        scalars.get("Mean outlet temperature [K]"),
    )
    if not conv.converged:
        prov.warnings.append(
            f"not converged in {conv.iterations} iterations (continuity "
            f"{conv.continuity[-1]:.2e}); raise spec.max_iterations"
        )
    if spec.energy and not system.backflow_converged:
        prov.warnings.append(
            f"the temperature of the flow re-entering through the outlets still changed after "
            f"{system.backflow_iterations} iterations: move the outlet further from bends"
        )
    return Result(
        name="2D flow",
        message="" if conv.converged else prov.warnings[-1],
        meshes={"domain": grid_mesh(problem)},
        fields=fields,
        scalars=scalars,
        tables={"convergence": conv_table},
        provenance=prov,
    )


def transient_result(spec, problem, solver, conv, history, started: float) -> Result:
    """Fields over time, the scalars of the final state and how the steps went; a run that
    stopped early (``history.failure``) is a partial result ending at its last converged
    state."""
    g = problem.grid
    times = history.times
    fields = [
        _field("Velocity [m/s]", "cell", times, [_velocity3(v) for v in history.velocity]),
        _field(
            "Pressure [Pa]",
            "cell",
            times,
            [np.where(g.fluid, p, np.nan).ravel() for p in history.pressure],
        ),
    ]
    series = {"Time [s]": np.asarray(times)}
    if spec.energy:
        fields.append(
            _field("Temperature [K]", "cell", times, [t.ravel() for t in history.temperature])
        )
        series["Maximum temperature [K]"] = np.array(
            [float(np.nanmax(t)) for t in history.temperature]
        )
    scalars = _flow_scalars(problem, solver, conv)
    scalars["Time steps"] = float(len(history.inner_iterations))
    scalars["Time steps cut"] = float(history.cut_steps)
    scalars["Sub-steps taken"] = float(len(history.step_sizes))
    scalars["Smallest time step [s]"] = min(history.step_sizes)
    scalars["Unconverged steps"] = float(history.unconverged)
    scalars["End time [s]"] = history.end_time
    scalars["Wall time [s]"] = time.perf_counter() - started
    prov = _provenance(
        problem,
        conv,
        spec,
        solver.cell_velocity(),
        history.temperature[-1] if spec.energy else None,
        _outlet_temperature(problem, solver, history.temperature[-1]) if spec.energy else None,
    )
    prov.warnings += _step_warnings(spec, history)
    status, message = ResultStatus.COMPLETE, ""
    if history.failure:
        status = ResultStatus.PARTIAL
        message = (
            f"stopped at t = {history.end_time:.6g} s of {spec.duration:g} s: "
            f"{history.failure}; the fields up to t = {history.end_time:.6g} s are kept"
        )
        prov.warnings.append(message)
    elif history.unconverged:
        message = prov.warnings[-1]
    return Result(
        name="2D flow (transient)",
        status=status,
        message=message,
        meshes={"domain": grid_mesh(problem)},
        fields=fields,
        series=series,
        scalars=scalars,
        tables={"time steps": _step_table(history)},
        provenance=prov,
    )


def _step_warnings(spec, history) -> list[str]:
    """What the step control did: steps cut, sub-steps accepted above the tolerance."""
    out = []
    if history.cut_steps:
        out.append(
            f"{history.cut_steps} of {len(history.inner_iterations)} time steps "
            f"{'was' if history.cut_steps == 1 else 'were'} cut (down to "
            f"{min(history.step_sizes):.3g} s) when their inner iterations diverged or did not "
            f"reach the tolerance: a shorter spec.time_step (now {spec.time_step:g} s) runs "
            "them without retries"
        )
    if history.unconverged:
        worst = max(
            c
            for c, d in zip(history.step_continuity, history.step_change, strict=True)
            if c >= spec.tolerance or d >= spec.tolerance
        )
        many = history.unconverged > 1
        out.append(
            f"{history.unconverged} time step{'s' if many else ''}, cut to the shortest "
            f"sub-step, did not reach the tolerance ({spec.tolerance:g}) in "
            f"{INNER_ITERATIONS} inner iterations and {'were' if many else 'was'} kept "
            f"unconverged (continuity up to {worst:.2e}): shorten spec.time_step or refine the "
            "grid"
        )
    return out


def _step_table(history) -> dict[str, np.ndarray]:
    """Every accepted step: its end, its length, its inner iterations and residuals."""
    return {
        "Time [s]": np.asarray(history.step_times),
        "Time step [s]": np.asarray(history.step_sizes),
        "Inner iterations": np.asarray(history.step_iterations, float),
        "Continuity residual [-]": np.asarray(history.step_continuity),
        "Velocity change [-]": np.asarray(history.step_change),
    }


def _outlet_temperature(problem, solver, temps: np.ndarray) -> float | None:
    """The flow-weighted mean temperature of the cells behind the outlets [K]."""
    flow = heat = 0.0
    for name, (side, faces) in problem.grid.edges.items():
        if problem.grid.edge_specs[name].kind == "outlet":
            flux = _outflow(problem, solver, side, faces)
            flow += float(flux.sum())
            heat += float((flux * _edge_cells(temps, side)[faces]).sum())
    return heat / flow if flow > 0 else None
