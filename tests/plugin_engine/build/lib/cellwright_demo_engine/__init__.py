"""A third-party engine written against the public contract, ``cellwright.engines.api``.

``demo.rc_step`` charges a capacitor C through a resistor R from a source of voltage U:
u_C(t) = U (1 − exp(−t / RC)) and i(t) = (U / R) exp(−t / RC) (first-order RC step response).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import numpy as np
from pydantic import BaseModel, Field

from cellwright.engines.api import Progress
from cellwright.projects.model import DesignSnapshot, InputError, Provenance, Result

__all__ = ["RcStepEngine", "RcStepSpec"]


class RcStepSpec(BaseModel):
    """Source voltage, resistance, capacitance and duration."""

    voltage: float = Field(1.0, gt=0, description="source voltage [V]")
    resistance: float = Field(1.0, gt=0, description="series resistance [Ohm]")
    capacitance: float = Field(1.0, gt=0, description="capacitance [F]")
    duration: float = Field(5.0, gt=0, description="simulated time [s]")
    points: int = Field(101, ge=2, le=100_000)


class RcStepEngine:
    """The step response of a series RC circuit."""

    id: ClassVar[str] = "demo.rc_step"
    title: ClassVar[str] = "RC step response (demo plug-in)"
    version: ClassVar[str] = "1.0.0"
    Spec: ClassVar[type[BaseModel]] = RcStepSpec
    libraries: ClassVar[tuple[str, ...]] = ("numpy", "cellwright-demo-engine")

    def validate(self, spec: RcStepSpec, design: DesignSnapshot) -> None:
        """Refuse a duration shorter than one sample step of the time constant."""
        if spec.duration < spec.resistance * spec.capacitance / spec.points:
            raise InputError("spec.duration: shorter than one sample of the time constant")

    def run(
        self, spec: RcStepSpec, design: DesignSnapshot, progress: Progress, workdir: Path
    ) -> Result:
        """Sample the analytic response."""
        tau = spec.resistance * spec.capacitance
        t = np.linspace(0.0, spec.duration, spec.points)
        decay = np.exp(-t / tau)
        progress.update(1.0, "done")
        return Result(
            name="RC step",
            series={
                "Time [s]": t,
                "Capacitor voltage [V]": spec.voltage * (1.0 - decay),
                "Current [A]": spec.voltage / spec.resistance * decay,
            },
            scalars={"Time constant [s]": tau},
            provenance=Provenance(engine_id=self.id, engine_version=self.version, spec_hash=""),
        )
