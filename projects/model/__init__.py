"""Pydantic models of everything a project holds."""

from cellwright.projects.model.base import CWModel, FloatArray, IntArray, Unit, new_id, unit_of
from cellwright.projects.model.cell import (
    CellDesign,
    CellFormat,
    CylindricalGeometry,
    Electrode,
    PouchGeometry,
    PrismaticGeometry,
    ReferenceCell,
    Tab,
)
from cellwright.projects.model.cost import COST_MODEL_ID, CostAssumptions, PriceOverride
from cellwright.projects.model.design_study import (
    Constraint,
    DesignStudy,
    Objective,
    PointStatus,
    Sampler,
    StudyInput,
    StudyPoint,
    point_id,
)
from cellwright.projects.model.ecm import EcmParameters, RCTables
from cellwright.projects.model.errors import InputError, describe_validation_error
from cellwright.projects.model.geometry import IMPORT_FORMATS, ImportedGeometry
from cellwright.projects.model.labrun import LabRun, PhysicalCell
from cellwright.projects.model.material import Material, MaterialClass, PropertyValue
from cellwright.projects.model.pack import (
    Busbar,
    CoolingPlate,
    Enclosure,
    ModuleArrangement,
    PackDesign,
    ThermalInterface,
)
from cellwright.projects.model.parameter_fit import FittedParameter, ParameterFit
from cellwright.projects.model.passport import Passport, PassportDraft, PassportValue
from cellwright.projects.model.result import (
    TIME,
    FieldData,
    MeshData,
    Provenance,
    Result,
    ResultStatus,
)
from cellwright.projects.model.snapshot import DesignSnapshot
from cellwright.projects.model.study import DesignKind, DesignRef, Study, spec_hash
from cellwright.projects.model.twin import EventKind, PhysicalPack

__all__ = [
    "COST_MODEL_ID",
    "IMPORT_FORMATS",
    "TIME",
    "Busbar",
    "CWModel",
    "CellDesign",
    "CellFormat",
    "Constraint",
    "CoolingPlate",
    "CostAssumptions",
    "CylindricalGeometry",
    "DesignKind",
    "DesignRef",
    "DesignSnapshot",
    "DesignStudy",
    "EcmParameters",
    "Electrode",
    "Enclosure",
    "EventKind",
    "FieldData",
    "FittedParameter",
    "FloatArray",
    "ImportedGeometry",
    "InputError",
    "IntArray",
    "LabRun",
    "Material",
    "MaterialClass",
    "MeshData",
    "ModuleArrangement",
    "Objective",
    "PackDesign",
    "ParameterFit",
    "Passport",
    "PassportDraft",
    "PassportValue",
    "PhysicalCell",
    "PhysicalPack",
    "PointStatus",
    "PouchGeometry",
    "PriceOverride",
    "PrismaticGeometry",
    "PropertyValue",
    "Provenance",
    "RCTables",
    "ReferenceCell",
    "Result",
    "ResultStatus",
    "Sampler",
    "Study",
    "StudyInput",
    "StudyPoint",
    "Tab",
    "ThermalInterface",
    "Unit",
    "describe_validation_error",
    "new_id",
    "point_id",
    "spec_hash",
    "unit_of",
]
