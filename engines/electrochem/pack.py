"""``electrochem.pack``: an sSp pack of equivalent-circuit cells with its busbar network.

Every cell is a Thevenin ECM (:mod:`cellwright.engines.electrochem.ecm_kernel`) with its own state;
cell-to-cell variation in capacity, resistance and initial SOC is drawn from normal distributions
with a seed. The parallel groups' rails and tabs and the series busbars form the network solved
exactly each step (:mod:`cellwright.engines.electrochem.pack_network`). The run stops at the first
cell to cross a voltage or current limit, and says which cell and when.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from cellwright.engines.api import Progress
from cellwright.engines.electrochem.ecm import (
    EcmEngine,
    EcmSpec,
    _parameters,
    check_step_count,
    load_schedule,
    step_length,
    stock_capacity_note,
)
from cellwright.projects.model import (
    DesignSnapshot,
    FieldData,
    InputError,
    MeshData,
    PackDesign,
    Provenance,
    Result,
    Unit,
)

__all__ = ["PackEngine", "PackSpec"]

_CHUNK = 2000  # time steps between progress reports / cancellation checks
_MAX_CELL_ROWS = 10_000_000  # cell states kept (x 5 values x 8 B: 400 MB)


class PackSpec(EcmSpec):
    """Load, network and variation of a pack simulation (load fields as in ``electrochem.ecm``;
    a C-rate is relative to the pack capacity, parallel × cell capacity)."""

    model_config = ConfigDict(extra="forbid")

    tab_resistance: Annotated[float, Unit("ohm"), Field(ge=0, le=1)] = 0.0
    rail_resistance: Annotated[float, Unit("ohm"), Field(ge=0, le=1)] = Field(
        0.0, description="busbar segment between neighbouring parallel cells"
    )
    series_busbar_resistance: Annotated[float, Unit("ohm"), Field(ge=0, le=1)] | None = Field(
        None, description="busbar between series groups; default: the pack design's"
    )
    terminals: Literal["opposite", "same_side"] = "opposite"
    capacity_std: float = Field(0.0, ge=0, le=0.3, description="relative std of cell capacity")
    resistance_std: float = Field(0.0, ge=0, le=0.5, description="relative std of resistance")
    initial_soc_std: float = Field(0.0, ge=0, le=0.2, description="std of initial SOC")
    seed: int = Field(0, ge=0)
    max_cell_current: Annotated[float, Unit("A"), Field(gt=0)] | None = None
    cell_min_voltage: Annotated[float, Unit("V"), Field(gt=0, le=6)] | None = None
    cell_max_voltage: Annotated[float, Unit("V"), Field(gt=0, le=6)] | None = None
    output_every: int = Field(1, ge=1, le=100000, description="record every N-th step")
    cell_temperatures: list[Annotated[float, Unit("K"), Field(ge=200, le=400)]] | None = Field(
        None,
        description="fixed temperature of every cell (series-major order), e.g. from "
        "the thermal engine; the cells are then held at these temperatures",
    )


def _variation(spec: PackSpec, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(spec.seed)
    cap = np.clip(1 + spec.capacity_std * rng.standard_normal(n), 0.5, 1.5)
    res = np.clip(1 + spec.resistance_std * rng.standard_normal(n), 0.3, 3.0)
    soc = np.clip(spec.initial_soc + spec.initial_soc_std * rng.standard_normal(n), 0.0, 1.0)
    return cap, res, soc


def _cell_positions(pack: PackDesign) -> np.ndarray:
    """Cell centres on a series × parallel grid [m] (21700 pitch), for per-cell field views."""
    s, p = np.meshgrid(np.arange(pack.series), np.arange(pack.parallel), indexing="ij")
    pitch = 0.022
    return np.column_stack([s.ravel() * pitch, p.ravel() * pitch, np.zeros(s.size)])


_LIMITS = {
    1: "below the minimum cell voltage",
    2: "above the maximum cell voltage",
    3: "above the maximum cell current",
}


class PackEngine:
    """sSp pack of ECM cells with busbar network, variation and limits."""

    id: ClassVar[str] = "electrochem.pack"
    title: ClassVar[str] = "Pack electrical (ECM cells, busbar network, numba)"
    version: ClassVar[str] = "1.0"
    Spec: ClassVar[type[BaseModel]] = PackSpec
    libraries: ClassVar[tuple[str, ...]] = ("numba", "numpy")

    def validate(self, spec: PackSpec, design: DesignSnapshot) -> None:
        """A pack design and ECM parameters are needed."""
        if design.pack is None:
            raise InputError("the pack engine needs a pack design (series × parallel)")
        n = design.pack.cell_count
        if spec.cell_temperatures is not None and len(spec.cell_temperatures) != n:
            raise InputError(
                f"spec.cell_temperatures has {len(spec.cell_temperatures)} values; "
                f"the pack has {n} cells"
            )
        EcmEngine().validate(spec, design)  # the same cell parameters and load checks
        # five per-cell values are kept for every recorded step: 96 cells over 100 h in 1 s
        # steps would hold 1.7e8 of them (1.4 GB)
        rows = math.ceil(check_step_count(spec) / spec.output_every)
        if rows * n > _MAX_CELL_ROWS:
            raise InputError(
                f"spec.output_every: {rows:.3g} recorded steps of {n} cells are "
                f"{rows * n:.3g} cell states, beyond the {_MAX_CELL_ROWS:.3g} a run keeps; "
                "set output_every to at least "
                f"{math.ceil(spec.output_every * rows * n / _MAX_CELL_ROWS)}"
            )

    def run(
        self, spec: PackSpec, design: DesignSnapshot, progress: Progress, workdir: Path
    ) -> Result:
        """Simulate the pack; per-cell values become fields on a point cloud of the cells."""
        stepper = PackStepper(spec, design)
        while not stepper.finished:
            progress.update(stepper.step / stepper.times.size, f"step {stepper.step} of "
                            f"{stepper.times.size}")  # fmt: skip
            stepper.advance_steps(_CHUNK)
        return stepper.result()


class PackStepper:
    """The pack simulation advanced in pieces, so another engine can interleave with it.

    ``advance(t, temperatures)`` holds every cell at the given temperatures (e.g. from the
    thermal engine) while it advances to time ``t``, and returns each cell's mean heat [W] over
    that interval; :meth:`result` collects what was simulated.
    """

    def __init__(self, spec: PackSpec | dict, design: DesignSnapshot) -> None:
        from cellwright.engines.api import parse_spec
        from cellwright.engines.electrochem.ecm_cells import CellBank

        if isinstance(spec, dict):
            spec = parse_spec(PackEngine, spec, "spec.heat.electrochem")
            PackEngine().validate(spec, design)
        self.spec, self.pack, self.params = spec, design.pack, _parameters(spec, design)
        self.note = stock_capacity_note(self.params, design)
        assert self.pack is not None
        self.n_s, self.n_p = self.pack.series, self.pack.parallel
        n = self.cell_count = self.n_s * self.n_p
        self.times, self.current = load_schedule(spec, self.params.capacity * self.n_p)
        self.dt = step_length(spec)
        cap_scale, r_scale, soc0 = _variation(spec, n)
        t0 = spec.initial_temperature or spec.ambient_temperature
        self.fixed = spec.cell_temperatures is not None
        temps = np.asarray(spec.cell_temperatures) if self.fixed else t0
        self.bank = CellBank(self.params, n, soc0, temps, cap_scale, r_scale)
        self.every = spec.output_every
        rows = math.ceil(self.times.size / self.every) + 1
        self.out_v = np.full(rows, np.nan)
        self.cells = {k: np.full((rows, n), np.nan) for k in ("i", "v", "soc", "q", "t")}
        self.i_prev, self.ip_prev = np.zeros(n), np.zeros(1)
        self.r_series = (
            spec.series_busbar_resistance
            if spec.series_busbar_resistance is not None
            else self.pack.busbar_resistance
        )
        self.g_rail = 1.0 / spec.rail_resistance if spec.rail_resistance > 0 else 0.0
        self.v_min = spec.cell_min_voltage or self.params.lower_voltage
        self.v_max = spec.cell_max_voltage or self.params.upper_voltage
        self.i_max = spec.max_cell_current or math.inf
        self.step, self.code, self.worst = 0, 0, -1

    @property
    def finished(self) -> bool:
        """True once the load schedule is done or a cell hit a limit."""
        return self.code != 0 or self.step >= self.times.size

    def advance_steps(self, count: int, held: bool | None = None) -> None:
        """Advance up to ``count`` time steps (fewer if a limit is hit)."""
        if self.finished:
            return
        stop = min(self.step + count, self.times.size)
        spec, bank, params = self.spec, self.bank, self.params
        isothermal = spec.thermal == "isothermal" or self.fixed if held is None else held
        from cellwright.engines.electrochem.pack_kernel import run_chunk

        self.step, self.code, self.worst = run_chunk(
            self.step, stop, self.dt, self.current, self.n_s, self.n_p, self.g_rail,
            spec.tab_resistance, self.r_series, spec.terminals == "opposite",
            bank.soc, bank.vrc, bank.temperature, bank.jig_temperature, bank.capacity,
            bank.r_scale, self.i_prev, self.ip_prev, bank.r, bank.c, bank._t_axis,
            params.current_axis, params.soc_axis, bank._r_tables, bank._c_tables,
            params.ocv_soc, params.ocv, params.entropic_ocv_axis,
            params.entropic_temperature_axis, params.entropic, bank._thermal_mass,
            bank._jig_mass, params.cell_jig_conductance, params.jig_air_conductance,
            spec.ambient_temperature, isothermal, self.v_min, self.v_max, self.i_max,
            self.every, self.out_v, self.cells["i"], self.cells["v"], self.cells["soc"],
            self.cells["q"], self.cells["t"],
        )  # fmt: skip

    def advance(self, until: float, temperatures: np.ndarray) -> np.ndarray:
        """Hold the cells at ``temperatures`` [K] up to time ``until`` [s]; mean heat [W]."""
        self.bank.temperature[:] = temperatures
        first = self.step
        count = max(round((until - self.times[0]) / self.dt) - self.step, 0)
        self.advance_steps(count, held=True)
        rows = self.cells["q"][first // self.every : max(self.step // self.every, 1 + first)]
        rows = rows[np.isfinite(rows).all(axis=1)]
        return rows.mean(axis=0) if rows.size else np.zeros(self.cell_count)

    def result(self) -> Result:
        """The pack result of everything simulated so far."""
        times, every, code = self.times, self.every, self.code
        last = self.step if code else min(self.step, times.size) - 1
        used = last // every + (1 if code and last % every else 0) + 1
        idx = np.minimum(np.arange(used) * every, last)
        message = ""
        if code:
            s, p = divmod(self.worst, self.n_p)
            message = (
                f"cell {self.worst} (series group {s + 1}, parallel position {p + 1}) went "
                f"{_LIMITS[code]} at t = {times[last]:g} s"
            )
        message = "; ".join(m for m in (message, self.note) if m)
        result = _pack_result(
            self.pack,
            times[idx],
            self.current[idx],
            self.out_v[:used],
            {k: v[:used] for k, v in self.cells.items()},
            message,
            self.worst,
        )
        # the rows hold each step's starting state: a run stopped at a limit ends where the
        # limit was found, one that ran its schedule after its last step (a complete 300 s run
        # in 60 s steps said 240 s)
        end = times[last] if code else times[last] + self.dt
        result.scalars["Duration [s]"] = float(end - times[0])
        return result


def _pack_result(pack, times, current, pack_v, cells, message, worst) -> Result:
    soc = cells["soc"]
    series = {
        "Time [s]": times,
        "Current [A]": current,
        "Voltage [V]": pack_v,
        "Power [W]": pack_v * current,
        "SoC spread": soc.max(axis=1) - soc.min(axis=1),
        "Mean SoC": soc.mean(axis=1),
        "Cell current spread [A]": cells["i"].max(axis=1) - cells["i"].min(axis=1),
        "Minimum cell voltage [V]": cells["v"].min(axis=1),
        "Maximum cell voltage [V]": cells["v"].max(axis=1),
        "Maximum cell temperature [K]": cells["t"].max(axis=1),
        "Total heat generation [W]": cells["q"].sum(axis=1),
    }
    mesh = MeshData(
        points=_cell_positions(pack), cells={"vertex": np.arange(pack.cell_count).reshape(-1, 1)}
    )
    names = {
        "i": "Cell current [A]",
        "v": "Cell voltage [V]",
        "soc": "Cell SoC",
        "q": "Cell heat generation [W]",
        "t": "Cell temperature [K]",
    }
    fields = [
        FieldData(name=names[k], mesh="cells", association="point", times=times, values=cells[k])
        for k in names
    ]
    scalars = {
        "Cells": float(pack.cell_count),
        "Maximum SoC spread": float(series["SoC spread"].max()),
        "Maximum cell current [A]": float(np.abs(cells["i"]).max()),
        "Minimum cell voltage [V]": float(cells["v"].min()),
        "Maximum cell temperature [K]": float(cells["t"].max()),
    }
    if worst >= 0:
        scalars["First cell at a limit"] = float(worst)
    return Result(
        name="Pack simulation",
        series=series,
        meshes={"cells": mesh},
        fields=fields,
        scalars=scalars,
        message=message,
        provenance=Provenance(
            engine_id=PackEngine.id, engine_version=PackEngine.version, spec_hash=""
        ),
    )
