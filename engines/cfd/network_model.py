"""A coolant network: nodes with positions, branches (ducts, tube banks) with fittings.

Nodes carry pressure and temperature, branches carry flow from ``start`` to ``end`` (a
negative flow runs backwards). One node is the inlet, where the coolant enters at a known
temperature (and, for a given flow rate, at that rate); one is the outlet, held at a known
pressure. Branches may be split into ``segments`` along their length for the coolant
temperature and for the coupling to a wall that conducts; the hydraulics treat a branch whole.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from cellwright.engines.cfd.correlations import Duct
from cellwright.projects.model import InputError

__all__ = ["Branch", "Fitting", "Network", "TubeBank"]

FittingKind = Literal[
    "k",
    "bend",
    "u_turn",
    "contraction",
    "expansion",
    "entrance",
    "exit",
    "tee_branch_diverging",
    "tee_run_diverging",
    "tee_branch_converging",
    "tee_run_converging",
]


@dataclass(frozen=True)
class Fitting:
    """A minor loss on a branch, referred to that branch's own velocity.

    ``kind`` "k" takes ``k`` as given; bends take ``angle`` [deg] and ``radius_ratio`` (bend
    radius over hydraulic diameter); contractions/expansions the ``other_diameter`` [m] on the
    wide side; tees the branch ``partner`` whose flow is the combined stream (``run_diameter``
    is its hydraulic diameter).
    """

    kind: FittingKind
    k: float = 0.0
    angle: float = 90.0
    radius_ratio: float = 1.5
    other_diameter: float = 0.0
    partner: int = -1
    run_diameter: float = 0.0


@dataclass(frozen=True)
class TubeBank:
    """Air (or any coolant) in cross-flow over a bank of cylindrical cells (Zukauskas 1972).

    ``rows`` along the flow, ``per_row`` across it; pitches are centre to centre [m];
    ``length`` is the tube length the flow wets [m] (the cell height).
    """

    diameter: float
    pitch_transverse: float
    pitch_longitudinal: float
    rows: int
    per_row: int
    length: float
    staggered: bool = False

    @property
    def frontal_area(self) -> float:
        """Flow area upstream of the bank [m^2]."""
        return self.per_row * self.pitch_transverse * self.length

    @property
    def wetted_area(self) -> float:
        """Outer surface of all tubes [m^2]."""
        return np.pi * self.diameter * self.length * self.rows * self.per_row


@dataclass
class Branch:
    """A duct or tube bank between two nodes.

    Attributes
    ----------
    name
        Shown in results ("channel 3", "inlet manifold 2-3", "u-turn 1").
    start, end
        Node indices; positive flow runs from start to end.
    duct
        The duct (None for a tube bank).
    bank
        The tube bank (None for a duct).
    fittings
        Minor losses on this branch.
    channel
        Index of the parallel channel this branch is (for flow split), or -1.
    heated_fraction
        Fraction of the wetted perimeter that takes heat (1: all walls).
    segments
        Pieces along the branch for the coolant temperature (and the coupling).
    plate
        Index of the cooling plate the branch belongs to.
    box
        Where the branch sits in the pack frame, ``(x0, y0, z0, dx, dy, dz)``, with the flow
        ``axis`` (0, 1, 2) and ``direction`` (+1/-1) along it; None off the plate.
    """

    name: str
    start: int
    end: int
    duct: Duct | None = None
    bank: TubeBank | None = None
    fittings: list[Fitting] = field(default_factory=list)
    channel: int = -1
    heated_fraction: float = 1.0
    segments: int = 1
    plate: int = 0
    box: tuple[float, float, float, float, float, float] | None = None
    axis: int = 0
    direction: int = 1
    heat: float | None = None  # W given to the coolant in this branch (standalone studies)
    wall_temperature: float | None = None  # K of a wall at fixed temperature (instead of heat)

    @property
    def area(self) -> float:
        """Flow area the velocity refers to [m^2] (frontal area for a tube bank)."""
        return self.duct.area if self.duct is not None else self.bank.frontal_area

    @property
    def length(self) -> float:
        """Flow length [m]."""
        if self.duct is not None:
            return self.duct.length
        return self.bank.rows * self.bank.pitch_longitudinal

    @property
    def wetted_area(self) -> float:
        """Heated wall area [m^2]."""
        if self.duct is not None:
            return self.duct.perimeter * self.duct.length * self.heated_fraction
        return self.bank.wetted_area * self.heated_fraction


@dataclass
class Network:
    """Nodes, branches, the inlet and the outlet; positions are for drawing [m]."""

    nodes: list[str]
    positions: np.ndarray
    branches: list[Branch]
    inlet: int
    outlet: int
    warnings: list[str] = field(default_factory=list)

    @property
    def channels(self) -> list[int]:
        """Branch indices of the parallel channels, by channel number."""
        found = sorted((b.channel, i) for i, b in enumerate(self.branches) if b.channel >= 0)
        return [i for _, i in found]

    def incidence(self) -> np.ndarray:
        """Branch-node incidence (n_branches, n_nodes): +1 at a branch's start, -1 at its end."""
        a = np.zeros((len(self.branches), len(self.nodes)))
        for k, b in enumerate(self.branches):
            a[k, b.start] += 1.0
            a[k, b.end] -= 1.0
        return a

    def check(self, where: str = "network") -> None:
        """Raise :class:`InputError` unless every node lies on a path from inlet to outlet."""
        if not self.branches:
            raise InputError("the network has no channels", where)
        if self.inlet == self.outlet:
            raise InputError("the inlet and the outlet are the same node", where)
        for b in self.branches:
            if b.start == b.end:
                raise InputError(
                    f"{b.name!r} starts and ends at node {self.nodes[b.start]!r}", where
                )
        reach_in = self._reachable(self.inlet)
        reach_out = self._reachable(self.outlet)
        if self.outlet not in reach_in:
            raise InputError(
                f"no path of channels joins the inlet {self.nodes[self.inlet]!r} to the outlet "
                f"{self.nodes[self.outlet]!r}: the network is disconnected",
                where,
            )
        stranded = [n for i, n in enumerate(self.nodes) if i not in reach_in or i not in reach_out]
        if stranded:
            raise InputError(
                f"node(s) {', '.join(map(repr, stranded))} are not connected to the inlet and the "
                "outlet: every junction must lie on a path from inlet to outlet",
                where,
            )

    def _reachable(self, start: int) -> set[int]:
        neighbours: dict[int, list[int]] = {i: [] for i in range(len(self.nodes))}
        for b in self.branches:
            neighbours[b.start].append(b.end)
            neighbours[b.end].append(b.start)
        seen, queue = {start}, deque([start])
        while queue:
            for nxt in neighbours[queue.popleft()]:
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen
