"""Fields by dotted path, applying points, and the samplers (factorial, LHS, Sobol)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import qmc

from cellwright.app.studies.fields import apply_point, describe_field
from cellwright.app.studies.samplers import draw_points, to_unit_cube
from cellwright.engines.api import load_engine, parse_spec
from cellwright.projects.design.reference_designs import lg_m50, reference_snapshot
from cellwright.projects.model import DesignStudy, InputError
from support.studies import rate_study

ENGINE = load_engine("electrochem.pybamm_discharge")


@pytest.fixture(scope="module")
def snapshot():
    return reference_snapshot(lg_m50())


def test_nested_design_field_is_described_with_unit_and_bounds(snapshot) -> None:
    spec = parse_spec(ENGINE, {})
    info = describe_field("design.positive.porosity", spec, snapshot)
    assert (info.unit, info.lower, info.upper, info.value) == ("1", 0.05, 0.8, 0.335)
    info = describe_field("design.geometry.can_wall_thickness", spec, snapshot)
    assert info.unit == "m" and info.value == pytest.approx(0.25e-3)
    info = describe_field("spec.model", spec, snapshot)
    assert info.choices == ("SPM", "SPMe", "DFN")
    assert describe_field("spec.cutoff_voltage", spec, snapshot).unit == "V"  # inside X | None


def test_a_field_of_whole_numbers_is_told_from_one_of_any_number(snapshot) -> None:
    spec = parse_spec(ENGINE, {})
    assert describe_field("spec.output_points", spec, snapshot).integer  # int | None
    assert not describe_field("spec.c_rate", spec, snapshot).integer  # Annotated[float, …]
    assert not describe_field("design.positive.porosity", spec, snapshot).integer
    assert not describe_field("spec.model", spec, snapshot).integer  # a choice


def test_a_field_that_does_not_exist_is_named_with_close_matches(snapshot) -> None:
    spec = parse_spec(ENGINE, {})
    with pytest.raises(InputError, match=r"Electrode has no field 'porosty'; did you mean poro"):
        describe_field("design.positive.porosty", spec, snapshot)
    with pytest.raises(InputError, match=r"DischargeSpec has no field 'crate'.*c_rate"):
        describe_field("spec.crate", spec, snapshot)


def test_applying_a_point_changes_copies_and_validates(snapshot) -> None:
    values = {"spec.c_rate": 2.0, "design.positive.coating_thickness": 70e-6}
    spec, point = apply_point(ENGINE, {"model": "SPM"}, snapshot, values)
    assert spec == {"model": "SPM", "c_rate": 2.0}
    assert point.cell.positive.coating_thickness == 70e-6
    assert snapshot.cell.positive.coating_thickness == pytest.approx(75.6e-6)  # base untouched
    with pytest.raises(InputError, match=r"design.positive.porosity: .*less than or equal to 0.8"):
        apply_point(ENGINE, {}, snapshot, {"design.positive.porosity": 0.9})


def test_factorial_is_the_full_grid() -> None:
    study = rate_study(
        sampler="factorial",
        inputs=[
            {"path": "spec.c_rate", "low": 0.5, "high": 2.0, "levels": 4},
            {"path": "spec.model", "values": ["SPM", "DFN"]},
        ],
    )
    points = draw_points(study)
    assert len(points) == 8
    assert sorted({p["spec.c_rate"] for p in points}) == [0.5, 1.0, 1.5, 2.0]
    assert {p["spec.model"] for p in points} == {"SPM", "DFN"}


def test_latin_hypercube_puts_one_point_in_each_stratum_of_each_input() -> None:
    study = rate_study(
        points=20, sampler="lhs",
        inputs=[{"path": "spec.c_rate", "low": 1.0, "high": 3.0},
                {"path": "spec.ambient_temperature", "low": 273.15, "high": 323.15}],
    )  # fmt: skip
    points = draw_points(study)
    for item in study.inputs:
        u = np.array([to_unit_cube(item, p[item.path]) for p in points])
        assert sorted(np.floor(u * 20).astype(int)) == list(range(20))
    assert draw_points(study) == points  # the seed makes it reproducible


def test_sobol_points_are_scipys_scrambled_sequence_and_log_scale_maps_it() -> None:
    study = rate_study(
        points=16, sampler="sobol",
        inputs=[{"path": "spec.c_rate", "low": 0.1, "high": 10.0, "scale": "log"}],
    )  # fmt: skip
    points = [p["spec.c_rate"] for p in draw_points(study)]
    u = qmc.Sobol(d=1, scramble=True, rng=np.random.default_rng(study.seed)).random(16)[:, 0]
    assert np.allclose(np.log10(points), -1.0 + 2.0 * u)
    # a scrambled Sobol' set of 16 points has one point in each sixteenth
    assert sorted(np.floor(u * 16).astype(int)) == list(range(16))


def test_a_range_with_low_above_high_is_refused() -> None:
    with pytest.raises(ValueError, match=r"spec.c_rate: low \(3\) must be below high \(1\)"):
        rate_study(inputs=[{"path": "spec.c_rate", "low": 3.0, "high": 1.0}])
    with pytest.raises(ValueError, match="NSGA-II is a multi-objective optimiser"):
        DesignStudy.model_validate(
            {**rate_study().model_dump(), "sampler": "nsga2",
             "objectives": [{"output": "Discharge energy [W.h]"}]}
        )  # fmt: skip


@pytest.mark.parametrize(("porosity", "active"), [(0.3, 0.7), (0.4, 0.6), (0.2, 0.8)])
def test_a_porosity_sweep_keeps_the_solids_make_up(snapshot, porosity, active) -> None:
    """Chen2020's LG M50 positive states ε_s = 1 − ε = 0.665 with no binder named: a point at
    another porosity left binder room nobody named (0.3) or too little room (0.4), and failed.
    The stated active fraction now scales with the solid, as calendering packs it."""
    _, point = apply_point(ENGINE, {}, snapshot, {"design.positive.porosity": porosity})
    assert point.cell.positive.active_volume_fraction == pytest.approx(active)
    assert point.cell.negative == snapshot.cell.negative
    # varied together, the point's own active fraction stands
    values = {"design.positive.porosity": 0.3, "design.positive.active_volume_fraction": 0.6}
    _, point = apply_point(ENGINE, {}, snapshot, values)
    assert point.cell.positive.active_volume_fraction == pytest.approx(0.6)
