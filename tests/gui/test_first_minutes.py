"""The first minutes, as a new user meets them: the welcome page and its actions, the example
built in the background while the window is usable, results that open where they are
interesting, help, tooltips and exports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6 import QtCore, QtWidgets

from cellwright.app.example_project import report_path
from cellwright.projects.store import Project
from support.screens import SCREENSHOTS, colour_spread, screenshot

pytestmark = pytest.mark.gui


@pytest.fixture
def example(example_project, tmp_path) -> Path:
    return Path(shutil.copy(example_project, tmp_path / "example.cwproj"))


def test_welcome_page_when_no_project_is_open(window, example, qtbot) -> None:
    assert window.central.currentWidget() is window.welcome
    assert window.welcome.isVisible()
    # a first run: no recent projects, so a hint in place of an empty box
    assert window.welcome.no_recent.isVisible() and not window.welcome.recent.isVisible()
    assert "Open example" in window.welcome.no_recent.text()
    screenshot(window, "welcome_page")
    window.welcome.buttons["new"].click()
    assert window.project is not None and window.central.currentWidget() is window.tabs
    window.close_project()
    assert window.central.currentWidget() is window.welcome
    window._remember_recent(example)
    window.update_central()
    recent = window.welcome.recent
    assert recent.count() == 1 and recent.item(0).text() == str(example)
    assert recent.isVisible() and not window.welcome.no_recent.isVisible()
    window.welcome.recent_requested.emit(recent.item(0).text())
    assert window.project is not None and window.windowTitle().startswith("example.cwproj")


def test_open_example_opens_it_with_its_results(window, example) -> None:
    window.open_example(example)
    assert window.tabs.count() == len(window.project.results())
    assert window.central.currentWidget() is window.tabs


@pytest.mark.slow  # the whole build again (~9 min); the two tests below cover it in make test
@pytest.mark.builds_example
def test_the_example_is_built_in_the_background_while_the_window_is_usable(
    window, qtbot, tmp_path
) -> None:
    target = tmp_path / "built" / "example.cwproj"
    window.open_example(target)
    assert window.example_build is not None and not window.example_build.done
    qtbot.waitUntil(lambda: window.welcome.example_progress.isVisible(), timeout=20000)
    assert not window.welcome.buttons["example"].isEnabled()
    assert "Building the example" in window.welcome.buttons["example"].text()
    window.open_library_browser()  # the window answers while the engines work
    assert window.tabs.count() == 1 or window.library is not None
    qtbot.waitUntil(lambda: window.example_build is None, timeout=1400000)
    assert target.exists() and window.project is not None
    assert report_path(target).read_bytes()[:5] == b"%PDF-"  # its report beside it (README)
    assert window.tabs.count() >= len(window.project.results())


def test_the_example_build_reports_progress_and_stops_when_the_window_closes(
    window, qtbot, tmp_path
) -> None:
    """The real build in its own process: its engines' progress reaches the welcome page while
    the window answers, and closing the window stops it with nothing left in place."""
    target = tmp_path / "built" / "example.cwproj"
    window.open_example(target)
    build = window.example_build
    assert build is not None and not build.done
    qtbot.waitUntil(lambda: window.welcome.example_progress.isVisible(), timeout=20000)
    assert not window.welcome.buttons["example"].isEnabled()
    assert "Building the example" in window.welcome.buttons["example"].text()
    window.open_library_browser()  # the window answers while the engines work
    assert window.tabs.count() == 1 or window.library is not None
    qtbot.waitUntil(lambda: build.progress[0] > 0.0, timeout=120000)  # an engine reported
    assert "starting" not in build.progress[1]
    window.close()
    qtbot.waitUntil(lambda: build.done, timeout=30000)
    assert not build._process.is_alive() and not target.exists()


def test_a_finished_example_build_opens_with_its_results_and_report(
    window, qtbot, tmp_path, example_project, monkeypatch
) -> None:
    """What the build process does once its engines are done, in a thread here (the session's
    example stands for the engines' output): the report is written beside the project, and the
    window opens it with its results."""
    import queue as queue_module
    import threading

    import cellwright.app.example_project as example_module
    import cellwright.app.worker_process as worker_process

    monkeypatch.setattr(
        example_module, "build", lambda path, progress=None: shutil.copy(example_project, path)
    )

    def in_thread(target, args, name, receive, finished):
        messages = queue_module.Queue()

        def run() -> None:
            target(*args, messages)
            while not messages.empty():
                receive(*messages.get())
            finished()

        threading.Thread(target=run, daemon=True, name=name).start()

    monkeypatch.setattr(worker_process, "start_worker", in_thread)
    target = tmp_path / "built" / "example.cwproj"
    target.parent.mkdir()
    window.open_example(target)
    qtbot.waitUntil(lambda: window.example_build is None, timeout=300000)
    assert target.exists() and window.project is not None
    assert report_path(target).read_bytes()[:5] == b"%PDF-"  # its report beside it (README)
    assert window.tabs.count() >= len(window.project.results())


def test_runaway_result_opens_on_maximum_temperature_at_onset(window, example, qtbot) -> None:
    window.open_project(example)
    name = "LG M50 nail penetration: thermal runaway (Kim 2007 kinetics)"
    result_id = next(r.id for r in window.project.results() if r.name == name)
    with Project.open(example, readonly=True) as opened:
        onset = opened.get_result(result_id).scalars["First onset time [s]"]
    page = window.open_result(result_id)
    assert page.plot_viewer.y_list.selectedItems()[0].text() == "Maximum temperature [°C]"
    viewer = page.field_viewer
    time = viewer.field.times[viewer.time_index]
    assert abs(time - onset) <= max(abs(viewer.field.times[1] - viewer.field.times[0]), 1e-9)
    assert "first onset time" in page.note.text()
    qtbot.wait(300)
    path = viewer.save_screenshot(SCREENSHOTS / "runaway_at_onset.png")
    share, colours = colour_spread(path)
    assert share < 0.6 and colours >= 8, (share, colours)


def test_the_squeeze_opens_on_its_force_displacement_curve_at_the_short(window, example) -> None:
    """As an engineer reads a crush: force against travel, the part's plastic strain, at the
    moment it shorts, the header saying where the indenter was."""
    window.open_project(example)
    result_id = next(r.id for r in window.project.results()
                     if r.name.startswith("GB 38031 squeeze"))  # fmt: skip
    page = window.open_result(result_id)
    plot = page.plot_viewer
    assert plot.x_combo.currentText() == "Displacement [m]"
    assert [i.text() for i in plot.y_list.selectedItems()] == ["Force [N]"]
    assert page.field_viewer.field_combo.currentText() == "Equivalent plastic strain [-]"
    onset = page.result.scalars["Short-circuit onset displacement [m]"]
    note = page.note.text()
    assert f"at {onset * 1e3:.3g} mm, t = " in note and "short-circuit onset time" in note
    table = page.table_viewer.table  # the value column beside the curve is in sight
    assert table.horizontalHeader().sectionViewportPosition(1) < table.viewport().width()


def test_the_first_picture_of_every_result_shows_structure(window, example, qtbot) -> None:
    window.open_project(example)
    for info in window.project.results():
        page = window.open_result(info.id)
        qtbot.wait(200)
        slug = "".join(c if c.isalnum() else "_" for c in info.name)[:40]
        if page.field_viewer is not None:
            share, colours = colour_spread(page.field_viewer.save_screenshot(
                SCREENSHOTS / f"first_view_{slug}.png"))  # fmt: skip
            assert share < 0.6 and colours >= 8, (info.name, share, colours)
        if page.plot_viewer is not None:
            path = page.plot_viewer.export_png(SCREENSHOTS / f"first_plot_{slug}.png")
            share, colours = colour_spread(path)
            assert colours >= 3, (info.name, share, colours)


def test_help_pages_and_shortcuts(window) -> None:
    from cellwright.resources import ROOT

    tour = window.show_help("tour")
    assert "Getting started with Cellwright" in tour.browser.toPlainText()
    tour.close()
    shortcuts = window.show_help("shortcuts")
    text = shortcuts.browser.toPlainText()
    assert "New cell design" in text and "Ctrl+Shift+N" in text and "Getting started" in text
    shortcuts.close()
    docs = Path(__file__).resolve().parents[2] / "docs" / "tour.md"
    assert docs.read_text() == (ROOT / "help" / "tour.md").read_text()  # the same text


def test_every_field_says_its_unit_range_and_source(window) -> None:
    window.new_project()
    window.select_in_tree("Library", "LG INR21700 M50")
    tip = window.properties.editors["nominal_capacity"].toolTip()
    assert "Unit: A.h" in tip and "Allowed: 0 < value ≤ 2000" in tip and "Source:" in tip
    from cellwright.projects.design.templates import new_cell_from_template

    window.add_design(new_cell_from_template("21700", "T"))
    tip = window.properties.editors["positive.porosity"].toolTip()
    assert "Allowed: 0.05 ≤ value ≤ 0.8" in tip
    material_tip = window.properties.editors["positive.active_material"].combo.toolTip()
    assert "Noh et al. 2013" in material_tip or "Nitta" in material_tip


def test_exports_from_a_result_tab(window, example, tmp_path) -> None:
    from openpyxl import load_workbook

    window.open_project(example)
    name = "LG M50 at 3C: 3D temperature (PyBaMM DFN heat, one-way)"
    window.open_result(next(r.id for r in window.project.results() if r.name == name))
    book = load_workbook(window.export_current(tmp_path / "r.xlsx"))
    assert book.sheetnames == ["Series", "Scalars", "Provenance"]
    assert book["Series"].cell(1, 1).value == "Time [s]"
    svg = window.export_current(tmp_path / "plot.svg")
    assert svg.read_text().lstrip().startswith("<?xml") and "<svg" in svg.read_text()
    pvd = window.export_current(tmp_path / "fields" / "t.pvd")
    assert pvd.suffix == ".pvd" and len(list(pvd.parent.glob("*.vtu"))) > 1
    view = window.export_current(tmp_path / "view.png", "view")
    assert view.read_bytes()[:4] == b"\x89PNG"
    button = window.tabs.currentWidget().findChild(QtWidgets.QToolButton)
    first = button.menu().actions()[0]
    assert first.text().replace("&", "").startswith("Plotted")
    assert QtCore.QFileInfo(str(pvd)).exists()


def test_the_documentation_screenshots_are_made_from_the_example(example, tmp_path) -> None:
    from cellwright.app.screenshots import SHOTS, take_screenshots

    written = take_screenshots(example, tmp_path / "shots")
    names = [p.stem for p in written]
    assert set(names) <= set(SHOTS) and {"welcome", "builder", "thermal_field"} <= set(names)
    for path in written:  # not blank; pictures of results are not one colour either
        share, colours = colour_spread(path)
        assert colours > 20 and (path.stem == "welcome" or share < 0.9), (path.name, share)
