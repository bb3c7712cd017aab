"""A design study's result views as a designer uses them: an optimisation of two objectives
run behind the window, its Pareto front (click a point: its row is selected; open it as a
design), parallel coordinates, the scatter matrix and the sensitivity bars."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore

from cellwright.app.studies.backends import InlineBackend
from cellwright.app.studies.execute import load_points
from cellwright.app.studies.pareto import pareto_front
from cellwright.projects.design.reference_designs import lg_m50
from cellwright.projects.model import DesignStudy, PointStatus
from support.screens import screenshot
from support.studies import M50_ID

pytestmark = pytest.mark.gui

ENERGY, COST = "Discharge specific energy [W.h.kg-1]", "Discharge cost per energy [USD.kWh-1]"
RATE, THICKNESS = "spec.c_rate", "design.positive.coating_thickness"


def _optimisation() -> DesignStudy:
    # thicker coatings store more energy per kg and cost less per kWh until the rate limits
    # them: two objectives that trade off over C-rate and thickness (SPM: ~0.4 s a point)
    return DesignStudy.model_validate({
        "name": "M50 energy vs cost", "engine": "electrochem.pybamm_discharge",
        "spec": {"model": "SPM"}, "design": {"kind": "cell", "id": M50_ID},
        "sampler": "tpe", "points": 8, "seed": 2, "sensitivity": True,
        "inputs": [{"path": RATE, "low": 0.5, "high": 3.0},
                   {"path": THICKNESS, "low": 60e-6, "high": 77e-6}],
        "objectives": [{"output": ENERGY, "direction": "maximize"},
                       {"output": COST, "direction": "minimize"}],
    })  # fmt: skip


def _click_at(qtbot, plot, x: float, y: float) -> None:
    """A left click where the data point (x, y) is drawn on a pyqtgraph PlotWidget."""
    scene = plot.getPlotItem().vb.mapViewToScene(QtCore.QPointF(x, y))
    pos = plot.mapFromScene(scene)
    qtbot.mouseClick(plot.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=pos)


@pytest.fixture
def optimised(window, qtbot):
    window.new_project()
    window.quiet = True
    window.resize(1400, 900)
    window.project.put(lg_m50())  # the LG M50 entered from Chen et al. 2020
    runner = window.start_design_study(_optimisation(), InlineBackend)
    qtbot.waitUntil(lambda: runner.finished, timeout=180000)
    assert runner.state == "done", runner.progress
    return window, window.tabs.currentWidget(), load_points(window.project, runner.study)


def test_the_pareto_front_selects_a_row_and_opens_as_a_design(optimised, qtbot) -> None:
    window, view, points = optimised
    study = window.project.get("design_study", view.study_id)
    tabs = [view.tabs.tabText(k) for k in range(view.tabs.count())]
    assert tabs == ["Points", "Parallel coordinates", "Scatter matrix", "Pareto front",
                    "Sensitivity", "What if"]  # fmt: skip
    assert view.tabs.isTabVisible(3)
    view.tabs.setCurrentIndex(3)
    front = pareto_front(study, points)
    assert front and view.pareto.front_rows == [p.index for p in front]  # rows = indices here
    best = front[-1]  # the front sorted along -energy: its cheapest end
    qtbot.wait(50)
    _click_at(qtbot, view.pareto.plot, best.outputs[ENERGY], best.outputs[COST])
    assert view.pareto.selected == best.index
    assert view.selected_row == best.index
    assert view.table.table.selectionModel().isRowSelected(best.index)
    assert view.pareto.info.text().startswith(f"Point #{best.index}:")
    assert "on the Pareto front" in view.pareto.info.text()
    screenshot(view, "design_study_pareto")
    before = {c.id for c in window.project.list("cell")}
    qtbot.mouseClick(view.pareto.open_button, QtCore.Qt.MouseButton.LeftButton)
    (made,) = [c for c in window.project.list("cell") if c.id not in before]
    assert made.positive.coating_thickness == pytest.approx(best.values[THICKNESS])
    assert f"#{best.index}" in made.name
    assert f"spec.c_rate = {best.values[RATE]:.6g}" in made.notes  # the run's rate, named
    # the study asked for its sensitivity: computed in the background once it ended
    qtbot.waitUntil(lambda: bool(view.sensitivity.indices), timeout=120000)
    assert ENERGY in view.sensitivity.indices
    window.tabs.removeTab(window.tabs.indexOf(view))  # stored with the study: shown on reopening
    again = window.open_design_study(view.study_id)
    assert again is not view and set(again.sensitivity.indices) == set(view.sensitivity.indices)


def test_parallel_coordinates_scatter_matrix_and_sensitivity(optimised, qtbot) -> None:
    _window, view, points = optimised
    done = [p for p in points if p.status == PointStatus.DONE]
    view.tabs.setCurrentIndex(1)
    parallel = view.parallel
    # objectives ticked by default; an input's axis named with its unit, as its column is
    assert parallel.names == [RATE, f"{THICKNESS} [µm]", ENERGY, COST]  # in µm as it spans
    assert parallel.normalised.shape == (len(done), 4)
    assert np.nanmin(parallel.normalised) == 0.0 and np.nanmax(parallel.normalised) == 1.0
    rates = np.array([p.values[RATE] for p in done])
    assert parallel.ranges[0] == pytest.approx((rates.min(), rates.max()))
    assert parallel.colour_by.currentText() == ENERGY
    view.select_row(0)  # the table's first row drawn in red
    assert parallel.highlighted == 0
    screenshot(view, "design_study_parallel")
    view.tabs.setCurrentIndex(2)
    view.matrix_outputs.choose([ENERGY, COST, "Duration [s]"])
    assert len(view.matrix.cells) == 3 * 2
    x, y = view.matrix.plotted("Duration [s]", RATE)
    ranks = np.argsort(np.argsort(x)), np.argsort(np.argsort(y))
    assert x.size == len(done) and np.corrcoef(*ranks)[0, 1] < -0.8  # faster, shorter
    screenshot(view, "design_study_matrix")
    view.tabs.setCurrentIndex(4)
    qtbot.waitUntil(view.sensitivity.compute_button.isEnabled, timeout=120000)  # the automatic one
    view.sensitivity.indices = {}
    qtbot.mouseClick(view.sensitivity.compute_button, QtCore.Qt.MouseButton.LeftButton)
    assert view.sensitivity.status.text() == "computing…"
    qtbot.waitUntil(lambda: bool(view.sensitivity.indices), timeout=120000)
    view.sensitivity.output.setCurrentText("Duration [s]")
    bars = view.sensitivity.bars()  # the inputs named as the table's columns are
    # a discharge's duration is about capacity / current: the rate dominates it
    assert bars[RATE][1] > 0.7 and bars[f"{THICKNESS} [µm]"][1] < bars[RATE][1]
    assert "cross-validated" in view.sensitivity.status.text()
    screenshot(view, "design_study_sensitivity")
    view.tabs.setCurrentIndex(5)  # what-if sliders on the surrogate just fitted
    whatif = view.whatif
    assert set(whatif.sliders) == {RATE, f"{THICKNESS} [µm]"}
    qtbot.waitUntil(lambda: whatif.sliders[RATE].height() > 5, timeout=2000)
    whatif.set_value(RATE, 0.6)
    slow = whatif.answer()["Duration [s]"][0]
    whatif.set_value(RATE, 2.8)
    fast, spread = whatif.answer()["Duration [s]"]
    assert whatif.point()[0] == pytest.approx(2.8, abs=0.01) and slow > 2.5 * fast > 0
    assert spread > 0
    screenshot(view, "design_study_whatif")


def test_the_editor_sets_up_an_optimisation_with_constraints_and_sensitivity(window, qtbot):
    window.new_project()
    window.project.put(lg_m50())
    dialog = window.make_design_study_dialog()
    qtbot.addWidget(dialog)
    dialog.select(f"Cell: {lg_m50().name}", "electrochem.pybamm_discharge")
    dialog.form.set_value("model", "SPM")
    dialog.add_input(RATE, 0.5, 3.0)
    dialog.add_input(THICKNESS, 60e-6, 77e-6)
    dialog.sampler.setCurrentIndex(dialog.sampler.findData("nsga2"))
    goals = dialog.goals
    assert goals.objectives.rowCount() == 2  # NSGA-II needs two: rows are offered
    assert dialog.pages.currentWidget() is goals
    goals.objectives.cellWidget(1, 0).setCurrentText(COST)
    goals.objectives.cellWidget(1, 1).setCurrentIndex(1)  # minimise
    row = goals.add_constraint("Capacity utilisation [1]", None, None)
    goals.constraints.item(row, 1).setText("most")
    assert dialog.design_study() is None and "'most' is not a number" in dialog.message.text()
    goals.constraints.item(row, 1).setText("0.9")
    goals.sensitivity.setChecked(True)
    dialog.points.setValue(12)
    study = dialog.design_study()
    assert dialog.message.text() == "", dialog.message.text()
    assert (study.sampler, study.points, study.sensitivity) == ("nsga2", 12, True)
    assert [(o.output, o.direction) for o in study.objectives] == [
        (ENERGY, "maximize"), (COST, "minimize")]  # fmt: skip
    assert [(c.output, c.min, c.max) for c in study.constraints] == [
        ("Capacity utilisation [1]", 0.9, None)]  # fmt: skip
    goals.objectives.removeRow(1)
    assert dialog.design_study() is None and "two or more objectives" in dialog.message.text()
    screenshot(dialog, "design_study_goals")
    dialog.reject()
