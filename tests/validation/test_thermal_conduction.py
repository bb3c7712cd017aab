"""3D conduction FEM against analytic solutions (each case names its formula and source)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import j0, j1, jn_zeros

from cellwright.engines.thermal.model import ConductionModel, Material3D
from cellwright.engines.thermal.solver import TransientStepper, solve_steady
from support.thermal_meshes import box, cylinder


def _model(points, tets, groups, material) -> ConductionModel:
    model = ConductionModel(points, tets, {"body": np.arange(len(tets))}, groups)
    model.set_material("body", material)
    return model


def _run(model, t0, dt, t_end, scheme="bdf2"):
    system = model.build()
    temps = np.full(model.points.shape[0], t0)
    stepper = TransientStepper(system, dt, scheme)
    for n in range(1, round(t_end / dt) + 1):
        temps = stepper.step(temps, n * dt)
    return temps


def test_slab_transient_matches_carslaw_jaeger() -> None:
    """Slab -L/2..L/2 of initial T0 with both faces held at Ts.

    Carslaw & Jaeger, *Conduction of Heat in Solids* (2nd ed., 1959), §3.3 eq. (8):
    T = Ts + (T0 - Ts) 4/pi sum_n 1/(2n+1) sin((2n+1) pi x/L) exp(-alpha (2n+1)^2 pi^2 t/L^2)
    """
    length, k, rho, cp = 0.01, 1.0, 2000.0, 1000.0
    points, tets, groups = box(length, 0.002, 0.002, 40, 2, 2)
    model = _model(points, tets, groups, Material3D(k, rho, cp))
    model.fixed_temperature("xmin", 300.0)
    model.fixed_temperature("xmax", 300.0)
    t_end = 20.0
    temps = _run(model, 350.0, 0.25, t_end)
    x, alpha = points[:, 0], k / (rho * cp)
    n = 2 * np.arange(200)[:, None] + 1
    series = (
        4
        / (n * np.pi)
        * np.sin(n * np.pi * x / length)
        * np.exp(-alpha * (n * np.pi / length) ** 2 * t_end)
    ).sum(axis=0)
    exact = 300.0 + 50.0 * series
    assert np.max(np.abs(temps - exact)) < 0.03  # K, of a 50 K step


def test_cylinder_transient_matches_bessel_series() -> None:
    """Long cylinder (adiabatic ends) of initial T0, surface held at Ts.

    Carslaw & Jaeger §7.4 eq. (4): T = Ts + (T0 - Ts) * sum_n 2 J0(b_n r/R) / (b_n J1(b_n))
    * exp(-alpha b_n^2 t / R^2), b_n the zeros of J0.
    """
    radius, k, rho, cp = 0.009, 0.8, 2500.0, 1000.0
    points, tets, groups = cylinder(radius, 0.004, 0.0007)
    model = _model(points, tets, groups, Material3D(k, rho, cp))
    model.fixed_temperature("side", 300.0)
    t_end = 60.0
    temps = _run(model, 340.0, 0.5, t_end)
    r = np.hypot(points[:, 0], points[:, 1])
    b = jn_zeros(0, 100)[:, None]
    alpha = k / (rho * cp)
    series = 2 * j0(b * r / radius) / (b * j1(b)) * np.exp(-alpha * b**2 * t_end / radius**2)
    exact = 300.0 + 40.0 * series.sum(axis=0)
    assert np.max(np.abs(temps - exact)) < 0.15  # K, of a 40 K step, at h = R/13


def test_steady_cylinder_with_uniform_generation() -> None:
    """T_centre - T_surface = q R^2 / (4 k) (Incropera, 7th ed., eq. 3.58)."""
    radius, k, q = 0.009, 0.5, 1e5
    points, tets, groups = cylinder(radius, 0.004, 0.0006)
    model = _model(points, tets, groups, Material3D(k, 2000, 1000))
    model.fixed_temperature("side", 300.0)
    model.heat_source("body", q)
    temps = solve_steady(model.build())
    r = np.hypot(points[:, 0], points[:, 1])
    exact = 300.0 + q * (radius**2 - r**2) / (4 * k)
    assert temps.max() - 300.0 == pytest.approx(q * radius**2 / (4 * k), rel=0.01)
    assert np.max(np.abs(temps - exact)) < 0.01 * (q * radius**2 / (4 * k))


def _rotation(a: float, b: float) -> np.ndarray:
    ca, sa, cb, sb = np.cos(a), np.sin(a), np.cos(b), np.sin(b)
    rz = np.array([[ca, -sa, 0], [sa, ca, 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, cb, -sb], [0, sb, cb]])
    return rz @ rx


def test_rotated_anisotropic_block_carries_the_analytic_flux() -> None:
    """A linear field T = T0 + g.x solves div(k grad T) = 0 for any constant tensor k.

    Imposing it on the whole boundary, P1 elements reproduce it exactly (patch test), and the
    heat leaving through x = L must be (k g)_x * area: the rotated tensor k = R diag(k) R^T
    with principal values (25, 25, 1) W/(m K) (a jelly roll's in-plane/through-plane ratio).
    """
    rot = _rotation(0.6, 0.9)
    k = rot @ np.diag([25.0, 25.0, 1.0]) @ rot.T
    points, tets, groups = box(0.02, 0.01, 0.01, 8, 4, 4)
    grad = np.array([100.0, -40.0, 30.0])  # K/m
    exact = 300.0 + points @ grad
    model = _model(points, tets, groups, Material3D(k, 2000, 1000))
    system = model.build()
    boundary = np.unique(np.concatenate(list(groups.values())))
    system.fixed_nodes, system.fixed_values = boundary, exact[boundary]
    temps = solve_steady(system)
    assert np.max(np.abs(temps - exact)) < 1e-9
    # reaction heat at the x = L nodes: (A T)_i summed over them is the heat leaving there
    xmax = np.unique(groups["xmax"])
    leaving = -(system.stiffness @ temps)[xmax].sum()
    assert leaving == pytest.approx(-(k @ grad)[0] * 0.01 * 0.01, rel=1e-9)


def test_steady_slab_converges_at_second_order() -> None:
    """Slab with uniform generation, faces at Ts: T = Ts + q x (L - x) / (2 k).

    The L2 error of P1 elements falls as h^2 (Strang & Fix 1973); fitted order must be ~2.
    """
    length, k, q = 0.01, 2.0, 2e6
    errors, sizes = [], []
    for n in (5, 10, 20, 40):
        points, tets, groups = box(length, 0.001, 0.001, n, 1, 1)
        model = _model(points, tets, groups, Material3D(k, 2000, 1000))
        model.fixed_temperature("xmin", 300.0)
        model.fixed_temperature("xmax", 300.0)
        model.heat_source("body", q)
        temps = solve_steady(model.build())
        # nodal values are exact in 1-D (a P1 superconvergence), so measure the error inside
        # the elements: at the centroids, weighted by volume (an L2 norm by one-point quadrature)
        x = points[tets].mean(axis=1)[:, 0]
        exact = 300.0 + q * x * (length - x) / (2 * k)
        err = temps[tets].mean(axis=1) - exact
        vol = model.geometry.volume
        errors.append(np.sqrt((vol * err**2).sum() / vol.sum()))
        sizes.append(length / n)
    order = np.polyfit(np.log(sizes), np.log(errors), 1)[0]
    assert order == pytest.approx(2.0, abs=0.15)


@pytest.mark.parametrize("scheme", ["backward_euler", "bdf2"])
def test_energy_balance(scheme) -> None:
    """Heat in (source) - heat out (convection) = heat stored, to 1e-6 relative."""
    points, tets, groups = box(0.02, 0.015, 0.01, 8, 6, 4)
    model = _model(points, tets, groups, Material3D((3.0, 20.0, 20.0), 2100, 1100))
    for side in ("xmin", "xmax"):
        model.convection(side, 50.0, 295.0)
    model.heat_source("body", lambda t: 2e5 * (1 + np.sin(t / 10)))
    system = model.build()
    temps = np.full(points.shape[0], 305.0)
    initial = temps.copy()
    dt = 1.0
    stepper = TransientStepper(system, dt, scheme)
    previous = older = temps
    net_in = 0.0
    for n in range(1, 121):
        temps = stepper.step(temps, n * dt)
        # per-step balance of the scheme: sum(load) - sum(A T_new) over the step
        if scheme == "backward_euler" or n == 1:
            net_in += dt * (system.load(n * dt).sum() - (system.stiffness @ temps).sum())
        else:
            net_in += (
                dt * (system.load(n * dt).sum() - (system.stiffness @ temps).sum())
                - 0.5 * (system.mass @ (temps - 2 * previous + older)).sum()
            )
        older, previous = previous, temps
    stored = (system.mass @ (temps - initial)).sum()
    assert stored == pytest.approx(net_in, rel=1e-6)
