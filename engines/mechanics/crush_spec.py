"""What a crush study describes: the part, the indenter, the loading and the standard's stops.

Presets (``standard``) fill in what each standard prescribes; any field given explicitly wins:

- ``GB38031-cell``: GB 38031-2020 §8.1.6 cell squeeze — semicylinder of radius 75 mm, longer than
  the cell, perpendicular to the electrode plates; stop at 0 V (here: the short-circuit onset),
  15 % deformation, 100 kN or 1000 × the cell's weight; speed ≤ 2 mm/s.
- ``GB38031-module``: GB 38031-2020 §8.2.6 squeeze of a module/pack — the same semicylinder; stop
  at 30 % deformation or 100 kN.
- ``R100-8D``: UNECE R100 rev. 3 Annex 8D mechanical integrity — crush plate with three
  semicylinders of radius 75 mm, 30 mm apart; 100 kN.
- ``UN38.3-T6``: UN Manual of Tests and Criteria, 38.3.4.6 crush — between flat plates at about
  1.5 cm/s until 13 kN, 50 % deformation or a voltage drop (the short-circuit onset). The manual
  prescribes it for prismatic, pouch and coin cells and cylindrical cells under 18.0 mm across.
- ``UN38.3-T6-impact``: 38.3.4.6 impact, for cylindrical cells of 18.0 mm diameter or more — a
  15.8 mm bar across the cell, struck by 9.1 kg dropped from 61 cm. Run quasi-statically: the
  bar is pressed in until the part has absorbed what the falling mass brings, the work
  W(δ) = m g (h + δ) (the mass at rest at the deepest point; the energy method of drop-weight
  impact, Jones, *Structural Impact*, 2nd ed., 2012, valid when the striker is far heavier than
  the struck part, here 9.1 kg against a cell's 50-300 g, and without the materials' rate
  hardening). A short does not stop it: nothing stops a falling mass.
- ``custom``: only what is given.

A stop field left out (``None``) takes the standard's value; ``"off"`` switches the standard's stop
off (``weight_factor = "off"`` squeezes a GB 38031 cell past 1000 × its weight to find where it
shorts; ``stop_at_short = false`` for the short-circuit onset). At least one stop must remain:
a run whose every stop is switched off is refused, naming the fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError, core_schema

from cellwright.projects.model import ImportedGeometry, InputError, Unit

__all__ = [
    "IMPACT_LIMIT",
    "KIND_RADIUS",
    "OFF",
    "STANDARDS",
    "STANDARD_GRAVITY",
    "STOPS",
    "T6_IMPACT_DIAMETER",
    "CrushSpec",
    "IndenterSpec",
    "Standard",
    "crush_support_error",
    "first_leaves_out",
    "t6_mismatch",
]

Metre = Annotated[float, Unit("m"), Field(gt=0, le=5.0)]

STANDARD_GRAVITY = 9.80665  # m/s², CGPM 1901
OFF = "off"  # a stop field's value that switches the standard's stop off
#: the stop fields (force, deformation, travel, weight, short), in the order a refusal names them
STOPS = ("max_force", "max_deformation", "max_travel", "weight_factor", "stop_at_short")
#: how far an impact may go, as a share of the part's size along the load (where the engine gives
#: up; other runs without a deformation or travel stop go half way): a 21700 under UN 38.3's 54 J
#: comes to rest at 69 % of its diameter
IMPACT_LIMIT = 0.9
#: the fields of an impact (a dropped mass stops once its energy is absorbed)
_DROP = ("drop_mass", "drop_height")


#: UN 38.3.4.6: cylindrical cells of at least this diameter take the impact, others the crush
T6_IMPACT_DIAMETER = 18.0e-3


def t6_mismatch(spec: CrushSpec, design: Any) -> str | None:
    """A warning when the T6 test chosen is not the one UN 38.3.4.6 prescribes for the part.

    The manual applies the impact to cylindrical cells of 18.0 mm diameter or more and the
    crush to prismatic, pouch and coin cells and thinner cylindrical cells; T6 tests cells.
    ``design`` is the snapshot with its cell's geometry (None for an imported part).
    """
    if not spec.standard.startswith("UN38.3-T6"):
        return None
    if spec.target != "cell" or spec.geometry is not None:
        return ("UN 38.3 T6 is a test of single cells; this part is not one, so the verdict "
                "is the standard's loading applied to it, not the test")  # fmt: skip
    cell = getattr(design, "cell", None)
    geometry = getattr(cell, "geometry", None)
    if geometry is None:
        return None
    diameter = getattr(geometry, "diameter", None) if geometry.kind == "cylindrical" else None
    impact = diameter is not None and diameter >= T6_IMPACT_DIAMETER * (1 - 1e-9)
    what = (f"a cylindrical cell of {diameter * 1e3:.1f} mm diameter" if diameter is not None
            else f"a {geometry.kind} cell")  # fmt: skip
    if impact and spec.standard == "UN38.3-T6":
        return (
            f"UN 38.3.4.6 prescribes the impact, not the crush, for {what} (18.0 mm or "
            'more): standard = "UN38.3-T6-impact" runs it'
        )
    if not impact and spec.standard == "UN38.3-T6-impact":
        return (
            f"UN 38.3.4.6 prescribes the crush, not the impact, for {what}: "
            'standard = "UN38.3-T6" runs it'
        )
    return None


def crush_support_error(error: InputError, spec: CrushSpec) -> InputError:
    """``error`` from the structural set-up, naming the crush study's own fields.

    The set-up refuses a structural study's ``spec.supports`` (an unknown group, or a part that
    no support reaches, with ``free = true`` as a way out); a crush study has neither field but
    ``support_group`` and ``support``, so its refusal names those.
    """
    text = str(error)
    if spec.support != "fixed" or not text.startswith("spec.supports"):
        return error
    _, _, detail = text.partition(": ")
    detail = detail.replace(" (add a support on them, or set free = true for free-free modes)",
                            "")  # fmt: skip
    return InputError(
        f"spec.support_group: {detail} (hold another group, or rest the part on a plate: "
        'support = "plate")'
    )


def first_leaves_out(target: str) -> tuple[str, ...]:
    """The short criteria ``short_criterion = "first"`` does not take on ``target``.

    A module's or pack's force is its structure's, and its drops come from the structure (a
    cooling plate tearing under the semicylinder), not from a cell's short (crush_short); asked
    for by name, ``force_drop`` still applies there.
    """
    return ("force_drop",) if target == "pack" else ()


def _off_or_value(value: Any, handler: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() == OFF:
        return OFF
    return handler(value)


@dataclass(frozen=True)
class _Switchable:
    """Lets a numeric stop field also take ``"off"`` (any case); other text goes on to the
    number's own parsing ("20 kN"), so its error stays the number's."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        number = handler(source)
        either = core_schema.union_schema([number, core_schema.literal_schema([OFF])])
        return core_schema.no_info_wrap_validator_function(
            _off_or_value, number,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda v: v, return_schema=either),
        )  # fmt: skip

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        inner = handler(schema)  # serialisation mode: already the number or "off"
        return inner if "anyOf" in inner else {"anyOf": [inner, {"const": OFF, "type": "string"}]}


#: an indenter's radius when none is given: what the tests that use that kind prescribe (a
#: hemispherical punch has no such test among the standards here, so its radius must be given)
KIND_RADIUS = {
    "semicylinder": 0.075,  # GB 38031-2020 §8.1.6 and §8.2.6: R75 semicylinder
    "three_semicylinders": 0.075,  # UNECE R100 Annex 8D: three R75 semicylinders
    "rod": 0.0079,  # UN 38.3 T6 impact: a bar of 15.8 mm diameter across the cell
    "nail": 0.0015,  # SAE J2464 (2009) and Sandia SAND2005-3123 penetration: a 3 mm nail
}


class IndenterSpec(BaseModel):
    """A rigid indenter; it travels along ``-direction`` from the + side of the part."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["plate", "semicylinder", "three_semicylinders", "rod", "hemisphere", "nail"]
    radius: Metre | None = Field(
        None, description="semicylinder, rod, hemisphere, nail shank radius; default by kind "
        "(KIND_RADIUS: R75 semicylinders, a 15.8 mm bar, a 3 mm nail); a hemisphere's is needed",
    )  # fmt: skip
    spacing: Annotated[float, Unit("m"), Field(ge=0, le=1.0)] = Field(
        0.03, description="three semicylinders: clear gap between neighbours"
    )
    tip_angle: Annotated[float, Unit("deg"), Field(gt=5, lt=180)] = Field(
        60.0, description="nail: included angle of the conical tip"
    )
    axis: Literal["x", "y", "z"] | None = Field(
        None, description="cylinders: axis; default across the part's long dimension"
    )
    position: tuple[float, float, float] | None = Field(
        None, description="tip position [m]; default: over the centre of the part, touching it"
    )
    friction: float = Field(0.2, ge=0, le=2, description="Coulomb friction with the part")

    @model_validator(mode="after")
    def _radius_by_kind(self) -> IndenterSpec:
        # a nail left at a semicylinder's 75 mm would be a 150 mm bar with a point
        if self.radius is None and self.kind in KIND_RADIUS:
            self.radius = KIND_RADIUS[self.kind]
        elif self.radius is None and self.kind == "hemisphere":
            raise ValueError("radius: a hemispherical punch needs its radius (no standard here "
                             "prescribes one)")  # fmt: skip
        return self

    def explicit(self) -> dict[str, Any]:
        """The fields that differ from the defaults of this kind (what a study file needs)."""
        given = self.model_dump(exclude_none=True, exclude_defaults=True)
        if "radius" in given and given["radius"] == KIND_RADIUS.get(self.kind):
            del given["radius"]
        return given


class Standard(BaseModel):
    """A standard's indenter and stop criteria."""

    indenter: IndenterSpec
    speed: float  # m/s
    max_force: float | None = None  # N
    max_deformation: float | None = None  # fraction of the size along the load
    weight_factor: float | None = None  # stop at this multiple of the weight
    max_travel: float | None = None  # m; no standard prescribes one
    stop_at_short: bool = True
    drop_mass: float | None = None  # kg; with drop_height: an impact, stopped by its energy
    drop_height: float | None = None  # m
    clause: str = ""

    @property
    def impact(self) -> bool:
        """Whether the indenter is driven by a dropped mass until it is at rest."""
        return self.drop_mass is not None and self.drop_height is not None

    @property
    def travel_limit(self) -> float:
        """Where the engine stops a run that has no deformation or travel stop, as a share of
        the part's size along the load: half, or for an impact :data:`IMPACT_LIMIT`."""
        return IMPACT_LIMIT if self.impact else 0.5

    def drop_energy(self, travel: float) -> float:
        """What the dropped mass has brought when the indenter is ``travel`` in: m g (h + δ)."""
        return float(self.drop_mass * STANDARD_GRAVITY * (self.drop_height + travel))


STANDARDS: dict[str, Standard] = {
    "GB38031-cell": Standard(
        indenter=IndenterSpec(kind="semicylinder", radius=0.075), speed=2e-3, max_force=100e3,
        max_deformation=0.15, weight_factor=1000.0,
        clause="GB 38031-2020 §8.1.6 (cell squeeze): no fire, no explosion",
    ),
    "GB38031-module": Standard(
        indenter=IndenterSpec(kind="semicylinder", radius=0.075), speed=2e-3, max_force=100e3,
        max_deformation=0.30, stop_at_short=False,
        clause="GB 38031-2020 §8.2.6 (module/pack squeeze): no fire, no explosion",
    ),
    "R100-8D": Standard(
        indenter=IndenterSpec(kind="three_semicylinders", radius=0.075, spacing=0.03),
        speed=2e-3, max_force=100e3, stop_at_short=False,
        clause="UNECE R100 Annex 8D (mechanical integrity): no fire, no explosion, no leak",
    ),
    "UN38.3-T6": Standard(
        indenter=IndenterSpec(kind="plate"), speed=1.5e-2, max_force=13e3, max_deformation=0.5,
        clause="UN 38.3.4.6 T6 crush: no disassembly, no fire, outside at most 170 °C, within "
        "six hours",
    ),
    # the speed is the mass's at the strike, √(2 g h); the run's times follow it slowing down
    "UN38.3-T6-impact": Standard(
        indenter=IndenterSpec(kind="rod", radius=0.0079),
        speed=(2 * STANDARD_GRAVITY * 0.61) ** 0.5, drop_mass=9.1, drop_height=0.61,
        stop_at_short=False,
        clause="UN 38.3.4.6 T6 impact (9.1 kg from 61 cm on a 15.8 mm bar): no disassembly, no "
        "fire, outside at most 170 °C, within six hours",
    ),
    "custom": Standard(indenter=IndenterSpec(kind="plate"), speed=1e-3, stop_at_short=False),
}  # fmt: skip


class CrushSpec(BaseModel):
    """A quasi-static crush, squeeze or indentation of a cell or module."""

    model_config = ConfigDict(extra="forbid")

    target: Literal["cell", "pack"] = "cell"
    geometry: ImportedGeometry | None = Field(None, description="an imported part instead")
    standard: Literal[
        "GB38031-cell", "GB38031-module", "R100-8D", "UN38.3-T6", "UN38.3-T6-impact", "custom"
    ] = "custom"
    indenter: IndenterSpec | None = Field(None, description="default: the standard's")
    direction: Literal["auto", "x", "y", "z"] = Field(
        "auto", description="load axis: the indenter comes down along -direction; auto: "
        "perpendicular to the electrode plates as the standards ask (a pouch: z, its "
        "thickness; a prismatic cell: y, its thickness; a lying cylindrical cell or a part: y)",
    )  # fmt: skip

    def load_axis(self, design) -> str:
        """The load axis, ``direction`` or the electrode-plate normal of the design's cell."""
        if self.direction != "auto":
            return self.direction
        geometry = design.cell.geometry if design is not None and design.cell else None
        pouch = self.target == "cell" and self.geometry is None and geometry is not None and (
            geometry.kind == "pouch"
        )  # fmt: skip
        return "z" if pouch else "y"

    support: Literal["plate", "fixed"] = Field(
        "plate", description="a rigid flat plate under the part, or the support_group held fixed"
    )
    support_group: str = Field("", description="fixed support: the group that is held")
    speed: Annotated[float, Unit("m/s"), Field(gt=0, le=10)] | None = None
    # stops: None takes the standard's, OFF switches the standard's off (see the module doc)
    max_force: Annotated[float, Unit("N"), Field(gt=0, le=1e7), _Switchable()] | None = None
    max_deformation: Annotated[float, Field(gt=0, lt=0.95), _Switchable()] | None = Field(
        None, description="fraction of the part's size along the load"
    )
    max_travel: Annotated[float, Unit("m"), Field(gt=0, le=1.0), _Switchable()] | None = None
    weight_factor: Annotated[float, Field(gt=0), _Switchable()] | None = Field(
        None, description="stop at this multiple of the part's weight"
    )
    stop_at_short: bool | None = None
    drop_mass: Annotated[float, Unit("kg"), Field(gt=0, le=1e4)] | None = Field(
        None, description="impact: the dropped mass; the indenter goes in until the part has "
        "absorbed m g (h + travel)",
    )  # fmt: skip
    drop_height: Annotated[float, Unit("m"), Field(ge=0, le=100)] | None = Field(
        None, description="impact: the height the mass falls before it strikes"
    )
    rate_hardening: bool = Field(
        True, description="impact: the metals' Cowper–Symonds rate hardening at the strain rate "
        "of the falling mass (the quasi-static squeezes take the static curves)",
    )  # fmt: skip
    jelly_roll: str | None = Field(None, description="library foam set; default by cell format")
    foam_curve: list[tuple[float, float]] | None = Field(
        None, description="own calibration: [engineering strain, nominal stress in Pa] pairs"
    )
    short_criterion: Literal["first", "jelly_roll_strain", "force_drop", "can_fracture"] = "first"
    short_strain: float | None = Field(None, gt=0, lt=2, description="override the set's")
    short_length: Annotated[float, Unit("m"), Field(ge=0, le=0.1)] | None = Field(
        None,
        description="radius over which the roll strain is averaged; override the set's, "
        "0: each element's own",
    )
    force_drop: float = Field(0.05, gt=0, lt=1, description="force_drop: relative drop")
    mesh_size: Annotated[float, Unit("m"), Field(gt=0, le=0.5)] | None = None
    jelly_roll_elements: Literal["quadratic", "linear"] = Field(
        "quadratic", description="'linear': the jelly roll's tetrahedra linear (their edge nodes "
        "tied to their edges), the can's and the metals' quadratic: a fine mesh in half the "
        "unknowns (docs/crush.md, 'Element order')",
    )  # fmt: skip
    jelly_roll_mesh_size: Annotated[float, Unit("m"), Field(gt=0, le=0.5)] | None = Field(
        None, description="a cylindrical cell's jelly roll meshed on its own at this size "
        "(linear elements) and tied to the can, cap and tabs, which keep mesh_size: a fine "
        "roll without a fine can (docs/crush.md, 'A roll finer than its can'); needs "
        "jelly_roll_elements = 'linear' and the filled core",
    )  # fmt: skip
    core: Literal["filled", "open"] = Field(
        "filled", description="a wound cell's core hole: filled with the roll's foam, or meshed "
        "open (the engine has no self-contact, so an open hole must not close)",
    )  # fmt: skip
    curvature: int | None = Field(None, ge=6, le=100)
    contact_mesh_size: Annotated[float, Unit("m"), Field(gt=0, le=0.5)] | None = Field(
        None, description="cell: element size where the indenter and the support meet it "
        "(within contact_mesh_radius of the contact points); default: no refinement",
    )  # fmt: skip
    contact_mesh_radius: float = Field(
        0.4, gt=0, le=2, description="refined radius / the part's size along the load"
    )
    steps: int = Field(20, ge=2, le=10000, description="initial number of steps to the stop")
    min_step: float = Field(1e-4, gt=0, lt=1, description="smallest step / initial step")
    max_iterations: int = Field(16, ge=3, le=100)
    tolerance: float = Field(
        5e-3, gt=0, lt=0.1,
        description="largest residual / average nodal force (and corrections ≤ 1 % of the "
        "step's displacement), as implicit structural codes test convergence",
    )  # fmt: skip
    stabilisation: Literal["auto", "off"] = Field(
        "auto", description="where a step fails at the smallest step (a structure letting go), "
        "'auto' switches viscous dampers on and goes on (their share of the work is reported); "
        "'off' stops the run there",
    )  # fmt: skip
    # 0.3: the stiffest skin material is the can's steel, but a 0.2 mm can wall under a
    # 2-3 mm element is far softer than steel over that element; 10 (Abaqus' factor for solid
    # bodies) made the first contact iterations of a cell squeeze diverge. The penetration it
    # allows stays below a micrometre at 10 MPa (see the contact energy in the scalars).
    penalty_factor: float = Field(
        0.3, gt=0, le=1e4, description="contact penalty / (stiffest skin modulus / element size)"
    )
    output_every: int = Field(1, ge=1, le=1000, description="store fields every N steps")

    @model_validator(mode="after")
    def _complete(self) -> CrushSpec:
        if self.support == "fixed" and not self.support_group:
            self._refuse("support_group", "a fixed support needs a group")
        if self.foam_curve is not None and len(self.foam_curve) < 2:
            self._refuse("foam_curve", "needs at least two points")
        p = self.preset()
        if (p.drop_mass is None) != (p.drop_height is None):
            given = "drop_mass" if p.drop_height is None else "drop_height"
            self._refuse(given, "an impact needs both drop_mass and drop_height")
        if self.jelly_roll_mesh_size is not None:
            why = (
                "needs jelly_roll_elements = 'linear'" if self.jelly_roll_elements != "linear"
                else "needs the filled core (core = 'filled')" if self.core != "filled"
                else "is for a cell: the cells of a pack keep one mesh" if self.target != "cell"
                else "is for a meshed cell, not imported geometry" if self.geometry is not None
                else None
            )  # fmt: skip
            if why:
                self._refuse("jelly_roll_mesh_size", why)
        self._check_a_stop_remains()
        return self

    def _refuse(self, field: str, message: str) -> None:
        """Refuse at ``field``, so a study file's error gives its line (a plain ValueError here
        is the whole spec's: 'spec: Value error, drop_mass: …' with no line)."""
        detail = InitErrorDetails(type=PydanticCustomError("invalid", message), loc=(field,),
                                  input=getattr(self, field))  # fmt: skip
        raise ValidationError.from_exception_data(type(self).__name__, [detail])

    def preset(self) -> Standard:
        """The standard with this spec's explicit fields applied (a stop switched off: None)."""
        base = STANDARDS[self.standard]
        given = {k: getattr(self, k) for k in ("speed", *STOPS, *_DROP)
                 if getattr(self, k) is not None}  # fmt: skip
        update: dict[str, Any] = {k: None if v == OFF else v for k, v in given.items()}
        if self.indenter is not None:
            update["indenter"] = self.indenter
        return base.model_copy(update=update)

    def stops_off(self) -> list[str]:
        """The stop fields that switch off a stop the standard prescribes."""
        base = STANDARDS[self.standard]
        off = [k for k in STOPS if getattr(self, k) == OFF and getattr(base, k) is not None]
        if self.stop_at_short is False and base.stop_at_short:
            off.append("stop_at_short")
        return off

    def switched_off(self) -> Standard:
        """The standard's stops this spec switches off, as a :class:`Standard` holding only those
        (where a run continued past them would have stopped by the standard)."""
        base, off = STANDARDS[self.standard], self.stops_off()
        kept = {k: getattr(base, k) for k in off if k != "stop_at_short"}
        return Standard(indenter=base.indenter, speed=base.speed,
                        stop_at_short="stop_at_short" in off, **kept)  # fmt: skip

    def _check_a_stop_remains(self) -> None:
        """Switching stops off must leave one, or only the engine's safety limit ends the run.

        (A ``custom`` spec that gives no stop at all keeps that limit, half the part's size.)
        """
        p = self.preset()
        if p.impact or any(getattr(p, k) not in (None, False) for k in STOPS):
            return
        off = self.stops_off()
        named = [k for k in STOPS if getattr(self, k) == OFF or k in off]
        if not named:
            return
        others = [k for k in STOPS if k not in named]
        message = (f"switching off {' and '.join(named)} leaves the {self.standard} run with no "
                   f"stop; keep {'it' if len(named) == 1 else 'one'}"
                   + (f" or set {' or '.join(others)}" if others else ""))  # fmt: skip
        self._refuse(named[0], message)
