"""Runaway kinetics coupled to 3D conduction by operator splitting, with step control.

Each conduction step of length dt (Lie splitting; Strang, SIAM J. Numer. Anal. 5 (1968) 506,
for the first-order variant used here):

1. kinetics: every reacting element is advanced from its temperature at the start of the step
   (the mean of its four nodes) with its own adiabatic sub-steps, each limited to a small
   temperature rise, so the stiff Arrhenius feedback is resolved locally even when a whole
   conduction step is long;
2. conduction: one backward-Euler step with the heat each element released spread uniformly
   over the step (its nodal load is a quarter of the element's heat per node).

Energy is conserved exactly: the released heat is the change in reactant contents
(:func:`cellwright.engines.thermal.runaway_kinetics.advance`) and all of it enters the conduction
step. The splitting error grows with the temperature rise one element makes within one step (the
conduction sees the heat only at the end of it): a step is accepted when that rise is below a limit,
otherwise it is repeated at half the length (or refused when refinement is off).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields

import numpy as np
import scipy.sparse as sp

from cellwright.engines.thermal.runaway_kinetics import (
    KIM2007,
    RunawayKinetics,
    RunawayState,
    advance,
)
from cellwright.engines.thermal.runaway_kinetics import heat_rate as kinetic_heat_rate
from cellwright.engines.thermal.solver import ThermalSystem, TransientStepper

__all__ = ["OnsetDetector", "ReactingElements", "RunawayStepper", "StepTooLong"]


class StepTooLong(Exception):
    """An element's temperature rose by more than the limit within one conduction step."""

    def __init__(self, rise: float, time: float, weighted: float | None = None) -> None:
        super().__init__(f"element temperature rose by {rise:.3g} K in one step at t = {time:g} s")
        self.rise, self.time = rise, time
        self.weighted = rise if weighted is None else weighted


def _take(state: RunawayState, idx: np.ndarray) -> RunawayState:
    return RunawayState(*(getattr(state, f.name)[idx] for f in fields(state)))


def _put(state: RunawayState, idx: np.ndarray, part: RunawayState) -> None:
    for f in fields(state):
        getattr(state, f.name)[idx] = getattr(part, f.name)


@dataclass
class ReactingElements:
    """The jelly-roll elements that carry reactions, and how their heat reaches the nodes.

    ``scale`` is the share of an element's volume that is electrode stack (the kinetics'
    reactant contents are per m^3 of stack): 1 for a stack-only region, less for a
    homogenised pack cell whose volume also holds can, headspace and clearances.
    """

    tets: np.ndarray  # (m, 4) node indices
    volume: np.ndarray  # (m,) [m^3]
    rho_c: np.ndarray  # (m,) volumetric heat capacity of the region [J/(m^3 K)]
    scale: np.ndarray  # (m,) stack volume fraction
    cell: np.ndarray  # (m,) index of the cell each element belongs to
    diffusion_time: np.ndarray  # (m,) rho c L^2 / k of each element [s], L its size
    kinetics: RunawayKinetics = KIM2007
    state: RunawayState = field(init=False)

    def __post_init__(self) -> None:
        self.state = RunawayState.initial(self.tets.shape[0], self.kinetics)
        n_nodes = int(self.tets.max()) + 1 if self.tets.size else 0
        rows = self.tets.ravel()
        cols = np.repeat(np.arange(self.tets.shape[0]), 4)
        self._spread = sp.csr_matrix(
            (np.repeat(self.volume * self.scale / 4.0, 4), (rows, cols)),
            shape=(n_nodes, self.tets.shape[0]),
        )

    def nodal(self, energy_density: np.ndarray, n_nodes: int) -> np.ndarray:
        """Nodal heat [J] from the heat released per m^3 of stack in each element."""
        out = np.zeros(n_nodes)
        load = self._spread @ energy_density
        out[: load.size] = load
        return out

    def temperatures(self, temps: np.ndarray) -> np.ndarray:
        """Element temperatures [K]: the mean of their nodes."""
        return temps[self.tets].mean(axis=1)

    def heat_rate(self, temps: np.ndarray) -> np.ndarray:
        """Heat release rate [W] of each element at the present state."""
        q = kinetic_heat_rate(self.state, self.temperatures(temps), self.kinetics)
        return q * self.volume * self.scale

    def react(
        self, temps: np.ndarray, dt: float, substep_rise: float, max_rise: float, time: float
    ) -> tuple[RunawayState, np.ndarray]:
        """Advance a copy of the state by ``dt``; return it and the heat released [J/m^3].

        Each element takes adiabatic sub-steps of at most ``substep_rise`` [K] (its stack
        heat spread over its own heat capacity); the present state is left untouched, so a
        rejected step can be repeated. Raises :class:`StepTooLong` once an element's rise,
        weighted by the share of its diffusion time the step spans (what conduction would
        have carried away meanwhile), exceeds ``max_rise``.
        """
        state = self.state.copy()
        local = self.temperatures(temps)
        start = local.copy()
        remaining = np.full(local.size, dt)
        released = np.zeros(local.size)
        heat_per_kelvin = self.rho_c / self.scale  # J per m^3 of stack per K of the element
        active = np.arange(local.size)
        weight = np.minimum(1.0, dt / self.diffusion_time)
        for _ in range(100_000):
            if not active.size:
                break
            part = _take(state, active)
            q = kinetic_heat_rate(part, local[active], self.kinetics)
            with np.errstate(divide="ignore"):
                h = np.minimum(remaining[active], substep_rise * heat_per_kelvin[active] / q)
            heat = advance(part, local[active], h, self.kinetics)
            _put(state, active, part)
            released[active] += heat
            local[active] += heat / heat_per_kelvin[active]
            remaining[active] -= h
            rise = (local[active] - start[active]) * weight[active]
            if rise.size and rise.max() > max_rise:
                worst = int(rise.argmax())
                raise StepTooLong(
                    float(rise[worst] / weight[active][worst]), time, float(rise[worst])
                )
            active = active[remaining[active] > 1e-12 * dt]
        else:
            raise StepTooLong(float(np.max(local - start)), time)
        return state, released


@dataclass
class OnsetDetector:
    """Thermal-runaway onset of each cell by the rate criterion of GB 38031-2020.

    GB 38031-2020 (Electric vehicles traction battery safety requirements), Annex C, judges a
    cell in thermal runaway when (among its criteria) the temperature rise rate at a monitoring
    point satisfies dT/dt >= 1 °C/s for 3 s or longer. The standard's monitoring points are
    thermocouples on the cell surface; the engine feeds this detector the hottest point of
    the can (a homogenised module cell: its mean) seen through a first-order thermocouple lag.
    Without the lag a cell that flashes from 570 K to 1100 K within a second and then cools
    would fail the 3 s hold, which no real thermocouple would.

    The rate criterion alone also fires on a cell that is merely heated fast from outside (a
    heater's own surface, a neighbour heated through a busbar), which the standard avoids by
    placing its thermocouples away from the heater. So a cell must also be self-heating: its
    own reactions release at least ``rate`` × its heat capacity (they alone would heat the
    whole cell at 1 K/s) and more than a heater or nail is putting into it (once reached this
    is latched). The onset is the later of the start
    of the rate interval and the time self-heating began.
    """

    capacity: np.ndarray  # heat capacity of each cell [J/K]
    rate: float = 1.0  # K/s
    hold: float = 3.0  # s
    onset: np.ndarray = field(init=False)
    self_heating: np.ndarray = field(init=False)
    _since: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.onset = np.full(self.capacity.size, np.nan)
        self.self_heating = np.full(self.capacity.size, np.nan)
        self._since = np.full(self.capacity.size, np.nan)

    def update(
        self,
        t0: float,
        temp0: np.ndarray,
        t1: float,
        temp1: np.ndarray,
        power: np.ndarray,
        external: np.ndarray,
    ) -> None:
        """Feed one accepted step: monitored temperatures at its ends, reaction power and
        trigger power into each cell [W]."""
        threshold = np.maximum(self.rate * self.capacity, external)
        hot = np.isnan(self.self_heating) & (power >= threshold)
        self.self_heating[hot] = t0
        fast = (temp1 - temp0) / (t1 - t0) >= self.rate
        self._since = np.where(fast, np.where(np.isnan(self._since), t0, self._since), np.nan)
        done = fast & np.isnan(self.onset) & (t1 - self._since >= self.hold - 1e-9)
        done &= ~np.isnan(self.self_heating)
        self.onset[done] = np.maximum(self._since[done], self.self_heating[done])


class RunawayStepper:
    """Conduction + kinetics steps with halving/doubling of the step length.

    Parameters
    ----------
    system
        The conduction system; its ``load`` covers every source except the reactions.
    reacting
        The reacting elements (their state is advanced in place on accepted steps).
    max_step
        The longest (and first) step [s].
    refine
        Halve rejected steps (down to ``min_step``) and grow them back when calm; when False a
        step that cannot resolve the reactions raises :class:`StepTooLong`.
    """

    def __init__(
        self,
        system: ThermalSystem,
        reacting: ReactingElements,
        max_step: float,
        min_step: float,
        refine: bool,
        max_rise: float,
        substep_rise: float,
    ) -> None:
        self.reacting, self.max_step, self.min_step = reacting, max_step, min_step
        self.refine, self.max_rise, self.substep_rise = refine, max_rise, substep_rise
        self._base_load = system.load
        self._extra = np.zeros(system.mass.shape[0])
        self.system = ThermalSystem(
            system.mass,
            system.stiffness,
            lambda t: self._base_load(t) + self._extra,
            system.fixed_nodes,
            system.fixed_values,
        )
        self._steppers: dict[float, TransientStepper] = {}
        self.dt = max_step
        self.rejected = 0
        self.smallest = max_step

    def _stepper(self, dt: float) -> TransientStepper:
        if dt not in self._steppers:
            self._steppers[dt] = TransientStepper(self.system, dt, scheme="backward_euler")
        return self._steppers[dt]

    def _predict(self, temps: np.ndarray) -> None:
        """Halve the step ahead of time while the present heat rates would overrun the limit
        within it (rates only grow during a runaway, so this saves most rejected attempts)."""
        r = self.reacting
        rate = r.heat_rate(temps) / (r.rho_c * r.volume)  # K/s of each element
        while self.dt / 2 >= self.min_step:
            weighted = rate * self.dt * np.minimum(1.0, self.dt / r.diffusion_time)
            if weighted.max(initial=0.0) <= self.max_rise / 2:
                break
            self.dt /= 2

    def step(
        self, temps: np.ndarray, time: float, limit: float, extra: Callable[[float], np.ndarray]
    ) -> tuple[float, np.ndarray, float]:
        """One accepted step from ``time`` (not past ``limit``): (new time, temps, heat [J])."""
        if self.refine:
            self._predict(temps)
        while True:
            dt = min(self.dt, limit - time)
            try:
                state, released = self.reacting.react(
                    temps, dt, self.substep_rise, self.max_rise, time
                )
            except StepTooLong:
                if not self.refine or self.dt / 2 < self.min_step:
                    raise
                self.dt /= 2
                self.rejected += 1
                continue
            break
        n = temps.size
        heat = self.reacting.nodal(released, n)
        self._extra = heat / dt + extra(time + dt)
        new = self._stepper(dt).step(temps, time + dt)
        self.reacting.state = state
        r = self.reacting
        self.cell_power = np.bincount(r.cell, released * r.volume * r.scale) / dt
        self.smallest = min(self.smallest, dt)
        r = self.reacting
        rise = np.max(
            (r.temperatures(new) - r.temperatures(temps)) * np.minimum(1.0, dt / r.diffusion_time)
        )
        if self.refine and dt == self.dt and rise < self.max_rise / 4 and self.dt < self.max_step:
            self.dt = min(self.dt * 2, self.max_step)
        return time + dt, new, float(heat.sum())
