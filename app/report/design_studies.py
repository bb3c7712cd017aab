"""The design studies of a design in its report: what each varied, how far it got, what it found.

A design study (a sweep, a DoE, an optimisation over the design's fields) is where a designer
chose the coating thickness or the C-rate the design has; the report left such studies out
without a word. Each becomes a section: its inputs and their ranges with units, its goals, how
many points ran, and what it found — the Pareto front of two objectives, the best points of
one, or the range each output spans when the study only explores. Read from the stored points
(:func:`cellwright.app.studies.table.study_table`), never by running anything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from cellwright.app.report.content import number
from cellwright.app.report.wording import unit_text
from cellwright.app.studies.table import StudyTable
from cellwright.projects.model import DesignStudy, InputError
from cellwright.projects.readable import range_unit
from cellwright.viewers.result_units import engine_lengths_in_mm, output_shown

__all__ = ["DesignStudySection", "design_studies_of", "design_study_sections", "input_label"]

#: points listed as the best of a one-objective study, and at most on a front
BEST, FRONT = 5, 12

#: how each sampler drew the points, in words (the stored value is "lhs", "tpe", …)
SAMPLERS = {
    "factorial": "full factorial grid",
    "lhs": "Latin hypercube sample",
    "sobol": "Sobol sequence",
    "tpe": "optimised by Optuna's TPE",
    "nsga2": "optimised by NSGA-II",
}


@dataclass
class DesignStudySection:
    """One design study as the template renders it (all values already text)."""

    study: DesignStudy
    done: int
    failed: int
    total: int
    sampler: str = ""  # how the points were drawn, in words
    inputs: list[tuple[str, str, str]] = field(default_factory=list)  # (input, range, unit)
    goals: list[str] = field(default_factory=list)
    title: str = ""  # what the table below shows
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""  # why there is no table, where there is none
    finding: str = ""  # one line for the executive summary


def design_studies_of(project, design) -> list[DesignStudy]:
    """The design studies of ``design`` (what its report has a section of, unless left out)."""
    from cellwright.app.report.linked import names_design

    return [s for s in project.list("design_study") if names_design(project, s.design.id, design)]


def design_study_sections(project, design, missing: list[str]) -> list[DesignStudySection]:
    """A section per design study of ``design`` (for a pack: of its cell too)."""
    from cellwright.app.studies.table import study_table

    sections = []
    for study in design_studies_of(project, design):
        try:
            table = study_table(project, study)
        except InputError as exc:
            missing.append(f"design study {study.name!r}: its points cannot be read ({exc})")
            continue
        sections.append(_section(table))
    return sections


def _section(table: StudyTable) -> DesignStudySection:
    study = table.study
    done, failed = table.done(), table.failed()
    section = DesignStudySection(study, len(done), len(failed), len(table.points))
    section.sampler = SAMPLERS.get(str(study.sampler), str(study.sampler))
    section.inputs = [_input_row(item) for item in study.inputs]
    # named in the unit the points' table shows them in (a cell's volume in cm^3)
    section.goals = [f"{o.direction.removesuffix('ize')}ise {_goal(o.output, done, study.engine)}"
                     for o in study.objectives]  # fmt: skip
    section.goals += [_constraint(c, study.engine) for c in study.constraints]
    section.finding = "explores its inputs' ranges (no objective)"
    if not done:
        section.note = ("No point of this study has run yet: run it in the window (Study ▸ "
                        "Design study…) or with cellwright study run.")  # fmt: skip
        section.finding = "no point has run yet"
    elif len(study.objectives) == 2:
        _front(section, table)
    elif len(study.objectives) == 1:
        _best(section, table)
    else:
        _spans(section, table)
    return section


def input_label(path: str) -> str:
    """``design.positive.coating_thickness`` -> ``Positive coating thickness``,
    ``spec.c_rate`` -> ``C-rate``."""
    from cellwright.app.field_labels import readable_title

    text = " ".join(path.split(".")[1:]).replace("_", " ")
    return readable_title(text[:1].upper() + text[1:])


def _scale(unit: str, values: list[float]) -> tuple[str, float]:
    """A length or volume in the unit a reader writes it in (65 µm, not 6.5e-05 m), as the
    window's Points table reads the same range (:func:`.readable.range_unit`)."""
    shown, factor = range_unit(unit, values)
    return (shown if factor != 1.0 else unit_text(unit)), factor


def _input_row(item) -> tuple[str, str, str]:
    if item.values is not None:
        return input_label(item.path), ", ".join(str(v) for v in item.values), unit_text(item.unit)
    unit, factor = _scale(item.unit, [item.low, item.high])
    shown = f"{number(item.low * factor)} to {number(item.high * factor)}"
    return input_label(item.path), shown + (" (log scale)" if item.scale == "log" else ""), unit


def _output(name: str) -> str:
    """An output's name with its unit as a reader writes it (``[W.h/L]``, not ``[W.h.L-1]``)."""
    base, _, unit = name.partition(" [")
    unit = unit_text(unit.rstrip("]"))
    return f"{base} [{unit}]" if unit else base


def _shown_output(name: str, values, engine: str) -> tuple[str, float, float]:
    """(header, factor, offset) of output ``name`` over ``values``, as the window's Points
    table shows it (:func:`cellwright.viewers.result_units.output_shown`: a cell's volume in
    cm^3, a peak temperature in °C, a crush's travel in mm), its unit as a reader writes it."""
    shown, factor, offset = output_shown(name, values, engine_lengths_in_mm(engine))
    return _output(shown), factor, offset


def _goal(output: str, done, engine: str) -> str:
    """An objective's output named as its column is (in the unit its points read in)."""
    return _shown_output(output, [p.outputs.get(output) for p in done], engine)[0]


def _constraint(c, engine: str) -> str:
    bounds = [b for b in (c.min, c.max) if b is not None]
    name, factor, offset = _shown_output(c.output, bounds, engine)
    bounds = []
    if c.min is not None:
        bounds.append(f"≥ {number(c.min * factor - offset)}")
    if c.max is not None:
        bounds.append(f"≤ {number(c.max * factor - offset)}")
    return f"{name} {' and '.join(bounds)}"


def _points_table(section, table: StudyTable, points, outputs: list[str]) -> None:
    """Rows of ``points``: their number, inputs (lengths scaled as in the inputs table) and
    ``outputs``."""
    scales = {item.path: _scale(item.unit, [item.low or 0.0, item.high or 0.0])
              for item in table.study.inputs}  # fmt: skip
    section.columns = ["Point"]
    for path in table.input_names:
        unit = scales[path][0]
        section.columns.append(f"{input_label(path)} [{unit}]" if unit else input_label(path))
    shown = [_shown_output(name, [p.outputs.get(name) for p in points], table.study.engine)
             for name in outputs]  # fmt: skip
    section.columns += [name for name, _, _ in shown]
    for p in points:
        row = [f"#{p.index}"]
        for path in table.input_names:
            value = p.values.get(path)
            is_number = isinstance(value, (int, float))
            row.append(number(value * scales[path][1]) if is_number else str(value))
        row += [
            number(p.outputs.get(name, math.nan) * factor - offset)
            for name, (_, factor, offset) in zip(outputs, shown, strict=True)
        ]
        section.rows.append(row)


def _front(section, table: StudyTable) -> None:
    from cellwright.app.studies.pareto import pareto_front

    study = table.study
    front = pareto_front(study, table.points)
    names = [o.output for o in study.objectives]
    if not front:
        section.note = "No point meets every constraint: the study has no Pareto front."
        return
    section.finding = f"{len(front)} point{'s' * (len(front) > 1)} on the Pareto front"
    shown = front[:FRONT]
    more = f", the first {FRONT} listed" if len(front) > FRONT else ""
    section.title = (f"Pareto front: {len(front)} point{'s' * (len(front) > 1)} no other "
                     f"feasible point beats on both objectives{more}")  # fmt: skip
    _points_table(section, table, shown, names)


def _best(section, table: StudyTable) -> None:
    from cellwright.app.studies.pareto import feasible

    objective = table.study.objectives[0]
    sign = -1.0 if objective.direction == "maximize" else 1.0
    ranked = sorted(
        (p for p in table.points
         if feasible(table.study, p) and math.isfinite(p.outputs.get(objective.output, math.nan))),
        key=lambda p: sign * p.outputs[objective.output],
    )  # fmt: skip
    if not ranked:
        section.note = "No point meets every constraint: the study found no feasible design."
        return
    best = ranked[:BEST]
    name, factor, offset = _shown_output(objective.output,
                                         [p.outputs[objective.output] for p in best],
                                         table.study.engine)  # fmt: skip
    value = number(best[0].outputs[objective.output] * factor - offset)
    section.finding = f"best point #{best[0].index}: {name} {value}"
    section.title = f"The {len(best)} best feasible points by {name}"
    _points_table(section, table, best, [objective.output])


#: a point's materials-only cost from the builder (and the discharge's cost per kWh made from
#: it), which the report's Cost section, the cost model at the project's prices, contradicts:
#: 0.94 USD against the model's 1.66 USD for the M50 (see content.BUILDER_COST_FIGURES)
BUILDER_COST_OUTPUTS = ("Material cost", "Cost per energy", "Discharge cost per energy")


def _spans(section, table: StudyTable) -> None:
    """The range of each output over the points that ran (an exploring study's finding)."""
    section.title = f"What the {section.done} points that ran span"
    section.columns = ["Output", "Lowest", "Highest", "Unit"]
    names = [n for n in table.output_names if n.split(" [")[0] in BUILDER_COST_OUTPUTS]
    if names:
        # not named by name either: "Material cost" beside the Cost section reads as the cost
        section.note = (f"Not shown: the builder's materials-only cost of each point ({len(names)} "
                        f"output{'s' * (len(names) > 1)}), which the cost model of the Cost "
                        "section replaces; the study's table holds them.")  # fmt: skip
    for name in table.output_names:
        if name in names:
            continue
        values = [p.outputs.get(name, math.nan) for p in table.done()]
        finite = [float(v) for v in values if isinstance(v, (int, float)) and math.isfinite(v)]
        if not finite:
            continue
        shown, factor, offset = _shown_output(name, finite, table.study.engine)
        base, _, unit = shown.partition(" [")
        section.rows.append([base, number(min(finite) * factor - offset),
                             number(max(finite) * factor - offset), unit.rstrip("]")])  # fmt: skip
