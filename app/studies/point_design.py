"""A point of a design study opened as a design: a variant of the study's base design with the
point's design inputs set.

The point's ``design.*`` and ``cell.*`` values are applied exactly as its run applied them
(:func:`~cellwright.app.studies.fields.apply_point`, so the model validates the whole design),
and the changed designs become named variants (new ids): the cell, and for a pack study the
pack — pointing at the new cell when the point changed the cell. ``spec.*`` inputs belong to the
run, not the design; they are named in the variant's notes.
"""

from __future__ import annotations

from cellwright.projects.model import DesignStudy, InputError, StudyPoint

__all__ = ["designs_from_point"]


def _values_text(values: dict) -> str:
    return ", ".join(f"{k} = {v:.6g}" if isinstance(v, float) else f"{k} = {v}"
                     for k, v in values.items())  # fmt: skip


def designs_from_point(project, study: DesignStudy, point: StudyPoint) -> list:
    """The new designs (cell and/or pack variants, not yet stored) of ``point``.

    Raises
    ------
    InputError
        The point varies no design field (only the spec), or its values are refused.
    """
    from cellwright.app.studies.fields import apply_point
    from cellwright.app.studies.validate import base_snapshot
    from cellwright.engines.api import load_engine
    from cellwright.projects.design.authoring import unique_name, variant_of

    design_values = {k: v for k, v in point.values.items() if not k.startswith("spec.")}
    if not design_values:
        raise InputError(f"point #{point.index} of {study.name!r} varies only the spec "
                         f"({_values_text(point.values)}): it is the base design")  # fmt: skip
    snapshot = base_snapshot(study, project)
    _spec, changed = apply_point(load_engine(study.engine), study.spec, snapshot, design_values)
    run_only = {k: v for k, v in point.values.items() if k.startswith("spec.")}
    notes = f"point #{point.index} of design study {study.name!r}: {_values_text(design_values)}"
    if run_only:
        notes += f"; its run also had {_values_text(run_only)}"
    made = []
    cell = changed.cell
    cell_changed = snapshot.pack is None or any(k.startswith("cell.") for k in design_values)
    if cell_changed:
        name = unique_name(project, "cell", f"{cell.name} ({study.name} #{point.index})")
        cell = variant_of(cell, name).model_copy(update={"notes": notes})
        made.append(cell)
    if changed.pack is not None:
        name = unique_name(project, "pack", f"{changed.pack.name} ({study.name} #{point.index})")
        pack = variant_of(changed.pack, name)
        update = {"notes": notes} | ({"cell": cell.id} if cell_changed else {})
        made.append(pack.model_copy(update=update))
    return made
