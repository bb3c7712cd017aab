"""The crush study editor's logic (no display): preset → field defaults → overrides → spec dict.

Every standard, as it comes and with overrides of each kind, must give a dict CrushSpec accepts,
whose resolved preset is what the fields showed, and which reads back into the same fields.
"""

from __future__ import annotations

import pytest

from cellwright.app.crush_editing import CrushEditing, describe_loading
from cellwright.app.crush_fields import FIELDS, field, parse_text
from cellwright.engines.mechanics.crush_spec import OFF, STANDARDS, CrushSpec, IndenterSpec

OVERRIDES = (
    {},
    {"max_force": "80"},
    {"indenter.axis": "z", "indenter.friction": "0.3"},
    {"indenter.kind": "rod", "indenter.radius": "5", "speed": "1 cm/s"},
    {"max_deformation": "20 %", "weight_factor": "500", "stop_at_short": "no"},
    {"direction": "z", "mesh_size": "2", "short_criterion": "force_drop", "force_drop": "10"},
    {"support": "fixed", "support_group": "can", "max_travel": "3", "steps": "40", "core": "open"},
    {"weight_factor": "off", "max_force": "OFF", "stop_at_short": "yes"},
    {"jelly_roll_elements": "linear", "jelly_roll_mesh_size": "1.2"},
    {"short_strain": "0.3", "short_length": "0"},
    {"short_criterion": "jelly_roll_strain", "short_length": "2.5"},
    {"max_deformation": "off", "max_travel": "5", "max_force": "50"},
    {"indenter.kind": "nail", "contact_mesh_size": "0.5", "contact_mesh_radius": "0.15"},
)


def _resolved(spec: dict) -> dict:
    """What the engine will do: the preset with the explicit fields applied, plus the rest."""
    checked = CrushSpec.model_validate(spec)
    return {**checked.model_dump(exclude={"indenter"}), "preset": checked.preset().model_dump()}


@pytest.mark.parametrize("standard", list(STANDARDS))
@pytest.mark.parametrize("overrides", OVERRIDES, ids=lambda o: ",".join(o) or "as-is")
def test_every_preset_round_trips(standard: str, overrides: dict) -> None:
    state = CrushEditing(standard)
    for key, text in overrides.items():
        state.set_text(key, text)
    spec, errors = state.build()
    assert errors == {} and spec is not None
    checked = CrushSpec.model_validate(spec)
    preset = checked.preset()
    for f in FIELDS:  # what every field shows is what the engine will use
        value = parse_text(f, state.text(f.key))
        head, _, tail = f.key.partition(".")
        used = getattr(preset.indenter, tail) if tail else (
            getattr(preset, head) if f.preset else getattr(checked, head))  # fmt: skip
        if value == OFF:  # a stop switched off: the engine has none
            assert used in (None, OFF), f.key
            continue
        assert value == pytest.approx(used) if isinstance(used, float) else value == used, f.key
    again = CrushEditing()
    again.load(spec)
    assert again.standard == standard
    assert _resolved(again.build()[0]) == _resolved(spec)
    for key in overrides:  # the same values ("1 cm/s" typed reads back as 10 mm/s)
        assert parse_text(field(key), again.text(key)) == parse_text(field(key), state.text(key))


def test_defaults_are_the_standards_prescriptions() -> None:
    state = CrushEditing("GB38031-cell")
    assert [state.text(k) for k in ("indenter.kind", "indenter.radius", "speed", "max_force",
                                    "max_deformation", "weight_factor", "stop_at_short")] == [
        "semicylinder", "75", "2", "100", "15", "1000", "yes"]  # fmt: skip
    state.choose_standard("R100-8D")
    assert state.text("indenter.kind") == "three_semicylinders"
    assert state.text("indenter.spacing") == "30" and state.text("max_deformation") == ""
    assert state.applies("indenter.spacing") and not state.applies("indenter.tip_angle")
    state.choose_standard("UN38.3-T6")
    assert (state.text("indenter.kind"), state.text("max_force")) == ("plate", "13")
    assert not state.applies("indenter.radius")


def test_only_overrides_are_written_and_the_indenter_goes_whole() -> None:
    state = CrushEditing("GB38031-cell")
    assert state.build()[0] == {"standard": "GB38031-cell"}
    state.set_text("max_force", "100")  # the preset's own value is no override
    assert not state.is_overridden("max_force")
    state.set_text("max_force", "100 kN")
    assert not state.is_overridden("max_force")
    state.set_text("max_force", "80")
    state.set_text("indenter.radius", "50")
    assert state.build()[0] == {"standard": "GB38031-cell", "max_force": 80e3,
                                "indenter": {"kind": "semicylinder", "radius": 0.05}}  # fmt: skip
    state.reset("indenter.radius")
    assert "indenter" not in state.build()[0]
    state.choose_standard("GB38031-module")  # the module's stops replace the cell's override
    state.set_text("direction", "z")
    state.choose_standard("UN38.3-T6")
    assert state.build()[0] == {"standard": "UN38.3-T6", "direction": "z"}


def test_summary_says_what_is_done() -> None:
    state = CrushEditing("GB38031-cell")
    state.set_text("indenter.axis", "x")
    assert state.summary() == (
        "R75 semicylinder along x, through the plates at 2 mm/s, "
        "stops at 15 % / 100 kN / 1000 × weight / short"
    )
    assert describe_loading(CrushSpec(standard="R100-8D")) == (
        "3 × R75 semicylinders 30 mm apart across the part, through the plates at 2 mm/s, "
        "stops at 100 kN / 50 % travel (engine's limit)"
    )


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("max_force", "2e5", "must be at most 10000 kN"),
        ("max_force", "twelve", "not a number with a unit (expected N); a plain number is in kN"),
        ("max_force", "", "GB38031-cell prescribes this"),
        ("max_deformation", "95", "must be less than 95 %"),
        ("speed", "3 kg", "'3 kg' cannot be expressed in m/s; a plain number is in mm/s"),
        ("steps", "2.5", "'2.5' is not a whole number"),
        ("indenter.radius", "-1", "must be more than 0 mm"),
    ],
)
def test_refused_values_name_their_field(key: str, text: str, message: str) -> None:
    state = CrushEditing("GB38031-cell")
    state.set_text(key, text)
    spec, errors = state.build()
    assert spec is None and message in errors[key]
    assert set(errors) == {key}
    assert state.summary().startswith("not valid: ")


def test_a_whole_spec_rule_goes_to_the_field_it_names() -> None:
    state = CrushEditing("custom")
    state.set_text("support", "fixed")
    assert state.build() == (None, {"support_group": "a fixed support needs a group"})


def test_fields_match_the_spec() -> None:
    for f in FIELDS:
        head, _, tail = f.key.partition(".")
        assert head in CrushSpec.model_fields, f.key
        assert not tail or tail in IndenterSpec.model_fields, f.key
        if f.kind == "choice":
            assert f.choices, f.key
    with pytest.raises(KeyError, match="no crush editor field"):
        field("nonsense")


def test_a_preset_stop_switches_off_and_back_on() -> None:
    state = CrushEditing("GB38031-cell")
    assert state.can_switch("weight_factor") and not state.can_switch("max_travel")
    state.switch("weight_factor", on=False)
    assert state.is_off("weight_factor") and state.text("weight_factor") == "off"
    assert state.build() == ({"standard": "GB38031-cell", "weight_factor": "off"}, {})
    assert state.summary().endswith("stops at 15 % / 100 kN / short; switched off: 1000 × weight")
    again = CrushEditing()
    again.load(state.build()[0])
    assert again.is_off("weight_factor") and again.can_switch("weight_factor")
    state.switch("weight_factor", on=True)
    assert state.text("weight_factor") == "1000" and state.build()[0] == {
        "standard": "GB38031-cell"
    }
    state.choose_standard("R100-8D")
    assert not state.can_switch("max_deformation")  # R100 prescribes none
    state.set_text("max_force", "Off")  # typed, as in a study file
    spec, errors = state.build()
    assert spec is None and set(errors) == {"max_force"}
    assert errors["max_force"].startswith(
        "switching off max_force leaves the R100-8D run with no stop"
    )
    state.set_text("max_travel", "20")
    assert state.build() == ({"standard": "R100-8D", "max_force": "off", "max_travel": 0.02}, {})
    with pytest.raises(KeyError, match="not a stop"):
        state.switch("speed", on=False)


def test_the_contact_refinement_is_a_cells() -> None:
    """A nail needs nodes under its point: the window sets the refinement the engine's refusal
    names (spec.contact_mesh_size); only a cell's mesh is refined there."""
    state = CrushEditing("GB38031-cell")
    assert state.applies("contact_mesh_size") and not state.applies("contact_mesh_radius")
    state.set_text("contact_mesh_size", "0.5")
    assert state.applies("contact_mesh_radius")
    assert state.build()[0] == {"standard": "GB38031-cell", "contact_mesh_size": 0.0005}
    state.set_text("target", "pack")
    assert not state.applies("contact_mesh_size") and not state.applies("contact_mesh_radius")


def test_rate_hardening_is_an_impacts_and_can_be_switched_off() -> None:
    """The metals' rate hardening needs the falling mass's time: the field applies to an impact
    (the T6 impact, or a drop added to a squeeze), on by default, and "no" writes it off."""
    state = CrushEditing("UN38.3-T6-impact")
    assert state.applies("rate_hardening") and state.text("rate_hardening") == "yes"
    assert state.build()[0] == {"standard": "UN38.3-T6-impact"}
    state.set_text("rate_hardening", "no")
    assert state.build()[0] == {"standard": "UN38.3-T6-impact", "rate_hardening": False}
    squeeze = CrushEditing("GB38031-cell")
    assert not squeeze.applies("rate_hardening")
    squeeze.set_text("drop_mass", "2")
    squeeze.set_text("drop_height", "200")
    assert squeeze.applies("rate_hardening")


def test_another_indenter_kind_starts_from_its_own_defaults() -> None:
    """GB 38031's R75 semicylinder must not make a nail of 150 mm: a kind the standard does not
    use takes that kind's radius (a 3 mm nail, a 15.8 mm bar), and a hemispherical punch,
    which no standard here sizes, asks for its radius at its field."""
    state = CrushEditing("GB38031-cell")
    state.set_text("indenter.kind", "nail")
    assert state.text("indenter.radius") == "1.5"
    spec, errors = state.build()
    assert errors == {} and spec["indenter"] == {"kind": "nail"}
    assert CrushSpec.model_validate(spec).preset().indenter.radius == 0.0015
    assert state.summary().startswith("R1.5 nail with a 60° tip")
    state.set_text("indenter.kind", "rod")
    assert state.text("indenter.radius") == "7.9"
    state.set_text("indenter.kind", "hemisphere")
    assert state.text("indenter.radius") == ""
    spec, errors = state.build()
    assert spec is None and "needs its radius" in errors["indenter.radius"]
    state.set_text("indenter.radius", "10")
    spec, errors = state.build()
    assert errors == {} and spec["indenter"] == {"kind": "hemisphere", "radius": 0.01}
    state.set_text("indenter.kind", "semicylinder")  # the standard's own kind: its R75 again
    state.reset("indenter.radius")
    assert state.text("indenter.radius") == "75" and state.build()[0] == {
        "standard": "GB38031-cell"}  # fmt: skip


def test_a_packs_first_criterion_has_no_force_drop_to_set() -> None:
    """On a module or pack the force is the structure's, so "first" leaves the force drop out
    (engines/mechanics/crush_short.py): its field means nothing there unless asked for."""
    state = CrushEditing("GB38031-module")
    assert state.applies("force_drop")  # a cell's, by default
    state.set_text("target", "pack")
    assert not state.applies("force_drop")
    state.set_text("short_criterion", "force_drop")
    assert state.applies("force_drop")


def test_a_packs_study_squeezes_the_pack_and_knows_its_groups() -> None:
    """A pack designer picking a pack meant the pack: the target field read "cell" (the spec's
    default), so the pack's lone cell was meshed and the held cooling_plate was "no group"
    once the job had started. The pack's groups are known before meshing, so a group it has
    not is refused at its field."""
    groups = ["ambient", "can_0000", "can_0001", "cell_0000", "cell_0001", "cell_contact",
              "cooling_plate", "plate_bottom"]  # fmt: skip
    state = CrushEditing("GB38031-module")
    state.for_design("pack", groups, "2s1p")
    assert state.text("target") == "pack" and not state.is_overridden("target")
    state.set_text("support", "fixed")
    state.set_text("support_group", "cooling_plate")
    spec, errors = state.build()
    assert errors == {}
    assert spec == {"standard": "GB38031-module", "target": "pack", "support": "fixed",
                    "support_group": "cooling_plate"}  # fmt: skip
    state.set_text("support_group", "base_plate")
    spec, errors = state.build()
    assert spec is None
    assert errors == {"support_group": "the pack 2s1p has no group 'base_plate'; its groups: "
                      "ambient, can_0000 … can_0001, cell_0000 … cell_0001, cell_contact, "
                      "cooling_plate, plate_bottom"}  # fmt: skip
    state.set_text("target", "cell")  # the pack's cell alone: its groups are the cell mesh's
    assert state.is_overridden("target") and state.build()[0]["target"] == "cell"
    state.for_design("cell")  # another design: a cell's
    assert state.text("target") == "cell" and not state.is_overridden("target")
    assert "target" not in state.build()[0]


def test_a_cells_study_knows_its_groups() -> None:
    """A cell's groups are known before meshing too (cell_structure_groups); an imported
    geometry has its own file's, so the design's do not judge it."""
    from cellwright.engines.mechanics.setup import cell_structure_groups
    from cellwright.projects.library import Library

    library = Library.load_builtin()
    groups = cell_structure_groups(library.snapshot_for(library.design_for_cell("lg-m50")))
    state = CrushEditing("GB38031-cell")
    state.for_design("cell", groups, "LG M50")
    state.set_text("support", "fixed")
    state.set_text("support_group", "bottom")
    assert state.build()[1] == {}
    state.set_text("support_group", "plate_bottom")
    spec, errors = state.build()
    assert spec is None
    assert errors["support_group"].startswith("the cell LG M50 has no group 'plate_bottom'; its "
                                              "groups: ambient, bottom, can, cap")  # fmt: skip
    state.passed["geometry"] = {"path": "part.step"}
    assert "support_group" not in state.build()[1]


def test_a_fine_roll_without_linear_roll_elements_is_refused_at_its_field() -> None:
    state = CrushEditing("GB38031-cell")
    state.set_text("jelly_roll_mesh_size", "1.2")
    spec, errors = state.build()
    assert spec is None and "linear" in errors["jelly_roll_mesh_size"]
    state.set_text("jelly_roll_elements", "linear")
    spec, errors = state.build()
    assert errors == {} and spec["jelly_roll_mesh_size"] == pytest.approx(1.2e-3)
