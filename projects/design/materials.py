"""Looking up the materials a design names, with errors that say which field named them."""

from __future__ import annotations

from collections.abc import Mapping

from cellwright.projects.model import CellDesign, InputError, Material, PackDesign

__all__ = ["MaterialTable", "design_material_ids", "pack_material_ids"]


class MaterialTable:
    """The materials of a snapshot, read by the field of the design that refers to them.

    Parameters
    ----------
    materials
        Material id -> material, e.g. ``DesignSnapshot.materials`` or a library selection.
    where
        Name of the design, put in front of every error message.
    """

    def __init__(self, materials: Mapping[str, Material], where: str | None = None) -> None:
        self._materials = dict(materials)
        self.where = where
        self.unpriced: set[str] = set()

    def material(self, material_id: str | None, field: str) -> Material:
        """The material ``field`` names; an InputError names the field if it is unset or absent."""
        if not material_id:
            raise InputError(f"{field}: no material is set", self.where)
        try:
            return self._materials[material_id]
        except KeyError:
            known = ", ".join(sorted(self._materials)) or "none"
            raise InputError(
                f"{field}: material {material_id!r} is not among the design's materials "
                f"(known: {known})",
                self.where,
            ) from None

    def density(self, material_id: str | None, field: str) -> float:
        """Density [kg/m^3] of the material ``field`` names."""
        return self._required(material_id, field, "density")

    def value(self, material_id: str | None, field: str, name: str) -> float:
        """Property ``name`` of the material ``field`` names (an error if it has none)."""
        return self._required(material_id, field, name)

    def optional(self, material_id: str | None, field: str, name: str) -> float | None:
        """Property ``name`` of the material, or None if the material does not state it."""
        return self.material(material_id, field).value(name)

    def price(self, material_id: str | None, field: str) -> float:
        """Price [USD/kg]; a material without one costs 0 and is remembered in ``unpriced``."""
        price = self.material(material_id, field).value("price")
        if price is None:
            self.unpriced.add(str(material_id))
            return 0.0
        return price

    def _required(self, material_id: str | None, field: str, name: str) -> float:
        value = self.material(material_id, field).value(name)
        if value is None:
            raise InputError(
                f"{field}: material {material_id!r} has no {name} (add it to the library entry "
                "or override it in the project)",
                self.where,
            )
        return value


def design_material_ids(design: CellDesign) -> set[str]:
    """Every material id a cell design names: electrodes, separator, electrolyte, housing, tabs."""
    ids = {design.separator, design.electrolyte}
    for electrode in (design.positive, design.negative):
        if electrode is not None:
            ids |= {
                electrode.active_material,
                electrode.binder,
                electrode.conductive_additive,
                electrode.current_collector,
            }
    geometry = design.geometry
    if geometry is not None:
        ids |= {geometry.positive_tab.material, geometry.negative_tab.material}
        ids.add(geometry.laminate_material if geometry.kind == "pouch" else geometry.can_material)
        if geometry.kind == "cylindrical":
            ids.add("air")  # the headspace gas of a can, which the thermal engines mesh
    return {i for i in ids if i}


def pack_material_ids(pack: PackDesign) -> set[str]:
    """Every material id a pack design names (its cell's materials not included)."""
    ids = set()
    if pack.busbar is not None:
        ids.add(pack.busbar.material)
    if pack.cooling_plate is not None:
        ids |= {pack.cooling_plate.material, pack.cooling_plate.coolant}
    if pack.thermal_interface is not None:
        ids.add(pack.thermal_interface.material)
    if pack.enclosure is not None:
        ids.add(pack.enclosure.material)
    if pack.arrangement is not None and pack.arrangement.frame_material:
        ids.add(pack.arrangement.frame_material)
    return ids
