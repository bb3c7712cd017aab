"""Records that are no cycling test through the lab commands: an impedance spectrum, a
voltammetry, an open-circuit record, a cycling test without HPPC pulses. Each is named with
what it is and why nothing comes of it, not a table of nonsense or a bare "no pulses"."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.app.cli import main
from support.paths import CORPUS


def _error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and "unexpected failure" not in err
    return err


def _imported(tmp_path, capsys, *files, extra=()) -> str:
    project = tmp_path / "lab.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["import", *map(str, files), "-p", str(project), *extra]) == 0
    capsys.readouterr()
    return str(project)


def _corpus(name: str):
    found = sorted(CORPUS.rglob(name)) if CORPUS.is_dir() else []
    if not found:
        pytest.skip(f"{name} not found in the cycler corpus at {CORPUS} (set CELLWRIGHT_CORPUS)")
    return found[0]


@pytest.mark.parametrize(
    ("name", "run", "expected"),
    [
        # was "analysis needs a time series, this table is 'impedance'"
        ("peis.mpt", "peis", "peis.mpt: an impedance spectrum, not a time record"),
        # was one "cycle" with a coulombic efficiency of 992.8
        ("lsv.mpr", "lsv", "lsv.mpr: a voltammetry record (LSV): the current follows"),
        ("cv.mpr", "cv", "cv.mpr: a voltammetry record (CV)"),
        # was a row of zero capacities
        ("ocv.mpt", "ocv", "ocv.mpt: no current flows in this record"),
    ],
)
def test_summary_of_a_record_without_cycles_says_what_it_is(tmp_path, capsys, name, run, expected):
    project = _imported(tmp_path, capsys, _corpus(name))
    assert main(["labdata", "summary", run, "-p", project]) == 2
    err = _error(capsys)
    assert expected in err and "nothing to summarise as" in err


def _cc_cycles(path) -> None:
    """Two CC cycles at 1 A of a 1 A.h cell, 10 s records, 10-minute rests: no pulse."""
    rows, clock = [], 0.0
    for _ in range(2):
        for current, seconds in ((1.0, 3600), (0.0, 600), (-1.0, 3600), (0.0, 600)):
            for _ in range(seconds // 10):
                clock += 10.0
                rows.append(f"{clock},{3.7 + 0.1 * np.sign(current)},{current}")
    path.write_text("test_time_second,voltage_volt,current_ampere\n" + "\n".join(rows) + "\n")


def test_ecm_fit_on_a_record_without_pulses_names_the_run(tmp_path, capsys):
    """Was "error: no HPPC pulses found (…)", leaving open which run had none and why."""
    record = tmp_path / "cc-cycles.csv"
    _cc_cycles(record)
    project = _imported(tmp_path, capsys, record, extra=("--capacity", "1 Ah"))
    assert main(["ecm", "fit", "--cell", "lg-m50", "--run", "cc-cycles", "-p", project]) == 2
    assert "cc-cycles: no HPPC pulses found" in _error(capsys)


def test_ecm_fit_on_an_impedance_spectrum_says_it_is_one(tmp_path, capsys):
    """Was a pulse search through a spectrum's rows and "no HPPC pulses found"."""
    project = _imported(tmp_path, capsys, _corpus("peis.mpt"), extra=("--capacity", "1 Ah"))
    assert main(["ecm", "fit", "--cell", "lg-m50", "--run", "peis", "-p", project]) == 2
    err = _error(capsys)
    assert "lab run 'peis' is an impedance spectrum, not a time record" in err
    assert "no HPPC pulses" not in err


def test_twin_soh_says_why_its_linked_runs_gave_no_capacity(tmp_path, capsys):
    """A battery whose only linked run charges and never discharges was told "no capacity
    check, record or telemetry to estimate from", as if nothing were linked to it."""
    record = tmp_path / "formation-charge.csv"
    rows = [f"{10.0 * k},{3.0 + 0.001 * k},1.0" for k in range(1, 361)]
    record.write_text("test_time_second,voltage_volt,current_ampere\n" + "\n".join(rows) + "\n")
    project = tmp_path / "lab.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["battery", "add", "SN-7", "-p", str(project)]) == 0
    assert main(["import", str(record), "-p", str(project), "--cell", "SN-7"]) == 0
    capsys.readouterr()
    assert main(["twin", "soh", "SN-7", "-p", str(project)]) == 2
    err = _error(capsys)
    assert "SN-7: no capacity check, record or telemetry" in err
    assert "lab run 'formation-charge': no discharge" in err


def test_two_runs_of_one_name_are_not_guessed_between(tmp_path, capsys):
    """cycle.csv and cycle.txt (a file and its other export) are two runs named "cycle":
    `labdata summary cycle` printed the one stored last without a word; each is named by id
    and file, and the id picks one."""
    for suffix, capacity in ((".csv", 1.0), (".txt", 0.9)):
        _cc_cycles(tmp_path / f"cycle{suffix}")
        if capacity != 1.0:  # other bytes: the same bytes are not imported twice
            lines = (tmp_path / f"cycle{suffix}").read_text().splitlines()
            (tmp_path / f"cycle{suffix}").write_text("\n".join(lines[:-10]) + "\n")
    project = _imported(tmp_path, capsys, tmp_path / "cycle.csv", tmp_path / "cycle.txt")
    assert main(["labdata", "summary", "cycle", "-p", project]) == 2
    err = _error(capsys)
    assert "2 lab runs are named 'cycle': " in err
    assert "(cycle.csv)" in err and "(cycle.txt)" in err and "give the run's id" in err
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        run_id = next(r.id for r in p.list("labrun") if r.source_file.endswith("cycle.txt"))
    assert main(["labdata", "summary", run_id, "-p", project]) == 0
    assert main(["ecm", "fit", "--cell", "lg-m50", "--run", "cycle", "-p", project]) == 2
    assert "2 lab runs are named 'cycle'" in _error(capsys)
