"""Physical cells and the lab runs measured on them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import Field

from cellwright.projects.model.base import CWModel, Unit, new_id

__all__ = ["LabRun", "PhysicalCell"]


class PhysicalCell(CWModel):
    """One physical cell (serial number or barcode), of a design or a library cell.

    The production fields and ``pack`` were added with the twin history (schema 2); a cell
    stored before them reads with their empty defaults.
    """

    id: str = Field(default_factory=new_id)
    name: str = Field(min_length=1, description="serial number or barcode")
    design: str = Field("", description="cell design id or library cell id")
    notes: str = ""
    manufacturer: str = ""
    production_date: date | None = None
    production_site: str = ""
    pack: str = Field("", description="id of the PhysicalPack this cell is built into")
    parameter_fit: str = Field("", description="id of the ParameterFit identified on this cell")


class LabRun(CWModel):
    """A cycler file imported into the project; its columns are stored as arrays."""

    id: str = Field(default_factory=new_id)
    name: str = Field(min_length=1)
    source_file: str
    sha256: str = Field(min_length=64, max_length=64)
    format: str
    kind: str = "timeseries"
    instrument: str = ""
    channel: str = ""
    start_time: str = ""
    physical_cell: str = Field("", description="id of the PhysicalCell measured")
    nominal_capacity: Annotated[float, Unit("A.h"), Field(gt=0, le=5000)] | None = None
    mass: Annotated[float, Unit("kg"), Field(gt=0, le=100)] | None = None
    columns: list[str]
    rows: int = Field(ge=0)
    imported_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    metadata: dict[str, Any] = Field(default_factory=dict)
