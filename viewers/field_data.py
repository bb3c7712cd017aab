"""What the FieldViewer draws, without Qt: meshes as pyvista grids, frames of a field at one
time step and component, colour ranges, and the nearest mesh entity to a probe point.

pyvista is imported inside the functions that need it, so importing this module stays cheap.
"""

from __future__ import annotations

import numpy as np

from cellwright.projects.model import FieldData, InputError, MeshData

__all__ = [
    "COMPONENTS",
    "PROBE_UNITS",
    "FieldFrames",
    "check_field",
    "components_of",
    "is_software_renderer",
    "parse_point",
    "to_pyvista",
]

# meshio cell type -> VTK cell type id (vtkCellType.h)
_VTK_TYPES = {
    "vertex": 1,
    "line": 3,
    "triangle": 5,
    "quad": 9,
    "tetra": 10,
    "hexahedron": 12,
    "wedge": 13,
    "pyramid": 14,
    "tetra10": 24,
}
COMPONENTS = ("magnitude", "x", "y", "z")


def to_pyvista(mesh: MeshData, where: str = "mesh"):
    """A pyvista UnstructuredGrid of a :class:`MeshData`; cells keep the order of the blocks."""
    import pyvista as pv

    cells, types = [], []
    for kind, conn in mesh.cells.items():
        if kind not in _VTK_TYPES:
            raise InputError(
                f"cell type {kind!r} cannot be shown; known types: {sorted(_VTK_TYPES)}", where
            )
        n, k = conn.shape
        if n and (conn.min() < 0 or conn.max() >= mesh.n_points):
            raise InputError(f"{kind} cells refer to points outside 0..{mesh.n_points - 1}", where)
        cells.append(np.hstack([np.full((n, 1), k, dtype=np.int64), conn]).ravel())
        types.append(np.full(n, _VTK_TYPES[kind], dtype=np.uint8))
    if not cells:
        raise InputError("the mesh has no cells to draw", where)
    return pv.UnstructuredGrid(np.concatenate(cells), np.concatenate(types), mesh.points)


def check_field(field: FieldData, mesh: MeshData) -> None:
    """Raise :class:`InputError` unless ``field`` has one value per point (or cell) of ``mesh``."""
    expected = mesh.n_points if field.association == "point" else mesh.n_cells
    if field.values.shape[1] != expected:
        raise InputError(
            f"has {field.values.shape[1]} values per time step but mesh {field.mesh!r} has "
            f"{expected} {field.association}s",
            where=f"field {field.name!r}",
        )
    if field.values.ndim == 3 and not 1 <= field.values.shape[2] <= 3:
        raise InputError(
            f"vectors need 1 to 3 components, got {field.values.shape[2]}",
            where=f"field {field.name!r}",
        )


def components_of(field: FieldData) -> list[str]:
    """The component choices of a field: none for scalars, magnitude and x, y[, z] for vectors."""
    if field.values.ndim == 2:
        return []
    return list(COMPONENTS[: field.values.shape[2] + 1])


#: the lengths a probe point may be typed in, and the metres in one of each
PROBE_UNITS = {"m": 1.0, "mm": 1e-3}


def parse_point(text: str, unit: str = "m") -> tuple[float, float, float]:
    """``"0.01, 0, 0.035"`` (commas or spaces) typed in ``unit`` -> a point in metres.

    Parameters
    ----------
    text
        Three numbers x, y, z.
    unit
        What they are in: "m", or "mm" for a mechanical study's view (its lengths read mm).

    Raises
    ------
    InputError
        ``text`` is not three finite numbers.
    """
    parts = text.replace(",", " ").split()
    said = "metres" if unit == "m" else unit
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise InputError(
            f"{text!r} is not three numbers x, y, z in {said}", where="probe point"
        ) from None
    if len(values) != 3 or not all(np.isfinite(values)):
        raise InputError(f"{text!r} is not three numbers x, y, z in {said}", where="probe point")
    scale = PROBE_UNITS[unit]
    return tuple(scale * v for v in values)  # type: ignore[return-value]


#: whole-run span / one step's spread above which the colours follow the step: a step that
#: fills less than half of the run's range is drawn in a few shades of the whole-run scale
STEP_RANGE_RATIO = 2.0


class FieldFrames:
    """One field's frames (time step, component) and its colour ranges, cached per component.

    Parameters
    ----------
    field
        The stored field (SI).
    shown
        ``(name, factor)``: the name the field is shown under and the factor from its stored
        values to the shown ones (a crush's "Displacement [mm]", 1000); frames, histories and
        ranges are all in the shown unit. The stored name and values when omitted.
    offset
        What is subtracted from the scaled values: 273.15 for a temperature shown in °C
        ("Temperature [°C]" as ``shown``; :func:`cellwright.projects.readable.celsius_shown`).
    """

    def __init__(self, field: FieldData, shown: tuple[str, float] | None = None,
                 offset: float = 0.0) -> None:  # fmt: skip
        self.field = field
        self.shown_name, self.factor = shown if shown is not None else (field.name, 1.0)
        self.offset = offset
        self._ranges: dict[str, tuple[float, float]] = {}

    def frame(self, index: int, component: str = "magnitude") -> np.ndarray:
        """The scalar values at time index ``index``; vectors reduced to ``component``."""
        values = self.field.values[index]
        if values.ndim == 1:
            shown = values
        elif component == "magnitude":
            shown = np.sqrt(np.einsum("ij,ij->i", values, values))
        else:
            shown = values[:, COMPONENTS.index(component) - 1]
        if self.factor != 1.0:
            shown = shown * self.factor
        return shown - self.offset if self.offset else shown

    def history(self, entity: int, component: str = "magnitude") -> np.ndarray:
        """The value of one point (or cell) at every time step."""
        values = self.field.values[:, entity]
        if values.ndim == 1:
            shown = values.copy()
        elif component == "magnitude":
            shown = np.linalg.norm(values, axis=1)
        else:
            shown = values[:, COMPONENTS.index(component) - 1].copy()
        return shown * self.factor - self.offset

    def step_range(self, index: int, component: str = "magnitude") -> tuple[float, float]:
        """Lowest and highest value at time step ``index`` (never an empty interval)."""
        frame = self.frame(index, component)
        lo, hi = float(np.nanmin(frame)), float(np.nanmax(frame))
        if not (np.isfinite(lo) and np.isfinite(hi)):
            return 0.0, 1.0
        if hi <= lo:
            pad = abs(lo) * 1e-6 or 1e-9
            lo, hi = lo - pad, hi + pad
        return lo, hi

    def prefers_step_range(self, index: int, component: str = "magnitude") -> bool:
        """True when the whole run spans more than :data:`STEP_RANGE_RATIO` times the spread
        at step ``index``: on the whole run's scale that step would be one flat colour (a
        runaway's 290–1165 K against a few kelvin across the cell before it)."""
        lo, hi = self.value_range(component)
        s_lo, s_hi = self.step_range(index, component)
        return (hi - lo) > STEP_RANGE_RATIO * (s_hi - s_lo)

    def value_range(self, component: str = "magnitude") -> tuple[float, float]:
        """Lowest and highest value over all time steps (never an empty interval)."""
        key = component if self.field.values.ndim == 3 else ""
        if key not in self._ranges:
            lo, hi = np.inf, -np.inf
            for k in range(self.field.times.size):  # frame by frame: no full-size temporary
                frame = self.frame(k, component)
                lo, hi = min(lo, float(np.nanmin(frame))), max(hi, float(np.nanmax(frame)))
            if not np.isfinite(lo):
                lo, hi = 0.0, 1.0
            if hi <= lo:
                pad = abs(lo) * 1e-6 or 1e-9
                lo, hi = lo - pad, hi + pad
            self._ranges[key] = (lo, hi)
        return self._ranges[key]


_SOFTWARE_RENDERERS = ("llvmpipe", "softpipe", "swrast", "software rasterizer")


def is_software_renderer(capabilities: str) -> bool:
    """Whether VTK's capability report names a CPU OpenGL rasteriser."""
    for line in capabilities.lower().splitlines():
        if "renderer string" in line:
            return any(name in line for name in _SOFTWARE_RENDERERS)
    return False
