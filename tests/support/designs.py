"""Designs several tests and benchmarks share."""

from __future__ import annotations

from cellwright.projects.model import (
    Busbar,
    CoolingPlate,
    ModuleArrangement,
    PackDesign,
    ThermalInterface,
)


def pack_96s4p() -> PackDesign:
    """Eight modules of 12s4p 21700 cells in two rows on one channelled plate."""
    return PackDesign(
        name="96s4p",
        cell="lg-m50",
        series=96,
        parallel=4,
        arrangement=ModuleArrangement(rows=4, columns=12, gap=2e-3, module_rows=2),
        busbar=Busbar(width=10e-3, thickness=1e-3, length_per_connection=30e-3),
        cooling_plate=CoolingPlate(channel_count=4),
        thermal_interface=ThermalInterface(),
    )
