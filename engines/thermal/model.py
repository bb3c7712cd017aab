"""A conduction model on a tetrahedral mesh: regions with materials, boundary conditions, sources.

Builds the :class:`cellwright.engines.thermal.solver.ThermalSystem` from the element matrices of
:mod:`cellwright.engines.thermal.fem`. Anisotropic conductivity is a tensor per element: given in
global axes, through-plane/in-plane about a normal (pouch and prismatic stacks), or
radial/hoop/axial about an axis (wound jelly rolls, whose radial direction changes with position).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from cellwright.engines.thermal import fem
from cellwright.engines.thermal.solver import ThermalSystem

__all__ = ["ConductionModel", "Material3D", "conductivity_tensors"]

Source = float | Callable[[float], float]


@dataclass(frozen=True)
class Material3D:
    """Thermal properties of a region.

    ``conductivity`` is a scalar (isotropic), three values (principal values along the global
    axes, or (through, in, in) for ``frame="normal"``, or (radial, hoop, axial) for
    ``frame="cylindrical"``), or a full 3x3 tensor in global axes.
    """

    conductivity: float | tuple[float, float, float] | np.ndarray
    density: float
    specific_heat: float
    frame: str = "global"  # "global" | "normal" | "cylindrical"
    axis: tuple[float, float, float] = (0.0, 0.0, 1.0)
    origin: tuple[float, float, float] = (0.0, 0.0, 0.0)


def _unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=float)
    return v / np.linalg.norm(v)


def conductivity_tensors(material: Material3D, centroids: np.ndarray) -> np.ndarray:
    """Conductivity tensor (n, 3, 3) at each element centroid."""
    n = centroids.shape[0]
    k = np.asarray(material.conductivity, dtype=float)
    if k.shape == (3, 3):
        return np.broadcast_to(k, (n, 3, 3)).copy()
    if k.ndim == 0:
        return np.broadcast_to(np.eye(3) * k, (n, 3, 3)).copy()
    if k.shape != (3,):
        raise ValueError(f"conductivity must be a scalar, 3 values or 3x3, got shape {k.shape}")
    if material.frame == "global":
        return np.broadcast_to(np.diag(k), (n, 3, 3)).copy()
    a = _unit(material.axis)
    axial = np.outer(a, a)
    if material.frame == "normal":  # k = (through, in-plane, in-plane) about the normal a
        return np.broadcast_to(k[0] * axial + k[1] * (np.eye(3) - axial), (n, 3, 3)).copy()
    if material.frame != "cylindrical":
        raise ValueError(f"unknown frame {material.frame!r}")
    rel = centroids - np.asarray(material.origin, dtype=float)
    radial = rel - np.outer(rel @ a, a)
    norm = np.linalg.norm(radial, axis=1, keepdims=True)
    # on the axis itself the radial direction is undefined; any perpendicular will do there
    fallback = _unit(np.cross(a, [1.0, 0.0, 0.0] if abs(a[0]) < 0.9 else [0.0, 1.0, 0.0]))
    er = np.where(norm > 1e-12, radial / np.maximum(norm, 1e-300), fallback)
    et = np.cross(a, er)
    return (
        k[0] * np.einsum("ni,nj->nij", er, er)
        + k[1] * np.einsum("ni,nj->nij", et, et)
        + k[2] * axial
    )


@dataclass
class _Boundary:
    kind: str  # "convection" | "flux" | "temperature"
    group: str
    a: float | np.ndarray  # h, flux or temperature: one value, or one per triangle
    b: float | np.ndarray = 0.0  # ambient temperature of a convection condition


@dataclass
class ConductionModel:
    """Mesh, regions and boundary groups; add materials, conditions and sources, then build.

    Parameters
    ----------
    points
        Node coordinates (n, 3) [m].
    tets
        Tetrahedra (m, 4).
    regions
        Region name -> indices of its tetrahedra.
    boundaries
        Boundary group name -> triangles (k, 3) on that group.
    """

    points: np.ndarray
    tets: np.ndarray
    regions: dict[str, np.ndarray]
    boundaries: dict[str, np.ndarray]
    materials: dict[str, Material3D] = field(default_factory=dict)
    conditions: list[_Boundary] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.geometry = fem.tet_geometry(self.points, self.tets)
        self.pattern = fem.Pattern(self.points.shape[0], self.tets)
        self.centroids = self.points[self.tets].mean(axis=1)

    # -- set-up -------------------------------------------------------------------------------
    def set_material(self, region: str, material: Material3D) -> None:
        """Assign a material to a region."""
        self._need(region, self.regions, "region")
        self.materials[region] = material

    def convection(self, group: str, h: float, ambient: float) -> None:
        """Convection q'' = h (T_inf - T) on a boundary group [W/(m^2 K)], [K]."""
        self._need(group, self.boundaries, "boundary group")
        self.conditions.append(_Boundary("convection", group, h, ambient))

    def convection_field(self, group: str, h: np.ndarray, ambient: np.ndarray) -> None:
        """Convection with h and T_inf given per triangle of the group (a coolant that warms
        along its channel) [W/(m^2 K)], [K]."""
        self._need(group, self.boundaries, "boundary group")
        count = self.boundaries[group].shape[0]
        h, ambient = np.asarray(h, float), np.asarray(ambient, float)
        if h.shape != (count,) or ambient.shape != (count,):
            raise ValueError(f"group {group!r} has {count} triangles: give h and ambient for each")
        self.conditions.append(_Boundary("convection", group, h, ambient))

    def heat_flux(self, group: str, flux: float) -> None:
        """A heat flux into the body on a boundary group [W/m^2]."""
        self._need(group, self.boundaries, "boundary group")
        self.conditions.append(_Boundary("flux", group, flux))

    def fixed_temperature(self, group: str, temperature: float) -> None:
        """A fixed temperature on a boundary group [K]."""
        self._need(group, self.boundaries, "boundary group")
        self.conditions.append(_Boundary("temperature", group, temperature))

    def heat_source(self, region: str, power_density: Source) -> None:
        """Volumetric heat [W/m^3] in a region: a constant or a function of time."""
        self._need(region, self.regions, "region")
        self.sources[region] = power_density

    @staticmethod
    def _need(name: str, where: dict, what: str) -> None:
        if name not in where:
            raise KeyError(f"no {what} {name!r}; known: {', '.join(sorted(where))}")

    # -- assembly -----------------------------------------------------------------------------
    def _properties(self) -> tuple[np.ndarray, np.ndarray]:
        n = self.tets.shape[0]
        k = np.full((n, 3, 3), np.nan)
        rho_c = np.full(n, np.nan)
        for region, idx in self.regions.items():
            if region not in self.materials:
                raise ValueError(f"mesh region {region!r} has no material")
            mat = self.materials[region]
            k[idx] = conductivity_tensors(mat, self.centroids[idx])
            rho_c[idx] = mat.density * mat.specific_heat
        if np.isnan(rho_c).any():
            raise ValueError(f"{int(np.isnan(rho_c).sum())} tetrahedra belong to no region")
        return k, rho_c

    def build(self) -> ThermalSystem:
        """Assemble M, K + H and the load function."""
        n = self.points.shape[0]
        k, rho_c = self._properties()
        stiffness = self.pattern.matrix(fem.stiffness_values(self.geometry, k))
        mass = self.pattern.matrix(fem.mass_values(self.geometry, rho_c))
        static_load = np.zeros(n)
        fixed: dict[int, float] = {}
        for bc in self.conditions:
            tris = self.boundaries[bc.group]
            tri = fem.tri_geometry(self.points, tris)
            ones = np.ones(tris.shape[0])
            if bc.kind == "convection":
                stiffness = stiffness + fem.robin_matrix(n, tris, tri, bc.a * ones)
                static_load += fem.surface_load(n, tris, tri, bc.a * bc.b * ones)
            elif bc.kind == "flux":
                static_load += fem.surface_load(n, tris, tri, bc.a * ones)
            else:
                fixed.update(dict.fromkeys(np.unique(tris).tolist(), bc.a))
        region_loads = {
            r: fem.load_vector(
                n,
                self.tets[idx],
                self.geometry.__class__(self.geometry.volume[idx], self.geometry.grad[idx]),
                np.ones(idx.size),
            )
            for r, idx in self.regions.items()
            if r in self.sources
        }
        sources = dict(self.sources)

        def load(t: float) -> np.ndarray:
            total = static_load.copy()
            for region, unit_load in region_loads.items():
                q = sources[region]
                total += unit_load * (q(t) if callable(q) else q)
            return total

        nodes = np.fromiter(fixed.keys(), dtype=np.int64, count=len(fixed))
        values = np.fromiter(fixed.values(), dtype=float, count=len(fixed))
        return ThermalSystem(mass.tocsr(), stiffness.tocsr(), load, nodes, values)
