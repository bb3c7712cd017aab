"""Pydantic models of everything a project holds.

Each name is imported from its module on first use (PEP 562 ``__getattr__``): a command
that stores a lab run builds the lab-run models, not the hundred models of designs, packs,
studies and results (~0.1 s of every ``cellwright`` start-up). ``from cellwright.projects.model
import X`` works as before; the ``TYPE_CHECKING`` imports are for type checkers and editors.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cellwright.projects.model.base import (
        CWModel,
        FloatArray,
        IntArray,
        Unit,
        new_id,
        unit_of,
        upper_bound,
    )
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
    from cellwright.projects.model.cost import (
        COST_MODEL_ID,
        CostAssumptions,
        PriceOverride,
    )
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
    from cellwright.projects.model.ecm import (
        EcmParameters,
        RCTables,
    )
    from cellwright.projects.model.errors import (
        InputError,
        describe_validation_error,
    )
    from cellwright.projects.model.geometry import (
        IMPORT_FORMATS,
        ImportedGeometry,
    )
    from cellwright.projects.model.labrun import (
        LabRun,
        PhysicalCell,
    )
    from cellwright.projects.model.material import (
        Material,
        MaterialClass,
        PropertyValue,
    )
    from cellwright.projects.model.pack import (
        Busbar,
        CoolingPlate,
        Enclosure,
        ModuleArrangement,
        PackDesign,
        ThermalInterface,
    )
    from cellwright.projects.model.parameter_fit import (
        FittedParameter,
        ParameterFit,
    )
    from cellwright.projects.model.passport import (
        Passport,
        PassportDraft,
        PassportValue,
    )
    from cellwright.projects.model.result import (
        TIME,
        FieldData,
        MeshData,
        Provenance,
        Result,
        ResultStatus,
    )
    from cellwright.projects.model.snapshot import (
        DesignSnapshot,
    )
    from cellwright.projects.model.study import (
        DesignKind,
        DesignRef,
        Study,
        spec_hash,
    )
    from cellwright.projects.model.twin import (
        EventKind,
        PhysicalPack,
    )

#: public name -> the module of this package that defines it
_WHERE = {
    "CWModel": "base",
    "FloatArray": "base",
    "IntArray": "base",
    "Unit": "base",
    "new_id": "base",
    "upper_bound": "base",
    "unit_of": "base",
    "CellDesign": "cell",
    "CellFormat": "cell",
    "CylindricalGeometry": "cell",
    "Electrode": "cell",
    "PouchGeometry": "cell",
    "PrismaticGeometry": "cell",
    "ReferenceCell": "cell",
    "Tab": "cell",
    "COST_MODEL_ID": "cost",
    "CostAssumptions": "cost",
    "PriceOverride": "cost",
    "Constraint": "design_study",
    "DesignStudy": "design_study",
    "Objective": "design_study",
    "PointStatus": "design_study",
    "Sampler": "design_study",
    "StudyInput": "design_study",
    "StudyPoint": "design_study",
    "point_id": "design_study",
    "EcmParameters": "ecm",
    "RCTables": "ecm",
    "InputError": "errors",
    "describe_validation_error": "errors",
    "IMPORT_FORMATS": "geometry",
    "ImportedGeometry": "geometry",
    "LabRun": "labrun",
    "PhysicalCell": "labrun",
    "Material": "material",
    "MaterialClass": "material",
    "PropertyValue": "material",
    "Busbar": "pack",
    "CoolingPlate": "pack",
    "Enclosure": "pack",
    "ModuleArrangement": "pack",
    "PackDesign": "pack",
    "ThermalInterface": "pack",
    "FittedParameter": "parameter_fit",
    "ParameterFit": "parameter_fit",
    "Passport": "passport",
    "PassportDraft": "passport",
    "PassportValue": "passport",
    "FieldData": "result",
    "MeshData": "result",
    "Provenance": "result",
    "Result": "result",
    "ResultStatus": "result",
    "TIME": "result",
    "DesignSnapshot": "snapshot",
    "DesignKind": "study",
    "DesignRef": "study",
    "Study": "study",
    "spec_hash": "study",
    "EventKind": "twin",
    "PhysicalPack": "twin",
}

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
    "upper_bound",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        if name.islower() and not name.startswith("_"):  # a submodule: model.cell, model.pack
            try:
                return importlib.import_module(f"{__name__}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{__name__}.{name}":
                    raise  # the submodule exists but needs something missing
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
