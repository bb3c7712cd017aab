"""A pack designer's crush study in the window: a 2s1p pack of prismatic-template cells on its
cooling plate, squeezed by GB 38031's module semicylinder while the plate is held, from the Run
study dialog through the live curve to the deformed, strain-coloured pack; cancelled on the way
it leaves the window usable."""

from __future__ import annotations

import pytest

from support.screens import screenshot

pytestmark = pytest.mark.gui

PACK = "2s1p"


@pytest.fixture
def pack_window(window):
    from cellwright.projects.design.authoring import new_cell, new_pack

    window.new_project()
    cell = new_cell("template:prismatic", "Prism", window.project, window.library)
    window.add_design(cell)
    pack = new_pack(PACK, cell.id, 2, 1, ("cooling_plate",), window.project, window.library)
    window.add_design(pack)
    return window


def _module_squeeze(window, qtbot, travel: str = "0.3"):
    """The Run study dialog on the pack: GB 38031's module squeeze, a short travel, the cooling
    plate held."""
    dialog = window.make_run_dialog()
    qtbot.addWidget(dialog)
    dialog.select(f"Pack: {PACK}", "mechanics.crush")
    dialog.show()
    qtbot.waitExposed(dialog)
    editor = dialog.form
    editor.choose_standard("GB38031-module")
    editor.set_value("max_travel", travel)
    editor.set_value("support", "fixed")
    editor.set_value("support_group", "cooling_plate")
    return dialog


def test_a_packs_study_squeezes_the_pack_and_names_its_groups(pack_window, qtbot) -> None:
    """The target read "cell" for a pack, so the job meshed the pack's lone cell and failed
    after meshing with "no group 'cooling_plate'" in the log. A group the pack has not is now
    refused at its field, with the pack's groups, before anything runs."""
    dialog = _module_squeeze(pack_window, qtbot)
    editor = dialog.form
    assert editor.rows["target"].text() == "pack" and not editor.is_overridden("target")
    assert dialog.run_button.isEnabled()
    assert dialog.study().spec == {"standard": "GB38031-module", "target": "pack",
                                   "max_travel": 3e-4, "support": "fixed",
                                   "support_group": "cooling_plate"}  # fmt: skip
    assert "cooling_plate" in editor.editors["support_group"].toolTip()
    qtbot.wait(50)
    screenshot(dialog, "pack_crush_editor")
    editor.set_value("support_group", "base_plate")
    row = editor.rows["support_group"]
    assert not dialog.run_button.isEnabled() and dialog.study() is None
    assert row.error.isVisible() and row.error.text() == (
        "the pack 2s1p has no group 'base_plate'; its groups: ambient, can_0000 … can_0001, "
        "cell_0000 … cell_0001, cell_contact, channel_walls, cooling_plate, plate_bottom"
    )
    dialog.form_holder.ensureWidgetVisible(row.line)
    qtbot.wait(50)
    screenshot(dialog, "pack_crush_editor_unknown_group")
    dialog.select("Library: LG INR21700 M50", "mechanics.crush")  # a cell: its own groups
    assert editor.rows["target"].text() == "cell" and row.error.isVisible()
    assert row.error.text().startswith("the cell LG INR21700 M50 has no group 'base_plate'; "
                                       "its groups: ambient, bottom, can, cap")  # fmt: skip
    editor.set_value("support_group", "bottom")
    assert not row.error.isVisible() and dialog.run_button.isEnabled()
    dialog.reject()


@pytest.mark.slow
def test_the_module_squeeze_runs_and_shows_its_dent(pack_window, qtbot) -> None:
    """The whole run through the window's job runner (about 80 s here: 3.5k tetrahedra)."""
    window = pack_window
    dialog = _module_squeeze(window, qtbot)
    study = dialog.study()
    dialog.reject()
    job = window.run_study(study)
    live = window.jobs.live
    seen = []

    def finished() -> bool:
        if live.isVisible():
            seen.append(live.points()[0].size)
        return job.finished

    qtbot.waitUntil(finished, timeout=300000)
    assert job.state == "done", job.error
    assert max(seen, default=0) >= 2  # the curve grew while it ran
    # the result's tab opens a moment after the job ends: on a quick run (13 s with the numba
    # cache warm) the preview was still the current tab when this looked
    qtbot.waitUntil(lambda: hasattr(window.tabs.currentWidget(), "plot_viewer"), timeout=60000)
    page = window.tabs.currentWidget()
    assert "stopped by the study's own travel 0.3 mm reached" in page.message.text()
    x, y = page.plot_viewer.curves["Force [N]"].getData()
    assert x.size >= 2 and x[-1] == pytest.approx(3e-4) and y[-1] > 1e3
    viewer = page.field_viewer
    assert viewer.field_combo.currentText() == "Equivalent plastic strain [-]"
    assert viewer.deformed_box.isChecked()
    assert {"can_0000", "can_0001", "cooling_plate"} <= set(page.result.meshes["design"].cell_sets)
    assert "New study: mesh: " in window.log.toPlainText()
    qtbot.wait(200)
    screenshot(page.plot_viewer, "pack_crush_curve")
    screenshot(viewer, "pack_crush_deformed")


@pytest.mark.slow
def test_cancel_during_the_squeeze_leaves_the_window_usable(pack_window, qtbot) -> None:
    window = pack_window
    dialog = _module_squeeze(window, qtbot, travel="3")
    study = dialog.study()
    dialog.reject()
    job = window.run_study(study)
    qtbot.waitUntil(lambda: job.state == "running", timeout=60000)
    qtbot.wait(3000)  # into the meshing
    window.jobs.cancel_button(job).click()
    qtbot.waitUntil(lambda: job.finished, timeout=20000)
    assert job.state == "cancelled"
    log = window.log  # the dock's next 100 ms tick reports it
    qtbot.waitUntil(lambda: "cancelled New study; the project is unchanged" in log.toPlainText())
    assert window.project.results() == []
    again = _module_squeeze(window, qtbot)  # the window still takes the next study
    assert again.run_button.isEnabled()
    again.reject()
