"""The PyBaMM parameter set derived from a design reproduces PyBaMM's own parameter set.

Reference: PyBaMM 26.10 with its Chen2020 set (Chen et al. 2020, J. Electrochem. Soc. 167
080534), single-particle model, 1C constant-current discharge from 100 % SOC to 2.5 V.
"""

from __future__ import annotations

import pytest

from cellwright.engines.electrochem.design_parameters import derived_parameter_values
from cellwright.projects.design.reference_designs import (
    kokam_slpb_75106100,
    lg_m50,
    reference_snapshot,
)
from cellwright.projects.model import InputError


def _discharge_capacity(pybamm, values) -> float:
    params = pybamm.ParameterValues(values)
    cutoff = params["Lower voltage cut-off [V]"]
    sim = pybamm.Simulation(
        pybamm.lithium_ion.SPM(),
        parameter_values=params,
        experiment=pybamm.Experiment([f"Discharge at 1C until {cutoff} V"]),
    )
    return float(sim.solve(initial_soc=1.0)["Discharge capacity [A.h]"].entries[-1])


@pytest.fixture(scope="module")
def pybamm():
    from cellwright.engines.electrochem._pybamm import import_pybamm

    return import_pybamm()


@pytest.fixture(scope="module")
def m50_values():
    design = lg_m50()
    return derived_parameter_values(design, reference_snapshot(design))


def test_lg_m50_design_reproduces_chen2020_geometry(pybamm, m50_values) -> None:
    chen = pybamm.ParameterValues("Chen2020")
    for key in (
        "Electrode height [m]",
        "Electrode width [m]",
        "Positive electrode thickness [m]",
        "Negative electrode active material volume fraction",
        "Maximum concentration in positive electrode [mol.m-3]",
        "Separator porosity",
    ):
        assert m50_values[key] == pytest.approx(chen[key], rel=1e-6), key
    # composite coating densities from NMC811 and graphite-SiOx against Chen2020's
    for side in ("Positive", "Negative"):
        key = f"{side} electrode density [kg.m-3]"
        assert m50_values[key] == pytest.approx(chen[key], rel=0.05)
    assert callable(m50_values["Positive electrode OCP [V]"])  # kept from the base set


def test_lg_m50_design_discharges_like_chen2020(pybamm, m50_values) -> None:
    reference = _discharge_capacity(pybamm, pybamm.ParameterValues("Chen2020"))
    derived = _discharge_capacity(pybamm, m50_values)
    assert derived == pytest.approx(reference, rel=0.02)
    assert m50_values["Nominal cell capacity [A.h]"] == pytest.approx(reference, rel=0.05)


def test_a_thicker_stack_fills_the_can_with_fewer_turns(pybamm) -> None:
    design = lg_m50()
    filled = design.model_copy(
        update={"geometry": design.geometry.model_copy(update={"jelly_roll_length": None})}
    )
    thick = filled.positive.model_copy(update={"coating_thickness": 85e-6})
    neg = filled.negative.model_copy(update={"coating_thickness": 96e-6})
    bigger = filled.model_copy(update={"positive": thick, "negative": neg})
    capacity = [
        _discharge_capacity(pybamm, derived_parameter_values(d, reference_snapshot(d)))
        for d in (filled, bigger)
    ]
    # thicker coatings hold more per area, but the roll gets shorter: the gain is < 85/75.6
    assert 1.0 < capacity[1] / capacity[0] < 85 / 75.6


def test_kokam_design_runs(pybamm) -> None:
    design = kokam_slpb_75106100()
    values = derived_parameter_values(design, reference_snapshot(design))
    assert values["Electrode width [m]"] * values["Electrode height [m]"] == pytest.approx(
        44 * 0.085 * 0.101
    )
    assert _discharge_capacity(pybamm, values) == pytest.approx(7.5, rel=0.05)


def test_no_base_set_is_refused() -> None:
    design = lg_m50().model_copy(update={"pybamm_parameter_set": None, "reference_cell": None})
    with pytest.raises(InputError, match="pybamm_parameter_set"):
        derived_parameter_values(design, reference_snapshot(design))
    bogus = lg_m50().model_copy(update={"pybamm_parameter_set": "NoSuchSet2099"})
    with pytest.raises(InputError, match="NoSuchSet2099"):
        derived_parameter_values(bogus, reference_snapshot(bogus))
