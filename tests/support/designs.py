"""Designs and study specs several tests and benchmarks share."""

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


def cooled_module(series: int = 4, parallel: int = 2, **plate) -> PackDesign:
    """LG M50 cells in one module of ``parallel`` rows x ``series`` columns on a channelled
    cooling plate (fields of :class:`CoolingPlate` as keywords), with a gap pad and busbars."""
    return PackDesign(
        name=f"{series}s{parallel}p",
        cell="lg-m50",
        series=series,
        parallel=parallel,
        arrangement=ModuleArrangement(rows=parallel, columns=series, gap=2e-3),
        busbar=Busbar(width=8e-3, thickness=1e-3, length_per_connection=25e-3),
        cooling_plate=CoolingPlate(**plate),
        thermal_interface=ThermalInterface(),
    )


def u_fed_plate_module() -> PackDesign:
    """The 4s2p module on a U-fed parallel-channel plate: three 6 mm channels between 8 mm
    manifolds, 0.5 L/min (the plate tests' case, docs/study-file.md)."""
    return cooled_module(
        channel_layout="parallel",
        channel_count=3,
        channel_width=6e-3,
        manifold_width=8e-3,
        flow_rate=0.5 / 6e4,
        flow_arrangement="U",
    )


def example_plate_module() -> PackDesign:
    """The example project's module on its parallel-channel plate (app/example_project.py):
    four 5 mm channels between 8 mm manifolds, Z-fed at 1 L/min."""
    return cooled_module(
        channel_layout="parallel",
        channel_count=4,
        channel_width=5e-3,
        manifold_width=8e-3,
        flow_rate=1.0 / 60000,
        flow_arrangement="Z",
    )


def cavity(reynolds: float, cells: int) -> dict:
    """The cfd.flow2d spec of a unit lid-driven cavity (lid speed 1, density 1) at ``reynolds``."""
    return {
        "length": 1.0,
        "height": 1.0,
        "cells": cells,
        "density": 1.0,
        "viscosity": 1.0 / reynolds,
        "energy": False,
        "edges": [{"name": "lid", "side": "top", "kind": "moving_wall", "velocity": 1.0}],
    }
