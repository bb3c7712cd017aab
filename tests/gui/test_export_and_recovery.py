"""Export from the window, viewers' own exports, and crash recovery of unsaved work."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from cellwright.app.commands import PutObject
from cellwright.projects.model import CellDesign
from cellwright.projects.store import Project, open_for_editing, recoverable_projects

pytestmark = pytest.mark.gui


def test_export_csv_and_png_of_a_result(window, tmp_path, example_project) -> None:
    import shutil

    example = Path(shutil.copy(example_project, tmp_path / "ex.cwproj"))
    window.open_project(example)
    result_id = next(r.id for r in window.project.results() if r.name.startswith("LG M50 1C"))
    window.open_result(result_id)
    out = window.export_current(tmp_path / "voltage.csv")
    rows = list(csv.reader(out.read_text().splitlines()))
    assert rows[0] == ["Time [s]", "Voltage [V]"] and float(rows[-1][1]) == pytest.approx(2.5)
    png = window.export_current(tmp_path / "voltage.png")
    assert png.read_bytes()[:4] == b"\x89PNG"
    page = window.tabs.currentWidget()
    page.table_viewer.table.selectAll()
    copied = page.table_viewer.copy_selection()
    assert copied.splitlines()[0].startswith("Discharge capacity\t4.9")
    page.table_viewer.export_csv(tmp_path / "scalars.csv")
    assert "Discharge energy" in (tmp_path / "scalars.csv").read_text()


def test_unsaved_work_is_recovered_after_a_crash(window, tmp_path) -> None:
    original = tmp_path / "design.cwproj"
    Project.create(original).close()
    # a session that died: its working copy stays in the recovery folder with a dead pid
    crashed = open_for_editing(original, window.recovery_dir)
    crashed.project.put(CellDesign(name="unsaved cell"))
    crashed.project.close()
    note = next(window.recovery_dir.glob("*.json"))
    note.write_text(json.dumps({**json.loads(note.read_text()), "pid": 999999999}))
    [entry] = recoverable_projects(window.recovery_dir)
    assert window.open_project(entry.copy)
    assert [i.text(0) for i in window.tree_items("Cells")] == ["unsaved cell"]
    window.push(PutObject(window.project, CellDesign(name="second")))
    window.work.original = entry.original
    window.save()
    with Project.open(original, readonly=True) as saved:
        assert {c.name for c in saved.list("cell")} == {"unsaved cell", "second"}


def test_fields_for_paraview_are_written_in_the_background(window, qtbot, tmp_path,
                                                           monkeypatch) -> None:  # fmt: skip
    """Export ▸ Fields for ParaView ran on the UI thread: a runaway's 157 steps froze the window
    for ~20 s. It is a job now, with progress and Cancel, and its files carry the chosen name."""
    from PySide6 import QtWidgets

    from support.viewer_data import cylinder_result

    window.new_project()
    result = cylinder_result()
    window.project.put_result(result)
    window.open_result(result.id)
    target = tmp_path / "out" / "my run.pvd"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))  # fmt: skip
    window._on_export_triggered("vtu")
    [task] = [job for job in window.jobs.jobs if job.title.startswith("Export analytic cylinder")]
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    qtbot.waitUntil(lambda: "exported" in window.log.toPlainText(), timeout=5000)
    assert task.result == tmp_path / "out" / "my_run.pvd"
    assert len(list((tmp_path / "out").glob("my_run_*.vtu"))) == len(result.fields[0].times)
    assert str(task.result) in window.log.toPlainText()
