"""Boundary conditions of a 2D domain turned into the per-face arrays of :class:`Direction`.

Each side of the domain carries, per boundary face, a kind (wall, moving wall, inlet, outlet,
symmetry), an inward normal velocity (inlets) and a tangential velocity (moving walls). Inside
the domain, faces between a fluid and a solid cell are no-slip walls; a face whose two
neighbouring cells are both solid puts a wall half a cell from the faces beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cellwright.engines.cfd.flow2d_grid import FIXED, INTERIOR, OUTLET, Direction
from cellwright.engines.cfd.flow2d_grid import NeighbourKind as N

__all__ = ["INLET", "MOVING", "OUTFLOW", "SYMMETRY", "WALL", "SideBC", "directions"]

WALL, MOVING, INLET, OUTFLOW, SYMMETRY = 0, 1, 2, 3, 4


@dataclass
class SideBC:
    """Per boundary face of one side: kind code, inward normal and tangential velocity."""

    kind: np.ndarray
    normal: np.ndarray
    tangent: np.ndarray

    @classmethod
    def walls(cls, n: int) -> SideBC:
        """A side that is all still wall."""
        return cls(np.zeros(n, np.int8), np.zeros(n), np.zeros(n))


def directions(fluid: np.ndarray, sides: dict[str, SideBC]) -> tuple[Direction, Direction]:
    """The x and y :class:`Direction` of a grid with ``fluid`` cells (nx, ny) and ``sides``
    ("left", "right", "bottom", "top")."""
    x = _direction(fluid, sides["left"], sides["right"], sides["bottom"], sides["top"])
    y = _direction(
        np.ascontiguousarray(fluid.T), sides["bottom"], sides["top"], sides["left"], sides["right"]
    )
    return x, y


def _direction(
    fluid: np.ndarray, lo: SideBC, hi: SideBC, across_lo: SideBC, across_hi: SideBC
) -> Direction:
    """Faces normal to the 'along' axis (axis 0 of ``fluid``)."""
    n_along, n_across = fluid.shape
    kind = np.full((n_along + 1, n_across), FIXED, np.int8)
    value = np.zeros((n_along + 1, n_across))
    kind[1:-1][fluid[:-1] & fluid[1:]] = INTERIOR
    for face, cell, side, sign in ((0, 0, lo, 1.0), (n_along, n_along - 1, hi, -1.0)):
        open_cell = fluid[cell]
        inlet = open_cell & (side.kind == INLET)
        value[face][inlet] = sign * side.normal[inlet]
        kind[face][open_cell & (side.kind == OUTFLOW)] = OUTLET
    known = np.where(kind == FIXED, N.KNOWN, N.UNKNOWN).astype(np.int8)
    east = np.full_like(kind, N.FREE)
    west = np.full_like(kind, N.FREE)
    east[:-1] = known[1:]
    west[1:] = known[:-1]
    north, wall_north = _across(fluid, kind, known, across_hi, +1)
    south, wall_south = _across(fluid, kind, known, across_lo, -1)
    return Direction(kind, value, east, west, north, south, wall_north, wall_south)


def _solid_both_sides(fluid: np.ndarray) -> np.ndarray:
    """Per face (n_along + 1, n_across): True where every cell touching the face is solid."""
    solid = ~fluid
    both = np.empty((fluid.shape[0] + 1, fluid.shape[1]), bool)
    both[1:-1] = solid[:-1] & solid[1:]
    both[0], both[-1] = solid[0], solid[-1]
    return both


def _across(fluid, kind, known, side: SideBC, step: int):
    """Neighbour kinds and wall velocities one row across (``step`` +1 north, -1 south)."""
    n_faces, n_across = kind.shape
    out = np.full((n_faces, n_across), N.UNKNOWN, np.int8)
    wall = np.zeros((n_faces, n_across))
    walled = _solid_both_sides(fluid)
    rows = slice(0, n_across - 1) if step > 0 else slice(1, n_across)
    other = slice(1, n_across) if step > 0 else slice(0, n_across - 1)
    out[:, rows] = np.where(walled[:, other], N.WALL, known[:, other])
    edge = n_across - 1 if step > 0 else 0
    # on the domain's edge: the two boundary faces of the cells beside this face decide
    codes = np.full((n_faces, 2), -1)
    tangents = np.zeros((n_faces, 2))
    codes[1:, 0], tangents[1:, 0] = side.kind, side.tangent  # cell i - 1
    codes[:-1, 1], tangents[:-1, 1] = side.kind, side.tangent  # cell i
    wall_like = (codes == WALL) | (codes == MOVING) | (codes == INLET)
    any_wall = wall_like.any(axis=1)
    out[:, edge] = np.where(any_wall, N.WALL, N.FREE)
    moving = np.where(codes == MOVING, tangents, 0.0)
    wall[:, edge] = np.where(any_wall, moving.sum(axis=1) / np.maximum(wall_like.sum(1), 1), 0.0)
    return out, wall
