"""What a structural study describes: target or imported geometry, supports, added masses, modes.

Shared by ``mechanics.modal`` and ``mechanics.vibration``; :func:`prepare_structure` turns a spec
and a design into a supported :class:`StructuralProblem`, refusing unknown groups and parts that
nothing holds before any heavy work.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cellwright.projects.model import DesignSnapshot, ImportedGeometry, InputError, Unit

__all__ = ["MassSpec", "StructureSpec", "SupportSpec", "prepare_structure"]

Hertz = Annotated[float, Unit("Hz"), Field(gt=0, le=1e5)]


class SupportSpec(BaseModel):
    """How the structure is held: every support is part of the base (the shaker table)."""

    model_config = ConfigDict(extra="forbid")

    group: str = Field("", description="surface group or volume region, e.g. bottom, plate_bottom")
    kind: Literal["clamped", "fixed", "elastic", "points"] = "clamped"
    components: str = Field("xyz", pattern="^[xyz]{1,3}$", description="fixed: which to hold")
    stiffness: tuple[float, float, float] = Field(
        (1e9, 1e9, 1e9), description="elastic: support stiffness per area [N/m^3] in x, y, z"
    )
    points: list[tuple[float, float, float]] = Field(
        default_factory=list, description="points: bolt positions [m], clamped within radius"
    )
    radius: Annotated[float, Unit("m"), Field(gt=0, le=1.0)] = 3e-3

    @model_validator(mode="after")
    def _complete(self) -> SupportSpec:
        if self.kind == "points" and not self.points:
            raise ValueError("a 'points' support needs points (bolt positions)")
        if self.kind != "points" and not self.group:
            raise ValueError(f"a {self.kind!r} support needs a group")
        if any(k < 0 for k in self.stiffness):
            raise ValueError("support stiffness must not be negative")
        return self


class MassSpec(BaseModel):
    """A part that is not meshed (electronics, cables, a lid), spread over a group."""

    model_config = ConfigDict(extra="forbid")

    group: str
    mass: Annotated[float, Unit("kg"), Field(gt=0, le=1e4)]


class StructureSpec(BaseModel):
    """The structure a mechanics study runs on."""

    model_config = ConfigDict(extra="forbid")

    target: Literal["cell", "pack"] = "cell"
    geometry: ImportedGeometry | None = Field(
        None, description="run on an imported CAD file or mesh instead of the design"
    )
    mesh_size: Annotated[float, Unit("m"), Field(gt=0, le=0.5)] | None = Field(
        None, description="element size; default: a sixth of a cell's diameter or thickness"
    )
    curvature: int | None = Field(
        None, ge=6, le=100, description="pack: elements per circle of a round cell (default 16)"
    )
    refine_ends: tuple[int, float, float] | None = Field(
        None, description="cell: finer elements where a squeeze along an axis meets it "
        "(axis, radius / extent, size [m])",
    )  # fmt: skip
    supports: list[SupportSpec] | None = Field(
        None,
        description="default: a cell clamped at its bottom face, a pack at its plate's underside; "
        "an imported geometry must name its supports (or set free)",
    )
    free: bool = Field(False, description="no supports at all: free-free modes")
    masses: list[MassSpec] = Field(default_factory=list)
    modes: int = Field(20, ge=1, le=300, description="number of modes")
    rigid_below: Hertz = Field(0.1, description="modes below this are rigid-body modes")

    @model_validator(mode="after")
    def _supports_or_free(self) -> StructureSpec:
        if self.free and self.supports:
            raise ValueError("free: a free structure cannot have supports")
        if self.geometry is not None and not self.free and not self.supports:
            raise ValueError("supports: an imported geometry needs supports (or free = true)")
        return self


_DEFAULT_SUPPORT = {"cell": "bottom", "pack": "plate_bottom"}


def _default_size(design: DesignSnapshot, target: str) -> float | None:
    """The element size when the study gives none (None: the mesher's own default).

    A cylindrical cell gets six elements across; a pack of them the pack mesher's third of a
    cell (:func:`~cellwright.engines.mesh.packs.default_pack_size`). A flat cell, alone or in a
    pack, gets one quadratic element through its thickness, finer only where it is thin beside
    its face (a twentieth of its shorter side): the pack mesher's third of the thickness put
    119k tetrahedra into a 4s1p pack of Kokam-sized pouches (hours for a crush), this 10k.
    """
    g = design.cell.geometry
    if g is None:
        return None
    if g.kind == "cylindrical":
        return g.diameter / 6 if target == "cell" else None
    return max(min(g.length, g.width, g.thickness), min(g.length, g.width) / 20)


def _mesh_error(error: InputError, spec: StructureSpec) -> InputError:
    """A gmsh failure on sizes the study chose, naming the fields that chose them.

    gmsh's own words ("PLC Error: a segment and a facet intersect") name no field: the LG M50
    at ``mesh_size = "0.3 m"`` failed so, one element across a 21 mm cell.
    """
    if "gmsh could not build the mesh" not in str(error):
        return error
    chosen = (("spec.mesh_size", spec.mesh_size), ("spec.contact_mesh_size", spec.refine_ends))
    fields = " or ".join(f for f, given in chosen if given)
    if not fields:
        return error
    return InputError(
        f"{error.detail}; the mesh of these sizes cannot be built: change {fields} (or leave "
        "it out for the default)",
        error.where,
    )


def prepare_structure(spec: StructureSpec, design: DesignSnapshot, workdir=None,
                      roll_size: float | None = None):  # fmt: skip
    """The meshed, supported structure of ``spec`` on ``design``; a cylindrical cell's jelly roll
    meshed on its own at ``roll_size`` and tied to its can if given (a crush's).

    Raises
    ------
    InputError
        Unknown group, a part that no support holds, a material without elastic constants.
    """
    from cellwright.engines.mechanics.factor import check_factor_memory
    from cellwright.engines.mechanics.setup import build_structure

    if spec.geometry is not None:
        from cellwright.engines.mechanics.imported import imported_structure

        problem = imported_structure(spec.geometry, design)
    else:
        # the size from the design as given: a library cell's entered design keeps the
        # mesher's default, as before there were estimates
        size = spec.mesh_size or _default_size(design, spec.target)
        estimated: list[str] = []
        design = with_geometry(design, estimated)
        try:
            problem = build_structure(design, spec.target, size, spec.curvature, spec.refine_ends,
                                      roll_size)  # fmt: skip
        except InputError as exc:
            raise _mesh_error(exc, spec) from None
        problem.warnings.extend(estimated)
    model = problem.model
    field = "spec.geometry.mesh_size" if spec.geometry is not None else "spec.mesh_size"
    check_factor_memory(3 * model.mesh.n_nodes, model.mesh.tet10.shape[0], field)
    default = _DEFAULT_SUPPORT[spec.target]
    if not (spec.free or spec.supports) and default not in model.mesh.surfaces:
        # a pack without a cooling plate: nothing a default could hold it by
        raise InputError(
            f"spec.supports: the {spec.target} has no {default!r} faces to hold it by default "
            "(no cooling plate); give its supports, e.g. its mounting points as supports = "
            '[{ kind = "points", points = [[x, y, z], …] }], or free = true for free-free modes'
        )
    supports = [] if spec.free else spec.supports or [SupportSpec(group=default)]
    for k, s in enumerate(supports):
        where = f"spec.supports[{k}]"
        try:
            if s.kind == "points":
                for p in s.points:
                    nodes = model.nodes_near(p, s.radius)
                    if nodes.size == 0:
                        raise InputError(
                            f"{where}: no mesh node within {s.radius * 1e3:g} mm of {p}"
                        )
                    model.fix(f"point {p}", "xyz", nodes)
            elif s.kind == "elastic":
                model.spring(s.group, s.stiffness)
            else:
                model.fix(s.group, "xyz" if s.kind == "clamped" else s.components)
        except KeyError as exc:
            raise InputError(f"{where}.group: {exc.args[0]}") from None
    for k, m in enumerate(spec.masses):
        try:
            model.add_mass(m.group, m.mass)
        except KeyError as exc:
            raise InputError(f"spec.masses[{k}].group: {exc.args[0]}") from None
    if supports:
        loose = model.free_parts()
        if loose:
            names = "; ".join(", ".join(p) or "(unnamed)" for p in loose)
            raise InputError(
                f"spec.supports: the model is not held: no support reaches the part(s) {names} "
                "(add a support on them, or set free = true for free-free modes)"
            )
    return problem


def with_geometry(design: DesignSnapshot, warnings: list[str] | None = None) -> DesignSnapshot:
    """The design itself, or the library cell's entered reference design when it has none,
    or else one estimated from its datasheet (said in ``warnings``)."""
    from cellwright.projects.design.reference_designs import with_reference_geometry

    return with_reference_geometry(design, "the mechanics engines need", warnings)
