"""Where everything sits in a pack: cells in modules, busbars, cooling plate and channels.

The frame: x along module columns, y along rows, z up; the cooling plate's underside is z = 0,
the thermal interface lies on it and the cells stand on the interface. The same layout feeds
the pack calculator (masses, volumes) and the mesher (engines.mesh), so both see one pack.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from cellwright.projects.model import CellFormat, InputError, PackDesign

__all__ = ["MIN_CHANNEL_WALL", "Box", "CellBox", "PackLayout", "pack_layout"]

MIN_CHANNEL_WALL = 1e-3  # solid metal left between and beside channels [m]
# channels that fill the plate exactly add up to a hair more in floating point (3 x 8 mm and
# 4 x 1 mm walls: 28.000000000000004 mm on a 28 mm plate) and were refused [m]
_ROUND_OFF = 1e-9


@dataclass(frozen=True)
class Box:
    """An axis-aligned box from ``(x0, y0, z0)`` with extents ``(dx, dy, dz)`` [m]."""

    x0: float
    y0: float
    z0: float
    dx: float
    dy: float
    dz: float

    @property
    def volume(self) -> float:
        """Volume [m^3]."""
        return self.dx * self.dy * self.dz


@dataclass(frozen=True)
class CellBox:
    """A cell as the pack sees it: format, the axis it stands on, and its envelope [m].

    ``size`` is the bounding box in the pack frame; a cylindrical cell has ``axis`` "z"
    (upright) or "x" (lying), flat cells are boxes.
    """

    format: CellFormat
    size: tuple[float, float, float]
    axis: str = "z"

    @property
    def volume(self) -> float:
        """Envelope volume [m^3] (a cylinder for round cells)."""
        if self.format == CellFormat.CYLINDRICAL:
            along = "xyz".index(self.axis)
            diameter = self.size[(along + 1) % 3]
            return math.pi * diameter**2 / 4 * self.size[along]
        return self.size[0] * self.size[1] * self.size[2]


@dataclass
class PackLayout:
    """Positions and sizes of every part of a pack (all boxes in the pack frame)."""

    cell: CellBox
    cells: list[tuple[float, float, float]]  # min corner of each cell's bounding box
    groups: list[list[int]]  # series groups: indices into ``cells`` of each parallel group
    modules: list[Box]
    plate: Box | None
    channels: list[Box] = field(default_factory=list)
    interface: Box | None = None
    busbars: list[Box] = field(default_factory=list)
    bounding: Box | None = None


def pack_layout(pack: PackDesign, cell: CellBox) -> PackLayout:
    """Lay out ``pack`` with cells of envelope ``cell``; refuse it if its enclosure is too small."""
    arrangement = pack.arrangement
    rows = arrangement.rows if arrangement else pack.parallel
    columns = arrangement.columns if arrangement else pack.series
    gap = arrangement.gap if arrangement else 0.0
    module_gap = arrangement.module_gap if arrangement else 0.0
    module_rows = arrangement.module_rows if arrangement else 1
    dx, dy, dz = cell.size
    module_x, module_y = columns * dx + (columns - 1) * gap, rows * dy + (rows - 1) * gap
    per_row = math.ceil(pack.module_count / module_rows)
    plate = pack.cooling_plate
    margin = plate.margin if plate else 0.0
    z_cells = (plate.thickness if plate else 0.0) + (
        pack.thermal_interface.thickness if pack.thermal_interface and plate else 0.0
    )
    cells, modules = [], []
    for m in range(pack.module_count):
        mx = margin + (m % per_row) * (module_x + module_gap)
        my = margin + (m // per_row) * (module_y + module_gap)
        modules.append(Box(mx, my, z_cells, module_x, module_y, dz))
        for c in range(columns):  # cells fill a module column by column
            for r in range(rows):
                cells.append((mx + c * (dx + gap), my + r * (dy + gap), z_cells))
    groups = [list(range(k * pack.parallel, (k + 1) * pack.parallel)) for k in range(pack.series)]
    span_x = margin * 2 + per_row * module_x + (per_row - 1) * module_gap
    span_y = margin * 2 + module_rows * module_y + (module_rows - 1) * module_gap
    layout = PackLayout(cell, cells, groups, modules, None)
    if plate is not None:
        layout.plate = Box(0.0, 0.0, 0.0, span_x, span_y, plate.thickness)
        layout.channels = _channels(pack, layout.plate)
        if pack.thermal_interface is not None:
            t = pack.thermal_interface.thickness
            layout.interface = Box(margin, margin, plate.thickness, span_x - 2 * margin,
                                   span_y - 2 * margin, t)  # fmt: skip
    if pack.busbar is not None:
        layout.busbars = _busbars(pack, layout)
    top = z_cells + dz + (pack.busbar.thickness if pack.busbar else 0.0)
    layout.bounding = Box(0.0, 0.0, 0.0, span_x, span_y, top)
    _check_enclosure(pack, layout.bounding)
    return layout


def _channels(pack: PackDesign, plate: Box) -> list[Box]:
    """Coolant channels milled into the plate's top half (serpentine passes or parallel)."""
    spec = pack.cooling_plate
    n, w, h = spec.channel_count, spec.channel_width, spec.channel_height
    if w + 2 * MIN_CHANNEL_WALL > plate.dy + _ROUND_OFF:
        raise InputError(
            f"cooling_plate.channel_width: a {w * 1e3:g} mm channel is wider than the "
            f"{plate.dy * 1e3:.1f} mm plate (with {MIN_CHANNEL_WALL * 1e3:g} mm walls); "
            f"at most {(plate.dy - 2 * MIN_CHANNEL_WALL) * 1e3:.1f} mm",
            pack.name,
        )
    if n * w + (n + 1) * MIN_CHANNEL_WALL > plate.dy + _ROUND_OFF:
        raise InputError(
            f"cooling_plate.channel_count: {n} channels of {w * 1e3:g} mm do not fit across the "
            f"{plate.dy * 1e3:.1f} mm plate with {MIN_CHANNEL_WALL * 1e3:g} mm walls",
            pack.name,
        )
    wm = spec.header_width if spec.channel_layout == "parallel" and n > 1 else w
    if plate.dx <= 2 * (max(w, wm) + MIN_CHANNEL_WALL):
        raise InputError("cooling_plate: the plate is too short for its channels", pack.name)
    z0 = (plate.dz - h) / 2
    pitch = plate.dy / n
    x0, length = MIN_CHANNEL_WALL, plate.dx - 2 * MIN_CHANNEL_WALL
    runs = [Box(x0, (k + 0.5) * pitch - w / 2, z0, length, w, h) for k in range(n)]
    joins = []
    if spec.channel_layout == "serpentine":
        for k in range(n - 1):  # U-turns alternate between the two ends
            xj = x0 if k % 2 else x0 + length - w
            joins.append(Box(xj, (k + 0.5) * pitch - w / 2, z0, w, pitch + w, h))
    elif n > 1:  # inlet and outlet manifolds join the parallel channels at both ends
        for xj in (x0, x0 + length - wm):
            joins.append(Box(xj, 0.5 * pitch - w / 2, z0, wm, (n - 1) * pitch + w, h))
    return runs + joins


def _busbars(pack: PackDesign, layout: PackLayout) -> list[Box]:
    """One bar per series connection, on top of the cells between neighbouring groups."""
    bar = pack.busbar
    dx, dy, dz = layout.cell.size
    z = layout.cells[0][2] + dz
    bars = []
    for a, b in zip(layout.groups, layout.groups[1:], strict=False):
        xs = [layout.cells[i][0] for i in a + b]
        ys = [layout.cells[i][1] for i in a + b]
        cx = (sum(xs[: len(a)]) / len(a) + sum(xs[len(a) :]) / len(b)) / 2 + dx / 2
        y0, y1 = min(ys), max(ys) + dy
        bars.append(Box(cx - bar.width / 2, y0, z, bar.width, y1 - y0, bar.thickness))
    return bars


def _check_enclosure(pack: PackDesign, bounding: Box) -> None:
    box = pack.enclosure
    if box is None:
        return
    for name, need, have in (
        ("length", bounding.dx, box.length),
        ("width", bounding.dy, box.width),
        ("height", bounding.dz, box.height),
    ):
        if need > have:
            raise InputError(
                f"enclosure.{name}: the modules, busbars and cooling plate need "
                f"{need * 1e3:.1f} mm but the enclosure offers {have * 1e3:.1f} mm inside",
                pack.name,
            )
