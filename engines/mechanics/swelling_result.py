"""The result of a ``mechanics.swelling`` study: series over the cycle, the life table, scalars
and the warnings (force above the design limit, pads or cells beyond their curves, a stack
that lifts off its end plates)."""

from __future__ import annotations

import numpy as np

from cellwright.projects.model import TIME, Provenance, Result

__all__ = ["swelling_result"]


def _series(cell, stack, cycle, soh: float) -> dict[str, np.ndarray]:
    times, soc, swell, states = cycle
    force = np.array([s.force for s in states])
    return {
        TIME: times,
        "State of charge [-]": soc,
        "Negative stoichiometry [-]": cell.negative.stoichiometry(soc, soh),
        "Positive stoichiometry [-]": cell.positive.stoichiometry(soc, soh),
        "Cell free thickness change [m]": swell,
        "End-plate force [N]": force,
        "Cell face pressure [Pa]": force / stack.cell_area,
        "Pad strain [-]": np.array([s.pad_strain for s in states]),
        "Cell compressive strain [-]": np.array([s.cell_strain for s in states]),
    }


def _life_table(life, cycles, stack) -> dict[str, np.ndarray]:
    table = {
        "State of health [-]": np.array([row[0] for row in life]),
        "Thickness change at 100 % SOC [m]": np.array([row[1] for row in life]),
        "Thickness change at 0 % SOC [m]": np.array([row[2] for row in life]),
        "Force at 100 % SOC [N]": np.array([row[3].force for row in life]),
        "Force at 0 % SOC [N]": np.array([row[4].force for row in life]),
        "Pad strain at 100 % SOC [-]": np.array([row[3].pad_strain for row in life]),
        "Pressure at 100 % SOC [Pa]": np.array([row[3].force for row in life]) / stack.cell_area,
    }
    if cycles is not None:
        table = {"Cycle": np.asarray(cycles, dtype=float), **table}
    return table


def _warnings(spec, series, life_table, stack) -> list[str]:
    out = []
    limit = spec.force_limit
    force, life_force = series["End-plate force [N]"], life_table["Force at 100 % SOC [N]"]
    if limit is not None and force.max() > limit:
        k = int(np.argmax(force > limit))
        out.append(
            f"end-plate force {force.max():.0f} N exceeds the design limit {limit:.0f} N "
            f"(first at {series['State of charge [-]'][k]:.0%} SOC, t = {series[TIME][k]:.0f} s)"
        )
    if limit is not None and life_force.max() > limit:
        first = int(np.argmax(life_force > limit))
        when = f"a state of health of {life_table['State of health [-]'][first]:.1%}"
        if "Cycle" in life_table:
            when = f"cycle {life_table['Cycle'][first]:.0f} ({when})"
        out.append(f"over life the force at 100 % SOC passes the design limit {limit:.0f} N "
                   f"from {when}")  # fmt: skip
    pad_max = max(series["Pad strain [-]"].max(), life_table["Pad strain at 100 % SOC [-]"].max())
    if pad_max > stack.pad_curve.x[-1]:
        last = stack.pad_curve.x[-1]
        out.append(f"pad strain {pad_max:.2f} is beyond the pad curve's last point ({last:.2f}): "
                   "the pad bottoms out; its end slope is used")  # fmt: skip
    if series["Cell compressive strain [-]"].max() > stack.cell_curve.x[-1]:
        out.append("the cells are compressed beyond their compression curve's last point")
    if np.any(force <= 0.0):
        soc = series["State of charge [-]"][int(np.argmax(force <= 0.0))]
        out.append(f"the stack lifts off the end plates (no force) from {soc:.0%} SOC: the "
                   "preload is lost as the cells contract")  # fmt: skip
    return out


def swelling_result(spec, cell, stack, cycle, life) -> Result:
    """Series, life table, scalars, warnings and message of one swelling study."""
    series = _series(cell, stack, cycle, spec.cycle.soh)
    life_rows, cycles = life
    table = _life_table(life_rows, cycles, stack)
    force, swell = series["End-plate force [N]"], series["Cell free thickness change [m]"]
    scalars = {
        "Maximum end-plate force [N]": float(force.max()),
        "Minimum end-plate force [N]": float(force.min()),
        "Maximum pad strain [-]": float(series["Pad strain [-]"].max()),
        "Maximum cell face pressure [Pa]": float(series["Cell face pressure [Pa]"].max()),
        "Reversible thickness change per cell [m]": float(swell.max() - swell.min()),
        "Force at 100 % SOC, end of life [N]": float(table["Force at 100 % SOC [N]"][-1]),
        "End-plate gap at assembly [m]": stack.gap,
        "Cell loaded area [m^2]": stack.cell_area,
        "Electrode pairs through the thickness": float(cell.negative.coatings),
    }
    warnings = [*cell.notes, *_warnings(spec, series, table, stack)]
    if spec.force_limit is not None:
        over = float(max(force.max(), table["Force at 100 % SOC [N]"].max()))
        scalars["Force limit [N]"] = spec.force_limit
        scalars["Exceeds force limit [-]"] = float(over > spec.force_limit)
    message = next((w for w in warnings if "design limit" in w), "")
    return Result(
        name="Cell swelling and end-plate force",
        message=message,
        series=series,
        scalars=scalars,
        tables={"life": table},
        provenance=Provenance(
            engine_id="mechanics.swelling",
            engine_version="1.0",
            spec_hash="",
            warnings=[f"cell stack from the {cell.origin}", *warnings],
        ),
    )
