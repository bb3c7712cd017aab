"""The spec of ``cfd.flow2d``: a domain drawn from primitives (or a pack's cooling plate), the
fluid, boundary conditions on named edges, solids, and how to solve."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cellwright.projects.model import Unit

__all__ = ["EdgeSpec", "Flow2DSpec", "ShapeSpec"]

Metres = Annotated[float, Unit("m"), Field(gt=0, le=100)]
Kelvin = Annotated[float, Unit("K"), Field(ge=150, le=1000)]
Point = tuple[float, float]


class ShapeSpec(BaseModel):
    """A primitive drawn on the domain: solid by default (a wall or a conducting part), or
    fluid (cut back out of a solid drawn before it). Later shapes paint over earlier ones."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["rectangle", "circle", "polygon", "image"]
    name: str = ""
    region: Literal["solid", "fluid"] = "solid"
    origin: Point | None = Field(None, description="rectangle/image: lower-left corner [m]")
    size: Point | None = Field(None, description="rectangle/image: width and height [m]")
    center: Point | None = Field(None, description="circle: centre [m]")
    radius: Metres | None = None
    points: list[Point] | None = Field(None, description="polygon: corners [m], in order")
    file: str | None = Field(None, description="image: PNG or PNM; dark pixels are this shape")
    threshold: float = Field(0.5, gt=0, lt=1, description="image: grey level splitting dark/light")
    material: str | None = Field(
        None, description="conducting solid: a library material id (default: an inert wall)"
    )
    conductivity: Annotated[float, Unit("W/(m.K)"), Field(ge=0, le=5000)] | None = None
    density: Annotated[float, Unit("kg/m^3"), Field(gt=0, le=30000)] | None = None
    specific_heat: Annotated[float, Unit("J/(kg.K)"), Field(gt=0, le=1e5)] | None = None
    heat: Annotated[float, Unit("W"), Field(ge=-1e7, le=1e7)] = Field(
        0.0, description="heat generated in this solid (over the depth)"
    )

    @model_validator(mode="after")
    def _geometry(self) -> ShapeSpec:
        need = {
            "rectangle": ("origin", "size"),
            "circle": ("center", "radius"),
            "polygon": ("points",),
            "image": ("file", "origin", "size"),
        }[self.kind]
        missing = [n for n in need if getattr(self, n) is None]
        if missing:
            raise ValueError(f"a {self.kind} needs {', '.join(missing)}")
        if self.kind == "polygon" and len(self.points) < 3:
            raise ValueError("a polygon needs three or more points")
        if self.size is not None and min(self.size) <= 0:
            raise ValueError("size must be positive")
        return self


class EdgeSpec(BaseModel):
    """A named piece of the domain's boundary and its conditions.

    ``side`` is left, right, bottom or top; ``start``/``end`` measure along it from its lower
    (left or bottom) end [m] (default: the whole side). Sides not named are still walls.
    """

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    side: Literal["left", "right", "bottom", "top"]
    start: Annotated[float, Unit("m"), Field(ge=0)] | None = None
    end: Annotated[float, Unit("m"), Field(gt=0)] | None = None
    kind: Literal["wall", "moving_wall", "inlet", "outlet", "symmetry"] = "wall"
    velocity: Annotated[float, Unit("m/s"), Field(ge=-1e3, le=1e3)] | None = Field(
        None, description="inlet: mean inflow speed; moving wall: speed along +x or +y"
    )
    flow_rate: Annotated[float, Unit("m^3/s"), Field(gt=0, le=100)] | None = Field(
        None, description="inlet: volume flow over the depth (instead of velocity)"
    )
    profile: Literal["uniform", "parabolic"] = "uniform"
    temperature: Kelvin | None = Field(
        None, description="inlet: inflow temperature; wall: a wall held at this temperature"
    )
    heat_flux: Annotated[float, Unit("W/m^2"), Field(ge=-1e8, le=1e8)] | None = Field(
        None, description="wall: heat flux into the domain"
    )

    @model_validator(mode="after")
    def _consistent(self) -> EdgeSpec:
        if self.kind == "inlet" and (self.velocity is None) == (self.flow_rate is None):
            raise ValueError("an inlet needs velocity or flow_rate (one of them)")
        if self.kind == "inlet" and self.velocity is not None and self.velocity <= 0:
            raise ValueError(
                f"inlet velocity must be positive (into the domain), got {self.velocity}"
            )
        if self.kind == "moving_wall" and self.velocity is None:
            raise ValueError("a moving wall needs its velocity")
        if self.temperature is not None and self.heat_flux is not None:
            raise ValueError("give temperature or heat_flux, not both")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError("end must be beyond start")
        return self


class Flow2DSpec(BaseModel):
    """What ``cfd.flow2d`` solves."""

    model_config = ConfigDict(extra="forbid")

    geometry: Literal["shapes", "plate"] = Field(
        "shapes",
        description="shapes: the domain and primitives below; plate: the pack's "
        "cooling plate seen from above (depth-averaged channels in the plate metal)",
    )
    length: Metres | None = Field(None, description="domain extent along x")
    height: Metres | None = Field(None, description="domain extent along y")
    cells: int = Field(
        128,
        ge=4,
        le=4096,
        description="cells along the longer side (a plate: at least this fine, with the cell a "
        "whole fraction of the channel width and at least 4 across it)",
    )
    depth: Metres = Field(1.0, description="extent out of plane (per metre for a section)")
    thin_channel: bool = Field(
        False, description="depth-averaged flow between walls 'depth' apart: drag 12 mu/depth^2"
    )
    coolant: str = "water"
    density: Annotated[float, Unit("kg/m^3"), Field(gt=0, le=30000)] | None = Field(
        None, description="override the coolant's (e.g. for a case set by its Reynolds number)"
    )
    viscosity: Annotated[float, Unit("Pa.s"), Field(gt=0, le=1e3)] | None = None
    conductivity: Annotated[float, Unit("W/(m.K)"), Field(gt=0, le=5000)] | None = None
    specific_heat: Annotated[float, Unit("J/(kg.K)"), Field(gt=0, le=1e5)] | None = None
    reference_temperature: Kelvin = Field(298.15, description="coolant properties taken at")
    shapes: list[ShapeSpec] = Field(default_factory=list)
    edges: list[EdgeSpec] = Field(default_factory=list)
    outlet_pressure: Annotated[float, Unit("Pa"), Field(ge=-1e7, le=1e7)] = 0.0
    energy: bool = Field(True, description="solve the temperature too")
    initial_temperature: Kelvin = 298.15
    mode: Literal["steady", "transient"] = "steady"
    duration: Annotated[float, Unit("s"), Field(gt=0, le=1e7)] = 10.0
    time_step: Annotated[float, Unit("s"), Field(gt=0, le=1e5)] = 0.1
    output_every: int = Field(10, ge=1, le=100000)
    max_iterations: int = Field(20000, ge=1, le=1000000, description="steady: outer iterations")
    tolerance: float = Field(
        1e-6, gt=0, le=1e-2, description="steady: residuals relative to the inflow (or lid) speed"
    )
    relaxation: float = Field(0.98, gt=0.1, le=1.0, description="SIMPLEC momentum relaxation")
    heat_per_cell: Annotated[float, Unit("W"), Field(ge=0, le=1e4)] = Field(
        0.0, description="plate: heat each cell gives the plate"
    )
    backend: Literal["numba", "numpy"] = Field("numba", description="numpy: the slow reference")

    @model_validator(mode="after")
    def _domain(self) -> Flow2DSpec:
        if self.geometry == "shapes" and (self.length is None or self.height is None):
            raise ValueError("a domain drawn from shapes needs length and height")
        if self.mode == "transient" and self.time_step > self.duration:
            raise ValueError("time_step is longer than the duration")
        names = [e.name for e in self.edges]
        duplicate = next((n for n in names if names.count(n) > 1), None)
        if duplicate:
            raise ValueError(f"two edges are called {duplicate!r}")
        fixed = any(e.kind == "inlet" or e.temperature is not None for e in self.edges)
        if self.geometry == "shapes" and self.energy and self.mode == "steady" and not fixed:
            # the steady temperature is then fixed by nothing: the solve returned 0 K
            raise ValueError(
                "a steady temperature needs an edge that sets one (an inlet, or a wall with a "
                "temperature); add one to edges, run it transient from initial_temperature, "
                "or set energy = false"
            )
        return self
