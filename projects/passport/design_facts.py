"""What a battery's design says for its passport: rated values, mass, chemistry, materials.

A cell design with its geometry and materials gives computed figures (capacity, masses of every
component: projects/design/cell_figures.py); a library cell gives its datasheet values, each
with the source the library records. A pack multiplies its cell by series and parallel counts;
its mass is its design's, cells and parts (busbars, cooling, enclosure).
Values come back in the passport's units (kg, Ah, kWh, W, Ohm) with their provenance.
"""

from __future__ import annotations

import csv
from functools import lru_cache

from cellwright.projects.model import CellDesign, DesignSnapshot, PackDesign, PassportValue
from cellwright.resources import ROOT

__all__ = ["design_facts", "material_facts"]


@lru_cache(maxsize=1)
def material_facts() -> dict[str, dict[str, str]]:
    """Library material id -> CAS number, substance, critical raw materials, hazard classes."""
    path = ROOT / "passport" / "materials.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return {row["id"]: row for row in csv.DictReader(lines)}


def _value(value, source: str, detail: str) -> PassportValue:
    return PassportValue(value=value, source=source, detail=detail)


def _reference_facts(snapshot: DesignSnapshot, series: int, parallel: int) -> dict:
    ref = snapshot.reference_cell
    out: dict[str, PassportValue] = {}
    if ref is None:
        return out
    src = ref.sources
    where = f"library cell {ref.id}"

    def add(key: str, value: float, field: str) -> None:
        out[key] = _value(value, "library", f"{where}: {src.get(field, 'datasheet')}")

    add("rated_capacity", ref.nominal_capacity * parallel, "nominal_capacity")
    add("nominal_voltage", ref.nominal_voltage * series, "nominal_voltage")
    add("minimum_voltage", ref.min_voltage * series, "min_voltage")
    add("maximum_voltage", ref.max_voltage * series, "max_voltage")
    add("battery_mass", ref.mass * series * parallel, "mass")
    energy = ref.nominal_capacity * ref.nominal_voltage * series * parallel / 1000.0
    add("rated_energy", round(energy, 6), "nominal_capacity")
    if ref.max_discharge_current:
        power = ref.max_discharge_current * parallel * ref.nominal_voltage * series
        add("maximum_power", round(power, 3), "max_discharge_current")
        out["power_energy_ratio"] = _value(
            round(power / (energy * 1000.0), 4), "library", f"{where}: maximum power / rated energy"
        )
    return out


def _component_materials(design: CellDesign, figures) -> dict[str, str]:
    """Component name of the mass breakdown -> library material id."""
    out: dict[str, str] = {}
    for side in ("positive", "negative"):
        e = getattr(design, side)
        out[f"{side} active material"] = e.active_material
        out[f"{side} binder"] = e.binder or ""
        out[f"{side} conductive additive"] = e.conductive_additive or ""
        out[f"{side} current collector"] = e.current_collector
    out["separator"] = design.separator or ""
    out["electrolyte"] = design.electrolyte or ""
    for part in figures.layout.parts:
        out[part.name] = part.material
    return out


def _location(component: str) -> str:
    if component.startswith("positive"):
        return "Cathode"
    if component.startswith("negative"):
        return "Anode"
    return component.capitalize()


def _cell_rows(design: CellDesign, figures, cells: int) -> list[tuple[str, str, float]]:
    """(component, library material id, mass [kg]) of ``cells`` cells of ``design``."""
    by_component = _component_materials(design, figures)
    return [(c, by_component.get(c, ""), kg * cells) for c, kg in figures.mass.items()]


def _materials(rows: list[tuple[str, str, float]], total: float, detail: str) -> dict:
    """The material composition and hazardous substances of a battery of ``total`` kg made of
    ``rows`` (component, material id, kg). A material without a CAS number in the passport
    facts cannot be an entry (the Battery Pass requires one): the detail names it."""
    facts = material_facts()
    materials, hazards, unlisted = [], [], []
    for component, material, kg in rows:
        fact = facts.get(material)
        if kg <= 0:
            continue
        if fact is None:
            unlisted.append(f"{component} ({material or 'no material'})")
            continue
        location = {"componentName": _location(component), "componentId": component}
        materials.append(
            {
                "batteryMaterialIdentifier": fact["cas"],
                "batteryMaterialName": fact["substance"],
                "batteryMaterialMass": round(kg, 9),
                "batteryMaterialLocation": location,
                "isCriticalRawMaterial": bool(fact["critical"]),
            }
        )
        for hazard in filter(None, fact["hazard"].split(";")):
            hazards.append(
                {
                    "hazardousSubstanceClass": hazard,
                    "hazardousSubstanceName": fact["substance"],
                    "hazardousSubstanceConcentration": round(100.0 * kg / total, 4),
                    "hazardousSubstanceImpact": [hazard],
                    "hazardousSubstanceLocation": location,
                    "hazardousSubstanceIdentifier": fact["cas"],
                }
            )
    if unlisted:
        detail += f"; not listed, no CAS number in the library: {', '.join(unlisted)}"
    out = {"battery_materials": _value(materials, "design", detail)}
    out["hazardous_substances"] = _value(hazards, "design", detail + "; classes: suppliers' SDS")
    return out


def _cell_facts(design: CellDesign, snapshot: DesignSnapshot, series: int, parallel: int):
    from cellwright.projects.design.cell_figures import cell_figures

    if design.geometry is None or design.positive is None:
        return {}
    figures = cell_figures(design, snapshot.materials, snapshot.reference_cell)
    detail = f"design {design.name}: computed from geometry and materials"
    cells = series * parallel
    out = {
        "rated_capacity": _value(round(figures.capacity * parallel, 6), "design", detail),
        "battery_mass": _value(round(figures.total_mass * cells, 6), "design", detail),
        "rated_energy": _value(round(figures.energy * cells / 1000.0, 6), "design", detail),
    }
    for key, volts in (
        ("nominal_voltage", figures.nominal_voltage),
        ("minimum_voltage", figures.min_voltage),
        ("maximum_voltage", figures.max_voltage),
    ):
        if volts is not None:
            out[key] = _value(volts * series, "design", detail)
    material = snapshot.materials.get(design.positive.active_material)
    if material is not None:
        chemistry = {"shortName": material.chemistry or material.id, "clearName": material.name}
        out["battery_chemistry"] = _value(chemistry, "library", f"material {material.id}")
    out |= _materials(_cell_rows(design, figures, cells), figures.total_mass * cells, detail)
    return out


def design_facts(design: CellDesign | PackDesign, snapshot: DesignSnapshot) -> dict:
    """Attribute key -> :class:`PassportValue` of everything the design determines.

    A library cell's datasheet values win for the rated figures (a passport declares what the
    maker rates, Annex IV of Regulation (EU) 2023/1542); the design's computed figures fill
    what the datasheet lacks, and give the material composition.
    """
    series = parallel = 1
    cell = snapshot.cell
    if isinstance(design, PackDesign):
        series, parallel = design.series, design.parallel
    facts = _cell_facts(cell, snapshot, series, parallel)
    facts |= _reference_facts(snapshot, series, parallel)
    if snapshot.ecm_parameters is not None:
        facts = _ecm_rated(snapshot, series, parallel) | facts
        facts |= _ecm_resistance(snapshot, series, parallel, isinstance(design, PackDesign))
    if isinstance(design, PackDesign) and "battery_mass" in facts:
        facts |= _pack_mass(design, snapshot, with_materials="battery_materials" in facts)
    return facts


def _pack_mass(design: PackDesign, snapshot: DesignSnapshot, with_materials: bool) -> dict:
    """A pack's mass with its parts: the battery weight Annex XIII 1(c) of Regulation (EU)
    2023/1542 asks for is the whole battery's, and the cells alone left out busbars, cooling
    and enclosure (a quarter of a typical pack's mass). The material composition then lists
    those parts too, so it sums to that mass (it held the cells' materials only)."""
    from cellwright.projects.design.pack_calculator import pack_design_figures
    from cellwright.projects.design.report import cell_summary_for
    from cellwright.projects.model import InputError

    summary, cell_figures = cell_summary_for(snapshot)
    try:
        figures = pack_design_figures(design, summary, snapshot.materials)
    except InputError:
        return {}  # parts the design cannot size: its cells' mass is what is known
    parts = ", ".join(k for k in figures.mass if k != "cells") or "no other parts"
    cells = figures.series * figures.parallel
    detail = f"design {design.name}: {cells} cells and {parts}"
    out = {"battery_mass": _value(round(figures.total_mass, 6), "design", detail)}
    if with_materials and cell_figures is not None:
        rows = _cell_rows(snapshot.cell, cell_figures, cells)
        rows += [(line.item, line.material, line.mass) for line in figures.bom[1:]]
        out |= _materials(rows, figures.total_mass, detail)
    return out


def _ecm_rated(snapshot: DesignSnapshot, series: int, parallel: int) -> dict:
    """Rated figures from the ECM alone (a design known only by its equivalent circuit): its
    capacity, its voltage window, and as nominal voltage the mean OCV over 0–100 % SOC (the
    energy-weighted average a full discharge delivers at low current)."""
    import numpy as np

    ecm = snapshot.ecm_parameters
    detail = f"ECM {ecm.name} ({ecm.source})"
    soc = np.linspace(0.0, 1.0, 201)
    nominal = float(np.mean(np.interp(soc, ecm.ocv_soc, ecm.ocv)))
    capacity = ecm.capacity * parallel
    return {
        "rated_capacity": _value(round(capacity, 6), "design", detail),
        "nominal_voltage": _value(round(nominal * series, 4), "design", detail + ": mean OCV"),
        "minimum_voltage": _value(ecm.lower_voltage * series, "design", detail),
        "maximum_voltage": _value(ecm.upper_voltage * series, "design", detail),
        "rated_energy": _value(round(capacity * nominal * series / 1000.0, 6), "design", detail),
    }


def _ecm_resistance(snapshot: DesignSnapshot, series: int, parallel: int, pack: bool) -> dict:
    """Initial ohmic resistance: the ECM's R0 at 25 °C, 50 % SOC and the smallest current."""
    import numpy as np

    ecm = snapshot.ecm_parameters
    it = int(np.argmin(np.abs(ecm.temperature_axis - 298.15)))
    ii = int(np.argmin(np.abs(ecm.current_axis)))
    r0 = float(np.interp(0.5, ecm.soc_axis, ecm.r0[it, ii, :]))
    entry = [{"ohmicResistance": round(r0, 6), "batteryComponent": "cell"}]
    if pack:
        entry.append(
            {"ohmicResistance": round(r0 * series / parallel, 6), "batteryComponent": "pack"}
        )
    return {
        "initial_internal_resistance": _value(
            entry, "design", f"ECM {ecm.name}: R0 at 25 °C, 50 % SOC"
        )
    }
