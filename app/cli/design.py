"""``cellwright design …``: the figures and meshes of cell and pack designs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cellwright.app.cli.root import DESIGN, ProjectOption, group

design_cli = group(
    "design", "Cell and pack designs: make, import, export, compare, figures, meshes.", DESIGN
)

#: what ``design mesh`` writes (meshio picks the writer by the suffix)
MESH_FORMATS = (".vtu", ".xdmf", ".msh")


def _pack_cell(cell: str, project: Path | None):
    """The snapshot of ``cell`` as a pack of it would see it (a library cell by its datasheet,
    as ``design new-pack`` makes it); another design's name (an entered reference design) as
    :func:`_find` gives it."""
    from cellwright.projects.design.resolve import pack_cell_snapshot
    from cellwright.projects.model import InputError
    from cellwright.projects.store import Project

    try:
        if project is None:
            return pack_cell_snapshot(cell)
        with Project.open(project, readonly=True) as p:
            return pack_cell_snapshot(cell, p)
    except InputError:
        return _find(cell, project)[1]


def _find(design: str, project: Path | None):
    """(design, snapshot) by id or name in the project, or a library cell id; the snapshot
    carries the project's own prices, as its cost breakdown does."""
    from cellwright.projects.design.cost import with_project_prices
    from cellwright.projects.design.resolve import find_design

    if project is None:
        return find_design(design)
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        obj, snapshot = find_design(design, p)
        return obj, with_project_prices(snapshot, p)


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
    size: Annotated[
        str | None, typer.Option(help='element size, e.g. "2 mm" (a number alone: m)')
    ] = None,
) -> None:
    """Mesh a cell or pack design with gmsh and write it (regions as cell sets) for ParaView."""
    import meshio
    from pydantic import ValidationError

    from cellwright.engines.mesh.cells import mesh_cell
    from cellwright.engines.mesh.convert import to_meshio
    from cellwright.engines.mesh.session import MeshSettings
    from cellwright.projects.model import InputError, PackDesign, describe_validation_error
    from cellwright.projects.userfiles import check_writable

    check_writable(out, "mesh file", MESH_FORMATS)
    obj, snapshot = _find(design, project)
    try:
        settings = MeshSettings(size=size)
    except ValidationError as exc:  # a size of 0 or less, or above a metre
        # the option names the field: "--size: 'nan' is not …", not "--size: size: …"; a
        # bound is said with its unit ("at most 1 m", where pydantic says "less than 1")
        kinds = {err["type"] for err in exc.errors(include_url=False)}
        if kinds & {"greater_than", "less_than_equal"}:
            detail = f"must be more than 0 m and at most 1 m (got {size!r})"
        else:
            detail = describe_validation_error(exc).detail.removeprefix("size: ")
        raise InputError(detail, "--size") from None
    if isinstance(obj, PackDesign):
        from cellwright.engines.mesh.packs import mesh_pack
        from cellwright.projects.design import cell_box, cell_summary_for, pack_layout

        summary, _ = cell_summary_for(snapshot)
        meshed = mesh_pack(pack_layout(obj, cell_box(summary, obj)), obj.name, settings)
    else:
        meshed = mesh_cell(obj, settings)
    meshio.write(out, to_meshio(meshed.mesh, sets_as_data=out.suffix.lower() == ".vtu"))
    typer.echo(f"{out}: {meshed.quality.summary()}")


# -- making designs -----------------------------------------------------------------------------
ProjectRequired = Annotated[Path, typer.Option("--project", "-p", help="the project (.cwproj)")]


def _store(project: Path, *designs, replace: bool = False) -> None:
    """Put designs into the project in one transaction; an id already there is refused unless
    ``replace`` (nothing is stored when any is refused)."""
    from cellwright.projects.model import CellDesign, InputError
    from cellwright.projects.store import NotInProjectError, Project

    with Project.open(project) as p:
        for design in designs:
            kind = "cell" if isinstance(design, CellDesign) else "pack"
            try:
                there = p.get(kind, design.id)
            except NotInProjectError:
                continue
            except InputError:
                if replace:  # a stored design that is damaged is what --replace repairs
                    continue
                raise
            if there != design and not replace:
                raise InputError(
                    f"the project already has a different {kind} design {there.name} "
                    f"(id {design.id}); give --replace to overwrite it"
                )
        with p.transaction():
            for design in designs:
                p.put(design)


@design_cli.command("new")
def design_new(
    name: Annotated[str, typer.Argument(help="name of the new cell design")],
    project: ProjectRequired,
    start: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="a library cell id (e.g. lg-m50), a cell design to vary, or "
            "datasheet:<library cell id> for a design estimated from its datasheet",
        ),
    ] = None,
    template: Annotated[
        str | None, typer.Option(help="a format template: 18650, 21700, 4680, pouch, prismatic")
    ] = None,
) -> None:
    """Create a cell design from a template, a library cell, or another design (a variant)."""
    from cellwright.projects.design.authoring import new_cell_from, start_point
    from cellwright.projects.model import InputError
    from cellwright.projects.store import NotInProjectError, Project

    if (start is None) == (template is None):
        raise InputError("give one of --from or --template")
    with Project.open(project, readonly=True) as p:
        kind = start.partition(":")[0] if start is not None else "template"
        if template is not None:
            spec = f"template:{template}"
        elif kind in ("template", "library", "datasheet", "design"):
            spec = start
        else:
            kind = ""  # a name alone: a cell design of the project, else a library cell
            try:
                p.find("cell", start)
                spec = f"design:{start}"
            except NotInProjectError:
                spec = f"library:{start}"
        try:
            first = start_point(spec, p)
        except InputError as exc:
            # "no library cell 'x' in the library" named neither the option nor what it takes
            given = ("--from", start) if template is None else ("--template", template)
            raise _start_error(exc, kind, *given, p) from None
        cell = new_cell_from(first, spec, name)
    _store(project, cell)
    typer.echo(f"created cell design {cell.name} (id {cell.id}) from {spec}")


def _start_error(exc, kind: str, option: str, start: str, project) -> Exception:
    """``exc`` (from ``start_point``) as an error about ``option`` (given as ``start``), with
    what it takes."""
    from difflib import get_close_matches

    from cellwright.projects.design.authoring import start_choices, start_names
    from cellwright.projects.model import InputError

    detail = exc.detail.removeprefix("template: ")
    if "(templates: " in detail:
        return InputError(detail, option)  # it lists them already
    if (kind == "" or option == "--template") and not start.strip():
        detail = "names nothing"
    elif kind == "":  # a name alone: neither a cell design of the project nor a library cell
        names = [n for group in start_names(kind, project).values() for n in group]
        close = get_close_matches(start, names, n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        detail = f"no cell design of the project and no library cell is called {start!r}{hint}"
    forms = {
        "template": "a template" if option == "--template" else "template:<template>",
        "library": "library:<library cell>",
        "datasheet": "datasheet:<library cell>",
        "design": "design:<cell design>",
    }.get(kind, "a library cell, a cell design of the project or datasheet:<library cell>")
    see = (
        ""
        if kind in ("template", "design")
        else "; all library cells: cellwright library list --cells"
    )
    choices = start_choices(kind, project)
    return InputError(f"{detail}; {option} takes {forms} ({choices}{see})", option)


@design_cli.command("new-pack")
def design_new_pack(
    name: Annotated[str, typer.Argument(help="name of the new pack design")],
    project: ProjectRequired,
    cell: Annotated[
        str, typer.Option(help="its cell: a cell design of the project or a library cell")
    ],
    series: Annotated[int | None, typer.Option(min=1, help="cells in series")] = None,
    parallel: Annotated[int | None, typer.Option(min=1, help="cells in parallel")] = None,
    voltage: Annotated[
        str | None, typer.Option(help='target nominal voltage, e.g. "400 V" (instead of counts)')
    ] = None,
    energy: Annotated[str | None, typer.Option(help='target energy, e.g. "60 kWh"')] = None,
    parts: Annotated[
        str,
        typer.Option(help="parts to add at their defaults (comma-separated), or 'none'"),
    ] = "arrangement,busbar,cooling_plate,thermal_interface,enclosure",
) -> None:
    """Create a pack of a cell: series/parallel counts, or the arrangement proposed for a
    target voltage and energy, with its parts sized from the cell and the arrangement."""
    from cellwright.projects.design.authoring import new_pack
    from cellwright.projects.model import InputError
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        cell_id = _cell_id(cell, p)
        if voltage is not None or energy is not None:
            if voltage is None or energy is None or series or parallel:
                raise InputError("give --voltage and --energy together, or --series and --parallel")
            series, parallel = _proposed(cell_id, voltage, energy, p)
        elif series is None or parallel is None:
            raise InputError("give --series and --parallel, or --voltage and --energy")
        chosen = () if parts.strip() == "none" else tuple(x.strip() for x in parts.split(",") if x)
        pack = new_pack(name, cell_id, series, parallel, chosen, p)
    _store(project, pack)
    typer.echo(f"created pack design {pack.name} (id {pack.id}): {series}s{parallel}p")


def _cell_id(cell: str, project) -> str:
    from cellwright.projects.design.resolve import library_for
    from cellwright.projects.store import NotInProjectError

    try:
        return project.find("cell", cell).id
    except NotInProjectError:
        return library_for(project).cell(cell).id  # raises naming the library's cells


def _proposed(cell_id: str, voltage: str, energy: str, project) -> tuple[int, int]:
    from cellwright.projects.design.arrangement import energy_note, propose_arrangements
    from cellwright.projects.design.report import cell_summary_for
    from cellwright.projects.design.resolve import pack_cell_snapshot

    summary, _ = cell_summary_for(pack_cell_snapshot(cell_id, project))
    target = _target(voltage, "V", "--voltage"), _target(energy, "W*h", "--energy")
    best = propose_arrangements(summary, *target)[0]
    typer.echo(f"proposed {best.label}: {best.voltage:.4g} V, {best.energy / 1e3:.4g} kW.h")
    note = energy_note(best, target[1])
    if note:
        typer.echo(f"warning: {note}", err=True)
    return best.series, best.parallel


def _target(text: str, unit: str, option: str) -> float:
    """A target quantity typed on the command line, in ``unit``.

    Raises
    ------
    InputError
        Naming the option, for text that is not a finite quantity of that dimension (a
        ``UnitError`` or a NaN would otherwise reach the user as an unexpected failure).
    """
    import math

    from cellwright.projects.model import InputError
    from cellwright.projects.units import UnitError, to_unit

    try:
        value = to_unit(text, unit)
    except UnitError as exc:
        raise InputError(f"{option}: {exc}") from None
    if not math.isfinite(value):
        raise InputError(f"{option}: {text!r} is not a finite number")
    return value


@design_cli.command("arrange")
def design_arrange(
    cell: Annotated[str, typer.Argument(help="a cell design of the project or a library cell")],
    voltage: Annotated[str, typer.Option(help='target nominal voltage, e.g. "400 V"')],
    energy: Annotated[str, typer.Option(help='target energy, e.g. "60 kWh"')],
    project: ProjectOption = None,
    max_voltage: Annotated[
        str | None, typer.Option(help='charged-pack voltage limit, e.g. "470 V"')
    ] = None,
) -> None:
    """Propose series/parallel counts and modules for a target voltage and energy."""
    from cellwright.projects.design.arrangement import energy_note, propose_arrangements
    from cellwright.projects.design.report import cell_summary_for

    target = _target(voltage, "V", "--voltage"), _target(energy, "W*h", "--energy")
    limit = _target(max_voltage, "V", "--max-voltage") if max_voltage else None
    summary, _ = cell_summary_for(_pack_cell(cell, project))
    options = propose_arrangements(summary, *target, limit)
    typer.echo(
        f"{'arrangement':<40} {'V nominal':>10} {'V max':>8} {'A.h':>8} {'kW.h':>8} {'kg':>8}"
    )
    for o in options:
        vmax = f"{o.max_voltage:.4g}" if o.max_voltage else "-"
        typer.echo(
            f"{o.label:<40} {o.voltage:>10.4g} {vmax:>8} {o.capacity:>8.4g} "
            f"{o.energy / 1e3:>8.4g} {o.cell_mass:>8.4g}"
        )
    note = energy_note(options[0], target[1])
    if note:
        typer.echo(f"warning: {note}", err=True)


@design_cli.command("list")
def design_list(project: ProjectRequired) -> None:
    """The cell and pack designs of a project."""
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        for kind in ("cell", "pack"):
            for d in p.list(kind):
                extra = f"{d.format}" if kind == "cell" else f"{d.series}s{d.parallel}p of {d.cell}"
                typer.echo(f"{kind:<5} {d.id:<14} {d.name:<40} {extra}")


@design_cli.command("delete")
def design_delete(
    design: Annotated[str, typer.Argument(help="id or name of a cell or pack design")],
    project: ProjectRequired,
) -> None:
    """Remove a design; refused while a pack, study, design study or battery refers to it."""
    from cellwright.projects.store import Project

    with Project.open(project) as p:
        kind, obj = _the_design(design, p, project)
        p.delete(kind, obj.id)  # refuses naming what refers to it
    typer.echo(f"deleted {kind} design {obj.name} (id {obj.id})")


@design_cli.command("rename")
def design_rename(
    design: Annotated[str, typer.Argument(help="id or name of a cell or pack design")],
    name: Annotated[str, typer.Argument(help="its new name")],
    project: ProjectRequired,
) -> None:
    """Rename a design; packs, studies, design studies and batteries that name it by its
    name are changed to the new name with it (refused if another design has that name)."""
    from cellwright.projects.store import Project
    from cellwright.projects.store.names import rename

    with Project.open(project) as p:
        kind, obj = _the_design(design, p, project)
        rewritten = rename(p, kind, obj.id, name.strip())
    typer.echo(f"renamed {kind} design {obj.name} to {name.strip()} (id {obj.id})")
    for what in rewritten:
        typer.echo(f"  and {what}")


def _the_design(design: str, p, project: Path):
    """(kind, design) of the one cell or pack design of the project with that id or name."""
    from contextlib import suppress

    from cellwright.projects.design.resolve import design_meant
    from cellwright.projects.model import CellDesign, InputError
    from cellwright.projects.store import NotInProjectError

    found = {}
    for kind in ("cell", "pack"):
        with suppress(NotInProjectError):  # a name two designs share is reported as it is
            found[kind] = p.find(kind, design)
    if not found:
        raise InputError(f"no cell or pack design {design!r} in this project", str(project))
    obj = design_meant(found, design, None, p)
    return ("cell" if isinstance(obj, CellDesign) else "pack"), obj


@design_cli.command("import")
def design_import(
    file: Annotated[Path, typer.Argument(help="a design file (.toml or .json)")],
    project: ProjectRequired,
    replace: Annotated[
        bool, typer.Option(help="overwrite designs with the same id (or, without one, name)")
    ] = False,
) -> None:
    """Read a design file (docs/design-file.md) and store its designs in the project; a
    design without an id is the project's design of that name, if it has one."""
    from cellwright.projects.design.design_file import read_design_file
    from cellwright.projects.store import Project
    from cellwright.projects.store.names import matched_by_name

    with Project.open(project, readonly=True) as p:
        designs = matched_by_name(p, read_design_file(file, p).designs)
    _store(project, *designs, replace=replace)
    for d in designs:
        typer.echo(f"imported {type(d).__name__} {d.name} (id {d.id})")


@design_cli.command("export")
def design_export(
    design: Annotated[str, typer.Argument(help="design id or name")],
    out: Annotated[Path, typer.Option("--out", "-o", help=".toml or .json file")],
    project: ProjectRequired,
) -> None:
    """Write a design (a pack with its cell design) to a design file."""
    from cellwright.projects.design.design_file import write_design_file
    from cellwright.projects.model import PackDesign
    from cellwright.projects.store import NotInProjectError, Project

    with Project.open(project, readonly=True) as p:
        obj, _ = find_design_in(design, p)
        cell = None
        if isinstance(obj, PackDesign):
            try:
                cell = p.find("cell", obj.cell)
            except NotInProjectError:
                cell = None  # a library cell: the pack names it
        else:
            obj, cell = None, obj
    write_design_file(out, cell, obj)
    typer.echo(f"wrote {out}")


def find_design_in(design: str, project):
    """A cell or pack design of the project (not a library cell) by id or name."""
    from cellwright.projects.model import InputError
    from cellwright.projects.store import NotInProjectError

    for kind in ("cell", "pack"):
        try:
            return project.find(kind, design), kind
        except NotInProjectError:
            continue
    raise InputError(f"no cell or pack design with id or name {design!r} in this project")


@design_cli.command("compare")
def design_compare(
    designs: Annotated[list[str], typer.Argument(help="two or more design ids or names")],
    project: ProjectOption = None,
    changed: Annotated[bool, typer.Option(help="only the figures that differ")] = False,
) -> None:
    """Figures of designs side by side, each relative to the first; '*' marks a difference."""
    from cellwright.projects.design import design_report
    from cellwright.projects.design.compare import compare_reports
    from cellwright.projects.model import InputError

    if len(designs) < 2:
        raise InputError("compare needs two or more designs")
    reports = []
    for name in designs:
        obj, snapshot = _find(name, project)
        reports.append((obj.name, design_report(obj, snapshot)))
    table = compare_reports(reports)
    width = max(len(r.name) for r in table.rows) + 2
    typer.echo(f"{'':<{width}}" + "".join(f"{n[:22]:>24}" for n in table.names))
    for row in table.rows:
        if changed and not row.differs:
            continue
        cells = []
        for i, value in enumerate(row.values):
            text = "-" if value is None else f"{value:.5g}"
            change = row.change(i) if i else None
            if change:
                text += f" ({100 * change:+.1f}%)"
            cells.append(f"{text:>24}")
        mark = "*" if row.differs else " "
        typer.echo(f"{mark}{row.name:<{width - 1}}" + "".join(cells) + f"  {row.unit}")
