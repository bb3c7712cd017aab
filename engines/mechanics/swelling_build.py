"""The swelling cell of a design: from its entered electrode stack, or from the PyBaMM parameter
set of its reference cell.

An entered pouch or prismatic design (electrodes and geometry) is read through the design
calculators (:func:`cellwright.projects.design.cell_figures.cell_figures`): the coatings stacked
through the thickness come from its layer count or flat-roll turns, the active volume fractions
from :func:`~cellwright.projects.design.electrode.coating_figures`, the stoichiometry windows
from the electrodes (as PyBaMM's electrode state-of-health solver gives them) or, when the
design has none, from the electrode balance. A library cell without entered electrodes but with
a PyBaMM parameter set takes the set's coatings, active fractions and windows
(``pybamm.lithium_ion.get_min_max_stoichiometries``).
"""

from __future__ import annotations

from cellwright.engines.mechanics.swelling_cell import ElectrodeLayers, SwellingCell
from cellwright.engines.mechanics.swelling_data import Curve, volume_change_curve
from cellwright.projects.design.electrode import host_capacity
from cellwright.projects.model import DesignSnapshot, InputError

__all__ = ["stack_for", "swelling_cell"]


def swelling_cell(design: DesignSnapshot, curves: dict[str, Curve | None]) -> SwellingCell:
    """The thickness model of ``design``'s cell; ``curves`` may replace the tabulated volume
    change of the ``"negative"`` and ``"positive"`` active materials."""
    cell = design.cell
    fmt = str(cell.format)
    if fmt not in ("pouch", "prismatic"):
        raise InputError(
            f"design: swelling needs a pouch or prismatic cell; {cell.name!r} is {fmt} (a wound "
            "cylindrical can holds its jelly roll, it does not push on end plates)"
        )
    if cell.positive is not None and cell.negative is not None and cell.geometry is not None:
        return _from_design(design, curves)
    if design.parameter_set:
        return _from_parameter_set(design, curves)
    estimated, notes = stack_for(design)
    model = _from_design(estimated, curves)
    model.notes[:0] = notes
    return model


def stack_for(design: DesignSnapshot) -> tuple[DesignSnapshot, list[str]]:
    """A library cell with neither an entered stack nor a PyBaMM set: the design estimated
    from its datasheet, and the warning that says so.

    Raises
    ------
    InputError
        When the cell names no library cell to estimate from.
    """
    if design.reference_cell is None:
        raise InputError(
            f"design: {design.cell.name!r} has neither an electrode stack nor a PyBaMM parameter "
            "set, nor a library cell to estimate a stack from; swelling needs the coatings and "
            "their active materials"
        )
    from cellwright.projects.design.reference_designs import with_reference_geometry

    notes: list[str] = []
    return with_reference_geometry(design, "swelling needs", notes), notes


def _curve(side: str, chemistry: str, curves) -> Curve:
    given = curves.get(side)
    return given if given is not None else volume_change_curve(chemistry, f"{side}.active_material")


def _from_design(design: DesignSnapshot, curves) -> SwellingCell:
    from cellwright.projects.design.cell_figures import cell_figures

    cell = design.cell
    figures = cell_figures(cell, design.materials, design.reference_cell)
    g = cell.geometry
    pos_n, neg_n, notes = _coatings_through_thickness(cell, figures.layout)
    windows, balance_note = _windows(cell, figures, design.materials)
    notes += balance_note
    electrodes = {}
    for side, count, coat in (
        ("negative", neg_n, figures.negative),
        ("positive", pos_n, figures.positive),
    ):
        electrode = getattr(cell, side)
        chemistry = design.materials[electrode.active_material].chemistry
        layers = ElectrodeLayers(
            side, count, electrode.coating_thickness, coat.active_volume_fraction,
            *windows[side], _curve(side, chemistry, curves),
        )  # fmt: skip
        notes += [n for n in [layers.window_note(f"{side}.stoichiometry")] if n]
        electrodes[side] = layers
    plan = figures.layout.positive_area / max(pos_n, 1.0)
    face = plan if g.kind == "pouch" else g.length * g.width
    return SwellingCell(
        thickness=g.thickness, face_area=face, plan_area=plan, capacity=figures.capacity,
        negative=electrodes["negative"], positive=electrodes["positive"],
        origin=f"electrode stack of design {cell.name!r}", notes=notes,
    )  # fmt: skip


def _coatings_through_thickness(cell, layout) -> tuple[float, float, list[str]]:
    """Positive and negative coatings stacked through the cell thickness."""
    g = cell.geometry
    pos_sides, neg_sides = cell.positive.coated_sides, cell.negative.coated_sides
    if g.kind == "prismatic" and g.construction == "wound":
        turns = layout.facts["Jelly roll turns"][0]
        crossings = 2.0 * turns * g.jelly_rolls  # each turn crosses the flat faces twice
        note = f"wound: {g.jelly_rolls} flat roll(s) of {turns:.1f} turns through the thickness"
        return crossings * pos_sides, crossings * neg_sides, [note]
    layers = g.cathode_layers or 0
    neg_faces = (layers + 1) * neg_sides
    if g.kind == "pouch" and g.outer_negatives_single_sided and neg_sides == 2:
        neg_faces -= 2
    return float(layers * pos_sides), float(neg_faces), []


def _windows(cell, figures, materials) -> tuple[dict[str, tuple[float, float]], list[str]]:
    """(stoichiometry at 0 % SOC, at 100 % SOC) of each electrode."""
    pos, neg = cell.positive, cell.negative
    if pos.stoichiometry_min is not None and neg.stoichiometry_min is not None:
        return {
            "negative": (neg.stoichiometry_min, neg.stoichiometry_max),
            "positive": (pos.stoichiometry_max, pos.stoichiometry_min),
        }, []
    # electrode balance: the positive starts full of lithium, the negative empty; each moves by
    # the cell's capacity over the lithium its host lattice holds (F c_max of the active volume).
    # The practical specific capacity is not that: a layered oxide gives up about two thirds of
    # its lithium between its cut-offs (NMC622: 187 of 277 mA.h/g), so a window from it would
    # run the positive down to x = 0, into the c-axis collapse below x = 0.4.
    layout = figures.layout
    swings, how = {}, []
    for side, area in (("positive", layout.positive_area), ("negative", layout.negative_area)):
        electrode, coat = getattr(cell, side), getattr(figures, side)
        material = materials.get(electrode.active_material)
        c_max = material.value("max_concentration") if material is not None else None
        if c_max:
            host = host_capacity(c_max, coat.active_volume_fraction, electrode.coating_thickness)
            swings[side] = figures.capacity / (host * area)
            how.append(f"{side} over its host's lithium (c_max {c_max:g} mol/m3)")
        else:
            swings[side] = figures.capacity / (coat.reversible_capacity * area)
            how.append(f"{side} over its specific capacity (no c_max in the library)")
    note = (
        "stoichiometry windows from the electrode balance (no windows in the design): positive "
        f"1 → {1 - swings['positive']:.3f}, negative 0 → {swings['negative']:.3f}; "
        + ", ".join(how)
    )
    windows = {"negative": (0.0, swings["negative"]), "positive": (1.0, 1.0 - swings["positive"])}
    return windows, [note]


def _from_parameter_set(design: DesignSnapshot, curves) -> SwellingCell:
    import pybamm

    ref = design.reference_cell
    if ref is None or not (ref.cathode and ref.anode):
        raise InputError("design: a parameter-set cell needs a reference cell naming its cathode "
                         "and anode chemistries")  # fmt: skip
    if ref.thickness is None or ref.length is None or ref.width is None:
        raise InputError(f"design: reference cell {ref.id!r} lacks length, width or thickness")
    values = pybamm.ParameterValues(design.parameter_set)
    x0, x100, y100, y0 = pybamm.lithium_ion.get_min_max_stoichiometries(values)
    units = float(values["Number of electrodes connected in parallel to make a cell"])
    notes = []
    if units <= 1:  # a set that scales one layer's area to the cell: count layers by capacity
        units = round(ref.nominal_capacity / float(values["Nominal cell capacity [A.h]"]))
        notes.append(f"{units:g} electrode pairs from the capacity of the cell over that of the "
                     f"{design.parameter_set} layer")  # fmt: skip
    electrodes = {}
    for side, chemistry, window in (
        ("negative", ref.anode, (float(x0), float(x100))),
        ("positive", ref.cathode, (float(y0), float(y100))),
    ):
        name = side.capitalize()
        layers = ElectrodeLayers(
            side, units, float(values[f"{name} electrode thickness [m]"]),
            float(values[f"{name} electrode active material volume fraction"]),
            *window, _curve(side, chemistry, curves),
        )  # fmt: skip
        notes += [n for n in [layers.window_note(f"{side} ({design.parameter_set})")] if n]
        electrodes[side] = layers
    # the set's electrode height x width is one layer's area in plan
    plan = float(values["Electrode height [m]"] * values["Electrode width [m]"])
    face = ref.length * ref.width if ref.format == "prismatic" else plan
    return SwellingCell(
        thickness=ref.thickness, face_area=face, plan_area=plan, capacity=ref.nominal_capacity,
        negative=electrodes["negative"], positive=electrodes["positive"],
        origin=f"PyBaMM parameter set {design.parameter_set}", notes=notes,
    )  # fmt: skip
