"""A Battery Pass export's schema problems under an imported value, told as one line to act on.

A Catena-X 6.1.0 file carries some attributes in a form Battery Pass 1.2 cannot take, and a
Catena-X import keeps them so (there is no way back: a composition in percent of the battery
mass has no masses, a label is a document where Battery Pass wants its symbol and meaning, a
battery category ``SLI`` is none of Battery Pass's four). A Battery Pass export then failed with
the schema's own words at paths of the export's JSON ("Labels/labels[0]: 'labelingSymbol' is a
required property", five lines for one hazardous substance), naming neither the attribute nor
the import. Here the problems under each such attribute become one that names the attribute,
the file its value came from, the schema's first complaint and the command that enters the
value in the Battery Pass form.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from cellwright.projects.model import Passport
from cellwright.projects.passport.attributes import attribute, visible
from cellwright.projects.passport.remaining_power import KEY as SOC_KEY
from cellwright.projects.passport.schemas import Problem

__all__ = ["explain_imported_forms"]

_SELECTOR = re.compile(r"\[[^\]]*\]")


def _plain(path: str) -> str:
    """A JSON path without its list selectors: "Labels/labels[0]" -> "Labels/labels"."""
    return _SELECTOR.sub("", path)


def _under(where: str, path: str) -> bool:
    plain, at = _plain(where), _plain(path)
    return plain == at or plain.startswith(at + "/")


def explain_imported_forms(
    problems: list[Problem], passport: Passport, level: str, project: str | Path | None
) -> list[Problem]:
    """``problems`` with those under an imported attribute's path replaced by one per attribute.

    Parameters
    ----------
    problems
        The schema problems of a Battery Pass export.
    passport
        The passport exported.
    level
        The access level exported (attributes above it are not in the export).
    project
        The project's path, for the command the message names.
    """
    place = shlex.quote(str(project)) if project is not None else "PROJECT"
    told: list[Problem] = []
    claimed: set[int] = set()
    for key, value in sorted(passport.values.items()):
        attr = attribute(key)
        if value.source != "import" or not attr.battery_pass or not visible(attr, level):
            continue
        if key == SOC_KEY:
            continue  # its missing state of charge has a message of its own
        where = f"{attr.aspect}{attr.path}"
        mine = [i for i, p in enumerate(problems) if _under(p.where, where) and i not in claimed]
        if not mine:
            continue
        claimed.update(mine)
        first = problems[mine[0]]
        said = first.message if first.where == where else f"{first.where}: {first.message}"
        more = f"; {len(mine) - 1} more" if len(mine) > 1 else ""
        source = Path(value.detail).name if value.detail else "an imported file"
        told.append(Problem(
            where,
            f"passport attribute {key} ({attr.name}) holds the value imported from {source} in "
            f"a form Battery Pass does not take ({said}{more}); enter "
            f"it as Battery Pass has it: cellwright passport set {shlex.quote(passport.battery)} "
            f"--project {place} '{key}=JSON' (passport show lists what it holds now)",
        ))  # fmt: skip
    return [p for i, p in enumerate(problems) if i not in claimed] + told
