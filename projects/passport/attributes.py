"""The 93 passport attributes of the Battery Pass long-list v1.2 and who may see each.

Regulation (EU) 2023/1542 Art. 77(2) and Annex XIII split a passport's content into what the
public may see, what persons with a legitimate interest (and the Commission) may see, and what
only notified bodies, market-surveillance authorities and the Commission may see. The levels
are ordered: an export for a level holds every attribute of that level and below, never one
above (resources/passport/README.md says where the table comes from).
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from functools import lru_cache

from cellwright.projects.model import InputError
from cellwright.resources import ROOT

__all__ = ["ACCESS_LEVELS", "Attribute", "access_rank", "attribute", "attributes", "visible"]

#: access levels, lowest first
ACCESS_LEVELS = ("public", "legitimate-interest", "authority")


@dataclass(frozen=True)
class Attribute:
    """One attribute of the long-list and where it sits in the exchange formats."""

    number: int
    key: str
    name: str
    category: str
    access: str
    dynamic: bool
    unit: str
    battery_pass: str  # "Aspect:/path" or "" (carried inside another attribute)
    catenax: str
    catenax_transform: str

    @property
    def aspect(self) -> str:
        """The Battery Pass aspect the attribute belongs to ("" if none of its own)."""
        return self.battery_pass.split(":", 1)[0] if self.battery_pass else ""

    @property
    def path(self) -> str:
        """Its path inside the aspect's JSON."""
        return self.battery_pass.split(":", 1)[1] if self.battery_pass else ""


def access_rank(level: str) -> int:
    """0 for public, 1 for legitimate interest, 2 for authorities.

    Raises
    ------
    InputError
        For a level that is none of :data:`ACCESS_LEVELS`.
    """
    try:
        return ACCESS_LEVELS.index(level)
    except ValueError:
        raise InputError(
            f"access level {level!r} is not one of {', '.join(ACCESS_LEVELS)}", "--access"
        ) from None


def visible(attr: Attribute, level: str) -> bool:
    """Whether an export for ``level`` may contain ``attr``."""
    return access_rank(attr.access) <= access_rank(level)


@lru_cache(maxsize=1)
def attributes() -> tuple[Attribute, ...]:
    """Every attribute, in the long-list's order."""
    path = ROOT / "passport" / "attributes.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(
        Attribute(
            number=int(r["number"]),
            key=r["key"],
            name=r["attribute"],
            category=r["category"],
            access=r["access"],
            dynamic=r["dynamic"] == "dynamic",
            unit=r["unit"],
            battery_pass=r["battery_pass"],
            catenax=r["catenax"],
            catenax_transform=r["catenax_transform"],
        )
        for r in rows
    )


def attribute(key: str) -> Attribute:
    """The attribute with this key (or long-list number)."""
    for attr in attributes():
        if key in (attr.key, str(attr.number)):
            return attr
    # the hint named a `passport attributes` command there is none of; `passport show` lists
    # every key beside its long-list number
    near = difflib.get_close_matches(str(key), [a.key for a in attributes()], n=3)
    hint = f"; did you mean {' or '.join(near)}?" if near else ""
    raise InputError(
        f"no passport attribute {key!r}{hint} (`cellwright passport show SERIAL --project P` "
        "lists every key and long-list number)"
    )
