"""A network from the channels, fittings and nodes a study file lists."""

from __future__ import annotations

import numpy as np

from cellwright.engines.cfd.correlations import Duct
from cellwright.engines.cfd.network_model import Branch, Fitting, Network, TubeBank
from cellwright.engines.cfd.network_spec import ChannelSpec, NetworkSpec
from cellwright.projects.model import InputError

__all__ = ["listed_network"]


def _branch(c: ChannelSpec, nodes: dict[str, int], channel: int) -> Branch:
    fittings = [
        Fitting(
            f.kind,
            k=f.k,
            angle=f.angle,
            radius_ratio=f.radius_ratio,
            other_diameter=f.other_diameter,
        )
        for f in c.fittings
    ]
    common = dict(
        name=c.name,
        start=nodes[c.start],
        end=nodes[c.end],
        fittings=fittings,
        channel=channel,
        segments=c.segments,
        heat=c.heat,
        wall_temperature=c.wall_temperature,
    )
    if c.shape == "tube_bank":
        bank = TubeBank(
            c.diameter,
            c.pitch_transverse,
            c.pitch_longitudinal,
            c.rows,
            c.per_row,
            c.length,
            c.staggered,
        )
        return Branch(bank=bank, **common)
    if c.shape == "circular":
        duct = Duct("circular", c.length, diameter=c.diameter, roughness=c.roughness)
    else:
        duct = Duct("rectangular", c.length, width=c.width, height=c.height, roughness=c.roughness)
    return Branch(duct=duct, **common)


def listed_network(spec: NetworkSpec) -> Network:
    """The network of ``spec.channels``; nodes are the names the channels join.

    Raises
    ------
    InputError
        For duplicate channel names, an inlet or outlet no channel touches, or a
        disconnected network (naming the channels and nodes).
    """
    names = [c.name for c in spec.channels]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate:
        raise InputError(
            f"two channels are called {duplicate!r}; names must differ", "spec.channels"
        )
    nodes: dict[str, int] = {}
    for c in spec.channels:
        for name in (c.start, c.end):
            nodes.setdefault(name, len(nodes))
    for role in ("inlet", "outlet"):
        name = getattr(spec, role)
        if name not in nodes:
            raise InputError(
                f"no channel starts or ends at {name!r}; nodes: {', '.join(nodes)}",
                f"spec.{role}",
            )
    numbers = iter(range(len(spec.channels)))
    branches = [
        _branch(c, nodes, next(numbers) if c.parallel_channel else -1) for c in spec.channels
    ]
    for k, b in enumerate(branches):  # channel numbers count only the parallel channels
        if b.channel >= 0:
            b.channel = sum(1 for x in branches[:k] if x.channel >= 0)
    unknown = [n.name for n in spec.nodes if n.name not in nodes]
    if unknown:
        raise InputError(f"node(s) {', '.join(map(repr, unknown))} join no channel", "spec.nodes")
    net = Network(
        list(nodes), np.zeros((len(nodes), 3)), branches, nodes[spec.inlet], nodes[spec.outlet]
    )
    net.check("spec.channels")
    net.positions = _positions(net, {n.name: n.position for n in spec.nodes})
    if any(
        b.bank is not None
        and not b.bank.staggered
        and abs(b.bank.pitch_transverse - b.bank.pitch_longitudinal) > 1e-12
        for b in branches
    ):
        net.warnings.append(
            "an in-line tube bank's pressure drop uses Zukauskas's square-pitch chart at its "
            "transverse pitch (ht.dP_Zukauskas)"
        )
    return net


def _positions(net: Network, given: dict[str, tuple[float, float, float]]) -> np.ndarray:
    """Given positions, else a layered drawing: x by hops from the inlet, y spread per layer."""
    depth = {net.inlet: 0}
    frontier = [net.inlet]
    while frontier:
        nxt = []
        for node in frontier:
            for b in net.branches:
                for a, z in ((b.start, b.end), (b.end, b.start)):
                    if a == node and z not in depth:
                        depth[z] = depth[node] + 1
                        nxt.append(z)
        frontier = nxt
    scale = max((b.length for b in net.branches), default=1.0)
    layers: dict[int, list[int]] = {}
    for node, d in depth.items():
        layers.setdefault(d, []).append(node)
    out = np.zeros((len(net.nodes), 3))
    for d, members in layers.items():
        for j, node in enumerate(sorted(members)):
            out[node] = (d * scale, (j - (len(members) - 1) / 2) * scale / 2, 0.0)
    for name, xyz in given.items():
        out[net.nodes.index(name)] = xyz
    return out
