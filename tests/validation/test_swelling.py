"""mechanics.swelling against references: the series chain of linear springs (exact), the
measured thickness of the Enertech pouch cell (Ai et al. 2020 / Rieger et al. 2016), PyBaMM's
own "Cell thickness change [m]", the two routes to the Kokam cell, and the energy balance."""

from __future__ import annotations

import numpy as np
import pybamm
import pytest

from cellwright.engines.api import run_study
from cellwright.engines.mechanics.swelling_build import swelling_cell
from cellwright.engines.mechanics.swelling_data import compression_curve, make_curve
from cellwright.engines.mechanics.swelling_stack import ModuleStack
from cellwright.projects.design.reference_designs import kokam_slpb_75106100, reference_snapshot

ENERTECH = "validation/pybamm-23.5/Enertech_cells"


def _enertech(library):
    design = library.design_for_cell("enertech-spb58253172p2")
    return swelling_cell(library.snapshot_for(design), {})


def _linear(modulus: float):
    return make_curve("linear", [0.0, 0.5], [0.0, 0.5 * modulus], "test", "test", True)


def _linear_stack(tie_stiffness):
    return ModuleStack(
        cells=10, pads=11, cell_thickness=8e-3, pad_thickness=3e-3, cell_area=0.03,
        pad_area=0.025, cell_curve=_linear(200e6), pad_curve=_linear(4e6),
        tie_stiffness=tie_stiffness, preload=2000.0,
    )  # fmt: skip


@pytest.mark.parametrize("tie_stiffness", [2e7, None])
def test_linear_springs_in_series_are_exact(tie_stiffness) -> None:
    """F = F0 + k_eq N Δ with 1/k_eq = N t_c/(E_c A_c) + M t_p/(E_p A_p) + 1/k."""
    stack = _linear_stack(tie_stiffness)
    compliance = 10 * 8e-3 / (200e6 * 0.03) + 11 * 3e-3 / (4e6 * 0.025)
    compliance += 0.0 if tie_stiffness is None else 1.0 / tie_stiffness
    for swell in (-20e-6, 0.0, 15e-6, 80e-6, 160e-6):
        expected = max(2000.0 + 10 * swell / compliance, 0.0)
        assert stack.solve(swell).force == pytest.approx(expected, rel=1e-10, abs=1e-6)


def test_engine_reproduces_the_linear_chain(library) -> None:
    """The same chain through the whole engine: every point of the cycle on the analytic line."""
    snapshot = reference_snapshot(kokam_slpb_75106100(), library)
    spec = {
        "cells": 10, "preload": 2000.0, "tie_stiffness": 2e7,
        "pad": {"curve": {"strain": [0, 0.5], "stress": [0, 2e6]}, "thickness": 3e-3},
        "cell_curve": {"strain": [0, 0.5], "stress": [0, 1e8]},
        "cycle": {"points": 21},
    }  # fmt: skip
    result = run_study("mechanics.swelling", spec, snapshot)
    area = result.scalars["Cell loaded area [m^2]"]
    compliance = 10 * 7.5e-3 / (200e6 * area) + 11 * 3e-3 / (4e6 * area) + 1 / 2e7
    swell = result.series["Cell free thickness change [m]"]
    expected = 2000.0 + 10 * swell / compliance
    assert np.allclose(result.series["End-plate force [N]"], expected, rtol=1e-9)


def test_thickness_matches_the_measured_enertech_cell(library, fixtures_dir) -> None:
    """0.1C discharge of the Enertech 2.28 A.h LCO/graphite pouch (Ai et al. 2020, measured by
    the laser sensor of Rieger et al. 2016; shipped with PyBaMM 23.5): the library cell through
    its parameter set Ai2020. Measured swing 161.8 um; ours within 2.5 % RMS, 4 % max."""
    data = fixtures_dir / ENERTECH / "0.1C_discharge_displacement.txt"
    if not data.exists():
        pytest.skip(f"fixture {data} absent")
    t, measured = np.loadtxt(data).T
    cell = _enertech(library)
    soc = 1.0 - t / t[-1]  # constant current: the state of charge falls linearly in time
    ours = cell.reversible(soc) - cell.reversible(np.array([0.0]))[0]
    measured = measured - measured[-1]
    error = ours - measured
    swing = measured[0]
    assert swing == pytest.approx(161.8e-6, rel=0.01)
    assert np.sqrt(np.mean(error**2)) < 0.025 * swing  # measured: 4.0 um = 2.5 %
    assert np.max(np.abs(error)) < 0.04 * swing  # measured: 6.3 um = 3.9 %


def test_thickness_equals_pybamm_particle_mechanics(library) -> None:
    """PyBaMM's SPM with swelling on Ai2020 at C/20: its "Cell thickness change [m]" against
    ours at its own particle stoichiometries (our graphite curve is the same polynomial
    tabulated at 41 points): within 0.5 um of a 150 um swing."""
    values = pybamm.ParameterValues("Ai2020")
    values["Current function [A]"] = 2.28 / 20
    model = pybamm.lithium_ion.SPM(options={"particle mechanics": "swelling only"})
    sim = pybamm.Simulation(model, parameter_values=values, solver=pybamm.IDAKLUSolver())
    sol = sim.solve([0, 3600 * 21])
    cell = _enertech(library)
    x = sol["Average negative particle stoichiometry"].entries
    y = sol["Average positive particle stoichiometry"].entries
    ours = cell.negative.thickness(x) + cell.positive.thickness(y)
    theirs = sol["Cell thickness change [m]"].entries
    assert abs(theirs[-1]) > 140e-6
    assert np.max(np.abs((ours - ours[0]) - theirs)) < 0.5e-6


def test_entered_kokam_equals_its_parameter_set_per_layer(library) -> None:
    """The Kokam SLPB 75106100 entered (22 sheets, 44 pairs) and as its library cell through
    Ecker2015 (48 pairs by capacity): the same thickness change per electrode pair."""
    entered = swelling_cell(reference_snapshot(kokam_slpb_75106100(), library), {})
    by_set = swelling_cell(library.snapshot_for(library.design_for_cell("kokam-slpb-75106100")), {})
    soc = np.linspace(0, 1, 11)
    per_pair = entered.reversible(soc) / entered.negative.coatings
    assert np.allclose(per_pair, by_set.reversible(soc) / by_set.negative.coatings, rtol=1e-6)
    assert entered.negative.coatings == 44 and by_set.negative.coatings == 48


def test_swelling_work_equals_stored_energy() -> None:
    """The cells' growth does work ∫F d(NΔ) that the pads, cells and rods store elastically."""
    stack = ModuleStack(
        cells=12, pads=13, cell_thickness=7.5e-3, pad_thickness=3e-3, cell_area=8.6e-3,
        pad_area=8.6e-3, cell_curve=compression_curve("pouch-stack", "t"),
        pad_curve=compression_curve("poron-4701-30", "t"), tie_stiffness=5e7, preload=1000.0,
    )  # fmt: skip
    swell = np.linspace(0.0, 300e-6, 3001)
    force = np.array([stack.solve(d).force for d in swell])
    work = np.trapezoid(force, 12 * swell)
    stored = stack.stored_energy(force[-1]) - stack.stored_energy(force[0])
    assert force[-1] > 2.5 * force[0]  # well into the nonlinear range of the pads
    assert work == pytest.approx(stored, rel=1e-3)
