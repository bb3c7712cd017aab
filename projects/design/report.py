"""A flat name -> (value, unit) report of a cell or pack design, for the CLI and the window."""

from __future__ import annotations

from cellwright.projects.design.cell_figures import CellFigures, cell_figures
from cellwright.projects.design.cell_summary import CellSummary
from cellwright.projects.design.pack_calculator import PackFigures, pack_design_figures
from cellwright.projects.model import CellDesign, DesignSnapshot, InputError, PackDesign

__all__ = ["cell_summary_for", "design_report", "design_warnings"]

Report = dict[str, tuple[float, str]]


def cell_summary_for(snapshot: DesignSnapshot) -> tuple[CellSummary, CellFigures | None]:
    """The snapshot's cell: derived from its geometry if it has one, else the library cell's."""
    design = snapshot.cell
    if design.geometry is not None:
        figures = cell_figures(design, snapshot.materials, snapshot.reference_cell)
        return CellSummary.from_figures(design, figures), figures
    if snapshot.reference_cell is not None:
        # its datasheet holds no cost; where the library holds the cell's entered design, that
        # prices it, as the cost breakdown does (a pack's figures counted its cells as 0)
        from cellwright.projects.design.cost import entered_cell_cost

        cost = entered_cell_cost(snapshot)
        return CellSummary.from_reference(snapshot.reference_cell, cost or 0.0), None
    raise InputError(
        "geometry: the design has neither a geometry nor a reference cell to take figures from",
        design.name,
    )


def design_report(design: CellDesign | PackDesign, snapshot: DesignSnapshot) -> Report:
    """Derived figures of ``design`` as ``name -> (value, unit)``, in display units.

    A pack design takes its cell from ``snapshot.cell``; materials come from
    ``snapshot.materials``. Warnings are not numbers: see :func:`design_warnings`.
    """
    summary, figures = cell_summary_for(snapshot)
    if isinstance(design, PackDesign):
        return _pack_report(pack_design_figures(design, summary, snapshot.materials))
    if figures is None:
        return _summary_report(summary)
    return _cell_report(figures)


def design_warnings(design: CellDesign | PackDesign, snapshot: DesignSnapshot) -> list[str]:
    """The design-rule warnings of ``design`` (see
    :mod:`cellwright.projects.design.cell_warnings`)."""
    summary, figures = cell_summary_for(snapshot)
    if isinstance(design, PackDesign):
        return pack_design_figures(design, summary, snapshot.materials).warnings
    return figures.warnings if figures is not None else []


def _summary_report(cell: CellSummary) -> Report:
    report: Report = {
        "Capacity": (cell.capacity, "A.h"),
        "Nominal voltage": (cell.nominal_voltage, "V"),
    }
    if cell.min_voltage is not None and cell.max_voltage is not None:
        report["Minimum voltage"] = (cell.min_voltage, "V")
        report["Maximum voltage"] = (cell.max_voltage, "V")
    report["Energy"] = (cell.energy, "W.h")
    report["Mass"] = (cell.mass * 1e3, "g")
    report["Gravimetric energy density"] = (cell.energy / cell.mass, "W.h/kg")
    return report


def _cell_report(f: CellFigures) -> Report:
    report: Report = {
        "Capacity": (f.capacity, "A.h"),
        "Nominal voltage": (f.nominal_voltage, "V"),
    }
    if f.min_voltage is not None and f.max_voltage is not None:
        report["Minimum voltage"] = (f.min_voltage, "V")
        report["Maximum voltage"] = (f.max_voltage, "V")
    report.update(
        {
            "Energy": (f.energy, "W.h"),
            "Mass": (f.total_mass * 1e3, "g"),
            "Volume": (f.total_volume * 1e6, "cm^3"),
            "Gravimetric energy density": (f.gravimetric_energy_density, "W.h/kg"),
            "Volumetric energy density": (f.volumetric_energy_density, "W.h/L"),
            "Areal capacity": (f.areal_capacity * 0.1, "mA.h/cm^2"),
            "N/P ratio": (f.np_ratio, "1"),
            "Positive active volume fraction": (f.positive.active_volume_fraction, "1"),
            "Negative active volume fraction": (f.negative.active_volume_fraction, "1"),
            "Positive coated area": (f.layout.positive_area, "m^2"),
        }
    )
    for name, (value, unit) in f.layout.facts.items():
        report[name] = (value * 1e3, "mm") if unit == "m" else (value, unit)
    report.update({f"Mass: {k}": (v * 1e3, "g") for k, v in f.mass.items()})
    report.update({f"Volume: {k}": (v * 1e6, "cm^3") for k, v in f.volume.items()})
    report["Material cost"] = (f.total_cost, "USD")
    report.update({f"Cost: {k}": (v, "USD") for k, v in f.cost.items()})
    report["Cost per energy"] = (f.cost_per_kwh, "USD/kWh")
    return report


def _pack_report(f: PackFigures) -> Report:
    report: Report = {
        "Cells": (float(f.series * f.parallel), "1"),
        "Modules": (float(f.modules), "1"),
        "Nominal voltage": (f.nominal_voltage, "V"),
    }
    if f.min_voltage is not None and f.max_voltage is not None:
        report["Minimum voltage"] = (f.min_voltage, "V")
        report["Maximum voltage"] = (f.max_voltage, "V")
    report.update(
        {
            "Capacity": (f.capacity, "A.h"),
            "Energy": (f.energy / 1e3, "kW.h"),
            "Mass": (f.total_mass, "kg"),
            "Volume": (f.total_volume * 1e3, "L"),
            "Gravimetric energy density": (f.energy / f.total_mass, "W.h/kg"),
            "Volumetric energy density": (f.energy / (f.total_volume * 1e3), "W.h/L"),
            "Cell-to-pack mass fraction": (f.cell_to_pack_mass, "1"),
            "Cell-to-pack volume fraction": (f.cell_to_pack_volume, "1"),
            "Busbar resistance per connection": (f.busbar_resistance * 1e6, "uohm"),
            "Series busbar resistance": (f.series_busbar_resistance * 1e3, "mohm"),
            f"Busbar loss at {f.current:.4g} A": (f.busbar_loss(), "W"),
        }
    )
    report.update({f"Mass: {k}": (v, "kg") for k, v in f.mass.items()})
    report.update({f"Volume: {k}": (v * 1e3, "L") for k, v in f.volume.items()})
    report["Material cost"] = (f.total_cost, "USD")
    report.update({f"Cost: {k}": (v, "USD") for k, v in f.cost.items()})
    if f.energy > 0:
        report["Cost per energy"] = (f.total_cost / (f.energy / 1e3), "USD/kWh")
    return report
