"""Parameter identification from lab data, checked where the answer is known.

1. Synthetic: PyBaMM's Chen2020 (LG M50; Chen et al. 2020, J. Electrochem. Soc. 167 080534), SPMe,
   a 1C discharge with the positive particle diffusivity × 0.4 and the negative exchange-current
   density × 2.5, plus 5 mV Gaussian noise: the fit must recover both factors inside its reported
   95 % intervals and leave residuals at the noise level.
2. Measured: the Enertech pouch of Ai et al. 2020 (J. Electrochem. Soc. 167 013512, shipped with
   PyBaMM 23.5, ../shared/fixtures/validation): particle diffusivities fitted to the 1C and 2C
   discharges on Ai2020 must beat the stock set on those runs and on the 0.5C discharge the fit
   never saw.
"""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.electrochem.identify import (
    MeasuredRun,
    fit_pybamm_parameters,
    simulate_runs,
)
from cellwright.projects.model import CellDesign, DesignSnapshot

CHEN = DesignSnapshot(cell=CellDesign(name="LG M50", pybamm_parameter_set="Chen2020"))
AI = DesignSnapshot(cell=CellDesign(name="Enertech", pybamm_parameter_set="Ai2020"))
TRUE = {
    "Positive particle diffusivity [m2.s-1]": 0.4,
    "Negative electrode exchange-current density [A.m-2]": 2.5,
}
DIFFUSIVITIES = ["Negative particle diffusivity [m2.s-1]", "Positive particle diffusivity [m2.s-1]"]


def test_known_parameters_are_recovered_within_their_95_percent_intervals() -> None:
    t = np.linspace(0.0, 0.9 * 3600.0, 400)
    run = MeasuredRun("synthetic 1C", t, np.zeros_like(t), np.full_like(t, 5.0))
    [clean] = simulate_runs(CHEN, [run], TRUE, "SPMe")
    assert np.all(np.isfinite(clean))
    noisy = clean + np.random.default_rng(7).normal(0.0, 0.005, clean.shape)
    fit = fit_pybamm_parameters(CHEN, [MeasuredRun("synthetic 1C", t, noisy, run.current)],
                                list(TRUE), "SPMe")  # fmt: skip
    for p in fit.parameters:
        assert p.low < TRUE[p.name] < p.high, (p.name, p.low, TRUE[p.name], p.high)
        assert p.high / p.low < 1.5  # and the data pin them down
    assert fit.rmse_fitted == pytest.approx(0.005, rel=0.15)  # what is left is the noise
    assert fit.rmse_stock > 5 * fit.rmse_fitted


def _enertech(fixtures_dir, c_rate: str) -> MeasuredRun:
    data = np.loadtxt(
        fixtures_dir / f"validation/pybamm-23.5/Enertech_cells/{c_rate}C_discharge_U.txt"
    )
    data = data[:: max(1, len(data) // 300)]
    return MeasuredRun(
        f"{c_rate}C", data[:, 0], data[:, 1], np.full(len(data), float(c_rate) * 2.28)
    )


# two runs fitted, a third simulated twice (about 8 s alone); the default suite checks the fitted
# Enertech set beating the stock one through the discharge engine (tests/app/studies)
@pytest.mark.slow
def test_fitted_enertech_diffusivities_beat_the_stock_set_also_on_unseen_data(fixtures_dir) -> None:
    runs = [_enertech(fixtures_dir, "1"), _enertech(fixtures_dir, "2")]
    fit = fit_pybamm_parameters(AI, runs, DIFFUSIVITIES, "SPMe")
    assert fit.rmse_fitted < 0.75 * fit.rmse_stock, (fit.rmse_stock, fit.rmse_fitted)
    held_out = _enertech(fixtures_dir, "0.5")
    [stock] = simulate_runs(AI, [held_out], dict.fromkeys(DIFFUSIVITIES, 1.0), "SPMe")
    [fitted] = simulate_runs(AI, [held_out], fit.factors(), "SPMe")

    def rmse(v: np.ndarray) -> float:
        return float(np.sqrt(np.mean((v - held_out.voltage) ** 2)))

    assert rmse(fitted) < 0.95 * rmse(stock), (rmse(stock), rmse(fitted))
