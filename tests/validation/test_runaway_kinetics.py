"""Runaway kinetics (Kim et al. 2007, Table 1) against an independent stiff ODE solve and the
adiabatic energy bound."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from cellwright.engines.thermal.runaway_kinetics import (
    GAS_CONSTANT,
    KIM2007,
    RunawayState,
    advance,
    heat_rate,
    total_heat,
)

RHO_CP = 2580.0 * 830.0  # J/(m^3 K), the 18650 jelly roll of Kim et al. (2007)


def _adiabatic_rhs(_t, y, kin=KIM2007):
    c_sei, c_neg, z, alpha, c_e, temp = y
    rt = GAS_CONSTANT * temp
    r_sei = kin.a_sei * np.exp(-kin.e_sei / rt) * c_sei
    r_ne = kin.a_ne * np.exp(-z / kin.z0) * np.exp(-kin.e_ne / rt) * c_neg
    r_pe = kin.a_pe * alpha * (1 - alpha) * np.exp(-kin.e_pe / rt)
    r_e = kin.a_e * np.exp(-kin.e_e / rt) * c_e
    q = (
        kin.h_sei * kin.w_c * r_sei
        + kin.h_ne * kin.w_c * r_ne
        + kin.h_pe * kin.w_p * r_pe
        + kin.h_e * kin.w_e * r_e
    )
    return [-r_sei, -r_ne, r_ne, r_pe, -r_e, q / RHO_CP]


def _adiabatic(t0: float, t_end: float, dt: float, substeps: int):
    state = RunawayState.initial(1)
    temp = np.array([t0])
    times, temps = [0.0], [t0]
    for n in range(1, round(t_end / dt) + 1):
        temp = temp + advance(state, temp, dt, substeps=substeps) / RHO_CP
        times.append(n * dt)
        temps.append(temp[0])
    return np.array(times), np.array(temps), state


def test_adiabatic_rise_equals_the_sum_of_reaction_enthalpies() -> None:
    """Run to completion: rho c dT = sum_i H_i W_i (initial reactant content)."""
    _, temps, state = _adiabatic(460.0, 3600.0, 1.0, 10)
    released = total_heat(RunawayState.initial(1))[0] - total_heat(state)[0]
    assert temps[-1] - temps[0] == pytest.approx(released / RHO_CP, rel=1e-12)
    # every reaction (but the self-limiting anode one) has gone to completion
    assert state.c_sei[0] < 1e-9 and state.c_e[0] < 1e-9 and 1 - state.alpha[0] < 1e-9
    full = (
        KIM2007.h_sei * KIM2007.w_c * KIM2007.c_sei0
        + KIM2007.h_pe * KIM2007.w_p * (1 - KIM2007.alpha0)
        + KIM2007.h_e * KIM2007.w_e * KIM2007.c_e0
        + KIM2007.h_ne * KIM2007.w_c * (KIM2007.c_neg0 - state.c_neg[0])
    )
    assert temps[-1] - temps[0] == pytest.approx(full / RHO_CP, rel=1e-9)


def test_integrator_matches_a_stiff_reference_solution() -> None:
    """Adiabatic self-heating from 150 °C against scipy's Radau at tight tolerances."""
    t0, t_end = 423.15, 900.0
    times, temps, _ = _adiabatic(t0, t_end, 0.05, 5)
    k = KIM2007
    ref = solve_ivp(
        _adiabatic_rhs,
        (0, t_end),
        [k.c_sei0, k.c_neg0, k.z_init, k.alpha0, k.c_e0, t0],
        method="Radau",
        rtol=1e-10,
        atol=1e-12,
        dense_output=True,
    )
    ref_temp = ref.sol(times)[5]
    # the time of runaway (1 K/s) agrees to a fraction of a second
    onset = times[np.argmax(np.gradient(temps, times) > 1.0)]
    ref_onset = times[np.argmax(np.gradient(ref_temp, times) > 1.0)]
    assert onset == pytest.approx(ref_onset, abs=0.5)
    assert abs(temps[-1] - ref_temp[-1]) < 0.1


def test_heat_rate_is_the_derivative_of_the_released_heat() -> None:
    state = RunawayState.initial(3)
    temp = np.array([400.0, 430.0, 460.0])
    q = heat_rate(state, temp)
    released = advance(state.copy(), temp, 1e-4, substeps=1)
    np.testing.assert_allclose(released / 1e-4, q, rtol=1e-3)
