"""The short-circuit onset is the roll's, not the mesh's (engines/mechanics/crush_short.py).

The jelly-roll strain criterion compares the nonlocal average of the roll's equivalent plastic
strain over the set's 3 mm (Bažant & Jirásek 2002, J. Eng. Mech. 128, 1119, eq. 9) with the
critical strain. Each element's own strain peaked higher the finer the roll: under GB 38031's
R75 semicylinder the LG M50 shorted at 4.88 mm on the default mesh (3.5 mm quadratic roll) and
at 2.71 mm with a 1.3 mm linear roll tied inside the same can, 45 % apart. Averaged, measured
2026-12-05: 5.53 and 5.33 mm, 3.6 % apart. The check: within 8 %, and each element's own
strain on the fine roll still as early as it was (the case is one that tells the two apart).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def _onset(library, **extra) -> float:
    from cellwright.engines.api import run_study

    design = library.snapshot_for(library.design_for_cell("lg-m50"))
    spec = {"standard": "GB38031-cell", "weight_factor": "off", "max_deformation": 0.30,
            "short_criterion": "jelly_roll_strain", **extra}  # fmt: skip
    result = run_study("mechanics.crush", spec, design)
    assert result.status == "complete", result.message
    assert "short-circuit onset by jelly_roll_strain" in result.message, result.message
    return result.scalars["Short-circuit onset displacement [m]"]


# 3-6 minutes each alone (the fine roll: 49654 tetrahedra); past the suite's 600 s per test
@pytest.mark.timeout(3600)
def test_the_averaged_roll_strain_shorts_at_the_same_travel_on_a_roll_three_times_finer(
    library,
) -> None:
    fine = {"mesh_size": 3.5e-3, "jelly_roll_elements": "linear", "jelly_roll_mesh_size": 1.3e-3}
    default = _onset(library)
    averaged = _onset(library, **fine)
    assert averaged == pytest.approx(default, rel=0.08)
    assert _onset(library, short_length=0.0, **fine) < 0.6 * default  # each element's own
