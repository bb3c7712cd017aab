"""Every cycler fixture parses; counts and first/last values checked against the raw files.

Expected numbers were read from the files with head/tail/wc, not from the readers.
"""

from __future__ import annotations

import io

import numpy as np
import pytest

from cellwright.projects.labdata import CyclerTable, LabDataError, detect_format, read_cycler_file
from cellwright.projects.labdata import table as t
from support.labdata_reads import read_or_error

C = "cycler/"
# (path, format, rows, {column: (first, last)}, distinct cycle_count values)
CASES = [
    (
        "arbin_csv/2017-05-09_test-TC-contact_CH33.csv",
        "arbin_csv",
        287,
        {
            t.TEST_TIME: (0.0, 1022.8913),
            t.VOLTAGE: (3.298668384552002, 3.4119858741760254),
            t.CURRENT: (6.600444793701172, 1.1000289916992188),
            t.UNIX_TIME: (1494377253.17, 1494378276.0613),
        },
        1,
    ),
    (
        "arbin_csv/sample_data_arbin.csv",
        "arbin_csv",
        13,
        {
            t.TEST_TIME: (30.0005, 301.214),
            t.CURRENT: (0.0, 2.650138),
            t.STEP_INDEX: (1, 3),
            t.SURFACE_TEMPERATURE: (24.66422, 24.68785),
        },
        1,
    ),
    (
        "arbin_res/arbin_example.res",
        "arbin_res",
        2150,
        {
            t.TEST_TIME: (0.07259541979508601, 345733.3894574374),
            t.VOLTAGE: (3.8591957, 3.872108),
            t.STEP_INDEX: (1, 5),
        },
        5,
    ),
    (
        "basytec/sample_data_basytec.txt",
        "basytec",
        74,
        {
            t.TEST_TIME: (0.0, 70.2358036666668),
            t.VOLTAGE: (3.52575489148741, 3.53285012323902),
            t.CURRENT: (0.0, 0.449601734416934),
            t.SURFACE_TEMPERATURE: (25.47953, None),
        },
        None,
    ),
    (
        "batteryarchive_csv/CALCE_CX2-33_prism_LCO_25C_0-100_0.5-0.5C_d_timeseries.csv",
        "batteryarchive_csv",
        15,
        {
            t.TEST_TIME: (30.009, 450.16),
            t.CURRENT: (0.0, 0.675),
            t.VOLTAGE: (3.843, 4.032),
            t.CHARGE_CAPACITY: (0.0, 0.059),
        },
        1,
    ),
    (
        "bdf_csv/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.bdf.csv",
        "bdf_csv",
        25162,
        {
            t.TEST_TIME: (0.020, 262657.764),
            t.VOLTAGE: (2.9215, 0.1086),
            t.CURRENT: (0.0, -0.0002),
            t.DISCHARGE_CAPACITY: (0.0, 0.0013),
        },
        None,
    ),
    (
        "landt_csv/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.csv",
        "landt_csv",
        25162,
        {
            t.TEST_TIME: (0.020, 262657.764),
            t.VOLTAGE: (2.9215, 0.1086),
            t.CURRENT: (0.0, -0.0002),
            t.CYCLE: (1, 2),
        },
        2,
    ),
    (
        "maccor/maccor_example.001",
        "maccor",
        8,
        {t.TEST_TIME: (0.0, 1.1667 * 60), t.VOLTAGE: (3.30678264, 3.30617227)},
        1,
    ),
    (
        "maccor/maccor_test_file_4267-66-6519.041",
        "maccor",
        74,
        {t.TEST_TIME: (0.0, 10.0), t.VOLTAGE: (3.90806439, 3.91172656)},
        None,
    ),
    (
        "maccor/sample_data_maccor.csv",
        "maccor",
        15,
        {
            t.TEST_TIME: (0.0, 13.06),
            t.CURRENT: (0.0, 28.798),
            t.VOLTAGE: (3.668, 3.716),
            t.CHARGE_CAPACITY: (0.0, 0.024),
        },
        1,
    ),
    (
        "novonix/sample_data_novonix.csv",
        "novonix",
        207,
        {
            t.TEST_TIME: (0.0, 3.4131889 * 3600),
            t.VOLTAGE: (3.84318331, 4.12864581),
            t.CURRENT: (0.0, 0.49999387),
            t.CHARGE_CAPACITY: (0.0, 1.70652976),
        },
        1,
    ),
    (
        "biologic_mpt/Sample_data_biologic_no_header.mpt",
        "biologic_mpt",
        13,
        {
            t.TEST_TIME: (2.816723801174285e5, 2.817925021299580e5),
            t.VOLTAGE: (2.9344745, 2.9814022),
        },
        None,
    ),
    ("biologic_mpr/GCPL-0.mpr", "biologic_mpr", 4, {}, None),
    ("biologic_mpr/00_test_02_MB_C01.mpr", "biologic_mpr", 11, {}, None),
    ("neware_nda/test.nda", "neware_nda", 439, {t.VOLTAGE: (-0.0911, -0.0951)}, None),
    ("neware_nda/test.ndax", "neware_nda", 1464, {t.VOLTAGE: (3.4666, None)}, None),
]
IMPEDANCE = [
    (
        "biologic_mpt/exampleDataBioLogic.mpt",
        "biologic_mpt",
        43,
        (1.0003201e3, 6.5470886e1, -3.8998979e-1),
        (1.6895540e-2, 1.1097003e2, -2.3458567),
    ),
    (
        "gamry_eis_dta/exampleDataGamry.DTA",
        "gamry_dta",
        72,
        (200015.6, 825.8584, -1367.239),
        (0.0158898, 17007.49, -6635.557),
    ),
    ("biologic_mpr/PEIS-0.mpr", "biologic_mpr", 60, None, None),
]


@pytest.mark.parametrize(("name", "fmt", "rows", "values", "n_cycles"), CASES)
def test_timeseries_fixture(fixtures_dir, name, fmt, rows, values, n_cycles):
    path = fixtures_dir / C / name
    assert detect_format(path) == fmt
    table = read_cycler_file(path)
    assert isinstance(table, CyclerTable)
    assert len(table) == rows
    assert table.metadata["format"] == fmt and table.metadata["kind"] == "timeseries"
    for column in (t.TEST_TIME, t.VOLTAGE, t.CURRENT, t.STEP_COUNT, t.CYCLE):
        assert table[column].shape == (rows,)
    for column, (first, last) in values.items():
        if first is not None:
            assert table[column][0] == pytest.approx(first, rel=1e-6, abs=1e-9)
        if last is not None:
            assert table[column][-1] == pytest.approx(last, rel=1e-6, abs=1e-9)
    if n_cycles is not None:
        assert len(np.unique(table[t.CYCLE])) == n_cycles


@pytest.mark.parametrize(("name", "fmt", "rows", "first", "last"), IMPEDANCE)
def test_impedance_fixture(fixtures_dir, name, fmt, rows, first, last):
    path = fixtures_dir / C / name
    assert detect_format(path) == fmt
    table = read_cycler_file(path)
    assert table.metadata["kind"] == "impedance"
    assert len(table) == rows
    columns = (t.FREQUENCY, t.Z_REAL, t.Z_IMAG)
    if first is not None:
        assert [table[c][0] for c in columns] == pytest.approx(first, rel=1e-6)
        assert [table[c][-1] for c in columns] == pytest.approx(last, rel=1e-6)
    assert np.all(table[t.FREQUENCY] > 0)


def test_arbin_res_matches_mdb_row_count_and_metadata(fixtures_dir):
    table = read_cycler_file(fixtures_dir / C / "arbin_res/arbin_example.res")
    assert table.metadata["channel"] == "12"
    assert np.all(np.diff(table[t.TEST_TIME]) >= 0)
    assert table[t.UNIX_TIME][0] > 1.0e9  # OLE date converted to a plausible unix time


def test_arbin_sidecar_metadata(fixtures_dir):
    table = read_cycler_file(fixtures_dir / C / "arbin_csv/2017-05-09_test-TC-contact_CH33.csv")
    assert table.metadata["channel"] == "32"
    assert table.metadata["cell_id"] == "EL150800460659"
    assert table.metadata["start_unix_time"] == 1494377253
    with pytest.raises(LabDataError, match="sidecar"):
        read_cycler_file(
            fixtures_dir / C / "arbin_csv/2017-05-09_test-TC-contact_CH33_Metadata.csv"
        )


def test_batteryarchive_cycle_data(fixtures_dir):
    path = fixtures_dir / C / "batteryarchive_csv"
    table = read_cycler_file(next(path.glob("*cycle_data.csv")))
    assert table.metadata["kind"] == "cycle_summary"
    assert len(table) == 9
    assert table[t.DISCHARGE_CAPACITY][0] == pytest.approx(1.292)
    assert table[t.CYCLE][-1] == 9


def test_metadata_from_headers(fixtures_dir):
    """A preamble's start of test becomes ISO 8601 UTC, as a start read from the records'
    clock: the vendor's text ("19.06.2023 17:56:53", "23-Nov-23 3:56:08 PM") was kept as it
    was, which the cell's history and the capacity-fade estimate could not read as a time."""
    basytec = read_cycler_file(fixtures_dir / C / "basytec/sample_data_basytec.txt")
    assert basytec.metadata["channel"] == "1814 CH14 XCTS_40"
    assert basytec.metadata["start_time"] == "2023-06-19T17:56:53+00:00"
    maccor = read_cycler_file(fixtures_dir / C / "maccor/maccor_example.001")
    assert maccor.metadata["cell_id"] == "SET-LN3024-104"
    maccor_csv = read_cycler_file(fixtures_dir / C / "maccor/sample_data_maccor.csv")
    assert maccor_csv.metadata["start_time"] == "2023-11-23T15:56:08+00:00"
    gamry = read_cycler_file(fixtures_dir / C / "gamry_eis_dta/exampleDataGamry.DTA")
    assert gamry.metadata["start_time"] == "2018-04-23T16:43:15+00:00"
    novonix = read_cycler_file(fixtures_dir / C / "novonix/sample_data_novonix.csv")
    assert novonix.metadata["start_time"] == "2025-07-19T15:26:20+00:00"
    # EC-Lab text: "Acquisition started on : 02/04/2018 10:02:46" (it had no start at all)
    eclab = read_cycler_file(fixtures_dir / C / "biologic_mpt/exampleDataBioLogic.mpt")
    assert eclab.metadata["start_time"] == "2018-02-04T10:02:46+00:00"
    assert novonix[t.UNIX_TIME][0] == pytest.approx(1752938780.0)  # 2025-07-19 15:26:20 UTC


def test_clock_columns_parse_with_the_first_stamps_layout_and_fall_back_per_cell():
    from datetime import UTC, datetime

    from cellwright.projects.labdata.datetimes import parse_datetimes

    def unix(*parts):
        return datetime(*parts, tzinfo=UTC).timestamp()

    stamps = np.array(
        ["", "09/20/2024 08:32:34.558", "09/20/2024 08:33:04", "2024-09-21T10:00:00", "n/a"],
        dtype=object,
    )
    seconds = parse_datetimes(stamps)
    assert np.isnan(seconds[0]) and np.isnan(seconds[4])
    np.testing.assert_allclose(
        seconds[1:4],
        [unix(2024, 9, 20, 8, 32, 34, 558000), unix(2024, 9, 20, 8, 33, 4), unix(2024, 9, 21, 10)],
    )
    # a day-first layout (20.09.) decides the whole column: 05.10. is the 5th of October
    day_first = parse_datetimes(np.array(["20.09.2024 08:00:00", "05.10.2024 08:00:00"], object))
    np.testing.assert_allclose(day_first, [unix(2024, 9, 20, 8), unix(2024, 10, 5, 8)])


def test_ndax_records_equal_fastnda_read_on_every_file(monkeypatch):
    """The .ndax reader parses the archive with fastnda's parser and skips fastnda.read's
    general post-processing: every .ndax of the fixtures and the corpus reads to the same
    BDF columns as through fastnda.read."""
    from cellwright.projects.labdata import readers_binary
    from support.paths import CORPUS, FIXTURES

    files = sorted({p for f in (FIXTURES / "cycler", CORPUS) for p in f.glob("**/*.ndax")})
    if not files:
        pytest.skip("no .ndax files here (../shared absent)")

    parsed = []
    original = readers_binary._ndax_records

    def counted(source):
        parsed.append(original(source) is not None)
        return original(source)

    compared = 0
    for path in files:
        monkeypatch.setattr(readers_binary, "_ndax_records", counted)
        quick = read_or_error(path)
        monkeypatch.setattr(readers_binary, "_ndax_records", lambda source: None)
        reference = read_or_error(path)
        if isinstance(reference, str):
            assert isinstance(quick, str), path
            continue
        assert quick.names == reference.names, path
        for name in reference.names:
            np.testing.assert_allclose(quick[name], reference[name], rtol=0, atol=1e-6,
                                       equal_nan=True, err_msg=f"{path}: {name}")  # fmt: skip
        compared += 1
    assert compared >= 8 and sum(parsed) >= 8  # and the quick path read them itself


def test_ndax_test_info_gives_barcode_start_and_channel():
    """A .ndax keeps its test's record in TestInfo.xml: the barcode links the run to its
    cell, the start time and channel are the instrument's (read by hand from the XML)."""
    from support.paths import CORPUS

    path = CORPUS / "g-kimbell+fastnda/tests/test_data/TESTCELL0001-Test_Data_Collection_Ndc17.ndax"
    if not path.exists():
        pytest.skip("corpus file absent")
    table = read_cycler_file(path)
    assert table.metadata["cell_id"] == "TESTCELL0001"
    assert table.metadata["start_time"] == "2025-09-24 15:20:56"
    assert table.metadata["channel"] == "14"
    assert table.metadata["header"]["step_name"] == "Test_Data_Collection_Ndc17.xml"


def test_ndax_with_one_record_file_reads_as_fastnda_reads_it():
    """An archive whose records are all in data.ndc is parsed without fastnda's thread pool:
    the frame equals ``read_ndax``'s; archives with run-info, step or auxiliary files are left
    to ``read_ndax``."""
    from fastnda.ndax import read_ndax

    from cellwright.projects.labdata import readers_binary
    from support.paths import CORPUS, FIXTURES

    files = sorted({p for f in (FIXTURES / "cycler", CORPUS) for p in f.glob("**/*.ndax")})
    if not files:
        pytest.skip("no .ndax files here (../shared absent)")
    single = 0
    for path in files:
        try:
            frame = readers_binary._single_record_file(path)
        except Exception:  # a damaged archive: read_ndax reports it
            continue
        if frame is None:
            continue
        single += 1
        assert frame.equals(read_ndax(path)), path
    assert 1 <= single < len(files)


def test_mpr_read_from_views_equals_galvani_reading_the_file(monkeypatch):
    """galvani's MPRfile handed the file's bytes as views of one read gives every .mpr of the
    fixtures and the corpus the same table (or the same refusal) as reading the file itself."""
    from cellwright.projects.labdata import readers_biologic
    from support.paths import CORPUS, FIXTURES

    files = sorted({p for f in (FIXTURES / "cycler", CORPUS) for p in f.glob("**/*.mpr")})
    if not files:
        pytest.skip("no .mpr files here (../shared absent)")

    compared = 0
    for path in files:
        views = read_or_error(path)
        with monkeypatch.context() as patch:  # galvani reads the open file itself
            patch.setattr(readers_biologic, "_ModuleReads", lambda data: io.BytesIO(data))
            reference = read_or_error(path)
        if isinstance(reference, str):
            assert views == reference, path
            continue
        assert views.names == reference.names and views.metadata == reference.metadata, path
        for name in reference.names:
            np.testing.assert_array_equal(views[name], reference[name], err_msg=f"{path}: {name}")
        compared += 1
    assert compared >= 15


def test_fastnda_time_jump_notes_do_not_reach_the_user():
    # a real BTS 8.5 .ndax whose clock jumped back printed fastnda's "IMPORTANT: … negative
    # jumps" warning into `cellwright import`'s progress line; the reader uses test time
    import logging

    from support.paths import FIXTURES

    path = FIXTURES / "cycler" / "neware_nda" / "test.ndax"
    if not path.exists():
        pytest.skip("../shared/fixtures absent")
    read_cycler_file(path)
    # pytest's log capture hides what logging's last-resort handler prints, so ask the logger
    assert not logging.getLogger("fastnda.ndax").isEnabledFor(logging.WARNING)
    assert logging.getLogger("fastnda.ndax").isEnabledFor(logging.ERROR)
