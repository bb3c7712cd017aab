"""``cellwright library …``: browse the materials and cell library."""

from __future__ import annotations

from typing import Annotated

import typer

from cellwright.app.cli.root import DESIGN, group

library_cli = group("library", "Browse the materials and cell library.", DESIGN)


@library_cli.command("list")
def library_list(
    material_class: Annotated[
        str | None, typer.Option("--class", help="e.g. cathode_active")
    ] = None,
    chemistry: Annotated[str | None, typer.Option(help="e.g. NMC811")] = None,
    cells: Annotated[bool, typer.Option("--cells", help="list reference cells only")] = False,
    materials: Annotated[bool, typer.Option("--materials", help="list materials only")] = False,
) -> None:
    """List materials and reference cells."""
    from cellwright.projects.library import Library
    from cellwright.projects.model import InputError
    from cellwright.projects.model.material import MaterialClass

    classes = [c.value for c in MaterialClass]
    if material_class is not None and material_class not in classes:
        # a misspelt class listed "Materials (0)", as if the library had none
        raise InputError(f"--class: no material class {material_class!r}; classes: "
                         + ", ".join(classes))  # fmt: skip
    lib = Library.load_builtin()
    if not cells:
        mats = lib.materials(material_class=material_class, chemistry=chemistry)
        typer.echo(f"Materials ({len(mats)})")
        for m in mats:
            typer.echo(f"  {m.id:<24} {m.material_class!s:<20} {m.name}")
    if not materials and material_class is None:
        cell_list = lib.cells(chemistry=chemistry)
        typer.echo(f"Cells ({len(cell_list)})")
        for c in cell_list:
            pset = f"  [PyBaMM {c.pybamm_parameter_set}]" if c.pybamm_parameter_set else ""
            typer.echo(f"  {c.id:<24} {c.format!s:<12} {c.nominal_capacity:g} A.h  {c.name}{pset}")


@library_cli.command("show")
def library_show(entry: Annotated[str, typer.Argument(help="material or cell id")]) -> None:
    """Show every value of a material or cell with its source."""
    from cellwright.projects.library import Library
    from cellwright.projects.model import InputError

    lib = Library.load_builtin()
    try:
        m = lib.material(entry)
    except InputError:
        cell = lib.cell(entry)
        typer.echo(f"{cell.name} ({cell.id}) — {cell.format} cell by {cell.manufacturer}")
        for name, value in cell:
            if isinstance(value, float):
                typer.echo(f"  {name:<24} {value:<12g} {cell.sources.get(name, '')}")
        if cell.pybamm_parameter_set:
            typer.echo(f"  PyBaMM parameter set: {cell.pybamm_parameter_set}")
        return
    typer.echo(f"{m.name} ({m.id}) — {m.material_class}, {m.chemistry}")
    for name, prop in m.properties.items():
        typer.echo(f"  {name:<34} {prop.value:<12g} {prop.unit:<10} {prop.source}")


@library_cli.command("search")
def library_search(text: Annotated[str, typer.Argument(help="text to look for")]) -> None:
    """Search materials and cells by id, name, class or chemistry."""
    from cellwright.projects.library import Library
    from cellwright.projects.model import Material

    hits = Library.load_builtin().search(text)
    for hit in hits:
        kind = "material" if isinstance(hit, Material) else "cell"
        typer.echo(f"{kind:<9} {hit.id:<24} {hit.name}")
    if not hits:
        typer.echo(f"nothing matches {text!r}")
