"""Materials of the library: actives, electrolytes, separators, collectors, casings, coolants …"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from cellwright.projects.model.base import CWModel, Slug
from cellwright.projects.model.properties import PROPERTIES

__all__ = ["Material", "MaterialClass", "PropertyValue"]


class MaterialClass(StrEnum):
    """What a material is for in a cell or pack."""

    CATHODE_ACTIVE = "cathode_active"
    ANODE_ACTIVE = "anode_active"
    ELECTROLYTE = "electrolyte"
    SEPARATOR = "separator"
    CURRENT_COLLECTOR = "current_collector"
    BINDER = "binder"
    CONDUCTIVE_ADDITIVE = "conductive_additive"
    CASING = "casing"
    COOLANT = "coolant"
    THERMAL_INTERFACE = "thermal_interface"
    STRUCTURAL = "structural"


class PropertyValue(CWModel):
    """One property value with its unit and the source it was taken from."""

    value: float
    unit: str
    source: str = Field(min_length=3, description="where the value comes from (paper, datasheet)")
    note: str = ""


class Material(CWModel):
    """A material with every property value sourced.

    Property names and units are those of :data:`cellwright.projects.model.properties.PROPERTIES`; a
    value outside the plausible range of its property is refused with the allowed interval.
    """

    id: Slug
    name: str = Field(min_length=1)
    material_class: MaterialClass
    chemistry: str = ""
    description: str = ""
    properties: dict[str, PropertyValue] = Field(default_factory=dict)

    @field_validator("properties")
    @classmethod
    def _known_properties_in_range(
        cls, properties: dict[str, PropertyValue]
    ) -> dict[str, PropertyValue]:
        for name, prop in properties.items():
            spec = PROPERTIES.get(name)
            if spec is None:
                known = ", ".join(sorted(PROPERTIES))
                raise ValueError(f"unknown property {name!r}; known properties: {known}")
            if prop.unit != spec.unit:
                raise ValueError(f"{name}: unit must be {spec.unit!r}, got {prop.unit!r}")
            if not spec.minimum <= prop.value <= spec.maximum:
                raise ValueError(
                    f"{name} = {prop.value:g} {spec.unit} is outside the allowed range "
                    f"[{spec.minimum:g}, {spec.maximum:g}] {spec.unit}"
                )
        return properties

    @model_validator(mode="after")
    def _voltage_window_ordered(self) -> Material:
        lo, hi = self.properties.get("voltage_min"), self.properties.get("voltage_max")
        if lo is not None and hi is not None and lo.value >= hi.value:
            raise ValueError(
                f"voltage_min ({lo.value:g} V) must be below voltage_max ({hi.value:g} V)"
            )
        return self

    def value(self, name: str, default: float | None = None) -> float | None:
        """The value of property ``name`` in its canonical unit, or ``default``."""
        prop = self.properties.get(name)
        return prop.value if prop is not None else default
