"""The crush study editor's fields, without Qt: what each shows, in which unit, and its default.

A field is a path into :class:`~cellwright.engines.mechanics.crush_spec.CrushSpec` (``max_force``,
``indenter.radius``) shown in the unit an engineer reads the standards in (mm, mm/s, kN, %) and
stored in the spec's SI unit. Fields marked ``preset`` take their default from the chosen
standard (``STANDARDS``); the others from the spec's own defaults. A ``switchable`` stop also
takes ``off`` (the spec's ``OFF``): the standard's stop switched off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from cellwright.engines.mechanics.crush_spec import OFF, CrushSpec, IndenterSpec
from cellwright.projects.units import UnitError, looks_numeric, to_unit

__all__ = ["AUTO", "FIELDS", "FieldDef", "field", "parse_text", "show_value"]

AUTO = "auto"  # the choice that leaves an optional choice (indenter axis) to the engine


@dataclass(frozen=True)
class FieldDef:
    """One editable value of the crush spec.

    Attributes
    ----------
    key
        Dotted path in the spec (``indenter.radius``).
    label
        What the row is called.
    kind
        ``"number"``, ``"int"``, ``"choice"``, ``"bool"`` or ``"text"``.
    unit
        The unit the user types in ("mm", "kN", "%"); "" for a pure number.
    scale
        SI value of one display unit (1e-3 for mm).
    si_unit
        The spec's unit for text with a unit ("0.1 m", "20 kN"); "" when it has none.
    preset
        True when the chosen standard prescribes the default.
    group
        The box the row is drawn in.
    choices
        The options of a choice field (``AUTO`` stands for None).
    placeholder
        Shown in an empty optional field: what the engine does then.
    switchable
        A stop that ``off`` switches off (when the standard prescribes it).
    """

    key: str
    label: str
    kind: str = "number"
    unit: str = ""
    scale: float = 1.0
    si_unit: str = ""
    preset: bool = False
    group: str = "Loading"
    choices: tuple[str, ...] = ()
    placeholder: str = ""
    switchable: bool = False


def _choices(model, name: str) -> tuple[str, ...]:
    """The Literal options of a spec field (so the editor never drifts from the spec)."""
    from typing import Literal, get_args, get_origin

    def options(annotation) -> list[str]:
        if get_origin(annotation) is Literal:
            return [str(a) for a in get_args(annotation)]
        return [o for arg in get_args(annotation) for o in options(arg)]  # Optional[Literal]

    return tuple(options(model.model_fields[name].annotation))


_MM = {"unit": "mm", "scale": 1e-3, "si_unit": "m"}
_STOP = {"group": "Stops", "placeholder": "none", "switchable": True}
FIELDS: tuple[FieldDef, ...] = (
    FieldDef("target", "Target", "choice", group="Part", choices=_choices(CrushSpec, "target")),
    FieldDef("mesh_size", "Mesh size", **_MM, group="Part", placeholder="automatic"),
    FieldDef("core", "Core hole", "choice", group="Part", choices=_choices(CrushSpec, "core")),
    # linear: a fine mesh in about half the unknowns (docs/crush.md, "Element order")
    FieldDef("jelly_roll_elements", "Jelly-roll elements", "choice", group="Part",
             choices=_choices(CrushSpec, "jelly_roll_elements")),
    # a cylindrical cell's roll meshed on its own, tied to the can (docs/crush.md, "A roll finer
    # than its can"); the spec asks for linear roll elements with it and says so
    FieldDef("jelly_roll_mesh_size", "Jelly-roll mesh size", **_MM, group="Part",
             placeholder="the cell's"),
    # a nail's point presses only once a node lies under it: the engine's refusal names this
    FieldDef("contact_mesh_size", "Mesh size at the contact", **_MM, group="Part",
             placeholder="no refinement"),
    FieldDef("contact_mesh_radius", "Refined radius", unit="× size along the load", group="Part"),
    FieldDef("indenter.kind", "Kind", "choice", preset=True, group="Indenter",
             choices=_choices(IndenterSpec, "kind")),
    FieldDef("indenter.radius", "Radius", **_MM, preset=True, group="Indenter"),
    FieldDef("indenter.spacing", "Gap between cylinders", **_MM, preset=True, group="Indenter"),
    FieldDef("indenter.tip_angle", "Tip angle", unit="deg", si_unit="deg", preset=True,
             group="Indenter"),
    FieldDef("indenter.axis", "Cylinder axis", "choice", preset=True, group="Indenter",
             choices=(AUTO, *_choices(IndenterSpec, "axis"))),
    FieldDef("indenter.friction", "Friction coefficient", preset=True, group="Indenter"),
    FieldDef("direction", "Load along", "choice", choices=_choices(CrushSpec, "direction")),
    FieldDef("support", "Support", "choice", choices=_choices(CrushSpec, "support")),
    FieldDef("support_group", "Held group", "text", placeholder="group name (fixed support)"),
    FieldDef("speed", "Speed", unit="mm/s", scale=1e-3, si_unit="m/s", preset=True),
    FieldDef("max_deformation", "Deformation", unit="%", scale=0.01, preset=True, **_STOP),
    FieldDef("max_force", "Force", unit="kN", scale=1e3, si_unit="N", preset=True, **_STOP),
    FieldDef("weight_factor", "Multiple of the weight", unit="× weight", preset=True, **_STOP),
    FieldDef("max_travel", "Travel", **_MM, **_STOP),
    FieldDef("stop_at_short", "At the short-circuit onset", "bool", preset=True, group="Stops"),
    # an impact (UN 38.3 T6 for cylindrical cells of 18 mm or more): stops once its energy is in
    FieldDef("drop_mass", "Dropped mass", unit="kg", si_unit="kg", preset=True, group="Stops",
             placeholder="no impact"),
    FieldDef("drop_height", "Drop height", **_MM, preset=True, group="Stops",
             placeholder="no impact"),
    # Cowper–Symonds, at the falling mass's strain rates; a quasi-static squeeze ignores it
    FieldDef("rate_hardening", "Metals' rate hardening (impact)", "bool", group="Stops"),
    FieldDef("short_criterion", "Criterion", "choice", group="Short circuit",
             choices=_choices(CrushSpec, "short_criterion")),
    FieldDef("short_strain", "Critical jelly-roll strain", group="Short circuit",
             placeholder="the foam set's"),
    # the radius the roll's strain is averaged over before it meets the critical strain
    FieldDef("short_length", "Strain averaged over", **_MM, group="Short circuit",
             placeholder="the foam set's"),
    FieldDef("force_drop", "Force drop", unit="%", scale=0.01, group="Short circuit"),
    FieldDef("steps", "Initial steps", "int", group="Solver"),
    FieldDef("output_every", "Store fields every N steps", "int", group="Solver"),
)  # fmt: skip


def field(key: str) -> FieldDef:
    """The field at ``key``; KeyError names the known ones."""
    for f in FIELDS:
        if f.key == key:
            return f
    raise KeyError(f"no crush editor field {key!r}; fields: {[f.key for f in FIELDS]}")


def _auto_means_none(f: FieldDef) -> bool:
    """Whether ``AUTO`` stands for an unset optional choice (the indenter axis) rather than
    being one of the spec's own options (the load direction's "auto")."""
    return f.key != "direction"


def show_value(f: FieldDef, value: Any) -> str:
    """A spec value (SI) as the editor shows it: "75" for a 0.075 m radius, "" for None."""
    if value is None:
        return AUTO if f.kind == "choice" and AUTO in f.choices else ""
    if f.switchable and value == OFF:
        return OFF
    if f.kind == "bool":
        return "yes" if value else "no"
    if f.kind in ("number", "int"):
        shown = float(value) / f.scale
        return f"{round(shown, 9):g}" if f.kind == "number" else str(int(value))
    return str(value)


def parse_text(f: FieldDef, text: str) -> Any:
    """What the user typed, as the spec's SI value (None for an empty optional field).

    Raises
    ------
    ValueError
        With a message for the field's row ("not a number in kN").
    """
    text = text.strip()
    if f.kind == "bool":
        return text.lower() in ("yes", "true", "1")
    if f.kind in ("choice", "text"):
        if f.kind == "choice" and (text == "" or (text == AUTO and _auto_means_none(f))):
            return None
        return text
    if not text:
        return None
    if f.switchable and text.lower() == OFF:
        return OFF
    if f.kind == "int":
        if not text.lstrip("+-").isdigit():
            raise ValueError(f"{text!r} is not a whole number")
        return int(text)
    number = text[:-1].strip() if f.unit == "%" and text.endswith("%") else text
    if looks_numeric(number):
        value = float(number) * f.scale
    elif f.si_unit:
        try:
            value = to_unit(text, f.si_unit)
        except UnitError as exc:
            raise ValueError(f"{exc}; a plain number is in {f.unit}") from None
    else:
        raise ValueError(f"{text!r} is not a number" + (f" in {f.unit}" if f.unit else ""))
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number")
    return value
