"""Studies: an engine, its spec and the design it applies to."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from cellwright.projects.model.base import CWModel, new_id

__all__ = ["DesignKind", "DesignRef", "Study", "spec_hash"]


class DesignKind(StrEnum):
    """What a study's design reference points at."""

    LIBRARY_CELL = "library_cell"
    CELL = "cell"
    PACK = "pack"


class DesignRef(CWModel):
    """Points at a design: a library reference cell, or a cell or pack design in the project."""

    kind: DesignKind
    id: str = Field(min_length=1)


class Study(CWModel):
    """One study: which engine runs, with which spec, on which design.

    ``spec`` is kept as plain data here; the engine's own ``Spec`` model validates it before
    any heavy work (see :mod:`cellwright.engines.api`).
    """

    id: str = Field(default_factory=new_id)
    name: str = Field(min_length=1)
    engine: str = Field(min_length=1, pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
    spec: dict[str, Any] = Field(default_factory=dict)
    design: DesignRef
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    notes: str = ""


def spec_hash(spec: dict[str, Any]) -> str:
    """A stable SHA-256 of a spec's canonical JSON, recorded in result provenance."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()
