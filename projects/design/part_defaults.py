"""Defaults for the optional parts of a design, sized from what the design already states.

When a user adds a part in the builder (a cell's geometry or electrodes, a pack's module
arrangement, busbars, cooling plate, thermal interface or enclosure), it arrives with values that
give a valid design at once, so the figures update instead of an error:

- a cell's geometry takes the envelope of its library cell (datasheet dimensions) or, without
  one, the format template's housing; a pouch's layer count is the most that fits;
- electrodes take the template stack (Chen et al. 2020), with the active material of the library
  cell's chemistry where the library has it;
- a pack's modules hold whole series groups (about twelve, as a 12s4p module of 21700s), busbars
  are sized from the cell's footprint and spacing, the enclosure from the laid-out pack with
  clearance.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import ValidationError

from cellwright.projects.model import (
    Busbar,
    CellDesign,
    CoolingPlate,
    DesignSnapshot,
    Electrode,
    Enclosure,
    InputError,
    ModuleArrangement,
    PackDesign,
    ReferenceCell,
    ThermalInterface,
    describe_validation_error,
    upper_bound,
)

__all__ = [
    "ENCLOSURE_CLEARANCE",
    "LARGE_CAN",
    "MODULE_SERIES",
    "default_part",
    "fill_pouch",
    "module_arrangement",
]

#: series groups a default module aims at (a typical module of 21700s is 12s4p)
MODULE_SERIES = 12
#: cylindrical cans from this diameter take the large-format (4680) template's walls [m]
LARGE_CAN = 30e-3
#: free space between the laid-out pack and the enclosure walls, on every side [m]
ENCLOSURE_CLEARANCE = 20e-3


def default_part(design: CellDesign | PackDesign, path: str, snapshot: DesignSnapshot | None):
    """The default value of the optional part ``path`` of ``design``, or None if it has none.

    Parameters
    ----------
    design
        The cell or pack design the part is added to.
    path
        The field (``"geometry"``, ``"positive"``, ``"arrangement"``, ``"enclosure"`` …).
    snapshot
        The design's snapshot (its reference cell, the pack's cell), when it can be resolved.
    """
    try:
        if isinstance(design, CellDesign):
            return _cell_part(design, path, snapshot)
        return _pack_part(design, path, snapshot)
    except ValidationError as exc:
        # a default sized from the design can pass a field's bounds (the enclosure of a
        # 1000s200p pack is 12 m long): the field and its limit, not an internal failure
        raise describe_validation_error(exc, design.name, prefix=path) from None


def _template_for(design: CellDesign, reference: ReferenceCell | None) -> CellDesign:
    """The format's template; a cylindrical can of 30 mm or more (by its library cell) takes
    the 4680 template's thicker walls, cap and mandrel."""
    from cellwright.projects.design.templates import new_cell_from_template

    key = str(design.format)
    if key == "cylindrical":
        large = reference is not None and (reference.diameter or 0.0) >= LARGE_CAN
        key = "4680" if large else "21700"
    return new_cell_from_template(key)


def _cell_part(design: CellDesign, path: str, snapshot: DesignSnapshot | None) -> Any:
    reference = snapshot.reference_cell if snapshot is not None else None
    template = _template_for(design, reference)
    if path == "geometry":
        return _geometry(design, template, reference)
    if path in ("positive", "negative"):
        electrode: Electrode = getattr(template, path)
        material = _active_material_for(reference, path, snapshot)
        if material and material != electrode.active_material:
            # another chemistry: the template's lithiation window belongs to its own material
            electrode = electrode.model_copy(
                update={
                    "active_material": material,
                    "stoichiometry_min": None,
                    "stoichiometry_max": None,
                    "active_volume_fraction": None,
                }
            )
        return electrode
    return None


def _geometry(design: CellDesign, template: CellDesign, reference: ReferenceCell | None):
    geometry = template.geometry
    if reference is None or str(reference.format) != str(design.format):
        return geometry
    if geometry.kind == "cylindrical":
        return geometry.model_copy(
            update={"diameter": reference.diameter, "height": reference.height}
        )
    envelope = {
        "length": reference.length,
        "width": reference.width,
        "thickness": reference.thickness,
    }
    if geometry.kind == "prismatic":
        return geometry.model_copy(update=envelope)
    seal = geometry.seal_width
    return fill_pouch(
        template,
        geometry.model_copy(
            update={
                **envelope,
                "electrode_length": max(reference.length - 2 * seal - 8e-3, 5e-3),
                "electrode_width": max(reference.width - 2 * seal - 1e-3, 5e-3),
            }
        ),
    )


def fill_pouch(cell: CellDesign, geometry):
    """``geometry`` (a pouch) with the most cathode layers of ``cell``'s stack its thickness
    holds (at least one)."""
    from cellwright.projects.design.cell_layout import cell_layout

    probe = cell.model_copy(update={"geometry": geometry})
    lo, hi = 1, 500
    while lo < hi:  # the largest count the builder accepts
        mid = (lo + hi + 1) // 2
        try:
            cell_layout(
                probe.model_copy(
                    update={"geometry": geometry.model_copy(update={"cathode_layers": mid})}
                )
            )
            lo = mid
        except InputError:
            hi = mid - 1
    return geometry.model_copy(update={"cathode_layers": lo})


def _active_material_for(
    reference: ReferenceCell | None, path: str, snapshot: DesignSnapshot | None
) -> str | None:
    """The library's active material of the reference cell's chemistry (e.g. LFP), if any."""
    if reference is None:
        return None
    chemistry = (reference.cathode if path == "positive" else reference.anode).strip().lower()
    if not chemistry:
        return None
    from cellwright.projects.library import Library

    wanted = "cathode_active" if path == "positive" else "anode_active"
    for material in Library.load_builtin().materials(material_class=wanted):
        if material.id == chemistry or material.chemistry.lower() == chemistry:
            return material.id
    return None


def module_arrangement(
    series: int, parallel: int, target_cells: int | None = None
) -> ModuleArrangement:
    """Modules of whole series groups: ``parallel`` rows × ``columns`` series groups, with
    ``columns`` the divisor of ``series`` whose module size is nearest ``target_cells`` (default:
    :data:`MODULE_SERIES` series groups, at most 500 cells). Modules stand in two rows when
    there are four or more and an even number of them."""
    most = upper_bound(ModuleArrangement, "rows")
    if parallel > most:
        # a module of whole series groups stands its parallel cells in rows; the arrangement
        # takes at most that many (a ValidationError reached the user as an internal failure)
        raise InputError(
            f"parallel: {parallel} cells in parallel would stand in {parallel} rows of a "
            f"module, more than the {most} an arrangement takes; use at most {most} in parallel, "
            "or leave the modules (arrangement) out"
        )
    target = target_cells or min(MODULE_SERIES * parallel, 500)
    divisors = [d for d in range(1, series + 1) if series % d == 0]
    columns = min(divisors, key=lambda d: (abs(d * parallel - target), -d))
    modules = series // columns
    module_rows = 2 if modules >= 4 and modules % 2 == 0 else 1
    return ModuleArrangement(rows=parallel, columns=columns, module_rows=module_rows)


def _pack_part(pack: PackDesign, path: str, snapshot: DesignSnapshot | None) -> Any:
    if path == "arrangement":
        return module_arrangement(pack.series, pack.parallel)
    if path == "cooling_plate":
        return _cooling_plate(pack, snapshot)
    if path == "thermal_interface":
        return ThermalInterface()
    footprint = _cell_footprint(snapshot, pack)
    if path == "busbar":
        gap = pack.arrangement.gap if pack.arrangement else ModuleArrangement(rows=1, columns=1).gap
        width = min(max(0.4 * footprint, 5e-3), 30e-3)
        return Busbar(width=round(width, 4), length_per_connection=round(footprint + gap, 4))
    if path == "enclosure":
        return _enclosure(pack, snapshot)
    return None


def _cooling_plate(pack: PackDesign, snapshot: DesignSnapshot | None) -> CoolingPlate:
    """The default plate with as many of its channels as fit across the plate the pack's layout
    gives (narrower channels when not even one does).

    The default's four 8 mm channels need 37 mm across; a single row of 18650 cells stands on a
    28 mm plate, so every pack of one row of them was refused as soon as it was made ("4
    channels of 8 mm do not fit across the 28.0 mm plate").
    """
    from cellwright.projects.design.cell_summary import cell_box
    from cellwright.projects.design.pack_layout import MIN_CHANNEL_WALL, pack_layout
    from cellwright.projects.design.report import cell_summary_for

    plate = CoolingPlate()
    if snapshot is None:
        return plate
    probe = pack.model_copy(update={"enclosure": None, "cooling_plate": plate.model_copy(
        update={"channel_count": 1, "channel_width": MIN_CHANNEL_WALL})})  # fmt: skip
    try:
        summary, _ = cell_summary_for(snapshot)
        layout = pack_layout(probe, cell_box(summary, pack))
    except InputError:
        return plate  # the pack's other parts are refused on their own account
    if layout.plate is None:
        return plate
    across, wall = layout.plate.dy, MIN_CHANNEL_WALL
    # the U-turns at both ends need the plate longer than two channels and walls: one column
    # of a 7.5 mm pouch stands on a 17.5 mm plate, and every 1sNp pack of Kokam SLPB 75106100
    # or Enertech pouches was refused as it was made ("the plate is too short for its channels")
    longest = math.floor((layout.plate.dx / 2 - wall) * 2e3 - 1e-6) / 2e3  # half millimetres
    if plate.channel_width > longest:
        plate = plate.model_copy(update={"channel_width": max(longest, wall)})
    # 27 mm / 9 mm is 2.9999999999999996 in floating point: three channels fit exactly
    fits = int((across - wall) / (plate.channel_width + wall) + 1e-9)
    if fits >= 1:
        return plate.model_copy(update={"channel_count": min(plate.channel_count, fits)})
    width = math.floor((across - 2 * wall) * 2e3) / 2e3  # whole half millimetres
    return plate.model_copy(update={"channel_count": 1, "channel_width": max(width, wall)})


def _cell_footprint(snapshot: DesignSnapshot | None, pack: PackDesign) -> float:
    """The cell's extent along a module row [m] (21 mm when the cell cannot be resolved)."""
    if snapshot is None:
        return 21e-3
    from cellwright.projects.design.cell_summary import cell_box
    from cellwright.projects.design.report import cell_summary_for

    try:
        summary, _ = cell_summary_for(snapshot)
    except InputError:
        return 21e-3
    return cell_box(summary, pack).size[0]


def _enclosure(pack: PackDesign, snapshot: DesignSnapshot | None) -> Enclosure:
    """A box around the laid-out pack with :data:`ENCLOSURE_CLEARANCE` on every side."""
    from cellwright.projects.design.cell_summary import cell_box
    from cellwright.projects.design.pack_layout import pack_layout
    from cellwright.projects.design.report import cell_summary_for

    if snapshot is None:
        raise InputError("enclosure: the pack's cell is needed to size it", pack.name)
    summary, _ = cell_summary_for(snapshot)
    layout = pack_layout(pack.model_copy(update={"enclosure": None}), cell_box(summary, pack))
    box = layout.bounding
    room = 2 * ENCLOSURE_CLEARANCE

    def up(x: float) -> float:  # to the next whole millimetre
        return math.ceil(x * 1e3) / 1e3

    return Enclosure(length=up(box.dx + room), width=up(box.dy + room), height=up(box.dz + room))
