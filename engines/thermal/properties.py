"""Thermal properties of the meshed regions of a cell or pack, from the design and the library.

The jelly roll (wound or stacked electrodes) is homogenised from its repeating layer unit:
positive collector, positive coatings, separators, negative coatings, negative collector.
Across the layers the layers conduct in series, along them in parallel (the rule of mixtures of
layered composites; as used for jelly rolls by Drake et al. 2014, J. Power Sources 252 298, and
by PyBaMM's lumped thermal model, which averages the same layer conductivities):

    k_through = sum(t_i) / sum(t_i / k_i),      k_in = sum(t_i k_i) / sum(t_i)

A coating's conductivity and specific heat are those of its active material in the library,
which for the PyBaMM-derived entries are the set's electrode values (porous coating with
electrolyte), so the electrolyte mass in the coatings takes the electrodes' specific heat.

The heat capacity of a region is its total C = sum(m_i c_i) [J/K] from the cell calculator's mass
breakdown, spread over the region's *meshed* volume: linear tetrahedra facet round surfaces,
and spreading C keeps every cell's thermal mass exact whatever the mesh.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cellwright.engines.thermal.model import Material3D
from cellwright.projects.design import cell_figures
from cellwright.projects.design.cell_figures import CellFigures
from cellwright.projects.model import CellDesign, DesignSnapshot, InputError, Material

__all__ = ["CellThermal", "cell_thermal", "library_material", "stack_conductivity"]


@dataclass(frozen=True)
class CellThermal:
    """Homogenised thermal data of one cell design.

    ``k_through``/``k_in`` belong to the electrode stack; ``roll_heat_capacity`` [J/K] is the
    stack's, ``cell_heat_capacity`` [J/K] the whole cell's (can, cap and tabs included).
    """

    k_through: float
    k_in: float
    roll_heat_capacity: float
    cell_heat_capacity: float
    can_conductivity: float
    can_area_fraction: float
    figures: CellFigures
    notes: tuple[str, ...] = ()


# a coating whose active material the library gives no thermal value: the coated-electrode
# values of Chen et al. 2020 (J. Electrochem. Soc. 167 080534, PyBaMM's Chen2020 set), as the
# PyBaMM studies take for it (electrochem.design_thermal); LFP, LMO, NMC532/622 and LMFP have
# none, and every 3D thermal study of the library's LFP and NMC622 cells was refused
_COATING_SPECIFIC_HEAT = 700.0  # J/(kg K)
_COATING_CONDUCTIVITY = {"positive": 2.1, "negative": 1.7}  # W/(m K)


def _coating(mats, material_id, prop: str, side: str, notes: list[str]) -> float:
    """An active material's ``prop``, or Chen2020's coated-electrode value, said in ``notes``."""
    where = f"{side}.active_material"
    if material_id is not None and material_id in mats and mats[material_id].value(prop) is None:
        value = _COATING_SPECIFIC_HEAT if prop == "specific_heat" else _COATING_CONDUCTIVITY[side]
        unit = "J/(kg K)" if prop == "specific_heat" else "W/(m K)"
        notes.append(
            f"{where}: material {material_id!r} has no {prop}; the {side} coating takes "
            f"Chen et al. 2020's {value:g} {unit}"
        )
        return value
    return _value(mats, material_id, prop, where)


def _value(materials: Mapping[str, Material], material_id: str | None, prop: str, where: str):
    if material_id is None:
        raise InputError(
            "the design names no material; choose one (the thermal engine needs its properties)",
            where,
        )
    if material_id not in materials:
        raise InputError(f"material {material_id!r} is not in the snapshot", where)
    value = materials[material_id].value(prop)
    if value is None:
        raise InputError(
            f"material {material_id!r} has no {prop}; the thermal engine needs it "
            "(add it to the material or to a project override)",
            where,
        )
    return float(value)


def stack_conductivity(layers: list[tuple[float, float]]) -> tuple[float, float]:
    """(through-plane, in-plane) conductivity [W/(m K)] of layers ``(thickness, k)``."""
    total = sum(t for t, _ in layers)
    through = total / sum(t / k for t, k in layers)
    along = sum(t * k for t, k in layers) / total
    return through, along


def cell_thermal(design: CellDesign, snapshot: DesignSnapshot) -> CellThermal:
    """Homogenised conductivities and heat capacities of ``design`` (with geometry).

    Raises
    ------
    InputError
        Naming the field or material that lacks what the thermal model needs.
    """
    if design.positive is None or design.negative is None or design.geometry is None:
        raise InputError(
            "geometry: the thermal engine needs a cell design with geometry and both electrodes",
            design.name,
        )
    mats = snapshot.materials
    figures = cell_figures(design, mats, snapshot.reference_cell)
    pos, neg = design.positive, design.negative
    kt, notes = "thermal_conductivity", []
    k = {
        "pos": _coating(mats, pos.active_material, kt, "positive", notes),
        "neg": _coating(mats, neg.active_material, kt, "negative", notes),
        "pcc": _value(mats, pos.current_collector, kt, "positive.current_collector"),
        "ncc": _value(mats, neg.current_collector, kt, "negative.current_collector"),
        "sep": _value(mats, design.separator, kt, "separator"),
    }
    layers = [
        (pos.collector_thickness, k["pcc"]),
        (pos.coated_sides * pos.coating_thickness, k["pos"]),
        (2 * design.separator_thickness, k["sep"]),
        (neg.coated_sides * neg.coating_thickness, k["neg"]),
        (neg.collector_thickness, k["ncc"]),
    ]
    through, along = stack_conductivity(layers)
    c_pos = _coating(mats, pos.active_material, "specific_heat", "positive", notes)
    c_neg = _coating(mats, neg.active_material, "specific_heat", "negative", notes)
    m = figures.mass
    roll = (
        m.get("positive active material", 0.0) * c_pos
        + m.get("negative active material", 0.0) * c_neg
        + m.get("electrolyte", 0.0) * (c_pos + c_neg) / 2
        + m.get("positive current collector", 0.0)
        * _value(mats, pos.current_collector, "specific_heat", "positive.current_collector")
        + m.get("negative current collector", 0.0)
        * _value(mats, neg.current_collector, "specific_heat", "negative.current_collector")
        + m.get("separator", 0.0) * _value(mats, design.separator, "specific_heat", "separator")
    )
    for name in m:  # binder and additive, where the calculator lists them, as their coating
        if "binder" in name or "additive" in name:
            roll += m[name] * (c_pos if name.startswith("positive") else c_neg)
    g = design.geometry
    housing_id = getattr(g, "can_material", None) or getattr(g, "laminate_material", None)
    housing_field = "geometry.can_material" if hasattr(g, "can_material") else (
        "geometry.laminate_material"
    )  # fmt: skip
    k_can = _value(mats, housing_id, "thermal_conductivity", housing_field)
    c_can = _value(mats, housing_id, "specific_heat", housing_field)
    housing = sum(v for n, v in m.items() if n in ("can", "pouch", "cap assembly", "lid assembly"))
    tabs = sum(v for n, v in m.items() if n.endswith("tab"))
    cell_c = roll + (housing + tabs) * c_can  # tabs: ~0.05 % of the mass, housing metal c
    can_fraction = 0.0
    if g.kind == "cylindrical":
        r = g.diameter / 2
        can_fraction = 1.0 - ((r - g.can_wall_thickness) / r) ** 2
    return CellThermal(through, along, roll, cell_c, k_can, can_fraction, figures, tuple(notes))


def library_material(
    materials: Mapping[str, Material], material_id: str, where: str
) -> tuple[float, float, float | None]:
    """(conductivity, density, specific heat or None) of a plain isotropic material."""
    k = _value(materials, material_id, "thermal_conductivity", where)
    rho = _value(materials, material_id, "density", where)
    c = materials[material_id].value("specific_heat")
    return k, rho, (float(c) if c is not None else None)


def isotropic(k: float, rho: float, c: float) -> Material3D:
    """A plain isotropic :class:`Material3D`."""
    return Material3D(conductivity=k, density=rho, specific_heat=c)
