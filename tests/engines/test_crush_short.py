"""The short-circuit criteria step by step, without a solve (engines/mechanics/crush_short.py)."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.mechanics.crush_short import ShortDetector


def _detector(criterion: str, leaves_out: tuple[str, ...] = ()) -> ShortDetector:
    # two roll elements (0, 1) and one housing element (2) beside them; critical strain 0.35
    return ShortDetector(criterion, 0.35, 0.05, np.array([0, 1]), np.array([2]), leaves_out)


def _run(detector: ShortDetector, forces, strains=None, fractured=None):
    """Feed converged steps at 0.1 mm each; the onset and the step it came at (None, -1)."""
    centroids = np.arange(9.0).reshape(3, 3)
    for k, force in enumerate(forces):
        eq = np.array(strains[k] if strains else [0.01, 0.02, 0.0])
        cracked = np.array(fractured[k] if fractured else [], dtype=np.int64)
        onset = detector.check(1e-4 * (k + 1), force, eq, centroids, cracked)
        if onset is not None:
            return onset, k
    return None, -1


_DROP = [1e3, 2e3, 3e3, 2.9e3, 2.7e3]  # peaks at step 2, 10 % down by step 4


@pytest.mark.parametrize("criterion", ["first", "force_drop"])
def test_a_cells_force_drop_is_its_short_at_the_peak(criterion) -> None:
    onset, step = _run(_detector(criterion), _DROP)
    assert onset.criterion == "force_drop" and step == 4
    assert onset.travel == pytest.approx(3e-4) and onset.force == 3e3


def test_a_packs_first_criterion_leaves_the_structures_force_drop_out() -> None:
    onset, _ = _run(_detector("first", ("force_drop",)), _DROP)
    assert onset is None
    onset, _ = _run(_detector("force_drop", ("force_drop",)), _DROP)  # asked for by name
    assert onset.criterion == "force_drop"


def test_the_roll_strain_and_a_crack_beside_the_stack_still_count_on_a_pack() -> None:
    strains = [[0.1, 0.2, 0.0], [0.2, 0.36, 0.0]]
    onset, step = _run(_detector("first", ("force_drop",)), [1e3, 2e3], strains)
    assert (onset.criterion, onset.element, step) == ("jelly_roll_strain", 1, 1)
    onset, step = _run(_detector("first", ("force_drop",)), [1e3, 2e3], None, [[], [2]])
    assert (onset.criterion, onset.element, step) == ("can_fracture", 2, 1)
    fresh = _detector("first", ("force_drop",))
    assert fresh.watches_strain and fresh.watches_fracture  # the path lands on both
    done = _detector("jelly_roll_strain")
    _run(done, [1e3], [[0.4, 0.0, 0.0]])
    assert not done.watches_strain and not done.watches_fracture


def test_a_packs_cracked_can_is_named_as_a_person_counts_cells() -> None:
    """A crack in a pack's prismatic can read "The can 0001 first fractures", a part number;
    it reads as the cell it belongs to, with the region's name beside it."""
    from types import SimpleNamespace

    from cellwright.engines.mechanics.crush_result import _first_fracture

    mesh = SimpleNamespace(points=np.eye(4) * 1e-3, tet10=np.array([[0, 1, 2, 3]]))
    model = SimpleNamespace(mesh=mesh, region_names=["cell_0000", "can_0001"],
                            region_of=np.array([1]))  # fmt: skip
    run = SimpleNamespace(model=model, spec=SimpleNamespace(geometry=None),
                          housing_beside_stack=lambda: np.array([0]))  # fmt: skip
    follower = SimpleNamespace(fractured=[(2.5e-3, np.array([0]))])
    message = _first_fracture(run, follower)
    assert message.startswith("The can of cell 2 (can_0001) first fractures at 2.50 mm")
