"""Physical packs and the events of a battery's life (its digital-twin history).

A physical cell is :class:`~cellwright.projects.model.labrun.PhysicalCell` (kind
``physical_cell``, older than the twin); a physical pack is :class:`PhysicalPack` (kind
``physical_pack``). A cell names the pack it is built into, so membership has one home.
Events are not objects: they live in the append-only ``twin_events`` table of the project file
(``projects/passport/history.py``), each hashed into a chain.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from cellwright.projects.model.base import CWModel, new_id

__all__ = ["EventKind", "PhysicalPack"]


class PhysicalPack(CWModel):
    """One physical pack (serial number), built to a pack design."""

    id: str = Field(default_factory=new_id)
    name: str = Field(min_length=1, description="serial number")
    design: str = Field("", description="pack design id")
    notes: str = ""
    manufacturer: str = ""
    production_date: date | None = None
    production_site: str = ""


class EventKind(StrEnum):
    """What an event in a battery's history records."""

    REGISTERED = "registered"  # the battery was added to the project
    MANUFACTURING = "manufacturing"  # an end-of-line record (capacity, resistance, OCV, mass)
    LAB_RUN = "labrun"  # a cycler run measured on the battery (the run is a labrun object)
    TELEMETRY = "telemetry"  # a BMS telemetry segment (columns stored as arrays)
    SERVICE = "service"  # inspection, repair, module exchange
    FIELD = "field"  # an event in use: accident, deep discharge, overcharge, thermal event
    SECOND_LIFE = "second_life"  # repurposed, reused or remanufactured
    RECYCLING = "recycling"  # handed to a recycler: the end of the battery's life
    PASSPORT = "passport"  # a passport version was issued (its SHA-256 is in the payload)
    PACK_MEMBERSHIP = "pack_membership"  # the cell was built into (or taken out of) a pack
    ESTIMATE = "estimate"  # a state-of-health / remaining-life estimate and what it was made from
