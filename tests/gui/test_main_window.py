"""The main window as a person uses it (real X display via pytest-xvfb)."""

from __future__ import annotations

import os

import pytest
from PySide6 import QtCore, QtWidgets

from cellwright.app.jobs import JobState
from cellwright.projects.model import CellDesign, DesignKind, DesignRef, Study
from cellwright.projects.store import Project
from support.screens import screenshot

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def example(example_project):
    return example_project


def test_open_example_and_see_curve_and_scalars(window, example, qtbot) -> None:
    assert window.open_project(example)
    results = window.tree_items("Results")
    assert {i.text(0) for i in results} >= {"LG M50 1C discharge (DFN, lumped thermal)"}
    item = next(i for i in results if i.text(0).startswith("LG M50 1C"))
    window.tree.itemDoubleClicked.emit(item, 0)
    page = window.tabs.currentWidget()
    plot = page.plot_viewer
    assert list(plot.curves) == ["Voltage [V]"]
    _x, y = plot.curves["Voltage [V]"].getData()
    assert y[0] > 4.0 and y[-1] == pytest.approx(2.5, abs=1e-3)
    assert page.table_viewer.cell_text(0, 0) == "Discharge capacity"
    plot.select("Time [s]", ["Voltage [V]", "Cell temperature [K]"])
    assert set(plot.curves) == {"Voltage [V]", "Cell temperature [K]"}
    assert plot.plot.plotItem.getAxis("right").isVisible()  # °C on its own axis
    qtbot.wait(200)
    screenshot(window, "main_window_curve")


def test_crosshair_readout_follows_the_mouse(window, example, qtbot) -> None:
    window.open_project(example)
    result_id = next(r.id for r in window.project.results() if r.name.startswith("LG M50 1C"))
    plot = window.open_result(result_id).plot_viewer
    qtbot.waitExposed(plot.plot)
    centre = plot.plot.viewport().rect().center()
    scene = plot.plot.mapToScene(centre)
    plot._on_mouse_moved(scene)
    assert plot.readout.text().startswith("x = ")


def test_bad_file_is_reported_and_nothing_changes(window, tmp_path) -> None:
    bogus = tmp_path / "notes.cwproj"
    bogus.write_text("hello")
    assert not window.open_project(bogus)
    assert window.project is None
    assert "not a Cellwright project" in window.log.toPlainText()


def _damage_table(path, table: str) -> None:
    """Garbage over the root page of ``table``: the file's header and schema stay intact."""
    import sqlite3

    with sqlite3.connect(path) as db:
        (root,) = db.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
        (page_size,) = db.execute("PRAGMA page_size").fetchone()
    db.close()
    with path.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\x13" * page_size)


@pytest.mark.parametrize("table", ["objects", "array_chunks"])
def test_a_project_damaged_past_its_schema_is_said_and_nothing_is_lost(
    window, tmp_path, table
) -> None:
    """Opening reads the schema only: with its designs' pages damaged the window's tree raised
    "database disk image is malformed" out of File ▸ Open (the working copy left open); with
    its results' arrays damaged it opened, and each result tab said "stored result … is
    damaged" naming the working copy in the recovery folder, not the user's file."""
    import numpy as np

    from cellwright.app.commands import PutObject
    from cellwright.projects.model import Provenance, Result

    saved, damaged = tmp_path / "saved.cwproj", tmp_path / "damaged.cwproj"
    window.new_project()
    window.push(PutObject(window.project, CellDesign(name="My cell")))
    time = np.linspace(0.0, 3600.0, 500)
    provenance = Provenance(engine_id="electrochem.ecm", engine_version="1", spec_hash="")
    window.project.put_result(Result(name="1C", series={"Time [s]": time}, provenance=provenance))
    assert window.save_as(saved) and window.save_as(damaged)
    window.push(PutObject(window.project, CellDesign(name="kept edit")))
    assert window.save_as(saved)
    window.close_project()
    _damage_table(damaged, table)
    before = damaged.read_bytes()
    assert not window.open_project(damaged)
    said = f"{damaged}: the project file is damaged ("
    assert said in window.statusBar().currentMessage()
    assert f"Cannot open project: {said}" in window.log.toPlainText()
    assert window.project is None and window.work is None and window.tabs.count() == 0
    assert damaged.read_bytes() == before  # the file is as it was
    assert not list((tmp_path / "recovery").glob("*.cwproj"))  # no working copy left behind
    assert window.open_project(saved)  # what was saved elsewhere opens, whole
    assert sorted(i.text(0) for i in window.tree_items("Cells")) == ["My cell", "kept edit"]
    assert [i.text(0) for i in window.tree_items("Results")] == ["1C"]


def test_a_damaged_page_the_open_check_misses_is_said_too(window, tmp_path, monkeypatch) -> None:
    """Should a damaged page pass the check at open, the tree's "database disk image is
    malformed" is told as the file's damage, and the working copy is dropped."""
    from cellwright.projects.store import working_copy

    path = tmp_path / "damaged.cwproj"
    with Project.create(path) as project:
        project.put(CellDesign(name="My cell"))
    _damage_table(path, "objects")
    monkeypatch.setattr(working_copy, "_damage", lambda copy: None)
    assert not window.open_project(path)
    assert f"{path}: the project file is damaged (database disk image is malformed)" in (
        window.statusBar().currentMessage()
    )
    assert window.project is None and not list((tmp_path / "recovery").glob("*.cwproj"))


def test_new_project_save_and_reopen(window, tmp_path) -> None:
    window.new_project()
    window.project.put(CellDesign(name="My cell", pybamm_parameter_set="Chen2020"))
    assert window.work.dirty
    target = tmp_path / "mine.cwproj"
    window.save_as(target)
    assert not window.work.dirty and "mine.cwproj" in window.windowTitle()
    window.close_project()
    window.open_project(target)
    assert [i.text(0) for i in window.tree_items("Cells")] == ["My cell"]


def test_run_dialog_validates_inline(window, qtbot) -> None:
    window.new_project()
    dialog = window.make_run_dialog()
    qtbot.addWidget(dialog)
    dialog.select("Library: LG INR21700 M50", "electrochem.pybamm_discharge")
    dialog.form.set_value("c_rate", "50")
    assert not dialog.run_button.isEnabled()
    assert "less than or equal to 20" in dialog.form.error.text()
    dialog.form.set_value("c_rate", "1")
    dialog.form.set_value("ambient_temperature", "25 degC")
    dialog.form.set_value("model", "SPM")
    assert dialog.run_button.isEnabled()
    study = dialog.study()
    assert study.spec["ambient_temperature"] == "25 degC" and study.spec["model"] == "SPM"
    dialog.reject()


def test_spec_form_reads_as_the_trade_writes(qtbot) -> None:
    """Labels spell SOC and C-rate as such ("Assembly Soc", "C Rate" before), and a shipped
    curve's name is shown as itself, not as JSON text in quotes."""
    from cellwright.app.spec_form import SpecForm
    from cellwright.engines.mechanics.swelling_spec import SwellingSpec

    form = SpecForm(SwellingSpec)
    qtbot.addWidget(form)
    layout = form.layout()
    labels = {
        layout.labelForField(e).text() for e in form.editors.values() if layout.labelForField(e)
    }
    assert {"Assembly SOC", "Tie Stiffness [N/m]"} <= labels
    assert form.editors["pad.curve"].text() == "poron-4701-30"
    assert form.values()["pad"]["curve"] == "poron-4701-30"
    form.set_value("pad.curve", '{"strain": [0, 0.5], "stress": [0, 1e6]}')
    assert form.values()["pad"]["curve"] == {"strain": [0, 0.5], "stress": [0, 1e6]}


def test_run_dialogs_open_on_the_design_selected_in_the_tree(window, qtbot) -> None:
    """A user who selects a design (or a study) and asks for a study gets that design, with
    an engine that suits it and a Run button ready, not the first design and engine by name."""
    from cellwright.projects.design.authoring import new_cell, new_pack

    window.new_project()
    cell = new_cell("template:18650", "Cell A")
    window.add_design(new_cell("template:18650", "Another cell"))
    window.add_design(cell)
    window.add_design(new_pack("Pack A", cell.id, 4, 1))

    def opened(make):
        dialog = make()
        qtbot.addWidget(dialog)
        shown = (dialog.design_combo.currentText(), dialog.engine_combo.currentData(),
                 dialog.run_button.isEnabled())  # fmt: skip
        errors.append(dialog.form.error.text())
        dialog.reject()
        return shown

    errors: list[str] = []

    window.select_in_tree("Cells", "Cell A")
    assert opened(window.make_run_dialog) == ("Cell: Cell A", "electrochem.pybamm_discharge", True)
    assert opened(window.make_design_study_dialog)[:2] == (
        "Cell: Cell A",
        "electrochem.pybamm_discharge",
    )
    window.select_in_tree("Packs", "Pack A")
    # a pack's discharge needs its load chosen: the form says which fields give one
    assert opened(window.make_run_dialog) == ("Pack: Pack A", "electrochem.pack", False)
    # a rule across fields, said as such (it read "spec: Value error, give exactly one …")
    assert errors[-1] == "give exactly one of current, c_rate or profile_file"
    window.project.put(Study(name="squeeze", engine="mechanics.crush",
                             design=DesignRef(kind=DesignKind.CELL, id=cell.id)))  # fmt: skip
    window._refresh_tree()
    window.select_in_tree("Studies", "squeeze")
    assert opened(window.make_run_dialog)[:2] == ("Cell: Cell A", "mechanics.crush")


def test_run_study_shows_the_curve_without_freezing(window, qtbot) -> None:
    window.new_project()
    study = Study(
        name="SPM 1C",
        engine="electrochem.pybamm_discharge",
        spec={"model": "SPM", "c_rate": 1},
        design=DesignRef(kind=DesignKind.LIBRARY_CELL, id="lg-m50"),
    )
    ticks = []
    timer = QtCore.QTimer()
    timer.timeout.connect(lambda: ticks.append(job.state))
    timer.start(10)
    job = window.run_study(study)
    # the study runs in a worker process: the window's event loop keeps turning meanwhile (the
    # worst gap is measured by tests/bench/test_window_bench.py)
    assert job.pid is not None and job.pid != os.getpid()
    qtbot.waitUntil(lambda: job.finished, timeout=120000)
    qtbot.waitUntil(lambda: window.tabs.count() == 1, timeout=5000)
    timer.stop()
    assert job.state == JobState.DONE, job.error
    assert ticks.count(JobState.RUNNING) > 3  # the timer fired while the job ran
    assert window.tabs.currentWidget().plot_viewer.curves
    assert [i.text(0) for i in window.tree_items("Results")] == ["SPM 1C"]
    screenshot(window, "main_window_after_run")


def test_cancel_leaves_the_project_unchanged(window, qtbot) -> None:
    from cellwright.engines.electrochem.ecm_parameters import ecm_parameters_from_pybamm

    window.new_project()
    ecm = ecm_parameters_from_pybamm("ECM_Example")
    window.project.put(ecm)
    window.project.put(CellDesign(id="ecm-cell", name="ECM cell", ecm_parameters=ecm.id))
    study = Study(
        name="long",
        engine="electrochem.ecm",
        spec={"current": 0.001, "duration": 4.9e6},
        design=DesignRef(kind=DesignKind.CELL, id="ecm-cell"),
    )
    job = window.run_study(study)
    qtbot.waitUntil(lambda: (job.progress.fraction or 0) > 0, timeout=60000)
    window.jobs.cancel_button(job).click()
    qtbot.waitUntil(lambda: job.finished, timeout=5000)
    qtbot.waitUntil(lambda: "cancelled" in window.jobs.message(job), timeout=2000)
    assert job.state == JobState.CANCELLED
    assert window.project.results() == []
    assert "the project is unchanged" in window.log.toPlainText()


def test_window_layout_and_recent_files_are_remembered(window, example, tmp_path) -> None:
    window.open_project(example)
    window.close()
    from cellwright.app.main_window import MainWindow

    again = MainWindow(tmp_path / "recovery2", window.settings)
    try:
        assert str(example) in window.settings.value("recent", [], list)
        assert next(a.text() for a in again.recent_menu.actions()) == str(example)
    finally:
        again.close()
        again.deleteLater()
        QtWidgets.QApplication.processEvents()
    assert Project  # imported for readers: results live in projects.store


def test_pack_result_shows_cell_fields_in_3d(window, example, qtbot) -> None:
    window.open_project(example)
    result_id = next(r.id for r in window.project.results() if r.name.startswith("4s3p"))
    page = window.open_result(result_id)
    viewer = page.field_viewer
    assert viewer is not None and page.plot_viewer is not None
    viewer.field_combo.setCurrentText("Cell SoC")
    last = viewer.time_slider.maximum()
    viewer.time_slider.setValue(last)
    soc = window.project.get_result(result_id).field("Cell SoC").values
    assert viewer.displayed == pytest.approx(soc[last])
    qtbot.wait(200)
    screenshot(window, "main_window_field")


def test_thermal_result_shows_the_temperature_field_over_time(window, example, qtbot) -> None:
    window.open_project(example)
    result_id = next(r.id for r in window.project.results() if r.name.startswith("LG M50 at 3C"))
    page = window.open_result(result_id)
    viewer = page.field_viewer
    assert viewer is not None
    assert viewer.field_combo.currentText() == "Temperature [°C]"  # stored in K, read in °C
    last = viewer.time_slider.maximum()
    viewer.time_slider.setValue(last)
    temps = window.project.get_result(result_id).field("Temperature [K]").values
    assert viewer.displayed == pytest.approx(temps[last] - 273.15)
    assert temps[last].max() > 300.0  # the 3C discharge warmed the cell
    qtbot.wait(200)
    screenshot(window, "main_window_thermal_cell")
    module = next(r.id for r in window.project.results() if r.name.startswith("4s2p module"))
    page = window.open_result(module)
    page.field_viewer.time_slider.setValue(page.field_viewer.time_slider.maximum())
    qtbot.wait(200)
    screenshot(window, "main_window_thermal_module")


def test_thermal_study_from_the_run_dialog(window, qtbot) -> None:
    window.new_project()
    dialog = window.make_run_dialog()
    qtbot.addWidget(dialog)
    dialog.select("Library: LG INR21700 M50", "thermal.conduction")
    form = dialog.form
    assert "heat.power" in form.editors and "boundaries" in form.editors  # nested and JSON
    form.set_value("duration", "60")
    form.set_value("heat.power", "3")
    form.set_value("boundaries", '[{"group": "nowhere"}]')
    assert dialog.run_button.isEnabled()  # the group is checked against the mesh when run
    form.set_value("boundaries", "[{group: bad json")
    assert not dialog.run_button.isEnabled() and "boundaries" in form.error.text()
    form.set_value("boundaries", '[{"group": "ambient", "h": 25}]')
    assert dialog.run_button.isEnabled()
    study = dialog.study()
    assert study.spec["heat"]["power"] == 3.0 and study.spec["boundaries"][0]["h"] == 25
    dialog.show()
    qtbot.wait(100)
    screenshot(dialog, "run_dialog_thermal")
    dialog.reject()
    job = window.run_study(study)
    qtbot.waitUntil(lambda: job.finished, timeout=120000)
    assert job.state == JobState.DONE, job.error
    qtbot.waitUntil(lambda: window.tabs.count() == 1, timeout=5000)
    page = window.tabs.currentWidget()
    assert page.field_viewer is not None
    assert page.field_viewer.field_combo.currentText() == "Temperature [°C]"  # stored in K
    screenshot(window, "main_window_thermal_run")


def test_a_runs_warnings_reach_the_log(window, qtbot) -> None:
    # the Molicel P42A has only its datasheet in the library: the thermal engine runs on a
    # design estimated from it, and the person at the window must read that somewhere
    window.new_project()
    study = Study(
        name="P42A warm-up",
        engine="thermal.conduction",
        spec={"duration": 20, "time_step": 10},
        design=DesignRef(kind=DesignKind.LIBRARY_CELL, id="molicel-p42a"),
    )
    job = window.run_study(study)
    qtbot.waitUntil(lambda: job.finished, timeout=120000)
    assert job.state == JobState.DONE, job.error
    qtbot.waitUntil(lambda: "finished P42A warm-up" in window.log.toPlainText(), timeout=5000)
    log = window.log.toPlainText()
    assert "P42A warm-up: Molicel INR21700-P42A: the library holds its datasheet" in log


def test_run_dialog_lists_a_broken_plugin_as_unavailable(window, plugin_site, monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(plugin_site))
    window.new_project()
    dialog = window.make_run_dialog()
    combo = dialog.engine_combo
    broken = combo.findData("demo.broken")
    assert broken >= 0 and not combo.model().item(broken).isEnabled()
    assert "No module named" in combo.itemData(broken, QtCore.Qt.ItemDataRole.ToolTipRole)
    assert "engine unavailable: engine 'demo.broken'" in window.log.toPlainText()
    dialog.select("Library: LG M50", "demo.rc_step")
    assert dialog.form is not None
    study = dialog.study()
    assert study.engine == "demo.rc_step" and study.spec["resistance"] == 1.0
    dialog.reject()


def test_a_long_run_message_scrolls_in_three_lines(window, qtbot) -> None:
    """A crush verdict runs to six lines in a laptop's window and took the 3D view's height
    (40 px left at 1280 x 720): the message keeps three lines and scrolls the rest."""
    from support.viewer_data import cylinder_result

    window.new_project()
    result = cylinder_result().model_copy(update={"message": "a long verdict. " * 80})
    window.project.put_result(result)
    page = window.open_result(result.id)
    qtbot.waitUntil(lambda: page.message_area.isVisible(), timeout=5000)
    lines = page.message.fontMetrics().lineSpacing()
    assert page.message_area.height() <= 3 * lines + 6
    assert page.message.text() == result.message  # all of it, scrolled
    assert page.message_area.verticalScrollBar().maximum() > 0
    assert page.field_viewer.plotter.interactor.height() > page.message_area.height()
