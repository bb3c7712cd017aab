"""Checking a design study before any run: its design, base spec and every varied field.

Every input must address a field that exists on the spec or the design (with close matches when
it does not), its range must lie within what the field allows, and both ends of the range must
be accepted by the model, so a study that cannot run is refused with one clear message before
anything is stored.
"""

from __future__ import annotations

from typing import Any

from cellwright.app.studies.fields import FieldInfo, apply_point, describe_field
from cellwright.projects.model import DesignSnapshot, DesignStudy, InputError, Study, StudyInput

__all__ = ["as_started", "base_snapshot", "check_study", "with_units", "with_whole_numbers"]


def base_snapshot(study: DesignStudy, project=None, snapshot: DesignSnapshot | None = None):
    """The design snapshot a study starts from (``snapshot`` when given), priced with
    ``project``'s own prices: each point's material cost is the builder's figure, which
    otherwise counted a material the project prices (``cellwright cost price``) at the
    library's price, or as 0, unlike the design's figures and cost breakdown."""
    from cellwright.projects.design.cost import with_project_prices

    if snapshot is None:
        from cellwright.projects.design.resolve import study_snapshot

        ref = Study(name=study.name, engine=study.engine, spec=study.spec, design=study.design)
        snapshot = study_snapshot(ref, project)
    return with_project_prices(snapshot, project)


def _check_range(item: StudyInput, info: FieldInfo) -> None:
    if info.choices:
        bad = [v for v in (item.values or []) if v not in info.choices]
        if item.is_range or bad:
            raise InputError(
                f"{item.path}: choose values from {', '.join(map(repr, info.choices))}"
                + (f" (got {bad[0]!r})" if bad else "")
            )
        return
    numbers = [item.low, item.high] if item.is_range else item.values or []
    for value in numbers:
        if isinstance(value, str):
            raise InputError(f"{item.path}: {value!r} is not a number")
        if info.lower is not None and value < info.lower:
            raise InputError(
                f"{item.path}: {value:g} is below the field's minimum {info.lower:g} "
                f"{info.unit}".rstrip()
            )
        if info.upper is not None and value > info.upper:
            raise InputError(
                f"{item.path}: {value:g} is above the field's maximum {info.upper:g} "
                f"{info.unit}".rstrip()
            )


def check_study(study: DesignStudy, snapshot: DesignSnapshot) -> dict[str, FieldInfo]:
    """Validate ``study`` against its design; return each input's field description.

    Raises
    ------
    InputError
        Naming the input (``design.positive.porosity``) and what is wrong with it.
    """
    from cellwright.engines.api import load_engine, parse_spec

    engine = load_engine(study.engine)
    spec = parse_spec(engine, study.spec)
    engine().validate(spec, snapshot)
    infos = {}
    for item in study.inputs:
        info = describe_field(item.path, spec, snapshot)
        _check_range(item, info)
        infos[item.path] = info
        ends: list[Any] = [item.low, item.high] if item.is_range else list(item.values or [])
        for value in ends:
            apply_point(engine, study.spec, snapshot, {item.path: value})
    names = {o.output for o in study.objectives} | {c.output for c in study.constraints}
    for name in sorted(names):
        if not name.strip():
            raise InputError("an objective or constraint names no output")
    return infos


def with_whole_numbers(study: DesignStudy, infos: dict[str, FieldInfo]) -> DesignStudy:
    """``study`` with ``integer`` set on each range over a field that takes whole numbers only
    (a pack's ``series``, a spec's ``repeat``): drawn without it, every point between the ends
    was a fraction the field refused, so the study failed point by point after it had been
    accepted; the window's editor has no way to say it."""
    inputs = [
        item.model_copy(update={"integer": True})
        if item.is_range and not item.integer and infos[item.path].integer
        else item
        for item in study.inputs
    ]
    if inputs == study.inputs:
        return study
    return study.model_copy(update={"inputs": inputs})


def with_units(study: DesignStudy, infos: dict[str, FieldInfo]) -> DesignStudy:
    """``study`` with each input's ``unit`` that of the field it varies, as the field's model
    declares it: only a study file set it, so a study made in the window wrote its inputs
    without a unit in its table and CSV, beside outputs that carry theirs."""
    inputs = [
        item.model_copy(update={"unit": infos[item.path].unit})
        if infos[item.path].unit and item.unit != infos[item.path].unit
        else item
        for item in study.inputs
    ]
    if inputs == study.inputs:
        return study
    return study.model_copy(update={"inputs": inputs})


def as_started(
    study: DesignStudy, infos: dict[str, FieldInfo], snapshot: DesignSnapshot
) -> DesignStudy:
    """``study`` as it is stored when it starts: whole-number ranges marked, every input's
    unit set, and the fingerprint of the base design its points read, which a resume
    compares (:func:`~cellwright.app.studies.fingerprint.check_fingerprint`)."""
    from cellwright.app.studies.fingerprint import snapshot_fingerprint

    study = with_units(with_whole_numbers(study, infos), infos)
    return study.model_copy(update={"base_fingerprint": snapshot_fingerprint(snapshot)})
