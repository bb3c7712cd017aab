"""Parameters identified from lab data: factors on a PyBaMM set's values with 95 % intervals."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import ConfigDict, Field

from cellwright.projects.model.base import CWModel, new_id

__all__ = ["FittedParameter", "ParameterFit"]


class FittedParameter(CWModel):
    """One fitted parameter: the factor on its stock value and the factor's 95 % interval."""

    model_config = ConfigDict(allow_inf_nan=True)  # an interval the data cannot close is infinite

    name: str = Field(min_length=1, description="PyBaMM parameter name")
    factor: float = Field(gt=0)
    low: float = Field(ge=0, description="95 % interval, lower end of the factor")
    high: float = Field(gt=0, description="95 % interval, upper end of the factor")
    stock: float | None = Field(None, description="stock value (None: a function of state)")


class ParameterFit(CWModel):
    """PyBaMM parameters fitted to measured runs of one physical cell."""

    id: str = Field(default_factory=new_id)
    name: str = Field(min_length=1)
    physical_cell: str = Field(description="id of the PhysicalCell measured")
    design: str = Field("", description="the cell design or library cell the fit started from")
    base_parameter_set: str
    model: str
    runs: list[str] = Field(min_length=1, description="ids of the lab runs fitted")
    parameters: list[FittedParameter] = Field(min_length=1)
    rmse_stock: float = Field(ge=0, description="voltage RMSE of the stock set [V]")
    rmse_fitted: float = Field(ge=0, description="voltage RMSE of the fitted set [V]")
    result: str = Field("", description="id of the result holding the fitted curves")
    cost: str = "sum of squared voltage errors (PyBOP SumSquaredError)"
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    notes: str = Field(
        "95 % intervals from the Jacobian at the optimum (independent noise, right model); "
        "with model error they are too narrow",
    )

    def factors(self) -> dict[str, float]:
        """Parameter name -> fitted factor."""
        return {p.name: p.factor for p in self.parameters}
