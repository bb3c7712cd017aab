"""Geometry that the builder did not make: a CAD file or a mesh, with a material per group.

A study may run on an imported geometry instead of its design: a STEP, IGES or BREP file that
gmsh meshes (an enclosure, a bracket, a module frame), or a ready .msh/.vtu mesh with named
groups. Every volume group gets a library material; faces are named by the file (.msh physical
groups, .vtu cell sets) or here, by a box that contains them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator

from cellwright.projects.model.base import CWModel, Slug, Unit

__all__ = ["IMPORT_FORMATS", "ImportedGeometry"]

IMPORT_FORMATS = {".step": "cad", ".stp": "cad", ".iges": "cad", ".igs": "cad",
                  ".brep": "cad", ".msh": "mesh", ".vtu": "mesh"}  # fmt: skip


class ImportedGeometry(CWModel):
    """A CAD file or mesh with named groups and the material of each volume group."""

    file: str = Field(min_length=1, description="path of a .step/.stp/.iges/.igs/.brep/.msh/.vtu")
    materials: dict[str, Slug] = Field(
        description="volume group -> library material id; CAD volumes are named volume_1, "
        "volume_2 … (or by their names in the file); '*' gives every unnamed volume"
    )
    faces: dict[str, tuple[float, float, float, float, float, float]] = Field(
        default_factory=dict,
        description="face group -> box (xmin, ymin, zmin, xmax, ymax, zmax) [m]: the boundary "
        "faces inside the box form the group (CAD files and meshes alike)",
    )
    mesh_size: Annotated[float, Unit("m"), Field(gt=0, le=1.0)] | None = Field(
        None, description="CAD files: element size; default: a twentieth of the largest extent"
    )
    heat_regions: list[str] = Field(
        default_factory=list,
        description="thermal studies: the volume groups that generate heat, one 'cell' each",
    )
    scale: float = Field(
        1.0,
        gt=0,
        description="factor to metres for meshes and BREP; STEP/IGES are read in metres by "
        "their own unit and scaled on top only to correct a wrong unit in the file",
    )

    @field_validator("file")
    @classmethod
    def _known_format(cls, value: str) -> str:
        suffix = Path(value).suffix.lower()
        if suffix not in IMPORT_FORMATS:
            raise ValueError(
                f"{value!r}: unknown format {suffix or '(no extension)'}; use one of "
                + ", ".join(sorted(IMPORT_FORMATS))
            )
        return value

    @property
    def kind(self) -> str:
        """``cad`` (meshed with gmsh) or ``mesh``."""
        return IMPORT_FORMATS[Path(self.file).suffix.lower()]
