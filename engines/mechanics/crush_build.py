"""From a design and a crush spec to the meshed part, its plastic materials and the indenters.

Region materials: the jelly roll (or a module's homogenised cell) is the crushable foam of its
library set — across the layers the set's modulus, along them the Backus-averaged stiffness of the
layer unit (the foils carry in-plane load), Poisson ratios of 0.01 as in the cited foam models;
metals are J2 with their library hardening curve, or elastic–perfectly plastic at their library
yield strength when no curve is given, or elastic (with a warning) when neither is.

A pouch cell's margin (the ``pouch`` region: the sealed edges around the stack, meshed at the
full thickness because the thermal engines lump the 0.1 mm laminate into it) is the jelly roll's
foam too. Through the thickness the margin is folded laminate around a gas pocket, no stiffer
than the stack beside it; as the laminate's own metal it was a 7 mm wide, 7.5 mm thick aluminium
frame that carried a squeeze by itself (1.8 kN after 0.05 mm on the Kokam pouch). Sahraei, Hill &
Wierzbicki (2012, J. Power Sources 201, 307) likewise model the whole pouch cell, laminate
included, as one homogenised crushable foam. It keeps its own density (the cell's weight).

A cylindrical cell's header (``cap``) and a prismatic cell's lid assembly (``lid``) are meshed as
one solid disc or plate of the housing metal holding the assembly's mass (``geometry.cap_mass``:
cap, vent, CID, PTC, gasket). Its metal fills only the fraction φ = ρ_assembly / ρ_metal of that
volume (0.46 for the LG M50's 3 g header in 2.5 mm): thin discs stacked with gaps. Loaded in their
plane, as a lateral crush loads them, stacked discs carry load side by side, so the homogenised
stiffness and flow stress are φ times the metal's (the Voigt, or rule-of-mixtures, bound of a
laminate loaded along its layers; Jones, Mechanics of Composite Materials, 2nd ed., §3.2.1). It
is an upper bound: a domed cap with vent openings gives way sooner. As solid steel (φ = 1) the
LG M50's header pinched the can wall so hard that a flat-plate crush fractured the can at
0.46 mm and stopped converging at 1.76 mm; with φ it runs to 4.5 mm
(tests/validation/test_crush_plausibility.py).

The assembly does not fracture, as the jelly roll does not. Its plastic strain is that of the
homogenised stack, gaps and gasket included, flowing as one solid; its thin domed parts fold and
buckle where it flows, and the gaps close. The fracture strain of a tensile test of the solid
metal (:mod:`crush_fracture`) therefore measures nothing in it, as the foils' measures nothing
in a jelly roll. As a fracturing solid the LG M50's header crumbled from 4.1 mm of a flat-plate
crush (8.5 kN falling to 7.0 kN) and its inverted remains stopped the run at 5.3 mm; unbroken,
the run reaches 7.9 mm at 18 kN. The can round it keeps its fracture strain.

A wound cell's core hole (``geometry.mandrel_diameter``) is filled with the roll's foam by
default (:func:`fill_core`; spec ``core = "open"`` meshes it). An open hole closes under a lateral
crush, and the engine has no self-contact to carry the closed hole's faces on each other: the
foam elements round it fold inside out instead. On the LG M50's 3 mm hole in a flat-plate crush
the open hole's elements (three round it at the default size) turned inside out at 7.86 mm and
the steps shrank to the minimum; eight round it (``curvature = 8``) stopped sooner, at 5.74 mm.
Filled, the same crush runs to 9 mm (42 % of the diameter) and is about 13 % stiffer there
(20.5 kN against 18.1 kN at 7.9 mm): the hole is 2 % of the roll's cross-section, but it is
where the section is weakest. The part's weight (the weight stop) stays the meshed part's: the
straight-sided elements that cut the curved faces miss as much volume as the fill adds (the
LG M50's open and filled meshes weigh the same to 0.1 %). Filling the hole moves the positive
tab 0.75 mm inwards (the tab sits midway between the core and the can wall), which a crush
across the roll does not feel.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from cellwright.engines.mechanics.contact import Indenter
from cellwright.engines.mechanics.crush_materials import (
    PlasticMaterial,
    foam_hardening,
    plastic_poisson_alpha2,
)
from cellwright.engines.mechanics.crush_spec import CrushSpec, Standard
from cellwright.engines.mechanics.materials import (
    ElasticMaterial,
    engineering_constants,
    orthotropic_stiffness,
)
from cellwright.engines.mesh.cells import TAB_VOLUMES
from cellwright.projects.library.crush_data import FoamCalibration, crush_data
from cellwright.projects.model import DesignSnapshot, InputError

__all__ = [
    "CrushSetup",
    "body_points",
    "fill_core",
    "foam_for",
    "metal_fraction",
    "place_indenters",
    "region_materials",
]

_AXIS = {"x": 0, "y": 1, "z": 2}
_FOAM_NU = 0.01


@dataclass
class CrushSetup:
    """Materials by region, the foam calibration used and warnings for the provenance."""

    materials: dict[str, PlasticMaterial]
    foam: FoamCalibration | None
    warnings: list[str] = field(default_factory=list)


def fill_core(design: DesignSnapshot) -> DesignSnapshot:
    """The design with its wound roll's core hole filled by the roll, for a crush mesh.

    Parameters
    ----------
    design
        A design with geometry.

    Returns
    -------
    DesignSnapshot
        The design to mesh: the same one when the cell is not cylindrical or has no hole.
    """
    g = design.cell.geometry
    if g is None or g.kind != "cylindrical" or g.mandrel_diameter <= 0:
        return design
    update: dict = {"mandrel_diameter": 0.0}
    if g.jelly_roll_length is None:
        # a roll wound "as long as the can holds" would be wound on into the filled hole: the
        # 18650 template's gained 1.2 g of electrode (48.4 g meshed for 47.2 g) and its 1000 x
        # weight stop came that much later. The fill is foam, not electrode: keep the length.
        from cellwright.projects.design.cell_layout import cell_layout

        layout = cell_layout(design.cell)
        update["jelly_roll_length"] = layout.positive_foil_area / layout.electrode_height
    solid = g.model_copy(update=update)
    return design.model_copy(update={"cell": design.cell.model_copy(update={"geometry": solid})})


def foam_for(spec: CrushSpec, design: DesignSnapshot) -> FoamCalibration | None:
    """The jelly roll's calibration: the spec's own curve, its named set, or the format's set
    (none for an imported part that names no set).

    Raises
    ------
    InputError
        An unknown set, or a format with no default set and no curve given.
    """
    sets = crush_data().jelly_rolls
    if spec.foam_curve is not None:
        e, p = (np.array(v, dtype=float) for v in zip(*spec.foam_curve, strict=True))
        base = sets["cylindrical"]
        return FoamCalibration("spec.foam_curve", e, p, base.modulus, base.plastic_poisson,
                               base.tension, base.in_plane_yield_ratio,
                               base.short_circuit_strain, "given in the study",
                               base.short_circuit_length)  # fmt: skip
    name = spec.jelly_roll
    if name is None and spec.geometry is not None:
        return None  # an imported part: its materials are the library's metals
    if name is None:
        g = design.cell.geometry
        kind = g.kind if g is not None else None
        name = {"cylindrical": "cylindrical", "pouch": "flat", "prismatic": "flat"}.get(kind)
        if name is None:
            raise InputError(
                "spec.jelly_roll: no foam parameters for this cell (no geometry); name a set "
                f"({', '.join(sorted(sets))}) or give spec.foam_curve"
            )
    if name not in sets:
        raise InputError(
            f"spec.jelly_roll: no foam parameter set {name!r}; sets: {', '.join(sorted(sets))} "
            "(or give spec.foam_curve)"
        )
    return sets[name]


def _foam_material(elastic: ElasticMaterial, foam: FoamCalibration) -> PlasticMaterial:
    c = engineering_constants(elastic.stiffness)
    e1 = foam.modulus
    e_in = (min(c["E2"], 50 * e1), min(c["E3"], 50 * e1))
    g_out = e1 / (2 * (1 + _FOAM_NU))
    stiff = orthotropic_stiffness((e1, *e_in), (_FOAM_NU,) * 3, (min(c["G23"], 50 * e1), g_out,
                                                                 g_out))  # fmt: skip
    eq, y = foam_hardening(foam.strain, foam.stress, e1)
    r = foam.in_plane_yield_ratio
    mat = ElasticMaterial(stiff, elastic.density, elastic.frame, elastic.axis, elastic.origin,
                          name=elastic.name or "jelly roll")  # fmt: skip
    return PlasticMaterial(mat, "foam", eq, y, plastic_poisson_alpha2(foam.plastic_poisson),
                           foam.tension, 0.0, (1.0, r, r, 1.0, 1.0, r), foam.source)  # fmt: skip


def _metal(elastic: ElasticMaterial, material_id: str | None, design, warnings) -> PlasticMaterial:
    from cellwright.engines.mechanics.materials import engineering_constants as constants

    c = constants(elastic.stiffness)
    e, nu = c["E1"], c["nu12"]
    curve = crush_data().metals.get(material_id or "")
    if curve is not None:
        return PlasticMaterial.j2(e, nu, elastic.density, curve.strain, curve.stress,
                                  curve.fracture_strain, elastic.name, curve.source,
                                  (curve.rate_d, curve.rate_q))  # fmt: skip
    mat = design.materials.get(material_id or "")
    yield_strength = mat.value("yield_strength") if mat is not None else None
    if yield_strength is not None:
        warnings.append(f"{elastic.name or material_id}: no hardening curve; elastic–perfectly "
                        f"plastic at {yield_strength / 1e6:g} MPa")  # fmt: skip
        return PlasticMaterial.j2(e, nu, elastic.density, [0.0, 1.0],
                                  [yield_strength, yield_strength], 0.0, elastic.name)  # fmt: skip
    warnings.append(f"{elastic.name or material_id}: no yield data; kept elastic")
    return PlasticMaterial(elastic)


def metal_fraction(assembly: ElasticMaterial, metal: ElasticMaterial) -> float:
    """The volume fraction of metal in a header or lid assembly region, φ = ρ_assembly / ρ_metal
    (at most 1: terminals and rivets may make a lid heavier than a plate of its metal)."""
    return float(min(1.0, assembly.density / metal.density))


def _assembly(mat: PlasticMaterial, phi: float) -> PlasticMaterial:
    """A header or lid assembly of metal ``mat``: stiffness and flow stress scaled by its metal
    fraction ``phi``, and no fracture (module docstring)."""
    mat = replace(mat, fracture_strain=0.0)
    if phi >= 1.0:
        return mat
    elastic = replace(mat.elastic, stiffness=phi * np.asarray(mat.elastic.stiffness, float))
    return replace(mat, elastic=elastic, curve_stress=phi * mat.curve_stress,
                   source=f"{mat.source}; metal fraction {phi:.2f} of the assembly region"
                   if mat.source else mat.source)  # fmt: skip


def region_materials(
    problem,
    design: DesignSnapshot,
    foam: FoamCalibration | None,
    imported: dict[str, str] | None = None,
) -> CrushSetup:
    """Plastic materials for every region of a structural ``problem`` built from ``design``
    (``imported``: an imported part's library material per volume group, ``*`` for the rest)."""
    from cellwright.engines.mechanics.cell_properties import cell_mechanics

    setup = CrushSetup({}, foam)
    model = problem.model
    g = design.cell.geometry
    mechanics = cell_mechanics(design.cell, design) if g is not None else None
    housing = mechanics.housing_material if mechanics is not None else None
    if mechanics is not None and imported is None and design.pack is None:
        # the stack is meshed through the whole pouch or can: a few layers in a thick housing
        # are crushed as a block of their foam as thick as the housing
        unused = [w for w in mechanics.figures.warnings if "thickness unused" in w]
        setup.warnings += [f"{w}, yet the stack's foam is meshed through all of it: the crush is "
                           "that of a stack as thick as the housing" for w in unused]  # fmt: skip
    ids = {"can": housing, "cap": housing, "pouch": housing, "lid": housing}
    if g is not None:
        for side in ("positive", "negative"):
            tab = getattr(g, f"{side}_tab", None)
            ids[f"{side}_tab"] = tab.material if tab is not None else None
    if design.pack is not None:
        for part in ("cooling_plate", "thermal_interface", "busbar"):
            chosen = getattr(design.pack, part)  # None: a part the pack leaves out
            ids[part] = chosen.material if chosen is not None else None
    for name in model.materials:
        if name.startswith("can_") and not imported:  # a pack's prismatic cans
            ids[name] = housing
        if imported:
            ids[name] = imported.get(name, imported.get("*"))
    housing_region = "can"  # the assembly's metal is the can's (setup.py gives it its density)
    # a pouch's margin takes the stack's foam (module docstring)
    margin = (g is not None and g.kind == "pouch" and not imported and foam is not None
              and "jelly_roll" in model.materials)  # fmt: skip
    for name, elastic in model.materials.items():
        if name == "jelly_roll" or name.startswith("cell_"):
            if foam is None:
                raise InputError(f"spec.jelly_roll: region {name!r} needs a foam parameter set")
            setup.materials[name] = _foam_material(elastic, foam)
        elif name == "pouch" and margin:
            roll = model.materials["jelly_roll"]
            stack = ElasticMaterial(roll.stiffness, elastic.density, roll.frame, roll.axis,
                                    roll.origin, name="pouch margin")  # fmt: skip
            setup.materials[name] = _foam_material(stack, foam)
        else:
            setup.materials[name] = _metal(elastic, ids.get(name), design, setup.warnings)
        if name in ("cap", "lid") and not imported and housing_region in model.materials:
            phi = metal_fraction(elastic, model.materials[housing_region])
            setup.materials[name] = _assembly(setup.materials[name], phi)
    return setup


def body_points(model) -> np.ndarray:
    """The points of the part's body: every region but a cell's tabs.

    A pouch's tabs stick out of its sealed end (27 mm on the Kokam SLPB 75106100), so the
    bounding box of the whole mesh is centred 10 mm off the pouch body; the standards press the
    cell body. A cylindrical or prismatic cell's tabs lie inside its can, so there the body's box
    is the part's.
    """
    kept = [idx for name, idx in model.regions.items() if name not in TAB_VOLUMES]
    if not kept:
        return model.mesh.points
    tets = model.mesh.tets[np.concatenate(kept)]
    return model.mesh.points[np.unique(tets)]


#: the indenters that are cylinders lying across the load, with an axis
_CYLINDERS = ("semicylinder", "three_semicylinders", "rod")


def place_indenters(
    spec: CrushSpec, preset: Standard, points: np.ndarray, body: np.ndarray | None = None
) -> tuple[list[Indenter], float]:
    """The moving indenter over the part and the support plate under it; the part's extent.

    The tip touches the top of the whole part and is centred across the load over ``body``
    (:func:`body_points`; default: all ``points``). A cylinder's axis, unless given, runs along
    the shorter of the whole part's two other sizes (a pouch's tabs count: on the Kokam pouch
    the semicylinder lies across the tab direction).
    """
    axis = _AXIS[spec.direction]
    lo, hi = points.min(axis=0), points.max(axis=0)
    extent = float(hi[axis] - lo[axis])
    body = points if body is None else body
    body_lo, body_hi = body.min(axis=0), body.max(axis=0)
    centre = 0.5 * (body_lo + body_hi)
    down = np.zeros(3)
    down[axis] = -1.0
    ind = preset.indenter
    tip = centre.copy()
    tip[axis] = hi[axis]
    if ind.position is not None:
        tip = np.asarray(ind.position, dtype=float)
    others = [k for k in range(3) if k != axis]
    if ind.axis is not None:
        if ind.axis == spec.direction and ind.kind in _CYLINDERS:
            # the contact takes a cylinder's axis across the load; along it, the kernel swapped
            # in x without a word, so the bar lay where the study did not put it
            across = " or ".join(f'"{a}"' for a in "xyz" if a != spec.direction)
            raise InputError(
                f"a {ind.kind}'s axis must lie across the load (along {spec.direction}, the "
                f"direction it travels): axis = {across}", "spec.indenter.axis",
            )  # fmt: skip
        cyl_axis = np.eye(3)[_AXIS[ind.axis]]
    else:  # across the part's long dimension: along the shorter of the two others
        cyl_axis = np.eye(3)[min(others, key=lambda k: hi[k] - lo[k])]
    kind = {"plate": "plate", "semicylinder": "cylinder", "rod": "cylinder",
            "hemisphere": "sphere", "three_semicylinders": "three_cylinders",
            "nail": "nail"}[ind.kind]  # fmt: skip
    radius = ind.radius or 0.0  # a plate has none
    half_angle = np.radians(ind.tip_angle / 2)
    moving = Indenter(ind.kind, kind, tip, down, cyl_axis, radius, ind.spacing, half_angle,
                      ind.friction, True)  # fmt: skip
    indenters = [moving]
    if spec.support == "plate":
        base = centre.copy()
        base[axis] = lo[axis]
        indenters.append(Indenter("support plate", "plate", base, -down, friction=ind.friction,
                                  moving=False))  # fmt: skip
    return indenters, extent
