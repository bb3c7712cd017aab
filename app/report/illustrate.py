"""Putting the pictures into a report's content: breakdown charts, each study's curves and 3D
field, with progress per study (the 3D renders are the slow part)."""

from __future__ import annotations

from collections.abc import Callable

from cellwright.projects.model import InputError

__all__ = ["illustrate"]


def illustrate(content, progress: Callable[[float, str], None]) -> None:
    """Fill ``content.charts`` and each study's ``plots`` and ``pictures``."""
    from cellwright.app.report import pictures

    progress(0.0, "drawing the mass, volume and cost breakdowns")
    content.charts = _breakdown_charts(content, pictures)
    n = max(len(content.studies), 1)
    for k, section in enumerate(content.studies):
        progress((k + 0.5) / n, f"{section.study.name}: curves and 3D picture")
        if section.result is not None:
            try:
                _study_pictures(section, pictures)
            except (InputError, KeyError, ValueError) as exc:
                content.missing.append(f"study {section.study.name!r}: no picture ({exc})")
    progress(1.0, "pictures done")


def _group(figures, prefix: str) -> tuple[dict[str, float], str]:
    parts = {name.removeprefix(prefix): value for name, value, _ in figures
             if name.startswith(prefix)}  # fmt: skip
    unit = next((u for name, _, u in figures if name.startswith(prefix)), "")
    return parts, unit


def _breakdown_charts(content, pictures) -> list[tuple[str, str]]:
    charts = []
    for title, prefix in (("Mass", "Mass: "), ("Volume", "Volume: ")):
        parts, unit = _group(content.figures, prefix)
        if parts:
            charts.append((f"{title} breakdown ({content.kind})",
                           pictures.bar_chart(title, parts, unit)))  # fmt: skip
    cost = content.cost
    for label, breakdown in (("cell", getattr(cost, "cell", None)),
                             ("pack", getattr(cost, "pack", None))):  # fmt: skip
        if breakdown is not None and breakdown.total > 0:
            groups = breakdown.by_group() if label == "pack" else {
                line.name: line.cost for line in breakdown.lines}  # fmt: skip
            charts.append((f"Cost breakdown ({label}, model)",
                           pictures.bar_chart("Cost", groups, "USD")))  # fmt: skip
    return charts


def _study_pictures(section, pictures) -> None:
    from cellwright.viewers.result_focus import result_focus

    result = section.result
    focus = result_focus(result)
    plot = pictures.series_plot(result, focus.series)
    if plot is not None:
        section.plots.append((focus.series.rsplit(" [", 1)[0] + " against time", plot))
    for name, table in result.tables.items():
        frequency = next((c for c in table if c.startswith("Frequency")), None)
        psd = next((c for c in table if "PSD" in c), None)
        if frequency and psd:
            spectrum = pictures.table_plot(result, name, frequency, psd)
            if spectrum is not None:
                # what is plotted against what, as the other plots are captioned ("psd: …"
                # named the table by its key)
                section.plots.append((f"{psd.rsplit(' [', 1)[0]} against frequency", spectrum))
            break
    if focus.field is not None:
        # a modal result is judged by its first natural frequency: show that mode, not the last
        time = 1.0 if pictures.is_mode_shape(result, focus.field) else focus.time
        picture = pictures.field_picture(result, focus.field, time)
        if picture is not None:
            caption, uri = picture
            if focus.reason and focus.reason != "end of the run":
                caption += f", at the {focus.reason}"
            section.pictures.append((caption, uri))
