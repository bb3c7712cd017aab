"""How the report words what the engines and the library store for machines: a flag stored as
1.0 or 0.0 reads "yes" or "no", a table's key ("psd", "cells") a title, a pack mesh's region
(``cell_0003``) "Cell 3", a material's library id (``nmc811``) the material's name.

A manager reading "Passes target 1" or a table headed "psd" has to guess what the engine meant;
the window and the CLI keep the stored names (they are what ``cellwright results`` and the
Python API take), the report says them in words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from cellwright.app.field_labels import readable_title

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

#: figures the engines store as 1.0 (true) or 0.0 (false), by name without the unit; NaN where
#: the engine leaves the question open (a squeeze whose verdict is its chained runaway study's)
FLAGS = frozenset(
    {
        "Converged",  # cfd.flow2d
        "Exceeds force limit",  # mechanics.swelling
        "Passes",  # mechanics.crush
        "Passes target",  # mechanics.modal
        "Residual vector",  # mechanics.modal / vibration, per mode
        "Rigid-body mode",  # mechanics.modal, per mode
        "Runaway",  # thermal.runaway, overall and per cell
    }
)

#: table keys whose words alone do not say what the table holds
_TITLES = {"psd": "Power spectral densities (PSD)"}

_REGION = re.compile(r"\bcell_0*(\d+)\b")


def is_flag(name: str) -> bool:
    """Whether the figure or column ``name`` ("Runaway [-]") is a yes/no flag."""
    return name.rsplit(" [", 1)[0] in FLAGS


def flag_text(value: float) -> str:
    """1.0 -> "yes", 0.0 -> "no", NaN -> "–" (the engine decided nothing)."""
    value = float(value)
    if not math.isfinite(value):
        return "–"
    return "yes" if value else "no"


def table_title(name: str) -> str:
    """A result table's key as a heading: ``"psd"`` -> ``"Power spectral densities (PSD)"``,
    ``"coolant branches"`` -> ``"Coolant branches"``."""
    if name in _TITLES:
        return _TITLES[name]
    return readable_title(name[:1].upper() + name[1:])


def series_label(name: str) -> str:
    """A series' name for a legend: its unit dropped, a mesh region named as a reader would
    (``"cell_0000 maximum temperature [K]"`` -> ``"Cell 0 maximum temperature"``)."""
    label = _REGION.sub(lambda m: f"Cell {m.group(1)}", name.rsplit(" [", 1)[0])
    return label[:1].upper() + label[1:]


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
