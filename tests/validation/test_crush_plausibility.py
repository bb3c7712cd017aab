"""Plausibility, not tuning: a cylindrical cell crushed laterally between flat plates.

Published lateral flat-plate crushes of 18650 cells peak at roughly 8-20 kN at 5-8 mm, where
the cell shorts (Sahraei, Campbell & Wierzbicki 2012, J. Power Sources 220, 360; Greve &
Fehrenbach 2012, J. Power Sources 214, 377), the force rising slowly at first: the jelly roll
compacts under a can that flattens. The library's cylindrical design with geometry is the LG
M50 (21700: 21 mm by 70 mm, 1.17 times the diameter and 1.08 times the length of an 18650),
so the range is widened by those ratios to 8-25 kN at 5-9 mm. Nothing here is fitted to it.

What the engine gives today (measured 2026-12-01, default mesh, 8230 tetrahedra, 656 s): 8.5 kN
at 4.1 mm, down to 7.0 kN by 5.0 mm and 7.5 kN at 5.34 mm, where jelly-roll elements near the
core are squeezed to a few per cent of their volume (the foam curve has no densification) and
the steps shrink to the minimum. The can first fractures at 1.14 mm where its wall bends round
the header's edge. The header is the can's steel scaled by the metal fraction of its assembly
and the metals fracture only while not compressed (engines/mechanics/crush_build.py,
crush_fracture.py); before those (2026-11-30) the solid-steel header made the can fracture at
0.46 mm and Newton stop at 1.76 mm. The force sits at the floor of the range and its maximum
0.9 mm short of the range's displacements. The jelly-roll calibration is recalled rather than
re-read (resources/library/crush.toml). Hence the strict xfail: when a re-read calibration (with
its densification) brings it into the range, this test says so.
"""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.slow


@pytest.mark.xfail(
    strict=True,
    reason="known gap (issue 17): 8.5 kN at 4.1 mm, then the steps shrink to the minimum at "
    "5.34 mm (module docstring)",
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
