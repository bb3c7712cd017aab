"""Which fields of a design name a library material, and what class of material each takes.

The builder's material picker filters the library by these classes, a design file's import
checks them, and a positive electrode cannot end up with an anode material by a slip of the
keyboard.
"""

from __future__ import annotations

from pydantic import BaseModel

from cellwright.projects.model import CellDesign, PackDesign

__all__ = ["MATERIAL_CLASSES", "material_class_for", "material_fields"]

_METAL = ("structural", "casing", "current_collector")

#: field name (the last part of its path) -> the material classes it accepts
MATERIAL_CLASSES: dict[str, tuple[str, ...]] = {
    "binder": ("binder",),
    "conductive_additive": ("conductive_additive",),
    "current_collector": ("current_collector",),
    "separator": ("separator",),
    "electrolyte": ("electrolyte",),
    "can_material": ("casing",),
    "laminate_material": ("casing",),
    "coolant": ("coolant",),
    "frame_material": _METAL,
}


def material_class_for(path: str) -> tuple[str, ...]:
    """The classes of material the field at ``path`` accepts (empty: any)."""
    parts = path.split(".")
    leaf = parts[-1]
    if leaf == "active_material":
        return ("cathode_active",) if parts[0] == "positive" else ("anode_active",)
    if leaf == "material":
        owner = parts[-2] if len(parts) > 1 else ""
        if owner.endswith("_tab"):
            return ("current_collector", "structural")
        if owner == "thermal_interface":
            return ("thermal_interface",)
        return _METAL
    return MATERIAL_CLASSES.get(leaf, ())


def _walk(model, prefix: str):
    for name in type(model).model_fields:
        value = getattr(model, name)
        path = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            yield from _walk(value, path + ".")
        elif (
            isinstance(value, str)
            and value
            and material_class_for(path)
            and (name.endswith("material") or name in MATERIAL_CLASSES)
        ):
            yield path, value


def material_fields(design: CellDesign | PackDesign) -> list[tuple[str, str, tuple[str, ...]]]:
    """(dotted path, material id, accepted classes) of every material a design names."""
    return [(path, value, material_class_for(path)) for path, value in _walk(design, "")]
