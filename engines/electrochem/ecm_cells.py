"""A bank of Thevenin cells advanced together: the state the single-cell and pack engines share.

Each call to :meth:`CellBank.step` runs three numba kernels over all cells (table look-up,
terminal voltage, state advance), so the per-cell cost is a few hundred floating-point
operations and the Python overhead is paid once per time step, not once per cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cellwright.engines.electrochem import ecm_kernel as k
from cellwright.projects.model.ecm import EcmParameters

__all__ = ["CellBank", "StepOutput"]

_DEGC = 273.15


@dataclass
class StepOutput:
    """Per-cell values at the start of a step (the state the step's current acted on)."""

    voltage: np.ndarray
    ocv: np.ndarray
    heat_irreversible: np.ndarray
    heat_reversible: np.ndarray


class CellBank:
    """State and parameters of ``n`` ECM cells.

    Parameters
    ----------
    params
        The cell's tables (shared by all cells).
    n
        Number of cells.
    initial_soc, initial_temperature
        Scalars or arrays of length ``n``.
    capacity_scale, resistance_scale
        Cell-to-cell variation: multipliers on capacity and on every resistance.
    """

    def __init__(
        self,
        params: EcmParameters,
        n: int = 1,
        initial_soc: float | np.ndarray = 1.0,
        initial_temperature: float | np.ndarray = 298.15,
        capacity_scale: float | np.ndarray = 1.0,
        resistance_scale: float | np.ndarray = 1.0,
    ) -> None:
        self.params = params
        self.n = n
        full = lambda v: np.broadcast_to(np.asarray(v, dtype=float), (n,)).copy()  # noqa: E731
        self.soc = full(initial_soc)
        self.temperature = full(initial_temperature)
        self.jig_temperature = self.temperature.copy()
        self.capacity = params.capacity * full(capacity_scale)
        self.r_scale = full(resistance_scale)
        self.vrc = np.zeros((n, params.n_rc))
        # tables in the kernels' layout: R0..Rn stacked, C1..Cn stacked, temperatures in degC
        self._t_axis = np.ascontiguousarray(params.temperature_axis - _DEGC)
        self._r_tables = np.ascontiguousarray(
            np.stack([params.r0] + [p.resistance for p in params.rc])
        )
        self._c_tables = np.ascontiguousarray(np.stack([p.capacitance for p in params.rc]))
        self.r = np.zeros((n, params.n_rc + 1))
        self.c = np.zeros((n, params.n_rc))
        self._thermal_mass = np.full(n, params.cell_thermal_mass)
        self._jig_mass = np.full(n, params.jig_thermal_mass)
        self._buf = StepOutput(np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n))

    def resistances(self, current: np.ndarray) -> np.ndarray:
        """Look up R0..Rn and C1..Cn at the present state for ``current``; returns R (n, 1+n_rc)."""
        p = self.params
        k.lookup_rc(
            self._t_axis,
            p.current_axis,
            p.soc_axis,
            self._r_tables,
            self._c_tables,
            self.temperature - _DEGC,
            current,
            self.soc,
            self.r_scale,
            self.r,
            self.c,
        )
        return self.r

    def open_circuit(self) -> np.ndarray:
        """Open-circuit voltage of each cell [V]."""
        out = np.empty(self.n)
        for i in range(self.n):
            out[i] = k.interp1(self.params.ocv_soc, self.params.ocv, self.soc[i])
        return out

    def step(
        self,
        current: np.ndarray,
        dt: float,
        ambient: float,
        isothermal: bool,
        lookup: bool = True,
    ) -> StepOutput:
        """Apply ``current`` [A] (positive on discharge) for ``dt`` seconds to every cell.

        Returns the voltages and heats at the start of the step; the state moves to its end.
        Pass ``lookup=False`` when :meth:`resistances` was already called for this current.
        """
        p, out = self.params, self._buf
        if lookup:
            self.resistances(current)
        k.terminal(p.ocv_soc, p.ocv, self.soc, self.vrc, self.r, current, out.ocv, out.voltage)
        k.advance(
            dt,
            current,
            self.capacity,
            self.soc,
            self.vrc,
            self.r,
            self.c,
            self.temperature,
            self.jig_temperature,
            ambient,
            out.ocv,
            p.entropic_ocv_axis,
            p.entropic_temperature_axis,
            p.entropic,
            0.0,
            self._thermal_mass,
            self._jig_mass,
            p.cell_jig_conductance,
            p.jig_air_conductance,
            isothermal,
            out.heat_irreversible,
            out.heat_reversible,
        )
        return out
