"""The coolant network of a pack's cooling plate, from the same layout the mesher uses.

A serpentine plate is one channel: its passes joined by U-turns (a 180° bend each, Rennels).
A parallel plate has its channels between an inlet and an outlet manifold: the manifold is cut
into pieces between neighbouring channels, each junction is a tee (Crane TP-410: the channel is
the tee's branch, the manifold its run; dividing at the inlet, combining at the outlet), and the
coolant enters at the manifold end beside channel 0 and leaves beside channel 0 (U) or beside
the last channel (Z). Several identical plates may be joined in series or in parallel by hoses.

Lengths are along the flow path's centre line; every branch remembers the box of the plate it
runs through, so a conduction model can give each wall face to its branch and segment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cellwright.engines.cfd.correlations import Duct
from cellwright.engines.cfd.network_model import Branch, Fitting, Network
from cellwright.projects.design import PackLayout
from cellwright.projects.model import CoolingPlate

__all__ = ["HoseSpec", "plate_network"]


@dataclass(frozen=True)
class HoseSpec:
    """The round hoses between plates and headers [m]."""

    diameter: float = 12e-3
    length: float = 0.3
    roughness: float = 1.5e-6


class _Builder:
    def __init__(self) -> None:
        self.nodes: list[str] = []
        self.positions: list[tuple[float, float, float]] = []
        self.branches: list[Branch] = []

    def node(self, name: str, xyz) -> int:
        self.nodes.append(name)
        self.positions.append(tuple(float(v) for v in xyz))
        return len(self.nodes) - 1

    def branch(self, branch: Branch) -> int:
        self.branches.append(branch)
        return len(self.branches) - 1


def _rect(plate: CoolingPlate, width: float, length: float, roughness: float) -> Duct:
    return Duct(
        "rectangular", length, width=width, height=plate.channel_height, roughness=roughness
    )


def _serpentine(
    b: _Builder,
    plate: CoolingPlate,
    layout: PackLayout,
    tag: str,
    segments: int,
    roughness: float,
    index: int,
) -> tuple[int, int]:
    n, w = plate.channel_count, plate.channel_width
    runs, turns = layout.channels[:n], layout.channels[n:]
    z = runs[0].z0 + runs[0].dz / 2
    inlet = current = b.node(f"{tag}inlet", (runs[0].x0, runs[0].y0 + w / 2, z))
    for k, run in enumerate(runs):
        forward = k % 2 == 0  # pass 1 runs along +x, the next back, and so on
        near, far = (run.x0, run.x0 + run.dx) if forward else (run.x0 + run.dx, run.x0)
        step = 1.0 if forward else -1.0
        x_start = near + (step * w / 2 if k > 0 else 0.0)  # from the centre of the U-turn
        x_end = far - (step * w / 2 if k < n - 1 else 0.0)  # to the centre of the next one
        y = run.y0 + w / 2
        label = f"{tag}pass {k + 1} end" if k < n - 1 else f"{tag}outlet"
        end = b.node(label, (x_end, y, z))
        b.branch(
            Branch(
                f"{tag}pass {k + 1}",
                current,
                end,
                duct=_rect(plate, w, abs(x_end - x_start), roughness),
                segments=segments,
                plate=index,
                box=_box(run),
                axis=0,
                direction=1 if forward else -1,
            )
        )
        current = end
        if k < n - 1:
            turn = turns[k]
            pitch = turn.dy - w
            after = b.node(f"{tag}pass {k + 2} start", (x_end, y + pitch, z))
            duct = _rect(plate, w, pitch, roughness)
            bend = Fitting("u_turn", radius_ratio=max(pitch / 2 / duct.hydraulic_diameter, 0.5))
            b.branch(
                Branch(
                    f"{tag}u-turn {k + 1}",
                    current,
                    after,
                    duct=duct,
                    fittings=[bend],
                    plate=index,
                    box=_box(turn),
                    axis=1,
                    direction=1,
                )
            )
            current = after
    return inlet, current


def _parallel(
    b: _Builder,
    plate: CoolingPlate,
    layout: PackLayout,
    tag: str,
    segments: int,
    roughness: float,
    index: int,
) -> tuple[int, int]:
    n, w, wm = plate.channel_count, plate.channel_width, plate.header_width
    runs = layout.channels[:n]
    z = runs[0].z0 + runs[0].dz / 2
    if n == 1:
        run = runs[0]
        start = b.node(f"{tag}inlet", (run.x0, run.y0 + w / 2, z))
        end = b.node(f"{tag}outlet", (run.x0 + run.dx, run.y0 + w / 2, z))
        b.branch(
            Branch(
                f"{tag}channel 1",
                start,
                end,
                duct=_rect(plate, w, run.dx, roughness),
                channel=0,
                segments=segments,
                plate=index,
                box=_box(run),
            )
        )
        return start, end
    inlet_header, outlet_header = layout.channels[n], layout.channels[n + 1]
    x_in = inlet_header.x0 + wm / 2
    x_out = outlet_header.x0 + wm / 2
    ys = [run.y0 + w / 2 for run in runs]
    inlet_nodes = [b.node(f"{tag}inlet manifold {k + 1}", (x_in, y, z)) for k, y in enumerate(ys)]
    outlet_nodes = [
        b.node(f"{tag}outlet manifold {k + 1}", (x_out, y, z)) for k, y in enumerate(ys)
    ]
    pitch = ys[1] - ys[0]
    header = _rect(plate, wm, pitch, roughness)
    d_header = header.hydraulic_diameter
    feed = [
        b.branch(
            Branch(
                f"{tag}inlet manifold {k + 1}-{k + 2}",
                inlet_nodes[k],
                inlet_nodes[k + 1],
                duct=header,
                plate=index,
                box=_piece(inlet_header, ys[k], pitch),
                axis=1,
            )
        )
        for k in range(n - 1)
    ]
    z_type = plate.flow_arrangement == "Z"
    order = range(n - 1) if z_type else range(n - 2, -1, -1)
    collect = {}
    for k in order:  # the outlet manifold flows toward its exit
        start, end = (
            (outlet_nodes[k], outlet_nodes[k + 1])
            if z_type
            else (outlet_nodes[k + 1], outlet_nodes[k])
        )
        collect[k] = b.branch(
            Branch(
                f"{tag}outlet manifold {k + 1}-{k + 2}",
                start,
                end,
                duct=header,
                plate=index,
                box=_piece(outlet_header, ys[k], pitch),
                axis=1,
                direction=1 if z_type else -1,
            )
        )
    for k, run in enumerate(runs):
        upstream = feed[k - 1] if k > 0 else -1
        downstream = collect[k if z_type else k - 1] if (k < n - 1 if z_type else k > 0) else -1
        fittings = [
            Fitting("tee_branch_diverging", partner=upstream, run_diameter=d_header),
            Fitting("tee_branch_converging", partner=downstream, run_diameter=d_header),
        ]
        b.branch(
            Branch(
                f"{tag}channel {k + 1}",
                inlet_nodes[k],
                outlet_nodes[k],
                duct=_rect(plate, w, x_out - x_in, roughness),
                fittings=[f for f in fittings if f.partner >= 0],
                channel=k,
                segments=segments,
                plate=index,
                box=_box(run),
            )
        )
    d_channel = _rect(plate, w, 1.0, roughness).hydraulic_diameter
    for k in range(1, n - 1):  # the manifold runs straight on through every inner tee
        b.branches[feed[k]].fittings.append(
            Fitting(
                "tee_run_diverging",
                partner=feed[k - 1],
                run_diameter=d_header,
                other_diameter=d_channel,
            )
        )
    outlet = outlet_nodes[-1] if z_type else outlet_nodes[0]
    return inlet_nodes[0], outlet


def _box(box) -> tuple[float, ...]:
    return (box.x0, box.y0, box.z0, box.dx, box.dy, box.dz)


def _piece(header, y: float, pitch: float) -> tuple[float, ...]:
    """The part of a manifold between the centre lines of two neighbouring channels."""
    return (header.x0, y, header.z0, header.dx, pitch, header.dz)


def plate_network(
    plate: CoolingPlate,
    layout: PackLayout,
    segments: int = 20,
    plates: int = 1,
    connection: str = "parallel",
    hose: HoseSpec | None = None,
    roughness: float = 1.5e-6,
) -> Network:
    """The network of ``plates`` copies of the pack's plate, joined in series or in parallel.

    Parameters
    ----------
    plate, layout
        The pack's cooling plate and its layout (:func:`cellwright.projects.design.pack_layout`).
    segments
        Pieces along each channel or pass for the coolant temperature.
    plates, connection, hose
        How many identical plates, "series" or "parallel", and the hoses between them.
    roughness
        Wall roughness of the milled channels [m].
    """
    b = _Builder()
    build = _serpentine if plate.channel_layout == "serpentine" else _parallel
    ends = []
    for index in range(plates):
        tag = f"plate {index + 1} " if plates > 1 else ""
        ends.append(build(b, plate, layout, tag, segments, roughness, index))
    if plates > 1:
        _offset_plates(b, layout, plates)
        inlet, outlet = _join_plates(b, ends, connection, hose or HoseSpec())
    else:
        inlet, outlet = ends[0]
    return Network(b.nodes, np.array(b.positions), b.branches, inlet, outlet)


def _offset_plates(b: _Builder, layout: PackLayout, plates: int) -> None:
    """Draw plate k beside plate k-1 (they are copies; only the picture needs them apart)."""
    span = layout.plate.dy * 1.2
    per_plate = len(b.nodes) // plates
    for k in range(len(b.nodes)):
        x, y, z = b.positions[k]
        b.positions[k] = (x, y + (k // per_plate) * span, z)


def _join_plates(b: _Builder, ends, connection: str, hose: HoseSpec) -> tuple[int, int]:
    pipe = Duct("circular", hose.length, diameter=hose.diameter, roughness=hose.roughness)
    if connection == "series":
        for k in range(len(ends) - 1):
            b.branch(
                Branch(
                    f"hose {k + 1}-{k + 2}",
                    ends[k][1],
                    ends[k + 1][0],
                    duct=pipe,
                    heated_fraction=0.0,
                )
            )
        return ends[0][0], ends[-1][1]
    first, last = b.positions[ends[0][0]], b.positions[ends[-1][1]]
    supply = b.node("supply", (first[0] - 2 * hose.length, first[1], first[2]))
    back = b.node("return", (last[0] + 2 * hose.length, last[1], last[2]))
    for k, (inlet, outlet) in enumerate(ends):
        b.branch(Branch(f"supply hose {k + 1}", supply, inlet, duct=pipe, heated_fraction=0.0))
        b.branch(Branch(f"return hose {k + 1}", outlet, back, duct=pipe, heated_fraction=0.0))
    return supply, back
