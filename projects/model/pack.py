"""Packs built from cells (the cell/pack builder adds modules, busbars, cooling and enclosure)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from projects.model.base import CWModel, Unit, new_id

__all__ = ["PackDesign"]


class PackDesign(CWModel):
    """A pack of ``series`` × ``parallel`` identical cells."""

    id: str = Field(default_factory=new_id)
    name: str = Field(min_length=1)
    cell: str = Field(min_length=1, description="id of a cell design or a library reference cell")
    series: int = Field(1, ge=1, le=1000)
    parallel: int = Field(1, ge=1, le=1000)
    busbar_resistance: Annotated[float, Unit("ohm"), Field(ge=0, le=1.0)] = 0.0
    notes: str = ""

    @property
    def cell_count(self) -> int:
        """Number of cells in the pack."""
        return self.series * self.parallel
