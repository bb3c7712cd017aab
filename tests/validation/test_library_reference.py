"""Library values that come from a PyBaMM parameter set equal the value in that set."""

from __future__ import annotations

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
