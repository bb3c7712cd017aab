"""Colour-bar ticks a person reads at a glance: round values in 1-2-5 steps, no more digits
than the step needs.

VTK spaces its labels evenly between the ends of the range, so a plastic strain of 0 to
0.0113 was labelled 0.002825, 0.00565, 0.008475; here it reads 0, 0.002, 0.004, ... 0.01
(the step choice is Heckbert's "nice numbers", Graphics Gems I, 1990, pp. 61-63).
"""

from __future__ import annotations

import numpy as np

__all__ = ["label_scalar_bar", "nice_ticks", "tick_format"]


def nice_ticks(lo: float, hi: float, most: int = 6) -> np.ndarray:
    """Round values inside [``lo``, ``hi``] in steps of 1, 2 or 5 times a power of ten, at most
    ``most`` of them (and at least two for any range that is not a single value)."""
    if not np.isfinite(lo) or not np.isfinite(hi) or hi <= lo:
        return np.array([lo], dtype=float)
    for step in _steps(hi - lo, most):
        first, last = np.ceil(lo / step - 1e-9), np.floor(hi / step + 1e-9)
        if 2 <= last - first + 1 <= most:
            return np.arange(first, last + 1) * step + 0.0  # (+0.0: no "-0")
    return np.array([lo, hi], dtype=float)


def _steps(span: float, most: int) -> list[float]:
    """Candidate steps from the finest that could give ``most`` ticks, coarser in 1-2-5."""
    power = 10.0 ** np.floor(np.log10(span / most))
    return [m * power * 10.0**k for k in (0, 1, 2) for m in (1.0, 2.0, 5.0)]


def tick_format(ticks: np.ndarray) -> str:
    """A printf format that shows ``ticks`` with as many significant digits as their step needs
    (``%g``: scientific by itself for a tiny or huge range)."""
    if ticks.size < 2:
        return "%.4g"
    step = float(np.min(np.diff(ticks)))
    largest = float(np.max(np.abs(ticks)))
    digits = int(np.ceil(np.log10(largest / step) - 1e-9)) + 1 if largest > 0 else 1
    if 1 <= largest < 1e6:  # whole digits in full: 6000, not 6e+03
        digits = max(digits, int(np.floor(np.log10(largest))) + 1)
    return f"%.{min(max(digits, 1), 8)}g"


def label_scalar_bar(bar, lo: float, hi: float) -> None:
    """Put the nice ticks of [``lo``, ``hi``] on a ``vtkScalarBarActor``."""
    from vtkmodules.vtkCommonCore import vtkDoubleArray

    ticks = nice_ticks(lo, hi)
    labels = vtkDoubleArray()
    for value in ticks:
        labels.InsertNextValue(float(value))
    bar.SetUseCustomLabels(True)
    bar.SetCustomLabels(labels)
    bar.SetLabelFormat(tick_format(ticks))
