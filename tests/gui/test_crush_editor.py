"""The crush study editor in the Run study dialog, as a person fills it in."""

from __future__ import annotations

import pytest
from PySide6 import QtCore, QtWidgets

from cellwright.engines.mechanics.crush_spec import CrushSpec
from support.screens import screenshot

pytestmark = pytest.mark.gui


@pytest.fixture
def dialog(window, qtbot):
    window.new_project()
    dialog = window.make_run_dialog()
    qtbot.addWidget(dialog)
    dialog.select("Library: LG INR21700 M50", "mechanics.crush")
    dialog.show()
    qtbot.waitExposed(dialog)
    yield dialog
    dialog.reject()


def _shown(editor, key: str) -> str:
    widget = editor.editors[key]
    if isinstance(widget, QtWidgets.QComboBox):
        return widget.currentText()
    if isinstance(widget, QtWidgets.QCheckBox):
        return "yes" if widget.isChecked() else "no"
    return widget.text()


def test_a_standard_fills_the_fields_and_an_override_is_marked(dialog, qtbot) -> None:
    editor = dialog.form
    combo = editor.standard_combo
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert any(t.startswith("GB38031-cell — GB 38031-2020 §8.1.6") for t in labels)
    editor.choose_standard("GB38031-cell")
    shown = {k: _shown(editor, k) for k in ("indenter.kind", "indenter.radius", "speed",
                                             "max_force", "max_deformation", "weight_factor",
                                             "stop_at_short")}  # fmt: skip
    assert shown == {"indenter.kind": "semicylinder", "indenter.radius": "75", "speed": "2",
                     "max_force": "100", "max_deformation": "15", "weight_factor": "1000",
                     "stop_at_short": "yes"}  # fmt: skip
    assert not editor.editors["indenter.spacing"].isEnabled()  # only three semicylinders
    assert "prescribes: R75 semicylinder" in editor.prescribes.text()
    row = editor.rows["max_force"]
    assert not row.reset.isVisible()
    qtbot.keyClicks(editor.editors["max_force"], "", delay=-1)
    editor.editors["max_force"].clear()
    qtbot.keyClicks(editor.editors["max_force"], "80")
    editor.set_value("indenter.axis", "x")
    assert editor.is_overridden("max_force") and row.label.font().bold() and row.reset.isVisible()
    assert editor.summary.text() == (
        "R75 semicylinder along x, through the plates at 2 mm/s, "
        "stops at 15 % / 80 kN / 1000 × weight / short"
    )
    study = dialog.study()
    assert study.engine == "mechanics.crush"
    assert study.spec == {"standard": "GB38031-cell", "max_force": 80e3,
                          "indenter": {"kind": "semicylinder", "axis": "x"}}  # fmt: skip
    preset = CrushSpec.model_validate(study.spec).preset()
    assert preset.max_force == 80e3 and preset.indenter.radius == 0.075
    qtbot.wait(50)
    screenshot(dialog, "crush_editor_gb38031")
    row.reset.click()
    assert _shown(editor, "max_force") == "100" and not editor.is_overridden("max_force")


def test_un38_3_shows_the_plate_and_13_kn(dialog) -> None:
    editor = dialog.form
    editor.set_value("max_force", "50")
    editor.choose_standard("UN38.3-T6")  # the new standard's prescriptions replace overrides
    assert _shown(editor, "indenter.kind") == "plate"
    assert _shown(editor, "max_force") == "13"
    assert _shown(editor, "speed") == "15"
    assert not editor.editors["indenter.radius"].isEnabled()
    assert editor.summary.text() == (
        "flat plate, through the plates at 15 mm/s, stops at 50 % / 13 kN / short"
    )
    assert dialog.study().spec == {"standard": "UN38.3-T6"}


def test_the_t6_impact_shows_its_bar_and_drop(dialog, qtbot) -> None:
    """The LG M50 is 21 mm across, so UN 38.3 T6 is its impact: a 15.8 mm bar and 9.1 kg
    dropped from 610 mm, stopping once the cell has absorbed that energy."""
    editor = dialog.form
    editor.choose_standard("UN38.3-T6-impact")
    assert _shown(editor, "indenter.kind") == "rod"
    assert _shown(editor, "indenter.radius") == "7.9"
    assert _shown(editor, "drop_mass") == "9.1" and _shown(editor, "drop_height") == "610"
    assert editor.summary.text() == (
        "R7.9 rod across the part, through the plates at 3459 mm/s, "
        "stops at 9.1 kg from 610 mm absorbed / 90 % travel (engine's limit)"
    )
    editor.set_value("drop_height", "300")
    assert editor.is_overridden("drop_height")
    assert dialog.study().spec == {"standard": "UN38.3-T6-impact", "drop_height": 0.3}
    qtbot.wait(50)
    screenshot(dialog, "crush_editor_t6_impact")
    # the metals' rate hardening at the strike's strain rates: on, and one click takes it off
    rate = editor.editors["rate_hardening"]
    assert rate.isEnabled() and _shown(editor, "rate_hardening") == "yes"
    dialog.findChild(QtWidgets.QScrollArea).ensureWidgetVisible(rate)
    # on its box: a check box without a label takes clicks on the box only
    box = QtCore.QPoint(8, rate.height() // 2)
    qtbot.mouseClick(rate, QtCore.Qt.MouseButton.LeftButton, pos=box)
    assert _shown(editor, "rate_hardening") == "no"
    assert dialog.study().spec == {
        "standard": "UN38.3-T6-impact",
        "drop_height": 0.3,
        "rate_hardening": False,
    }
    qtbot.wait(50)
    screenshot(dialog, "crush_editor_t6_rate_off")
    # a squeeze has no strike: the row is greyed out
    editor.choose_standard("GB38031-cell")
    assert not rate.isEnabled()


def test_an_invalid_entry_disables_run_and_says_why(dialog, qtbot) -> None:
    editor = dialog.form
    assert dialog.run_button.isEnabled()
    editor.set_value("max_deformation", "120")
    row = editor.rows["max_deformation"]
    assert not dialog.run_button.isEnabled() and dialog.study() is None
    assert row.error.isVisible() and row.error.text() == "must be less than 95 %"
    editor.set_value("max_deformation", "ten")
    assert row.error.text() == "'ten' is not a number in %"
    editor.set_value("support", "fixed")  # the spec's own rule, shown at the field it names
    assert editor.rows["support_group"].error.text() == "a fixed support needs a group"
    dialog.form_holder.ensureWidgetVisible(row.line)
    qtbot.wait(50)
    screenshot(dialog, "crush_editor_invalid")
    editor.set_value("max_deformation", "20")
    editor.set_value("support_group", "can")
    assert dialog.run_button.isEnabled()
    assert dialog.study().spec == {"standard": "GB38031-cell", "max_deformation": 0.2,
                                   "support": "fixed", "support_group": "can"}  # fmt: skip


def test_a_preset_stop_is_switched_off_and_back_on(dialog, qtbot) -> None:
    """GB 38031's 1000 × weight stop switched off to squeeze on until the cell shorts; switching
    every stop off is refused at the field, and ticking the box brings the standard's value back."""
    from PySide6 import QtCore

    editor = dialog.form
    row = editor.rows["weight_factor"]
    assert row.switch.isVisible() and row.switch.isChecked() and row.switch.text() == "on"
    qtbot.mouseClick(row.switch, QtCore.Qt.MouseButton.LeftButton)
    assert not row.switch.isChecked()
    assert _shown(editor, "weight_factor") == "off" and not row.editor.isEnabled()
    assert row.label.font().bold() and row.reset.isVisible()
    assert editor.summary.text() == (
        "R75 semicylinder across the part, through the plates at 2 mm/s, "
        "stops at 15 % / 100 kN / short; switched off: 1000 × weight"
    )
    assert dialog.run_button.isEnabled()
    study = dialog.study()
    assert study.spec == {"standard": "GB38031-cell", "weight_factor": "off"}
    preset = CrushSpec.model_validate(study.spec).preset()
    assert preset.weight_factor is None and preset.max_force == 100e3
    for key in ("max_force", "max_deformation"):  # every stop off: refused where it is said
        qtbot.mouseClick(editor.rows[key].switch, QtCore.Qt.MouseButton.LeftButton)
    short = editor.editors["stop_at_short"]  # a box without text: click its indicator
    qtbot.mouseClick(
        short, QtCore.Qt.MouseButton.LeftButton, pos=QtCore.QPoint(6, short.height() // 2)
    )
    assert _shown(editor, "stop_at_short") == "no"
    error = editor.rows["max_force"].error
    assert error.isVisible() and error.text().startswith(
        "switching off max_force and max_deformation and weight_factor and stop_at_short "
        "leaves the GB38031-cell run with no stop"
    )
    assert not dialog.run_button.isEnabled() and dialog.study() is None
    dialog.form_holder.ensureWidgetVisible(error)
    qtbot.wait(50)
    screenshot(dialog, "crush_editor_stops_off")
    qtbot.mouseClick(editor.rows["max_force"].switch, QtCore.Qt.MouseButton.LeftButton)
    assert _shown(editor, "max_force") == "100" and editor.editors["max_force"].isEnabled()
    assert not editor.is_overridden("max_force") and not error.isVisible()
    assert dialog.run_button.isEnabled()
    assert dialog.study().spec == {"standard": "GB38031-cell", "weight_factor": "off",
                                   "max_deformation": "off", "stop_at_short": False}  # fmt: skip
    editor.choose_standard("R100-8D")  # it prescribes no deformation: nothing to switch off
    assert not editor.rows["max_deformation"].switch.isVisible()
    assert editor.rows["max_force"].switch.isChecked() and _shown(editor, "max_force") == "100"
    assert dialog.study().spec == {"standard": "R100-8D"}


def test_a_nail_gets_its_contact_refinement(dialog, qtbot) -> None:
    """The refinement a nail's refusal names is in the editor, beside the mesh size; its
    radius only means something once a size is typed."""
    editor = dialog.form
    editor.set_value("indenter.kind", "nail")
    assert _shown(editor, "indenter.radius") == "1.5"  # a 3 mm nail, not GB 38031's R75
    assert editor.summary.text().startswith("R1.5 nail with a 60° tip")
    assert editor.editors["contact_mesh_size"].isEnabled()
    assert editor.editors["contact_mesh_size"].placeholderText() == "no refinement"
    assert not editor.editors["contact_mesh_radius"].isEnabled()
    qtbot.keyClicks(editor.editors["contact_mesh_size"], "0.5")
    assert editor.editors["contact_mesh_radius"].isEnabled()
    editor.editors["contact_mesh_radius"].clear()
    qtbot.keyClicks(editor.editors["contact_mesh_radius"], "0.15")
    spec = dialog.study().spec
    assert spec["contact_mesh_size"] == pytest.approx(5e-4)
    assert spec["contact_mesh_radius"] == pytest.approx(0.15)
    assert spec["indenter"] == {"kind": "nail"}
    qtbot.wait(50)
    screenshot(dialog, "crush_editor_nail_refined")
