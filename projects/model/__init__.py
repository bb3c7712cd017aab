"""Pydantic models of everything a project holds."""

from projects.model.base import CWModel, FloatArray, IntArray, Unit, new_id, unit_of
from projects.model.cell import (
    CellDesign,
    CellFormat,
    CylindricalGeometry,
    Electrode,
    PouchGeometry,
    PrismaticGeometry,
    ReferenceCell,
    Tab,
)
from projects.model.ecm import EcmParameters, RCTables
from projects.model.errors import InputError, describe_validation_error
from projects.model.labrun import LabRun, PhysicalCell
from projects.model.material import Material, MaterialClass, PropertyValue
from projects.model.pack import (
    Busbar,
    CoolingPlate,
    Enclosure,
    ModuleArrangement,
    PackDesign,
    ThermalInterface,
)
from projects.model.result import TIME, FieldData, MeshData, Provenance, Result, ResultStatus
from projects.model.snapshot import DesignSnapshot
from projects.model.study import DesignKind, DesignRef, Study, spec_hash

__all__ = [
    "TIME",
    "Busbar",
    "CWModel",
    "CellDesign",
    "CellFormat",
    "CoolingPlate",
    "CylindricalGeometry",
    "DesignKind",
    "DesignRef",
    "DesignSnapshot",
    "EcmParameters",
    "Electrode",
    "Enclosure",
    "FieldData",
    "FloatArray",
    "InputError",
    "IntArray",
    "LabRun",
    "Material",
    "MaterialClass",
    "MeshData",
    "ModuleArrangement",
    "PackDesign",
    "PhysicalCell",
    "PouchGeometry",
    "PrismaticGeometry",
    "PropertyValue",
    "Provenance",
    "RCTables",
    "ReferenceCell",
    "Result",
    "ResultStatus",
    "Study",
    "Tab",
    "ThermalInterface",
    "Unit",
    "describe_validation_error",
    "new_id",
    "spec_hash",
    "unit_of",
]
