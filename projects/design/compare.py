"""Side-by-side figures of two or more design variants, with the differences marked.

Each design's report (:func:`~cellwright.projects.design.design_report`) becomes a column; a row
is one figure (capacity, energy, densities, cost, N/P, every mass share …) in the order the
first design reports them, then any only later designs have. The difference of each value is
taken against the first design (the baseline), relative where the baseline is not zero.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Comparison", "ComparisonRow", "compare_reports"]

#: a relative change smaller than this is shown as equal (float noise, rounding of inputs)
SAME = 1e-6


@dataclass(frozen=True)
class ComparisonRow:
    """One figure across the designs; ``values[i]`` is None where design i lacks it."""

    name: str
    unit: str
    values: tuple[float | None, ...]

    def change(self, i: int) -> float | None:
        """Relative change of design ``i`` against the first design (None: not comparable)."""
        base, value = self.values[0], self.values[i]
        if base is None or value is None:
            return None
        if base == 0:
            return 0.0 if value == 0 else None
        return (value - base) / abs(base)

    @property
    def differs(self) -> bool:
        """True when any design's value differs from the first design's."""
        base = self.values[0]
        for i, value in enumerate(self.values[1:], start=1):
            change = self.change(i)
            if (value is None) != (base is None) or (change is None and value != base):
                return True
            if change is not None and abs(change) > SAME:
                return True
        return False


@dataclass(frozen=True)
class Comparison:
    """The designs' names and one row per figure."""

    names: tuple[str, ...]
    rows: tuple[ComparisonRow, ...]

    def row(self, name: str) -> ComparisonRow:
        """The row of figure ``name``."""
        return next(r for r in self.rows if r.name == name)


def compare_reports(reports: list[tuple[str, dict[str, tuple[float, str]]]]) -> Comparison:
    """A comparison of named reports (``name -> (value, unit)`` each), first one the baseline."""
    order: dict[str, str] = {}
    for _, report in reports:
        for figure, (_, unit) in report.items():
            order.setdefault(figure, unit)
    rows = tuple(
        ComparisonRow(
            figure,
            unit,
            tuple(report[figure][0] if figure in report else None for _, report in reports),
        )
        for figure, unit in order.items()
    )
    return Comparison(tuple(name for name, _ in reports), rows)
