"""Incompressible laminar flow on the staggered grid: SIMPLEC iterations.

Each iteration (Van Doormaal & Raithby 1984, Numer. Heat Transfer 7 147; Patankar 1980 ch. 6):
assemble both momentum equations at the current velocities and pressure, relax them, smooth
them with red-black Gauss-Seidel; solve the pressure correction sum d (p'_P - p'_nb) = -div u*
(multigrid-preconditioned CG, :mod:`flow2d_multigrid`) with SIMPLEC's d = h / (a_P - sum a_nb);
correct velocities and pressure (no pressure under-relaxation in SIMPLEC). Steady problems
iterate to convergence; transient ones add rho h^2/dt to a_P (implicit Euler) and iterate each
step until its continuity residual has fallen.

A thin channel seen from above (a cold plate's plan view, depth-averaged) adds the wall
friction of plane Poiseuille flow between its floor and ceiling, 12 mu / H^2 per unit area
(Hele-Shaw; e.g. Batchelor 1967 §4.8).
"""

from __future__ import annotations

import numpy as np

from cellwright.engines.cfd.flow2d_grid import INTERIOR, OUTLET, Grid2D
from cellwright.engines.cfd.flow2d_multigrid import PressureSolver
from cellwright.engines.cfd.flow2d_stencil_mg import StencilMultigrid

__all__ = ["FlowSolver", "kernels_for"]


def kernels_for(backend: str):
    """The kernel module: "numba" (compiled, parallel) or "numpy" (the plain reference)."""
    if backend == "numba":
        from cellwright.engines.cfd import flow2d_kernels

        return flow2d_kernels
    from cellwright.engines.cfd import flow2d_numpy

    return flow2d_numpy


class _Coefficients:
    def __init__(self, shape: tuple[int, int]) -> None:
        self.ap, self.ae, self.aw, self.an, self.a_s, self.b, self.d = (
            np.zeros(shape) for _ in range(7)
        )


class FlowSolver:
    """The velocity and pressure of one grid; call :meth:`iterate` until converged.

    Parameters
    ----------
    grid
        The grid with its boundary conditions (:mod:`flow2d_setup`).
    density, viscosity
        Fluid properties [kg/m^3], [Pa s] (constant: laminar forced convection).
    friction
        Extra linear drag per unit area [Pa s/m^2]: 12 mu / H^2 for a thin channel, else 0.
    outlet_pressure
        Pressure on outlet edges [Pa].
    backend
        "numba" or "numpy".
    """

    def __init__(
        self,
        grid: Grid2D,
        density: float,
        viscosity: float,
        friction: float = 0.0,
        outlet_pressure: float = 0.0,
        backend: str = "numba",
    ) -> None:
        self.grid, self.k = grid, kernels_for(backend)
        self.rho, self.mu, self.friction, self.p_out = density, viscosity, friction, outlet_pressure
        nx, ny = grid.shape
        self.u = np.ascontiguousarray(grid.x.value.copy())
        self.v = np.ascontiguousarray(grid.y.value.T.copy())
        self.p = np.full((nx, ny), outlet_pressure)
        self._cx = _Coefficients(self.u.shape)
        self._cy = _Coefficients((ny + 1, nx))
        self._div = np.zeros((nx, ny))
        self.central = 1.0  # deferred correction to central differences (0: pure upwind)
        self.pressure_iterations = 0

    # -- one SIMPLEC iteration ----------------------------------------------------------------
    def iterate(
        self,
        relax: float = 0.8,
        sweeps: int = 2,
        inertia: float = 0.0,
        previous: tuple[np.ndarray, np.ndarray] | None = None,
        pressure_rtol: float = 0.1,
    ) -> tuple[float, float]:
        """One outer iteration; returns (continuity residual before the correction [m/s] as
        the sum of |div u*| over the cells, largest velocity change [m/s])."""
        g, k = self.grid, self.k
        u0, v0 = self.u.copy(), self.v.copy()
        old_u, old_v = previous if previous is not None else (u0, v0)
        vt, ut, pt = (np.ascontiguousarray(a.T) for a in (self.v, self.u, self.p))
        self._assemble(self.u, self.v, self.p, g.x, self._cx, relax, inertia, old_u)
        self._assemble(vt, ut, pt, g.y, self._cy, relax, inertia, np.ascontiguousarray(old_v.T))
        for x, kind, c in ((self.u, g.x.kind, self._cx), (vt, g.y.kind, self._cy)):
            StencilMultigrid(kind, c.ap, c.ae, c.aw, c.an, c.a_s, k).solve(x, c.b, sweeps)
        self.v = np.ascontiguousarray(vt.T)
        k.divergence(self.u, self.v, self._div)
        continuity = float(np.abs(self._div[g.fluid]).sum())
        pressure = PressureSolver(*self._conductances(), k)
        correction = pressure.solve(-self._div, rtol=pressure_rtol)
        self.pressure_iterations = pressure.iterations
        k.correct_velocity(self.u, g.x.kind, self._cx.d, correction)
        vt = np.ascontiguousarray(self.v.T)
        k.correct_velocity(vt, g.y.kind, self._cy.d, np.ascontiguousarray(correction.T))
        self.v = np.ascontiguousarray(vt.T)
        self.p += np.where(self.grid.fluid, correction, 0.0)
        change = max(float(np.abs(self.u - u0).max()), float(np.abs(self.v - v0).max()))
        return continuity, change

    def _assemble(self, u, v, p, direction, c: _Coefficients, relax, inertia, old) -> None:
        self.k.momentum(
            u,
            v,
            p,
            direction.kind,
            direction.value,
            direction.east,
            direction.west,
            direction.north,
            direction.south,
            direction.wall_north,
            direction.wall_south,
            self.rho,
            self.mu,
            self.grid.h,
            self.friction,
            relax,
            inertia,
            old,
            self.p_out,
            self.central,
            c.ap,
            c.ae,
            c.aw,
            c.an,
            c.a_s,
            c.b,
            c.d,
        )

    def _conductances(self) -> tuple[np.ndarray, np.ndarray]:
        """Face conductances of the pressure correction: d on unknown interior faces, 2 d on
        outlet faces (p' = 0 half a cell beyond), none elsewhere."""
        gx = _face_conductance(self.grid.x.kind, self._cx.d)
        gy = _face_conductance(self.grid.y.kind, self._cy.d).T
        return np.ascontiguousarray(gx), np.ascontiguousarray(gy)

    # -- what a result reports ----------------------------------------------------------------
    def edge_flow(self, side: str, faces: np.ndarray) -> np.ndarray:
        """Volume flow into the domain through boundary faces of ``side`` [m^3/s over the
        depth]; negative where it leaves."""
        g = self.grid
        speed = {
            "left": self.u[0],
            "right": -self.u[-1],
            "bottom": self.v[:, 0],
            "top": -self.v[:, -1],
        }[side]
        return speed[faces] * g.h * g.depth

    def cell_velocity(self) -> np.ndarray:
        """Velocity at cell centres (nx, ny, 2) [m/s]: the mean of the two faces."""
        return np.stack(
            [0.5 * (self.u[1:] + self.u[:-1]), 0.5 * (self.v[:, 1:] + self.v[:, :-1])], axis=-1
        )

    def vorticity(self) -> np.ndarray:
        """dv/dx - du/dy at the grid's nodes (nx+1, ny+1) [1/s], one-sided at the edges."""
        h = self.grid.h
        u_nodes = np.zeros((self.grid.nx + 1, self.grid.ny + 1))
        v_nodes = np.zeros_like(u_nodes)
        u_nodes[:, 1:-1] = 0.5 * (self.u[:, 1:] + self.u[:, :-1])
        u_nodes[:, 0], u_nodes[:, -1] = self.u[:, 0], self.u[:, -1]
        v_nodes[1:-1] = 0.5 * (self.v[1:] + self.v[:-1])
        v_nodes[0], v_nodes[-1] = self.v[0], self.v[-1]
        return np.gradient(v_nodes, h, axis=0) - np.gradient(u_nodes, h, axis=1)

    def stream_function(self) -> np.ndarray:
        """psi at the nodes (nx+1, ny+1) [m^2/s], u = dpsi/dy, psi = 0 at the lower-left corner:
        integrated up the left edge with u, then across with -v."""
        h = self.grid.h
        psi = np.zeros((self.grid.nx + 1, self.grid.ny + 1))
        psi[0, 1:] = np.cumsum(self.u[0]) * h
        psi[1:, :] = psi[0, :] - np.cumsum(self.v, axis=0) * h
        return psi


def _face_conductance(kind: np.ndarray, d: np.ndarray) -> np.ndarray:
    return np.where(kind == INTERIOR, d, np.where(kind == OUTLET, 2.0 * d, 0.0))
