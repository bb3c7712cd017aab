"""Two exports of one channel appended into one file, the header repeated mid-file (the real
Arbin and BDF fixtures written twice): read as one run when the repeated header equals the
first, the second part's test time and cycle offset where they restart (said in the notes);
a different header there stays an error at its line."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.labdata import LabDataError, read_cycler_file

ARBIN = "cycler/arbin_csv/2017-05-09_test-TC-contact_CH33.csv"
BDF = "cycler/bdf_csv/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.bdf.csv"


def _appended(fixtures_dir, tmp_path, name: str, second=lambda cells: cells, header=None):
    """The fixture, then its table again (its rows through ``second``, under ``header``)."""
    lines = (fixtures_dir / name).read_text(encoding="utf-8").rstrip("\n").split("\n")
    rows = [",".join(second(line.split(","))) for line in lines[1:]]
    path = tmp_path / "appended.csv"
    path.write_text("\n".join([*lines, header or lines[0], *rows, ""]), encoding="utf-8")
    return read_cycler_file(fixtures_dir / name), path


@pytest.mark.parametrize("name", [ARBIN, BDF])
def test_a_restarting_second_export_continues_the_first(fixtures_dir, tmp_path, name):
    original, path = _appended(fixtures_dir, tmp_path, name)
    table = read_cycler_file(path)
    n = len(original["voltage_volt"])
    assert len(table["voltage_volt"]) == 2 * n
    for column in ("voltage_volt", "current_ampere"):
        np.testing.assert_array_equal(table[column][:n], original[column])
        np.testing.assert_array_equal(table[column][n:], original[column])
    time = table["test_time_second"]
    assert np.all(np.diff(time) >= 0)
    np.testing.assert_allclose(
        time[n:], original["test_time_second"] - original["test_time_second"][0] + time[n - 1]
    )
    notes = table.metadata["notes"]
    assert f"test_time_second restarted in the appended export(s) from data record {n + 1}" in (
        " ".join(notes)
    )
    assert "2 appended exports with one header read as one" in notes


def test_a_continuing_second_export_is_read_as_written(fixtures_dir, tmp_path):
    """The second export's time and cycle numbers go on from the first's: nothing offset."""

    def later(cells):  # Arbin: Data_Point, Test_Time, ..., Cycle_Index is the sixth column
        cells[0] = str(int(cells[0]) + 1000)
        cells[1] = str(float(cells[1]) + 5000.0)
        cells[5] = "2"
        return cells

    original, path = _appended(fixtures_dir, tmp_path, ARBIN, later)
    table = read_cycler_file(path)
    n = len(original["voltage_volt"])
    np.testing.assert_allclose(table["test_time_second"][n:], original["test_time_second"] + 5000)
    assert set(table["cycle_count"][n:]) == {2.0}
    assert not any("restarted" in note for note in table.metadata.get("notes", []))


def test_a_different_header_mid_file_is_refused_at_its_line(fixtures_dir, tmp_path):
    original, path = _appended(
        fixtures_dir, tmp_path, BDF, header="test_time_second,voltage_volt,current_ampere,x,y,z,w"
    )
    line = len(original["voltage_volt"]) + 2
    with pytest.raises(
        LabDataError, match=rf"appended\.csv: line {line}: column '\w+' has non-numeric value"
    ):
        read_cycler_file(path)
