"""Plausibility, not tuning: a cylindrical cell crushed laterally between flat plates.

Published lateral flat-plate crushes of 18650 cells peak at roughly 8-20 kN at 5-8 mm, where
the cell shorts (Sahraei, Campbell & Wierzbicki 2012, J. Power Sources 220, 360; Greve &
Fehrenbach 2012, J. Power Sources 214, 377), the force rising slowly at first: the jelly roll
compacts under a can that flattens. The LG M50 (21700: 21 mm by 70 mm, 1.17 times the
diameter and 1.08 times the length of an 18650) is checked against the window widened by those
ratios, 8-25 kN at 5-9 mm; the 18650 format template against the published window itself (the
last test). Nothing here is fitted to either.

The peak of a test is where the cell shorts and its layers give way; the engine's homogenised
roll does not give way, so its force rises for as long as the plates travel and has no peak of
its own. Two checks follow from that:

- the force-displacement curve passes through the window: by 5 mm it is not yet above the
  window's top, by 9 mm it has reached the window's bottom, and somewhere in 5-9 mm it lies in
  8-25 kN, so a short anywhere in the published travel would peak in the published force
  range. Measured 2026-12-01 (default mesh, core filled, 7114 tetrahedra, 36 steps, 140 s):
  11.0 kN at 5 mm, 16.3 kN at 7 mm, 25.0 kN at 9 mm (on the mesh before the can's outer face
  was capped, 6874 tetrahedra: 11.3 kN at 5.13 mm, 25.7 kN at 9 mm);
- the short-circuit onset by the default criteria ("first") falls in the window. It does not
  (strict xfail). The can first fractures at 0.68 mm in the crimp zone below the header, where
  its wall, one element thick, is sheared between the flattening roll and the stiff header (a
  thin wall as one layer of solid elements cannot bend there as a shell would; 1.21 mm on the
  earlier mesh); past the roll's end that is a leak, not a short, and no fracture beside the
  roll comes before 9 mm. But the jelly-roll strain, averaged over the set's 3 mm, reaches its
  assumed 0.35 at 4.52 mm (10.0 kN; the path lands on it; each element's own strain reached it
  at 1.70 mm and 5.6 kN), just short of the window, at the roll's bottom end, 3.2 mm from the
  axis, at the edge of the negative tab, which the mesh makes a solid strip bonded to the roll
  and the can bottom. The tab's stiffness does not set it: with the tabs fifty times softer
  (stiffness and flow stress x 0.02, as a folded foil carries little) the onset came at
  2.32 mm against 2.29 mm on the earlier mesh, at the same place. Kermani & Sahraei calibrate
  the critical strain per cell against its test; the library has no such test for the LG M50.

Before the core was filled (engines/mechanics/crush_build.py), the open 3 mm core hole's foam
elements turned inside out at 7.86 mm (18.1 kN) and the run did not reach 9 mm.
"""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.slow

_WINDOW_TRAVEL = (5e-3, 9e-3)  # m
_WINDOW_FORCE = (8e3, 25e3)  # N


def _lg_m50(library):
    return library.snapshot_for(library.design_for_cell("lg-m50"))


def _flat_plates(**extra) -> dict:
    return {"standard": "custom", "indenter": {"kind": "plate"},
            "max_travel": _WINDOW_TRAVEL[1], **extra}  # fmt: skip


# 2-7 minutes (36-47 steps to 9 mm, with or without a loaded machine): past the suite's 600 s per
# test on a slow one
@pytest.mark.timeout(1800)
def test_21700_flat_plate_crush_passes_through_the_published_window(library) -> None:
    from cellwright.engines.api import run_study

    result = run_study("mechanics.crush", _flat_plates(stop_at_short=False), _lg_m50(library))
    _passes_through(result, _WINDOW_TRAVEL, _WINDOW_FORCE)


def _passes_through(result, window_travel, window_force) -> None:
    """The curve runs to the window's far end, is not above its top before the window, has
    reached its bottom by the far end and lies inside it somewhere."""
    assert result.status == "complete", result.message
    force = np.asarray(result.series["Force [N]"])
    travel = np.asarray(result.series["Displacement [m]"])
    (start, end), (lo, hi) = window_travel, window_force
    assert travel[-1] == pytest.approx(end, rel=1e-6)
    before = travel <= start
    assert force[before].max() <= hi, f"{force[before].max() / 1e3:.1f} kN before the window"
    assert force[-1] >= lo, f"{force[-1] / 1e3:.1f} kN at {end * 1e3:g} mm"
    inside = (travel >= start) & (force >= lo) & (force <= hi)
    assert inside.any(), "the curve misses the window"


@pytest.mark.xfail(
    strict=True,
    reason="known gap (issue 17): the averaged jelly-roll strain reaches its assumed 0.35 at "
    "4.52 mm, short of the window's 5 mm (module docstring)",
)
def test_21700_flat_plate_crush_shorts_in_the_published_window(library) -> None:
    from cellwright.engines.api import run_study

    result = run_study("mechanics.crush", _flat_plates(stop_at_short=True), _lg_m50(library))
    s = result.scalars
    assert "Short-circuit onset displacement [m]" in s, result.message
    at, force = s["Short-circuit onset displacement [m]"], s["Short-circuit onset force [N]"]
    assert _WINDOW_TRAVEL[0] <= at <= _WINDOW_TRAVEL[1], f"short at {at * 1e3:.2f} mm"
    assert _WINDOW_FORCE[0] <= force <= _WINDOW_FORCE[1], f"short at {force / 1e3:.1f} kN"


# the published 18650 window itself, no scaling: 8-20 kN at 5-8 mm
_WINDOW_18650_TRAVEL = (5e-3, 8e-3)  # m
_WINDOW_18650_FORCE = (8e3, 20e3)  # N


@pytest.mark.timeout(1800)
def test_18650_flat_plate_crush_passes_through_the_published_18650_window(library) -> None:
    """The 18650 format template (IEC 61960-3: 18.0 x 65.0 mm, 0.25 mm can, the Chen 2020 stack
    wound as long as the can holds) between flat plates, to the same checks as the 21700 above
    but against the 18650 window as published. Measured 2026-12-02 (default mesh, 6928
    tetrahedra, 41 steps, 180-248 s): 14.1 kN at 5.13 mm, 19.7 kN at 6.50 mm, 27.0 kN at 7.86 mm.
    The jelly roll's foam set is the one Sahraei et al. fitted to 18650 jelly rolls; the cell's
    can, stack and the window are not tuned to each other."""
    from cellwright.engines.api import run_study
    from cellwright.projects.design.templates import new_cell_from_template

    spec = {**_flat_plates(stop_at_short=False), "max_travel": _WINDOW_18650_TRAVEL[1]}
    result = run_study(
        "mechanics.crush", spec, library.snapshot_for(new_cell_from_template("18650"))
    )
    _passes_through(result, _WINDOW_18650_TRAVEL, _WINDOW_18650_FORCE)
