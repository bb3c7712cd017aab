"""Real Landt, Maccor and BaSyTec exports from the shared fixtures written with the columns a
user chose in the export dialog: in another order, some left out.  The header is found by the
columns it names, not by its first one; each variant reads to the original's numbers, and a
file without its header line is still refused in one line."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.labdata import LabDataError, detect_format, read_cycler_file

C = "cycler/"
#: (fixture, separator, columns left out: marker and other columns of the layout)
EXPORTS = {
    "landt": (
        "landt_csv/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.csv",
        ",",
        ("channel_index", "step_time_s", "Pressure_Psi"),
    ),
    "maccor": ("maccor/maccor_example.001", "\t", ("Rec#", "ES", "Step (Min)")),
    "maccor durations": (
        "maccor/maccor_test_file_4267-66-6519.041",
        "\t",
        ("Rec#", "StepTime", "VAR1", "VAR2"),
    ),
    "maccor csv": ("maccor/sample_data_maccor.csv", ",", ("Rec", "Step Time (sec)")),
    "basytec": ("basytec/sample_data_basytec.txt", "\t", ("DataSet", "t-Step[s]", "Command")),
}


def _header_at(lines: list[str], sep: str) -> int:
    """The fixture's header line: the first line of as many cells as the data rows after it."""
    return next(
        n
        for n, line in enumerate(lines)
        if line.count(sep) >= 3
        and not line.split(sep)[0].strip("~").replace(".", "").isdigit()
        and lines[n + 1].split(sep)[0].replace(".", "").isdigit()
    )


def _rewrite(fixtures_dir, tmp_path, key: str, order, left_out=()) -> tuple:
    """The fixture with its table's columns put in ``order(header)``, ``left_out`` dropped."""
    name, sep, _ = EXPORTS[key]
    source = fixtures_dir / C / name
    # latin-1 round-trips every byte: the fixture's own encoding is kept as it is
    text = source.read_bytes().decode("latin-1")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.rstrip("\r\n").split(newline)
    start = _header_at(lines, sep)
    header = lines[start].lstrip("~").split(sep)
    kept = [k for k in order(list(range(len(header)))) if header[k] not in left_out]
    table = []
    for line in lines[start:]:
        cells = line.lstrip("~").split(sep)
        table.append(sep.join(cells[k] if k < len(cells) else "" for k in kept))
    if lines[start].startswith("~"):  # BaSyTec marks its header line, whatever comes first
        table[0] = "~" + table[0]
    path = tmp_path / ("chosen" + source.suffix)
    path.write_bytes(newline.join(lines[:start] + table + [""]).encode("latin-1"))
    return source, path


def _same_values(original, variant) -> None:
    assert sorted(variant.names) == sorted(original.names)
    for name in original.names:
        np.testing.assert_array_equal(variant[name], original[name], err_msg=name)


@pytest.mark.parametrize("key", list(EXPORTS))
@pytest.mark.parametrize(
    "order",
    [lambda k: k[::-1], lambda k: k[3:] + k[:3]],
    ids=["reversed", "rotated"],
)
def test_columns_in_another_order_read_to_the_same_numbers(fixtures_dir, tmp_path, key, order):
    source, path = _rewrite(fixtures_dir, tmp_path, key, order)
    assert detect_format(path) == detect_format(source)
    _same_values(read_cycler_file(source), read_cycler_file(path))


@pytest.mark.parametrize("key", list(EXPORTS))
def test_columns_left_out_read_to_the_same_numbers(fixtures_dir, tmp_path, key):
    """The first column (Landt's channel, Maccor's record number, BaSyTec's data set) and
    others no BDF column comes from are left out, and the rest shuffled."""
    left_out = EXPORTS[key][2]
    source, path = _rewrite(fixtures_dir, tmp_path, key, lambda k: k[1::2] + k[::2], left_out)
    assert detect_format(path) == detect_format(source)
    _same_values(read_cycler_file(source), read_cycler_file(path))


@pytest.mark.parametrize("key", ["maccor", "maccor csv"])
def test_an_export_without_its_header_line_is_refused_in_one_line(fixtures_dir, tmp_path, key):
    """The header line deleted: the Maccor preamble still says what the file is, and no line
    names its columns, so the table cannot be read."""
    name, sep, _ = EXPORTS[key]
    source = fixtures_dir / C / name
    text = source.read_bytes().decode("latin-1")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    del lines[_header_at(lines, sep)]
    path = tmp_path / ("headless" + source.suffix)
    path.write_bytes(newline.join(lines).encode("latin-1"))
    with pytest.raises(
        LabDataError, match=r"headless\.\w+: lines 1-\d+: Maccor export without its table header"
    ):
        read_cycler_file(path)


def test_a_required_column_left_out_is_named_at_the_header(fixtures_dir, tmp_path):
    """BaSyTec's time column left out of the export: refused at the header line, naming the
    BDF column nothing in the file gives."""
    _, path = _rewrite(fixtures_dir, tmp_path, "basytec", lambda k: k, ("Time[s]",))
    with pytest.raises(
        LabDataError,
        match=r"chosen\.txt: line 13: BaSyTec header names no column for test_time_second",
    ):
        read_cycler_file(path)
