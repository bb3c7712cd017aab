"""Real exports from the shared fixtures, damaged the ways a lab's files are: an export cut
mid-row with something written after it, rows of separators only that Excel leaves after a
table.  Each reads to the original's numbers or fails with one line naming the file and line."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.labdata import LabDataError, read_cycler_file

C = "cycler/"
#: text exports whose last line is a full record (and ends with a newline or not)
TEXT_EXPORTS = [
    "arbin_csv/2017-05-09_test-TC-contact_CH33.csv",
    "batteryarchive_csv/CALCE_CX2-33_prism_LCO_25C_0-100_0.5-0.5C_d_cycle_data.csv",
    "novonix/sample_data_novonix.csv",
    "basytec/sample_data_basytec.txt",
    "biologic_mpt/Sample_data_biologic_no_header.mpt",
    "gamry_eis_dta/exampleDataGamry.DTA",
]


def _records(fixtures_dir, name: str) -> tuple[list[bytes], bytes]:
    data = (fixtures_dir / C / name).read_bytes()
    newline = b"\r\n" if b"\r\n" in data else b"\n"
    return data.rstrip(b"\r\n").split(newline), newline


def _same_table(original, variant) -> None:
    assert variant.names == original.names
    for name in original.names:
        np.testing.assert_array_equal(variant[name], original[name], err_msg=name)


@pytest.mark.parametrize("name", TEXT_EXPORTS)
@pytest.mark.parametrize("after", [b"\n", b"\n\n\n"], ids=["newline", "blank lines"])
def test_a_record_cut_mid_row_is_named_whatever_follows_it(fixtures_dir, tmp_path, name, after):
    """The last record cut in half (an export stopped mid-row, then closed or appended to)
    is reported with its line, never read as a record whose cells are missing or cut short
    (``4.410742257543454e-11`` kept as ``4.410742``)."""
    lines, newline = _records(fixtures_dir, name)
    lines[-1] = lines[-1][: len(lines[-1]) // 2]
    path = tmp_path / ("cut" + (fixtures_dir / C / name).suffix)
    path.write_bytes(newline.join(lines) + after.replace(b"\n", newline))
    with pytest.raises(LabDataError, match=rf"cut\.\w+: line {len(lines)}: truncated record"):
        read_cycler_file(path)


@pytest.mark.parametrize("name", TEXT_EXPORTS)
def test_rows_of_separators_only_after_the_table_are_not_records(fixtures_dir, tmp_path, name):
    """A sheet saved as CSV ends in rows of separators (``,,,,``): no records, not an error,
    and no empty cycles added to a cycle summary."""
    lines, newline = _records(fixtures_dir, name)
    sep = b"\t" if lines[-1].count(b"\t") > lines[-1].count(b",") else b","
    empty = sep * lines[-1].count(sep)
    path = tmp_path / ("padded" + (fixtures_dir / C / name).suffix)
    path.write_bytes(newline.join([*lines, empty, empty]) + newline)
    _same_table(read_cycler_file(fixtures_dir / C / name), read_cycler_file(path))


@pytest.mark.parametrize(
    "name",
    [
        "arbin_csv/2017-05-09_test-TC-contact_CH33.csv",
        "landt_csv/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.csv",
    ],
)
def test_a_discharge_positive_export_is_told_by_its_capacity_columns(fixtures_dir, tmp_path, name):
    """The same export from software that counts discharge current positive and writes no
    state column: the charge capacity grows where the current is negative, so the current is
    negated (and said so), never stored with charge and discharge swapped."""
    import csv
    import io

    source = fixtures_dir / C / name
    lines = source.read_text().splitlines()
    header = next(k for k, line in enumerate(lines) if "urrent" in line)
    rows = list(csv.reader(io.StringIO("\n".join(lines[header:]))))
    column = next(k for k, cell in enumerate(rows[0]) if cell.lower().startswith("current"))
    for row in rows[1:]:
        row[column] = repr(-float(row[column]))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / ("flipped" + source.suffix)
    path.write_text("\n".join(lines[:header]) + ("\n" if header else "") + out.getvalue())
    original, flipped = read_cycler_file(source), read_cycler_file(path)
    np.testing.assert_array_equal(flipped["current_ampere"], original["current_ampere"] + 0.0)
    assert any("current negated" in note for note in flipped.metadata["notes"])


def _flip_current(source, path, header_word: str, current: str) -> None:
    """``source`` with the current column (``current``) of its table (the first line holding
    ``header_word``) negated, written to ``path`` byte for byte otherwise."""
    text = source.read_bytes().decode("latin-1")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.rstrip("\r\n").split(newline)
    sep = "\t" if "\t" in lines[-1] else ","
    start = next(n for n, line in enumerate(lines) if header_word in line)
    column = lines[start].split(sep).index(current)
    for n in range(start + 1, len(lines)):
        cells = lines[n].split(sep)
        cells[column] = repr(-float(cells[column]))
        lines[n] = sep.join(cells)
    path.write_bytes((newline.join(lines) + newline).encode("latin-1"))


@pytest.mark.parametrize(
    ("name", "header_word", "current", "told_by"),
    [
        ("novonix/sample_data_novonix.csv", "Step Type", "Current (A)", "step types"),
        ("basytec/sample_data_basytec.txt", "~Time", "I[A]", "capacity"),
    ],
)
def test_a_discharge_positive_export_is_told_by_its_step_type_codes(
    fixtures_dir, tmp_path, name, header_word, current, told_by
):
    """Novonix and BaSyTec write their state as numeric codes.  Novonix's CC-CV charge codes
    (7, 8; 9 and 10 for a discharge, 2 for a CC discharge) tell a file whose charge carries
    negative current; BaSyTec's codes tell nothing and, as for a file without a state
    column, its charge and discharge capacities do."""
    source = fixtures_dir / C / name
    path = tmp_path / ("flipped" + source.suffix)
    _flip_current(source, path, header_word, current)
    original, flipped = read_cycler_file(source), read_cycler_file(path)
    _same_table(original, flipped)
    assert (original["current_ampere"] > 0).any()
    assert any("current negated" in note and told_by in note for note in flipped.metadata["notes"])
