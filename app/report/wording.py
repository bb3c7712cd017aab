"""How the report words what the engines and the library store for machines: a flag stored as
1.0 or 0.0 reads "yes" or "no", a table's key ("psd", "cells") a title, a pack mesh's region
(``cell_0003``) "Cell 3", a material's library id (``nmc811``) the material's name.

A manager reading "Passes target 1" or a table headed "psd" has to guess what the engine meant;
the CLI keeps the stored names (they are what ``cellwright results`` and the Python API take),
the report says them in words. Flags, regions and numbers follow
:mod:`cellwright.projects.readable`, the rule the window shares.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from cellwright.app.field_labels import readable_title
from cellwright.projects.readable import FLAGS, flag_text, is_flag, series_label

__all__ = [
    "FLAGS",
    "flag_text",
    "is_flag",
    "material_name",
    "series_label",
    "table_title",
    "unit_text",
    "words",
]

#: table keys whose words alone do not say what the table holds
_TITLES = {"psd": "Power spectral densities (PSD)"}


def table_title(name: str) -> str:
    """A result table's key as a heading: ``"psd"`` -> ``"Power spectral densities (PSD)"``,
    ``"coolant branches"`` -> ``"Coolant branches"``."""
    if name in _TITLES:
        return _TITLES[name]
    return readable_title(name[:1].upper() + name[1:])


def material_name(materials: Mapping[str, object], material_id: str) -> str:
    """The name of library material ``material_id`` among ``materials`` (id -> Material); the
    id where the design's snapshot has no such material."""
    material = materials.get(material_id)
    return getattr(material, "name", "") or material_id


def words(identifier: str) -> str:
    """An enum's or a passport key's value as words: ``"current_collector"`` -> ``"current
    collector"``, ``"postalAddress"`` -> ``"postal address"``."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z][a-z])", " ", identifier).replace("_", " ")
    return spaced[:1] + spaced[1:].lower() if spaced[:1].islower() else spaced


_PER = re.compile(r"^(?P<top>.+?)\.(?P<per>[A-Za-z]+)-1$")


def unit_text(unit: str) -> str:
    """A stored unit as a reader writes it: ``"W.h.kg-1"`` -> ``"W.h/kg"``, ``"m3"`` ->
    ``"m^3"``, ``"1"`` (a fraction) -> ``""``; the report's other units as they are."""
    unit = unit.strip()
    if unit in ("1", "-"):
        return ""
    per = _PER.match(unit)
    if per:
        return f"{per['top']}/{per['per']}"
    return re.sub(r"^([a-zA-Z]+)([23])$", r"\1^\2", unit)
