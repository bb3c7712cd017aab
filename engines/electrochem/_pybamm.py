"""The one place PyBaMM is imported: telemetry off, nothing printed, nothing downloaded."""

from __future__ import annotations

import os
from types import ModuleType

__all__ = ["import_pybamm"]


def import_pybamm() -> ModuleType:
    """Import PyBaMM with its usage telemetry disabled (nothing may leave this machine)."""
    os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")
    import pybamm

    pybamm.set_logging_level("ERROR")
    return pybamm
