"""Short-circuit onset of a crushed cell: three named criteria, the first to trigger wins.

- ``jelly_roll_strain``: the equivalent plastic strain of the homogenised jelly roll reaches a
  critical value somewhere — the strain-based failure criterion of homogenised cell models
  (Kermani & Sahraei 2019, RSC Adv. 9, 2464: failure strain of the jelly roll marks the short;
  Xu et al. 2016, Appl. Energy 172, 180, use the same form). The onset is where and when it
  first does; its value comes from the jelly-roll set (or the study). The strain compared is
  the nonlocal average over a length of the set (:func:`averaging_matrix`), not an element's
  own: an element's strain under an indenter grows as the element shrinks, so a local
  criterion met the short earlier the finer the roll.
- ``force_drop``: the force falls by a given fraction from its running maximum. Sahraei,
  Campbell & Wierzbicki (2012, J. Power Sources 220, 360) found the voltage drop coincident
  with a local drop in force and predicted the short by the force peak; the onset is the step of
  that peak, where the jelly roll is most strained. That is a single cell's force: on a module
  or pack the force is the whole structure's, and its drops come from the structure (a cooling
  plate cracking under the semicylinder, with every roll far from its critical strain), so
  ``"first"`` leaves it out there; asked for by name it still applies.
- ``can_fracture``: an integration point of the housing beside the electrode stack fractures
  (:mod:`crush_fracture`: its fracture strain reached while not compressed). Greve &
  Fehrenbach (2012, J. Power Sources 214, 377) observed the short at the fracture of the cell.
  Past the stack's ends along the cell's axis (a cylindrical cell's crimp below the header, the
  can bottom, a prismatic cell's lid) no electrode layers lie behind the wall, so a crack there
  is a leak, not a short: the result's message reports it, the criterion does not count it
  (``CrushRun.housing_beside_stack``). On the LG M50 crushed between flat plates the can
  fractures in the crimp zone from 0.68 mm on (where the path lands on the first fracture),
  and beside the roll not before 9 mm.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree

from cellwright.projects.jit_cache import njit  # numba's: one process compiles at a time

__all__ = ["HOUSING", "ShortDetector", "ShortOnset", "averaging_matrix", "is_housing"]

#: the regions of a cell's housing (a fracture there may be a short, or a leak); a pack's
#: prismatic cells add their cans, ``can_0000`` …
HOUSING = ("can", "pouch", "cap", "lid")


def is_housing(names) -> np.ndarray:
    """Per region name: whether it is a cell's housing (:data:`HOUSING`, a pack's ``can_<k>``)."""
    names = np.asarray(names, dtype=str)
    return np.isin(names, HOUSING) | np.char.startswith(names, "can_")


def averaging_matrix(centres: np.ndarray, volumes: np.ndarray, length: float,
                     groups: np.ndarray | None = None) -> sp.csr_matrix:  # fmt: skip
    """The nonlocal average of an element field over a sphere of radius ``length``.

    Row i of the matrix holds the weights of the elements j whose centres lie within the
    length of element i's, w_ij ∝ V_j (1 − r_ij²/R²)² normalised to sum to one: the
    truncated bell function of integral-type nonlocal models (Bažant & Jirásek 2002,
    J. Eng. Mech. 128, 1119, eq. 9). Near the roll's surface the sphere holds less of the roll
    and the normalisation takes the average over what it holds. A length of zero gives the
    identity (the local criterion).

    Parameters
    ----------
    centres
        Element centres in the reference configuration, (n, 3) [m].
    volumes
        Element volumes, (n,) [m³].
    length
        The averaging radius R [m].
    groups
        Per element, the stack it belongs to (a module's cells): an average stays within its
        own stack, as the strain of a neighbouring cell's roll, behind two cans, is not this
        roll's.
    """
    n = len(centres)
    if length <= 0.0 or n == 0:
        return sp.identity(n, format="csr")
    pairs = cKDTree(centres).query_pairs(length, output_type="ndarray")
    if groups is not None:
        pairs = pairs[groups[pairs[:, 0]] == groups[pairs[:, 1]]]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(pairs.ravel(), minlength=n) + 1, out=indptr[1:])
    indices = np.empty(indptr[-1], dtype=np.int64)
    weights = np.empty(indptr[-1])
    as_float = np.ascontiguousarray(centres, dtype=float), np.ascontiguousarray(volumes, float)
    _bell_rows(*as_float, float(length), np.ascontiguousarray(pairs, dtype=np.int64), indptr,
               indices, weights)  # fmt: skip
    return sp.csr_matrix((weights, indices, indptr), shape=(n, n))


@njit(cache=True)
def _bell_rows(centres, volumes, length, pairs, indptr, indices, weights):
    """Fill the rows of :func:`averaging_matrix` (each element itself first, then its pairs in
    their order) and normalise each to sum to one. One pass over the pairs: building it with
    SciPy's COO to CSR conversion and a diagonal product took 1.85 s for the 45.7k roll
    elements of ~50k tetrahedra (9.3M weights, 3 mm), against 0.36 s now, half of it the
    tree's search."""
    n = centres.shape[0]
    fill = indptr[:-1].copy()
    for i in range(n):
        indices[fill[i]] = i
        weights[fill[i]] = volumes[i]  # r = 0
        fill[i] += 1
    for k in range(pairs.shape[0]):
        i, j = pairs[k, 0], pairs[k, 1]
        r2 = 0.0
        for a in range(3):
            d = centres[i, a] - centres[j, a]
            r2 += d * d
        bell = (1.0 - r2 / (length * length)) ** 2
        indices[fill[i]] = j
        weights[fill[i]] = bell * volumes[j]
        fill[i] += 1
        indices[fill[j]] = i
        weights[fill[j]] = bell * volumes[i]
        fill[j] += 1
    for i in range(n):
        total = 0.0
        for k in range(indptr[i], indptr[i + 1]):
            total += weights[k]
        for k in range(indptr[i], indptr[i + 1]):
            weights[k] /= total


@dataclass(frozen=True)
class ShortOnset:
    """Where and when the short starts."""

    criterion: str
    travel: float  # indenter travel [m]
    force: float  # [N]
    position: np.ndarray  # deformed position [m]
    element: int
    value: float  # the criterion's value at onset
    length: float = 0.0  # [m] the roll strain's averaging radius; 0: the element's own

    def describe(self, time: float) -> str:
        """One line for the result message; ``time``: when the onset came [s]."""
        p = np.round(self.position * 1e3, 2).tolist()
        # the strain field shown is each element's own: say that the criterion's is not
        how = f" averaged over {self.length * 1e3:.3g} mm" if self.length > 0 else ""
        return (
            f"short-circuit onset by {self.criterion}{how} at {self.travel * 1e3:.2f} mm "
            f"(t = {time:.3g} s, {self.force / 1e3:.2f} kN) at {p} mm"
        )


class ShortDetector:
    """Checks every converged step against the chosen criteria."""

    def __init__(self, criterion: str, critical_strain: float, drop: float,
                 foam_elements: np.ndarray, housing_elements: np.ndarray,
                 first_leaves_out: tuple[str, ...] = (),
                 average: sp.spmatrix | None = None, length: float = 0.0) -> None:  # fmt: skip
        self.criterion = criterion
        # the nonlocal average over the foam elements (averaging_matrix) over the radius
        # ``length``; None: each element's own strain
        self.average = average
        self.length = length if average is not None else 0.0
        self.first_leaves_out = first_leaves_out  # criteria "first" does not take (a pack's)
        self.critical = critical_strain
        self.drop = drop
        self.foam = foam_elements
        self.housing = housing_elements
        self.peak: tuple[float, float, np.ndarray, int, float] | None = None
        self.onset: ShortOnset | None = None

    def _uses(self, name: str) -> bool:
        return self.criterion == name or (
            self.criterion == "first" and name not in self.first_leaves_out
        )

    @property
    def watches_strain(self) -> bool:
        """Whether the jelly-roll strain criterion is still to fire (a path may land on it)."""
        return (self.onset is None and self._uses("jelly_roll_strain") and self.foam.size > 0
                and bool(np.isfinite(self.critical)) and self.critical > 0)  # fmt: skip

    @property
    def watches_fracture(self) -> bool:
        """Whether a crack of the housing beside the stack is still to be found as the short."""
        return self.onset is None and self._uses("can_fracture") and self.housing.size > 0

    def roll_strain(self, eq_strain: np.ndarray) -> np.ndarray:
        """The strain the criterion compares, per foam element: the nonlocal average of the
        elements' equivalent plastic strains (their own without an averaging matrix)."""
        local = eq_strain[self.foam]
        return local if self.average is None else self.average @ local

    def check(self, travel, force, eq_strain, positions, fractured) -> ShortOnset | None:
        """The onset, if this step (travel, force, element strains and centroids) starts it."""
        if self.onset is not None:
            return self.onset
        worst, strain = -1, 0.0
        if self.foam.size:
            roll = self.roll_strain(eq_strain)
            k = int(np.argmax(roll))
            worst, strain = int(self.foam[k]), float(roll[k])
        if self._uses("jelly_roll_strain") and worst >= 0 and strain >= self.critical:
            self.onset = ShortOnset("jelly_roll_strain", travel, force, positions[worst], worst,
                                    strain, self.length)  # fmt: skip
        elif self._uses("can_fracture") and fractured.size:
            hit = fractured[np.isin(fractured, self.housing)]
            if hit.size:
                e = int(hit[0])
                self.onset = ShortOnset("can_fracture", travel, force, positions[e], e, 1.0)
        if self.onset is None and self._uses("force_drop"):
            if self.peak is None or force > self.peak[1]:
                self.peak = (travel, force, positions[max(worst, 0)].copy(), worst, strain)
            elif force < (1.0 - self.drop) * self.peak[1]:
                t, f, p, e, s = self.peak
                self.onset = ShortOnset("force_drop", t, f, p, e, s)
        return self.onset
