"""What a ``cfd.flow2d`` result says about the limits of its own model: coolant properties
held constant at one temperature, grids too coarse across a channel for the pressure drop, and
channels the grid draws narrower or wider than they are.

All are warnings, not errors: the run is still the best answer the spec asked for, and the
warning says by how much it may be off and which spec field to change.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["grid_warnings", "properties_note", "property_warnings", "staircase_warnings"]

_PROPERTIES = (
    ("density", "density", "kg/m3"),
    ("viscosity", "viscosity", "Pa s"),
    ("conductivity", "conductivity", "W/(m K)"),
    ("specific_heat", "specific heat", "J/(kg K)"),
)
_STRONG = 0.20  # a property changing by more than this over the run is worth a warning

# Pressure-drop error of the staggered grid against plane Poiseuille (fRe = 96), measured with
# this solver (tests/validation/test_cfd_flow2d.py) at 4, 8, 16, 32 cells across: -12.5, -3.15,
# -0.80, -0.20 % in the developed flow (= -2/N^2) and -15.5, -4.5, -1.18, -0.30 % over a channel
# 8 widths long, entrance and exit included (about -3/N^2). The warning uses the latter.
_ERROR_COEFFICIENT = 3.0
_ACCEPTED = 0.01  # the pressure drop to about 1 %: 18 cells across
_ACROSS_FOR_ACCEPTED = math.ceil(math.sqrt(_ERROR_COEFFICIENT / _ACCEPTED))
# A thin (depth-averaged) channel much wider than deep has its in-plane shear in layers about
# depth/sqrt(12) thick at the side walls: at 6 depths wide it measured -6.4, -4.0, -1.7, -0.52 %
# at 4, 8, 16, 32 cells across. Counting only 4 depths of its width as "across" keeps the
# estimate on the safe side of those figures near 1 %.
_THIN_WIDTH_IN_DEPTHS = 4.0


def properties_note(fluid) -> str:
    """The provenance line naming the fluid, the temperature its properties were taken at and
    where they come from."""
    values = ", ".join(
        f"{label} {getattr(fluid, key):.4g} {unit}" for key, label, unit in _PROPERTIES
    )
    if fluid.coolant is None:
        return f"fluid: {fluid.name}, constant properties given in the spec ({values})"
    return (
        f"fluid: {fluid.name}, constant properties at {fluid.reference_temperature:.2f} K "
        f"(spec.reference_temperature): {values}; {fluid.coolant.reference}"
    )


def property_warnings(fluid, fluid_temps: np.ndarray, t_in: float, t_out: float | None):
    """Warnings when the coolant's temperature field leaves its property data, or when its
    properties change strongly over the temperature rise the run held them constant across.
    ``fluid_temps``: temperatures of the fluid cells [K]; ``t_out``: mean outlet temperature."""
    coolant = fluid.coolant
    if coolant is None or fluid_temps.size == 0:
        return []
    out = []
    low, high = float(np.nanmin(fluid_temps)), float(np.nanmax(fluid_temps))
    if high > coolant.t_max or low < coolant.t_min:
        worst = high if high > coolant.t_max else low
        out.append(
            f"the coolant reaches {worst:.1f} K, outside the range of {coolant.name} "
            f"({coolant.t_min:.1f} to {coolant.t_max:.1f} K: freezing/boiling or the limit of "
            f"its property data); the run holds its properties at "
            f"{fluid.reference_temperature:.2f} K and models no phase change: raise the flow "
            "or lower the heat"
        )
    if t_out is None:
        return out
    for key, label, _ in _PROPERTIES:
        if getattr(fluid, key) != float(getattr(coolant, key)(fluid.reference_temperature)):
            continue  # given in the spec: the user's own constant
        at_in, at_out = (float(getattr(coolant, key)(t)) for t in (t_in, t_out))
        change = at_out / at_in - 1.0
        if abs(change) > _STRONG:
            out.append(
                f"the {label} of {coolant.name} changes by {change:+.0%} between the inlet "
                f"({t_in:.1f} K) and the mean outlet ({t_out:.1f} K), but the run holds it at "
                f"its value at {fluid.reference_temperature:.2f} K (spec.reference_temperature);"
                f" set that near the mean coolant temperature ({(t_in + t_out) / 2:.1f} K) or "
                "raise the flow"
            )
    return out


def _runs(fluid: np.ndarray, axis: int, mirror_lo: np.ndarray, mirror_hi: np.ndarray):
    """Per cell, the width in cells of the unbroken line of fluid through it along ``axis``.

    A line ending on a symmetry plane (``mirror_lo``/``mirror_hi``: per line, the domain's
    side at its low/high end is one) is half of a channel mirrored there: its width counts
    twice; a line between two symmetry planes meets no wall (infinite).
    """
    from scipy.ndimage import label

    structure = np.zeros((3, 3), bool)
    structure[:, 1] = True
    if axis == 1:
        structure = structure.T
    labels, count = label(fluid, structure)
    width = np.bincount(labels.ravel(), minlength=count + 1).astype(float)
    ends = np.moveaxis(labels, axis, 0)
    mirrored = np.zeros(count + 1)
    for end, mirror in ((ends[0], mirror_lo), (ends[-1], mirror_hi)):
        mirrored[end[mirror & (end > 0)]] += 1
    width = np.where(mirrored >= 2, np.inf, width * (1 + mirrored))
    return width[labels]


def _symmetry(problem, side: str) -> np.ndarray:
    """Per boundary face of ``side``: True where it is a symmetry plane."""
    from cellwright.engines.cfd.flow2d_boundaries import SYMMETRY

    return np.asarray(problem.sides[side].kind) == SYMMETRY


#: a fluid rectangle drawn more than this much narrower or wider than it is gets a warning
_DRAWN_WIDTH = 0.02


def staircase_warnings(shapes, xc: np.ndarray, yc: np.ndarray, h: float) -> list[str]:
    """A warning for the fluid rectangle whose width (its shorter side) the grid draws furthest
    from its own, when that is more than 2 % off.

    A cell belongs to a shape when its centre does (:mod:`flow2d_shapes`), so a rectangle whose
    sides lie between grid lines is drawn up to a cell narrower or wider than it is. A channel's
    pressure drop goes as its width to the power -1 (depth-averaged, wide) to -3 (plane
    Poiseuille), an error of first order in the cell that the coarse-grid check's 3/N^2 (walls on
    grid lines) does not count and whose sign it cannot know: the pack plate's 6 mm channels,
    drawn 7 or 8 cells wide by where they lay, scattered its pressure drop by +-6 %.

    Parameters
    ----------
    shapes
        The spec's shapes; only fluid rectangles are checked, clipped to the domain.
    xc, yc
        The grid's cell centres along x and y [m].
    h
        The cell size [m].
    """
    worst = None
    for k, shape in enumerate(shapes):
        if shape.kind != "rectangle" or shape.region != "fluid":
            continue
        sides = []
        for lo, size, centres in zip(shape.origin, shape.size, (xc, yc), strict=True):
            start, end = max(lo, 0.0), min(lo + size, centres[-1] + h / 2)
            drawn = int(np.count_nonzero((centres >= lo) & (centres <= lo + size)))
            sides.append((end - start, drawn))
        given, drawn = min(sides)
        off = drawn * h / given - 1 if given > 0 else 0.0
        if abs(off) > _DRAWN_WIDTH and (worst is None or abs(off) > abs(worst[0])):
            worst = (off, k, shape, given, drawn)
    if worst is None:
        return []
    off, k, shape, given, drawn = worst
    name = f" {shape.name!r}" if shape.name else ""
    return [
        f"spec.shapes[{k}]{name} is {given * 1e3:.4g} mm wide but drawn {drawn} cells "
        f"({drawn * h * 1e3:.4g} mm, {off:+.1%}): a cell is fluid when its centre is, and its "
        f"sides lie between grid lines (cells of {h * 1e3:.4g} mm), so its pressure drop may be "
        f"off by one to three times that; place its sides on multiples of the cell, or choose "
        f"spec.cells so that they fall there"
    ]


def grid_warnings(problem, velocity: np.ndarray, thin_depth: float | None) -> list[str]:
    """A warning when the narrowest channel carrying the flow has too few cells across for the
    pressure drop to about 1 %, with the estimated error and the ``spec.cells`` that fixes it.

    A cell's width "across" is its unbroken run of fluid cells normal to its velocity (twice
    that where the run ends on a symmetry plane: half a channel); cells slower than a tenth
    of the fastest (dead ends, a narrow bypass that carries little) are left out.
    ``thin_depth``: the channel depth of a depth-averaged (thin-channel) run.
    """
    g = problem.grid
    fluid = g.fluid
    speed = np.linalg.norm(velocity, axis=-1)
    if not fluid.any() or speed[fluid].max() <= 0:
        return []
    carrying = fluid & (speed >= 0.1 * speed[fluid].max())
    along_x = np.abs(velocity[..., 0]) >= np.abs(velocity[..., 1])
    across_y = _runs(fluid, 1, _symmetry(problem, "bottom"), _symmetry(problem, "top"))
    across_x = _runs(fluid, 0, _symmetry(problem, "left"), _symmetry(problem, "right"))
    across = np.where(along_x, across_y, across_x)
    if thin_depth is not None:
        across = np.minimum(across, _THIN_WIDTH_IN_DEPTHS * thin_depth / g.h)
    counted = np.where(carrying, across, np.inf)
    n = float(counted.min())
    narrowest = np.where(counted == n, speed, -1.0)  # there, the fastest cell: mid-channel
    i, j = np.unravel_index(int(np.argmax(narrowest)), counted.shape)
    error = _ERROR_COEFFICIENT / n**2
    if error <= _ACCEPTED:
        return []
    along = max(g.nx, g.ny)
    needed = math.ceil(along * _ACROSS_FOR_ACCEPTED / n)
    fix = (
        f"set spec.cells to {needed} or more (now {along} along the longer side)"
        if needed <= 4096
        else f"a grid of {needed} cells along the longer side, beyond spec.cells' 4096: "
        "solve a smaller part of the domain"
    )
    thin = f" (a thin channel: at most {_THIN_WIDTH_IN_DEPTHS:g} depths counted)" * (
        thin_depth is not None
    )
    return [
        f"the narrowest channel carrying the flow is {n:.3g} cells across{thin} near "
        f"({(i + 0.5) * g.h:.4g}, {(j + 0.5) * g.h:.4g}) m: the pressure drop is likely about "
        f"{error:.1%} low ({_ERROR_COEFFICIENT:g}/N^2, measured on plane Poiseuille flow); "
        f"{_ACROSS_FOR_ACCEPTED} cells across give about 1 %: {fix}"
    ]
