"""Temperature in the fluid and the conducting solids (conjugate heat transfer), finite volumes.

rho c dT/dt + div(rho c u T) = div(k grad T) + q on every fluid cell and every solid that
conducts (inert walls are adiabatic and left out). Across a face the conductance is the series
of the two half cells, 2 (k t)_P (k t)_E / ((k t)_P + (k t)_E) with t the cell's thickness (the
depth, or a plate's own thickness); convection uses Patankar's power-law scheme (1980, Table
5.2) in conservative flux form, so the energy leaving one cell is exactly what enters the next
and the discrete balance closes to round-off. Steady problems are one sparse LU solve; transient
ones are implicit Euler steps with the factorisation reused while the velocity stands still.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = ["EnergySystem", "energy_system"]

_TEMPERATURE, _FLUX, _INLET, _OUTLET = 1, 2, 3, 4


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

    def temperatures(self, solution: np.ndarray) -> np.ndarray:
        """(nx, ny) temperatures, NaN where no temperature is solved."""
        out = np.full(self.index.shape, np.nan)
        out[self.index >= 0] = solution[self.index[self.index >= 0]]
        return out

    def boundary_heat(self, solution: np.ndarray) -> dict[str, np.ndarray]:
        """Heat into the domain through every boundary face [W], per side."""
        return {side: rhs - diag * solution[cells] for side, cells, diag, rhs, _ in self.boundary}


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
    boundary = []
    for side in ("left", "right", "bottom", "top"):
        cells, coefficient, part, kind = _side(problem, side, index, kt, u, v)
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
    return EnergySystem(index, matrix, rhs, capacity, boundary, float(problem.cell_heat.sum()))


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
    # outflow carries the cell's temperature out; flow re-entering through an outlet (a
    # recirculation reaching it) brings the temperature next to it back in, the zero-gradient
    # outflow condition (Patankar 1980, ch. 5): not 0 K, as a zero coefficient would have it
    coefficient[outlet] = -inflow[outlet]
    keep = cells >= 0
    return cells[keep], coefficient[keep], part[keep], kind[keep]


def solve_steady(system: EnergySystem) -> np.ndarray:
    """Temperatures of the unknowns (one sparse LU)."""
    from scipy.sparse.linalg import spsolve

    return spsolve(system.matrix.tocsc(), system.rhs)


class TransientEnergy:
    """Implicit Euler steps of ``system`` with step ``dt``; the LU is reused."""

    def __init__(self, system: EnergySystem, dt: float) -> None:
        from scipy.sparse.linalg import splu

        self.system, self.dt = system, dt
        lhs = system.matrix + sp.diags(system.capacity / dt)
        self._lu = splu(lhs.tocsc())

    def step(self, temps: np.ndarray) -> np.ndarray:
        """Temperatures one step on."""
        return self._lu.solve(self.system.rhs + self.system.capacity / self.dt * temps)
