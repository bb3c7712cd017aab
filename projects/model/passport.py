"""A battery passport: attribute values with where each came from, and what the user entered.

Values are kept in the units of the Battery Pass long-list (kg, Ah, kWh, W, %, °C, minutes),
the units a passport is exchanged in, not SI: a passport is a document, not a computation.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from cellwright.projects.model.base import CWModel

__all__ = ["PROVENANCE", "Passport", "PassportDraft", "PassportValue"]

#: where a passport value can come from
PROVENANCE = ("design", "library", "lab", "twin", "user", "import", "default")


class PassportValue(CWModel):
    """One attribute's value and its provenance."""

    value: Any
    source: str = Field(description="one of " + ", ".join(PROVENANCE))
    detail: str = Field("", description="which design, library entry, run or event")
    updated: str | None = Field(None, description="time of a dynamic value (ISO 8601)")


class Passport(CWModel):
    """A compiled passport of one physical battery, as issued or as it would be now."""

    identifier: str = Field(pattern=r"^urn:[a-z0-9]+:[a-z0-9]+$")
    battery: str = Field(min_length=1, description="serial number")
    version: int = Field(0, ge=0, description="0 for a draft, 1, 2, … once issued")
    issued_at: str = ""
    chain_head: str = Field("", description="hash of the battery's last history event")
    values: dict[str, PassportValue] = Field(default_factory=dict)
    catenax: dict[str, Any] = Field(
        default_factory=dict, description="Catena-X-only fields: BPNs, codes, classification"
    )


class PassportDraft(CWModel):
    """What the user entered for a battery's passport (kind ``passport_draft``)."""

    id: str = Field(description="the battery's id")
    name: str = Field(min_length=1, description="the battery's serial")
    identifier: str = Field("", description="passport identifier; generated when empty")
    values: dict[str, Any] = Field(default_factory=dict, description="attribute key -> value")
    sources: dict[str, str] = Field(
        default_factory=dict, description="attribute key -> file it was imported from"
    )
    updated: dict[str, str] = Field(
        default_factory=dict,
        description="attribute key -> time of an imported dynamic value (its lastUpdate)",
    )
    catenax: dict[str, Any] = Field(
        default_factory=dict, description="Catena-X-only fields as JSON path -> value"
    )
