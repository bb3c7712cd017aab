"""Bad files get a LabDataError naming the file and a position; renamed files still read."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cellwright.projects.labdata import CyclerTable, LabDataError, read_cycler_file
from cellwright.projects.labdata.mapper import load_mapping, save_mapping

C = "cycler/"
LANDT = C + "landt_csv/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.csv"


def copy_bytes(fixtures_dir, name, tmp_path, data=None, target="file.bin"):
    source = fixtures_dir / name
    out = tmp_path / target
    out.write_bytes(source.read_bytes() if data is None else data(source.read_bytes()))
    return out


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(LabDataError, match=r"empty.csv: file is empty"):
        read_cycler_file(path)


def test_missing_file(tmp_path):
    with pytest.raises(LabDataError, match="cannot open"):
        read_cycler_file(tmp_path / "nope.csv")


def test_truncated_text_names_the_line(fixtures_dir, tmp_path):
    path = copy_bytes(fixtures_dir, LANDT, tmp_path, lambda b: b[:1_000_000], "cut.csv")
    n_lines = path.read_bytes().count(b"\n") + 1
    with pytest.raises(LabDataError, match=rf"cut.csv: line {n_lines}: truncated record"):
        read_cycler_file(path)


@pytest.mark.parametrize(
    ("name", "keep", "message"),
    [
        ("arbin_res/arbin_example.res", 60_000, "truncated Jet 4 database"),
        ("biologic_mpr/GCPL-0.mpr", 8_000, "truncated .mpr"),
        ("neware_nda/test.nda", 30_000, "unreadable Neware file"),
        ("neware_nda/test.ndax", 20_000, "zip header but unreadable archive"),
        (
            "gamry_eis_dta/exampleDataGamry.DTA",
            20_000,
            r"no ZCURVE \(impedance\) or CURVE \(DC\) table",
        ),
    ],
)
def test_truncated_binary_files(fixtures_dir, tmp_path, name, keep, message):
    target = "cut" + (fixtures_dir / C / name).suffix
    path = copy_bytes(fixtures_dir, C + name, tmp_path, lambda b: b[:keep], target)
    with pytest.raises(LabDataError, match=message) as info:
        read_cycler_file(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252", "gb18030"])
def test_encodings_are_sniffed(fixtures_dir, tmp_path, encoding):
    """UTF-16, UTF-8 with BOM, cp1252 and GB18030 copies read like the UTF-8 original."""
    source = fixtures_dir / C / "novonix/sample_data_novonix.csv"
    original = read_cycler_file(source)
    copy = tmp_path / f"{encoding}.csv"
    copy.write_bytes(source.read_text("utf-8").encode(encoding, errors="replace"))
    table = read_cycler_file(copy)
    assert len(table) == len(original)
    np.testing.assert_array_equal(table["voltage_volt"], original["voltage_volt"])


def test_bad_byte_after_the_head_names_its_offset(fixtures_dir, tmp_path):
    """A UTF-8 file (its head shows UTF-8 text: ``µ``) with a stray cp1252 byte far past the
    head: the byte is named by its offset in the file (it was pandas' offset in its buffer,
    ``~0``).  A head of plain ASCII tells no encoding: such a file is read in the one its
    later text shows (``test_regional_exports.py``)."""
    text = (
        (fixtures_dir / LANDT).read_bytes().replace(b"cell model:", "cell model: 5 µm".encode(), 1)
    )
    offset = len(text) - 200
    spoiled = text[:offset] + b"\xe9" + text[offset + 1 :]
    path = tmp_path / "spoiled.csv"
    path.write_bytes(spoiled)
    with pytest.raises(LabDataError, match=rf"spoiled.csv: byte {offset}: not valid utf-8"):
        read_cycler_file(path)


def test_binary_garbage(tmp_path):
    path = tmp_path / "garbage.res"
    path.write_bytes(np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    with pytest.raises(LabDataError, match="line 1: unrecognised cycler format"):
        read_cycler_file(path)


def test_a_table_of_unknown_columns_names_them(tmp_path):
    # it read "(a table with columns none known)"
    path = tmp_path / "plain.csv"
    path.write_text(",".join(f"col{i}" for i in range(10)) + "\n" + ",".join("1" * 10) + "\n")
    with pytest.raises(LabDataError) as info:
        read_cycler_file(path)
    assert ("plain.csv: line 1: unrecognised cycler format (a table with columns 'col0', "
            "'col1', 'col2', 'col3', 'col4', 'col5', 'col6', 'col7' and 2 more, none of them "
            "known); no column found for") in str(info.value)  # fmt: skip


@pytest.mark.parametrize(
    ("name", "target", "fmt", "rows"),
    [
        ("maccor/maccor_example.001", "renamed.mpr", "maccor", 8),
        ("neware_nda/test.nda", "renamed.csv", "neware_nda", 439),
        ("biologic_mpr/GCPL-0.mpr", "renamed.txt", "biologic_mpr", 4),
    ],
)
def test_renamed_extension_is_read_by_content(fixtures_dir, tmp_path, name, target, fmt, rows):
    table = read_cycler_file(copy_bytes(fixtures_dir, C + name, tmp_path, target=target))
    assert table.metadata["format"] == fmt and len(table) == rows


def test_unknown_mpr_version(fixtures_dir, tmp_path):
    def bump_version(data: bytes) -> bytes:
        buffer = bytearray(data)
        # VMP data module header v2: MODULE + 10 + 25 name bytes + max length + length, then
        # the uint32 version (galvani.BioLogic.VMPmodule_hdr_v2).
        buffer[buffer.index(b"MODULEVMP data") + 49] = 7
        return bytes(buffer)

    path = copy_bytes(fixtures_dir, C + "biologic_mpr/GCPL-0.mpr", tmp_path, bump_version, "v.mpr")
    with pytest.raises(
        LabDataError, match=r"unsupported EC-Lab version.*version for data module: 7"
    ):
        read_cycler_file(path)


def test_non_numeric_cell_names_line(fixtures_dir, tmp_path):
    def spoil(data: bytes) -> bytes:
        lines = data.split(b"\n")
        fields = lines[5].split(b",")
        fields[7] = b"3.5x"  # Voltage column of the 5th data row
        lines[5] = b",".join(fields)
        return b"\n".join(lines)

    path = copy_bytes(
        fixtures_dir,
        C + "arbin_csv/2017-05-09_test-TC-contact_CH33.csv",
        tmp_path,
        spoil,
        "bad.csv",
    )
    with pytest.raises(LabDataError, match=r"bad.csv: line 6: column 'Voltage' has non-numeric"):
        read_cycler_file(path)


def test_generic_csv_and_xlsx_with_saved_mapping(tmp_path):
    import pandas as pd

    frame = pd.DataFrame(
        {
            "secs": [0.0, 1.0, 2.0],
            "volt_mV": [3700.0, 3710.0, 3720.0],
            "amps": [0.0, 1.0, 1.0],
            "cyc": [1, 1, 1],
        }
    )
    mapping = {
        "secs": "test_time_second",
        "volt_mV": ["voltage_volt", 1e-3],
        "amps": "current_ampere",
        "cyc": "cycle_count",
    }
    save_mapping(mapping, tmp_path / "map.json")
    mapping = load_mapping(tmp_path / "map.json")
    frame.to_csv(tmp_path / "own.csv", index=False)
    frame.to_excel(tmp_path / "own.xlsx", index=False)
    for name in ("own.csv", "own.xlsx"):
        table = read_cycler_file(tmp_path / name, mapping=mapping)
        np.testing.assert_allclose(table["voltage_volt"], [3.7, 3.71, 3.72])
        np.testing.assert_allclose(table["step_count"], [1, 2, 2])
    with pytest.raises(LabDataError, match=r"asks for column 'temp' \(entry 'temp': 'x'\)"):
        read_cycler_file(tmp_path / "own.csv", mapping=mapping | {"temp": "x"})
    with pytest.raises(
        LabDataError, match=r"own.xlsx: no sheet has a header row with time, voltage and current"
    ):
        read_cycler_file(tmp_path / "own.xlsx")


FUZZ_FILES = [
    "arbin_csv/sample_data_arbin.csv",
    "arbin_csv/2017-05-09_test-TC-contact_CH33.csv",
    "novonix/sample_data_novonix.csv",
    "maccor/maccor_example.001",
    "maccor/maccor_test_file_4267-66-6519.041",
    "maccor/sample_data_maccor.csv",
    "basytec/sample_data_basytec.txt",
    "batteryarchive_csv/CALCE_CX2-33_prism_LCO_25C_0-100_0.5-0.5C_d_timeseries.csv",
    "biologic_mpt/Sample_data_biologic_no_header.mpt",
    "biologic_mpt/exampleDataBioLogic.mpt",
    "biologic_mpr/GCPL-0.mpr",
    "biologic_mpr/PEIS-0.mpr",
    "neware_nda/test.nda",
    "neware_nda/test.ndax",
    "gamry_eis_dta/exampleDataGamry.DTA",
    "arbin_res/arbin_example.res",
]


@st.composite
def mutations(draw, size: int):
    """A list of (kind, position, byte) edits: overwrite, delete, insert, or cut the tail."""
    edits = st.tuples(
        st.sampled_from(["set", "del", "ins", "cut"]),
        st.integers(0, max(size - 1, 0)),
        st.integers(0, 255),
    )
    return draw(st.lists(edits, min_size=1, max_size=8))


def mutate(data: bytes, edits) -> bytes:
    buffer = bytearray(data)
    for kind, position, value in edits:
        position = min(position, max(len(buffer) - 1, 0))
        if kind == "set" and buffer:
            buffer[position] = value
        elif kind == "del" and buffer:
            del buffer[position]
        elif kind == "ins":
            buffer.insert(position, value)
        elif kind == "cut":
            del buffer[position:]
    return bytes(buffer)


@pytest.mark.parametrize("name", FUZZ_FILES)
def test_fuzz_readers_accept_or_raise_labdata_error(fixtures_dir, tmp_path_factory, name):
    source = fixtures_dir / C / name
    original = source.read_bytes()
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copy(source, folder / "keep")  # the sidecar-free copy keeps names stable

    @settings(
        max_examples=50 if source.stat().st_size < 100_000 else 15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(edits=mutations(len(original)))
    def run(edits):
        path = folder / source.name
        path.write_bytes(mutate(original, edits))
        _read_or_name_the_file(path)

    run()


def _read_or_name_the_file(path: Path) -> None:
    """A damaged file is read into a table with columns of one length, or refused with a
    LabDataError that names it."""
    try:
        table = read_cycler_file(path)
    except LabDataError as exc:
        assert str(path) in str(exc)
    else:
        assert isinstance(table, CyclerTable)
        assert len({len(v) for v in table.columns.values()}) == 1


def test_a_file_rewritten_in_place_is_read_anew(tmp_path):
    """The heads and layouts kept between the steps of an import belong to the bytes read,
    not to the file's name, size or time: a file rewritten with its size and modification time
    unchanged is still read as it is now."""
    import os

    rows = "".join(f"{k},{3.0 + k * 1e-3:.3f},{0.5:.3f}\n" for k in range(50))
    path = tmp_path / "run.csv"
    path.write_text("Test Time / s,Voltage / V,Current / A\n" + rows)
    stamp = path.stat().st_mtime_ns
    first = read_cycler_file(path)
    path.write_text("Test Time / s;Voltage / V;Current / A\n" + rows.replace(",", ";"))
    os.utime(path, ns=(stamp, stamp))
    second = read_cycler_file(path)
    np.testing.assert_array_equal(first["voltage_volt"], second["voltage_volt"])
    path.write_text("Test Time / s,Current / A,Voltage / V\n" + rows)  # columns swapped
    os.utime(path, ns=(stamp, stamp))
    swapped = read_cycler_file(path)
    np.testing.assert_array_equal(swapped["current_ampere"], first["voltage_volt"])


def test_a_table_whose_rows_are_mostly_nan_is_still_a_table() -> None:
    """A per-cycle summary writes NaN (or NA, #N/A) where a cycle has no such figure: rows
    mostly missing are numeric rows, not text, so the header above them is found."""
    from pathlib import Path

    from cellwright.projects.labdata.sniff import find_table

    header = "Cycle,Label,Q_dis,E_dis,V_min,V_max,T_min,T_max"
    rows = [f"{k},Aging cycle,{4.9 - 0.01 * k:.3f},NaN,NA,#N/A,nan,NaN" for k in range(1, 7)]
    lines = ["Summary of test p1", "", header, *rows]
    assert find_table(lines, Path("p1.csv")) == (2, ",")


def test_a_biologic_module_length_near_four_gigabytes_is_a_clear_error(fixtures_dir, tmp_path):
    """A module header whose length byte was damaged to ~2³² (found by the fuzz test above,
    2026-12-05): the length is read as a whole number, the module is too short for it, and the
    user is told which file, not shown numpy's overflow warning."""
    source = fixtures_dir / C / "biologic_mpr/GCPL-0.mpr"
    path = tmp_path / source.name
    path.write_bytes(mutate(source.read_bytes(), [("set", 93, 147)]))
    _read_or_name_the_file(path)
