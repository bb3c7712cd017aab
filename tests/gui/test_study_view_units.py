"""A design study of a mechanical engine reads its lengths in mm, as the runs it is made of do:
its table, scatter, Pareto front, sensitivity and what-if (stored SI, shown scaled)."""

from __future__ import annotations

import numpy as np
import pytest

from support.screens import screenshot

pytestmark = pytest.mark.gui

ONSET, FORCE = "Short-circuit onset displacement [m]", "Peak force [N]"


def _points() -> list[dict]:
    return [
        {"index": k, "status": "done", "values": {"spec.speed": s},
         "outputs": {ONSET: d, FORCE: f}, "error": ""}
        for k, (s, d, f) in enumerate([(1e-3, 4.1e-3, 9.5e3), (2e-3, 5.2e-3, 1.2e4)])
    ] + [{"index": 2, "status": "failed", "values": {"spec.speed": 3e-3}, "outputs": {},
          "error": "no convergence"}]  # fmt: skip


@pytest.mark.parametrize(("in_mm", "onset", "factor"),
                         [(True, "Short-circuit onset displacement [mm]", 1e3),
                          (False, ONSET, 1.0)])  # fmt: skip
def test_a_crush_study_shows_its_lengths_in_mm(qtbot, in_mm, onset, factor) -> None:
    from cellwright.viewers.study_view import StudyView

    view = StudyView()
    qtbot.addWidget(view)
    view.lengths_in_mm = in_mm
    view.key_outputs = [ONSET]
    view.show_points(["spec.speed"], [ONSET, FORCE], _points())
    assert view.table.model.header == ["Point", "Status", "spec.speed", onset, FORCE, "Error"]
    model = view.table.model
    assert float(model.index(0, 3).data()) == pytest.approx(4.1e-3 * factor)
    assert float(model.index(0, 4).data()) == pytest.approx(9.5e3)  # a force stays as it is
    view.select(ONSET, "spec.speed")  # by its stored name
    assert view.y_choice.currentText() == onset
    x, y = view.plotted()
    np.testing.assert_allclose(x, [1e-3, 2e-3])
    np.testing.assert_allclose(y, np.array([4.1e-3, 5.2e-3]) * factor)
    assert view.parallel_outputs.chosen() == [onset]  # the study's objective, as shown
    view.show_front((ONSET, FORCE), [0, 1], [0, 1], ["a", "b", "c"],
                    [(4.1e-3, 9.5e3), (5.2e-3, 1.2e4), (np.nan, np.nan)])  # fmt: skip
    assert view.pareto._xy[1, 0] == pytest.approx(5.2e-3 * factor)
    indices = {
        ONSET: {
            "names": ["spec.speed"],
            "first": [0.9],
            "total": [0.95],
            "first_conf": [0.1],
            "total_conf": [0.1],
            "r2": 0.97,
            "rmse": 2e-4,
        }
    }
    view.show_sensitivity(indices)  # fmt: skip
    assert view.sensitivity.indices[onset]["rmse"] == pytest.approx(2e-4 * factor)
    assert indices[ONSET]["rmse"] == 2e-4  # what was computed (and stored) is left as it was

    def predict(_values):
        return {ONSET: 4.5e-3, FORCE: 1e4}, {ONSET: 1e-4, FORCE: 50.0}, False

    view.set_surrogate([("spec.speed", 1e-3, 3e-3)], predict, "fitted")
    means, spreads, outside = view.whatif._predict(np.array([2e-3]))
    assert means[onset] == pytest.approx(4.5e-3 * factor) and means[FORCE] == 1e4
    assert spreads[onset] == pytest.approx(1e-4 * factor) and not outside


THICKNESS = "design.positive.coating_thickness"


@pytest.mark.parametrize(
    ("in_mm", "header", "factor"),
    [(True, f"{THICKNESS} [µm]", 1e6), (False, f"{THICKNESS} [µm]", 1e6)],
)
def test_input_columns_carry_their_units_and_lengths_agree_with_them(
    qtbot, in_mm, header, factor
) -> None:
    """The Points table named its inputs by path alone while the CSV gave their units; a
    length input of a crush study is shown in mm like its outputs, header and values alike."""
    from cellwright.viewers.study_view import StudyView

    view = StudyView()
    qtbot.addWidget(view)
    view.lengths_in_mm = in_mm
    rows = [(60e-6, 1e-3, 4e-3), (70e-6, 2e-3, 5e-3)]
    points = [{"index": k, "status": "done", "values": {THICKNESS: t, "spec.speed": s},
               "outputs": {ONSET: d}, "error": ""}
              for k, (t, s, d) in enumerate(rows)]  # fmt: skip
    view.show_points([THICKNESS, "spec.speed"], [ONSET], points,
                     [f"{THICKNESS} [m]", "spec.speed [m/s]"])  # fmt: skip
    assert view.table.model.header[2:4] == [header, "spec.speed [m/s]"]  # m/s is no length
    model = view.table.model
    assert float(model.index(1, 2).data()) == pytest.approx(70e-6 * factor)
    assert float(model.index(1, 3).data()) == pytest.approx(2e-3)
    view.select(ONSET, THICKNESS)  # by its path
    assert view.x_choice.currentText() == header
    x, _y = view.plotted()
    np.testing.assert_allclose(x, np.array([60e-6, 70e-6]) * factor)


def _indices(names: list[str]) -> dict:
    return {ONSET: {"names": names, "first": [0.6, 0.3], "total": [0.7, 0.35],
                    "first_conf": [0.05, 0.05], "total_conf": [0.05, 0.05], "r2": 0.9,
                    "rmse": 1e-4}}  # fmt: skip


@pytest.mark.parametrize(
    ("in_mm", "header", "factor"),
    [(True, f"{THICKNESS} [µm]", 1e6), (False, f"{THICKNESS} [µm]", 1e6)],
)
def test_sliders_bars_and_point_texts_name_inputs_as_the_table_does(
    qtbot, in_mm, header, factor
) -> None:
    """The What-if sliders, the Sensitivity bars and the Pareto point text named an input by
    its bare path and gave it in SI (0.0001 m of coating in a crush study whose table reads
    mm); they now carry the table's header and its shown value."""
    from types import SimpleNamespace

    from cellwright.app.window_design_studies import _point_text
    from cellwright.viewers.study_view import StudyView

    view = StudyView()
    qtbot.addWidget(view)
    view.lengths_in_mm = in_mm
    # the window shows a stored sensitivity before the points: named once the headers come
    view.show_sensitivity(_indices([THICKNESS, "spec.speed"]))
    rows = [(60e-6, 1e-3, 4e-3), (80e-6, 2e-3, 5e-3)]
    points = [{"index": k, "status": "done", "values": {THICKNESS: t, "spec.speed": s},
               "outputs": {ONSET: d}, "error": ""}
              for k, (t, s, d) in enumerate(rows)]  # fmt: skip
    view.show_points([THICKNESS, "spec.speed"], [ONSET], points,
                     [f"{THICKNESS} [m]", "spec.speed [m/s]"])  # fmt: skip
    assert list(view.sensitivity.bars()) == [header, "spec.speed [m/s]"]
    ticks = view.sensitivity.plot.getAxis("bottom")._tickLevels[0]
    assert [text for _x, text in ticks] == [header.split(".", 1)[1], "speed [m/s]"]

    asked = []

    def predict(x):
        asked.append(np.array(x, dtype=float))
        return {ONSET: 4.5e-3}, {ONSET: 1e-4}, False

    view.set_surrogate([(THICKNESS, 60e-6, 80e-6), ("spec.speed", 1e-3, 3e-3)], predict, "")
    whatif = view.whatif
    assert list(whatif.sliders) == [header, "spec.speed [m/s]"]
    names = [whatif.grid.itemAtPosition(r, 0).widget().text() for r in range(2)]
    assert names == [header.split(".", 1)[1], "speed [m/s]"]
    whatif.set_value(header, 70e-6 * factor)
    assert whatif.point()[0] == pytest.approx(70e-6 * factor)
    shown = whatif.grid.itemAtPosition(0, 2).widget().text()
    assert float(shown) == pytest.approx(70e-6 * factor)  # read in the column's unit
    np.testing.assert_allclose(asked[-1], [70e-6, 2e-3])  # the surrogate still asked in SI
    out_factor = 1e3 if in_mm else 1.0  # the outputs' lengths: mm in a mechanical study
    assert whatif.answer()[view.shown(ONSET)[0]][0] == pytest.approx(4.5e-3 * out_factor)
    view.resize(900, 500)
    view.show()
    for tab, name in ((4, "sensitivity"), (5, "whatif")):
        view.tabs.setCurrentIndex(tab)
        screenshot(view, f"study_{name}_units_{'mm' if in_mm else 'm'}")

    point = SimpleNamespace(index=1, values=points[1]["values"], outputs=points[1]["outputs"])
    study = SimpleNamespace(objectives=[SimpleNamespace(output=ONSET)])
    text = _point_text(point, study, view)
    thickness = f"{header.split('.', 1)[1]} = {80e-6 * factor:.4g}"
    assert text.startswith(f"Point #1: {thickness}, speed [m/s] = 0.002; ")
    assert text.endswith(f"{view.shown(ONSET)[0]} = {5e-3 * out_factor:.4g}")


@pytest.mark.parametrize(("in_mm", "onset", "header"),
                         [(True, "Short-circuit onset displacement [mm]", f"{THICKNESS} [µm]"),
                          (False, ONSET, f"{THICKNESS} [µm]")])  # fmt: skip
def test_the_scatter_matrix_names_rows_and_columns_with_their_units(
    qtbot, in_mm, onset, header
) -> None:
    """The scatter matrix named its rows (the outputs) without their units, while the Points
    table, the sliders and the bars carry them; its rows and columns now read as the table's
    headers do, with no SI factor beside the unit."""
    from cellwright.viewers.study_view import StudyView
    from support.axes import prefixed_unit_labels

    view = StudyView()
    qtbot.addWidget(view)
    view.lengths_in_mm = in_mm
    rows = [(60e-6, 1e-3, 4.1e-3, 9.5e3), (80e-6, 2e-3, 5.2e-3, 1.2e4)]
    points = [{"index": k, "status": "done", "values": {THICKNESS: t, "spec.speed": s},
               "outputs": {ONSET: d, FORCE: f}, "error": ""}
              for k, (t, s, d, f) in enumerate(rows)]  # fmt: skip
    view.key_outputs = [ONSET, FORCE]
    view.show_points([THICKNESS, "spec.speed"], [ONSET, FORCE], points,
                     [f"{THICKNESS} [m]", "spec.speed [m/s]"])  # fmt: skip
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    view.tabs.setCurrentIndex(2)
    qtbot.wait(50)
    matrix = view.matrix
    assert list(matrix.cells) == [(o, i) for o in (onset, FORCE)
                                  for i in (header, "spec.speed [m/s]")]  # fmt: skip
    # a long name wraps over lines (it ran into the next row), its unit on the last
    left = [matrix.cells[(o, header)].getAxis("left").labelText for o in (onset, FORCE)]
    assert [text.replace("<br>", " ") for text in left] == [onset, FORCE]
    assert left[0].endswith(f"<br>[{onset.rsplit('[', 1)[1]}")
    bottom = [matrix.cells[(FORCE, i)].getAxis("bottom").labelText
              for i in (header, "spec.speed [m/s]")]  # fmt: skip
    assert bottom == [header.split(".", 1)[1], "speed [m/s]"]
    for cell in (matrix.cells[(onset, header)], matrix.cells[(FORCE, header)]):
        assert prefixed_unit_labels(cell) == []  # 0.004 m and 6e-05 m, as they are
    screenshot(view, f"study_matrix_units_{'mm' if in_mm else 'm'}")


@pytest.mark.parametrize(
    ("values", "unit", "factor"),
    [((55e-6, 80e-6), "µm", 1e6), ((2e-3, 5e-3), "mm", 1e3), ((1.5, 2.4), "m", 1.0)],
)
def test_an_input_length_reads_in_the_unit_its_points_span(qtbot, values, unit, factor) -> None:
    """A coating thickness swept over 55-80 µm was shown as 5.5e-05 m in the table, on the
    plots' axes and on the sliders (the report's ranges read µm): each input length is now
    shown in the unit its points span, its values scaled alike, whatever the engine."""
    from cellwright.viewers.study_view import StudyView

    view = StudyView()
    qtbot.addWidget(view)
    points = [{"index": k, "status": "done", "values": {"design.spacing": v},
               "outputs": {FORCE: 1e3 * (k + 1)}, "error": ""}
              for k, v in enumerate(values)]  # fmt: skip
    view.show_points(["design.spacing"], [FORCE], points, ["design.spacing [m]"])
    header = f"design.spacing [{unit}]"
    assert view.table.model.header[2] == header
    assert float(view.table.model.index(1, 2).data()) == pytest.approx(values[1] * factor)
    view.select(FORCE, "design.spacing")
    x, _y = view.plotted()
    np.testing.assert_allclose(x, np.array(values) * factor)
    assert view.shown_input("design.spacing") == (header, factor)


VOLUME, MASS, PEAK = "Cell volume [m3]", "Cell mass [kg]", "Maximum temperature [K]"


def test_a_cells_volume_mass_and_temperature_read_as_in_the_report(qtbot) -> None:
    """A thermal design study's outputs read "Cell volume [m3]" 1.918 × 10⁻⁵, "Cell mass [kg]"
    0.0462 and "Maximum temperature [K]" 318.2 in the window's table, scatter matrix, Pareto
    front and what-if, where the report (and the design's figures) read cm^3, g and °C. One
    rule now (result_units.output_shown); a spread stays a difference (no 273.15 off it)."""
    from cellwright.viewers.study_view import StudyView

    view = StudyView()
    qtbot.addWidget(view)
    rows = [(60e-6, 1.918e-5, 0.0462, 318.15), (80e-6, 2.1e-5, 0.0501, 330.65)]
    points = [{"index": k, "status": "done", "values": {THICKNESS: t},
               "outputs": {VOLUME: v, MASS: m, PEAK: p}, "error": ""}
              for k, (t, v, m, p) in enumerate(rows)]  # fmt: skip
    view.key_outputs = [VOLUME, MASS, PEAK]
    view.show_points([THICKNESS], [VOLUME, MASS, PEAK], points, [f"{THICKNESS} [m]"])
    shown = ["Cell volume [cm^3]", "Cell mass [g]", "Maximum temperature [°C]"]
    assert view.table.model.header[3:6] == shown
    texts = [[view.table.cell_text(r, c) for c in (3, 4, 5)] for r in range(2)]
    assert texts == [["19.18", "46.2", "45"], ["21", "50.1", "57.5"]]
    view.select(PEAK, THICKNESS)
    _x, y = view.plotted()
    np.testing.assert_allclose(y, [45.0, 57.5])
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    view.tabs.setCurrentIndex(2)  # the scatter matrix: rows named as the table's headers
    qtbot.wait(50)
    assert [o for o, _i in view.matrix.cells] == shown
    _x, y = view.matrix.plotted("Cell volume [cm^3]", f"{THICKNESS} [µm]")
    np.testing.assert_allclose(y, [19.18, 21.0])
    left = view.matrix.cells[("Cell volume [cm^3]", f"{THICKNESS} [µm]")].getAxis("left")
    assert left.labelText.replace("<br>", " ") == "Cell volume [cm^3]"
    screenshot(view, "study_matrix_cell_units")
    view.show_front((VOLUME, PEAK), [0, 1], [0, 1], ["a", "b"],
                    [(1.918e-5, 318.15), (2.1e-5, 330.65)])  # fmt: skip
    np.testing.assert_allclose(view.pareto._xy, [[19.18, 45.0], [21.0, 57.5]])

    def predict(_values):
        return {VOLUME: 2e-5, PEAK: 323.15}, {VOLUME: 1e-7, PEAK: 1.5}, False

    view.set_surrogate([(THICKNESS, 60e-6, 80e-6)], predict, "fitted")
    means, spreads, _outside = view.whatif._predict(np.array([70.0]))
    assert means["Cell volume [cm^3]"] == pytest.approx(20.0)
    assert means["Maximum temperature [°C]"] == pytest.approx(50.0)
    assert spreads["Maximum temperature [°C]"] == pytest.approx(1.5)  # a difference: as it is
    assert spreads["Cell volume [cm^3]"] == pytest.approx(0.1)
