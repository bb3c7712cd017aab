"""Length and turns of wound electrode stacks: round (cylindrical) and flat (prismatic) rolls.

A wound stack of thickness ``t`` advances by ``t`` per turn. For a round roll the wound path is
an Archimedean spiral ``r = a θ`` with ``a = t / 2π`` whose arc length from θ₁ to θ₂ is
``s(θ) = (a / 2) [θ √(1 + θ²) + asinh θ]`` (e.g. Bronshtein & Semendyayev, Handbook of
Mathematics, 5th ed., §2.14.1, Archimedean spiral). For many turns it tends to the area
balance ``L = π (r_o² - r_i²) / t`` used in cell-design spreadsheets.

A flat ("racetrack") roll is two straight runs joined by half circles; turn ``k`` has length
``2 s + π d_k`` with ``d_k = c + (2k + 1) t`` for a core gap ``c``, so ``n`` turns give
``L = n (2 s + π c) + π n² t``.
"""

from __future__ import annotations

import math

__all__ = [
    "flat_roll_length",
    "flat_roll_turns",
    "spiral_length",
    "spiral_outer_radius",
    "spiral_turns",
]


def _spiral_arc(theta: float, a: float) -> float:
    return 0.5 * a * (theta * math.sqrt(1.0 + theta * theta) + math.asinh(theta))


def spiral_length(inner_radius: float, outer_radius: float, stack_thickness: float) -> float:
    """Length [m] of a stack of ``stack_thickness`` wound from ``inner_radius`` to ``outer_radius``.

    Raises
    ------
    ValueError
        If the radii are not ordered or the thickness is not positive.
    """
    if stack_thickness <= 0 or not 0 <= inner_radius < outer_radius:
        raise ValueError(
            f"need 0 <= inner radius < outer radius and a positive stack thickness, got "
            f"{inner_radius:g} m, {outer_radius:g} m, {stack_thickness:g} m"
        )
    a = stack_thickness / (2.0 * math.pi)
    return _spiral_arc(outer_radius / a, a) - _spiral_arc(inner_radius / a, a)


def spiral_turns(inner_radius: float, outer_radius: float, stack_thickness: float) -> float:
    """Number of turns of a round roll (the radius grows by one stack thickness per turn)."""
    return (outer_radius - inner_radius) / stack_thickness


def spiral_outer_radius(inner_radius: float, length: float, stack_thickness: float) -> float:
    """Outer radius [m] of a round roll of a given wound ``length`` (inverse of spiral_length)."""
    if length <= 0:
        return inner_radius
    lo, hi = inner_radius, inner_radius + math.sqrt(length * stack_thickness / math.pi) + 1.0
    for _ in range(200):  # bisection: spiral_length grows monotonically with the radius
        mid = 0.5 * (lo + hi)
        if not lo < mid < hi:  # converged to the float spacing (a roll shorter than a turn's
            break  # hair): mid == inner radius would be no spiral at all
        if spiral_length(inner_radius, mid, stack_thickness) < length:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def flat_roll_turns(roll_thickness: float, core_gap: float, stack_thickness: float) -> float:
    """Turns of a flat roll of overall thickness ``roll_thickness`` around a ``core_gap``."""
    return max((roll_thickness - core_gap) / (2.0 * stack_thickness), 0.0)


def flat_roll_length(
    straight_run: float, core_gap: float, stack_thickness: float, turns: float
) -> float:
    """Wound length [m] of ``turns`` turns of a flat roll with straight runs ``straight_run``."""
    return turns * (2.0 * straight_run + math.pi * core_gap) + math.pi * turns**2 * stack_thickness
