"""A simulated cell with known capacity fade and sensor noise: the truth the EKF must recover.

The truth comes from the ECM engine's own cell model (engines/electrochem/ecm_cells.CellBank),
not from the filter's code, with the capacity lowered step by step as the cell ages.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np


@dataclass
class SimulatedCell:
    time: np.ndarray
    current: np.ndarray  # measured, > 0 on charge
    voltage: np.ndarray  # measured
    temperature: np.ndarray  # K
    soc: np.ndarray  # true
    capacity: np.ndarray  # true [A.h]


def duty_cycle(n: int, capacity: float, seed: int) -> np.ndarray:
    """Discharge current [A] (> 0 discharges): random driving pulses, rests, CC recharges."""
    rng = np.random.default_rng(seed)
    current = np.zeros(n)
    k = 0
    soc = 0.9
    while k < n:
        if soc < 0.25:  # recharge at C/2 to 90 %
            steps = int((0.9 - soc) * 3600 / 0.5)
            current[k : k + steps] = -0.5 * capacity
            soc = 0.9
            k += steps
            continue
        steps = int(rng.integers(30, 600))
        rate = rng.choice([0.0, 0.3, 0.8, 1.5, -0.4], p=[0.25, 0.3, 0.25, 0.1, 0.1])
        current[k : k + steps] = rate * capacity
        soc -= rate * steps / 3600
        k += steps
    return current[:n]


def simulate(
    params,
    hours: float,
    fade: tuple[float, float],
    seed: int = 0,
    voltage_noise: float = 0.005,
    current_noise: float = 0.005,
) -> SimulatedCell:
    """``hours`` at 1 Hz; the true capacity goes linearly from fade[0] to fade[1] x rated."""
    from cellwright.engines.electrochem.ecm_cells import CellBank

    n = int(hours * 3600)
    discharge = duty_cycle(n, params.capacity, seed)
    bank = CellBank(params, 1, initial_soc=0.9, initial_temperature=298.15)
    capacity = params.capacity * np.linspace(fade[0], fade[1], n)
    soc, volts = np.empty(n), np.empty(n)
    step = np.zeros(1)
    for k in range(n):
        bank.capacity[0] = capacity[k]
        step[0] = discharge[k]
        soc[k] = bank.soc[0]
        volts[k] = bank.step(step, 1.0, 298.15, isothermal=True).voltage[0]
    rng = np.random.default_rng(seed + 1)
    noise_i = current_noise * params.capacity * rng.standard_normal(n)
    return SimulatedCell(
        time=np.arange(n, dtype=float),
        current=-discharge + noise_i,
        voltage=volts + voltage_noise * rng.standard_normal(n),
        temperature=np.full(n, 298.15),
        soc=soc,
        capacity=capacity,
    )


@functools.cache
def _kernel_sim():
    """A numba loop over the ECM engine's own kernels (lookup_rc, terminal, advance)."""
    from numba import njit

    from cellwright.engines.electrochem import ecm_kernel as k

    @njit
    def run(
        discharge,
        capacity,
        t_axis,
        i_axis,
        s_axis,
        r_tables,
        c_tables,
        ocv_soc,
        ocv,
        soc0,
        out_soc,
        out_v,
    ):
        n_rc = c_tables.shape[0]
        soc = np.array([soc0])
        vrc = np.zeros((1, n_rc))
        r = np.zeros((1, n_rc + 1))
        c = np.zeros((1, n_rc))
        cur = np.zeros(1)
        cap = np.zeros(1)
        temp = np.array([25.0])
        ones = np.ones(1)
        ocv_out, v_out = np.zeros(1), np.zeros(1)
        dummy = np.zeros((2, 2))
        ent_v, ent_t = np.array([2.0, 5.0]), np.array([0.0, 50.0])
        jig, heat_irr, heat_rev = temp.copy(), np.zeros(1), np.zeros(1)
        for j in range(discharge.shape[0]):
            cur[0] = discharge[j]
            cap[0] = capacity[j]
            k.lookup_rc(t_axis, i_axis, s_axis, r_tables, c_tables, temp, cur, soc, ones, r, c)
            k.terminal(ocv_soc, ocv, soc, vrc, r, cur, ocv_out, v_out)
            out_soc[j] = soc[0]
            out_v[j] = v_out[0]
            k.advance(
                1.0,
                cur,
                cap,
                soc,
                vrc,
                r,
                c,
                temp,
                jig,
                25.0,
                ocv_out,
                ent_v,
                ent_t,
                dummy,
                0.0,
                ones,
                ones,
                0.0,
                0.0,
                True,
                heat_irr,
                heat_rev,
            )

    return run


def simulate_fast(
    params,
    n: int,
    fade: tuple[float, float],
    seed: int = 0,
    voltage_noise: float = 0.005,
    current_noise: float = 0.005,
) -> SimulatedCell:
    """Like :func:`simulate` for ``n`` samples at 1 Hz, with the ECM engine's numba kernels
    driven from one compiled loop (for millions of samples)."""
    discharge = duty_cycle(n, params.capacity, seed)
    capacity = params.capacity * np.linspace(fade[0], fade[1], n)
    soc, volts = np.empty(n), np.empty(n)
    stack = np.ascontiguousarray(np.stack([params.r0] + [p.resistance for p in params.rc]))
    caps = np.ascontiguousarray(np.stack([p.capacitance for p in params.rc]))
    _kernel_sim()(
        discharge,
        capacity,
        params.temperature_axis - 273.15,
        params.current_axis,
        params.soc_axis,
        stack,
        caps,
        params.ocv_soc,
        params.ocv,
        0.9,
        soc,
        volts,
    )
    rng = np.random.default_rng(seed + 1)
    return SimulatedCell(
        time=np.arange(n, dtype=float),
        current=-discharge + current_noise * params.capacity * rng.standard_normal(n),
        voltage=volts + voltage_noise * rng.standard_normal(n),
        temperature=np.full(n, 298.15),
        soc=soc,
        capacity=capacity,
    )
