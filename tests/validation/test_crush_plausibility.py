"""Plausibility, not tuning: a cylindrical cell crushed laterally between flat plates.

Published lateral flat-plate crushes of 18650 cells peak at roughly 8-20 kN at 5-8 mm, where
the cell shorts (Sahraei, Campbell & Wierzbicki 2012, J. Power Sources 220, 360; Greve &
Fehrenbach 2012, J. Power Sources 214, 377), the force rising slowly at first: the jelly roll
compacts under a can that flattens. The library's cylindrical design with geometry is the LG
M50 (21700: 21 mm by 70 mm, 1.17 times the diameter and 1.08 times the length of an 18650),
so the range is widened by those ratios to 8-25 kN at 5-9 mm. Nothing here is fitted to it.

What the engine gives today (measured 2026-12-01, default mesh, 8230 tetrahedra): the force rises
through the range, 9.3 kN at 4.7 mm, 15.5 kN at 7.1 mm and 18.1 kN at 7.86 mm, where
jelly-roll elements beside the roll's 1.5 mm core hole turn inside out and the steps shrink to
the minimum, so the run does not reach 9 mm. Resolving the core hole with 8 elements round it
(spec curvature 8, 13473 tetrahedra, 1736 s) stopped sooner, at 5.74 mm (11.5 kN). The
short-circuit criteria fire too early: the can fractures at 1.14 mm where its wall bends round
the header's edge (a hinge one element wide) and the jelly-roll strain reaches the set's
assumed 0.35 at 2.77 mm beside the core. Earlier states: a solid-steel header fractured the can
at 0.46 mm and stopped Newton at 1.76 mm; a header that fractured as solid steel crumbled from
4.1 mm (8.5 kN falling to 7.0 kN) and stopped the run at 5.34 mm
(engines/mechanics/crush_build.py: a homogenised header takes no fracture strain). The
jelly-roll calibration is recalled rather than re-read (resources/library/crush.toml). Hence
the strict xfail: when the run completes with its peak in the range, this test says so.
"""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.slow


@pytest.mark.xfail(
    strict=True,
    reason="known gap (issue 17): 18.1 kN at 7.86 mm, where the steps shrink to the minimum "
    "before 9 mm (module docstring)",
)
def test_21700_flat_plate_crush_peaks_in_the_published_range(library) -> None:
    from cellwright.engines.api import run_study

    design = library.snapshot_for(library.design_for_cell("lg-m50"))
    spec = {
        "standard": "custom",
        "indenter": {"kind": "plate"},
        "max_travel": 0.009,
        "stop_at_short": False,
    }
    result = run_study("mechanics.crush", spec, design)
    force = np.asarray(result.series["Force [N]"])
    travel = np.asarray(result.series["Displacement [m]"])
    peak = int(np.argmax(force))
    assert result.status == "complete", result.message
    assert 8e3 <= force[peak] <= 25e3, f"peak {force[peak] / 1e3:.1f} kN"
    assert 5e-3 <= travel[peak] <= 9e-3, f"at {travel[peak] * 1e3:.2f} mm"
