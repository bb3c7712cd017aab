"""Bringing a crush study's indenters to the part and checking, before solving, that they
reach it: a tip placed beside the part, above it beyond the travel, between the skin's nodes
(a nail's sharp point meets a node only with its flank), inside it, or pressing only on held
nodes is refused or warned of with what to change."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cellwright.projects.model import InputError

if TYPE_CHECKING:
    from cellwright.engines.mechanics.crush_model import CrushModel
    from cellwright.engines.mechanics.crush_run import CrushRun

__all__ = ["bring_into_contact", "check_reach"]


def check_reach(run: CrushRun) -> None:
    """An indenter that never meets the part within the travel is refused before solving."""
    from cellwright.engines.mechanics.contact import indenter_gaps

    ind = run.model.indenters[0]
    par = ind.params()
    pts = run.model.mesh.points[run.model.skin_nodes]
    gaps = indenter_gaps(par, run.max_travel, pts)
    start = indenter_gaps(par, 0.0, pts).min()
    # a sharp tip set on the skin between nodes meets the first node only with its flank
    between = ind.kind == "nail" and start > max(2 * run.model.near_gap,
                                                 0.02 * run.max_travel)  # fmt: skip
    beside = _beside(ind, pts)
    if between and not beside:
        # between the nodes only if its axis meets the skin within the travel; a nail set
        # 10 mm above the LG M50 for 0.01 mm was told to refine the mesh
        corners = pts[run.model.skin_faces[:, :3]]
        between = _distance_to_facets(ind.tip, par[4:7], corners) <= run.max_travel
    between = between and not beside  # a nail beside the part is not between its nodes
    field = "spec.geometry.mesh_size" if run.spec.geometry else "spec.contact_mesh_size"
    if run.spec.geometry is None and run.spec.contact_mesh_size is not None:
        # refined already: on a thin part the ball (a share of its size along the load) may
        # be too small to change the mesh (the Kokam pouch at 0.15: 1.1 mm, not one node more)
        ball = run.spec.contact_mesh_radius * run.extent
        field += (f" finer, or spec.contact_mesh_radius larger: the refined ball is "
                  f"{ball * 1e3:.3g} mm in radius")  # fmt: skip
    refine = (" (the nail's tip passes between the skin's nodes: refine the mesh where it "
              f"enters, {field})") if between else beside  # fmt: skip
    if gaps.min() >= 0:
        raise InputError(
            f"the {ind.name} does not touch the part within the travel of "
            f"{run.max_travel * 1e3:.3g} mm (it starts {start * 1e3:.3g} mm away){refine}; "
            "move spec.indenter.position or change spec.direction",
            "spec.indenter",
        )
    held = run.model.fixed.reshape(-1, 3).all(axis=1)[run.model.skin_nodes]
    if held[gaps < 0].all():
        # nothing under the indenter can give way: the contact penalty alone answered (the
        # LG M50 held by its can under a rod: 70 kN after 0.3 mm in one iteration)
        raise InputError(
            f"the {ind.name} presses only on nodes of {run.spec.support_group!r}, which is "
            "held fixed, so nothing under it can deform; hold a group away from where it "
            'presses, or rest the part on a plate (support = "plate")',
            "spec.support_group",
        )
    if between:
        # the travel, not the gap: a 60° cone's flank is sin 30° of the travel from a node
        # (the Kokam pouch: 0.238 mm reported, first force after 0.46 mm)
        late = _travel_to_touch(par, pts, run.max_travel)
        run.setup.warnings.append(
            f"the nail's tip passes between the skin's nodes for {late * 1e3:.3g} mm before "
            f"its flank meets one, so the force starts late; refine the mesh where it enters "
            f"({field})"
        )
    if start < -0.05 * run.extent:
        raise InputError(
            f"the {ind.name} starts {-start * 1e3:.3g} mm inside the part; place its tip on "
            "or above the surface",
            "spec.indenter.position",
        )


def _travel_to_touch(par: np.ndarray, pts: np.ndarray, limit: float) -> float:
    """The travel at which the indenter ``par`` first meets one of ``pts`` (at most ``limit``):
    bisection on the smallest gap, which only falls as the indenter goes in."""
    from cellwright.engines.mechanics.contact import indenter_gaps

    lo, hi = 0.0, limit
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if indenter_gaps(par, mid, pts).min() > 0 else (lo, mid)
    return hi


def _beside(ind, pts: np.ndarray) -> str:
    """Why a pointed indenter (nail, punch) cannot meet the part: its axis passes beside it."""
    if ind.kind not in ("nail", "sphere"):
        return ""
    d = ind.direction / np.linalg.norm(ind.direction)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    out = [k for k in range(3) if abs(d[k]) < 0.5
           and not lo[k] - ind.radius <= ind.tip[k] <= hi[k] + ind.radius]  # fmt: skip
    if not out:
        return ""
    where = ", ".join(f"{'xyz'[k]} {ind.tip[k] * 1e3:.4g} mm outside {lo[k] * 1e3:.4g} to "
                      f"{hi[k] * 1e3:.4g} mm" for k in out)  # fmt: skip
    return f" (its axis passes beside the part: {where})"


def bring_into_contact(model: CrushModel) -> None:
    """Move every indenter along its travel until it just touches the skin.

    The placement puts a tip (and the support plate) on the part's bounding box, but a faceted
    round part has no node there: a cylinder meshed with 15° facets is a few tenths of a
    millimetre lower under the tip, and the travel the standard counts starts at contact.
    "Touching" is the outer edge of the penalty's smoothing band (gap g₀): a node inside the
    band already carries a pressure, so the part would start loaded (tens of newtons on a cell,
    which the force-drop criterion then read as a peak at zero travel).
    """
    pts = model.mesh.points[model.skin_nodes]
    corners = pts[model.skin_faces[:, :3]]  # the skin's facets, by their corner nodes
    for ind in model.indenters:
        limit = np.inf
        if ind.kind == "nail":
            # a sharp tip finds no node under it and would slip between the nodes into the
            # part before its flanks met one: it stops where its axis meets the skin. (A smooth
            # indenter keeps the nodes' gap: on a round part the facets between the nodes lie
            # inside the true surface, tens of micrometres on a cell's can.)
            limit = _distance_to_facets(ind.tip, ind.params()[4:7], corners) - model.near_gap
        _close_in(ind, pts, model.near_gap, limit)


def _close_in(ind, pts: np.ndarray, near: float, limit: float = np.inf, rounds: int = 50) -> None:
    """Move ``ind`` along its travel until the nearest node is ``near`` away.

    A node's gap is its distance to the indenter's surface, which shrinks by at most the
    distance travelled (by the cosine between the travel and the surface normal there), so
    moving by the smallest gap never overshoots; but one move is not enough when the nearest
    node lies beside the path (a rod brought edge-on to a pouch passed beside its tab and
    stopped 6.5 mm short of the body). Repeated, the moves close in on the first contact.
    The whole travel stays within ``limit``.
    """
    from cellwright.engines.mechanics.contact import indenter_gaps

    moved = 0.0
    for _ in range(rounds):
        par = ind.params()
        move = indenter_gaps(par, 0.0, pts).min() - near
        move = min(move, limit - moved)
        if abs(move) <= 1e-3 * near:
            return
        ind.tip = ind.tip + move * par[4:7]
        moved += move


def _distance_to_facets(origin: np.ndarray, direction: np.ndarray, corners: np.ndarray) -> float:
    """How far from ``origin`` along ``direction`` the ray first meets one of the triangles
    ``corners`` (m, 3, 3) (Möller & Trumbore 1997); inf when it misses them all."""
    a, b, c = corners[:, 0], corners[:, 1], corners[:, 2]
    e1, e2 = b - a, c - a
    p = np.cross(direction, e2)
    det = np.einsum("ij,ij->i", e1, p)
    ok = np.abs(det) > 1e-30
    inv = np.divide(1.0, det, out=np.zeros_like(det), where=ok)
    t0 = origin - a
    u = np.einsum("ij,ij->i", t0, p) * inv
    q = np.cross(t0, e1)
    v = (q @ direction) * inv
    t = np.einsum("ij,ij->i", e2, q) * inv
    hit = ok & (u >= 0) & (v >= 0) & (u + v <= 1) & (t >= 0)
    return float(t[hit].min()) if hit.any() else np.inf
