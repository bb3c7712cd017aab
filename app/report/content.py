"""What a design report says, gathered from the project: figures, cost, studies, lab data,
passports and provenance. Qt-free; pictures are made by :mod:`.pictures`.

Every piece that cannot be had (a study without a stored result, a design whose figures cannot
be derived, a passport that does not compile) becomes a named entry in
:attr:`ReportContent.missing`, so the report says what is not there instead of failing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cellwright.app.report.wording import material_name, words
from cellwright.projects.model import CellDesign, InputError, PackDesign, Result, Study
from cellwright.projects.readable import number

__all__ = [
    "ReportContent",
    "StudySection",
    "engine_validation",
    "gather",
    "money",
    "number",
    "related_studies",
    "unit_shown",
]


@dataclass
class StudySection:
    """One study: its result (or why there is none), verdict, scalars, tables and pictures."""

    study: Study
    result: Result | None
    verdict: str = ""
    passed: bool | None = None
    scalars: list[tuple[str, str, str]] = field(default_factory=list)
    tables: list[tuple[str, list[str], list[list[str]]]] = field(default_factory=list)
    plots: list[tuple[str, str]] = field(default_factory=list)  # (caption, data URI)
    pictures: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the run assumed or substituted
    left_out: str = ""  # the figures and tables past the report's limits, by name
    warnings_total: int = 0  # the run's warnings, those past the notes' limit too


@dataclass
class ReportContent:
    """Everything the template renders (names are what the template reads)."""

    project: str
    design: CellDesign | PackDesign
    kind: str
    created: str
    version: str
    figures: list[tuple[str, float, str]] = field(default_factory=list)
    summary: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stack: list[tuple[str, str]] = field(default_factory=list)
    materials: list[dict] = field(default_factory=list)
    material_names: dict[str, str] = field(default_factory=dict)  # library id -> name
    cost: object | None = None
    assumptions: list[tuple[str, object, str]] = field(default_factory=list)
    assumption_units: dict[str, str] = field(default_factory=dict)
    charts: list[tuple[str, str]] = field(default_factory=list)
    studies: list[StudySection] = field(default_factory=list)
    design_studies: list = field(default_factory=list)  # design_studies.DesignStudySection
    lab: list[dict] = field(default_factory=list)
    passports: list[dict] = field(default_factory=list)
    comparison: object | None = None
    engines: list[dict] = field(default_factory=list)
    library_version: str = ""
    missing: list[str] = field(default_factory=list)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cellwright")
    except PackageNotFoundError:
        return "unknown"


def related_studies(project, design: CellDesign | PackDesign) -> list[Study]:
    """The studies of ``design``; for a pack also those of its cell (in the project's order),
    whether a study names the design by its id or by its name."""
    from cellwright.app.report.linked import names_design

    return [s for s in project.list("study") if names_design(project, s.design.id, design)]


def gather(
    project,
    design_name: str,
    studies: list[str] | None = None,
    compare: list[str] = (),
    design_studies: bool = True,
) -> ReportContent:
    """The report of one design of ``project`` (an open :class:`Project`).

    Parameters
    ----------
    studies
        Study ids or names to include (default: every study of the design and of its cell).
    compare
        Other designs to set beside this one in the comparison table.
    design_studies
        False to leave the design's design studies out (their sections and summary lines).
    """
    from cellwright.projects.design.resolve import find_design

    design, snapshot = find_design(design_name, project)
    kind = "pack" if isinstance(design, PackDesign) else "cell"
    content = ReportContent(
        project=project.metadata.get("name", project.path.stem),
        design=design,
        kind=kind,
        created=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        version=_version(),
        library_version=snapshot.library_version,
    )
    chosen = _chosen_studies(project, design, studies)  # a misspelt name: before any work
    # and a misspelt variant, for the same reason: the report would be read as complete
    others = [find_design(name, project) for name in compare]
    _design_figures(content, design, snapshot)
    _design_description(content, design, snapshot)
    _cost(content, project, design, snapshot)
    from cellwright.app.report.study_sections import study_section

    content.studies = [study_section(project, study, content) for study in chosen]
    from cellwright.app.report.linked import lab_summaries, passport_summaries

    content.lab = lab_summaries(project, design, content.missing)
    content.passports = passport_summaries(project, design, content.missing)
    from cellwright.app.report.design_studies import design_study_sections

    if design_studies:
        content.design_studies = design_study_sections(project, design, content.missing)
    content.engines = engine_validation({s.study.engine for s in content.studies})
    if others:
        content.comparison = _comparison(design, others, content)
    content.summary = _executive_summary(content)
    return content


def engine_validation(used: set[str]) -> list[dict]:
    """What each engine of the report is checked against (resources/report/
    engine_validation.csv, kept true to docs/engines.md by tests/app/test_report.py)."""
    import csv
    import io

    from cellwright.resources import ROOT

    text = (ROOT / "report" / "engine_validation.csv").read_text("utf-8")
    rows = {row["engine"]: row for row in csv.DictReader(io.StringIO(text))}
    out = []
    for engine in sorted(used):
        row = rows.get(engine)
        checked = row["checked_against"] if row else "not validated: no reference in the suite"
        out.append({"id": engine, "checked": checked, "test": row["tests"] if row else ""})
    return out


#: the builder's materials-only cost figures, left out of the report: its Cost section is the
#: cost model with the project's prices (405 USD, 2709 USD/kWh for the example module, where
#: these said 8.06 USD, 53.8 USD/kWh and left out the prices the project sets)
BUILDER_COST_FIGURES = ("Material cost", "Cost per energy")


def _without_builder_cost(report: dict) -> dict:
    return {name: v for name, v in report.items() if name not in BUILDER_COST_FIGURES}


def _design_figures(content: ReportContent, design, snapshot) -> None:
    from cellwright.projects.design import design_report, design_warnings

    try:
        report = _without_builder_cost(design_report(design, snapshot))
        warnings = design_warnings(design, snapshot)
    except InputError as exc:
        content.missing.append(f"design figures: {exc}")
        return
    # the cost model's own list of unpriced materials (at the project's prices) is in the
    # summary and the Cost section; the builder's "no price for …" would say it twice
    content.warnings = [w for w in warnings if not w.startswith("no price for ")]
    content.figures = [(name, value, unit) for name, (value, unit) in report.items()]


def _design_description(content: ReportContent, design, snapshot) -> None:
    cell = snapshot.cell
    rows = [("Format", str(cell.format))]
    if isinstance(design, PackDesign):
        rows.insert(0, ("Arrangement", f"{design.series}s{design.parallel}p of {cell.name}"))
    g = cell.geometry
    if g is not None:
        if g.kind == "cylindrical":
            rows.append(("Can", f"Ø {g.diameter * 1e3:.1f} × {g.height * 1e3:.1f} mm"))
        else:
            rows.append(("Envelope", f"{g.length * 1e3:.1f} × {g.width * 1e3:.1f} × "
                                     f"{g.thickness * 1e3:.2f} mm"))  # fmt: skip
    content.material_names = {k: material_name(snapshot.materials, k) for k in snapshot.materials}
    name = content.material_names.get  # the library's name, not its id ("nmc811")
    for side in ("positive", "negative"):
        e = getattr(cell, side)
        if e is not None:
            coating = f"{e.coating_thickness * 1e6:.1f} µm coating, porosity {e.porosity:.3g}"
            material = name(e.active_material, e.active_material)
            rows.append((f"{side.title()} electrode", f"{material}, {coating}"))
    if cell.separator:
        thickness = f"{cell.separator_thickness * 1e6:.1f} µm"
        rows.append(("Separator", f"{name(cell.separator, cell.separator)}, {thickness}"))
    if cell.electrolyte:
        rows.append(("Electrolyte", name(cell.electrolyte, cell.electrolyte)))
    if snapshot.reference_cell is not None:
        rows.append(("Reference cell", snapshot.reference_cell.name))
    content.stack = rows
    for material in snapshot.materials.values():
        sources = sorted({p.source for p in material.properties.values()})
        content.materials.append(
            {"id": material.id, "name": material.name, "class": words(material.material_class),
             "sources": sources[:3], "more": max(0, len(sources) - 3)}
        )  # fmt: skip


def _cost(content: ReportContent, project, design, snapshot) -> None:
    from cellwright.projects.design.cost import estimate_cost, project_cost_assumptions

    assumptions = project_cost_assumptions(project)
    try:
        content.cost = estimate_cost(design, snapshot, assumptions)
    except InputError as exc:
        content.missing.append(f"cost: {exc}")
    fields = type(assumptions).model_fields
    content.assumptions = [
        (name, getattr(assumptions, name), fields[name].description or "")
        for name in fields
        if name not in ("id", "name", "prices", "notes", "basis")
    ]
    content.assumption_units = {name: ASSUMPTION_UNITS.get(name, "") for name, _, _ in
                                content.assumptions}  # fmt: skip


#: the unit of each cost assumption (projects/model/cost.py: Share, PerKwh, Usd), which the
#: model's descriptions leave to the type; tests/app/test_report.py checks every one has one
ASSUMPTION_UNITS = {
    **dict.fromkeys(("electrode_yield", "foil_yield", "separator_yield", "electrolyte_yield",
                     "overhead", "sensitivity_step"), "fraction"),
    **dict.fromkeys(("electrode_processing", "cell_assembly", "formation", "plant"), "USD/kWh"),
    **dict.fromkeys(("module_assembly", "module_electronics"), "USD/module"),
    **dict.fromkeys(("pack_assembly", "bms_unit", "disconnect_unit", "bms_interfaces"),
                    "USD/pack"),
    "bms_per_asic": "USD/ASIC",
    "cells_per_asic": "cells",
}  # fmt: skip


def _chosen_studies(project, design, names: list[str] | None) -> list[Study]:
    """The studies asked for; a name not in the project is an error (a report without the
    study its reader asked for, the name buried in a list, would be read as complete)."""
    related = related_studies(project, design)
    if names is None:  # [] is the dialog with every study unticked: none, not all
        return related
    chosen = []
    for name in names:
        try:
            chosen.append(project.find("study", name))
        except InputError:
            known = ", ".join(s.id for s in related) or "none"
            raise InputError(
                f"no study {name!r} in this project (studies of {design.name}: {known})",
                str(project.path),
            ) from None
    return chosen


def money(value: float | None) -> str:
    """An amount of money in cents (1,234.56); under half a cent, "< 0.01", not 2.84e-05."""
    if value is None or not math.isfinite(value):
        return "–"
    if 0 < abs(value) < 0.005:
        return "<\u00a00.01"  # no break: "<" alone on a line reads as a typo
    return f"{value:,.2f}"


#: units as a reader writes them: a dimensionless figure has none ("0.847", not "0.847 1")
_UNIT_SHOWN = {"1": "", "-": "", "ohm": "Ω", "mohm": "mΩ", "uohm": "µΩ"}


def unit_shown(unit: str) -> str:
    """``unit`` as the report prints it (the builder's "1" and "uohm" are not for readers)."""
    return _UNIT_SHOWN.get(unit, unit)


def _comparison(design, others: list, content: ReportContent):
    from cellwright.projects.design import design_report
    from cellwright.projects.design.compare import compare_reports

    reports = [(design.name, dict((n, (v, u)) for n, v, u in content.figures))]
    for other, snapshot in others:
        try:
            reports.append((other.name, _without_builder_cost(design_report(other, snapshot))))
        except InputError as exc:
            content.missing.append(f"comparison with {other.name!r}: {exc}")
    return compare_reports(reports) if len(reports) > 1 else None


_HEADLINE = ("Capacity", "Energy", "Nominal voltage", "Mass", "Volume",
             "Gravimetric energy density", "Volumetric energy density")  # fmt: skip


def _executive_summary(content: ReportContent) -> list[tuple[str, str]]:
    figures = {name: (value, unit) for name, value, unit in content.figures}
    rows = [(name, f"{number(figures[name][0])} {unit_shown(figures[name][1])}".rstrip())
            for name in _HEADLINE if name in figures]  # fmt: skip
    cost = content.cost
    if cost is not None and cost.headline is not None:
        what = "pack" if cost.pack is not None else "cell"
        rows.append((f"Cost per kWh ({what}, model)", f"{cost.headline.per_kwh:.4g} USD/kWh"))
        rows.append((f"Cost per {what} (model)", f"{cost.headline.total:.4g} USD"))
    return rows
