"""One mesh as the FieldViewer draws it: the volume grid, its outer surface, and a clip.

Every drawn piece is a surface extracted from the grid once (or once per clip-plane position)
that carries the grid's point and cell numbers as data. A time step is then one fancy-indexed
copy into the drawn surface's scalar array: tens of milliseconds for a million cells, with no
VTK filter run. The clip is a *crinkle* clip (ParaView's term): it keeps the whole cells whose
centroid lies behind the plane, so the cut face shows true nodal values, not interpolated ones,
and re-clipping is needed only when the plane moves.
"""

from __future__ import annotations

import numpy as np

from cellwright.projects.model import MeshData
from cellwright.viewers.field_data import to_pyvista

__all__ = ["CELL_IDS", "POINT_IDS", "SHOWN", "MeshScene"]

POINT_IDS = "grid_point_ids"
CELL_IDS = "grid_cell_ids"
SHOWN = "shown"  # the scalar array the actor colours by


class MeshScene:
    """The pyvista pieces of one mesh.

    Parameters
    ----------
    mesh
        The mesh to draw.
    where
        How to name the mesh in error messages.
    """

    def __init__(self, mesh: MeshData, where: str = "mesh") -> None:
        import pyvista as pv

        self.grid = to_pyvista(mesh, where)
        self.grid.point_data[POINT_IDS] = np.arange(self.grid.n_points)
        self.grid.cell_data[CELL_IDS] = np.arange(self.grid.n_cells)
        self.surface = self._surface_of(self.grid)
        self.clipped = pv.PolyData()  # filled by clip(); drawn objects are updated in place
        self.plane_normal = (1.0, 0.0, 0.0)
        self.plane_origin = tuple(self.grid.center)
        self._centres: np.ndarray | None = None

    @staticmethod
    def _surface_of(dataset):
        # the grid's own id arrays pass through as data; VTK's id arrays are not needed
        return dataset.extract_surface(
            pass_pointid=False, pass_cellid=False, algorithm="dataset_surface"
        )

    def centres(self) -> np.ndarray:
        """Cell centroids (computed on first use, then kept)."""
        if self._centres is None:
            self._centres = np.asarray(self.grid.cell_centers().points)
        return self._centres

    def clip(self, normal=None, origin=None):
        """Keep the cells whose centroid is behind the plane (n · (c - o) <= 0).

        Moves the plane when ``normal``/``origin`` are given, and returns :attr:`clipped`,
        refilled in place so that an actor drawing it stays valid.
        """
        if normal is not None:
            self.plane_normal = tuple(float(v) for v in normal)
        if origin is not None:
            self.plane_origin = tuple(float(v) for v in origin)
        side = (self.centres() - np.asarray(self.plane_origin)) @ np.asarray(self.plane_normal)
        kept = np.flatnonzero(side <= 0)
        part = self.grid.extract_cells(kept)
        self.clipped.shallow_copy(self._surface_of(part))
        return self.clipped

    def warp(self, displacement: np.ndarray | None) -> None:
        """Move every drawn piece's points to the rest shape plus ``displacement`` (n_points, 3)
        of the grid (a mode shape scaled); None puts them back at rest."""
        if not hasattr(self, "_rest"):
            self._rest = np.asarray(self.grid.points).copy()
        moved = self._rest if displacement is None else self._rest + displacement
        for dataset in self.pieces():
            if dataset.n_points:
                dataset.points = moved[np.asarray(dataset.point_data[POINT_IDS])]
                dataset.Modified()

    def pieces(self) -> tuple:
        """Every dataset that holds a copy of the shown array."""
        return (self.grid, self.surface, self.clipped)

    def write(self, association: str, values: np.ndarray, fresh: bool) -> None:
        """Put one frame into the grid and every drawn piece.

        ``fresh`` makes new arrays (the field, or its association, changed) and drops the other
        association's array so nothing stale can be coloured by; otherwise the arrays are
        overwritten in place, which is the fast path of a time step.
        """
        point = association == "point"
        for dataset in self.pieces():
            if dataset.n_points == 0:
                continue  # the clip before its first use
            data = dataset.point_data if point else dataset.cell_data
            ids = data[POINT_IDS if point else CELL_IDS]
            if fresh:
                dataset.point_data.pop(SHOWN, None)
                dataset.cell_data.pop(SHOWN, None)
                data[SHOWN] = np.asarray(values, float)[ids]
            else:
                data[SHOWN][:] = values[ids]
            dataset.Modified()
