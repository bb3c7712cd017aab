"""A pack's cooling plate seen from above, as a ``cfd.flow2d`` domain.

The plate is aluminium (or its material) with the channels of the pack layout cut into it; the
coolant flows depth-averaged in channels as deep as the channel height (Hele-Shaw friction
12 mu/H^2), enters through a short lead from the plate's edge into the first pass or the inlet
manifold, and leaves through one from the last pass or the outlet manifold (U: the same edge,
Z: the opposite one). The cells' heat enters the plate under the modules, spread evenly
(W/m^2). One temperature per column: the channel's metal ceiling and floor are not resolved,
so the heat that lands above a channel goes straight into its coolant.

The grid's lines fall on the channel walls. A cell belongs to a channel when its centre does
(:mod:`flow2d_shapes`), so a wall between grid lines draws the channel up to a cell narrower or
wider than it is, and the pressure drop, which in a depth-averaged channel goes about as 1/width,
followed: the tests' 6 mm channels came out 7 cells (5.5 mm) or 8 (6.3 mm) wide by where
they lay, and the plate's pressure drop scattered by +6 to -6 % from grid to grid instead of
converging. The cell is therefore a whole fraction of the channel width (and of the manifolds'
where a fraction near the asked resolution fits both to 1 %), every channel and lead is drawn
from the grid line nearest its edge, and the plate grows to whole cells: positions move by at
most half a cell, the plate's outline by less than one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import SimpleNamespace

from cellwright.engines.cfd.flow2d_spec import EdgeSpec, Flow2DSpec, ShapeSpec
from cellwright.projects.model import DesignSnapshot, InputError

__all__ = ["PlateExtras", "grid_step", "plate_spec"]

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


def grid_step(widths: list[float], coarsest: float) -> float:
    """The cell size [m]: ``widths[0]`` (the channels') over a whole number of cells, no coarser
    than ``coarsest``, and, where one of the next finer ones (up to half as many cells again
    across) fits every width to 1 % (6 mm channels and 8 mm manifolds at 9 and 12 cells), that
    one: the manifolds carry the whole flow, and one drawn 1.6 % narrow put the tests' plate's
    pressure drop 2.4 % above its neighbours'.

    Parameters
    ----------
    widths
        The channel width first, then any other width to fit (the manifolds') [m].
    coarsest
        The largest cell the study asks for (its ``cells`` along the plate) [m].
    """
    # a twentieth of a cell of slack: the plate grows to whole cells, so the `cells` a run
    # reports (151 along the grown plate) asked again gives the same grid, not a finer one
    first = max(4, math.ceil(widths[0] / coarsest - 0.05))
    for across in range(first, math.ceil(1.5 * first) + 1):
        h = widths[0] / across
        if all(abs(round(x / h) * h - x) <= 0.01 * x for x in widths[1:]):
            return h
    return widths[0] / first


def _span(start: float, size: float, h: float) -> tuple[float, float]:
    """(start, size) of a span from the grid line nearest its start, whole cells long."""
    return math.floor(start / h + 0.5) * h, round(size / h) * h


def _on_grid(shape: ShapeSpec, h: float) -> ShapeSpec:
    """A rectangle drawn on the grid lines: each side a :func:`_span`."""
    (x0, dx), (y0, dy) = (_span(o, s, h) for o, s in zip(shape.origin, shape.size, strict=True))
    return shape.model_copy(update={"origin": (x0, y0), "size": (dx, dy)})


def _edge_on_grid(edge: EdgeSpec, h: float) -> EdgeSpec:
    """An edge's span moved as its lead's rectangle is (:func:`_on_grid`)."""
    start, size = _span(edge.start, edge.end - edge.start, h)
    return edge.model_copy(update={"start": start, "end": start + size})


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
    widths = [w] if plate.channel_layout == "serpentine" or n == 1 else [w, channels[n].dx]
    asked = max(spec.cells, math.ceil(max(box.dx, box.dy) / (w / 4)))  # never < 4 across
    h = grid_step(widths, max(box.dx, box.dy) / asked)
    length, height = h * math.ceil(box.dx / h - 1e-9), h * math.ceil(box.dy / h - 1e-9)
    shapes = [
        _rect(
            _PLATE,
            0.0,
            0.0,
            length,
            height,
            "solid",
            conductivity=k,
            density=material.value("density"),
            specific_heat=material.value("specific_heat") or 900.0,
        )
    ]
    drawn = [_rect(f"channel {i + 1}", c.x0, c.y0, c.dx, c.dy) for i, c in enumerate(channels)]
    # the leads run to the grown plate's edges, where the inlet and outlet are
    lead_in, lead_out, edges = _ports(plate, channels, SimpleNamespace(dx=length, dy=height))
    shapes += [_on_grid(s, h) for s in [*drawn, lead_in, lead_out]]
    plan = spec.model_copy(
        update={
            "geometry": "shapes",
            "length": length,
            "height": height,
            "cells": round(max(length, height) / h),
            "depth": plate.channel_height,
            "thin_channel": True,
            "coolant": plate.coolant,
            "reference_temperature": plate.inlet_temperature,
            "shapes": shapes,
            "edges": [_edge_on_grid(e, h) for e in edges],
            "initial_temperature": plate.inlet_temperature,
        }
    )
    footprint = sum(m.dx * m.dy for m in layout.modules)
    flux = spec.heat_per_cell * pack.cell_count / footprint if footprint else 0.0
    extras = PlateExtras({_PLATE: plate.thickness})
    extras.heated = [((m.x0, m.y0, m.dx, m.dy), flux) for m in layout.modules]
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
