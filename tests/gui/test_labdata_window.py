"""Lab data in the window: the import dialog, a background import, the run's viewers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from support.screens import screenshot

pytestmark = pytest.mark.gui


def open_run(window, qtbot, run_id: str):
    """Open a run's tab as the tree does (reading it in the background) and wait for it."""
    task = window.open_labrun(run_id)
    if task is not None:
        qtbot.waitUntil(lambda: task.finished, timeout=30000)
    qtbot.waitUntil(lambda: window.labrun_viewer(run_id) is not None, timeout=5000)
    return window.labrun_viewer(run_id)


def compared(window, qtbot, task):
    """The "Run comparison" plot once ``task`` (:meth:`compare_runs`'s) has ended."""
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    qtbot.waitUntil(
        lambda: window.tabs.tabText(window.tabs.currentIndex()) == "Run comparison", timeout=5000
    )
    return window.tabs.currentWidget()


def test_import_dialog_preview_and_viewer(window, fixtures_dir, qtbot) -> None:
    window.new_project()
    files = [
        fixtures_dir / "cycler/arbin_res/arbin_example.res",
        fixtures_dir / "cycler/maccor/sample_data_maccor.csv",
    ]
    dialog = window.make_import_dialog(files)
    qtbot.addWidget(dialog)
    assert dialog.files.item(0, 1).text() == "arbin_res"
    qtbot.waitUntil(dialog.preview_ready, timeout=30000)
    assert dialog.preview.horizontalHeaderItem(0) is not None
    headers = {
        dialog.preview.horizontalHeaderItem(c).text() for c in range(dialog.preview.columnCount())
    }
    assert {"test_time_second", "voltage_volt", "current_ampere"} <= headers
    dialog.cell.setText("SN-9")
    dialog.mass.setText("38 g")
    options = dialog.options()
    assert options["mass"] == "38 g"
    dialog.reject()
    task = window.import_labdata(dialog.paths, **options)
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    qtbot.waitUntil(lambda: len(window.tree_items("Lab data")) == 2, timeout=5000)
    viewer = open_run(window, qtbot, window.project.find("labrun", "arbin_example").id)
    assert "Voltage [V]" in viewer.time_plot.curves
    viewer.setCurrentIndex(3)
    viewer.tick_cycles(1.0, 2.0)  # computed in the background in the window
    qtbot.waitUntil(lambda: set(viewer.dqdv_plot.curves) == {"cycle 1", "cycle 2"}, timeout=10000)
    assert viewer.summary_table.table.rowCount() == len(viewer.summary["cycle"])
    qtbot.wait(150)
    screenshot(window, "labdata_dqdv")


def test_a_per_cycle_summary_run_opens_on_its_cycles(window, fixtures_dir, qtbot) -> None:
    """A BatteryArchive cycle_data file has one row per cycle and no time: its run opened
    with a crash (a Result needs a time axis); now it shows its cycles and its table."""
    window.new_project()
    folder = fixtures_dir / "cycler/batteryarchive_csv"
    task = window.import_labdata([next(folder.glob("*cycle_data.csv"))])
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    qtbot.waitUntil(lambda: len(window.tree_items("Lab data")) == 1, timeout=5000)
    viewer = open_run(window, qtbot, window.project.list("labrun")[0].id)
    assert [viewer.tabText(i) for i in range(viewer.count())] == ["Cycles", "Fade", "Summary"]
    assert viewer.time_plot is None
    assert viewer.summary_table.table.rowCount() == 9
    assert "Discharge capacity [A.h]" in viewer.cycle_plot.curves


def test_impedance_run_shows_nyquist_and_fit(window, fixtures_dir, qtbot, tmp_path) -> None:
    window.new_project()
    task = window.import_labdata(
        [
            fixtures_dir / "cycler/biologic_mpt/exampleDataBioLogic.mpt",
            fixtures_dir / "cycler/arbin_csv",
        ]
    )
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    qtbot.waitUntil(lambda: len(window.tree_items("Lab data")) == 3, timeout=5000)
    viewer = open_run(window, qtbot, window.project.find("labrun", "exampleDataBioLogic").id)
    qtbot.waitUntil(lambda: viewer.fit is not None, timeout=30000)
    assert set(viewer.nyquist.curves) == {"measured", f"fit {viewer.fit.circuit}"}
    assert viewer.fit.relative_rmse < 0.15
    assert viewer.fit_table.cell_text(0, 0) == "R0"
    qtbot.wait(150)
    screenshot(window, "labdata_nyquist")
    runs = [r.id for r in window.project.list("labrun") if r.format == "arbin_csv"]
    plot = compared(window, qtbot, window.compare_runs(runs))
    assert len(plot.curves) == 2
    summary = open_run(window, qtbot, runs[0]).summary_table
    summary.export_xlsx(tmp_path / "summary.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "summary.xlsx").active
    assert sheet.cell(1, 1).value == "cycle" and sheet.cell(2, 1).value == 1


def test_unknown_layout_is_mapped_saved_and_reused(window, qtbot, tmp_path) -> None:
    from cellwright.app.column_mapping import ColumnMappingDialog, saved_mappings

    data = tmp_path / "rig42.csv"
    data.write_text(
        "secs,volts,milliamps,loop\n0,3.60,0,1\n10,3.55,-500,1\n20,3.50,-500,1\n"
        "30,3.62,500,1\n40,3.66,500,1\n"
    )
    dialog = ColumnMappingDialog(data, folder=tmp_path / "maps")
    qtbot.addWidget(dialog)
    dialog.choose("secs", "test_time_second")
    dialog.choose("volts", "voltage_volt")
    assert dialog.mapping() is None and "current_ampere" in dialog.error.text()
    dialog.choose("milliamps", "current_ampere", 1e-3)
    dialog.choose("loop", "cycle_count")
    dialog.name.setText("rig42")
    dialog._on_accepted()
    saved = saved_mappings(tmp_path / "maps")["rig42"]
    assert saved["milliamps"] == ["current_ampere", 0.001]
    window.new_project()
    task = window.import_labdata([data], mapping=saved)
    qtbot.waitUntil(lambda: task.finished, timeout=10000)
    qtbot.waitUntil(lambda: len(window.tree_items("Lab data")) == 1, timeout=5000)
    from cellwright.projects.labdata.runs import load_run

    run = load_run(window.project, window.project.find("labrun", "rig42").id)
    assert run["current_ampere"].tolist() == [0.0, -0.5, -0.5, 0.5, 0.5]


def test_a_saved_mapping_names_its_file_when_a_column_is_missing(tmp_path) -> None:
    """A saved mapping chosen for a file without one of its columns said "mapped columns
    ['milliamps'] not in header [...]", not which saved mapping asked for it."""
    import json

    from cellwright.app.column_mapping import saved_mappings
    from cellwright.projects.labdata import LabDataError, read_cycler_file

    folder = tmp_path / "maps"
    folder.mkdir()
    entries = {"secs": "test_time_second", "volts": "voltage_volt", "milliamps": "current_ampere"}
    (folder / "rig42.json").write_text(json.dumps(entries), encoding="utf-8")
    data = tmp_path / "rig43.csv"
    data.write_text("secs,volts,amps\n0,3.6,0\n10,3.5,-0.5\n")
    with pytest.raises(LabDataError) as caught:
        read_cycler_file(data, mapping=saved_mappings(folder)["rig42"])
    assert (
        f"the column mapping {folder / 'rig42.json'} asks for column 'milliamps' "
        "(entry 'milliamps': 'current_ampere'), which the file does not have "
        "(its columns: 'secs', 'volts', 'amps')"
    ) in str(caught.value)


def test_impedance_fit_runs_off_the_ui_thread(qtbot, fixtures_dir, monkeypatch) -> None:
    """The viewer opens at once with a busy bar; the fit computes in a worker thread and
    its parameters appear when it is done, while the UI thread keeps handling events."""
    import threading

    from cellwright.projects.labdata import impedance_fit, read_cycler_file
    from cellwright.viewers.labdata_viewer import LabDataViewer

    release, threads = threading.Event(), []
    real_fit = impedance_fit.fit_impedance

    def held_fit(table, *args, **kwargs):
        threads.append(threading.current_thread())
        release.wait(20)
        return real_fit(table, *args, **kwargs)

    monkeypatch.setattr(impedance_fit, "fit_impedance", held_fit)
    table = read_cycler_file(fixtures_dir / "cycler/biologic_mpt/exampleDataBioLogic.mpt")
    viewer = LabDataViewer(table, "eis")
    qtbot.addWidget(viewer)
    viewer.show()
    viewer.setCurrentIndex(1)
    assert viewer.fit is None and not viewer.fit_progress.isHidden()
    assert viewer.fit_table.cell_text(0, 0) == "fitting the equivalent circuit…"
    from PySide6 import QtCore

    ticks = []

    QtCore.QTimer.singleShot(20, lambda: ticks.append("tick"))
    qtbot.waitUntil(lambda: ticks == ["tick"], timeout=2000)  # UI alive while fit is held
    assert viewer.fit is None
    release.set()
    qtbot.waitUntil(lambda: viewer.fit is not None, timeout=30000)
    assert threads and threads[0] is not threading.main_thread()
    assert viewer.fit_progress.isHidden()
    assert viewer.fit_table.cell_text(0, 0) == "R0"
    assert f"fit {viewer.fit.circuit}" in viewer.nyquist.curves


def test_unknown_layout_shows_the_proposed_mapping(window, qtbot, tmp_path) -> None:
    """A German semicolon export with decimal commas and a licence beside it: the licence is
    listed as skipped, the table's proposed mapping is shown with how sure each column is,
    and one click uses it."""
    folder = tmp_path / "lab"
    folder.mkdir()
    (folder / "LICENSE.txt").write_text("CC-BY-4.0\n")
    (folder / "zelle7.csv").write_text(
        "Prüfling: Zelle 7\nKanal: 3\n\nZeit (s);Spannung (V);Strom (mA);Zyklus\n"
        "0;3,600;0;1\n10;3,550;-500;1\n20;3,500;-500;1\n30;3,620;500;2\n40;3,660;500;2\n",
        encoding="cp1252",
    )
    window.new_project()
    dialog = window.make_import_dialog([folder])
    qtbot.addWidget(dialog)
    texts = {dialog.files.item(r, 0).text(): dialog.files.item(r, 1).text() for r in range(2)}
    assert texts["LICENSE.txt"].startswith("skipped: not cycler data")
    assert texts["zelle7.csv"] == "unknown layout: check the proposed mapping"
    qtbot.waitUntil(dialog.preview_ready, timeout=30000)
    proposed = {
        dialog.preview.item(r, 0).text(): (
            dialog.preview.item(r, 1).text(),
            dialog.preview.item(r, 2).text(),
        )
        for r in range(dialog.preview.rowCount())
    }
    assert proposed["Strom (mA)"] == ("current_ampere", "95%")
    assert proposed["Zeit (s)"][0] == "test_time_second"
    assert dialog.use_proposal.isEnabled()
    dialog.use_proposal.click()
    qtbot.waitUntil(dialog.preview_ready, timeout=30000)
    headers = [
        dialog.preview.horizontalHeaderItem(c).text() for c in range(dialog.preview.columnCount())
    ]
    assert "current_ampere" in headers
    column = headers.index("current_ampere")
    assert dialog.preview.item(1, column).text() == "-0.5"
    screenshot(dialog, "labdata_proposed_mapping")


def test_a_dropped_folder_goes_to_the_import_preview(window, fixtures_dir, qtbot) -> None:
    from PySide6 import QtCore, QtGui, QtWidgets

    window.new_project()
    folder = fixtures_dir / "cycler" / "maccor"
    seen = []

    def answer() -> None:
        dialog = QtWidgets.QApplication.activeModalWidget()
        if dialog is None:
            QtCore.QTimer.singleShot(20, answer)
            return
        seen.append([dialog.files.item(r, 0).text() for r in range(dialog.files.rowCount())])
        dialog.reject()

    mime = QtCore.QMimeData()
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(folder))])
    point = QtCore.QPointF(window.width() / 2, window.height() / 2)
    drop = QtGui.QDropEvent(point, QtCore.Qt.DropAction.CopyAction, mime,
                            QtCore.Qt.MouseButton.LeftButton,
                            QtCore.Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QtCore.QTimer.singleShot(20, answer)
    window.dropEvent(drop)
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    assert any(name.endswith(".csv") or name.endswith(".txt") for name in seen[0]), seen


def test_an_import_shows_in_the_jobs_dock_and_cancel_stores_nothing(
    window, qtbot, tmp_path, monkeypatch
) -> None:
    import threading

    import numpy as np
    from PySide6 import QtCore

    from cellwright.app.jobs import JobState
    from cellwright.app.tasks import BackgroundTask
    from cellwright.projects.labdata import delimited

    monkeypatch.setattr(delimited, "CHUNK_ROWS", 20_000)  # five chunks, as a large export has
    data = tmp_path / "channel_7.csv"
    n = np.arange(100_000)
    block = np.column_stack([n, n, np.ones_like(n), np.ones_like(n), np.ones_like(n), 3 + n * 1e-4])
    header = "Data_Point,Test_Time,Step_Index,Cycle_Index,Current,Voltage"
    np.savetxt(data, block, fmt="%g", delimiter=",", header=header, comments="")
    # hold the worker at its first chunk so the click lands mid-parse, whatever the load
    gate, report = threading.Event(), BackgroundTask._report

    def held(self, fraction, message):
        report(self, fraction, message)
        if message.endswith("rows"):  # a chunk parsed, not the file's "reading …"
            gate.wait(30)

    monkeypatch.setattr(BackgroundTask, "_report", held)
    window.new_project()
    task = window.import_labdata([data])
    panel = window.jobs
    qtbot.waitUntil(lambda: "read 20,000 rows" in panel.message(task), timeout=20000)
    row = panel._rows[task.id]
    assert panel.table.item(row, 0).text() == "Import lab data: channel_7.csv"
    assert 0 < panel.table.cellWidget(row, 1).value() < 1000
    qtbot.mouseClick(panel.cancel_button(task), QtCore.Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: task.finished, timeout=20000)
    qtbot.waitUntil(lambda: panel.message(task) == "cancelled", timeout=5000)
    assert task.state == JobState.CANCELLED
    assert window.project.list("labrun") == []  # nothing half-stored
    assert "cancelled" in window.statusBar().currentMessage()


def test_cycles_page_shows_the_efficiency_axis_and_a_single_cycle(qtbot, fixtures_dir) -> None:
    """The coulombic efficiency was drawn against a right view box whose axis was never
    shown, so 0.98 read as "0" on the capacity scale; and a run of one cycle drew its capacity
    as a line through one point, which is nothing: an empty Cycles plot."""
    from cellwright.projects.labdata import read_cycler_file
    from cellwright.viewers.labdata_viewer import LabDataViewer

    table = read_cycler_file(fixtures_dir / "cycler/arbin_res/arbin_example.res")
    viewer = LabDataViewer(table, "arbin")
    qtbot.addWidget(viewer)
    axis = viewer.cycle_plot.plot.plotItem.getAxis("right")
    assert axis.isVisible() and axis.labelText == "Coulombic efficiency"
    assert viewer.cycle_plot.right_curves == ["Coulombic efficiency"]

    folder = fixtures_dir / "cycler/batteryarchive_csv"
    one_cycle = read_cycler_file(next(folder.glob("*timeseries.csv")))
    viewer = LabDataViewer(one_cycle, "calce")
    qtbot.addWidget(viewer)
    assert len(viewer.summary["cycle"]) == 1
    # CALCE's one cycle only charges: no efficiency (it was drawn as a point at 0), so its
    # efficiency curve has no point to mark; the capacity's one point is marked
    assert viewer.summary["charge_capacity_ah"][0] > 0 == viewer.summary["discharge_capacity_ah"][0]
    assert math.isnan(viewer.summary["coulombic_efficiency"][0])
    assert viewer.cycle_plot.curves["Discharge capacity [A.h]"].opts["symbol"] is not None


def test_a_cycle_without_efficiency_opens_without_warnings(qtbot, fixtures_dir) -> None:
    """Maccor's example holds one cycle without a discharge: its efficiency is NaN. Marking
    a lone point must not hand pyqtgraph an all-NaN scatter (a RuntimeWarning, an error in
    tests)."""
    import warnings

    from cellwright.projects.labdata import read_cycler_file
    from cellwright.viewers.labdata_viewer import LabDataViewer

    table = read_cycler_file(fixtures_dir / "cycler/maccor/maccor_example.001")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        viewer = LabDataViewer(table, "maccor")
        qtbot.addWidget(viewer)
        viewer.show()
        viewer.setCurrentIndex(1)
        qtbot.wait(50)
    assert viewer.cycle_plot.curves["Discharge capacity [A.h]"].opts["symbol"] == "o"


def test_the_import_preview_reads_off_the_ui_thread(qtbot, fixtures_dir, monkeypatch) -> None:
    """The preview read the whole selected file on the UI thread (5 s for the 2.5 MB Landt
    export on first use, more for a long test); it now reads in a worker thread, says what
    it is reading, and a preview the user has moved on from is never shown."""
    import threading

    from PySide6 import QtCore

    from cellwright.app.labdata_import import ImportDialog
    from cellwright.projects import labdata

    release, threads = threading.Event(), []
    real_read = labdata.read_cycler_file

    def held_read(path, *args, **kwargs):
        threads.append(threading.current_thread())
        release.wait(20)
        return real_read(path, *args, **kwargs)

    monkeypatch.setattr(labdata, "read_cycler_file", held_read)
    folder = fixtures_dir / "cycler/maccor"
    dialog = ImportDialog([folder])
    qtbot.addWidget(dialog)
    assert not dialog.preview_ready()
    first = dialog.paths[0].name
    assert dialog.preview.horizontalHeaderItem(0).text() == f"reading {first}…"
    ticks = []
    QtCore.QTimer.singleShot(20, lambda: ticks.append("tick"))
    qtbot.waitUntil(lambda: ticks == ["tick"], timeout=2000)  # UI alive while the read is held
    dialog.files.setCurrentCell(1, 0)  # moved on: the first file's read must not be shown
    release.set()
    qtbot.waitUntil(dialog.preview_ready, timeout=30000)
    assert threads and all(t is not threading.main_thread() for t in threads)
    headers = {
        dialog.preview.horizontalHeaderItem(c).text() for c in range(dialog.preview.columnCount())
    }
    assert {"test_time_second", "voltage_volt", "current_ampere"} <= headers
    assert dialog._preview_row == 1
    for thread in threads:  # the dropped read ends before the dialog is torn down
        thread.join(20)


def test_comparing_runs_of_one_name_and_an_impedance_run(window, fixtures_dir, qtbot) -> None:
    """test.nda and test.ndax are both runs named "test": their comparison showed one curve
    (the second replaced the first). An impedance run among the selection raised out of the
    Compare slot (it has no cycles); it is now left out, and the status bar says so."""
    window.new_project()
    task = window.import_labdata(
        [
            fixtures_dir / "cycler/neware_nda",
            fixtures_dir / "cycler/biologic_mpt/exampleDataBioLogic.mpt",
        ]
    )
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    qtbot.waitUntil(lambda: len(window.tree_items("Lab data")) == 3, timeout=5000)
    for item in window.tree_items("Lab data"):
        item.setSelected(True)
    window._on_compare_runs_triggered()
    plot = compared(window, qtbot, window.jobs.jobs[-1])
    assert set(plot.curves) == {"test.nda", "test.ndax"}
    assert "exampleDataBioLogic" in window.statusBar().currentMessage()


def test_dqdv_says_why_a_ticked_cycle_draws_nothing(qtbot, fixtures_dir) -> None:
    """The CALCE excerpt's one cycle only charges: ticking it on the default discharge side
    left an empty dQ/dV plot without a word; the page now says which cycle and why."""
    from cellwright.projects.labdata import read_cycler_file
    from cellwright.viewers.labdata_viewer import LabDataViewer

    folder = fixtures_dir / "cycler/batteryarchive_csv"
    viewer = LabDataViewer(read_cycler_file(next(folder.glob("*timeseries.csv"))), "calce")
    qtbot.addWidget(viewer)
    viewer.show()
    viewer.setCurrentIndex(3)
    viewer.tick_cycles(1.0)
    assert viewer.dqdv_plot.curves == {}
    assert viewer.dqdv_note.isVisible()
    assert viewer.dqdv_note.text().startswith("No discharge dQ/dV for cycle 1: ")
    viewer.direction.setCurrentText("charge")
    assert "cycle 1" in viewer.dqdv_plot.curves and not viewer.dqdv_note.isVisible()


def test_a_mapping_name_that_is_no_file_name_is_refused_in_the_dialog(qtbot, tmp_path) -> None:
    """ "Save and use" with the name "rig/42" raised FileNotFoundError out of the slot (the
    name became a folder that is not there), and a config folder that cannot be written did
    the same; the dialog now says why and stays open for another name."""
    from cellwright.app.column_mapping import ColumnMappingDialog, saved_mappings

    data = tmp_path / "rig42.csv"
    data.write_text("secs,volts,amps\n0,3.60,0\n10,3.55,-0.5\n20,3.50,-0.5\n")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the mapping folder should be")
    for folder, name, said in (
        (tmp_path / "maps", "rig/42", "no / or \\ in a name"),
        (blocked / "maps", "rig42", "cannot save the mapping to"),
    ):
        dialog = ColumnMappingDialog(data, folder=folder)
        qtbot.addWidget(dialog)
        dialog.choose("secs", "test_time_second")
        dialog.choose("volts", "voltage_volt")
        dialog.choose("amps", "current_ampere")
        dialog.name.setText(name)
        dialog._on_accepted()
        assert said in dialog.error.text()
        assert dialog.result() != dialog.DialogCode.Accepted
    dialog.folder = tmp_path / "maps"
    dialog._on_accepted()  # another place: saved and used
    assert dialog.result() == dialog.DialogCode.Accepted
    assert "rig42" in saved_mappings(tmp_path / "maps")


def test_a_folder_of_only_notes_offers_nothing_to_map_or_import(qtbot, tmp_path) -> None:
    """A dropped folder holding only a README: every row is skipped, yet "Map columns…"
    opened the mapping of file 0 (IndexError out of the slot) and Import was offered."""
    from cellwright.app.labdata_import import ImportDialog

    (tmp_path / "README.md").write_text("# channel 3, cell 7\n")
    dialog = ImportDialog([tmp_path])
    qtbot.addWidget(dialog)
    assert dialog.paths == [] and dialog.files.rowCount() == 1
    assert not dialog.map_button.isEnabled() and not dialog.import_button.isEnabled()


def test_a_circuit_fit_that_fails_in_the_solver_is_said(qtbot, fixtures_dir, monkeypatch) -> None:
    """Only a LabDataError of the fit was reported: a solver error (scipy's ValueError on
    residuals that are not finite) killed the worker thread silently and the page kept
    "fitting the equivalent circuit…" with its busy bar for ever."""
    from cellwright.projects.labdata import impedance_fit, read_cycler_file
    from cellwright.viewers.labdata_viewer import LabDataViewer

    def failing_fit(table, *args, **kwargs):
        raise ValueError("Residuals are not finite in the initial point.")

    monkeypatch.setattr(impedance_fit, "fit_impedance", failing_fit)
    table = read_cycler_file(fixtures_dir / "cycler/biologic_mpt/exampleDataBioLogic.mpt")
    viewer = LabDataViewer(table, "eis")
    qtbot.addWidget(viewer)
    qtbot.waitUntil(lambda: not viewer.fit_running(), timeout=10000)
    assert viewer.fit is None
    text = viewer.fit_table.cell_text(0, 0)
    assert text.startswith("the circuit fit failed: ValueError: Residuals are not finite")


def test_time_series_offers_only_columns_with_values(qtbot, fixtures_dir) -> None:
    """The CALCE excerpt names two temperature columns it never fills (all NaN): they were
    listed among the series and drew an empty plot when chosen."""
    from cellwright.projects.labdata import read_cycler_file
    from cellwright.viewers.labdata_viewer import LabDataViewer

    folder = fixtures_dir / "cycler/batteryarchive_csv"
    viewer = LabDataViewer(read_cycler_file(next(folder.glob("*timeseries.csv"))), "calce")
    qtbot.addWidget(viewer)
    offered = set(viewer.time_plot.result.series)
    assert "Voltage [V]" in offered and "Time [s]" in offered
    assert not {"Surface temperature [°C]", "Ambient temperature [°C]"} & offered


def test_the_import_preview_shows_missing_cells_and_wall_clocks_readably(
    qtbot, fixtures_dir
) -> None:
    """The CALCE excerpt's preview showed "nan" for its empty temperature cells and its
    wall clock as "1.28344e+09" (six digits of epoch seconds: 16 minutes coarse)."""
    from cellwright.app.labdata_import import ImportDialog

    folder = fixtures_dir / "cycler/batteryarchive_csv"
    dialog = ImportDialog([next(folder.glob("*timeseries.csv"))])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.preview_ready, timeout=30000)
    headers = [
        dialog.preview.horizontalHeaderItem(c).text() for c in range(dialog.preview.columnCount())
    ]
    row = {h: dialog.preview.item(0, c).text() for c, h in enumerate(headers)}
    assert row["ambient_temperature_celsius"] == "—"
    assert row["unix_time_second"].startswith("2010-09-02 ")  # 1283440xxx s
    assert row["voltage_volt"] == "3.843"
    assert "nan" not in row.values()


def test_a_mapping_is_for_the_unknown_file_not_its_recognised_neighbours(
    window, fixtures_dir, qtbot, tmp_path
) -> None:
    """A folder with a Maccor export and an unknown rig's CSV: the mapping made for the rig
    was applied to every file, so the Maccor export was read with the rig's columns (its
    preview said it cannot be read and its import failed)."""
    import shutil

    folder = tmp_path / "lab"
    folder.mkdir()
    shutil.copy(fixtures_dir / "cycler/maccor/sample_data_maccor.csv", folder)
    rig = folder / "rig42.csv"
    rig.write_text("secs,volts,amps\n0,3.60,0\n10,3.55,-0.5\n20,3.50,-0.5\n30,3.62,0.5\n")
    window.new_project()
    dialog = window.make_import_dialog([folder])
    qtbot.addWidget(dialog)
    rows = {dialog.files.item(r, 0).text(): r for r in range(dialog.files.rowCount())}
    dialog.files.setCurrentCell(rows["rig42.csv"], 0)
    dialog.use_mapping(
        {"secs": "test_time_second", "volts": "voltage_volt", "amps": "current_ampere"}
    )
    qtbot.waitUntil(dialog.preview_ready, timeout=30000)
    assert dialog.mapped_paths() == [rig]
    dialog.files.setCurrentCell(rows["sample_data_maccor.csv"], 0)
    qtbot.waitUntil(dialog.preview_ready, timeout=30000)
    assert dialog.preview.horizontalHeaderItem(0).text() != ""
    assert not dialog.preview.horizontalHeaderItem(0).text().startswith("cannot read")
    options = dialog.options()
    task = window.import_labdata(dialog.paths, mapped=dialog.mapped_paths(), **options)
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    assert task.result.failed == []
    assert {r.format for r in task.result.imported} == {"maccor", "generic"}


def test_a_mapping_saved_from_the_import_dialog_is_listed_and_chosen(
    qtbot, tmp_path, monkeypatch
) -> None:
    """After "Map columns…" saved a mapping, the import dialog's mapping list still said
    "(detect the format)" while the mapping was in use, and did not list it."""
    from PySide6 import QtCore, QtWidgets

    from cellwright.app import column_mapping
    from cellwright.app.labdata_import import ImportDialog

    monkeypatch.setattr(column_mapping, "mapping_folder", lambda: tmp_path / "maps")
    data = tmp_path / "rig42.csv"
    data.write_text("secs,volts,amps\n0,3.60,0\n10,3.55,-0.5\n20,3.50,-0.5\n")
    dialog = ImportDialog([data])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.preview_ready, timeout=30000)

    def answer() -> None:
        mapper = QtWidgets.QApplication.activeModalWidget()
        if not isinstance(mapper, column_mapping.ColumnMappingDialog):
            QtCore.QTimer.singleShot(20, answer)
            return
        mapper.choose("secs", "test_time_second")
        mapper.choose("volts", "voltage_volt")
        mapper.choose("amps", "current_ampere")
        mapper.name.setText("rig42 v2")
        mapper._on_accepted()

    QtCore.QTimer.singleShot(20, answer)
    dialog._on_map_clicked()
    assert dialog.saved.currentText() == "rig42 v2"
    assert dialog.mapping is not None and dialog.mapping["amps"] == "current_ampere"
    qtbot.waitUntil(dialog.preview_ready, timeout=30000)


def test_a_bad_capacity_is_refused_in_the_import_dialog(qtbot, fixtures_dir) -> None:
    """'5 Ahh' as the nominal capacity closed the dialog and failed the background import
    afterwards (status bar), losing what the user had typed; the dialog now says why and
    stays open."""
    from cellwright.app.labdata_import import ImportDialog

    dialog = ImportDialog([fixtures_dir / "cycler/maccor/sample_data_maccor.csv"])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.preview_ready, timeout=30000)  # no read left at teardown
    dialog.cell.setText("SN-9")
    dialog.capacity.setText("5 Ahh")
    dialog.import_button.click()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "nominal_capacity" in dialog.error.text() and "5 Ahh" in dialog.error.text()
    dialog.capacity.setText("5 V")
    dialog.import_button.click()
    assert "A.h" in dialog.error.text() and dialog.result() != dialog.DialogCode.Accepted
    dialog.capacity.setText("5 Ah")
    dialog.import_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.error.text() == ""
    assert dialog.options() == {"cell_serial": "SN-9", "nominal_capacity": "5 Ah"}


def test_an_exported_cycles_plot_names_its_x_column(qtbot, fixtures_dir, tmp_path) -> None:
    """The Cycles page's CSV export headed its x column "x": the cycle number was not said."""
    import csv

    from cellwright.projects.labdata import read_cycler_file
    from cellwright.viewers.labdata_viewer import LabDataViewer

    table = read_cycler_file(fixtures_dir / "cycler/arbin_res/arbin_example.res")
    viewer = LabDataViewer(table, "arbin")
    qtbot.addWidget(viewer)
    path = viewer.cycle_plot.export_csv(tmp_path / "cycles.csv")
    with path.open(newline="") as fh:
        header = next(csv.reader(fh))
    assert header == ["Cycle", "Discharge capacity [A.h]", "Coulombic efficiency"]


def test_comparing_a_damaged_run_is_said_not_raised(window, fixtures_dir, qtbot, monkeypatch):
    """Opening a damaged run says so (InputError caught by the tree); comparing it raised
    the same error out of the Compare slot."""
    from cellwright.projects.labdata import LabDataError
    from cellwright.projects.labdata import runs as runs_module

    window.new_project()
    task = window.import_labdata([fixtures_dir / "cycler/neware_nda"])
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    qtbot.waitUntil(lambda: len(window.tree_items("Lab data")) == 2, timeout=5000)

    def damaged(project, run_id):
        raise LabDataError(f"labrun/{run_id}/voltage_volt: stored array is damaged")

    monkeypatch.setattr(runs_module, "load_run", damaged)
    for item in window.tree_items("Lab data"):
        item.setSelected(True)
    window._on_compare_runs_triggered()
    qtbot.waitUntil(lambda: "stored array is damaged" in window.statusBar().currentMessage())
    assert window.tabs.tabText(window.tabs.currentIndex()) != "Run comparison"


def test_a_mass_without_a_unit_is_asked_for_its_unit(qtbot, fixtures_dir) -> None:
    """'69' typed as a cell's mass (the field's example is "69 g") was stored as 69 kg."""
    from cellwright.app.labdata_import import ImportDialog

    dialog = ImportDialog([fixtures_dir / "cycler/maccor/sample_data_maccor.csv"])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.preview_ready, timeout=30000)  # no read left at teardown
    dialog.mass.setText("69")
    dialog.import_button.click()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "has no unit" in dialog.error.text()
    dialog.mass.setText("69 g")
    dialog.import_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_a_skipped_file_selected_does_not_show_another_files_rows(qtbot, tmp_path) -> None:
    """Selecting a skipped file (a README) left the previous file's rows in the preview,
    under "First rows of the selected file"."""
    from cellwright.app.labdata_import import ImportDialog

    (tmp_path / "README.md").write_text("# channel 3\n")
    (tmp_path / "rig.csv").write_text("secs,volts,amps\n0,3.6,0\n10,3.5,-0.5\n20,3.4,-0.5\n")
    dialog = ImportDialog([tmp_path])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.preview_ready, timeout=30000)
    dialog.files.setCurrentCell(1, 0)  # the README, listed after the readable files
    assert dialog.preview.rowCount() == 0
    assert dialog.preview.horizontalHeaderItem(0).text().startswith("README.md is not imported")
    assert dialog.use_proposal.isHidden()


def test_a_run_opens_off_the_ui_thread_once_and_can_be_cancelled(
    window, fixtures_dir, qtbot, monkeypatch
) -> None:
    """Reading a run and its cycle statistics froze the window (0.5 s for a Landt file, more
    for a long run); now a task in the jobs dock reads it, one per run however often the
    user double-clicks, and Cancel opens nothing."""
    import threading

    from cellwright.projects.labdata import runs as runs_module

    window.new_project()
    task = window.import_labdata([fixtures_dir / "cycler/arbin_res/arbin_example.res"])
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    qtbot.waitUntil(lambda: len(window.tree_items("Lab data")) == 1, timeout=5000)
    run_id = window.project.list("labrun")[0].id
    release, threads = threading.Event(), []
    real = runs_module.load_run

    def slow(project, rid):
        threads.append(threading.current_thread())
        release.wait(10)
        return real(project, rid)

    monkeypatch.setattr(runs_module, "load_run", slow)
    (item,) = window.tree_items("Lab data")
    first = window.open_labrun(run_id)
    window._on_tree_activated(item, 0)  # a double-click while it loads
    assert window.open_labrun(run_id) is first
    assert first in window.jobs.jobs and not first.finished
    assert window.labrun_viewer(run_id) is None  # the UI thread did not wait for the read
    release.set()
    qtbot.waitUntil(lambda: window.labrun_viewer(run_id) is not None, timeout=30000)
    assert threads and threads[0] is not threading.main_thread()
    tabs = [window.tabs.widget(i) for i in range(window.tabs.count())]
    assert sum(getattr(t, "run_id", None) == run_id for t in tabs) == 1
    assert window.open_labrun(run_id) is None  # open: shown again, not read again
    assert window.tabs.currentWidget() is window.labrun_viewer(run_id)

    window._on_tab_close_requested(window.tabs.currentIndex())
    release.clear()
    again = window.open_labrun(run_id)
    again.cancel()
    release.set()
    qtbot.waitUntil(lambda: again.finished and not window._labruns_loading, timeout=30000)
    assert window.labrun_viewer(run_id) is None


def test_opening_a_damaged_run_is_said_not_raised(window, fixtures_dir, qtbot, monkeypatch):
    from cellwright.projects.labdata import LabDataError
    from cellwright.projects.labdata import runs as runs_module

    window.new_project()
    task = window.import_labdata([fixtures_dir / "cycler/arbin_res/arbin_example.res"])
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    qtbot.waitUntil(lambda: len(window.tree_items("Lab data")) == 1, timeout=5000)

    def damaged(project, run_id):
        raise LabDataError(f"labrun/{run_id}/voltage_volt: stored array is damaged")

    monkeypatch.setattr(runs_module, "load_run", damaged)
    (item,) = window.tree_items("Lab data")
    window._on_tree_activated(item, 0)
    qtbot.waitUntil(lambda: not window._labruns_loading, timeout=30000)
    message = window.statusBar().currentMessage()
    assert "stored array is damaged" in message
    assert window.labrun_viewer(window.project.list("labrun")[0].id) is None


def test_the_fade_page_shows_capacity_trend_and_resistance_per_cycle(
    window, fixtures_dir, qtbot
) -> None:
    """The CLI fits capacity fade and finds DC resistance; the window showed neither. The
    Fade page draws both per cycle (computed in the task that reads the run)."""
    import numpy as np

    from cellwright.projects.labdata import capacity_fade, cycle_summary, read_cycler_file

    window.new_project()
    source = fixtures_dir / "cycler/arbin_res/arbin_example.res"
    task = window.import_labdata([source])
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    qtbot.waitUntil(lambda: len(window.tree_items("Lab data")) == 1, timeout=5000)
    viewer = open_run(window, qtbot, window.project.list("labrun")[0].id)
    tabs = [viewer.tabText(i) for i in range(viewer.count())]
    assert tabs == ["Time series", "Cycles", "Fade", "dQ/dV", "Summary"]
    viewer.setCurrentIndex(2)
    plot = viewer.fade_plot
    expected = cycle_summary(read_cycler_file(source))
    x, y = plot.curves["Discharge capacity [A.h]"].getData()
    discharged = expected["discharge_capacity_ah"] > 0  # the unfinished last cycle is left out
    assert not discharged.all()
    assert np.allclose(x, expected["cycle"][discharged])
    assert np.allclose(y, expected["discharge_capacity_ah"][discharged])
    fit = capacity_fade(expected)
    assert f"{fit.model} trend" in plot.curves
    assert plot.right_curves == ["DC resistance at 10 s [Ohm]"]
    _, r = plot.curves["DC resistance at 10 s [Ohm]"].getData()
    assert np.isfinite(r).all() and (r > 0).all()
    assert plot.plot.plotItem.getAxis("bottom").labelText == "Cycle"
    # Arbin's example cell holds 0.47 mA.h: its capacities read in mA.h
    assert plot.plot.plotItem.getAxis("left").labelText == "Discharge capacity [mA.h]"
    right = plot.plot.plotItem.getAxis("right")
    assert right.isVisible() and "Ohm" in right.labelString()
    assert viewer.fade_note.text().startswith("Q = ")
    qtbot.wait(150)
    viewer.grab().save("/tmp/labwin_fade.png")


def test_the_fade_page_of_a_cycle_summary_says_what_it_lacks(qtbot, fixtures_dir) -> None:
    from cellwright.projects.labdata import read_cycler_file
    from cellwright.viewers.labdata_viewer import LabDataViewer

    folder = fixtures_dir / "cycler/batteryarchive_csv"
    viewer = LabDataViewer(read_cycler_file(next(folder.glob("*cycle_data.csv"))), "calce")
    qtbot.addWidget(viewer)
    assert "Discharge capacity [A.h]" in viewer.fade_plot.curves
    assert viewer.fade_plot.right_curves == []
    assert "no resistance: the run has no time series" in viewer.fade_note.text()


def test_a_trend_already_below_80_percent_is_not_given_as_a_forecast(qtbot, fixtures_dir):
    """A steep trend's 80 % cycle lies inside the measured cycles (it read "80 % of Q0 at
    cycle 0" for a run that fell to a fifth of its first capacity)."""
    import numpy as np

    from cellwright.projects.labdata import read_cycler_file
    from cellwright.projects.labdata.analysis import FadeFit
    from cellwright.projects.labdata.fade import CycleFade
    from cellwright.viewers.labdata_viewer import LabDataViewer

    cycles = np.array([1.0, 2.0, 3.0])
    capacity = np.array([7.0, 4.0, 1.0])
    fit = FadeFit(cycles, capacity, "linear", 10.0, 3.0, 1.0, 0.2 * 10.0 / 3.0)
    fade = CycleFade(cycles, capacity, None, None, 10.0, fit, [])
    table = read_cycler_file(fixtures_dir / "cycler/arbin_res/arbin_example.res")
    viewer = LabDataViewer(table, "steep", fade=fade)
    qtbot.addWidget(viewer)
    assert "below 80 % of Q0 by cycle 3" in viewer.fade_note.text()
    assert "at cycle 1 " not in viewer.fade_note.text()


@pytest.mark.parametrize("cycles", [2, 2000])
def test_the_cycle_axes_tick_whole_cycles_only(qtbot, fixtures_dir, cycles) -> None:
    """A run of two cycles had ticks at 1.2, 1.4 … on its Cycles and Fade pages' cycle
    axes: places no cycle can be. Every tick is now a whole cycle, for 2 cycles and 2000."""
    import numpy as np

    from cellwright.projects.labdata import read_cycler_file
    from cellwright.projects.labdata.fade import CycleFade
    from cellwright.viewers.labdata_viewer import LabDataViewer

    n = np.arange(1.0, cycles + 1)
    capacity = np.linspace(2.0, 1.8, cycles)
    summary = {
        "cycle": n,
        "discharge_capacity_ah": capacity,
        "charge_capacity_ah": capacity * 1.01,
        "coulombic_efficiency": np.full(cycles, 0.99),
    }
    fade = CycleFade(n, capacity, n, np.linspace(0.05, 0.06, cycles), 10.0, None, [])
    table = read_cycler_file(fixtures_dir / "cycler/arbin_res/arbin_example.res")
    viewer = LabDataViewer(table, "two", summary=summary, fade=fade)
    qtbot.addWidget(viewer)
    viewer.resize(900, 600)
    viewer.show()
    for index, plot in ((1, "cycle_plot"), (2, "fade_plot")):
        viewer.setCurrentIndex(index)
        qtbot.wait(50)
        item = getattr(viewer, plot).plot.plotItem
        axis = item.getAxis("bottom")
        low, high = item.vb.viewRange()[0]
        ticks = [v for _, values in axis.tickValues(low, high, axis.width() or 800) for v in values]
        assert ticks, plot
        assert all(float(v).is_integer() for v in ticks), (plot, ticks)
        assert axis.labelText == "Cycle"
    if cycles == 2:
        viewer.grab().save("/tmp/labwin_two_cycles.png")


def test_the_resistance_points_stay_visible_on_their_own_axis(qtbot, fixtures_dir) -> None:
    """Capacity and DC resistance each fill the Fade plot in their own scale, so two series
    that fall together put their extremes on the same spot: the resistance's filled dots hid
    the capacity's. The right axis read "[Ohm] (x0.001)" for a cell's 50 mOhm."""
    import numpy as np

    from cellwright.projects.labdata import read_cycler_file
    from cellwright.projects.labdata.fade import CycleFade
    from cellwright.viewers.labdata_viewer import LabDataViewer

    n = np.array([1.0, 2.0])
    fade = CycleFade(n, np.array([2.0, 1.8]), n, np.array([0.06, 0.05]), 10.0, None, [])
    table = read_cycler_file(fixtures_dir / "cycler/arbin_res/arbin_example.res")
    viewer = LabDataViewer(table, "two", fade=fade)
    qtbot.addWidget(viewer)
    viewer.resize(900, 600)
    viewer.show()
    viewer.setCurrentIndex(2)
    qtbot.wait(100)
    plot = viewer.fade_plot
    capacity = plot.curves["Discharge capacity [A.h]"].opts
    resistance = plot.curves["DC resistance at 10 s [Ohm]"].opts
    assert resistance["symbol"] != capacity["symbol"] and resistance["symbolBrush"] is None
    # each view box fits its own series: the left its capacities, the right its resistances
    left_y = plot.plot.plotItem.vb.viewRange()[1]
    right_y = plot._right.viewRange()[1]
    assert left_y[0] <= 1.8 and left_y[1] >= 2.0 and left_y[1] - left_y[0] < 0.5
    assert right_y[0] <= 0.05 and right_y[1] >= 0.06 and right_y[1] - right_y[0] < 0.05
    right = plot.plot.plotItem.getAxis("right")
    assert right.isVisible() and right.labelText == "DC resistance at 10 s [mOhm]"
    assert right.scale == 1000.0
    # the Cycles page's efficiency, likewise on its own right scale
    viewer.setCurrentIndex(1)
    qtbot.wait(100)
    efficiency = viewer.summary["coulombic_efficiency"]
    efficiency = efficiency[np.isfinite(efficiency)]
    low, high = viewer.cycle_plot._right.viewRange()[1]
    assert low <= efficiency.min() and high >= efficiency.max() and high - low < 0.1
    # read as the ratio it is, not "980 (x0.001)"
    axis = viewer.cycle_plot.plot.plotItem.getAxis("right")
    assert axis.labelString().count("Coulombic efficiency") == 1 and "(x" not in axis.labelString()
    assert axis.autoSIPrefixScale == 1.0
    viewer.grab().save("/tmp/labwin_cycles_two.png")
    viewer.setCurrentIndex(2)
    qtbot.wait(50)
    viewer.grab().save("/tmp/labwin_fade_two.png")


def test_small_capacities_read_in_milliamp_hours(qtbot, fixtures_dir) -> None:
    """A coin cell's fade read "Q = 0.0004737 − 1.44e-06·√n A.h" and its capacity axes
    "[A.h] (x1e-06)"; below 0.1 A.h the note and both capacity axes are in mA.h, and a
    larger cell stays in A.h."""
    import numpy as np

    from cellwright.projects.labdata import read_cycler_file
    from cellwright.projects.labdata.fade import CycleFade
    from cellwright.viewers.labdata_viewer import LabDataViewer

    table = read_cycler_file(fixtures_dir / "cycler/arbin_res/arbin_example.res")
    viewer = LabDataViewer(table, "coin")
    qtbot.addWidget(viewer)
    viewer.resize(900, 600)
    viewer.show()
    for index, plot in ((1, "cycle_plot"), (2, "fade_plot")):
        viewer.setCurrentIndex(index)
        qtbot.wait(50)
        axis = getattr(viewer, plot).plot.plotItem.getAxis("left")
        assert axis.labelString().count("[mA.h]") == 1 and "x" not in axis.labelText
        assert "(x" not in axis.labelString() and axis.scale == 1000.0
        legend = getattr(viewer, plot).legend
        assert legend.getLabel(getattr(viewer, plot).curves["Discharge capacity [A.h]"]).text == (
            "Discharge capacity [mA.h]"
        )
    note = viewer.fade_note.text()
    q0 = viewer.fade.fit.q0_ah * 1e3
    assert note.startswith(f"Q = {q0:.4g} − ") and " mA.h (R²" in note and "0.000" not in note
    viewer.grab().save("/tmp/labwin_fade_mah.png")

    n = np.array([1.0, 2.0, 3.0])
    capacity = np.array([2.0, 1.95, 1.9])
    summary = {
        "cycle": n,
        "discharge_capacity_ah": capacity,
        "charge_capacity_ah": capacity * 1.01,
        "coulombic_efficiency": np.full(3, 0.99),
    }
    fade = CycleFade(n, capacity, None, None, 10.0, None, [])
    big = LabDataViewer(table, "big", summary=summary, fade=fade)
    qtbot.addWidget(big)
    assert big.fade_plot.plot.plotItem.getAxis("left").labelText == "Discharge capacity [A.h]"
    assert big.fade_plot.plot.plotItem.getAxis("left").scale == 1.0


def test_the_run_builds_each_page_when_its_tab_is_first_shown(
    qtbot, fixtures_dir, monkeypatch
) -> None:
    """Opening a run built all five pages on the UI thread (~0.2 s on a Landt run); only
    the page shown is built now, each other one when its tab is first shown."""
    import cellwright.projects.labdata.fade as fade_module
    from cellwright.projects.labdata import read_cycler_file
    from cellwright.viewers.labdata_viewer import LabDataViewer
    from cellwright.viewers.plot_viewer import PlotViewer
    from cellwright.viewers.table_viewer import TableViewer

    fades = []
    real_cycle_fade = fade_module.cycle_fade
    monkeypatch.setattr(
        fade_module, "cycle_fade", lambda *a: fades.append(1) or real_cycle_fade(*a)
    )
    table = read_cycler_file(fixtures_dir / "cycler/arbin_res/arbin_example.res")
    viewer = LabDataViewer(table, "arbin")
    qtbot.addWidget(viewer)
    viewer.show()
    assert viewer.findChildren(PlotViewer) == [viewer.time_plot]
    assert viewer.findChildren(TableViewer) == [] and fades == []
    with qtbot.waitSignal(viewer.currentChanged):
        viewer.setCurrentIndex(2)  # Fade
    assert fades == [1] and viewer.widget(2).isAncestorOf(viewer.fade_plot)
    assert len(viewer.findChildren(PlotViewer)) == 2
    viewer.setCurrentIndex(1)
    viewer.setCurrentIndex(2)  # shown again: not built again
    assert fades == [1] and len(viewer.findChildren(PlotViewer)) == 3
    # a page's widgets asked for before its tab was shown are built then, in their tab
    assert viewer.summary_table.table.rowCount() == len(viewer.summary["cycle"])
    assert viewer.widget(4).isAncestorOf(viewer.summary_table)
    viewer.setCurrentIndex(4)
    assert len(viewer.findChildren(TableViewer)) == 1
    assert [viewer.tabText(i) for i in range(viewer.count())] == [
        "Time series", "Cycles", "Fade", "dQ/dV", "Summary"
    ]  # fmt: skip
    with pytest.raises(AttributeError):
        getattr(viewer, "no_such_page")  # noqa: B009 (the lookup is what is tested)


def test_runs_are_compared_off_the_ui_thread(window, fixtures_dir, qtbot, monkeypatch) -> None:
    """Comparing runs read every run and its cycle statistics on the UI thread (the window
    froze for as long as opening each run takes); it is now a task in the jobs dock, with
    progress and Cancel, and the comparison's axes read like a run's own (whole cycles,
    a coin cell in mA.h)."""
    import threading

    import cellwright.projects.labdata as labdata
    from cellwright.app.jobs import JobState
    from cellwright.viewers.cycle_axis import CycleAxis

    window.new_project()
    task = window.import_labdata([fixtures_dir / "cycler/neware_nda"])
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    qtbot.waitUntil(lambda: len(window.tree_items("Lab data")) == 2, timeout=5000)
    ids = [r.id for r in window.project.list("labrun")]
    threads, gate = [], threading.Event()
    real_cycle_summary = labdata.cycle_summary

    def watched(table):
        threads.append(threading.current_thread())
        gate.wait(10)  # held: the window must go on meanwhile
        return real_cycle_summary(table)

    monkeypatch.setattr(labdata, "cycle_summary", watched)
    task = window.compare_runs(ids)
    assert task in window.jobs.jobs and not task.finished
    qtbot.waitUntil(lambda: bool(threads), timeout=10000)
    assert threading.main_thread() not in threads
    task.cancel()
    gate.set()
    qtbot.waitUntil(lambda: task.finished, timeout=10000)
    qtbot.wait(300)  # the dock delivers the ended task
    assert task.state == JobState.CANCELLED
    assert window.tabs.tabText(window.tabs.currentIndex()) != "Run comparison"

    plot = compared(window, qtbot, window.compare_runs(ids))
    assert len(plot.curves) == 2 and threading.main_thread() not in threads
    item = plot.plot.plotItem
    assert isinstance(item.getAxis("bottom"), CycleAxis)
    # Neware's example cell holds 0.6 mA.h
    assert item.getAxis("left").labelText == "Discharge capacity [mA.h]"
    qtbot.wait(100)
    plot.grab().save("/tmp/labwin_compare.png")


def test_the_dqdv_of_ticked_cycles_is_computed_off_the_ui_thread(
    window, fixtures_dir, qtbot, monkeypatch
) -> None:
    """Ticking cycles on the dQ/dV page differentiated each on the UI thread; in the window
    it is a task in the jobs dock (progress, Cancel), and a result for a choice the person has
    since changed is never drawn."""
    import threading

    import cellwright.projects.labdata as labdata
    from cellwright.app.jobs import JobState

    window.new_project()
    task = window.import_labdata([fixtures_dir / "cycler/arbin_res/arbin_example.res"])
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    qtbot.waitUntil(lambda: len(window.tree_items("Lab data")) == 1, timeout=5000)
    viewer = open_run(window, qtbot, window.project.list("labrun")[0].id)
    viewer.setCurrentIndex(3)
    threads, gate = [], threading.Event()
    real_dqdv = labdata.dqdv

    def held(*args, **kwargs):
        threads.append(threading.current_thread())
        gate.wait(10)
        return real_dqdv(*args, **kwargs)

    monkeypatch.setattr(labdata, "dqdv", held)
    viewer.tick_cycles(1.0)
    first = viewer.dqdv_page.task
    assert first in window.jobs.jobs and not first.finished
    assert viewer.dqdv_plot.curves == {} and "computing" in viewer.dqdv_note.text()
    viewer.tick_cycles(2.0)  # a new choice: the first task is cancelled, its result dropped
    second = viewer.dqdv_page.task
    assert second is not first and first.progress.message == "cancelling…"
    gate.set()
    qtbot.waitUntil(lambda: second.finished and first.finished, timeout=10000)
    qtbot.waitUntil(lambda: set(viewer.dqdv_plot.curves) == {"cycle 1", "cycle 2"}, timeout=5000)
    assert first.state == JobState.CANCELLED and second.state == JobState.DONE
    assert threads and threading.main_thread() not in threads
    assert not viewer.dqdv_note.isVisible()
    qtbot.wait(100)
    viewer.grab().save("/tmp/labwin_dqdv.png")


@pytest.mark.parametrize(("file", "unit", "factor"), [
    ("arbin_res/arbin_example.res", "mA.h", 1e3),  # a coin cell of 0.47 mA.h
    ("novonix/sample_data_novonix.csv", "A.h", 1.0),  # 1.7 A.h stays in A.h
])  # fmt: skip
def test_dqdv_reads_in_the_runs_capacity_unit_per_volt(
    qtbot, fixtures_dir, file, unit, factor
) -> None:
    """A coin cell's dQ/dV axis read "dQ/dV [A.h/V] (x0.001)" beside its capacity axes in
    mA.h; it now reads in the run's capacity unit per volt, with no prefix on top."""
    import numpy as np

    from cellwright.projects.labdata import read_cycler_file
    from cellwright.viewers.labdata_viewer import LabDataViewer

    viewer = LabDataViewer(read_cycler_file(fixtures_dir / "cycler" / file), "run")
    qtbot.addWidget(viewer)
    viewer.resize(900, 600)
    viewer.show()
    assert viewer.capacity_unit == (unit, factor)
    viewer.setCurrentIndex(3)
    viewer.direction.setCurrentText("charge")
    viewer.tick_cycles(1.0)
    assert "cycle 1" in viewer.dqdv_plot.curves
    qtbot.wait(50)
    axis = viewer.dqdv_plot.plot.plotItem.getAxis("left")
    assert axis.labelText == f"dQ/dV [{unit}/V]"
    assert "(x" not in axis.labelString() and axis.autoSIPrefixScale == 1.0
    assert axis.scale == factor  # the ticks read in it; the data stay in A.h/V
    dq = viewer.dqdv_plot.curves["cycle 1"].getOriginalDataset()[1]
    assert 0.1 < np.nanmax(dq) * factor < 1e3  # readable numbers, not 0.0004
    bottom = viewer.dqdv_plot.plot.plotItem.getAxis("bottom")
    assert bottom.labelText == "Voltage [V]" and "(x" not in bottom.labelString()
    viewer.grab().save(f"/tmp/labwin_dqdv_{unit.replace('.', '')}.png")


def test_a_measured_temperature_reads_in_celsius_as_a_results_does(qtbot) -> None:
    """A cycler's surface temperature was listed and labelled "[degC]" beside a study's
    temperatures in "°C": the same quantity, written two ways. Measured °C stays as it is."""
    from cellwright.projects.labdata import table as cols
    from cellwright.projects.labdata.table import CyclerTable
    from cellwright.viewers.labdata_viewer import as_result
    from cellwright.viewers.plot_viewer import PlotViewer

    t = np.linspace(0.0, 600.0, 7)
    table = CyclerTable({cols.TEST_TIME: t, cols.VOLTAGE: 4.0 - t / 1e3,
                         cols.SURFACE_TEMPERATURE: 25.0 + t / 100})  # fmt: skip
    viewer = PlotViewer(as_result(table, "run"))
    qtbot.addWidget(viewer)
    listed = [viewer.y_list.item(i).text() for i in range(viewer.y_list.count())]
    assert listed == ["Voltage [V]", "Surface temperature [°C]"]
    viewer.select("Time [s]", ["Surface temperature [°C]"])
    assert viewer.plot.plotItem.getAxis("left").labelText == "Surface temperature [°C]"
    _x, y = viewer.curves["Surface temperature [°C]"].getOriginalDataset()
    np.testing.assert_allclose(y, 25.0 + t / 100)  # measured in °C: not shifted again
