"""TableViewer: scalars with units, summaries, copy to clipboard, CSV and XLSX export."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from cellwright.projects.model import InputError
from cellwright.viewers.table_viewer import TableViewer
from support.viewer_data import read_csv

pytestmark = pytest.mark.gui

SELECT = QtCore.QItemSelectionModel.SelectionFlag.Select


@pytest.fixture
def table(qtbot):
    viewer = TableViewer()
    qtbot.addWidget(viewer)
    viewer.resize(600, 400)
    viewer.show()
    qtbot.waitExposed(viewer)
    return viewer


def test_scalars_show_name_value_and_unit(table, discharge) -> None:
    table.set_scalars(discharge.scalars)
    assert table.table.rowCount() == 2 and table.table.columnCount() == 3
    assert [table.cell_text(0, c) for c in range(3)] == ["Discharge capacity", "5", "A.h"]
    assert [table.cell_text(1, c) for c in range(3)] == ["Discharge energy", "18.25", "W.h"]
    header = table.model.headerData(2, QtCore.Qt.Orientation.Horizontal)
    assert header == "Unit"


def test_a_value_that_is_none_shows_a_dash_and_exports_nan(table, tmp_path) -> None:
    # a runaway where no neighbour caught fire: "First neighbour onset time" is NaN
    table.set_scalars({"First onset time [s]": 106.7, "First neighbour onset time [s]": np.nan})
    assert [table.cell_text(1, c) for c in range(3)] == ["First neighbour onset time", "—", "s"]
    target = tmp_path / "scalars.csv"
    table.export_csv(target)
    assert read_csv(target)[2][1] == "nan"


def test_a_narrow_table_keeps_values_and_units_in_sight(table, qtbot) -> None:
    """A crush's scalars in the strip beside its curve: the long names give way, the numbers
    and units stay on screen, and a name cut short shows whole as its tooltip."""
    name = "Short-circuit onset displacement"
    table.set_scalars({f"{name} [m]": 0.00208202, "Peak force [N]": 20573.4})
    table.resize(260, 200)
    header = table.table.horizontalHeader()

    def unit_in_sight() -> bool:  # the unit column's first letters
        return header.sectionViewportPosition(2) + 20 <= table.table.viewport().width() < 260

    qtbot.waitUntil(unit_in_sight)
    assert header.sectionSize(1) >= table.table.sizeHintForColumn(1)  # the number is whole
    tip = table.model.data(table.model.index(0, 0), QtCore.Qt.ItemDataRole.ToolTipRole)
    assert tip == name
    table.resize(900, 200)  # room again: the name is shown whole
    qtbot.waitUntil(lambda: header.sectionSize(0) >= table.table.sizeHintForColumn(0))


def test_a_name_its_column_cuts_short_wraps_into_a_taller_row(table, qtbot) -> None:
    """Beside a crush's curve the scalars read "Displacement at pea…": a name that does not fit
    its column wraps onto a second line, in a row tall enough to show it whole."""
    from PySide6 import QtGui

    name = "Displacement at peak force"
    table.set_scalars({f"{name} [m]": 0.00208202, "Peak force [N]": 20573.4})
    table.resize(260, 200)
    view, header = table.table, table.table.horizontalHeader()
    qtbot.waitUntil(lambda: header.sectionSize(0) < view.sizeHintForColumn(0))
    qtbot.waitUntil(lambda: view.rowHeight(0) > view.rowHeight(1))
    assert view.wordWrap()
    metrics = QtGui.QFontMetrics(view.font())
    room = QtCore.QRect(0, 0, header.sectionSize(0) - 8, 1000)  # less the cell's margins
    flags = int(QtCore.Qt.TextFlag.TextWordWrap)
    whole = metrics.boundingRect(room, flags, name)
    assert whole.height() >= 2 * metrics.lineSpacing()  # it does need two lines here
    assert view.rowHeight(0) >= whole.height()
    table.resize(900, 200)  # room again: one line each
    qtbot.waitUntil(lambda: view.rowHeight(0) == view.rowHeight(1))
    assert header.sectionSize(0) >= view.sizeHintForColumn(0)


def test_summaries_from_records_arrays_and_columns(table) -> None:
    table.set_records([{"cycle": 1, "capacity [A.h]": 4.95}, {"cycle": 2, "note": "rest"}])
    assert table.model.header == ["cycle", "capacity [A.h]", "note"]
    assert [table.cell_text(1, c) for c in range(3)] == ["2", "", "rest"]
    table.set_array(np.arange(6.0).reshape(2, 3) / 7)
    assert table.model.header == ["1", "2", "3"] and table.cell_text(1, 2) == "0.7143"
    table.set_columns({"cycle": np.arange(1, 4), "efficiency": np.array([0.99, 0.995, 0.998])})
    assert table.table.rowCount() == 3 and table.cell_text(2, 1) == "0.998"


def test_bad_tables_name_the_problem(table) -> None:
    with pytest.raises(InputError, match=r"row 2: has 1 values but the header has 2"):
        table.set_rows(["a", "b"], [[1, 2], [3]])
    with pytest.raises(InputError, match=r"columns differ in length.*'b': 1"):
        table.set_columns({"a": [1, 2], "b": [1]})
    with pytest.raises(InputError, match=r"2-D array, got shape \(3,\)"):
        table.set_array(np.zeros(3))


def test_copy_selection_is_tab_separated_on_the_clipboard(table, qtbot) -> None:
    table.set_rows(["a", "b", "c"], [[1.5, 2.5, "x"], [3.0, 4.0, "y"], [5.0, 6.0, "z"]])
    table.table.setFocus()
    selection = table.table.selectionModel()
    model = table.model
    rect = QtCore.QItemSelection(model.index(1, 0), model.index(2, 1))
    selection.select(rect, SELECT)
    qtbot.keyClick(table.table, QtCore.Qt.Key.Key_C, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert QtWidgets.QApplication.clipboard().text() == "3\t4\n5\t6"
    # a ragged selection pastes back into place: the gap stays empty
    selection.select(model.index(0, 2), SELECT)
    assert table.copy_selection() == "\t\tx\n3\t4\t\n5\t6\t"


def test_csv_export_keeps_full_precision(table, tmp_path) -> None:
    values = np.array([[1 / 3, 2 / 3], [np.pi, np.e]])
    table.set_array(values, header=["first", "second"])
    assert table.cell_text(0, 0) == "0.3333"  # shown short ...
    rows = read_csv(table.export_csv(tmp_path / "t.csv"))
    assert rows[0] == ["first", "second"]
    np.testing.assert_array_equal(np.array(rows[1:], float), values)  # ... exported exactly


def test_xlsx_export_has_numbers_as_numbers(table, discharge, tmp_path) -> None:
    from openpyxl import load_workbook

    table.set_scalars(discharge.scalars)
    path = table.export_xlsx(tmp_path / "scalars.xlsx")
    book = load_workbook(path, read_only=True)
    try:
        rows = list(book.active.values)
    finally:
        book.close()
    assert rows[0] == ("Quantity", "Value", "Unit")
    assert rows[2] == ("Discharge energy", 18.25, "W.h")


def test_context_menu_exports_the_table(table, monkeypatch, tmp_path, discharge) -> None:
    table.set_scalars(discharge.scalars)
    target = tmp_path / "menu.csv"
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV (*.csv)")
    )
    [copy, export] = table.table.actions()
    assert copy.text() == "Copy"
    export.trigger()
    assert read_csv(target)[1] == ["Discharge capacity", "5.0", "A.h"]


def test_scalars_read_as_an_engineer_writes_them(table) -> None:
    """A vibration, swelling and runaway result's figures as the window showed them raw
    ("17416.6 Pa", "43200 s", "7.38559e-44", "Runaway 1 -"): now prefixed, grouped, a power of
    ten written as one, a flag in words, no "-" unit; the same rule as the report's."""
    table.set_scalars(
        {
            "Maximum 3-sigma von Mises stress [Pa]": 17416.6,
            "Exposure [s]": 43200.0,
            "Maximum fatigue damage, Dirlik [-]": 7.38559e-44,
            "Runaway [-]": 1.0,
            "Peak force [N]": 20423.4,
            "Smallest time step [s]": 0.000488281,
            "Total flow rate [m3/s]": 1.66667e-05,
            "Stack volume [m^3]": 6.23366e-05,
            "Damping ratio [-]": 0.03,
            "Coolant inlet temperature [K]": 298.15,
            "Maximum cell temperature spread [K]": 0.0445934,
            "Hydraulic pumping power [W]": 0.00954919,
            "Seconds per Newton iteration [s]": 0.29059,
            "Cell loaded area [m^2]": 0.008585,
            "Total flow rate [L/min]": 1.0,  # stored beside the m3/s: shown once
            "Energy balance error [W]": 1.62004e-12,
        }
    )
    shown = [[table.cell_text(r, c) for c in range(3)] for r in range(table.table.rowCount())]
    assert shown == [
        ["Maximum 3-sigma von Mises stress", "17.42", "kPa"],
        ["Exposure", "43\u202f200", "s"],
        ["Maximum fatigue damage, Dirlik", "7.386 × 10⁻⁴⁴", ""],
        ["Runaway", "yes", ""],
        ["Peak force", "20.42", "kN"],
        ["Smallest time step", "0.4883", "ms"],
        ["Total flow rate", "1", "L/min"],
        ["Stack volume", "62.34", "cm^3"],
        ["Damping ratio", "0.03", ""],
        # absolute temperatures in °C, as the report writes them (a peak of 61.85 °C, not
        # 335 K); a spread of 0.04459 K is a difference and stays in K
        ["Coolant inlet temperature", "25", "°C"],
        ["Maximum cell temperature spread", "0.04459", "K"],  # a difference: 4 figures
        ["Hydraulic pumping power", "9.549", "mW"],
        ["Seconds per Newton iteration", "0.2906", "s"],  # not "Seconds ... 290.6 ms"
        ["Cell loaded area", "85.85", "cm^2"],
        ["Energy balance error", "1.62 × 10⁻¹²", "W"],  # not 1.62 × 10⁻⁹ mW
    ]


def test_prefixed_scalars_export_in_the_unit_shown(table, tmp_path) -> None:
    """The CSV's value is in the unit its row names (kPa beside 17.4166, not Pa), in full."""
    table.set_scalars({"Maximum cell face pressure [Pa]": 151065.0})
    rows = read_csv(table.export_csv(tmp_path / "s.csv"))
    assert rows[1][0] == "Maximum cell face pressure" and rows[1][2] == "kPa"
    assert float(rows[1][1]) == pytest.approx(151.065, rel=1e-12)


def test_a_flag_lines_up_with_the_numbers_above_it(table) -> None:
    """A flow study's "Converged yes" sat at the left of the Value column, the iterations
    above it at the right: a flag's word is aligned as the numbers are."""
    table.set_scalars({"Iterations": 580.0, "Converged [-]": 1.0})
    role = QtCore.Qt.ItemDataRole.TextAlignmentRole
    number_align = table.model.data(table.model.index(0, 1), role)
    assert table.cell_text(1, 1) == "yes"
    assert table.model.data(table.model.index(1, 1), role) == number_align
    assert int(number_align) & int(QtCore.Qt.AlignmentFlag.AlignRight)
    table.set_records([{"note": "rest"}])  # other tables keep text at the left
    assert table.model.data(table.model.index(0, 0), role) is None


def test_a_thermal_results_temperatures_read_in_celsius_as_in_the_report(table) -> None:
    """A runaway's peak read "1238.15 K" in the window's scalars and "965 °C" in the report
    beside it: one result, two readings. Both now read °C (a rise stays in K)."""
    from cellwright.app.report.study_sections import _scalar_row

    scalars = {
        "Maximum temperature [K]": 1238.15,
        "cell_0002 maximum temperature [K]": 310.4,
        "Maximum temperature rise [K]": 12.25,
        "Runaway [-]": 1.0,
    }
    table.set_scalars(scalars)
    shown = [[table.cell_text(r, c) for c in range(3)] for r in range(table.table.rowCount())]
    assert shown == [
        ["Maximum temperature", "965", "°C"],
        ["Cell 2 maximum temperature", "37.25", "°C"],
        ["Maximum temperature rise", "12.25", "K"],
        ["Runaway", "yes", ""],
    ]
    assert [list(_scalar_row(n, v)) for n, v in scalars.items()] == shown
