"""Surrogate models of a study's outputs: Gaussian-process regression (scikit-learn).

One GP per output on the inputs mapped to the unit cube (a log-scaled input on its logarithm),
with an anisotropic Matérn 5/2 kernel times a constant plus a white-noise term (Rasmussen &
Williams 2006, eq. 4.17), its hyperparameters fitted by maximising the marginal likelihood with
restarts; targets are normalised. The error of each output is estimated by k-fold
cross-validation (RMSE, and R² against the output's spread) so the window can say how far to
trust a what-if answer; a query outside the study's ranges, or far from every point that ran,
is flagged as extrapolation.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from cellwright.projects.model import InputError, StudyInput

__all__ = ["CrossValidation", "Surrogate", "fit_surrogate", "study_units"]


@dataclass(frozen=True)
class CrossValidation:
    """k-fold cross-validated error of one output."""

    rmse: float
    r2: float
    folds: int


def _gp(dims: int, seed: int):
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

    kernel = ConstantKernel(1.0, (1e-3, 1e3)) * Matern(
        length_scale=np.full(dims, 0.5), length_scale_bounds=(1e-2, 1e2), nu=2.5
    ) + WhiteKernel(1e-6, (1e-10, 1e-1))
    return GaussianProcessRegressor(
        kernel, normalize_y=True, n_restarts_optimizer=2, random_state=seed
    )


def _fit(x: np.ndarray, y: np.ndarray, seed: int):
    from sklearn.exceptions import ConvergenceWarning

    model = _gp(x.shape[1], seed)
    with warnings.catch_warnings():  # a length scale at its bound is a fact, not an error
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x, y)
    return model


class Surrogate:
    """Gaussian processes of several outputs over a study's inputs."""

    def __init__(
        self, inputs: list[StudyInput], outputs: list[str], models: list, train, cv
    ) -> None:
        self.inputs, self.outputs, self._models = inputs, outputs, models
        from scipy.spatial import cKDTree

        self._tree = cKDTree(train)
        gaps, _ = self._tree.query(train, k=2) if len(train) > 1 else (np.ones((1, 2)), None)
        self._spacing = float(np.median(gaps[:, 1]))
        self.cv: dict[str, CrossValidation] = cv

    def unit(self, x: np.ndarray) -> np.ndarray:
        """Inputs (n, d) in their own units -> the unit cube the GPs were trained on."""
        x = np.atleast_2d(np.asarray(x, dtype=float))
        out = np.empty_like(x)
        for j, item in enumerate(self.inputs):
            if item.is_range and item.scale == "log":
                lo, hi = np.log(item.low), np.log(item.high)
                out[:, j] = (np.log(x[:, j]) - lo) / (hi - lo)
            elif item.is_range:
                out[:, j] = (x[:, j] - item.low) / (item.high - item.low)
            else:  # a choice given as its index
                out[:, j] = (x[:, j] + 0.5) / len(item.values)
        return out

    def predict(self, x: np.ndarray, unit: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Mean and standard deviation (n, m) of every output at ``x`` (n, d)."""
        u = np.atleast_2d(x) if unit else self.unit(x)
        means, stds = [], []
        for model in self._models:
            mean, std = model.predict(u, return_std=True)
            means.append(mean)
            stds.append(std)
        return np.column_stack(means), np.column_stack(stds)

    def extrapolating(self, x: np.ndarray, unit: bool = False) -> np.ndarray:
        """True where a query lies outside the study's ranges, or farther from every training
        point than 2.5 times the points' median nearest-neighbour spacing (a hole where points
        failed, or a corner the design left empty)."""
        u = np.atleast_2d(x) if unit else self.unit(x)
        tol = 1e-9
        outside = np.any((u < -tol) | (u > 1.0 + tol), axis=1)
        distance, _ = self._tree.query(u)
        return outside | (distance > 2.5 * self._spacing)


def fit_surrogate(
    inputs: list[StudyInput],
    x: np.ndarray,
    y: np.ndarray,
    outputs: list[str],
    folds: int = 5,
    seed: int = 0,
) -> Surrogate:
    """Fit one GP per output column of ``y`` (n, m) on ``x`` (n, d) in the inputs' units.

    Raises
    ------
    InputError
        With fewer than ``folds + 1`` points, or an output that is not finite at every point.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape[0] < max(folds + 1, 4):
        raise InputError(f"a surrogate needs at least {max(folds + 1, 4)} finished points, "
                         f"the study has {x.shape[0]}")  # fmt: skip
    bad = [outputs[j] for j in range(y.shape[1]) if not np.all(np.isfinite(y[:, j]))]
    if bad:
        raise InputError(f"output {bad[0]!r} is missing at some points; choose others")
    shell = Surrogate(inputs, outputs, [], np.zeros((1, x.shape[1])), {})
    u = shell.unit(x)
    models = [_fit(u, y[:, j], seed) for j in range(y.shape[1])]
    cv = {
        name: _cross_validate(u, y[:, j], folds, seed, models[j].kernel_)
        for j, name in enumerate(outputs)
    }
    return Surrogate(inputs, outputs, models, u, cv)


def _cross_validate(u: np.ndarray, y: np.ndarray, folds: int, seed: int, kernel) -> CrossValidation:
    """k-fold error with the kernel's hyperparameters as fitted on all points (refitting them
    per fold costs k more optimisations and changed the estimate by a few per cent at most)."""
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.model_selection import KFold

    predicted = np.empty_like(y)
    for train, test in KFold(folds, shuffle=True, random_state=seed).split(u):
        model = GaussianProcessRegressor(kernel, optimizer=None, normalize_y=True)
        predicted[test] = model.fit(u[train], y[train]).predict(u[test])
    rmse = float(np.sqrt(np.mean((predicted - y) ** 2)))
    spread = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - float(np.sum((predicted - y) ** 2)) / spread if spread > 0 else 1.0
    return CrossValidation(rmse, r2, folds)


def study_units(inputs: list[StudyInput], values: list[dict]) -> np.ndarray:
    """Points' values as (n, d) in the inputs' own units (choices as their index)."""
    rows = []
    for v in values:
        row = []
        for item in inputs:
            value = v[item.path]
            row.append(float(value) if item.is_range else float(item.values.index(value)))
        rows.append(row)
    return np.array(rows, dtype=float).reshape(len(values), len(inputs))
