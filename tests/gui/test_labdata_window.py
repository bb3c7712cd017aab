"""Lab data in the window: the import dialog, a background import, the run's viewers."""

from __future__ import annotations

import pytest
from conftest import screenshot

pytestmark = pytest.mark.gui


def test_import_dialog_preview_and_viewer(window, fixtures_dir, qtbot) -> None:
    window.new_project()
    files = [
        fixtures_dir / "cycler/arbin_res/arbin_example.res",
        fixtures_dir / "cycler/maccor/sample_data_maccor.csv",
    ]
    dialog = window.make_import_dialog(files)
    qtbot.addWidget(dialog)
    assert dialog.files.item(0, 1).text() == "arbin_res"
    assert dialog.preview.horizontalHeaderItem(0) is not None
    headers = {
        dialog.preview.horizontalHeaderItem(c).text() for c in range(dialog.preview.columnCount())
    }
    assert {"test_time_second", "voltage_volt", "current_ampere"} <= headers
    dialog.cell.setText("SN-9")
    options = dialog.options()
    dialog.reject()
    thread = window.import_labdata(dialog.paths, **options)
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=30000)
    qtbot.waitUntil(lambda: len(window.tree_items("Lab data")) == 2, timeout=5000)
    viewer = window.open_labrun(window.project.find("labrun", "arbin_example").id)
    assert "Voltage [V]" in viewer.time_plot.curves
    viewer.setCurrentIndex(2)
    viewer.tick_cycles(1.0, 2.0)
    assert set(viewer.dqdv_plot.curves) == {"cycle 1", "cycle 2"}
    assert viewer.summary_table.table.rowCount() == len(viewer.summary["cycle"])
    qtbot.wait(150)
    screenshot(window, "labdata_dqdv")


def test_impedance_run_shows_nyquist_and_fit(window, fixtures_dir, qtbot, tmp_path) -> None:
    window.new_project()
    thread = window.import_labdata(
        [
            fixtures_dir / "cycler/biologic_mpt/exampleDataBioLogic.mpt",
            fixtures_dir / "cycler/arbin_csv",
        ]
    )
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=30000)
    qtbot.waitUntil(lambda: len(window.tree_items("Lab data")) == 3, timeout=5000)
    viewer = window.open_labrun(window.project.find("labrun", "exampleDataBioLogic").id)
    assert set(viewer.nyquist.curves) == {"measured", f"fit {viewer.fit.circuit}"}
    assert viewer.fit.relative_rmse < 0.15
    assert viewer.fit_table.cell_text(0, 0) == "R0"
    qtbot.wait(150)
    screenshot(window, "labdata_nyquist")
    runs = [r.id for r in window.project.list("labrun") if r.format == "arbin_csv"]
    plot = window.compare_runs(runs)
    assert len(plot.curves) == 2
    summary = window.open_labrun(runs[0]).summary_table
    summary.export_xlsx(tmp_path / "summary.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "summary.xlsx").active
    assert sheet.cell(1, 1).value == "cycle" and sheet.cell(2, 1).value == 1
