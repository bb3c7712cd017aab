"""Primitives drawn onto the grid: which cell centres a rectangle, circle, polygon or image
covers. A cell belongs to a shape when its centre lies inside it (a staircase boundary, first
order in h for curved walls, as every Cartesian-grid method without cut cells)."""

from __future__ import annotations

import numpy as np

from cellwright.engines.cfd.flow2d_spec import ShapeSpec

__all__ = ["covered"]


def covered(shape: ShapeSpec, xc: np.ndarray, yc: np.ndarray, where: str) -> np.ndarray:
    """Boolean (nx, ny): cells whose centre ``(xc[i], yc[j])`` lies in ``shape``."""
    x, y = np.meshgrid(xc, yc, indexing="ij")
    if shape.kind == "rectangle":
        (x0, y0), (w, h) = shape.origin, shape.size
        return (x >= x0) & (x <= x0 + w) & (y >= y0) & (y <= y0 + h)
    if shape.kind == "circle":
        cx, cy = shape.center
        return (x - cx) ** 2 + (y - cy) ** 2 <= shape.radius**2
    if shape.kind == "polygon":
        return _inside_polygon(np.asarray(shape.points, float), x, y)
    return _image(shape, x, y, where)


def _inside_polygon(corners: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Even-odd rule: a point is inside when a ray to +x crosses the outline an odd number of
    times (Shimrat 1962, algorithm 112)."""
    inside = np.zeros(x.shape, bool)
    for (x1, y1), (x2, y2) in zip(corners, np.roll(corners, -1, axis=0), strict=True):
        straddles = (y1 > y) != (y2 > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            crossing = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
        inside ^= straddles & (x < crossing)
    return inside


def _image(shape: ShapeSpec, x: np.ndarray, y: np.ndarray, where: str) -> np.ndarray:
    from cellwright.engines.cfd.mask_image import read_mask_image

    grey = read_mask_image(shape.file, where)
    rows, cols = grey.shape
    (x0, y0), (w, h) = shape.origin, shape.size
    u, v = (x - x0) / w, (y - y0) / h
    inside = (u >= 0) & (u <= 1) & (v >= 0) & (v <= 1)
    col = np.clip((u * cols).astype(int), 0, cols - 1)
    row = np.clip(((1 - v) * rows).astype(int), 0, rows - 1)  # image rows run downwards
    return inside & (grey[row, col] < shape.threshold)
