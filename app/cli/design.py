"""``cellwright design …``: the figures and meshes of cell and pack designs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cellwright.app.cli.root import DESIGN, ProjectOption, group

design_cli = group("design", "Cell and pack designs: figures and meshes.", DESIGN)


def _find(design: str, project: Path | None):
    """(design, snapshot) by id or name in the project, or a library cell id."""
    from cellwright.projects.design.resolve import find_design

    if project is None:
        return find_design(design)
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        return find_design(design, p)


@design_cli.command("show")
def design_show(
    design: Annotated[str, typer.Argument(help="design id or name, or a library cell id")],
    project: ProjectOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Print the derived figures and warnings of a cell or pack design."""
    from cellwright.projects.design import design_report, design_warnings

    obj, snapshot = _find(design, project)
    report = design_report(obj, snapshot)
    warnings = design_warnings(obj, snapshot)
    if as_json:
        data = {name: {"value": v, "unit": u} for name, (v, u) in report.items()}
        typer.echo(json.dumps({"design": obj.name, "figures": data, "warnings": warnings}))
        return
    typer.echo(obj.name)
    width = max(len(n) for n in report)
    for name, (value, unit) in report.items():
        typer.echo(f"  {name:<{width}}  {value:>12.4g} {unit}")
    for warning in warnings:
        typer.echo(f"  warning: {warning}")


@design_cli.command("mesh")
def design_mesh(
    design: Annotated[str, typer.Argument(help="design id or name, or a library cell id")],
    out: Annotated[Path, typer.Option("--out", "-o", help=".vtu, .xdmf or .msh file")],
    project: ProjectOption = None,
    size: Annotated[float | None, typer.Option(help="element size [m]")] = None,
) -> None:
    """Mesh a cell or pack design with gmsh and write it (regions as cell sets) for ParaView."""
    import meshio

    from cellwright.engines.mesh.cells import mesh_cell
    from cellwright.engines.mesh.convert import to_meshio
    from cellwright.engines.mesh.session import MeshSettings
    from cellwright.projects.model import PackDesign
    from cellwright.projects.userfiles import check_writable

    obj, snapshot = _find(design, project)
    check_writable(out, "mesh file")
    settings = MeshSettings(size=size)
    if isinstance(obj, PackDesign):
        from cellwright.engines.mesh.packs import mesh_pack
        from cellwright.projects.design import cell_box, cell_summary_for, pack_layout

        summary, _ = cell_summary_for(snapshot)
        meshed = mesh_pack(pack_layout(obj, cell_box(summary, obj)), obj.name, settings)
    else:
        meshed = mesh_cell(obj, settings)
    meshio.write(out, to_meshio(meshed.mesh))
    typer.echo(f"{out}: {meshed.quality.summary()}")
