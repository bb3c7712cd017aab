"""Primitives drawn onto the grid: which cell centres a rectangle, circle, polygon or image
covers. A cell belongs to a shape when its centre lies inside it (a staircase boundary, first
order in h for curved walls, as every Cartesian-grid method without cut cells)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cellwright.engines.cfd.flow2d_spec import ShapeSpec
from cellwright.projects.model import InputError

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
    grey = read_mask_image(shape.file, where)
    rows, cols = grey.shape
    (x0, y0), (w, h) = shape.origin, shape.size
    u, v = (x - x0) / w, (y - y0) / h
    inside = (u >= 0) & (u <= 1) & (v >= 0) & (v <= 1)
    col = np.clip((u * cols).astype(int), 0, cols - 1)
    row = np.clip(((1 - v) * rows).astype(int), 0, rows - 1)  # image rows run downwards
    return inside & (grey[row, col] < shape.threshold)


def read_mask_image(path: str, where: str) -> np.ndarray:
    """Grey levels 0..1 (rows top to bottom) of a PNG, PNM (PBM/PGM/PPM) or BMP image."""
    from cellwright.projects.userfiles import read_bytes

    data = read_bytes(path, "mask image")
    suffix = Path(path).suffix.lower()
    readers = {
        ".png": "vtkPNGReader",
        ".pnm": "vtkPNMReader",
        ".pgm": "vtkPNMReader",
        ".pbm": "vtkPNMReader",
        ".ppm": "vtkPNMReader",
        ".bmp": "vtkBMPReader",
    }
    if suffix not in readers:
        raise InputError(f"mask image {path}: use PNG, PNM/PGM/PBM or BMP, not {suffix!r}", where)
    from vtkmodules import vtkIOImage
    from vtkmodules.util.numpy_support import vtk_to_numpy

    reader = getattr(vtkIOImage, readers[suffix])()
    reader.SetMemoryBuffer(data)
    reader.SetMemoryBufferLength(len(data))
    reader.Update()
    image = reader.GetOutput()
    scalars = image.GetPointData().GetScalars()
    nx, ny, _ = image.GetDimensions()
    if scalars is None or nx * ny == 0:
        raise InputError(f"mask image {path}: no pixels could be read", where)
    pixels = vtk_to_numpy(scalars).reshape(ny, nx, -1).astype(float)
    top = max(float(pixels.max()), 1.0)
    grey = pixels[..., :3].mean(axis=2) / (255.0 if top > 1 else 1.0)
    return grey[::-1]  # VTK stores the bottom row first
