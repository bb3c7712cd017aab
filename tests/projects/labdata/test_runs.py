"""Lab runs in the project: import, reopen, re-import detection, all-or-nothing per file."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.labdata import LabDataError, read_cycler_file
from cellwright.projects.labdata.runs import import_file, import_paths, load_run
from cellwright.projects.model import InputError
from cellwright.projects.store import Project

VENDOR_FILES = [
    "arbin_res/arbin_example.res",
    "neware_nda/test.ndax",
    "maccor/maccor_test_file_4267-66-6519.041",
    "landt_csv/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.csv",
]


def test_runs_round_trip_through_the_project(fixtures_dir, tmp_path) -> None:
    path = tmp_path / "lab.cwproj"
    with Project.create(path) as project:
        runs = [
            import_file(
                project, fixtures_dir / "cycler" / f, cell_serial="SN-7", nominal_capacity="1.1 Ah"
            )
            for f in VENDOR_FILES
        ]
    with Project.open(path, readonly=True) as project:
        [cell] = project.list("physical_cell")
        assert cell.name == "SN-7"
        for run, rel in zip(runs, VENDOR_FILES, strict=True):
            stored = project.get("labrun", run.id)
            assert stored.physical_cell == cell.id and stored.nominal_capacity == 1.1
            original = read_cycler_file(fixtures_dir / "cycler" / rel)
            again = load_run(project, run.id)
            assert list(again.columns) == list(original.columns)
            for name, values in original.columns.items():
                np.testing.assert_array_equal(again[name], values)


def test_same_bytes_are_not_imported_twice(fixtures_dir, tmp_path) -> None:
    with Project.create(tmp_path / "p.cwproj") as project:
        first = import_file(project, fixtures_dir / "cycler/neware_nda/test.nda")
        copy = tmp_path / "renamed.bin"
        copy.write_bytes((fixtures_dir / "cycler/neware_nda/test.nda").read_bytes())
        with pytest.raises(InputError, match=f"already imported as run {first.id}"):
            import_file(project, copy)


def test_a_bad_file_in_a_folder_leaves_nothing_behind(fixtures_dir, tmp_path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    good = fixtures_dir / "cycler/basytec/sample_data_basytec.txt"
    (folder / good.name).write_bytes(good.read_bytes())
    (folder / "garbage.csv").write_bytes(bytes(range(256)) * 40)
    half = fixtures_dir / "cycler/arbin_csv/sample_data_arbin.csv"
    (folder / "truncated.csv").write_bytes(half.read_bytes()[: len(half.read_bytes()) // 2])
    with Project.create(tmp_path / "p.cwproj") as project:
        steps = []
        report = import_paths(project, [folder], progress=lambda f, m: steps.append(m))
        assert [r.source_file for r in report.imported] == ["sample_data_basytec.txt"]
        assert {p.name for p, _ in report.failed} == {"garbage.csv", "truncated.csv"}
        assert all("line" in why or "byte" in why for _, why in report.failed)
        assert len(project.list("labrun")) == 1
        keys = project._db.execute("SELECT count(*) FROM arrays WHERE key LIKE 'labrun/%'")
        assert keys.fetchone()[0] == len(report.imported[0].columns)
        assert len([m for m in steps if m.startswith("reading")]) == 3


def test_bdf_parquet_equals_the_bdf_csv(fixtures_dir, tmp_path) -> None:
    """The BDF reference CSV written as Parquet reads back to the same canonical table."""
    import polars as pl

    csv_path = fixtures_dir / "cycler/bdf_csv/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.bdf.csv"
    parquet = tmp_path / "run.bdf.parquet"
    pl.read_csv(csv_path, infer_schema_length=None).write_parquet(parquet)
    from cellwright.projects.labdata import detect_format

    assert detect_format(parquet) == "bdf_parquet"
    a, b = read_cycler_file(csv_path), read_cycler_file(parquet)
    for name in ("test_time_second", "voltage_volt", "current_ampere"):
        np.testing.assert_allclose(b[name], a[name], rtol=1e-12)


def _arbin_like_csv(path, rows: int) -> None:
    """An Arbin MITS-style export: 1 A charge then discharge steps, 4000 s per cycle."""
    seconds = np.arange(rows, dtype=float)
    phase = seconds % 4000
    current = np.where(phase < 2000, 1.0, -1.0)
    voltage = 3.0 + 1.2 * np.where(phase < 2000, phase, 4000 - phase) / 2000
    step = np.where(phase < 2000, 1, 2)
    cycle = 1 + seconds // 4000
    block = np.column_stack([seconds, seconds, step, cycle, current, voltage])
    header = "Data_Point,Test_Time,Step_Index,Cycle_Index,Current,Voltage"
    np.savetxt(path, block, fmt="%g", delimiter=",", header=header, comments="")


def test_a_large_export_reports_progress_and_a_cancel_stores_nothing(tmp_path, monkeypatch):
    from cellwright.projects.labdata import delimited, table

    monkeypatch.setattr(delimited, "CHUNK_ROWS", 1000)  # 10 chunks: as a 10-million-row file does
    path = tmp_path / "big_arbin.csv"
    _arbin_like_csv(path, 10_000)
    seen: list[float] = []
    with Project.create(tmp_path / "lab.cwproj") as project:
        run = import_file(project, path, progress=lambda f, _m: seen.append(f))
        assert run.rows == 10_000 and len(seen) >= 10
        assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)

        def cancel_halfway(fraction: float, _message: str) -> None:
            if fraction > 0.5:
                raise table.Cancelled("cancelled by the user")

        again = tmp_path / "again_arbin.csv"
        _arbin_like_csv(again, 9_000)
        with pytest.raises(table.Cancelled):
            import_file(project, again, progress=cancel_halfway)
        assert [r.id for r in project.list("labrun")] == [run.id]  # nothing half-stored


def test_a_vendor_export_without_a_readable_table_fails_and_is_not_skipped(tmp_path) -> None:
    """A Maccor export of a test just started (its preamble and header, no record yet) and an
    Arbin CSV with a row of extra cells among its first were listed as 'skipped: not cycler
    data' in a folder import, as a README is; their content names them as exports: failed."""
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "started.001").write_text(
        "Today's Date 04/04/2016  Date of Test:\t03/31/2016\t Filename:\tC:\\x.001\n"
        "Rec#\tCyc#\tStep\tTest (Min)\tStep (Min)\tAmp-hr\tWatt-hr\tAmps\tVolts\tState\tES\t"
        "DPt Time\n"
    )
    arbin = ["Data_Point,Test_Time(s),Step_Index,Cycle_Index,Current(A),Voltage(V)"]
    arbin += [f"{k + 1},{k}.0,1,1,0.5,3.7" + (",1,2,3" if k == 2 else "") for k in range(8)]
    (folder / "arbin.csv").write_text("\n".join(arbin) + "\n")
    (folder / "notes.txt").write_text("Cell 12 was cycled at 25 C.\nNothing else to say.\n")
    with Project.create(tmp_path / "p.cwproj") as project:
        report = import_paths(project, [folder])
    assert {p.name for p, _ in report.failed} == {"started.001", "arbin.csv"}
    assert {p.name for p, _ in report.skipped} == {"notes.txt"}


def test_instrument_sidecars_are_named_for_what_they_are(tmp_path) -> None:
    """A Maccor procedure (XML, the test's schedule) and an EC-Lab log (.mpl) sit beside the
    data a lab sends; read by content (renamed, or given to ``cellwright import FILE``) each is
    named for what it is, at its line, not reported as a table that could not be found, and a
    folder import skips it as a companion file."""
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "procedure.txt").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<?maccor-application progid="Maccor Procedure File"?>\n'
        "<MaccorTestProcedure>\n  <header>\n    <BuildTestVersion>\n"
        "      <major>1</major>\n    </BuildTestVersion>\n  </header>\n"
        "</MaccorTestProcedure>\n"
    )
    (folder / "run_log.txt").write_text(
        "BT-Lab LOG FILE\n\nModulo Bat\n\nRun on channel : E1 (SN 0600)\n"
        "Acquisition started on : 05/05/2021 15:36:22\n"
    )
    # the procedure's step grid written out as a table (UTF-8 with BOM), the schedule again
    (folder / "schedule.csv").write_text(
        "\ufeffStep,Type,Mode,Value,Limit,Value,End Type,Op,Value,Goto,Report Type,Value,"
        "Options,Step Note (80 character maximum)\n"
        "1,Rest,,,,,Step Time,=,5:00:00,2,Step Time,0:01:00,4NNN,\n"
        ",,,,,,,,,,,,,\n"
        "2,Charge,Current,3,Voltage,4.2,Step Time,=,5:00:00,3,Step Time,0:01:00,4NNN,\n",
        encoding="utf-8",
    )
    with pytest.raises(LabDataError, match=r"schedule.csv: line 1: a Maccor procedure's step"):
        read_cycler_file(folder / "schedule.csv")
    with pytest.raises(LabDataError, match=r"procedure.txt: line 2: a Maccor procedure"):
        read_cycler_file(folder / "procedure.txt")
    with pytest.raises(LabDataError, match=r"run_log.txt: line 1: an EC-Lab/BT-Lab log file"):
        read_cycler_file(folder / "run_log.txt")
    with Project.create(tmp_path / "p.cwproj") as project:
        report = import_paths(project, [folder])
    assert not report.failed and not report.imported
    assert {(p.name, why) for p, why in report.skipped} == {
        ("procedure.txt", "companion file, read with its data file"),
        ("run_log.txt", "companion file, read with its data file"),
        ("schedule.csv", "companion file, read with its data file"),
    }
