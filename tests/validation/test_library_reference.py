"""Library values that come from a PyBaMM parameter set equal the value in that set."""

from __future__ import annotations

import numpy as np
import pybamm
import pytest

from cellwright.projects.library import Library

CASES = [
    (
        "nmc811",
        "max_concentration",
        "Chen2020",
        "Maximum concentration in positive electrode [mol.m-3]",
    ),
    (
        "graphite-siox-lgm50",
        "max_concentration",
        "Chen2020",
        "Maximum concentration in negative electrode [mol.m-3]",
    ),
    ("lco", "max_concentration", "Ai2020", "Maximum concentration in positive electrode [mol.m-3]"),
    (
        "lfp",
        "max_concentration",
        "Prada2013",
        "Maximum concentration in positive electrode [mol.m-3]",
    ),
    (
        "nca",
        "max_concentration",
        "NCA_Kim2011",
        "Maximum concentration in positive electrode [mol.m-3]",
    ),
    (
        "nmc532",
        "max_concentration",
        "Mohtat2020",
        "Maximum concentration in positive electrode [mol.m-3]",
    ),
    (
        "nmc811",
        "thermal_conductivity",
        "Chen2020",
        "Positive electrode thermal conductivity [W.m-1.K-1]",
    ),
    ("separator-ceramic-pe", "porosity", "Chen2020", "Separator porosity"),
    ("separator-ceramic-pe", "thickness", "Chen2020", "Separator thickness [m]"),
    ("separator-pe", "porosity", "Ecker2015", "Separator porosity"),
    (
        "aluminium-foil",
        "electrical_conductivity",
        "Chen2020",
        "Positive current collector conductivity [S.m-1]",
    ),
    (
        "copper-foil",
        "thermal_conductivity",
        "Chen2020",
        "Negative current collector thermal conductivity [W.m-1.K-1]",
    ),
]


@pytest.mark.parametrize(("material", "prop", "set_name", "parameter"), CASES)
def test_value_equals_pybamm(material, prop, set_name, parameter) -> None:
    lib = Library.load_builtin()
    assert lib.material(material).value(prop) == pytest.approx(
        pybamm.ParameterValues(set_name)[parameter], rel=1e-9
    )


def test_electrolyte_conductivity_equals_pybamm_function() -> None:
    lib = Library.load_builtin()
    values = pybamm.ParameterValues("Chen2020")
    kappa = values["Electrolyte conductivity [S.m-1]"](pybamm.Scalar(1000.0), pybamm.Scalar(298.15))
    assert lib.material("lp57").value("ionic_conductivity") == pytest.approx(
        kappa.evaluate(), rel=1e-6
    )


@pytest.mark.parametrize(
    ("material", "set_name", "side"),
    [
        ("nmc532", "Mohtat2020", "Positive"),
        ("nmc811", "Chen2020", "Positive"),
        ("graphite-siox-lgm50", "Chen2020", "Negative"),
        ("graphite-artificial", "NCA_Kim2011", "Negative"),
    ],
)
def test_voltage_average_is_mean_ocp_over_the_window(material, set_name, side) -> None:
    """voltage_average of a material a PyBaMM set covers: the mean of the set's open-circuit
    potential over its stoichiometry window (the mean potential of a full discharge)."""
    values = pybamm.ParameterValues(set_name)
    x0, x100, y100, y0 = pybamm.lithium_ion.get_min_max_stoichiometries(values)
    lo, hi = (y100, y0) if side == "Positive" else (x0, x100)
    sto = np.linspace(float(lo), float(hi), 2001)
    ocp = values[f"{side} electrode OCP [V]"]
    u = np.ravel(ocp(pybamm.Vector(sto)).evaluate())
    mean = np.trapezoid(u, sto) / (sto[-1] - sto[0])
    lib = Library.load_builtin()
    assert lib.material(material).value("voltage_average") == pytest.approx(mean, abs=6e-4)
