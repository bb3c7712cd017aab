"""State of charge and state of health from telemetry: the joint EKF on the cell's ECM.

The filter (:mod:`.ekf_kernel`) runs over the telemetry in chunks of a million samples, so a
year of 1 Hz data streams through with progress and cancel, and keeps every ``out_every``-th
posterior state with its standard deviation. Capacity and the R0 growth factor are what the
passport calls remaining capacity and internal-resistance increase.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, Field

from cellwright.projects.model import EcmParameters, InputError

__all__ = [
    "EkfResult",
    "EkfSettings",
    "TableModel",
    "initial_soc_from_voltage",
    "process_noise",
    "rest",
    "run_ekf",
]

_CHUNK = 1 << 20


class EkfSettings(BaseModel):
    """Noise and start uncertainty of the filter (SI, standard deviations)."""

    voltage_noise: float = Field(0.005, gt=0, description="voltage sensor noise [V]")
    current_noise: float = Field(0.01, ge=0, description="current noise [A per rated A.h]")
    capacity_drift: float = Field(0.003, ge=0, description="capacity random walk [1/day]")
    resistance_drift: float = Field(0.02, ge=0, description="R0 factor random walk [1/day]")
    rc_noise: float = Field(1e-4, ge=0, description="RC overpotential random walk [V/sqrt(s)]")
    soc_sd: float = Field(0.1, gt=0, description="initial SOC uncertainty [1]")
    capacity_sd: float = Field(0.1, gt=0, description="initial capacity uncertainty [1]")
    resistance_sd: float = Field(0.3, gt=0, description="initial R0 factor uncertainty [1]")
    out_every: int = Field(60, ge=1, description="keep every n-th posterior state")


@dataclass(frozen=True)
class TableModel:
    """An ECM's tables in the kernel's layout (temperatures in K)."""

    t_axis: np.ndarray
    i_axis: np.ndarray
    s_axis: np.ndarray
    r_tables: np.ndarray  # (1 + n_rc, nT, nI, nSOC): R0, R1 … Rn
    c_tables: np.ndarray  # (n_rc, nT, nI, nSOC)
    ocv_soc: np.ndarray
    ocv: np.ndarray
    capacity: float

    @classmethod
    def from_parameters(cls, params: EcmParameters) -> TableModel:
        stack = np.stack([params.r0] + [p.resistance for p in params.rc])
        return cls(
            np.ascontiguousarray(params.temperature_axis, dtype=float),
            np.ascontiguousarray(params.current_axis, dtype=float),
            np.ascontiguousarray(params.soc_axis, dtype=float),
            np.ascontiguousarray(stack, dtype=float),
            np.ascontiguousarray(np.stack([p.capacitance for p in params.rc]), dtype=float),
            np.ascontiguousarray(params.ocv_soc, dtype=float),
            np.ascontiguousarray(params.ocv, dtype=float),
            float(params.capacity),
        )

    @property
    def n_rc(self) -> int:
        return int(self.c_tables.shape[0])

    def reference_r0(self) -> float:
        """R0 at 25 °C, 50 % SOC and the smallest current [Ohm]: what the R0 factor scales."""
        it = int(np.argmin(np.abs(self.t_axis - 298.15)))
        ii = int(np.argmin(np.abs(self.i_axis)))
        return float(np.interp(0.5, self.s_axis, self.r_tables[0, it, ii]))


@dataclass(frozen=True)
class EkfResult:
    """The filter's posterior every ``out_every`` samples, and at the end."""

    time: np.ndarray
    soc: np.ndarray
    soc_sd: np.ndarray
    capacity: np.ndarray  # [A.h]
    capacity_sd: np.ndarray
    resistance_factor: np.ndarray  # R0 / table R0
    resistance_factor_sd: np.ndarray
    reference_r0: float  # [Ohm]
    rms_residual: float  # [V]
    state: np.ndarray
    covariance: np.ndarray


def initial_soc_from_voltage(model: TableModel, voltage: float) -> float:
    """SOC whose open-circuit voltage is ``voltage`` (a battery at rest)."""
    order = np.argsort(model.ocv)
    return float(np.clip(np.interp(voltage, model.ocv[order], model.ocv_soc[order]), 0, 1))


def _start(model: TableModel, settings: EkfSettings, soc: float, capacity: float):
    n = model.n_rc + 3
    x = np.zeros(n)
    x[0], x[-2], x[-1] = soc, 1.0, capacity
    p = np.zeros((n, n))
    p[0, 0] = settings.soc_sd**2
    for m in range(model.n_rc):
        p[1 + m, 1 + m] = 0.01**2
    p[-2, -2] = settings.resistance_sd**2
    p[-1, -1] = (settings.capacity_sd * capacity) ** 2
    q = np.zeros(n)
    q[0] = (settings.current_noise * model.capacity / (3600.0 * capacity)) ** 2
    q[1 : 1 + model.n_rc] = settings.rc_noise**2
    q[-2] = settings.resistance_drift**2 / 86400.0
    q[-1] = (settings.capacity_drift * capacity) ** 2 / 86400.0
    return x, p, q


def process_noise(model: TableModel, settings: EkfSettings, capacity: float) -> np.ndarray:
    """The filter's process-noise variances per second."""
    return _start(model, settings, 0.5, capacity)[2]


def rest(model: TableModel, settings: EkfSettings, result: EkfResult, seconds: float):
    """State and covariance after ``seconds`` without current (a gap between telemetry
    segments): the RC overpotentials have relaxed, SOC is held (self-discharge is not
    modelled), the uncertainty has grown as the random walks say."""
    x, p = result.state.copy(), result.covariance.copy()
    x[1 : 1 + model.n_rc] = 0.0
    p[1 : 1 + model.n_rc, :] = 0.0
    p[:, 1 : 1 + model.n_rc] = 0.0
    q = process_noise(model, settings, float(x[-1]))
    p[np.diag_indices_from(p)] += q * seconds
    p[1 : 1 + model.n_rc, 1 : 1 + model.n_rc] = np.eye(model.n_rc) * 1e-6
    return x, p


def _check(time, current, voltage) -> None:
    from cellwright.engines.twin.ekf_kernel import increasing

    if not (time.shape == current.shape == voltage.shape) or time.size < 2:
        raise InputError("telemetry needs equal-length time, current and voltage, 2+ samples")
    bad = increasing(time)
    if bad >= 0:
        raise InputError(f"telemetry time must increase strictly (sample {bad})")


def run_ekf(
    params: EcmParameters | TableModel,
    time: np.ndarray,
    current: np.ndarray,
    voltage: np.ndarray,
    temperature: np.ndarray | None = None,
    settings: EkfSettings | None = None,
    initial_soc: float | None = None,
    initial_capacity: float | None = None,
    progress: Callable[[float], None] | None = None,
    start: tuple[np.ndarray, np.ndarray] | None = None,
) -> EkfResult:
    """Filter telemetry (``current`` > 0 on charge, as stored; temperature in K).

    Parameters
    ----------
    initial_soc
        Start SOC; from the first voltage through the OCV curve when not given.
    initial_capacity
        Start capacity [A.h]; the ECM's rated capacity when not given.
    progress
        Called with the fraction done after each chunk; it may raise to cancel.
    start
        State and covariance to continue from (a previous result's), instead of a fresh start.
    """
    from cellwright.engines.twin.ekf_kernel import ekf_run

    from_params = isinstance(params, EcmParameters)
    model = TableModel.from_parameters(params) if from_params else params
    settings = settings or EkfSettings()
    time = np.ascontiguousarray(time, dtype=np.float64)
    voltage = np.ascontiguousarray(voltage, dtype=np.float64)
    current = np.ascontiguousarray(current, dtype=np.float64)
    _check(time, current, voltage)
    if temperature is None or not np.all(np.isfinite(temperature)):
        temperature = np.full(1, 298.15)  # one value for all samples: no 8 bytes per sample
    temperature = np.ascontiguousarray(temperature, dtype=np.float64)
    per_sample = temperature.size > 1
    soc = initial_soc_from_voltage(model, voltage[0]) if initial_soc is None else initial_soc
    x, p, q = _start(model, settings, soc, initial_capacity or model.capacity)
    if start is not None:
        x, p = start[0].copy(), start[1].copy()
    every = settings.out_every
    chunk = max(_CHUNK // every, 1) * every
    n_out = (time.size + every - 1) // every
    out_x = np.empty((n_out, x.size))
    out_sd = np.empty((n_out, x.size))
    r_meas = settings.voltage_noise**2
    sq = 0.0
    for start in range(0, time.size, chunk):
        stop = min(start + chunk + 1, time.size)  # one overlap: the prediction to the next chunk
        seg = slice(start, stop)
        last = stop == time.size
        n_seg = stop - start if last else stop - start - 1
        o0 = start // every
        o1 = o0 + (n_seg + every - 1) // every
        rms = ekf_run(
            time[seg],
            current[seg],
            voltage[seg],
            temperature[seg] if per_sample else temperature,
            model.t_axis,
            model.i_axis,
            model.s_axis,
            model.r_tables,
            model.c_tables,
            model.ocv_soc,
            model.ocv,
            x,
            p,
            q,
            r_meas,
            every,
            out_x[o0:o1],
            out_sd[o0:o1],
            n_seg,
            -1.0,  # stored current is > 0 on charge, the model's on discharge
        )
        sq += rms * rms * n_seg
        if progress is not None:
            progress(stop / time.size)
    return EkfResult(
        time[::every],
        out_x[:, 0],
        out_sd[:, 0],
        out_x[:, -1],
        out_sd[:, -1],
        out_x[:, -2],
        out_sd[:, -2],
        model.reference_r0(),
        float(np.sqrt(sq / time.size)),
        x,
        p,
    )
