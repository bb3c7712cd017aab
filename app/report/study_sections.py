"""A study's section of the report: its verdict, figures and tables as a reader reads them.

Absolute temperatures in °C, a mechanical study's lengths in mm (as the window shows them),
flags as yes or no and tables titled in words (:mod:`.wording`); what is past the report's
limits is named under the section, never dropped unsaid.
"""

from __future__ import annotations

import math

from cellwright.app.report.content import ReportContent, StudySection, number
from cellwright.app.report.wording import flag_text, is_flag, table_title
from cellwright.projects.model import InputError, Result, Study
from cellwright.projects.readable import CELSIUS_ZERO, is_absolute_temperature, scalar_shown
from cellwright.viewers.result_units import lengths_in_mm, shown_length

__all__ = ["SCALAR_ROWS", "TABLES", "TABLE_ROWS", "study_section"]


def study_section(project, study: Study, content: ReportContent) -> StudySection:
    """The section of ``study`` (its newest stored result); what is missing goes to
    ``content.missing``."""
    infos = project.results(study.id)
    section = StudySection(study, None)
    if not infos:
        content.missing.append(f"study {study.name!r}: no stored result (run it first)")
        return section
    try:
        result = project.get_result(infos[0].id)
    except InputError as exc:
        content.missing.append(f"study {study.name!r}: result cannot be read ({exc})")
        return section
    section.result = result
    section.verdict, section.passed = _verdict(result)
    # the run's warnings (a design estimated from a datasheet, a force past the design limit),
    # which a reader of the numbers must see beside them; the mesh's statistics are not one
    notes = [w for w in result.provenance.warnings if not w.startswith("mesh: ")]
    section.notes, section.warnings_total = notes[:NOTES], len(notes)
    if len(notes) > NOTES:  # said, not dropped: the reader would take the list as complete
        section.notes.append(f"… and {len(notes) - NOTES} more warnings in the stored result")
    in_mm = lengths_in_mm(result)  # a crush's travel in mm, as the window shows it
    scalars, tables = list(result.scalars.items()), list(result.tables.items())
    rows = [_scalar_row(n, v, in_mm) for n, v in scalars[:SCALAR_ROWS]]
    section.scalars = list(dict.fromkeys(rows))  # a flow stored in m3/s and L/min, once
    section.tables = [_table(name, table, in_mm) for name, table in tables[:TABLES]]
    section.left_out = _left_out([n for n, _ in scalars[SCALAR_ROWS:]],
                                 [n for n, _ in tables[TABLES:]])  # fmt: skip
    return section


#: figures, tables and run warnings of a result shown in its section; the rest are named or
#: counted, not dropped unsaid
SCALAR_ROWS, TABLES, NOTES = 32, 4, 12


def _left_out(scalars: list[str], tables: list[str]) -> str:
    """What a study's section leaves out, said where the reader would look for it."""
    parts = []
    if scalars:
        names = ", ".join(n.rsplit(" [", 1)[0] for n in scalars)
        parts.append(f"{len(scalars)} more figure{'s' * (len(scalars) > 1)} ({names})")
    if tables:
        names = ", ".join(table_title(n) for n in tables)
        parts.append(f"{len(tables)} more table{'s' * (len(tables) > 1)} ({names})")
    if not parts:
        return ""
    return (f"Not shown here: {' and '.join(parts)}; the stored result holds them "
            "(open it in the Cellwright window).")  # fmt: skip


def _verdict(result: Result) -> tuple[str, bool | None]:
    """The engine's verdict sentence and whether it passed (None where it judges nothing)."""
    s = result.scalars
    passed = None
    if "Passes target [-]" in s:
        passed = bool(s["Passes target [-]"])
    elif "Passes [-]" in s:  # a standard's crush: NaN where a chained study decides
        passed = bool(s["Passes [-]"]) if math.isfinite(s["Passes [-]"]) else None
    elif "Runaway [-]" in s:
        passed = not bool(s["Runaway [-]"])
    elif "Exceeds force limit [-]" in s:  # a swelling study against its end plates' limit
        passed = not bool(s["Exceeds force limit [-]"])
    text = result.message or _headline(result)
    if str(result.status) != "complete":
        text = f"{result.status}: {text}".rstrip(": ")
    return text, passed


def _headline(result: Result) -> str:
    """The range of the result's headline series (what its tab opens on), e.g. the peak
    temperature of a thermal study, for studies that judge nothing themselves."""
    import numpy as np

    from cellwright.viewers.result_focus import result_focus

    name = result_focus(result).series
    if name is None:
        return ""
    values = np.asarray(result.series[name], dtype=float)
    values = values[np.isfinite(values)]
    if not values.size:
        return ""
    label, factor = shown_length(name, lengths_in_mm(result))
    values = values * factor
    unit = label.rsplit(" [", 1)[1].rstrip("]") if " [" in label else ""
    if is_absolute_temperature(name, values):
        values, unit = values - CELSIUS_ZERO, "°C"
    label = label.rsplit(" [", 1)[0]
    return f"{label}: {values.min():.4g} to {values.max():.4g} {unit}".rstrip()


def _fmt(value: float) -> str:
    return number(value)


def _scalar_row(name: str, value: float, in_mm: bool = False) -> tuple[str, str, str]:
    name, factor = shown_length(name, in_mm)
    value *= factor
    # the window's rule (cellwright.projects.readable): yes/no, kPa, ms, cm^3, L/min, °C
    label, shown, unit = scalar_shown(name, value)
    return label, shown if isinstance(shown, str) else shown.text, unit


#: rows of a result table shown in the report (a spectrum has hundreds: its plot shows them)
TABLE_ROWS = 12


def _table(name: str, table: dict, in_mm: bool = False) -> tuple[str, list[str], list[list[str]]]:
    """The first rows of a result table; absolute temperatures in °C, as in the scalars and
    plots beside it (a peak of 1238 K above a peak of 964.8 °C reads as two results), and
    lengths in mm where ``in_mm`` (a mechanical study's: :mod:`cellwright.viewers.result_units`).
    """
    columns, shown, flags = list(table), {}, set()
    n = min((len(table[c]) for c in columns), default=0)
    for c in columns:
        values = [float(v) for v in table[c][:n]]
        if is_flag(c):  # "Rigid-body mode": yes/no, not 0 and 1 under "[-]"
            flags.add(c.rsplit(" [", 1)[0])
            shown[c.rsplit(" [", 1)[0]] = values
        elif is_absolute_temperature(c, values):
            shown[c.rsplit(" [", 1)[0] + " [°C]"] = [v - CELSIUS_ZERO for v in values]
        else:
            label, factor = shown_length(c, in_mm)
            # a count or fraction has no unit, as in the scalars ("Cell", not "Cell [-]")
            shown[label.removesuffix(" [-]")] = [v * factor for v in values]
    rows = [[(flag_text if c in flags else _fmt)(shown[c][i]) for c in shown]
            for i in range(min(n, TABLE_ROWS))]  # fmt: skip
    title = table_title(name)
    title = title if n <= TABLE_ROWS else f"{title} (first {TABLE_ROWS} of {n} rows)"
    return title, list(shown), rows
