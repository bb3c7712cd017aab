"""The physical batteries of a design in its report: lab-run cycle summaries and passports.

A battery belongs to the report when it is built to the design (for a pack design: the packs of
that design and the cells of its cell design). Lab runs are those linked to such a cell; each is
summarised per cycle (:func:`cellwright.projects.labdata.cycle_summary`). The passport is
compiled as it stands now, with its QR code (the identifier, ISO/IEC 18004 via segno) as SVG.
"""

from __future__ import annotations

import base64
import math
import re

from cellwright.app.report.wording import words
from cellwright.projects.model import InputError, PackDesign

__all__ = ["lab_summaries", "names_design", "passport_summaries"]

#: passport attributes shown in the summary, in this order, when the passport has them
#: (keys of resources/passport/attributes.csv: a key not there would be left out unseen)
PASSPORT_KEYS = (
    "passport_identifier", "battery_category", "manufacturer_information",
    "manufacturing_date", "manufacturing_place", "battery_chemistry", "rated_capacity",
    "nominal_voltage", "battery_mass", "state_of_certified_energy", "capacity_fade",
    "remaining_capacity", "battery_status",
)  # fmt: skip


#: the battery categories of Regulation (EU) 2023/1542, Art. 3, as the passport stores them
#: ("ev") and as a reader knows them
CATEGORIES = {
    "portable": "portable",
    "lmt": "light means of transport (LMT)",
    "sli": "starting, lighting and ignition (SLI)",
    "ev": "electric vehicle (EV)",
    "industrial": "industrial",
    "stationary": "industrial (stationary storage)",
}


def names_design(project, ref: str | None, design) -> bool:
    """True when ``ref`` (a study's design, a battery's design) names ``design`` or, for a pack
    design, its cell: by id, or by a name the project resolves to it. A study file's
    ``cell = "<name>"`` and ``battery add --design <name>`` keep the name, and the report left
    such a study, lab run or passport out without a word."""
    from cellwright.projects.design.authoring import refers_to

    if ref == design.id or refers_to(project, ref, design):
        return True
    if not isinstance(design, PackDesign):
        return False
    if ref == design.cell:  # the pack's cell as the pack names it (a library cell too)
        return True
    try:
        cell = project.find("cell", design.cell)
    except InputError:
        return False
    return refers_to(project, ref, cell)


def _linked_batteries(project, design):
    from cellwright.projects.passport.batteries import batteries

    return [b for b in batteries(project) if names_design(project, b.obj.design, design)]


def lab_summaries(project, design, missing: list[str]) -> list[dict]:
    """One entry per lab run of a linked cell: run, cell, cycles and first/last capacity."""
    from cellwright.projects.labdata import cycle_summary
    from cellwright.projects.labdata.runs import load_run

    cells = {b.id: b.serial for b in _linked_batteries(project, design) if b.kind == "cell"}
    out = []
    for run in project.list("labrun"):
        if run.physical_cell not in cells or run.kind != "timeseries":
            continue
        try:
            summary = cycle_summary(load_run(project, run.id))
        except (InputError, ValueError) as exc:
            missing.append(f"lab run {run.name!r}: no cycle summary ({exc})")
            continue
        capacity = [c for c in summary["discharge_capacity_ah"] if c > 0]
        out.append(
            {
                "run": run.name,
                "cell": cells[run.physical_cell],
                "instrument": run.instrument or run.format,
                "cycles": len(summary["cycle"]),
                "first": capacity[0] if capacity else math.nan,
                "last": capacity[-1] if capacity else math.nan,
                "efficiency": _nanmean(summary["coulombic_efficiency"]),
            }
        )
    return out


def _nanmean(values) -> float:
    finite = [float(v) for v in values if math.isfinite(v)]
    return sum(finite) / len(finite) if finite else math.nan


def passport_summaries(project, design, missing: list[str]) -> list[dict]:
    """The passport of each linked battery: chosen attributes and the QR code (SVG data URI)."""
    import io

    import segno

    from cellwright.projects.passport.attributes import attribute
    from cellwright.projects.passport.compile import compile_passport
    from cellwright.projects.passport.versions import passport_versions

    out = []
    for battery in _linked_batteries(project, design):
        try:
            passport = compile_passport(project, battery.serial)
        except InputError as exc:
            missing.append(f"passport of {battery.serial}: {exc}")
            continue
        rows = []
        for key in PASSPORT_KEYS:
            value = passport.values.get(key)
            if value is None:
                continue
            rows.append((_label(attribute, key), _text(attribute, key, value.value), value.source))
        buffer = io.BytesIO()
        # error correction Q (25 %), as on the battery label (projects/passport/qr.py)
        segno.make(passport.identifier, error="q", micro=False).save(
            buffer, kind="svg", scale=4, border=4
        )
        qr = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
        issued = len(passport_versions(project, battery.serial))
        out.append({"serial": battery.serial, "kind": battery.kind, "identifier":
                    passport.identifier, "rows": rows, "qr": qr, "issued": issued})  # fmt: skip
    return out


def _text(attribute, key: str, value) -> str:
    """An attribute's value with its unit, a category in words ("electric vehicle (EV)")."""
    if key == "battery_category" and isinstance(value, str):
        value = CATEGORIES.get(value.lower(), value)
    return f"{_show(value)} {_unit(attribute, key)}".rstrip()


def _label(attribute, key: str) -> str:
    try:
        return attribute(key).name
    except (KeyError, InputError):
        return key.replace("_", " ")


def _unit(attribute, key: str) -> str:
    """The attribute's unit as `passport show` has it ("" where it has none: "n.a.")."""
    try:
        unit = attribute(key).unit
    except (KeyError, InputError):
        return ""
    return "" if unit.strip().lower() in ("", "n.a.", "-", "none") else unit


def _show(value, nested: bool = False) -> str:
    """A passport value as text; a dict or list inside another in parentheses, never as
    Python's repr ("{'addressCountry': …}"), its keys in words ("address country"), a time
    as a date ("2024-02-20", not "2024-02-20T00:00:00+00:00")."""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        text = ", ".join(f"{words(k)}: {_show(v, True)}" for k, v in value.items())
    elif isinstance(value, list):
        text = ", ".join(_show(v, True) for v in value)
    elif isinstance(value, str) and _TIMESTAMP.match(value):
        return _when(value)
    else:
        return str(value)
    return f"({text})" if nested else text


_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _when(text: str) -> str:
    """An ISO time as a reader writes it: the date alone at midnight, else to the minute."""
    from datetime import UTC, datetime

    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%d %H:%M") + (" UTC" if moment.tzinfo else "")
