"""Equivalent-circuit fits of impedance spectra, with impedance.py.

impedance.py (Murbach, Gerwe, Dawson-Elli & Tsui, J. Open Source Softw. 5 (2020) 2349) does the
complex non-linear least squares; this module turns a measured spectrum (a CyclerTable of kind
"impedance", Z'' stored as Im(Z)) into a fit with named parameters and a residual.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cellwright.projects.labdata import table as cols
from cellwright.projects.labdata.table import CyclerTable, LabDataError

__all__ = ["DEFAULT_CIRCUIT", "ImpedanceFit", "fit_impedance"]

# series resistance, SEI/charge-transfer RC pairs with constant-phase elements, diffusion tail
DEFAULT_CIRCUIT = "R0-p(R1,CPE1)-p(R2,CPE2)-W1"


@dataclass(frozen=True)
class ImpedanceFit:
    """Fitted parameters (name -> (value, unit)), the model spectrum and the residual."""

    circuit: str
    parameters: dict[str, tuple[float, str]]
    frequency: np.ndarray
    fitted: np.ndarray
    relative_rmse: float


def _guess(circuit: str, z: np.ndarray) -> list[float]:
    """A starting point from the spectrum: high-frequency intercept and arc width."""
    from impedance.models.circuits.fitting import extract_circuit_elements

    r_hf = float(np.min(z.real))
    width = float(np.ptp(z.real)) or 1e-3
    guess = []
    for element in extract_circuit_elements(circuit):
        kind = "".join(ch for ch in element if ch.isalpha())
        guess += {
            "R": [r_hf if element == "R0" else width / 3],
            "C": [1e-3],
            "CPE": [1e-2, 0.85],
            "W": [width / 3],
            "Wo": [width / 3, 10.0],
        }.get(kind, [1.0])
    return guess


def fit_impedance(
    table: CyclerTable, circuit: str = DEFAULT_CIRCUIT, initial_guess: list[float] | None = None
) -> ImpedanceFit:
    """Fit ``circuit`` (impedance.py notation) to the spectrum in ``table``."""
    from impedance.models.circuits import CustomCircuit

    if table.metadata.get("kind") != "impedance":
        raise LabDataError(f"{table.metadata.get('source', 'table')}: not an impedance spectrum")
    f = table[cols.FREQUENCY]
    z = table[cols.Z_REAL] + 1j * table[cols.Z_IMAG]
    keep = (f > 0) & np.isfinite(z)
    f, z = f[keep], z[keep]
    model = CustomCircuit(circuit, initial_guess=initial_guess or _guess(circuit, z))
    try:
        model.fit(f, z, maxfev=20000)
    except (RuntimeError, ValueError) as exc:
        raise LabDataError(f"the fit of {circuit} did not converge: {exc}") from None
    fitted = model.predict(f)
    names, units = model.get_param_names()
    params = {n: (float(v), u) for n, u, v in zip(names, units, model.parameters_, strict=True)}
    rmse = float(np.sqrt(np.mean(np.abs(fitted - z) ** 2)) / np.sqrt(np.mean(np.abs(z) ** 2)))
    return ImpedanceFit(circuit, params, f, fitted, rmse)
