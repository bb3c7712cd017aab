"""The assembled nonlinear problem of a crush study: materials per element, supports, indenters.

:class:`CrushModel` holds what does not change during a run (mesh, element materials, material
axes, fixed degrees of freedom, skin nodes and their areas, indenters); :meth:`CrushModel.evaluate`
gives the residual, tangent and contact results for a displacement field and indenter travel.
Rigid-body motions that nothing holds yet (a cell only resting on a plate, before friction
grips it) are held by weak springs to the reference position, of 1e-8 of the mean diagonal
stiffness (the "automatic stabilisation" of implicit codes); their energy is reported so that
it can be seen to stay negligible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from cellwright.engines.mechanics.assembly import ElasticAssembler
from cellwright.engines.mechanics.constitutive import P_RATE_DT, STATE_SIZE
from cellwright.engines.mechanics.contact import Indenter, contact_forces
from cellwright.engines.mechanics.crush_ties import EdgeTies
from cellwright.engines.mechanics.kernels import csr_positions
from cellwright.engines.mechanics.nonlinear import ElementParts, internal_forces
from cellwright.engines.mechanics.quadratic import QuadraticMesh

if TYPE_CHECKING:
    from collections.abc import Callable

    from cellwright.engines.mechanics.fine_roll import SurfaceTies

__all__ = ["ContactState", "Coupling", "CrushModel", "Evaluation"]

STABILISATION = 1e-8

#: the contact tangent's non-symmetric blocks c nᵀ: (first dof of each node, c (m, 3), n (m, 3))
Coupling = tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass
class ContactState:
    """Tangential tractions (k, 3) of one indenter's pairs at the last converged step."""

    traction: np.ndarray


@dataclass
class Evaluation:
    """Residual (free dofs zeroed), tangent, states and contact results at one iterate."""

    residual: np.ndarray
    tangent: sp.csr_matrix | None
    worst_det: float
    state: np.ndarray
    stress: np.ndarray
    strain: np.ndarray
    forces: list[float]
    penalty_energy: list[float]
    tangential_work: list[float]
    tractions: list[np.ndarray]
    gaps: list[np.ndarray]
    internal: np.ndarray
    viscous: np.ndarray | None = None  # the viscous stabilisation's force (None: none)
    #: the contact's :data:`Coupling` (from
    #: :func:`~cellwright.engines.mechanics.contact.contact_forces`); None: none
    coupling: Coupling | None = None


@dataclass
class CrushModel:
    """Mesh, element materials and axes, supports, indenters and contact parameters."""

    mesh: QuadraticMesh
    material: np.ndarray  # material row per element
    params: np.ndarray  # (n_materials, params_size())
    curve_x: np.ndarray
    curve_y: np.ndarray
    axes: np.ndarray  # (n_el, 3, 3) material axes per element
    fixed: np.ndarray  # bool per dof
    indenters: list[Indenter]
    skin_nodes: np.ndarray
    skin_area: np.ndarray  # all adjacent faces' shares (the scale of a node's force)
    skin_ptr: np.ndarray  # per skin node, its faces in skin_shares / skin_normals (CSR)
    skin_shares: np.ndarray
    skin_normals: np.ndarray
    skin_faces: np.ndarray  # the skin's 6-node triangles as indices into skin_nodes
    skin_face_normals: np.ndarray  # their outward unit normals (reference configuration)
    skin_face_area: np.ndarray
    penalty: float  # normal penalty [Pa/m]
    region_of: np.ndarray  # region index per element
    region_names: list[str]
    material_names: list[str] = field(default_factory=list)
    #: elements made linear (bool per element; :mod:`~cellwright.engines.mechanics.crush_ties`)
    linear: np.ndarray | None = None
    #: nodes tied to faces (a jelly roll meshed finer than its can:
    #: :class:`~cellwright.engines.mechanics.fine_roll.SurfaceTies`); needs ``linear``
    surface_ties: SurfaceTies | None = None
    assembler: ElasticAssembler = field(init=False)
    ties: EdgeTies | None = field(init=False, default=None)
    stabilisation: float = field(init=False, default=0.0)
    near_gap: float = field(init=False, default=0.0)
    elastic_slip: float = field(init=False, default=0.0)
    #: viscous stabilisation c·m*ᵢ per dof [N] (0: none); its force is c m* Δu / Δs over a step
    #: of travel Δs (Abaqus' automatic stabilisation, see :meth:`evaluate`)
    viscosity: np.ndarray | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.assembler = ElasticAssembler(self.mesh)
        # elements whose six edge nodes are all tied are 4-node tetrahedra: one material point
        # each (nonlinear._element_pass); transition elements along the can keep four
        self._one_point = np.zeros(self.mesh.tet10.shape[0], dtype=np.uint8)
        if self.linear is not None and np.any(self.linear):
            faces = self.surface_ties
            self.ties = EdgeTies.of(
                self.mesh.tet10, self.linear, self.mesh.n_nodes,
                None if faces is None else (faces.nodes, faces.parents, faces.weights),
            )  # fmt: skip
            tied = np.zeros(self.mesh.n_nodes, dtype=bool)
            tied[self.ties.tied] = True
            self._one_point[tied[self.mesh.tet10[:, 4:]].all(axis=1)] = 1
        diag = np.einsum("nij,nij->n", self.params[:, 12:48].reshape(-1, 6, 6)[:, :3, :3],
                         np.broadcast_to(np.eye(3), (self.params.shape[0], 3, 3)))  # fmt: skip
        stiff = float(np.max(diag)) / 3.0 * float(np.mean(np.cbrt(self.assembler.volume)))
        self.stabilisation = STABILISATION * stiff
        size = float(np.mean(np.cbrt(self.assembler.volume)))
        self.near_gap = 1e-3 * size
        self.elastic_slip = 5e-3 * size  # Abaqus' default share of the element length
        self._parts = ElementParts.of(self.mesh.points, self.mesh.tet10)
        self.set_pattern()

    def set_pattern(self) -> None:
        """Lay out the tangent's sparsity for the elements' current point rules (``_one_point``):
        the block pattern, the CSR it is gathered into and the places of the diagonal, held and
        contact entries in it."""
        n = self.n_dofs
        self._indptr, self._indices, self._scatter = self._block_pattern()
        # the block data's position of every CSR entry (numbered from 1: tocsr keeps no zeros),
        # so each tangent is one gather into this fixed pattern instead of a BSR conversion
        numbers = np.arange(1, self._indices.size * 9 + 1, dtype=float)
        csr = sp.bsr_matrix(
            (numbers.reshape(-1, 3, 3), self._indices, self._indptr), shape=(n, n)
        ).tocsr()
        csr.sort_indices()
        self._gather = csr.data.astype(np.int64) - 1
        csr.data[:] = 0.0
        self._rows = np.repeat(np.arange(n), np.diff(csr.indptr))
        self._cols = csr.indices.copy()
        self._pattern = csr
        self._fixed_entries = self.fixed[self._rows] | self.fixed[self._cols]
        self._diag_entries = np.flatnonzero(self._rows == self._cols)
        nodes = self.skin_nodes
        self._skin_entries = np.empty((nodes.size, 3, 3), dtype=np.int64)
        for r in range(3):
            for c in range(3):
                self._skin_entries[:, r, c] = self._entry(3 * nodes + r, 3 * nodes + c)

    def hold(self, nodes: np.ndarray) -> None:
        """Take ``nodes`` out of the problem where they stand: their displacements are held and
        they no longer meet the indenters.

        For the nodes of fractured elements that no intact element holds any more (element
        deletion, as explicit and implicit crash codes erode failed elements): left free, such
        a node is held by nothing but the 1e-6 stiffness a failed point keeps, and one inside an
        indenter's contact band is pushed back and forth by the penalty at every Newton
        iteration (the 6061 bar under the rod: every iteration's largest residual sat on one
        such node, until the step could not converge even at the minimum size).
        """
        nodes = np.asarray(nodes, dtype=np.int64)
        if nodes.size == 0:
            return
        self.fixed[(3 * nodes[:, None] + np.arange(3)).ravel()] = True
        self._fixed_entries = self.fixed[self._rows] | self.fixed[self._cols]
        held = np.flatnonzero(np.isin(self.skin_nodes, nodes))
        for k in held:  # no facing share: the contact passes them by (contact_forces)
            self.skin_shares[self.skin_ptr[k] : self.skin_ptr[k + 1]] = 0.0

    @property
    def n_dofs(self) -> int:
        """Three displacement components per node."""
        return 3 * self.mesh.n_nodes

    @property
    def one_point(self) -> np.ndarray:
        """Per element, whether it is a 4-node tetrahedron evaluated at one point, whose four
        stored points are copies of that one (bool)."""
        return self._one_point.astype(bool)

    @property
    def n_unknowns(self) -> int:
        """The unknowns of the system that is solved: the dofs less those of tied edge nodes."""
        return self.n_dofs if self.ties is None else self.ties.n_unknowns

    def condense(self, force: np.ndarray) -> np.ndarray:
        """A nodal force as the untied unknowns feel it (a tied node's share on its edge's
        ends; :meth:`EdgeTies.condense`); unchanged without ties."""
        return force if self.ties is None else self.ties.condense(force)

    def system(self, tangent: sp.csr_matrix) -> sp.csr_matrix:
        """The matrix to factorise for ``tangent``: Tᵀ K T with ties, else K itself."""
        if self.ties is None:
            return tangent
        return self.ties.reduce(tangent, self.fixed)

    def correction(self, factor, residual: np.ndarray,
                   coupling: Coupling | None = None) -> np.ndarray:  # fmt: skip
        """The full-size Newton correction −(K + Σ c nᵀ)⁻¹ r of ``factor`` (of :meth:`system`)
        and an evaluation's contact ``coupling`` (:attr:`Evaluation.coupling`, solved by
        :meth:`TangentFactor.solve` with the symmetric factor as preconditioner); the held dofs
        do not move and tied nodes follow their edges."""
        extra = None if coupling is None else self._coupled(coupling)
        if self.ties is None:
            du = -factor.solve(residual, extra)
        else:
            dv = -factor.solve(residual[self.ties.dofs], extra)
            dv[self.fixed[self.ties.dofs]] = 0.0
            du = self.ties.expand(dv)
        du[self.fixed] = 0.0
        return du

    def _coupled(self, coupling: Coupling) -> Callable[[np.ndarray], np.ndarray]:
        """v ↦ Tᵀ C T v for the contact's non-symmetric blocks C (held dofs out), on the
        unknowns of :meth:`system`."""
        first, c, n = coupling
        where = first[:, None] + np.arange(3)
        ties = self.ties
        held = self.fixed if ties is None else self.fixed[ties.dofs]

        def product(v: np.ndarray) -> np.ndarray:
            v = np.where(held, 0.0, v)
            full = v if ties is None else ties.expand(v)
            y = np.zeros(self.n_dofs)
            np.add.at(y, where, c * np.einsum("ij,ij->i", n, full[where])[:, None])
            y[self.fixed] = 0.0
            out = y if ties is None else ties.tt @ y
            out[held] = 0.0
            return out

        return product

    def stabilise(self, factor: float, reference_step: float) -> None:
        """Viscous stabilisation: a force c m*ᵢ Δuᵢ / Δs on every free dof over a step of travel
        Δs, m*ᵢ the node's share of the volume (Abaqus' automatic stabilisation, with travel
        for time: Abaqus Analysis User's Guide §7.1.1, F_v = c M* v, M* of unit density).

        c is set so that a step of ``reference_step`` adds ``factor`` × the mean diagonal
        stiffness to a node of mean volume: the smaller a step, the more the dampers hold back
        a sudden jump (a tearing plate letting go), while a steady path barely feels them.
        """
        nodal = np.zeros(self.mesh.n_nodes)
        np.add.at(nodal, self.mesh.tet10, np.repeat(self.assembler.volume[:, None] / 10, 10, 1))
        share = np.repeat(nodal / nodal[nodal > 0].mean(), 3)
        stiff = self.stabilisation / STABILISATION
        viscosity = factor * stiff * reference_step * share
        viscosity[self.fixed] = 0.0
        self.viscosity = viscosity if factor > 0 else None

    def set_step_time(self, seconds: float) -> None:
        """The time the next load step takes: the metals' rate hardening reads the plastic strain
        rate over it (:func:`~cellwright.engines.mechanics.constitutive.flow_stress`); 0 leaves
        every material rate-independent."""
        self.params[:, P_RATE_DT] = seconds

    def initial_state(self) -> np.ndarray:
        """Material states of an unloaded part (n_el, 4, STATE_SIZE)."""
        return np.zeros((self.mesh.tet10.shape[0], 4, STATE_SIZE))

    def _tangent(self, data: np.ndarray, extra: list[tuple[np.ndarray, np.ndarray]],
                 damping: np.ndarray | None = None):  # fmt: skip
        """CSR tangent with the contact blocks, stabilisation and identity rows of fixed dofs."""
        n = self.n_dofs
        p = self._pattern
        csr = sp.csr_matrix((data.reshape(-1)[self._gather], p.indices, p.indptr), shape=(n, n))
        csr.has_sorted_indices = True  # the pattern's arrays, shared by every tangent of the run
        vals = csr.data
        for active, blocks in extra:
            vals[self._skin_entries[active]] += blocks
        vals[self._diag_entries] += self.stabilisation
        if damping is not None:
            vals[self._diag_entries] += damping[self._rows[self._diag_entries]]
        vals[self._fixed_entries] = 0.0
        fixed_diag = self._diag_entries[self.fixed[self._rows[self._diag_entries]]]
        vals[fixed_diag] = 1.0
        return csr

    def _block_pattern(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The node-block pattern (indptr, indices) of the tangent and each element entry's
        place in it (``scatter``, n_el × 100), holding only the blocks a tangent can fill.

        Those are the node pairs an element fills (a 4-node element's vertex pairs only:
        :func:`~cellwright.engines.mechanics.nonlinear.internal_forces`) and every node's own
        block (contact, stabilisation, held dofs). The quadratic mesh's pattern also pairs a
        4-node element's tied edge nodes with one another: on a roll of 45.7k such elements
        that was 82 % of the 18.1M entries, gathered, zeroed and mapped out for Tᵀ K T at
        every tangent for nothing. A pair left out has scatter −1, never read.
        """
        a = self.assembler
        one = self.one_point
        if not one.any():
            return a.indptr, a.indices, a.scatter
        scatter = a.scatter.reshape(-1, 10, 10)
        live = np.zeros(a.indices.size, dtype=bool)
        live[scatter[~one].ravel()] = True
        live[scatter[one][:, :4, :4].ravel()] = True
        live[scatter[:, np.arange(10), np.arange(10)].ravel()] = True
        renumber = np.cumsum(live) - 1
        rows = np.repeat(np.arange(a.indptr.size - 1), np.diff(a.indptr))
        indptr = np.zeros_like(a.indptr)
        np.cumsum(np.bincount(rows[live], minlength=indptr.size - 1), out=indptr[1:])
        compact = np.where(live[a.scatter], renumber[a.scatter], -1).astype(a.scatter.dtype)
        return indptr, a.indices[live], compact

    def _entry(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Positions of (row, col) pairs in the CSR data of the pattern."""
        out = np.empty(rows.size, dtype=np.int64)
        csr_positions(self._pattern.indptr, self._pattern.indices, rows, cols, out)
        return out

    def contact_pressure(self, u: np.ndarray, travel: float, gaps: list[np.ndarray]) -> np.ndarray:
        """The recovered contact pressure of every skin node at a state (the largest of the
        indenters'): :func:`~cellwright.engines.mechanics.contact.recovered_pressures`."""
        from cellwright.engines.mechanics.contact import (
            indenter_normals,
            recovered_pressures,
            smoothed_pressures,
        )

        nodes = self.skin_nodes
        x = self.mesh.points[nodes] + u.reshape(-1, 3)[nodes]
        out = np.zeros(nodes.size)
        for ind, g in zip(self.indenters, gaps, strict=True):
            p = smoothed_pressures(self.penalty, self.near_gap, g)
            if not p.any():
                continue
            n = indenter_normals(ind.params(), travel if ind.moving else 0.0, x)
            rec = recovered_pressures(self.skin_faces, self.skin_face_normals,
                                      self.skin_face_area, p, n)  # fmt: skip
            np.maximum(out, rec, out=out)
        return out

    def evaluate(
        self,
        u: np.ndarray,
        travel: float,
        travel_old: float,
        u_old: np.ndarray,
        state: np.ndarray,
        contacts: list[ContactState],
        with_tangent: bool = True,
    ) -> Evaluation:
        """Residual f_int + k_s u − f_contact on the free dofs, and the tangent if asked."""
        a = self.assembler
        new_state = np.empty_like(state)
        stress = np.zeros((*state.shape[:2], 6))
        strain = np.zeros_like(stress)
        fint, data, worst = internal_forces(
            self._parts, self.mesh.tet10, a.grad, a.volume, u, self.material, self.params,
            self.curve_x, self.curve_y, self.axes, state, new_state, stress, strain,
            self._scatter, int(self._indices.size), with_tangent, self._one_point,
        )  # fmt: skip
        residual = fint + self.stabilisation * u
        damping = viscous = None
        if self.viscosity is not None and travel > travel_old:
            damping = self.viscosity / (travel - travel_old)
            viscous = damping * (u - u_old)
            residual += viscous
        x0 = self.mesh.points
        extra, forces, energies, works, tractions, gaps = [], [], [], [], [], []
        couplings = []
        k = self.skin_nodes.size
        for ind, cs in zip(self.indenters, contacts, strict=True):
            shift = travel if ind.moving else 0.0
            shift_old = travel_old if ind.moving else 0.0
            t_new = np.zeros((k, 3))
            blocks = np.zeros((k, 3, 3))
            g = np.zeros(k)
            coupling = np.zeros((k, 2, 3))
            fc, force, energy, work = contact_forces(
                ind.params(), shift, shift_old, self.skin_nodes, self.skin_ptr, self.skin_shares,
                self.skin_normals, x0, u, u_old,
                cs.traction, self.penalty, self.elastic_slip, ind.friction, t_new, blocks, g,
                self.near_gap, coupling,
            )  # fmt: skip
            residual -= fc
            active = g < self.near_gap
            extra.append((active, blocks[active]))
            coupled = np.flatnonzero(np.any(coupling[:, 0] != 0.0, axis=1))
            if coupled.size:
                couplings.append((3 * self.skin_nodes[coupled], coupling[coupled]))
            forces.append(force)
            energies.append(energy)
            works.append(work)
            tractions.append(t_new)
            gaps.append(g)
        residual[self.fixed] = 0.0
        if self.ties is not None:  # the untied unknowns' residual (tied nodes' forces shared)
            residual = self.ties.condense(residual)
            residual[self.fixed] = 0.0
            fint = self.ties.condense(fint)
            if viscous is not None:
                viscous = self.ties.condense(viscous)
        tangent = self._tangent(data, extra, damping) if with_tangent else None
        coupled = None
        if couplings:
            both = np.concatenate([c for _, c in couplings])
            coupled = (np.concatenate([d for d, _ in couplings]), both[:, 0], both[:, 1])
        return Evaluation(residual, tangent, worst, new_state, stress, strain, forces, energies,
                          works, tractions, gaps, fint, viscous, coupled)  # fmt: skip
