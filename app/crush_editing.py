"""The crush study editor's state, without Qt: standard → field defaults → overrides → spec dict.

Choosing a standard shows what it prescribes (``STANDARDS``: indenter, speed, stops) as the
defaults of the fields; a field the user changes is an *override* and goes into the spec
explicitly, everything else is left to the preset, so the study file reads
``standard = "GB38031-cell"`` plus what differs from it. The spec's own rule applies: an explicit
``indenter`` replaces the preset's whole indenter, so overriding any indenter field writes the
preset's indenter with that change. Choosing another standard drops the overrides of the
preset's fields (the new standard prescribes them) and keeps the others (direction, mesh, …).
A stop the standard prescribes can be switched off (the override ``off``) and back on (the
standard's value again); the spec refuses a study left with no stop, at the field switched off.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from cellwright.app.crush_fields import FIELDS, FieldDef, field, parse_text, show_value
from cellwright.engines.mechanics.crush_spec import (
    KIND_RADIUS,
    OFF,
    STANDARDS,
    CrushSpec,
    IndenterSpec,
    Standard,
    first_leaves_out,
)
from cellwright.projects.model.errors import rule_message

__all__ = ["CrushEditing", "describe_loading", "listed_groups", "standard_choices"]

#: spec fields the editor has no row for; a loaded spec keeps them as they were
_PASSED = ("geometry", "jelly_roll", "foam_curve", "curvature", "min_step", "max_iterations",
           "tolerance", "penalty_factor", "stabilisation")  # fmt: skip


def standard_choices() -> list[tuple[str, str]]:
    """(standard, "standard — clause") for every preset, in the spec's order."""
    return [(key, f"{key} — {s.clause}" if s.clause else f"{key} — only what is given")
            for key, s in STANDARDS.items()]  # fmt: skip


class CrushEditing:
    """The editor's values: a standard, the user's overrides as typed, and what they make.

    Parameters
    ----------
    standard
        The preset to start from (a key of ``STANDARDS``).
    """

    def __init__(self, standard: str = "GB38031-cell") -> None:
        self.standard = standard
        self.typed: dict[str, str] = {}  # key -> text of an overridden field
        self.passed: dict[str, Any] = {}  # spec fields without a row, kept from a loaded spec
        self.position: tuple[float, float, float] | None = None  # a loaded indenter's tip
        self.design_target = "cell"  # what the design is: a pack's study squeezes the pack
        self.groups: tuple[str, ...] | None = None  # the design's mesh groups, when known
        self.design_name = ""

    def for_design(self, target: str, groups: list[str] | None = None, name: str = "") -> None:
        """The study is for a ``target`` ("cell" or "pack") design called ``name``.

        A pack designer who picks a pack means the pack: the target field defaults to it (it was
        "cell", the spec's default, so the pack's cell alone was squeezed and the cooling plate
        held by the support was "no group"). ``groups`` (its structural mesh's, from
        :func:`cellwright.engines.mechanics.setup.pack_structure_groups` or
        ``cell_structure_groups``; None when not known before meshing) let a held group the
        design has not be refused at its field.
        """
        self.design_target = target
        self.groups = tuple(groups) if groups is not None else None
        self.design_name = name
        if self.typed.get("target", "").strip() == target:
            self.typed.pop("target")

    # -- defaults and overrides -----------------------------------------------------------------
    @property
    def preset(self) -> Standard:
        """The chosen standard's prescriptions."""
        return STANDARDS[self.standard]

    def default(self, key: str) -> Any:
        """The value ``key`` has when not overridden (SI): the standard's, else the spec's."""
        f = field(key)
        if key == "target":
            return self.design_target
        if key.startswith("indenter."):
            name = key.split(".", 1)[1]
            kind = self.preset.indenter.kind if name == "kind" else self._kind()
            if kind == self.preset.indenter.kind:
                return getattr(self.preset.indenter, name)
            # another kind than the standard's starts from that kind's own defaults: a nail
            # does not keep the R75 semicylinder's radius
            if name == "radius":
                return KIND_RADIUS.get(kind)
            return IndenterSpec.model_fields[name].default
        if f.preset:
            return getattr(self.preset, key)
        return CrushSpec.model_fields[key].default

    def _kind(self) -> str:
        """The indenter kind the editor shows (typed, else the standard's)."""
        text = self.typed.get("indenter.kind")
        try:
            kind = parse_text(field("indenter.kind"), text) if text else None
        except ValueError:
            kind = None
        return kind or self.preset.indenter.kind

    def default_text(self, key: str) -> str:
        """The default as the field shows it ("100" for 100 kN)."""
        return show_value(field(key), self.default(key))

    def text(self, key: str) -> str:
        """What the field shows: the override as typed, or the default."""
        return self.typed.get(key, self.default_text(key))

    def set_text(self, key: str, text: str) -> None:
        """The user typed ``text``; it is an override unless it means the default."""
        f = field(key)
        if text.strip() == self.default_text(key) or self._same_as_default(f, text):
            self.typed.pop(key, None)
        else:
            self.typed[key] = text

    def _same_as_default(self, f: FieldDef, text: str) -> bool:
        try:
            value = parse_text(f, text)
        except ValueError:
            return False
        default = self.default(f.key)
        if isinstance(value, float) and isinstance(default, int | float):
            return abs(value - default) <= 1e-12 * max(abs(default), 1e-300)
        return value == default

    def reset(self, key: str) -> None:
        """Back to the standard's (or the spec's) value."""
        self.typed.pop(key, None)

    def is_overridden(self, key: str) -> bool:
        """True when the field differs from its default."""
        return key in self.typed

    def is_off(self, key: str) -> bool:
        """True when the stop at ``key`` is switched off."""
        return field(key).switchable and self.text(key).strip().lower() == OFF

    def can_switch(self, key: str) -> bool:
        """Whether the field offers its on/off switch: a stop the standard prescribes, or one
        switched off (to switch it back on)."""
        return field(key).switchable and (self.default(key) is not None or self.is_off(key))

    def switch(self, key: str, on: bool) -> None:
        """Switch the stop at ``key`` off, or back on at the standard's value."""
        if not field(key).switchable:
            raise KeyError(f"{key!r} is not a stop that can be switched off")
        if on:
            self.reset(key)
        else:
            self.set_text(key, OFF)

    def choose_standard(self, standard: str) -> None:
        """Take another preset: its prescriptions replace the overrides of its fields."""
        if standard not in STANDARDS:
            raise KeyError(f"no standard {standard!r}; standards: {list(STANDARDS)}")
        self.standard = standard
        for f in FIELDS:
            if f.preset:
                self.typed.pop(f.key, None)

    def applies(self, key: str) -> bool:
        """Whether the field means anything with the other choices (radius of a plate: no)."""
        kind = parse_text(field("indenter.kind"), self.text("indenter.kind"))
        return {
            "indenter.radius": kind != "plate",
            "indenter.spacing": kind == "three_semicylinders",
            "indenter.tip_angle": kind == "nail",
            "indenter.axis": kind in ("semicylinder", "three_semicylinders", "rod"),
            "support_group": self.text("support") == "fixed",
            # a cell is refined where the indenter meets it; a module or pack is not
            "contact_mesh_size": self.text("target") == "cell",
            "contact_mesh_radius": self.text("target") == "cell"
            and bool(self.text("contact_mesh_size")),
            # the metals' strain rates come from the falling mass: a squeeze has none
            "rate_hardening": bool(self.text("drop_mass")) and bool(self.text("drop_height")),
            "short_strain": self.text("short_criterion") in ("first", "jelly_roll_strain"),
            "short_length": self.text("short_criterion") in ("first", "jelly_roll_strain"),
            "force_drop": self.text("short_criterion") == "force_drop"
            or (
                self.text("short_criterion") == "first"
                and "force_drop" not in first_leaves_out(self.text("target"))
            ),
        }.get(key, True)

    # -- the spec -------------------------------------------------------------------------------
    def build(self) -> tuple[dict[str, Any] | None, dict[str, str]]:
        """The spec dict the engine accepts, and the errors by field key ("" for the whole).

        The dict is None when anything is refused: a value that is not a number, or what
        :class:`CrushSpec` says about the whole.
        """
        errors: dict[str, str] = {}
        spec: dict[str, Any] = {"standard": self.standard}
        indenter: dict[str, Any] = {}
        for key, text in self.typed.items():
            try:
                value = parse_text(field(key), text)
            except ValueError as exc:
                errors[key] = str(exc)
                continue
            if value is None and self.default(key) is not None and key != "indenter.axis":
                errors[key] = (f"{self.standard} prescribes this; an empty field means the "
                               "standard's value, so give another value instead"
                               + (" or switch the stop off" if field(key).switchable
                                  else ""))  # fmt: skip
            elif key.startswith("indenter."):
                indenter[key.split(".", 1)[1]] = value
            else:
                spec[key] = value
        if "target" not in self.typed and self.design_target != CrushSpec.model_fields[
                "target"].default:  # fmt: skip
            spec["target"] = self.design_target
        if self.position is not None:
            indenter["position"] = list(self.position)
        if indenter:
            kind = indenter.get("kind") or self.preset.indenter.kind
            same = kind == self.preset.indenter.kind  # else that kind's own defaults apply
            base = self.preset.indenter.explicit() if same else {}
            spec["indenter"] = {"kind": self.preset.indenter.kind, **base, **indenter}
            if spec["indenter"].get("axis") is None:
                spec["indenter"].pop("axis", None)
        spec.update(self.passed)
        try:  # the rest is checked too, so every refused field says why at once
            CrushSpec.model_validate(spec)
        except ValidationError as exc:
            errors = {**_errors_by_field(exc), **errors}
        missing = self._missing_group(spec)
        if missing:
            errors.setdefault("support_group", missing)
        return (None if errors else spec), errors

    def _missing_group(self, spec: dict[str, Any]) -> str:
        """Why the held group is not one of the design's ("" when it is, or is not known)."""
        group = spec.get("support_group")
        target = spec.get("target", CrushSpec.model_fields["target"].default)
        # an imported geometry has the groups of its own file, not the design's
        if (self.groups is None or spec.get("support") != "fixed" or not group
                or target != self.design_target or group in self.groups
                or spec.get("geometry")):  # fmt: skip
            return ""
        name = f"{self.design_target} {self.design_name}".strip()
        return f"the {name} has no group {group!r}; its groups: {listed_groups(self.groups)}"

    def load(self, spec: dict[str, Any]) -> None:
        """Show a spec dict (a stored study): its standard and every explicit value.

        Raises
        ------
        pydantic.ValidationError
            When ``spec`` is not a valid crush spec.
        """
        checked = CrushSpec.model_validate(spec)
        self.choose_standard(checked.standard)
        self.typed.clear()
        self.passed = {k: spec[k] for k in _PASSED if k in spec}
        given = spec.get("indenter") or {}
        self.position = checked.indenter.position if checked.indenter is not None else None
        for f in FIELDS:
            head, _, tail = f.key.partition(".")
            if head not in spec or (tail and tail not in given):
                continue
            value = getattr(checked.indenter, tail) if tail else getattr(checked, head)
            self.set_text(f.key, show_value(f, value))

    def summary(self) -> str:
        """One line saying what the study does, or why it cannot run."""
        return self.describe()[2]

    def describe(self) -> tuple[dict[str, Any] | None, dict[str, str], str]:
        """:meth:`build` and :meth:`summary` at once (one validation)."""
        spec, errors = self.build()
        if spec is None:
            text = "not valid: " + "; ".join(f"{k or 'spec'}: {m}" for k, m in errors.items())
            return None, errors, text
        return spec, errors, describe_loading(CrushSpec.model_validate(spec))


def listed_groups(groups: tuple[str, ...] | list[str]) -> str:
    """Group names for a message, a run of numbered ones shortened: a 96s4p pack's 384 cells
    read "cell_0000 … cell_0383", not 384 names."""
    import re

    runs: dict[str, list[str]] = {}
    out: list[str] = []
    for name in groups:
        numbered = re.fullmatch(r"(.*_)\d+", name)
        if numbered is None:
            out.append(name)
            continue
        if numbered.group(1) not in runs:
            runs[numbered.group(1)] = []
            out.append(numbered.group(1))  # its place in the list
        runs[numbered.group(1)].append(name)
    shown = []
    for item in out:
        names = runs.get(item) if item.endswith("_") else None
        if names is None:
            shown.append(item)
        else:
            shown.append(names[0] if len(names) == 1 else f"{names[0]} … {names[-1]}")
    return ", ".join(shown)


def _errors_by_field(exc: ValidationError) -> dict[str, str]:
    """pydantic's errors keyed like the editor's fields; a whole-spec check ("support_group: a
    fixed support needs a group") goes to the field it names."""
    keys = {f.key for f in FIELDS}
    out: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        key = ".".join(str(p) for p in error["loc"])
        message = rule_message(error)
        named, _, rest = message.partition(": ")
        if not key and named in keys:
            key, message = named, rest
        elif f"{key}.{named}" in keys:  # an indenter check naming its field ("radius: …")
            key, message = f"{key}.{named}", rest
        if key in keys:
            message = _in_display_unit(field(key), error, message)
        out[key if key in keys else ""] = message
    return out


_BOUNDS = {"gt": "more than", "ge": "at least", "lt": "less than", "le": "at most"}


def _in_display_unit(f: FieldDef, error: dict, message: str) -> str:
    """A bound refused by pydantic in the unit the field is typed in ("at most 10000 kN")."""
    ctx = error.get("ctx") or {}
    for name, words in _BOUNDS.items():
        if name in ctx and f.kind == "number":
            return f"must be {words} {show_value(f, ctx[name])} {f.unit}".rstrip()
    return message


def _indenter_text(spec: CrushSpec) -> str:
    ind = spec.preset().indenter
    r = f"R{ind.radius * 1e3:g}" if ind.radius is not None else ""  # a plate has none
    along = f"along {ind.axis}" if ind.axis else "across the part"
    return {
        "plate": "flat plate",
        "semicylinder": f"{r} semicylinder {along}",
        "three_semicylinders": f"3 × {r} semicylinders {ind.spacing * 1e3:g} mm apart {along}",
        "rod": f"{r} rod {along}",
        "hemisphere": f"{r} hemispherical punch",
        "nail": f"{r} nail with a {ind.tip_angle:g}° tip",
    }[ind.kind]


def _stops(p: Standard) -> list[str]:
    """The stops of a resolved preset as the summary lists them ("15 %", "100 kN", …)."""
    stops = []
    if p.max_deformation is not None:
        stops.append(f"{p.max_deformation * 100:g} %")
    if p.max_travel is not None:
        stops.append(f"{p.max_travel * 1e3:g} mm travel")
    if p.max_force is not None:
        stops.append(f"{p.max_force / 1e3:g} kN")
    if p.weight_factor is not None:
        stops.append(f"{p.weight_factor:g} × weight")
    if p.stop_at_short:
        stops.append("short")
    if p.impact:
        stops.append(f"{p.drop_mass:g} kg from {p.drop_height * 1e3:g} mm absorbed")
    return stops


def describe_loading(spec: CrushSpec) -> str:
    """ "R75 semicylinder along x, down -y at 2 mm/s, stops at 15 % / 100 kN / 1000 × weight /
    short" for a validated spec, and the standard's stops it switches off."""
    p = spec.preset()
    stops = _stops(p)
    if p.max_deformation is None and p.max_travel is None:
        stops.append(f"{p.travel_limit * 100:g} % travel (engine's limit)")
    down = ("through the plates" if spec.direction == "auto"
            else f"down -{spec.direction}")  # fmt: skip
    text = (f"{_indenter_text(spec)}, {down} at {p.speed * 1e3:.4g} mm/s, "
            f"stops at {' / '.join(stops)}")  # fmt: skip
    if spec.stops_off():  # what the standard would have stopped at
        text += f"; switched off: {' / '.join(_stops(spec.switched_off()))}"
    return text
