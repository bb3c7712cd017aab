"""A design study's results as a table: one row per point, inputs then outputs.

Read from the stored points only (their values and outputs), never from the results' arrays,
so a 10,000-point study lists at once. Feeds ``cellwright study results``, the CSV export, the
surrogates and the window's table and plots.
"""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import dataclass

import numpy as np

from cellwright.projects.model import DesignStudy, PointStatus, StudyPoint

__all__ = ["StudyTable", "study_table"]


@dataclass(frozen=True)
class StudyTable:
    """Points of a study as columns: ``inputs`` and ``outputs`` by name, over ``points``."""

    study: DesignStudy
    points: list[StudyPoint]
    input_names: list[str]
    output_names: list[str]

    def done(self) -> list[StudyPoint]:
        """The points that ran."""
        return [p for p in self.points if p.status == PointStatus.DONE]

    def failed(self) -> list[StudyPoint]:
        """The points that failed, with their errors."""
        return [p for p in self.points if p.status == PointStatus.FAILED]

    def matrix(self, names: list[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Numeric inputs (n, d) and ``names`` outputs (n, m) of the done points (NaN where a
        point lacks an output); choice inputs are given as their index in the list."""
        done = self.done()
        names = names if names is not None else self.output_names
        x = np.array(
            [[_number(self.study, path, p.values[path]) for path in self.input_names]
             for p in done], dtype=float,
        ).reshape(len(done), len(self.input_names))  # fmt: skip
        y = np.array(
            [[p.outputs.get(name, np.nan) for name in names] for p in done], dtype=float
        ).reshape(len(done), len(names))
        return x, y

    def input_headers(self) -> list[str]:
        """The inputs' column names with their units in brackets, as the outputs carry theirs
        (``design.positive.coating_thickness [m]``); a choice or unitless field has none."""
        units = {item.path: item.unit for item in self.study.inputs}
        return [f"{name} [{units[name]}]" if units.get(name) else name
                for name in self.input_names]  # fmt: skip

    def to_csv(self) -> str:
        """The whole table as CSV text (every point, failed ones with their error)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["point", "status", *self.input_headers(), *self.output_names,
                         "wall time [s]", "worker", "result", "error"])  # fmt: skip
        for p in self.points:
            row = [p.index, p.status]
            row += [p.values.get(name, "") for name in self.input_names]
            row += [_text(p.outputs.get(name)) for name in self.output_names]
            row += [f"{p.wall_time:.3f}", p.worker, p.result, p.error]
            writer.writerow(row)
        return buffer.getvalue()


def _number(study: DesignStudy, path: str, value) -> float:
    item = next(i for i in study.inputs if i.path == path)
    if item.is_range:
        return float(value)
    return float(item.values.index(value)) if value in item.values else float("nan")


def _text(value: float | None) -> str:
    return "" if value is None else f"{value:.10g}"


def study_table(project, study: DesignStudy) -> StudyTable:
    """The table of a stored study; outputs limited to ``study.outputs`` when it names some."""
    from cellwright.app.studies.execute import load_points
    from cellwright.projects.model import InputError

    with contextlib.suppress(InputError):  # as stored when it started: its inputs' units
        study = project.get("design_study", study.id)
    points = load_points(project, study)
    names: dict[str, None] = {}
    for p in points:
        for name in p.outputs:
            names.setdefault(name, None)
    outputs = [n for n in study.outputs if n in names] if study.outputs else list(names)
    return StudyTable(study, points, [i.path for i in study.inputs], outputs)
