"""Mode shapes, spectra and the profile picker in the window, as a person uses them."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtWidgets

from support.screens import screenshot

pytestmark = pytest.mark.gui


def _open(window, example, name: str):
    window.open_project(example)
    result_id = next(r.id for r in window.project.results() if r.name == name)
    return window.open_result(result_id), window.project.get_result(result_id)


def test_mode_shapes_are_chosen_scaled_and_animated(window, example_project, qtbot) -> None:
    page, result = _open(window, example_project, "Modes of the 4s2p module on its plate")
    panel, viewer = page.mode_panel, page.field_viewer
    assert panel is not None and viewer.field_combo.currentText() == "Mode shape [-]"
    table = result.tables["modes"]
    assert panel.mode_table.rowCount() == len(table["Mode"])
    assert panel.mode_table.item(0, 1).text() == f"{table['Frequency [Hz]'][0]:.4g}"
    panel.mode_table.selectRow(2)
    assert viewer.time_slider.value() == 2  # the colours follow the chosen mode
    assert viewer.time_label.text().startswith("mode 3: ")
    rest = viewer.scene._rest
    panel.scale.setValue(0.1)
    moved = np.asarray(viewer.grid.points) - rest
    size = np.ptp(rest, axis=0).max()
    assert np.linalg.norm(moved, axis=1).max() == pytest.approx(0.1 * size, rel=1e-6)
    shape = result.field("Mode shape [-]").values[2]
    assert np.allclose(np.cross(moved, shape), 0, atol=1e-12 * size)  # along mode 3's shape
    qtbot.wait(100)
    screenshot(window, "mechanics_mode_shape")
    panel.animate.setChecked(True)
    first = np.asarray(viewer.grid.points).copy()
    qtbot.waitUntil(lambda: not np.allclose(viewer.grid.points, first), timeout=3000)
    panel.animate.setChecked(False)
    window._on_tab_close_requested(window.tabs.currentIndex())


def test_random_response_shows_its_spectra_on_log_axes(window, example_project, qtbot) -> None:
    name = "GB 38031 random vibration (Z) of the 4s2p module"
    page, _ = _open(window, example_project, name)
    plot = page.spectrum_plot
    assert plot is not None and plot.table_combo.currentText() == "psd [g^2/Hz]"
    assert (
        plot.plot.plotItem.ctrl.logXCheck.isChecked()
        and plot.plot.plotItem.ctrl.logYCheck.isChecked()
    )
    x, y = plot.curves["Input PSD [g^2/Hz]"].getData()
    assert 10 ** x[0] == pytest.approx(5.0) and 10 ** y[0] == pytest.approx(0.015)
    assert set(plot.curves) == {"Input PSD [g^2/Hz]", "Peak-acceleration point PSD [g^2/Hz]"}
    plot.table_combo.setCurrentText("psd [Pa^2/Hz]")  # stresses on their own axis
    assert set(plot.curves) == {"Peak-stress point von Mises PSD [Pa^2/Hz]"}
    plot.table_combo.setCurrentText("psd [g^2/Hz]")
    assert page.field_viewer.field_combo.findText("3-sigma von Mises stress [Pa]") >= 0
    qtbot.wait(100)
    screenshot(window, "mechanics_random_psd")


def test_profile_picker_offers_the_standards(window, qtbot) -> None:
    from cellwright.projects.vibration import shipped_vibration_profiles

    window.new_project()
    dialog = window.make_run_dialog()
    qtbot.addWidget(dialog)
    dialog.select("Library: LG INR21700 M50", "mechanics.vibration")
    combo = dialog.form.editors["profile"]
    assert isinstance(combo, QtWidgets.QComboBox) and combo.isEditable()
    offered = {combo.itemText(i) for i in range(combo.count())}
    assert offered == set(shipped_vibration_profiles())
    combo.setCurrentText("UN38.3-T3")
    assert dialog.form.values()["profile"] == "UN38.3-T3"
    combo.setCurrentText("no-such-profile.csv")  # a typed path is allowed; the engine checks it
    assert dialog.form.values()["profile"] == "no-such-profile.csv"
    dialog.reject()
