"""A pack's cooling plate seen from above, as a ``cfd.flow2d`` domain.

The plate is aluminium (or its material) with the channels of the pack layout cut into it; the
coolant flows depth-averaged in channels as deep as the channel height (Hele-Shaw friction
12 mu/H^2), enters through a short lead from the plate's edge into the first pass or the inlet
manifold, and leaves through one from the last pass or the outlet manifold (U: the same edge,
Z: the opposite one). The cells' heat enters the plate under the modules, spread evenly
(W/m^2). One temperature per column: the channel's metal ceiling and floor are not resolved,
so the heat that lands above a channel goes straight into its coolant.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from cellwright.engines.cfd.flow2d_spec import EdgeSpec, Flow2DSpec, ShapeSpec
from cellwright.projects.model import DesignSnapshot, InputError

__all__ = ["PlateExtras", "plate_spec"]

_PLATE = "cooling plate"


@dataclass
class PlateExtras:
    """What a plate adds beyond its shapes: the metal's own thickness and heated areas."""

    thickness_of: dict[str, float] = field(default_factory=dict)
    heated: list[tuple[tuple[float, float, float, float], float]] = field(default_factory=list)


def _layout(design: DesignSnapshot):
    from cellwright.projects.design import cell_box, pack_layout
    from cellwright.projects.design.report import cell_summary_for

    pack = design.pack
    if pack is None or pack.cooling_plate is None:
        raise InputError("spec.geometry: 'plate' needs a pack design with a cooling plate")
    summary, _ = cell_summary_for(design)
    return pack, pack_layout(pack, cell_box(summary, pack))


def _rect(name, x0, y0, dx, dy, region="fluid", **kw) -> ShapeSpec:
    return ShapeSpec(
        kind="rectangle", name=name, region=region, origin=(x0, y0), size=(dx, dy), **kw
    )


def plate_spec(spec: Flow2DSpec, design: DesignSnapshot) -> tuple[Flow2DSpec, PlateExtras]:
    """The spec of the plate's plan view (domain, shapes, edges) and its extras."""
    pack, layout = _layout(design)
    plate, box = pack.cooling_plate, layout.plate
    from cellwright.engines.cfd.coolants import coolant_for

    # the plate's coolant enters at the design's temperature: name that field, not the
    # edges and reference temperature drawn from it below
    coolant_for(plate.coolant, design.materials).check(
        plate.inlet_temperature, "pack.cooling_plate.inlet_temperature"
    )
    n, w = plate.channel_count, plate.channel_width
    channels = layout.channels
    material = design.materials.get(plate.material)
    k = material.value("thermal_conductivity") if material else None
    if k is None:
        raise InputError(f"cooling_plate.material {plate.material!r} has no thermal conductivity")
    shapes = [
        _rect(
            _PLATE,
            0.0,
            0.0,
            box.dx,
            box.dy,
            "solid",
            conductivity=k,
            density=material.value("density"),
            specific_heat=material.value("specific_heat") or 900.0,
        )
    ]
    shapes += [_rect(f"channel {i + 1}", c.x0, c.y0, c.dx, c.dy) for i, c in enumerate(channels)]
    lead_in, lead_out, edges = _ports(plate, channels, box)
    shapes += [lead_in, lead_out]
    cells = max(spec.cells, math.ceil(max(box.dx, box.dy) / (w / 4)))
    plan = spec.model_copy(
        update={
            "geometry": "shapes",
            "length": box.dx,
            "height": box.dy,
            "cells": cells,
            "depth": plate.channel_height,
            "thin_channel": True,
            "coolant": plate.coolant,
            "reference_temperature": plate.inlet_temperature,
            "shapes": shapes,
            "edges": edges,
            "initial_temperature": plate.inlet_temperature,
        }
    )
    footprint = sum(m.dx * m.dy for m in layout.modules)
    flux = spec.heat_per_cell * pack.cell_count / footprint if footprint else 0.0
    extras = PlateExtras({_PLATE: plate.thickness})
    extras.heated = [((m.x0, m.y0, m.dx, m.dy), flux) for m in layout.modules]
    del n
    return plan, extras


def _ports(plate, channels, box):
    """Inlet and outlet leads from the plate's edges, and their edges."""
    n, w = plate.channel_count, plate.channel_width
    flow = {"flow_rate": plate.flow_rate * 1.0, "temperature": plate.inlet_temperature}
    first = channels[0]
    if plate.channel_layout == "serpentine" or n == 1:
        last = channels[n - 1]
        to_right = n == 1 or (n - 1) % 2 == 0
        lead_in = _rect("inlet lead", 0.0, first.y0, first.x0 + w, w)  # overlaps the pass
        inlet = EdgeSpec(
            name="inlet", side="left", start=first.y0, end=first.y0 + w, kind="inlet", **flow
        )
        if to_right:
            x_end = last.x0 + last.dx
            lead_out = _rect("outlet lead", x_end - w, last.y0, box.dx - x_end + w, w)
            outlet = EdgeSpec(
                name="outlet", side="right", start=last.y0, end=last.y0 + w, kind="outlet"
            )
        else:
            lead_out = _rect("outlet lead", 0.0, last.y0, last.x0 + w, w)
            outlet = EdgeSpec(
                name="outlet", side="left", start=last.y0, end=last.y0 + w, kind="outlet"
            )
        return lead_in, lead_out, [inlet, outlet]
    inlet_header, outlet_header = channels[n], channels[n + 1]
    wm = inlet_header.dx
    lead_in = _rect("inlet lead", inlet_header.x0, 0.0, wm, inlet_header.y0 + w)
    inlet = EdgeSpec(
        name="inlet",
        side="bottom",
        start=inlet_header.x0,
        end=inlet_header.x0 + wm,
        kind="inlet",
        **flow,
    )
    x_out = outlet_header.x0
    if plate.flow_arrangement == "U":
        lead_out = _rect("outlet lead", x_out, 0.0, wm, outlet_header.y0 + w)
        side = "bottom"
    else:
        top = outlet_header.y0 + outlet_header.dy
        lead_out = _rect("outlet lead", x_out, top - w, wm, box.dy - top + w)
        side = "top"
    outlet = EdgeSpec(name="outlet", side=side, start=x_out, end=x_out + wm, kind="outlet")
    return lead_in, lead_out, [inlet, outlet]
