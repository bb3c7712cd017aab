"""PlotViewer as a person uses it: choose series, read the crosshair, log axes, export."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from cellwright.projects.model import InputError, Provenance, Result
from cellwright.viewers.plot_viewer import PlotViewer
from support.viewer_data import png_spread, read_csv

pytestmark = pytest.mark.gui

CTRL = QtCore.Qt.KeyboardModifier.ControlModifier
LEFT = QtCore.Qt.MouseButton.LeftButton


@pytest.fixture
def viewer(qtbot, discharge):
    v = PlotViewer(discharge)
    qtbot.addWidget(v)
    v.resize(1100, 650)
    v.show()
    qtbot.waitExposed(v)
    return v


def _click_series(qtbot, viewer: PlotViewer, name: str, modifier=CTRL) -> None:
    [item] = viewer.y_list.findItems(name, QtCore.Qt.MatchFlag.MatchExactly)
    centre = viewer.y_list.visualItemRect(item).center()
    qtbot.mouseClick(viewer.y_list.viewport(), LEFT, modifier, centre)


def test_opens_on_voltage_against_time_with_units(viewer, discharge, qtbot) -> None:
    assert list(viewer.curves) == ["Voltage [V]"]
    x, y = viewer.curves["Voltage [V]"].getOriginalDataset()
    np.testing.assert_array_equal(x, discharge.series["Time [s]"])
    np.testing.assert_array_equal(y, discharge.series["Voltage [V]"])
    item = viewer.plot.plotItem
    # the unit is part of the text, so pyqtgraph does not rescale with SI prefixes
    # an hour's run in min, as the report's axes and the 3D view's time read it; data in s
    assert item.getAxis("bottom").labelText == "Time [min]"
    assert item.getAxis("bottom").labelUnits == ""
    assert item.getAxis("left").labelText == "Voltage [V]"

    # the whole hour is in view, not pyqtgraph's default [0, 1]: the view box fits its range to
    # the data when it next paints (pyqtgraph defers auto-range), as the person sees it
    def whole_hour() -> bool:
        (x0, x1), _ = item.vb.viewRange()
        return x0 <= 0 and x1 >= 3600

    qtbot.waitUntil(whole_hour, timeout=3000)


def test_choosing_series_with_the_mouse_adds_curves_and_a_right_axis(viewer, qtbot) -> None:
    _click_series(qtbot, viewer, "Cell temperature [°C]")  # listed in the unit it is drawn in
    _click_series(qtbot, viewer, "Current [A]")
    assert set(viewer.curves) == {"Voltage [V]", "Cell temperature [K]", "Current [A]"}
    # three units: no second axis can hold them all, so they share the left axis
    assert viewer.right_curves == []
    _click_series(qtbot, viewer, "Current [A]")  # ctrl-click again deselects
    assert viewer.right_curves == ["Cell temperature [K]"]
    axis = viewer.plot.plotItem.getAxis("right")
    # a cell's temperature reads in °C, as the report and the scalars table read it
    assert axis.isVisible() and "Cell temperature [°C]" in axis.label.toHtml()
    legend_names = [label.text for _, label in viewer.legend.items]
    assert sorted(legend_names) == ["Cell temperature", "Voltage"]  # units on the axes
    _click_series(qtbot, viewer, "Discharge capacity [A.h]", QtCore.Qt.KeyboardModifier(0))
    assert list(viewer.curves) == ["Discharge capacity [A.h]"]
    assert not viewer.plot.plotItem.getAxis("right").isVisible()


def test_x_axis_can_be_any_series(viewer, discharge) -> None:
    viewer.x_combo.setCurrentText("Discharge capacity [A.h]")
    x, _ = viewer.curves["Voltage [V]"].getOriginalDataset()
    np.testing.assert_array_equal(x, discharge.series["Discharge capacity [A.h]"])
    assert "Discharge capacity [A.h]" in viewer.plot.plotItem.getAxis("bottom").label.toHtml()


def _hover(viewer: PlotViewer, pixel: QtCore.QPoint) -> None:
    """The mouse-move event the viewport gets when a person moves the mouse to ``pixel``.

    Sent to the viewport rather than by warping the X pointer (qtbot.mouseMove), whose events
    reach Qt asynchronously: under xdist beside the crush tests the readout was seen left at an
    earlier pointer position for the whole wait.
    """
    viewport = viewer.plot.viewport()
    event = QtGui.QMouseEvent(
        QtCore.QEvent.Type.MouseMove, QtCore.QPointF(pixel),
        QtCore.QPointF(viewport.mapToGlobal(pixel)), QtCore.Qt.MouseButton.NoButton,
        QtCore.Qt.MouseButton.NoButton, QtCore.Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QtWidgets.QApplication.sendEvent(viewport, event)


def _move_mouse_and_expect(qtbot, viewer: PlotViewer, pixel: QtCore.QPoint) -> QtCore.QPointF:
    """Move the mouse to ``pixel`` and wait until the readout shows that point.

    pyqtgraph fits the view to the data when it next paints, and a new axis narrows the view
    under a still mouse (the CI failure: x = 1866.26, the same pixel in the narrowed view, where
    1893.37 was expected), so a readout read once can name another point: paint first, then
    hover until the readout agrees with where the pixel lies in the view now.
    """
    vb = viewer.plot.plotItem.vb

    def fitted() -> bool:
        """The view holds all the data: a paint runs pyqtgraph's deferred fit, but under load
        the fit was seen to come later (CI: the readout named (0.517, 0.521), a point of the
        default [0, 1] view, with the data at 0-3600 s and 3.2-4.2 V)."""
        viewer.plot.viewport().repaint()
        (x0, x1), (y0, y1) = vb.viewRange()
        (bx0, bx1), (by0, by1) = vb.childrenBounds()
        return x0 <= bx0 and x1 >= bx1 and y0 <= by0 and y1 >= by1

    qtbot.waitUntil(fitted)

    def shown() -> QtCore.QPointF | None:
        text = viewer.readout.text()
        if not text.startswith("x = "):
            return None
        point = vb.mapSceneToView(viewer.plot.mapToScene(pixel))
        if viewer.log_x.isChecked() and point.x() > 300:  # not re-ranged to log10 yet
            return None
        x = 10 ** point.x() if viewer.log_x.isChecked() else point.x()
        x *= viewer.plot.plotItem.getAxis("bottom").scale  # in the axis' unit (min)
        read = _read(text.split("    ")[0])
        return point if read == pytest.approx(x, rel=1e-3) else None

    def settled() -> bool:
        _hover(viewer, pixel)
        return shown() is not None

    qtbot.waitUntil(settled)
    return shown()


def _read(part: str) -> float:
    """The number of a readout's ``"x = 1866 s"``, its unit and thousands spaces dropped."""
    value = part.split("=")[1].strip()
    return float(value.rsplit(" ", 1)[0].replace("\u202f", "") if " " in value else value)


def test_crosshair_readout_follows_the_mouse(viewer, qtbot) -> None:
    pixel = viewer.plot.viewport().rect().center() + QtCore.QPoint(40, -30)
    point = _move_mouse_and_expect(qtbot, viewer, pixel)
    x, y = (_read(v) for v in viewer.readout.text().split("    ")[:2])
    # 4 significant figures in the axes' units ("x = 31.1 min    y = 3.712 V"), the time in
    # the minutes its axis reads
    assert x == pytest.approx(point.x() / 60, rel=5e-4)
    assert y == pytest.approx(point.y(), rel=5e-4)
    x_text, y_text = viewer.readout.text().split("    ")[:2]
    assert x_text.endswith(" min") and y_text.endswith(" V")
    assert len(y_text.split("=")[1].split()[0].replace(".", "")) <= 4, y_text
    assert 0 < x < 60 and 3.2 < y < 4.2
    assert viewer._vline.value() == pytest.approx(point.x())
    # with a right axis the readout adds its value too
    viewer.select("Time [s]", ["Voltage [V]", "Cell temperature [K]"])
    _move_mouse_and_expect(qtbot, viewer, pixel + QtCore.QPoint(5, 5))
    assert "y (right)" in viewer.readout.text()
    right = viewer.readout.text().split("y (right) = ")[1]
    assert right.endswith(" °C"), right  # the cell's 25-37 °C, as its axis reads
    assert 25 < float(right.split()[0]) < 38


def test_log_axes_show_data_values_in_the_readout(viewer, qtbot) -> None:
    viewer.select("Time [s]", ["Discharge capacity [A.h]"])
    qtbot.mouseClick(viewer.log_x, LEFT)
    qtbot.mouseClick(viewer.log_y, LEFT)
    item = viewer.plot.plotItem
    assert item.ctrl.logXCheck.isChecked() and item.ctrl.logYCheck.isChecked()
    assert item.getAxis("bottom").logMode and item.getAxis("left").logMode
    pixel = viewer.plot.viewport().rect().center()
    point = _move_mouse_and_expect(qtbot, viewer, pixel)
    x = _read(viewer.readout.text().split("    ")[0])
    assert x == pytest.approx(10 ** point.x(), rel=5e-4)  # the view holds log10(x)
    # exports are the data, not their logarithms
    _, y = viewer.curves["Discharge capacity [A.h]"].getOriginalDataset()
    assert y.max() == pytest.approx(5.0)


def test_a_log_readout_before_the_view_reranges_does_not_raise(viewer, qtbot) -> None:
    """Ticking log x leaves the view on 0-3600 s until it re-ranges to log10: a mouse over it
    then raised OverflowError (10**3600) in the Qt event loop, seen in a CI run."""
    viewer.select("Time [s]", ["Voltage [V]"])
    viewer.log_x.setChecked(True)
    text = viewer._readout_text(QtCore.QPointF(0, 0), QtCore.QPointF(3600.0, 4.0))
    assert text.startswith("x = –    y = 4 V")


def test_export_csv_reads_back_the_shown_series(viewer, discharge, tmp_path) -> None:
    viewer.select("Time [s]", ["Voltage [V]", "Cell temperature [K]"])
    rows = read_csv(viewer.export_csv(tmp_path / "shown.csv"))
    assert rows[0] == ["Time [s]", "Voltage [V]", "Cell temperature [K]"]
    table = np.array(rows[1:], float)
    for column, name in enumerate(rows[0]):
        np.testing.assert_array_equal(table[:, column], discharge.series[name])


def test_a_cell_temperature_is_drawn_in_celsius_exported_in_kelvin(
    viewer, discharge, tmp_path
) -> None:
    """The window drew a discharge's cell temperature as 298-310 under "[K]" where the report
    draws 25-37 °C: engineers read a cell in °C. The stored K stays in the CSV."""
    viewer.select("Time [s]", ["Cell temperature [K]"])
    item = viewer.plot.plotItem
    assert item.getAxis("left").labelText == "Cell temperature [°C]"
    _, y = viewer.curves["Cell temperature [K]"].getOriginalDataset()
    np.testing.assert_allclose(y, discharge.series["Cell temperature [K]"] - 273.15)
    assert y.min() == pytest.approx(25.0) and y.max() == pytest.approx(37.0)
    rows = read_csv(viewer.export_csv(tmp_path / "temperature.csv"))
    assert rows[0] == ["Time [s]", "Cell temperature [K]"]
    np.testing.assert_allclose(np.array(rows[1:], float)[:, 1],
                               discharge.series["Cell temperature [K]"])  # fmt: skip
    # a rise in K is a difference: it stays in K
    rise = Result(
        series={"Time [s]": np.arange(3.0), "Temperature rise [K]": np.arange(3.0)},
        provenance=Provenance(engine_id="x", engine_version="1", spec_hash=""),
    )
    viewer.set_result(rise)
    assert item.getAxis("left").labelText == "Temperature rise [K]"
    np.testing.assert_array_equal(viewer.curves["Temperature rise [K]"].getOriginalDataset()[1],
                                  np.arange(3.0))  # fmt: skip


def test_added_curves_export_each_with_its_own_x(qtbot, tmp_path) -> None:
    viewer = PlotViewer()
    qtbot.addWidget(viewer)
    assert not viewer.side_panel.isVisible()
    cycles = np.arange(1.0, 11.0)
    viewer.add_curve(cycles, 5 - 0.01 * cycles, "cell A")
    viewer.add_curve(cycles[:5], 5 - 0.02 * cycles[:5], "cell B", points=True)
    viewer.add_curve(cycles, 4 - 0.01 * cycles, "cell A")  # same name replaces
    assert list(viewer.curves) == ["cell B", "cell A"]
    assert len(viewer.plot.plotItem.listDataItems()) == 2
    rows = read_csv(viewer.export_csv(tmp_path / "cmp.csv"))
    assert rows[0] == ["cell B x", "cell B", "cell A x", "cell A"]
    assert float(rows[10][3]) == pytest.approx(3.9) and rows[10][0] == ""
    with pytest.raises(InputError, match=r"curve 'bad'.*3 values but y has 2"):
        viewer.add_curve([1, 2, 3], [1, 2], "bad")


def test_large_series_are_drawn_downsampled_and_clipped(viewer) -> None:
    viewer.select("Time [s]", ["Voltage [V]", "Cell temperature [K]"])
    for name, curve in viewer.curves.items():
        assert curve.opts["autoDownsample"] and curve.opts["downsampleMethod"] == "peak", name
        assert curve.opts["clipToView"] and curve.opts["skipFiniteCheck"], name


def test_bad_choices_are_named(viewer, qtbot) -> None:
    with pytest.raises(InputError, match=r"no series 'Voltage'"):
        viewer.select("Time [s]", ["Voltage"])
    empty = Result(provenance=Provenance(engine_id="x", engine_version="1", spec_hash=""))
    with pytest.raises(InputError, match="no series to plot"):
        viewer.set_result(empty)
    lone = PlotViewer()
    qtbot.addWidget(lone)
    with pytest.raises(InputError, match="no curves to export"):
        lone.export_csv("nothing.csv")


def test_png_export_is_a_picture_of_the_curves(viewer, qtbot, screenshot_path) -> None:
    viewer.select("Time [s]", ["Voltage [V]", "Cell temperature [K]"])
    qtbot.wait(50)
    path = viewer.export_png(screenshot_path("plot_viewer"))
    assert path.read_bytes()[:4] == b"\x89PNG"
    assert png_spread(path) > 10, "the exported plot looks blank"


def test_export_menu_writes_what_the_dialog_names(viewer, monkeypatch, tmp_path) -> None:
    from PySide6 import QtWidgets

    target = tmp_path / "from_menu.csv"
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV (*.csv)")
    )
    viewer.export_csv_action.trigger()
    assert read_csv(target)[0] == ["Time [s]", "Voltage [V]"]
    assert viewer.readout.text() == f"exported {target}"
    blocked = tmp_path / "missing" / "x.png"
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(blocked), "PNG (*.png)")
    )
    viewer.export_png_action.trigger()
    assert viewer.readout.text().startswith("not exported:") and "x.png" in viewer.readout.text()


def _legend_covers(viewer: PlotViewer, x: float, y: float) -> bool:
    """Whether the legend, as drawn, lies over the data point (x, y)."""
    scene = viewer.plot.plotItem.vb.mapViewToScene(QtCore.QPointF(x, y))
    return viewer.legend.sceneBoundingRect().contains(scene)


def _crush_viewer(qtbot, travel: np.ndarray, force: np.ndarray) -> PlotViewer:
    """A shown viewer of a crush's force against its travel."""
    crush = Result(
        name="crush",
        series={"Time [s]": travel / 1e-3, "Displacement [m]": travel, "Force [N]": force},
        provenance=Provenance(engine_id="mechanics.crush", engine_version="1", spec_hash=""),
    )
    viewer = PlotViewer(crush)
    qtbot.addWidget(viewer)
    viewer.resize(900, 500)
    viewer.show()
    qtbot.waitExposed(viewer)
    viewer.select("Displacement [m]", ["Force [N]"])
    return viewer


def test_the_legend_leaves_the_end_of_a_rising_curve_in_sight(qtbot) -> None:
    """A crush's force rises to the top right, where the legend sat over the curve's end."""
    travel = np.linspace(0.0, 2e-3, 200)
    force = 6000.0 * (travel / 2e-3) ** 2
    viewer = _crush_viewer(qtbot, travel, force)
    qtbot.wait(50)  # the view auto-ranges on its next paint
    # no "[N]" beside an axis in kN: the legend names the series, the axis its unit
    assert [label.text for _, label in viewer.legend.items] == ["Force"]
    assert viewer.plot.plotItem.getAxis("left").labelText == "Force [kN]"
    covered = [p for p in zip(travel, force, strict=True) if _legend_covers(viewer, *p)]
    assert covered == []
    assert not _legend_covers(viewer, travel[-1], force[-1])


def test_a_legend_with_no_room_is_hidden_until_the_plot_has_room(qtbot) -> None:
    """Beside a result's 3D field the plot is ~180 px wide: the legend took the whole view's
    width over the curve and was cut at its edge. There it hides; the axis names the series."""
    travel = np.linspace(0.0, 2e-3, 200)
    viewer = _crush_viewer(qtbot, travel, 6000.0 * (travel / 2e-3) ** 2)
    qtbot.waitUntil(viewer.legend.isVisible, timeout=2000)
    viewer.resize(430, 170)  # the size it has under the thermal runaway's field
    qtbot.waitUntil(lambda: not viewer.legend.isVisible(), timeout=2000)
    assert viewer.plot.plotItem.getAxis("left").labelText == "Force [kN]"
    viewer.resize(900, 500)
    qtbot.waitUntil(viewer.legend.isVisible, timeout=2000)


def test_the_legend_stays_top_right_where_the_curves_leave_it_empty(viewer, qtbot) -> None:
    qtbot.wait(50)
    right, top = viewer.legend.sceneBoundingRect().right(), viewer.legend.sceneBoundingRect().top()
    view = viewer.plot.plotItem.vb.sceneBoundingRect()
    assert view.right() - right < 20 and top - view.top() < 20


def test_the_legend_moves_off_the_curve_the_user_zooms_onto(qtbot) -> None:
    """The corner was chosen for the whole curve: zoomed in on the start of a rising curve,
    the curve ran from bottom left to top right under the legend."""
    travel = np.linspace(0.0, 2e-3, 400)
    force = 6000.0 * np.sqrt(travel / 2e-3)  # flat at the top right when seen whole
    viewer = _crush_viewer(qtbot, travel, force)
    qtbot.wait(300)
    whole = viewer.legend_corner
    assert whole == (0, 0)  # top left (right, bottom flags): the curve leaves it empty, whole
    # a stretch near the start, seen close: the curve enters at the left high up and leaves
    # through the top, right across that corner
    vb = viewer.plot.plotItem.vb
    vb.setRange(xRange=(0.8e-4, 2e-4), yRange=(0.0, 6000.0 * np.sqrt(0.1) * 0.8), padding=0)
    qtbot.waitUntil(lambda: viewer.legend_corner != whole, timeout=2000)
    zoomed = [p for p in zip(travel, force, strict=True) if 0.8e-4 <= p[0] <= 2e-4]
    assert not any(_legend_covers(viewer, *p) for p in zoomed if p[1] < 6000 * np.sqrt(0.1) * 0.8)
    vb.enableAutoRange()  # "view all": placed for the whole curve again
    qtbot.waitUntil(lambda: viewer.legend_corner == whole, timeout=2000)


def test_a_pack_region_reads_as_the_report_names_it(qtbot) -> None:
    """A runaway study of a pack stores "cell_0000 maximum temperature [K]"; the side panel and
    the legend say "Cell 0 ..." as the report does, and the stored name still selects it."""
    t = np.linspace(0.0, 10.0, 11)
    result = Result(
        name="runaway",
        provenance=Provenance(engine_id="thermal.runaway", engine_version="1", spec_hash="x"),
        series={"Time [s]": t, "Maximum temperature [K]": 300 + t,
                "cell_0000 maximum temperature [K]": 300 + t,
                "cell_0011 maximum temperature [K]": 299 + t},
    )  # fmt: skip
    viewer = PlotViewer(result)
    qtbot.addWidget(viewer)
    shown = [viewer.y_list.item(i).text() for i in range(viewer.y_list.count())]
    assert shown == ["Maximum temperature [°C]", "Cell 0 maximum temperature [°C]",
                     "Cell 11 maximum temperature [°C]"]  # fmt: skip
    viewer.select("Time [s]", ["cell_0000 maximum temperature [K]",
                               "cell_0011 maximum temperature [K]"])  # fmt: skip
    # the unit is the axis's (kN where the series is stored in N), as in the report's legends
    assert [label.text for _, label in viewer.legend.items] == [
        "Cell 0 maximum temperature", "Cell 11 maximum temperature"]  # fmt: skip
    assert list(viewer.curves) == ["cell_0000 maximum temperature [K]",
                                   "cell_0011 maximum temperature [K]"]  # fmt: skip
    # two curves in one unit: the axis reads °C, as they are drawn
    assert viewer.plot.plotItem.getAxis("left").labelText == "°C"
