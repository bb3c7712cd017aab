"""``cellwright cost …``: the cost of a design, the project's cost assumptions and prices."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cellwright.app.cli.root import DESIGN, ProjectOption, group

cost_cli = group(
    "cost",
    "Cost of cells and packs (BatPaC's structure): show, assumptions, prices, reset.",
    DESIGN,
)
ProjectRequired = Annotated[Path, typer.Option("--project", "-p", help="project to change")]


@cost_cli.command("show")
def cost_show(
    design: Annotated[str, typer.Argument(help="design id or name, or a library cell id")],
    project: ProjectOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Print the cost breakdowns, per kWh, unpriced materials and the sensitivity table."""
    from cellwright.projects.design.cost import estimate_cost, project_cost_assumptions
    from cellwright.projects.design.resolve import find_design

    if project is None:
        obj, snapshot = find_design(design)
        assumptions = project_cost_assumptions(None)
    else:
        from cellwright.projects.store import Project

        with Project.open(project, readonly=True) as p:
            obj, snapshot = find_design(design, p)
            assumptions = project_cost_assumptions(p)
    estimate = estimate_cost(obj, snapshot, assumptions)
    if as_json:
        typer.echo(json.dumps(_as_data(estimate)))
        return
    typer.echo(estimate.design)
    for title, breakdown in (("cell", estimate.cell), ("pack", estimate.pack)):
        if breakdown is None:
            continue
        typer.echo(f"  {title}: {breakdown.total:.2f} USD, {breakdown.per_kwh:.1f} USD/kWh")
        for line in breakdown.lines:
            typer.echo(f"    {line.name:<36} {line.cost:>11.4f} USD  {line.note}")
    for note in estimate.notes:
        typer.echo(f"  note: {note}")
    if estimate.unpriced:
        typer.echo(f"  no price for {', '.join(estimate.unpriced)}: not in the totals")
    step = estimate.assumptions.sensitivity_step
    for row in estimate.sensitivity:
        typer.echo(
            f"  price of {row.material} ±{step:.0%}: {row.low:.2f} .. {row.high:.2f} USD "
            f"(swing {row.swing:.3g} USD)"
        )


def _as_data(estimate) -> dict:
    def breakdown(b):
        if b is None:
            return None
        lines = [{"name": x.name, "cost": x.cost, "group": x.group, "note": x.note}
                 for x in b.lines]  # fmt: skip
        return {"total": b.total, "per_kwh": b.per_kwh, "energy_wh": b.energy, "lines": lines}

    return {
        "design": estimate.design,
        "cell": breakdown(estimate.cell),
        "pack": breakdown(estimate.pack),
        "unpriced": estimate.unpriced,
        "notes": estimate.notes,
        "sensitivity": [
            {"material": r.material, "price": r.price, "low": r.low, "high": r.high}
            for r in estimate.sensitivity
        ],
        "assumptions": estimate.assumptions.model_dump(mode="json"),
    }


def _edit(project: Path, change) -> None:
    """Load the project's cost model, apply ``change``, validate and store it."""
    from pydantic import ValidationError

    from cellwright.projects.design.cost import project_cost_assumptions
    from cellwright.projects.model import CostAssumptions, describe_validation_error
    from cellwright.projects.store import Project

    with Project.open(project) as p:
        data = project_cost_assumptions(p).model_dump()
        change(data)
        try:
            p.put(CostAssumptions.model_validate(data))
        except ValidationError as exc:
            raise describe_validation_error(exc, "cost model") from None


@cost_cli.command("set")
def cost_set(
    name: Annotated[str, typer.Argument(help="assumption, e.g. formation or pack_assembly")],
    value: Annotated[str, typer.Argument(help="new value (USD, USD/kWh or a fraction)")],
    project: ProjectRequired,
) -> None:
    """Change one assumption of the project's cost model (see `cost show --json`)."""
    from cellwright.projects.model import CostAssumptions, InputError

    editable = [k for k in CostAssumptions.model_fields if k not in ("id", "prices")]
    if name not in editable:
        raise InputError(f"no cost assumption {name!r}; assumptions: {', '.join(editable)}")
    _edit(project, lambda data: data.__setitem__(name, value))
    typer.echo(f"{name} = {value}")


@cost_cli.command("price")
def cost_price(
    material: Annotated[str, typer.Argument(help="material id")],
    project: ProjectRequired,
    value: Annotated[float | None, typer.Argument(help="price [USD/kg]")] = None,
    source: Annotated[str, typer.Option(help="where the price comes from")] = "",
    note: Annotated[str, typer.Option(help="year, currency, conversion")] = "",
    remove: Annotated[bool, typer.Option("--remove", help="drop the project's price")] = False,
) -> None:
    """Set (or --remove) the project's own price of a material, with its source."""
    from cellwright.projects.design.resolve import library_for
    from cellwright.projects.model import InputError
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        library_for(p).material(material)  # an unknown id names the close ones
    if remove:
        _edit(project, lambda data: data["prices"].pop(material, None))
        typer.echo(f"{material}: the library's price again")
        return
    if value is None or not source.strip():
        raise InputError(f"{material}: give a price [USD/kg] and --source (where it comes from)")
    entry = {"value": value, "source": source, "note": note}
    _edit(project, lambda data: data["prices"].__setitem__(material, entry))
    typer.echo(f"{material}: {value:g} USD/kg ({source})")


@cost_cli.command("reset")
def cost_reset(
    project: ProjectRequired,
    keep_prices: Annotated[
        bool, typer.Option("--keep-prices", help="keep the project's own material prices")
    ] = False,
) -> None:
    """Put the project's cost model back to the library's (BatPaC's defaults and prices)."""
    from cellwright.projects.model import COST_MODEL_ID, CostAssumptions, InputError
    from cellwright.projects.store import Project
    from cellwright.projects.store.project import NotInProjectError

    with Project.open(project) as p:
        try:
            stored = p.get("cost_model", COST_MODEL_ID)
        except NotInProjectError:
            typer.echo("the project already uses the library's cost model")
            return
        except InputError as exc:  # a damaged cost model: what a reset is for, unless kept
            if keep_prices:
                raise InputError(f"{exc.detail}; its prices cannot be kept: reset without "
                                 "--keep-prices", exc.where) from None  # fmt: skip
            stored = None
        if keep_prices and stored.prices:
            p.put(CostAssumptions(prices=stored.prices))
            typer.echo(f"cost assumptions reset; the project's {len(stored.prices)} price(s) kept")
            return
        p.delete("cost_model", COST_MODEL_ID)
    typer.echo("cost model reset to the library's assumptions and prices")
