"""Arbin, Neware, PEC, BDF and BatteryArchive tables written with the columns a user chose:
in another order, the first column (Arbin's and Neware's data point) and others left out.
Such a table is recognised by the columns of a layout it names, when its time, voltage and
current map and no other layout names as many; each variant reads to the original's numbers.
A table two layouts name equally, or one without a time, is refused with its proposed mapping
(and the layouts it could be)."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from cellwright.projects.labdata import LabDataError, detect_format, read_cycler_file
from support.paths import CORPUS

#: (file under the shared fixtures' cycler/, columns left out, the BDF columns they gave)
EXPORTS = {
    "arbin": ("arbin_csv/2017-05-09_test-TC-contact_CH33.csv", ("Data_Point", "dV/dt"), ()),
    "arbin mits pro": (
        "arbin_csv/sample_data_arbin.csv",
        ("Data Point", "Step Time (s)", "TC_Counter1", "Power (W)"),
        (),
    ),
    "bdf": (
        "bdf_csv/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.bdf.csv",
        ("ambient_temperature_celsius",),
        ("ambient_temperature_celsius",),
    ),
    "batteryarchive": (
        "batteryarchive_csv/CALCE_CX2-33_prism_LCO_25C_0-100_0.5-0.5C_d_timeseries.csv",
        ("Cell_Temperature (C)", "Environment_Temperature (C)"),
        ("surface_temperature_celsius", "ambient_temperature_celsius"),
    ),
}
#: a flat Neware BTS CSV (fastnda's test file), in the repository's corpus
NEWARE = "g-kimbell+fastnda/tests/test_data/interp-test.csv"


def _rewrite(source, path, order, left_out=()) -> None:
    """``source``'s table (header on line 1) with its columns in ``order``, ``left_out``
    dropped; a byte-order mark stays in front."""
    # latin-1 round-trips every byte: the file's own encoding is kept as it is
    text = source.read_bytes().decode("latin-1")
    newline = "\r\n" if "\r\n" in text else "\n"
    bom = "\xef\xbb\xbf" if text.startswith("\xef\xbb\xbf") else ""
    lines = text[len(bom) :].rstrip("\r\n").split(newline)
    header = lines[0].split(",")
    kept = [k for k in order(list(range(len(header)))) if header[k].strip() not in left_out]
    table = [",".join(cells[k] for k in kept) for cells in (line.split(",") for line in lines)]
    path.write_bytes((bom + newline.join([*table, ""])).encode("latin-1"))


def _same_values(original, variant, absent=()) -> None:
    assert sorted(variant.names) == sorted(n for n in original.names if n not in absent)
    for name in variant.names:
        np.testing.assert_array_equal(variant[name], original[name], err_msg=name)


ORDERS = {
    "reversed": lambda k: k[::-1],
    "rotated": lambda k: k[3:] + k[:3],
    "interleaved": lambda k: k[1::2] + k[::2],
}


@pytest.mark.parametrize("key", list(EXPORTS))
@pytest.mark.parametrize("order", list(ORDERS))
def test_columns_in_another_order_read_to_the_same_numbers(fixtures_dir, tmp_path, key, order):
    source = fixtures_dir / "cycler" / EXPORTS[key][0]
    path = tmp_path / "chosen.csv"
    _rewrite(source, path, ORDERS[order])
    assert detect_format(path) == detect_format(source)
    _same_values(read_cycler_file(source), read_cycler_file(path))


@pytest.mark.parametrize("key", list(EXPORTS))
def test_columns_left_out_read_to_the_same_numbers(fixtures_dir, tmp_path, key):
    """Arbin's data point (a marker column of both its layouts) and columns no BDF column
    comes from left out, the rest shuffled: still the vendor's table, the same numbers."""
    name, left_out, absent = EXPORTS[key]
    source = fixtures_dir / "cycler" / name
    path = tmp_path / "chosen.csv"
    _rewrite(source, path, ORDERS["interleaved"], left_out)
    assert detect_format(path) == detect_format(source)
    _same_values(read_cycler_file(source), read_cycler_file(path), absent)


@pytest.fixture(scope="module")
def neware_csv():
    path = CORPUS / NEWARE
    if not path.is_file():
        pytest.skip(f"Neware CSV not found at {path} (set CELLWRIGHT_CORPUS)")
    return path


@pytest.mark.parametrize("order", list(ORDERS))
def test_neware_csv_without_its_data_point_column(neware_csv, tmp_path, order):
    """`DataPoint` is in every Neware marker group: without it the table was 'unrecognised'."""
    path = tmp_path / "chosen.csv"
    _rewrite(neware_csv, path, ORDERS[order], ("DataPoint", "Spec. Cap.(mAh/g)"))
    assert detect_format(path) == "neware_csv"
    _same_values(read_cycler_file(neware_csv), read_cycler_file(path))


def test_neware_xlsx_without_its_data_point_column(neware_csv, tmp_path):
    """The same table as a one-sheet workbook (no layer sheets to tell it is Neware's)."""
    from openpyxl import Workbook

    rows = list(csv.reader(neware_csv.read_bytes().decode("latin-1").splitlines()))
    header = [cell.strip() for cell in rows[0]]
    kept = [k for k in range(len(header))[::-1] if header[k] and header[k] != "DataPoint"]
    book = Workbook()
    for row in rows:
        book.active.append([_cell(row[k]) if k < len(row) else None for k in kept])
    path = tmp_path / "chosen.xlsx"
    book.save(path)
    assert detect_format(path) == "neware_xlsx"
    _same_values(read_cycler_file(neware_csv), read_cycler_file(path))


def _cell(text: str):
    try:
        return float(text)
    except ValueError:
        return text or None


PEC_META = ["Test:,25195", "Start Time:,01/06/2026 17:46:49"]
PEC_HEADER = (
    "Test,Cell,Rack,Shelf,Position,Step,Cycle,Total Time (Seconds),Real Time,Voltage (V),"
    "Current (A),Charge Capacity (mAh),Discharge Capacity (mAh)"
)
PEC_ROWS = [
    "25195,1,ACT4,014,1,0,1,0.002,01/06/2026 17:51:06,3.5690308,-8E-06,0,0",
    "25195,1,ACT4,014,1,1,1,1.0,01/06/2026 17:51:07,3.55,-1.5,0,0.4",
    "25195,1,ACT4,014,1,1,1,363601.5,01/10/2026 22:51:07,3.0,-1.5,0,1500",
]


@pytest.mark.parametrize("left_out", [(), ("Rack", "Shelf", "Position"), ("Cycle", "Rack")])
def test_pec_export_with_chosen_columns(tmp_path, left_out):
    """A PEC table was known by all of Cycle, Step and a time column or the channel address:
    without the address and the cycle, in reverse order, it is still PEC's."""
    header = PEC_HEADER.split(",")
    kept = [k for k in reversed(range(len(header))) if header[k] not in left_out]
    table = [",".join(line.split(",")[k] for k in kept) for line in [PEC_HEADER, *PEC_ROWS]]
    path = tmp_path / "Test25195.csv"
    path.write_text("\n".join([*PEC_META, *table, ""]), encoding="utf-8")
    assert detect_format(path) == "pec_csv"
    table = read_cycler_file(path)
    np.testing.assert_allclose(table["test_time_second"], [0.002, 1.0, 363601.5])
    np.testing.assert_allclose(table["current_ampere"], [-8e-6, -1.5, -1.5])
    np.testing.assert_allclose(table["discharging_capacity_ah"], [0.0, 4e-4, 1.5])
    assert table.metadata["format"] == "pec_csv"


def test_a_table_two_layouts_name_alike_is_refused_naming_both(tmp_path):
    """`Cycle_Index`, `Current (A)` and `Voltage (V)` are Arbin's and BatteryArchive's names
    both, and the time column is neither's: no layout is chosen, the error names both and the
    proposed mapping, which `--mapping auto` then uses."""
    path = tmp_path / "alike.csv"
    rows = ["Test Time,Cycle_Index,Current (A),Voltage (V)", "0,1,0.1,3.5", "10,1,0.1,3.6"]
    path.write_text("\n".join([*rows, "20,1,0.1,3.7", ""]), encoding="utf-8")
    assert detect_format(path) == "generic"
    with pytest.raises(LabDataError) as error:
        read_cycler_file(path)
    message = str(error.value)
    assert "line 1: unrecognised cycler format (columns of" in message
    assert "batteryarchive_csv" in message and "arbin_csv" in message
    assert "Test Time->test_time_second" in message and "--mapping auto" in message
    table = read_cycler_file(path, mapping="auto")
    np.testing.assert_allclose(table["voltage_volt"], [3.5, 3.6, 3.7])


def test_a_chosen_table_without_its_time_is_refused_with_the_proposed_mapping(
    fixtures_dir, tmp_path
):
    """BDF's test time left out (this file has no wall clock either): nothing to read the
    run's time from, so no layout is chosen and the proposed mapping is shown."""
    source = fixtures_dir / "cycler" / EXPORTS["bdf"][0]
    path = tmp_path / "chosen.csv"
    _rewrite(source, path, ORDERS["reversed"], ("test_time_second",))
    with pytest.raises(
        LabDataError,
        match=r"chosen\.csv: line 1: unrecognised cycler format \(a table with columns .*"
        r"voltage_volt->voltage_volt .*no column found for test_time_second",
    ):
        read_cycler_file(path)
