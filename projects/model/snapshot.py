"""What a study run is handed: the design with every library value it needs, frozen in time.

A snapshot is plain data (pydantic), so it crosses process boundaries to a worker or a Dask
cluster unchanged, and a run never reads the project file or the library while it works.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from cellwright.projects.model.base import CWModel
from cellwright.projects.model.cell import CellDesign, ReferenceCell
from cellwright.projects.model.ecm import EcmParameters
from cellwright.projects.model.material import Material
from cellwright.projects.model.pack import PackDesign

__all__ = ["DesignSnapshot"]


class DesignSnapshot(CWModel):
    """A design and the library entries it refers to."""

    cell: CellDesign
    pack: PackDesign | None = None
    reference_cell: ReferenceCell | None = None
    materials: dict[str, Material] = Field(default_factory=dict)
    ecm_parameters: EcmParameters | None = None
    library_version: str = ""

    @model_validator(mode="after")
    def _reference_matches(self) -> DesignSnapshot:
        ref = self.reference_cell
        if ref is not None and self.cell.reference_cell not in (None, ref.id):
            raise ValueError(
                f"cell design refers to {self.cell.reference_cell!r} but the snapshot holds "
                f"{ref.id!r}"
            )
        return self

    @property
    def parameter_set(self) -> str | None:
        """The PyBaMM parameter set to start from: the design's own, else the reference cell's."""
        if self.cell.pybamm_parameter_set:
            return self.cell.pybamm_parameter_set
        return self.reference_cell.pybamm_parameter_set if self.reference_cell else None
