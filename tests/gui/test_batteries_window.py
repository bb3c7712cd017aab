"""Physical batteries in the window: the timeline, the SOH curve with its band and forecast,
the passport form with access levels, and exports per level — used as a person would."""

from __future__ import annotations

import json

import pytest

from support.screens import screenshot
from support.twin_project import battery_project

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def project_file(tmp_path_factory):
    return battery_project(tmp_path_factory.mktemp("batteries"))


def _open(window, qtbot, project_file):
    from PySide6 import QtCore

    assert window.open_project(project_file)
    (item,) = window.tree_items("Batteries")
    assert item.text(0) == "ECM-001"
    window.tree.scrollToItem(item)
    rect = window.tree.visualItemRect(item)
    viewport, left = window.tree.viewport(), QtCore.Qt.MouseButton.LeftButton
    qtbot.mouseClick(viewport, left, pos=rect.center())
    qtbot.mouseDClick(viewport, left, pos=rect.center())
    tab = window.tabs.currentWidget()
    assert tab.serial == "ECM-001"
    return tab


def test_timeline_and_soh_curve(window, qtbot, project_file):
    tab = _open(window, qtbot, project_file)
    timeline = tab.timeline
    assert set(timeline.marks) >= {"registered", "manufacturing", "telemetry", "estimate"}
    assert len(timeline.spans) == 4
    assert timeline.table.rowCount() == len(timeline.events)
    assert timeline.table.item(0, 1).text() == "registered"
    qtbot.wait(150)
    screenshot(tab, "battery_timeline")
    tab.setCurrentIndex(1)
    qtbot.waitUntil(lambda: tab.soh_view is not None, timeout=30000)
    view = tab.soh_view
    assert {"band", "fit", "manufacturing", "ekf", "threshold", "rul"} <= set(view.items)
    assert "forecast crossing" in view.summary.text()
    qtbot.wait(150)
    screenshot(tab, "battery_soh")


def test_passport_form_and_exports(window, qtbot, project_file, tmp_path):
    from cellwright.projects.passport.exchange import validate_file

    tab = _open(window, qtbot, project_file)
    tab.setCurrentIndex(2)
    form = tab.passport_form
    assert form.table.rowCount() == 93
    assert form.cell_text(51, 1) == "Rated capacity" and form.cell_text(51, 2) == "public"
    assert form.cell_text(51, 4) == "design"  # the ECM's capacity, with its provenance
    assert form.cell_text(52, 2) == "legitimate-interest" and form.cell_text(52, 4) == "twin"
    form.level_filter.setCurrentText("authority")
    assert form.visible_numbers() == [18]
    form.level_filter.setCurrentText("all levels")
    qtbot.wait(150)
    screenshot(tab, "battery_passport")
    for level in ("public", "legitimate-interest", "authority"):
        path = tmp_path / f"{level}.json"
        assert window.export_passport_file("ECM-001", level, "battery-pass", path) == []
        kind, problems = validate_file(path)
        assert (kind, problems) == ("battery-pass", [])
    public = json.loads((tmp_path / "public.json").read_text())
    assert "remainingCapacity" not in json.dumps(public)
    assert "remainingCapacity" in (tmp_path / "authority.json").read_text()


def test_estimate_now_runs_off_the_ui_thread(window, qtbot, project_file):
    tab = _open(window, qtbot, project_file)
    thread = window.estimate_battery(tab)
    assert tab.soh_status.text() == "estimating …"
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=60000)
    qtbot.waitUntil(lambda: tab.soh_view is not None, timeout=30000)


def test_estimate_now_refreshes_the_timeline_and_the_passport(
    window, qtbot, project_file, tmp_path
):
    import shutil

    from cellwright.projects.passport.records import import_events
    from cellwright.projects.store import Project

    path = tmp_path / "grown.cwproj"
    shutil.copy(project_file, path)
    service = tmp_path / "service.csv"
    service.write_text(
        "time,kind,description,capacity_ah\n2025-01-01T00:00:00Z,service,check,90.0\n", "utf-8"
    )
    with Project.open(path) as p:
        import_events(p, service, "ECM-001")  # the history grew since its last estimate
    tab = _open(window, qtbot, path)
    before = len(tab.timeline.events)
    thread = window.estimate_battery(tab)
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=60000)
    # the tab collects the estimate on its own timer, after the thread has ended
    qtbot.waitUntil(lambda: len(tab.timeline.events) > before, timeout=30000)
    qtbot.waitUntil(lambda: tab.soh_view is not None, timeout=30000)
    # the timeline lacked the new estimate and the form showed the values from before it
    events = tab.timeline.events
    assert len(events) == before + 1 and events[-1].kind == "estimate"
    assert tab.widget(0) is tab.timeline and tab.widget(2) is tab.passport_form
    assert tab.passport_form.cell_text(52, 5).startswith(f"estimate event {events[-1].seq}:")
    assert tab.passport_form.cell_text(52, 3) == "90.0"


def test_export_status_tells_missing_values_from_refused_ones(window, tmp_path, fixtures_dir):
    from cellwright.projects.passport.batteries import add_battery
    from cellwright.projects.passport.exchange import import_passport_file
    from cellwright.projects.store import Project
    from support.passports import catenax_example, write_json

    catenax = catenax_example(fixtures_dir)

    path = tmp_path / "imported.cwproj"
    with Project.create(path) as p:
        add_battery(p, "CX-1")
        # its category 'SLI' and its material list are kept in forms Battery Pass refuses
        import_passport_file(p, "CX-1", write_json(tmp_path, catenax))
    assert window.open_project(path)
    problems = window.export_passport_file("CX-1", "authority", "battery-pass", tmp_path / "x.json")
    missing = sum(1 for problem in problems if problem.missing)
    assert 0 < missing < len(problems)
    assert window.statusBar().currentMessage() == (
        f"exported the authority passport of CX-1 ({missing} required values missing, "
        f"{len(problems) - missing} values the schema refuses)"
    )
