"""Two commercial cells entered as designs, from the papers that parameterised them.

These are the validation cases of the builder (tests/validation/test_design_reference_cells.py)
and ready-made starting points for users. Values from the PyBaMM parameter sets are quoted with
the set's name; values that no source gives (can wall, cap mass, clearances) are typical
constructions and are marked as assumptions.
"""

from __future__ import annotations

from cellwright.projects.design.materials import design_material_ids
from cellwright.projects.model import (
    CellDesign,
    CylindricalGeometry,
    DesignSnapshot,
    Electrode,
    InputError,
    Material,
    PouchGeometry,
    PropertyValue,
)

__all__ = [
    "kokam_slpb_75106100",
    "lg_m50",
    "reference_design_for",
    "reference_snapshot",
    "with_reference_geometry",
]

CHEN2020 = "Chen et al. 2020, J. Electrochem. Soc. 167 080534 (PyBaMM parameter set Chen2020)"
ECKER2015 = "Ecker et al. 2015, J. Electrochem. Soc. 162 A1836 (PyBaMM parameter set Ecker2015)"
# Lithiation windows between the cut-off voltages, from PyBaMM's electrode state-of-health
# solver: pybamm.lithium_ion.get_min_max_stoichiometries(ParameterValues(set)), PyBaMM 26.10
# (re-computed and compared in tests/validation/test_design_reference_cells.py).
CHEN2020_WINDOWS = {"negative": (0.026346, 0.910618), "positive": (0.263845, 0.853975)}
ECKER2015_WINDOWS = {"negative": (0.003550, 0.848423), "positive": (0.235260, 0.929081)}


def lg_m50() -> CellDesign:
    """The LG INR21700 M50 as Chen et al. (2020) parameterised it.

    Chen2020 states the coated area as electrode height 65 mm × "width" 1.58 m; the electrodes
    are double-sided, so the wound length is 0.79 m (a 1.58 m long stack of this thickness
    would need a 28 mm can; the builder checks that 0.79 m fits the 21.1 mm can). Chen2020
    lumps binder and additive into the active volume fraction (= 1 - porosity).
    """
    neg, pos = CHEN2020_WINDOWS["negative"], CHEN2020_WINDOWS["positive"]
    return CellDesign(
        id="lg-m50-chen2020",
        name="LG M50 (Chen2020)",
        format="cylindrical",
        reference_cell="lg-m50",
        pybamm_parameter_set="Chen2020",
        positive=Electrode(
            active_material="nmc811", active_fraction=1.0, binder_fraction=0.0,
            additive_fraction=0.0, active_volume_fraction=0.665, coating_thickness=75.6e-6,
            porosity=0.335, particle_radius=5.22e-6, current_collector="aluminium-foil",
            collector_thickness=16e-6, stoichiometry_min=pos[0], stoichiometry_max=pos[1],
        ),
        negative=Electrode(
            active_material="graphite-siox-lgm50", active_fraction=1.0, binder_fraction=0.0,
            additive_fraction=0.0, active_volume_fraction=0.75, coating_thickness=85.2e-6,
            porosity=0.25, particle_radius=5.86e-6, current_collector="copper-foil",
            collector_thickness=12e-6, stoichiometry_min=neg[0], stoichiometry_max=neg[1],
        ),
        separator="separator-ceramic-pe",
        separator_thickness=12e-6,
        electrolyte="lp57",
        # LG INR21700 M50 product specification; the cut-offs are also Chen2020's
        nominal_voltage=3.63,
        min_voltage=2.5,
        max_voltage=4.2,
        # can from the LG M50 datasheet (library cell lg-m50); walls, cap, mandrel: assumptions
        geometry=CylindricalGeometry(
            diameter=21.1e-3, height=70.15e-3, headspace=5.15e-3, jelly_roll_length=0.79,
            mandrel_diameter=3e-3, radial_clearance=0.3e-3,
        ),
    )  # fmt: skip


def kokam_slpb_75106100() -> CellDesign:
    """The Kokam SLPB 75106100 pouch cell as Ecker et al. (2015) parameterised it.

    Ecker2015 gives the coating of one 101 mm × 85 mm electrode face; 22 double-sided positive
    sheets are what fills the 7.5 mm datasheet thickness with this stack (the builder refuses
    23). Binder and additive materials, the 0.5 mm negative overhang and 10 % excess
    electrolyte are assumptions of typical pouch-cell construction.
    """
    neg, pos = ECKER2015_WINDOWS["negative"], ECKER2015_WINDOWS["positive"]
    return CellDesign(
        id="kokam-slpb-75106100-ecker2015",
        name="Kokam SLPB 75106100 (Ecker2015)",
        format="pouch",
        reference_cell="kokam-slpb-75106100",
        pybamm_parameter_set="Ecker2015",
        positive=Electrode(
            active_material="nmc111", binder="pvdf", conductive_additive="carbon-black",
            active_volume_fraction=0.40832, coating_thickness=54e-6, porosity=0.296,
            particle_radius=6.5e-6, current_collector="aluminium-foil",
            collector_thickness=15e-6, stoichiometry_min=pos[0], stoichiometry_max=pos[1],
        ),
        negative=Electrode(
            active_material="graphite-natural", binder="cmc-sbr",
            conductive_additive="carbon-black", active_volume_fraction=0.372403,
            coating_thickness=74e-6, porosity=0.329, particle_radius=13.7e-6,
            current_collector="copper-foil", collector_thickness=14e-6,
            stoichiometry_min=neg[0], stoichiometry_max=neg[1],
        ),
        separator="separator-pe",
        separator_thickness=20e-6,
        electrolyte="electrolyte-ecker2015",
        negative_overhang=0.5e-3,
        electrolyte_excess=0.1,
        geometry=PouchGeometry(
            length=0.100, width=0.106, thickness=7.5e-3, cathode_layers=22,
            electrode_length=0.085, electrode_width=0.101, seal_width=2e-3,
        ),
    )  # fmt: skip


def _with(material: Material, source: str, **values: float) -> Material:
    from cellwright.projects.model.properties import PROPERTIES

    props = dict(material.properties)
    for name, value in values.items():
        props[name] = PropertyValue(value=value, unit=PROPERTIES[name].unit, source=source)
    return material.model_copy(update={"properties": props})


def reference_snapshot(design: CellDesign, library=None) -> DesignSnapshot:
    """A snapshot of ``design`` with every material it names from the built-in library.

    For the Ecker2015 design the maximum concentrations of its active materials are those of
    the parameter set (project overrides of the library's generic NMC111 and graphite).
    """
    if library is None:
        from cellwright.projects.library import Library

        library = Library.load_builtin()
    materials = {m: library.material(m) for m in sorted(design_material_ids(design))}
    if design.pybamm_parameter_set == "Ecker2015":  # where the design has the set's materials
        for name, c_max in (("nmc111", 48580.0), ("graphite-natural", 31920.0)):
            if name in materials:
                materials[name] = _with(materials[name], ECKER2015, max_concentration=c_max)
    reference = library.cell(design.reference_cell) if design.reference_cell else None
    return DesignSnapshot(
        cell=design, reference_cell=reference, materials=materials, library_version=library.version
    )


def reference_design_for(cell_id: str | None) -> CellDesign | None:
    """The design entered for library cell ``cell_id``, if there is one (else None).

    Engines that need geometry and layers (thermal) use it for a study on a library cell.
    """
    makers = {"lg-m50": lg_m50, "kokam-slpb-75106100": kokam_slpb_75106100}
    maker = makers.get(cell_id or "")
    return maker() if maker is not None else None


def with_reference_geometry(
    design: DesignSnapshot, needs: str, warnings: list[str] | None = None
) -> DesignSnapshot:
    """The design itself, or the library cell's entered reference design when it has no
    geometry and electrodes, or else one estimated from the library cell's datasheet
    (:mod:`cellwright.projects.design.datasheet_estimate`), saying so in ``warnings``.

    ``needs`` says who needs them in the messages ("the thermal engine needs").

    Raises
    ------
    InputError
        When the design has none and names no library cell.
    """
    if design.cell.geometry is not None and design.cell.positive is not None:
        return design
    ref = reference_design_for(design.cell.reference_cell)
    if ref is not None:
        materials = {**design.materials, **reference_snapshot(ref).materials}
        return design.model_copy(update={"cell": ref, "materials": materials})
    if design.cell.geometry is not None:  # the user's housing, not the template's: no estimate
        raise InputError(
            f"positive: {needs} the electrodes of {design.cell.name!r}, which has a housing "
            "but none; add them (the builder's default is the template stack)",
            design.cell.name,
        )
    if design.reference_cell is None:
        raise InputError(
            f"geometry: {needs} a cell design with geometry and electrodes; "
            f"{design.cell.name!r} has none and names no library cell to estimate them from",
            design.cell.name,
        )
    from cellwright.projects.design.datasheet_estimate import (
        estimate_from_datasheet,
        estimate_message,
    )

    estimate = estimate_from_datasheet(design.reference_cell)
    if warnings is not None:
        warnings.append(estimate_message(estimate, needs))
    snap = reference_snapshot(estimate.design)
    return design.model_copy(
        update={"cell": estimate.design, "materials": {**design.materials, **snap.materials}}
    )
