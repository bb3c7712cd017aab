"""The staggered (MAC) grid of ``cfd.flow2d`` and everything its boundaries fix.

Cells are squares of side ``h``: pressure and temperature live at cell centres, the x-velocity
u on vertical faces (shape (nx+1, ny)), the y-velocity v on horizontal faces ((nx, ny+1))
(Harlow & Welch 1965). A cell is fluid or solid; solid cells belong to a region with a material
(conducting solids take part in the energy equation, conjugate heat transfer) or are inert walls.

For each velocity direction the grid stores, per face: whether it is fixed (a wall or an inlet,
its value given), an unknown interior face, or an unknown outlet face on the boundary; and, per
face and side, what its neighbours across the momentum control volume are (another unknown face,
a face of known velocity a cell away, a wall half a cell away with its tangential velocity, or a
zero-gradient outflow). The v-direction is stored transposed, so one kernel serves both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["FIXED", "INTERIOR", "OUTLET", "Direction", "Grid2D", "NeighbourKind"]

FIXED, INTERIOR, OUTLET = 0, 1, 2


class NeighbourKind:
    """What lies across a momentum control-volume face."""

    UNKNOWN = 0  # another unknown velocity, a cell away
    KNOWN = 1  # a fixed velocity (wall-normal zero, inlet), a cell away
    WALL = 2  # a no-slip wall half a cell away, with a tangential velocity
    FREE = 3  # zero gradient (outflow, symmetry): no diffusion across


@dataclass
class Direction:
    """One velocity component in x-major form: for v everything is transposed (x <-> y).

    Arrays have the shape of that component's faces, (n_along + 1, n_across).
    """

    kind: np.ndarray  # int8: FIXED / INTERIOR / OUTLET
    value: np.ndarray  # fixed faces' velocity [m/s]
    east: np.ndarray  # int8 NeighbourKind of the +along neighbour
    west: np.ndarray
    north: np.ndarray  # int8 NeighbourKind of the +across neighbour
    south: np.ndarray
    wall_north: np.ndarray  # tangential wall velocity when north is WALL [m/s]
    wall_south: np.ndarray


@dataclass
class SolidRegion:
    """A solid: ``conductivity`` 0 makes it an inert (adiabatic) wall."""

    name: str
    conductivity: float
    density: float
    specific_heat: float
    heat: float = 0.0  # W over the depth


@dataclass
class Grid2D:
    """Cells, regions and boundary conditions of a 2D domain ``nx`` × ``ny`` cells of size ``h``.

    ``region[i, j]`` is -1 for fluid, else the index of the cell's :class:`SolidRegion`.
    ``edges`` maps each named boundary edge to its faces: (side, indices along the side).
    """

    nx: int
    ny: int
    h: float
    depth: float
    region: np.ndarray
    solids: list[SolidRegion]
    x: Direction | None = None
    y: Direction | None = None
    edges: dict[str, tuple[str, np.ndarray]] = field(default_factory=dict)
    edge_specs: dict[str, object] = field(default_factory=dict)

    @property
    def fluid(self) -> np.ndarray:
        """True for fluid cells (nx, ny)."""
        cached = self.__dict__.get("_fluid")
        if cached is None or cached.shape != self.region.shape:
            cached = self.region < 0
            self.__dict__["_fluid"] = cached
        return cached

    @property
    def shape(self) -> tuple[int, int]:
        """(nx, ny)."""
        return self.nx, self.ny

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Cell-centre coordinates (1D arrays along x and y) [m]."""
        return (np.arange(self.nx) + 0.5) * self.h, (np.arange(self.ny) + 0.5) * self.h
