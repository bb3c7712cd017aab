"""A structural model on a tetrahedral mesh: regions with materials, supports and masses on named
groups, assembled into the matrices of :class:`StructuralSystem`.

Supports are the *base*: in a base-excitation study every fixed degree of freedom and the far end
of every elastic support move with the shaker table. Groups are the mesh's named surface groups
and volume regions (a region's every node is fixed when a region is clamped). Masses of parts
that are not meshed (electronics, cables, a lid) are spread over a group: over a surface as a
consistent skin mass ∫ m/A N_i N_j dA, over a region as extra density, so the rigid-body mass and
the centre of mass of the added part are exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from cellwright.engines.mechanics.assembly import ElasticAssembler, expand_nodal
from cellwright.engines.mechanics.materials import ElasticMaterial
from cellwright.engines.mechanics.quadratic import QuadraticMesh

__all__ = ["StructuralModel", "StructuralSystem"]

_AXES = {"x": 0, "y": 1, "z": 2}


@dataclass
class StructuralSystem:
    """Assembled matrices (full, all 3n degrees of freedom) and what a solver needs besides."""

    mesh: QuadraticMesh
    stiffness: sp.csr_matrix
    mass: sp.csr_matrix
    fixed: np.ndarray  # bool per degree of freedom
    element_stiffness: np.ndarray  # (n_elements, 6, 6) Voigt, global axes
    element_region: np.ndarray  # index into region_names per element
    region_names: list[str]
    grad: np.ndarray
    supported: bool  # any fixed degree of freedom or elastic support
    warnings: list[str] = field(default_factory=list)

    @property
    def free(self) -> np.ndarray:
        """Indices of the free degrees of freedom."""
        return np.flatnonzero(~self.fixed)

    def reduced(self) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """K and M restricted to the free degrees of freedom."""
        f = self.free
        return self.stiffness[f][:, f].tocsr(), self.mass[f][:, f].tocsr()

    def rigid_translation(self, axis: int) -> np.ndarray:
        """Unit translation of every node along ``axis`` (0, 1, 2), all degrees of freedom."""
        r = np.zeros(self.stiffness.shape[0])
        r[axis::3] = 1.0
        return r

    @property
    def total_mass(self) -> float:
        """Mass of the model [kg] (added masses included)."""
        r = self.rigid_translation(0)
        return float(r @ (self.mass @ r))


class StructuralModel:
    """Mesh, regions and groups; add materials, supports and masses, then :meth:`build`.

    Parameters
    ----------
    points
        Vertex coordinates (n, 3) [m].
    tets
        Linear tetrahedra (m, 4); edge nodes are added (:class:`QuadraticMesh`).
    regions
        Region name -> indices of its tetrahedra.
    surfaces
        Surface group name -> triangles (k, 3) of vertex indices.
    """

    def __init__(self, points, tets, regions: dict[str, np.ndarray], surfaces=None) -> None:
        self.regions = {k: np.asarray(v, dtype=np.int64) for k, v in regions.items()}
        surfaces = {k: v for k, v in (surfaces or {}).items() if len(v)}
        self.mesh = QuadraticMesh.from_linear(points, tets, surfaces)
        self.assembler = ElasticAssembler(self.mesh)
        self.materials: dict[str, ElasticMaterial] = {}
        self._fixed: list[tuple[str, np.ndarray, str]] = []
        self._springs: list[tuple[str, tuple[float, float, float]]] = []
        self._masses: list[tuple[str, float]] = []
        #: nodes tied to faces (a jelly roll meshed finer than its can: fine_roll.SurfaceTies)
        self.surface_ties = None

    # -- groups ---------------------------------------------------------------------------------
    @property
    def groups(self) -> list[str]:
        """Every name a support or mass may refer to."""
        return sorted(set(self.regions) | set(self.mesh.surfaces))

    def group_nodes(self, group: str) -> np.ndarray:
        """Nodes (vertices and edge nodes) of a surface group or a volume region.

        Raises
        ------
        KeyError
            Naming the groups that exist.
        """
        if group in self.mesh.surfaces:
            return np.unique(self.mesh.surfaces[group])
        if group in self.regions:
            return np.unique(self.mesh.tet10[self.regions[group]])
        raise KeyError(f"no group {group!r}; groups: {', '.join(self.groups)}")

    def nodes_near(self, point, radius: float) -> np.ndarray:
        """Surface-independent node selection: every node within ``radius`` [m] of ``point``."""
        d = np.linalg.norm(self.mesh.points - np.asarray(point, dtype=float), axis=1)
        return np.flatnonzero(d <= radius)

    # -- set-up ---------------------------------------------------------------------------------
    def set_material(self, region: str, material: ElasticMaterial) -> None:
        """Assign a material to a region."""
        if region not in self.regions:
            raise KeyError(f"no region {region!r}; regions: {', '.join(sorted(self.regions))}")
        self.materials[region] = material

    def fix(self, group: str, components: str = "xyz", nodes: np.ndarray | None = None) -> None:
        """Fix displacement components of a group's nodes (or of given ``nodes``) to the base."""
        chosen = self.group_nodes(group) if nodes is None else np.asarray(nodes, dtype=np.int64)
        self._fixed.append((group, chosen, components))

    def spring(self, group: str, stiffness: tuple[float, float, float]) -> None:
        """An elastic support of a surface group to the base, [N/m^3] per component x, y, z."""
        if group not in self.mesh.surfaces:
            raise KeyError(
                f"elastic supports need a surface group, not {group!r}; surface groups: "
                + ", ".join(sorted(self.mesh.surfaces))
            )
        self._springs.append((group, stiffness))

    def add_mass(self, group: str, mass: float) -> None:
        """A mass [kg] of a part that is not meshed, spread over a surface group or region."""
        self.group_nodes(group)  # raises for an unknown group
        self._masses.append((group, mass))

    # -- assembly -------------------------------------------------------------------------------
    def _element_properties(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = self.mesh.tet10.shape[0]
        d = np.full((n, 6, 6), np.nan)
        rho = np.full(n, np.nan)
        region_of = np.full(n, -1, dtype=np.int64)
        centroids = self.mesh.points[self.mesh.tets].mean(axis=1)
        for k, (name, idx) in enumerate(self.regions.items()):
            if name not in self.materials:
                raise ValueError(f"mesh region {name!r} has no material")
            mat = self.materials[name]
            d[idx] = mat.global_stiffness(centroids[idx])
            rho[idx] = mat.density
            region_of[idx] = k
        if np.isnan(rho).any():
            raise ValueError(f"{int(np.isnan(rho).sum())} tetrahedra belong to no region")
        return d, rho, region_of

    def build(self) -> StructuralSystem:
        """Assemble K (with elastic supports) and M (with added masses)."""
        d, rho, region_of = self._element_properties()
        rho = rho.copy()
        nodal_extra = sp.csr_matrix((self.mesh.n_nodes, self.mesh.n_nodes))
        for group, mass in self._masses:
            if group in self.regions:
                idx = self.regions[group]
                rho[idx] += mass / self.assembler.volume[idx].sum()
            else:
                tri6 = self.mesh.surfaces[group]
                area = float(self.assembler.surface_weights(tri6).sum())
                nodal_extra = nodal_extra + self.assembler.surface_matrix(tri6, mass / area)
        stiffness = self.assembler.stiffness(d)
        for group, k in self._springs:
            nodal = self.assembler.surface_matrix(self.mesh.surfaces[group], 1.0)
            stiffness = stiffness + expand_nodal(nodal, k)
        mass = expand_nodal(self.assembler.nodal_mass(rho) + nodal_extra)
        fixed = np.zeros(3 * self.mesh.n_nodes, dtype=bool)
        for _, nodes, components in self._fixed:
            for c in components:
                fixed[3 * nodes + _AXES[c]] = True
        return StructuralSystem(
            mesh=self.mesh,
            stiffness=stiffness.tocsr(),
            mass=mass.tocsr(),
            fixed=fixed,
            element_stiffness=d,
            element_region=region_of,
            region_names=list(self.regions),
            grad=self.assembler.grad,
            supported=bool(fixed.any() or self._springs),
        )

    def free_parts(self) -> list[list[str]]:
        """Regions of every connected part that touches no support (it could fly away).

        A part is held if any of its nodes has a fixed component or lies on an elastic support.
        """
        from scipy.sparse.csgraph import connected_components

        a = self.assembler
        graph = sp.csr_matrix(
            (np.ones(a.indices.size), a.indices, a.indptr), shape=(a.n_nodes, a.n_nodes)
        )
        _, label = connected_components(graph, directed=False)
        held = np.zeros(label.max() + 1, dtype=bool)
        for _, nodes, _ in self._fixed:
            held[label[nodes]] = True
        for group, _ in self._springs:
            held[label[np.unique(self.mesh.surfaces[group])]] = True
        free = []
        element_label = label[self.mesh.tet10[:, 0]]
        for part in np.flatnonzero(~held):
            names = [n for n, idx in self.regions.items() if np.any(element_label[idx] == part)]
            free.append(names)
        return free
