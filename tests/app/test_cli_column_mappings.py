"""`--mapping FILE.json` that does not fit the files it is given: the error names the mapping
file, the entry, the column it asks for and the columns the file has."""

from __future__ import annotations

import json

import pytest

from cellwright.app.cli import main

ROWS = [[0, 3.5, 1.0], [1, 3.6, 1.0], [2, 3.7, -1.0], [3, 3.6, -1.0]]
HEADER = ["Zeit", "Spannung", "Strom"]


def _error(capsys) -> str:
    captured = capsys.readouterr()
    assert "unexpected failure" not in captured.err
    return captured.out + captured.err


def _data(tmp_path, suffix: str):
    path = tmp_path / f"rig{suffix}"
    if suffix == ".csv":
        lines = [",".join(HEADER)] + [",".join(str(x) for x in row) for row in ROWS]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        book.active.append(HEADER)
        for row in ROWS:
            book.active.append(row)
        book.save(path)
    return path


def _project(tmp_path):
    project = tmp_path / "lab.cwproj"
    assert main(["new", str(project)]) == 0
    return project


@pytest.mark.parametrize(
    ("suffix", "where"), [(".csv", "line 1"), (".xlsx", "sheet 'Sheet', row 1")]
)
def test_a_mapped_column_the_file_lacks_names_mapping_entry_and_columns(
    tmp_path, capsys, suffix, where
) -> None:
    """The CSV said "mapped columns ['nonsense'] not in header [...]" without the mapping file
    or its entry; the workbook was skipped as "not cycler data ... give --mapping FILE.json"
    to a user who had given one."""
    project, data = _project(tmp_path), _data(tmp_path, suffix)
    mapping = tmp_path / "map.json"
    entries = {
        "nonsense": "test_time_second",
        "Spannung": "voltage_volt",
        "Strom": "current_ampere",
    }
    mapping.write_text(json.dumps(entries), encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(data), "-p", str(project), "--mapping", str(mapping)]) == 2
    shown = _error(capsys)
    assert (
        f"FAILED    {data}: {where}: the column mapping {mapping} asks for column 'nonsense' "
        "(entry 'nonsense': 'test_time_second'), which the file does not have "
        "(its columns: 'Zeit', 'Spannung', 'Strom')"
    ) in shown
    assert "not cycler data" not in shown


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        (
            {"Zeit": "nonsense", "Spannung": "voltage_volt", "Strom": "current_ampere"},
            "no column is mapped to test_time_second "
            "(entry 'Zeit': 'nonsense' is not a column Cellwright reads)",
        ),
        (
            {"Zeit": "test_time_secnd", "Spannung": "voltage_volt", "Strom": "current_ampere"},
            "no column is mapped to test_time_second "
            "(entry 'Zeit': 'test_time_secnd' is not a column Cellwright reads "
            "('test_time_second'?))",
        ),
        (  # the target first, as a telemetry mapping is written
            {"test_time_second": "Zeit", "voltage_volt": "Spannung", "current_ampere": "Strom"},
            "no column is mapped to test_time_second, voltage_volt, current_ampere (entries "
            "'test_time_second', 'voltage_volt', 'current_ampere' are the wrong way round: an "
            """entry is "file column": "target", as 'Zeit': 'test_time_second')""",
        ),
    ],
)
def test_a_mapping_naming_no_time_column_names_the_entry_at_once(
    tmp_path, capsys, entries, expected
) -> None:
    """Each file read with it failed with "no test_time_second column could be mapped" (or
    "mapped columns [...] not in header"): neither the mapping file nor the entry was named."""
    project, data = _project(tmp_path), _data(tmp_path, ".csv")
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps(entries), encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(data), "-p", str(project), "--mapping", str(mapping)]) == 2
    shown = _error(capsys)
    assert f"{mapping}: column mapping: {expected}" in shown
    assert "could be mapped" not in shown
    assert main(["labdata", "list", "-p", str(project)]) == 0
    assert capsys.readouterr().out == ""  # nothing stored


def test_a_lab_run_mapping_of_twin_import_is_named_too(tmp_path, capsys) -> None:
    """`twin import --kind labrun --mapping` read the mapping as any JSON: its errors named the
    data file only."""
    project, data = _project(tmp_path), _data(tmp_path, ".csv")
    assert main(["battery", "add", "C-1", "--design", "lg-m50", "-p", str(project)]) == 0
    mapping = tmp_path / "map.json"
    entries = {"Time": "test_time_second", "Spannung": "voltage_volt", "Strom": "current_ampere"}
    mapping.write_text(json.dumps(entries), encoding="utf-8")
    args = ["--kind", "labrun", "--battery", "C-1", "--mapping", str(mapping), "-p", str(project)]
    capsys.readouterr()
    assert main(["twin", "import", str(data), *args]) == 2
    assert f"the column mapping {mapping} asks for column 'Time'" in _error(capsys)
