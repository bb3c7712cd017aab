"""The spec of ``cfd.network``: coolant, flow or pump, heat, and the network when a study file
lists it instead of taking it from the pack's cooling plate."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cellwright.projects.model import Unit

__all__ = ["ChannelSpec", "FittingSpec", "NetworkSpec", "NodeSpec"]

Metres = Annotated[float, Unit("m"), Field(gt=0, le=100)]
Kelvin = Annotated[float, Unit("K"), Field(ge=150, le=600)]


class FittingSpec(BaseModel):
    """A minor loss on a channel (referred to that channel's velocity)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["k", "bend", "u_turn", "contraction", "expansion", "entrance", "exit"]
    k: float = Field(0.0, ge=0, le=1000, description='kind "k": the loss coefficient')
    angle: float = Field(90.0, gt=0, le=180, description="bend angle [deg]")
    radius_ratio: float = Field(1.5, gt=0, le=100, description="bend radius / hydraulic diameter")
    other_diameter: Annotated[float, Unit("m"), Field(ge=0, le=100)] = Field(
        0.0, description="contraction/expansion: hydraulic diameter on the wide side"
    )

    @model_validator(mode="after")
    def _wide_side(self) -> FittingSpec:
        if self.kind in ("contraction", "expansion") and self.other_diameter <= 0:
            raise ValueError(f"a {self.kind} needs other_diameter (the wide side) > 0")
        return self


class ChannelSpec(BaseModel):
    """One channel (duct or tube bank) between two named nodes."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    start: str = Field(min_length=1, description="node the positive flow leaves")
    end: str = Field(min_length=1, description="node the positive flow enters")
    shape: Literal["rectangular", "circular", "tube_bank"] = "rectangular"
    length: Metres | None = Field(None, description="duct length (tube bank: the cell height)")
    width: Metres | None = None
    height: Metres | None = None
    diameter: Metres | None = Field(None, description="circular duct, or the tube bank's cells")
    roughness: Annotated[float, Unit("m"), Field(ge=0, le=0.01)] = 1.5e-6
    pitch_transverse: Metres | None = Field(None, description="tube bank: across the flow")
    pitch_longitudinal: Metres | None = Field(None, description="tube bank: along the flow")
    rows: int = Field(1, ge=1, le=1000, description="tube bank: rows along the flow")
    per_row: int = Field(1, ge=1, le=1000, description="tube bank: cells across the flow")
    staggered: bool = False
    parallel_channel: bool = Field(False, description="one of the parallel channels (flow split)")
    fittings: list[FittingSpec] = Field(default_factory=list)
    heat: Annotated[float, Unit("W"), Field(ge=-1e6, le=1e6)] | None = Field(
        None, description="heat into the coolant along this channel"
    )
    wall_temperature: Kelvin | None = Field(None, description="instead of heat: a wall at T")
    segments: int = Field(10, ge=1, le=1000)

    @model_validator(mode="after")
    def _dimensions(self) -> ChannelSpec:
        need = {
            "rectangular": ("length", "width", "height"),
            "circular": ("length", "diameter"),
            "tube_bank": ("length", "diameter", "pitch_transverse", "pitch_longitudinal"),
        }[self.shape]
        missing = [n for n in need if getattr(self, n) is None]
        if missing:
            raise ValueError(f"a {self.shape} channel needs {', '.join(missing)}")
        if self.shape == "tube_bank" and self.pitch_transverse <= self.diameter:
            raise ValueError("tube bank: pitch_transverse must exceed the diameter")
        if self.heat is not None and self.wall_temperature is not None:
            raise ValueError("give heat or wall_temperature, not both")
        return self


class NodeSpec(BaseModel):
    """Where a node is drawn (optional; unplaced nodes are laid out by flow order)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    position: tuple[float, float, float]


class NetworkSpec(BaseModel):
    """What ``cfd.network`` solves.

    Without ``channels`` the network is the pack design's cooling plate (its layout, channel
    sizes, coolant, flow or pump curve, each overridable here); with ``channels`` it is the
    network they describe, from ``inlet`` to ``outlet``.
    """

    model_config = ConfigDict(extra="forbid")

    coolant: str | None = Field(None, description="default: the plate's, else water-glycol-50")
    flow_rate: Annotated[float, Unit("m^3/s"), Field(gt=0, le=1.0)] | None = Field(
        None, description="total coolant flow; default: the plate's (ignored with a pump curve)"
    )
    pump_curve: list[tuple[float, float]] | None = Field(
        None, description="pump pressure rise against flow [[m^3/s, Pa], ...]"
    )
    inlet_temperature: Kelvin | None = Field(None, description="default: the plate's, else 25 °C")
    outlet_pressure: Annotated[float, Unit("Pa"), Field(ge=-1e5, le=1e7)] = 0.0
    heat_load: Annotated[float, Unit("W"), Field(ge=0, le=1e7)] | None = Field(
        None, description="heat into the coolant, shared by the heated walls' areas"
    )
    heat_per_cell: Annotated[float, Unit("W"), Field(ge=0, le=1e4)] | None = Field(
        None, description="pack: heat of each cell (total = cells × this)"
    )
    wall_condition: Literal["heat_flux", "temperature"] = Field(
        "heat_flux", description="wall condition the Nusselt numbers assume"
    )
    laminar_heat_transfer: Literal["vdi", "hausen", "fully_developed"] = "vdi"
    entrance_effects: bool = Field(True, description="apparent friction of developing flow")
    segments: int = Field(20, ge=1, le=500, description="plate: pieces along each channel")
    plates: int = Field(1, ge=1, le=50, description="identical copies of the plate")
    plate_connection: Literal["series", "parallel"] = "parallel"
    hose_diameter: Metres = 12e-3
    hose_length: Metres = 0.3
    roughness: Annotated[float, Unit("m"), Field(ge=0, le=0.01)] = Field(
        1.5e-6, description="plate channel wall roughness (drawn or milled aluminium)"
    )
    channels: list[ChannelSpec] = Field(default_factory=list)
    nodes: list[NodeSpec] = Field(default_factory=list)
    inlet: str = "inlet"
    outlet: str = "outlet"

    @model_validator(mode="after")
    def _one_heat(self) -> NetworkSpec:
        if self.heat_load is not None and self.heat_per_cell is not None:
            raise ValueError("give heat_load or heat_per_cell, not both")
        return self
