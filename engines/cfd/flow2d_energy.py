"""Temperature in the fluid and the conducting solids (conjugate heat transfer), finite volumes.

rho c dT/dt + div(rho c u T) = div(k grad T) + q on every fluid cell and every solid that
conducts (inert walls are adiabatic and left out). Across a face the conductance is the series
of the two half cells, 2 (k t)_P (k t)_E / ((k t)_P + (k t)_E) with t the cell's thickness (the
depth, or a plate's own thickness); convection uses Patankar's power-law scheme (1980, Table
5.2) in conservative flux form, so the energy leaving one cell is exactly what enters the next
and the discrete balance closes to round-off. Steady problems are one sparse LU solve; transient
ones are implicit Euler steps with the factorisation reused while the velocity stands still.

Flow re-entering through an outlet (a recirculation reaching it) brings a backflow temperature,
as CFD codes treat outlet backflow (OpenFOAM's ``inletOutlet``, Fluent's "backflow total
temperature"): here the flow-weighted mean temperature of the fluid leaving through that
outlet, lagged in an outer fixed-point iteration around the solve (:func:`_with_backflow`).
Outflow stays on the diagonal and backflow only on the right-hand side, so the matrix stays an
M-matrix and no temperature leaves the range of the inlet, the walls and the heat sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

__all__ = ["EnergySystem", "energy_system"]

_TEMPERATURE, _FLUX, _INLET, _OUTLET = 1, 2, 3, 4
_BACKFLOW_TOLERANCE = 1e-6  # K, on the backflow temperatures between outer iterations
_MOST_BACKFLOW_ITERATIONS = 100


def _power_law(d: np.ndarray, f: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        peclet = np.where(d > 0, np.abs(f) / d, 0.0)
    return d * np.maximum(0.0, (1 - 0.1 * peclet) ** 5)


@dataclass
class EnergySystem:
    """The assembled equations: ``matrix`` T = ``rhs`` over the ``index``-ed cells, with the
    per-face boundary terms kept for the energy balance and the wall temperatures."""

    index: np.ndarray  # (nx, ny) -> unknown number, -1 for cells left out
    matrix: sp.csr_matrix
    rhs: np.ndarray
    capacity: np.ndarray  # J/K per unknown
    boundary: list[tuple[str, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]
    # (side, cells (unknown numbers), diag coefficient, rhs part, kind) per side
    sources: float
    outlets: list[OutletFaces] = field(default_factory=list)
    backflow_iterations: int = 0  # outer iterations the last solve took
    backflow_converged: bool = True

    def temperatures(self, solution: np.ndarray) -> np.ndarray:
        """(nx, ny) temperatures, NaN where no temperature is solved."""
        out = np.full(self.index.shape, np.nan)
        out[self.index >= 0] = solution[self.index[self.index >= 0]]
        return out

    def boundary_heat(self, solution: np.ndarray) -> dict[str, np.ndarray]:
        """Heat into the domain through every boundary face [W], per side."""
        return {side: rhs - diag * solution[cells] for side, cells, diag, rhs, _ in self.boundary}

    def outlet_temperatures(self, solution: np.ndarray) -> np.ndarray:
        """Flow-weighted mean temperature of the fluid leaving through each outlet [K] (its
        backflow temperature as it stands where nothing leaves through it)."""
        out = np.array([o.backflow_temperature for o in self.outlets])
        for i, o in enumerate(self.outlets):
            leaving = np.maximum(-o.inflow, 0.0)
            if leaving.sum() > 0:
                out[i] = float((leaving * solution[o.cells]).sum() / leaving.sum())
        return out

    def set_backflow_temperatures(self, temperatures: np.ndarray) -> None:
        """Let the flow re-entering through each outlet bring ``temperatures`` [K]: its
        enthalpy on the right-hand side and in the outlet faces' heat."""
        for o, t_b in zip(self.outlets, temperatures, strict=True):
            change = np.maximum(o.inflow, 0.0) * (t_b - o.backflow_temperature)
            np.add.at(self.rhs, o.cells, change)
            self.boundary[o.side][3][o.positions] += change
            o.backflow_temperature = float(t_b)


@dataclass
class OutletFaces:
    """The faces of one named outlet: their positions in its side's ``boundary`` arrays, the
    unknowns behind them, the heat capacity flow entering through each [W/K] (negative where
    the flow leaves) and the temperature the re-entering flow brings [K]."""

    side: int
    positions: np.ndarray
    cells: np.ndarray
    inflow: np.ndarray
    backflow_temperature: float


def energy_system(problem, u: np.ndarray, v: np.ndarray) -> EnergySystem:
    """Assemble the steady energy equations for the velocities ``u`` (nx+1, ny), ``v``."""
    g = problem.grid
    fl = problem.fluid
    k = np.where(g.fluid, fl.conductivity, 0.0)
    rho_c = np.where(g.fluid, fl.density * fl.specific_heat, 0.0)
    for r, solid in enumerate(g.solids):
        k[g.region == r] = solid.conductivity
        rho_c[g.region == r] = solid.density * solid.specific_heat
    kt = k * problem.thickness
    included = kt > 0
    index = np.full(g.shape, -1, np.int64)
    index[included] = np.arange(int(included.sum()))
    n = int(included.sum())
    diag = np.zeros(n)
    rhs = problem.cell_heat[included].astype(float)
    rows, cols, vals = [], [], []
    fluid_depth = g.depth
    for axis, velocity in ((0, u), (1, v)):
        a, b = _pair(index, axis)
        kt_a, kt_b = _pair(kt, axis)
        ok = (a >= 0) & (b >= 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            d = np.where(ok, 2 * kt_a * kt_b / (kt_a + kt_b), 0.0)
        inner = velocity[1:-1] if axis == 0 else velocity[:, 1:-1]
        f = np.where(ok, fl.density * fl.specific_heat * inner * g.h * fluid_depth, 0.0)
        diffusion = _power_law(d, f)
        a, b, diffusion, f = a[ok], b[ok], diffusion[ok], f[ok]
        to_b = diffusion + np.maximum(-f, 0.0)  # coefficient of T_b in a's equation
        to_a = diffusion + np.maximum(f, 0.0)  # coefficient of T_a in b's equation
        np.add.at(diag, a, to_a)
        np.add.at(diag, b, to_b)
        rows += [a, b]
        cols += [b, a]
        vals += [-to_b, -to_a]
    boundary, inflows = [], {}
    for side in ("left", "right", "bottom", "top"):
        cells, coefficient, part, kind, inflows[side] = _side(problem, side, index, kt, u, v)
        np.add.at(diag, cells, coefficient)
        np.add.at(rhs, cells, part)
        boundary.append((side, cells, coefficient, part, kind))
    matrix = sp.csr_matrix(
        (
            np.concatenate([diag, *vals]),
            (np.concatenate([np.arange(n), *rows]), np.concatenate([np.arange(n), *cols])),
        ),
        shape=(n, n),
    )
    capacity = (rho_c * problem.thickness * g.h**2)[included]
    system = EnergySystem(index, matrix, rhs, capacity, boundary, float(problem.cell_heat.sum()))
    system.outlets = _outlets(problem, index, inflows)
    system.set_backflow_temperatures(np.full(len(system.outlets), problem.inlet_temperature))
    return system


def _outlets(problem, index: np.ndarray, inflows: dict[str, np.ndarray]) -> list[OutletFaces]:
    """The named outlets' faces, bringing no enthalpy back yet (as ``_side`` assembled them)."""
    g, order = problem.grid, ("left", "right", "bottom", "top")
    out = []
    for name, (side, faces) in g.edges.items():
        if g.edge_specs[name].kind != "outlet":
            continue
        behind = _side_cells(index, side)
        faces = faces[behind[faces] >= 0]
        positions = np.cumsum(behind >= 0)[faces] - 1  # _side keeps the included cells only
        out.append(
            OutletFaces(order.index(side), positions, behind[faces], inflows[side][faces], 0.0)
        )
    return out


def _side_cells(a: np.ndarray, side: str) -> np.ndarray:
    return {"left": a[0], "right": a[-1], "bottom": a[:, 0], "top": a[:, -1]}[side]


def _pair(a: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """The two cells beside every interior face normal to ``axis``."""
    return (a[:-1], a[1:]) if axis == 0 else (a[:, :-1], a[:, 1:])


def _side(problem, side: str, index, kt, u, v):
    """Boundary faces of one side: (unknown numbers, diagonal, rhs part, kind)."""
    g, fl = problem.grid, problem.fluid
    take = {
        "left": (0, slice(None)),
        "right": (-1, slice(None)),
        "bottom": (slice(None), 0),
        "top": (slice(None), -1),
    }[side]
    cells, kt_b = index[take], kt[take]
    speed = {"left": u[0], "right": -u[-1], "bottom": v[:, 0], "top": -v[:, -1]}[side]
    inflow = fl.density * fl.specific_heat * speed * g.h * g.depth  # W/K entering
    kind = problem.thermal[side]["kind"]
    value = problem.thermal[side]["value"]
    d = 2.0 * kt_b
    coefficient = np.zeros(cells.size)
    part = np.zeros(cells.size)
    wall_t = kind == _TEMPERATURE
    coefficient[wall_t], part[wall_t] = d[wall_t], d[wall_t] * value[wall_t]
    flux = kind == _FLUX
    part[flux] = value[flux] * g.h * problem.thickness[take][flux]
    inlet = kind == _INLET
    conduction = _power_law(d, inflow)
    coefficient[inlet] = conduction[inlet]
    part[inlet] = (conduction[inlet] + np.maximum(inflow[inlet], 0.0)) * value[inlet]
    outlet = kind == _OUTLET
    # outflow carries the cell's temperature out (on the diagonal); flow re-entering brings
    # its outlet's backflow temperature (EnergySystem.set_backflow_temperatures), not the
    # cell's own: -inflow on the diagonal (zero gradient) left a cell fed only through the
    # outlet without diagonal dominance, its temperature arbitrary (0 K on the example plate)
    coefficient[outlet] = np.maximum(-inflow[outlet], 0.0)
    keep = cells >= 0
    return cells[keep], coefficient[keep], part[keep], kind[keep], inflow


def solve_steady(system: EnergySystem) -> np.ndarray:
    """Temperatures of the unknowns (one sparse LU, reused by the backflow iterations)."""
    from scipy.sparse.linalg import splu

    lu = splu(system.matrix.tocsc())
    return _with_backflow(system, lambda: lu.solve(system.rhs))


def _with_backflow(system: EnergySystem, solve) -> np.ndarray:
    """``solve()`` again until every outlet's backflow temperature, the mean of what leaves
    through it, changes by less than ``_BACKFLOW_TOLERANCE``: the lagged (outer fixed-point)
    treatment of re-entering flow, as OpenFOAM's ``inletOutlet`` lags its boundary value.

    The map is a contraction by about the re-entering fraction of the flow (a few %), so it
    takes a handful of iterations. The solution returned is the one solved with the
    temperatures the system holds, so its energy balance closes to round-off.
    """
    solution = solve()
    system.backflow_iterations, system.backflow_converged = 1, True
    if not system.outlets or not any((o.inflow > 0).any() for o in system.outlets):
        return solution
    for _ in range(_MOST_BACKFLOW_ITERATIONS):
        t_b = system.outlet_temperatures(solution)
        held = np.array([o.backflow_temperature for o in system.outlets])
        if np.abs(t_b - held).max() < _BACKFLOW_TOLERANCE:
            return solution
        system.set_backflow_temperatures(t_b)
        solution = solve()
        system.backflow_iterations += 1
    system.backflow_converged = False
    return solution


class TransientEnergy:
    """Implicit Euler steps of ``system`` with step ``dt``; the LU is reused."""

    def __init__(self, system: EnergySystem, dt: float) -> None:
        from scipy.sparse.linalg import splu

        self.system, self.dt = system, dt
        lhs = system.matrix + sp.diags(system.capacity / dt)
        self._lu = splu(lhs.tocsc())

    def step(self, temps: np.ndarray) -> np.ndarray:
        """Temperatures one step on, the backflow temperatures iterated within the step
        (starting from what leaves at ``temps``)."""
        system = self.system
        system.set_backflow_temperatures(system.outlet_temperatures(temps))
        stored = system.capacity / self.dt * temps
        return _with_backflow(system, lambda: self._lu.solve(system.rhs + stored))
