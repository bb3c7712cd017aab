"""File ▸ Export report: pick a design and its studies, watch the progress, look at the pages,
save the PDF — while the window stays responsive."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6 import QtCore, QtWidgets

from cellwright.projects.design import design_report
from cellwright.projects.design.resolve import find_design
from cellwright.projects.store import Project
from support.screens import screenshot

pytestmark = pytest.mark.gui


def _menu_action(window, text: str):
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    return next(a for a in file_menu.actions() if a.text() == text)


def _open_dialog(window):
    _menu_action(window, "Export &report…").trigger()
    return next(w for w in QtWidgets.QApplication.topLevelWidgets()
                if w.windowTitle() == "Export report" and w.isVisible())  # fmt: skip


def test_export_report_previews_then_saves_off_the_ui_thread(
    window, qtbot, tmp_path, example_project, monkeypatch
) -> None:
    example = Path(shutil.copy(example_project, tmp_path / "ex.cwproj"))
    window.open_project(example)
    dialog = _open_dialog(window)
    combo = dialog.design_combo
    combo.setCurrentIndex(combo.findData("lg-m50-entered"))
    names = [dialog.studies.item(i).text() for i in range(dialog.studies.count())]
    assert any("nail penetration" in n for n in names) and any("3C" in n for n in names)
    # keep one study (the runaway, with its 3D field), as a user unticks the others
    for i in range(dialog.studies.count()):
        item = dialog.studies.item(i)
        if "nail" not in item.text():
            item.setCheckState(QtCore.Qt.CheckState.Unchecked)
    assert not dialog.save_pdf.isEnabled()
    qtbot.mouseClick(dialog.preview_button, QtCore.Qt.MouseButton.LeftButton)
    seen = set()

    def progressed() -> bool:
        seen.add(dialog.progress.value())
        QtWidgets.QApplication.processEvents()  # the UI thread is free while the worker runs
        return dialog.build is not None and dialog.build.done and dialog.pages.count() > 0

    qtbot.waitUntil(progressed, timeout=240000)
    assert dialog.build.error == ""
    assert len(seen) >= 2 and 100 in seen  # progress was shown, then completed
    assert dialog.save_pdf.isEnabled() and dialog.pages.count() >= 5
    screenshot(dialog, "report-dialog")
    # Save PDF…, as a person does: the file dialog answers with a path
    out = tmp_path / "m50.pdf"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(out), "PDF (*.pdf)"))  # fmt: skip
    qtbot.mouseClick(dialog.save_pdf, QtCore.Qt.MouseButton.LeftButton)
    assert dialog.status.text() == f"saved {out}"
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(out).pages))
    with Project.open(example, readonly=True) as project:
        design, snapshot = find_design("lg-m50-entered", project)
        capacity, unit = design_report(design, snapshot)["Capacity"]
    assert design.name in text and f"Capacity {capacity:.4g} {unit}" in text
    assert "LG M50 nail penetration" in text
    html = dialog.save_to(tmp_path / "m50.html").read_text("utf-8")
    assert "LG M50 21700 (entered)" in html and "nail penetration" in html
    assert "LG M50 at 3C" not in html  # the unticked study is not in it
    # the cell's design studies are in it whatever studies are ticked, by name, with units
    plain = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Design study: LG M50: C-rate and coating thickness (LHS)" in plain
    assert "Positive coating thickness 60 to 77 µm" in plain
    dialog.reject()
    assert not dialog.isVisible()


def test_export_report_without_a_design_says_so(window) -> None:
    window.new_project()
    assert window.show_report_dialog() is None


def test_cancel_stops_the_report_and_the_dialog_stays_usable(
    window, qtbot, tmp_path, example_project
) -> None:
    window.open_project(Path(shutil.copy(example_project, tmp_path / "ex.cwproj")))
    dialog = _open_dialog(window)
    dialog.design_combo.setCurrentIndex(dialog.design_combo.findData("module-4s2p"))
    assert not dialog.cancel_button.isEnabled()
    qtbot.mouseClick(dialog.preview_button, QtCore.Qt.MouseButton.LeftButton)
    assert dialog.cancel_button.isEnabled() and not dialog.preview_button.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, QtCore.Qt.MouseButton.LeftButton)
    assert dialog.build.done and dialog.build.error == "cancelled"
    assert "Cancelled" in dialog.status.text() and dialog.pages.count() == 0
    assert dialog.preview_button.isEnabled() and not dialog.save_pdf.isEnabled()
    assert not dialog.build.pdf.exists()
    dialog.reject()


def test_long_study_names_stay_readable_and_design_studies_can_be_left_out(
    window, tmp_path, monkeypatch
) -> None:
    """A long study name showed its start only (the list scrolled sideways), so two runs of one
    study looked alike; and the design studies were always in the report."""
    from cellwright.app.report import background
    from cellwright.projects.model import DesignKind, DesignRef, DesignStudy, Study
    from support.studies import M50_ID, m50_project

    path = m50_project(tmp_path / "p.cwproj")
    ref = DesignRef(kind=DesignKind.CELL, id=M50_ID)
    start = "Thermal runaway propagation at 45 degC ambient with the new cooling plate"
    names = [f"{start}, run {k}" for k in (2, 3)]
    with Project.open(path) as project:
        for name in names:
            project.put(Study(name=name, engine="thermal.runaway", design=ref))
        rates = [{"path": "spec.c_rate", "low": 0.5, "high": 2.0}]
        project.put(DesignStudy(name="sweep", engine="electrochem.ecm", design=ref, inputs=rates))
    window.open_project(path)
    dialog = _open_dialog(window)
    studies = dialog.studies
    assert studies.textElideMode() == QtCore.Qt.TextElideMode.ElideMiddle
    QtWidgets.QApplication.processEvents()
    assert not studies.horizontalScrollBar().isVisible()  # no sideways scrolling to read one
    width = studies.viewport().width() - 40  # less the check box
    shown = []
    for i in range(studies.count()):
        item = studies.item(i)
        assert item.toolTip().startswith(item.text())  # the whole name on hover
        metrics = studies.fontMetrics()
        shown.append(metrics.elidedText(item.text(), studies.textElideMode(), width))
    assert len(set(shown)) == 2 and all(s.endswith(("run 2", "run 3")) for s in shown)

    box = dialog.design_studies
    assert box.isEnabled() and box.isChecked() and "(1)" in box.text()
    requests = []
    monkeypatch.setattr(background, "start_report_build", requests.append)  # no worker
    box.setChecked(False)
    dialog.start_preview()
    assert requests[-1].design_studies is False
    box.setChecked(True)
    dialog.start_preview()
    assert requests[-1].design_studies is True
    dialog.build = None
    dialog.reject()


def test_designs_of_one_name_are_listed_apart_in_the_dialog(window, tmp_path) -> None:
    """Two designs of one name (an older project's, or a cell and its pack) were two identical
    entries: which one a report was of could not be told."""
    from cellwright.projects.design.authoring import new_pack
    from cellwright.projects.design.reference_designs import lg_m50

    path = tmp_path / "older.cwproj"
    first = lg_m50().model_copy(update={"id": "m50-a", "name": "M50"})
    second = lg_m50().model_copy(update={"id": "m50-b", "name": "M50"})
    pack = new_pack("Module", "m50-a", 4, 2)
    with Project.create(path) as project:
        project.put(first)
        project._db.execute(  # as a version before unique names stored it, past today's put()
            "INSERT INTO objects (kind, id, name, json, updated_at) VALUES ('cell', ?, ?, ?, '')",
            (second.id, second.name, second.model_dump_json()),
        )
        project.put(pack)
    window.open_project(path)
    dialog = _open_dialog(window)
    combo = dialog.design_combo
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert sorted(labels) == ["M50 (cell m50-a)", "M50 (cell m50-b)", "Module"]
    combo.setCurrentIndex(combo.findData("m50-a"))
    variants = [dialog.variants.item(i).text() for i in range(dialog.variants.count())]
    assert variants == ["M50 (cell m50-b)"]
    dialog.reject()
