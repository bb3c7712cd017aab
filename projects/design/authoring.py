"""Making designs: new cells from a starting point, packs with their parts, variants, references.

The window, the CLI and design files all make designs through these functions, so a design made
in any of them is the same validated object. ``project`` is duck-typed (``list``, ``find``).

A starting point for a cell is written ``template:<key>`` (a format template, see
:mod:`~cellwright.projects.design.templates`), ``library:<cell id>`` (the entered reference
design of a library cell where there is one, else its datasheet cell), ``datasheet:<cell id>``
(a full design estimated from a library cell's datasheet, see
:mod:`~cellwright.projects.design.datasheet_estimate`) or ``design:<id or name>`` (a cell design
of the project, for a variant).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from cellwright.projects.model import CellDesign, InputError, PackDesign, new_id
from cellwright.projects.model.base import name_problem

__all__ = [
    "PACK_PARTS",
    "chemistry_defaults",
    "new_cell",
    "new_cell_from",
    "new_pack",
    "refers_to",
    "start_choices",
    "start_point",
    "unique_name",
    "variant_of",
    "with_active_material",
    "with_solid_kept",
]

#: electrode fields that belong to a material and the PyBaMM set that describes it
_MATERIAL_BOUND = ("stoichiometry_min", "stoichiometry_max", "active_volume_fraction")

#: the optional parts of a pack, in the order the builder offers them
PACK_PARTS = ("arrangement", "busbar", "cooling_plate", "thermal_interface", "enclosure")


def start_point(spec: str, project=None, library=None) -> CellDesign:
    """The design a starting point names (see the module docstring).

    Raises
    ------
    InputError
        If the kind is unknown or it names nothing; the message lists what is possible.
    """
    from cellwright.projects.design.reference_designs import reference_design_for
    from cellwright.projects.design.resolve import library_for
    from cellwright.projects.design.templates import TEMPLATES, new_cell_from_template

    kind, _, name = spec.partition(":")
    examples = {"template": "template:21700", "library": "library:lg-m50",
                "datasheet": "datasheet:molicel-p42a", "design": "design:<its name>"}  # fmt: skip
    if kind in examples and not name.strip():
        # "datasheet" alone read "no library cell '' in the library"
        raise InputError(
            f"{spec!r}: name what to start from after the colon, e.g. {examples[kind]}"
        )
    if kind == "template":
        return new_cell_from_template(name)
    if kind == "library":
        return reference_design_for(name) or library_for(project, library).design_for_cell(name)
    if kind == "datasheet":
        from cellwright.projects.design.datasheet_estimate import estimate_from_datasheet

        lib = library_for(project, library)
        return estimate_from_datasheet(lib.cell(name), lib).design
    if kind == "design" and project is not None:
        return project.find("cell", name)
    raise InputError(
        f"{spec!r}: start from template:<{'|'.join(TEMPLATES)}>, library:<library cell id>, "
        "datasheet:<library cell id> (a design estimated from its datasheet) or "
        "design:<a cell design of the project>"
    )


def start_names(kind: str, project=None, library=None) -> dict[str, list[str]]:
    """What a starting point of ``kind`` may name, by what they are: the ``templates``, the
    ``library cells`` (``library``, ``datasheet``) or the ``cell designs of the project``
    (``design``); a name without a kind may name a library cell or a cell design."""
    from cellwright.projects.design.resolve import library_for
    from cellwright.projects.design.templates import TEMPLATES

    if kind == "template":
        return {"templates": list(TEMPLATES)}
    out = {}
    if kind != "design":
        out["library cells"] = [c.id for c in library_for(project, library).cells()]
    if kind not in ("library", "datasheet"):
        designs = project.list("cell") if project is not None else []
        out["cell designs of the project"] = [c.name for c in designs]
    return out


def start_choices(kind: str, project=None, library=None, most: int = 6) -> str:
    """:func:`start_names`, briefly: ``library cells: a, b, … and 5 more; …``."""

    def few(names: list[str]) -> str:
        more = f" and {len(names) - most} more" if len(names) > most else ""
        return ", ".join(names[:most]) + more if names else "none"

    return "; ".join(
        f"{what}: {few(names)}" for what, names in start_names(kind, project, library).items()
    )


def new_cell(spec: str, name: str, project=None, library=None) -> CellDesign:
    """A new cell design (new id, ``name``) from the starting point ``spec``."""
    _check_name(name)
    return new_cell_from(start_point(spec, project, library), spec, name)


def new_cell_from(start: CellDesign, spec: str, name: str) -> CellDesign:
    """A new cell design (new id, ``name``) from ``start``, the design the starting point
    ``spec`` names (:func:`start_point`), for a caller that reports a bad ``spec`` itself."""
    _check_name(name)
    notes = start.notes or f"Started from {spec}"
    return start.model_copy(update={"id": new_id(), "name": name, "notes": notes}, deep=True)


def _check_name(name: str) -> None:
    # new_cell updates a copy without validating it, so an empty name was stored as given
    problem = name_problem(name)
    if problem:
        raise InputError(f"name: {problem}")


def variant_of(design: CellDesign | PackDesign, name: str) -> CellDesign | PackDesign:
    """A copy of ``design`` with a new id and ``name``; everything else is the same."""
    # only emptiness: its names are mostly made from an existing one ("… variant", "… #3"),
    # which a project saved before the name rule may have long or with a newline
    if not name.strip():
        raise InputError("name: a variant needs a name")
    return type(design).model_validate({**design.model_dump(), "id": new_id(), "name": name})


def new_pack(
    name: str,
    cell: str,
    series: int,
    parallel: int,
    parts: tuple[str, ...] = (),
    project=None,
    library=None,
    **fields: Any,
) -> PackDesign:
    """A pack of ``series`` × ``parallel`` cells with the optional ``parts`` at their defaults
    (sized from the cell and the arrangement, in the order of :data:`PACK_PARTS`).

    Raises
    ------
    InputError
        An unknown part, or counts or parts the pack model refuses (naming the field).
    """
    from pydantic import ValidationError

    from cellwright.projects.design.part_defaults import default_part
    from cellwright.projects.design.resolve import design_snapshot
    from cellwright.projects.model import describe_validation_error

    _check_name(name)
    unknown = sorted(set(parts) - set(PACK_PARTS))
    if unknown:
        raise InputError(f"parts: unknown {', '.join(unknown)}; parts: {', '.join(PACK_PARTS)}")
    try:
        pack = PackDesign(name=name, cell=cell, series=series, parallel=parallel, **fields)
    except ValidationError as exc:
        raise describe_validation_error(exc) from None
    for part in (p for p in PACK_PARTS if p in parts):
        snapshot = design_snapshot(pack, project, library)
        pack = pack.model_copy(update={part: default_part(pack, part, snapshot)})
    return PackDesign.model_validate(pack.model_dump())


def unique_name(project, kind: str, wanted: str) -> str:
    """``wanted``, or ``wanted (2)``, ``(3)`` … if the project already has one so called (or
    so identified: see :mod:`cellwright.projects.store.names`)."""
    from cellwright.projects.store.names import unique_name as free_name

    return free_name(project, kind, wanted)


def refers_to(project, ref: str | None, design: CellDesign | PackDesign) -> bool:
    """True when ``ref`` (a study's design, a pack's cell, a physical battery's design) is
    ``design``'s id, or a name the project resolves to it: a study file, a design file and
    ``battery add --design`` may name a design by its name (``Project.find`` prefers an id).
    """
    if ref == design.id:
        return True
    if not ref or ref != design.name or project is None:
        return False
    kind = "cell" if isinstance(design, CellDesign) else "pack"
    try:
        return project.find(kind, ref).id == design.id
    except InputError:
        return False


def chemistry_defaults(cathode_id: str, anode_id: str, library) -> dict[str, Any]:
    """What a cell of this chemistry takes from the library's commercial cells of the same
    cathode and anode chemistry: the voltage window of the first (its datasheet is the source)
    and the PyBaMM parameter set of the first that has one ({} when the library has none)."""
    cathode = library.material(cathode_id).chemistry.lower()
    anode = library.material(anode_id).chemistry.lower()
    found: dict[str, Any] = {}
    for cell in library.cells():
        same_anode = cell.anode.lower() == anode or (
            "graphite" in cell.anode.lower() and "graphite" in anode
        )
        if cell.cathode.lower() != cathode or not same_anode:
            continue
        if "nominal_voltage" not in found:
            found.update(
                nominal_voltage=cell.nominal_voltage,
                min_voltage=cell.min_voltage,
                max_voltage=cell.max_voltage,
            )
        if cell.pybamm_parameter_set and "pybamm_parameter_set" not in found:
            found["pybamm_parameter_set"] = cell.pybamm_parameter_set
    return found


#: the voltage window a chemistry brings
_WINDOW = ("nominal_voltage", "min_voltage", "max_voltage")
#: how far an electrode's average potential may move before the old window no longer holds [V]
WINDOW_POTENTIAL_SHIFT = 0.3


def _potential_moves(old: str, new: str, library) -> bool:
    """True when both materials state their average potential vs Li/Li+ and it moves by
    :data:`WINDOW_POTENTIAL_SHIFT` or more (NMC811 to LTO: 1.4 V; NMC811 to NCA: 0.2 V)."""
    potentials = []
    for material in (old, new):
        try:
            potentials.append(library.material(material).value("voltage_average"))
        except InputError:
            return False
    if None in potentials:
        return False
    return abs(potentials[1] - potentials[0]) >= WINDOW_POTENTIAL_SHIFT


def with_active_material(design: CellDesign, side: str, material: str, library) -> CellDesign:
    """``design`` with the ``side`` ("positive"/"negative") electrode on another active material.

    What belongs to the old material goes with it: the lithiation window and the active volume
    fraction of a parameter set, and the particle radius where the library states the new
    material's. A design that does not follow a library cell takes the voltage
    window of the new chemistry and the PyBaMM set that models it, as the library's commercial
    cells of that chemistry have them (:func:`chemistry_defaults`, e.g. LFP on graphite: the
    A123 ANR26650M1B, 2.0–3.6 V, Prada2013). Where the library has no such cell, the old
    voltage window goes when the electrode's average potential moves by 0.3 V or more (an
    LTO negative: the nominal voltage then comes from the materials' average potentials, the
    limits are the user's to give); otherwise what the library does not know is kept.

    Raises
    ------
    InputError
        If the material is unknown or not an active material of that side.
    """
    from cellwright.projects.design.material_fields import material_class_for

    electrode = getattr(design, side)
    if electrode is None:
        raise InputError(f"{side}: add the {side} electrode first")
    try:
        found = library.material(material)
    except InputError as exc:
        raise InputError(f"{side}.active_material: {exc.detail}") from None
    wanted = material_class_for(f"{side}.active_material")
    if str(found.material_class) not in wanted:
        article = "an" if str(found.material_class)[:1] in "aeiou" else "a"
        raise InputError(
            f"{side}.active_material: {material!r} is {article} {found.material_class} "
            f"material; a {side} electrode takes {wanted[0]}"
        )
    changes: dict[str, Any] = {"active_material": material, **dict.fromkeys(_MATERIAL_BOUND)}
    radius = found.value("particle_radius") if "particle_radius" in found.properties else None
    if radius is not None:  # particle sizes differ by orders (50 nm LFP, 5 µm NMC)
        changes["particle_radius"] = radius
    new_electrode = electrode.model_copy(update=changes)
    update: dict[str, Any] = {side: new_electrode}
    other = design.negative if side == "positive" else design.positive
    if design.reference_cell is None and other is not None:
        cathode, anode = (material, other.active_material)[:: 1 if side == "positive" else -1]
        found_defaults = chemistry_defaults(cathode, anode, library)
        if "nominal_voltage" not in found_defaults and _potential_moves(
            electrode.active_material, material, library
        ):
            # the old chemistry's window is no window of this one: an LMO/LTO cell from an
            # NMC/graphite template kept 2.5-4.2 V and 3.63 V nominal, 45 % too much energy
            update |= dict.fromkeys(_WINDOW)
        update |= found_defaults
        base = update.get("pybamm_parameter_set")
        if base and base != design.pybamm_parameter_set:
            # the other electrode's lithiation window was read off the old set's curves
            other_side = "negative" if side == "positive" else "positive"
            update[other_side] = other.model_copy(update=dict.fromkeys(_MATERIAL_BOUND))
    return CellDesign.model_validate({**design.model_dump(), **_dumped(update)})


def with_solid_kept(
    before: CellDesign, data: dict[str, Any], explicit: Collection[str] = ()
) -> dict[str, Any]:
    """``data`` (a cell design after an edit, dumped, not yet validated) with each electrode
    whose porosity the edit changed keeping its solid's make-up.

    A parameter set states the active volume fraction ε_s beside the porosity ε, the rest of
    the solid (binder, carbon) implied; in Chen2020's LG M50 positive ε_s = 1 − ε = 0.665, no
    binder named. Calendering to another porosity packs the same solid tighter, so a stated ε_s
    scales with the solid, ε_s' = ε_s (1 − ε') / (1 − ε). Left as it was, a porosity of 0.3
    on that electrode left 0.035 of the volume to a binder nobody named, and one of 0.4 was
    refused as leaving too little room: the design could not be computed, and a porosity
    sweep of a design study failed at every point.

    Parameters
    ----------
    before
        The design before the edit.
    data
        The edited design's fields; changed in place and returned.
    explicit
        Electrode sides ("positive", "negative") whose active volume fraction the edit gives
        itself: kept as given.
    """
    for side in ("positive", "negative"):
        old, new = getattr(before, side), data.get(side)
        if old is None or not isinstance(new, dict) or side in explicit:
            continue
        stated = old.active_volume_fraction
        if stated is None or new.get("active_volume_fraction") != stated:
            continue
        try:
            porosity = float(new.get("porosity"))
        except (TypeError, ValueError):
            continue  # text with a unit, or no number: the model says what is wrong
        if porosity == old.porosity or not 0.0 <= porosity < 1.0 or old.porosity >= 1.0:
            continue
        new["active_volume_fraction"] = stated * (1.0 - porosity) / (1.0 - old.porosity)
    return data


def _dumped(update: dict[str, Any]) -> dict[str, Any]:
    return {k: v.model_dump() if hasattr(v, "model_dump") else v for k, v in update.items()}
