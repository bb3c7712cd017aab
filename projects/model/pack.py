"""Packs built from cells: module arrangement, busbars, cooling plate, interface and enclosure.

The cell/pack builder (projects.design) computes the derived figures (mass, volume, busbar
resistance, bill of materials); these models only hold and validate what a user states.
Lengths are in the pack frame: x along module rows, y across, z up from the cooling plate.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from cellwright.projects.model.base import CWModel, Slug, Unit, new_id

__all__ = [
    "Busbar",
    "CoolingPlate",
    "Enclosure",
    "ModuleArrangement",
    "PackDesign",
    "ThermalInterface",
]

Length = Annotated[float, Unit("m"), Field(gt=0, le=10.0)]
Gap = Annotated[float, Unit("m"), Field(ge=0, le=1.0)]
Thin = Annotated[float, Unit("m"), Field(gt=0, le=0.1)]


class ModuleArrangement(CWModel):
    """How cells sit in a module (a grid of ``rows`` × ``columns``) and modules in the pack.

    ``gap`` is the clear distance between neighbouring cells; modules are placed side by
    side along x in ``module_rows`` rows with ``module_gap`` between them.
    """

    rows: int = Field(ge=1, le=200, description="cells along y in one module")
    columns: int = Field(ge=1, le=200, description="cells along x in one module")
    gap: Gap = 2e-3
    orientation: Literal["upright", "flat"] = Field(
        "upright", description="cell axis (cylinder axis, or pouch/prismatic width) vertical"
    )
    module_rows: int = Field(1, ge=1, le=100, description="rows of modules along y")
    module_gap: Gap = 10e-3
    frame_material: Slug | None = Field(None, description="cell holder / module frame material")
    frame_mass_per_cell: Annotated[float, Unit("kg"), Field(ge=0, le=1.0)] = 0.0

    @property
    def cells_per_module(self) -> int:
        """Cells in one module."""
        return self.rows * self.columns


class Busbar(CWModel):
    """The busbar between two series groups: a bar of ``width`` × ``thickness`` cross-section."""

    material: Slug = "copper-busbar"
    width: Thin = 10e-3
    thickness: Thin = 1e-3
    length_per_connection: Length = Field(
        30e-3, description="current path length of one series connection"
    )

    @property
    def cross_section(self) -> float:
        """Cross-section area [m^2]."""
        return self.width * self.thickness


class CoolingPlate(CWModel):
    """A liquid cold plate under the cells with rectangular channels milled into it.

    Serpentine plates are one channel folded into ``channel_count`` passes; parallel plates have
    ``channel_count`` channels between an inlet and an outlet manifold, fed from the same end
    (U) or from opposite ends (Z). The coolant arrives at ``inlet_temperature`` with
    ``flow_rate``, or with whatever flow the pump delivers when a ``pump_curve`` is given.
    """

    material: Slug = "aluminium-6061"
    thickness: Thin = 6e-3
    channel_layout: Literal["serpentine", "parallel"] = "serpentine"
    channel_count: int = Field(4, ge=1, le=200, description="passes (serpentine) or channels")
    channel_width: Thin = 8e-3
    channel_height: Thin = 3e-3
    margin: Gap = Field(5e-3, description="plate extends this far beyond the cells")
    coolant: Slug = "water-glycol-50"
    flow_arrangement: Literal["U", "Z"] = Field(
        "Z", description="parallel: inlet and outlet at the same end of the manifolds (U) or "
        "at opposite ends (Z)"
    )  # fmt: skip
    manifold_width: Thin | None = Field(
        None, description="parallel: width of the inlet and outlet manifolds (default: channel)"
    )
    flow_rate: Annotated[float, Unit("m^3/s"), Field(gt=0, le=0.05)] = Field(
        2.0 / 60000, description="coolant flow into the plate (2 L/min)"
    )
    inlet_temperature: Annotated[float, Unit("K"), Field(ge=200, le=420)] = 298.15
    pump_curve: list[tuple[float, float]] | None = Field(
        None,
        description="pump pressure rise against flow, [[m^3/s, Pa], ...]; when given, the "
        "flow is where it meets the plate's pressure drop",
    )

    @model_validator(mode="after")
    def _channels_inside_plate(self) -> CoolingPlate:
        if self.channel_height >= self.thickness:
            raise ValueError(
                f"channel_height ({self.channel_height * 1e3:g} mm) must be less than the plate "
                f"thickness ({self.thickness * 1e3:g} mm)"
            )
        return self

    @property
    def header_width(self) -> float:
        """Width of a parallel plate's manifolds [m]."""
        return self.manifold_width or self.channel_width


class ThermalInterface(CWModel):
    """Gap pad or paste between the cells and the cooling plate."""

    material: Slug = "gap-pad"
    thickness: Thin = 1e-3


class Enclosure(CWModel):
    """A box around modules and cooling plate; ``length`` × ``width`` × ``height`` inside."""

    material: Slug = "aluminium-6061"
    length: Length
    width: Length
    height: Length
    wall_thickness: Thin = 2e-3


class PackDesign(CWModel):
    """A pack of ``series`` × ``parallel`` identical cells."""

    id: str = Field(default_factory=new_id)
    name: str = Field(min_length=1)
    cell: str = Field(min_length=1, description="id of a cell design or a library reference cell")
    series: int = Field(1, ge=1, le=1000)
    parallel: int = Field(1, ge=1, le=1000)
    busbar_resistance: Annotated[float, Unit("ohm"), Field(ge=0, le=1.0)] = 0.0
    arrangement: ModuleArrangement | None = None
    busbar: Busbar | None = None
    cooling_plate: CoolingPlate | None = None
    thermal_interface: ThermalInterface | None = None
    enclosure: Enclosure | None = None
    notes: str = ""

    @property
    def cell_count(self) -> int:
        """Number of cells in the pack."""
        return self.series * self.parallel

    @model_validator(mode="after")
    def _whole_modules(self) -> PackDesign:
        arrangement = self.arrangement
        if arrangement is not None and self.cell_count % arrangement.cells_per_module:
            raise ValueError(
                f"arrangement: {self.cell_count} cells ({self.series}s{self.parallel}p) do not "
                f"fill whole modules of {arrangement.rows} x {arrangement.columns} = "
                f"{arrangement.cells_per_module} cells"
            )
        return self

    @property
    def module_count(self) -> int:
        """Number of modules (1 without an arrangement)."""
        if self.arrangement is None:
            return 1
        return self.cell_count // self.arrangement.cells_per_module
