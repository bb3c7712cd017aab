"""cellwright import / labdata list / labdata summary."""

from __future__ import annotations

import csv

import pytest

from cellwright.app.cli import main


def test_import_list_summary(fixtures_dir, tmp_path, capsys) -> None:
    project = tmp_path / "lab.cwproj"
    assert main(["new", str(project)]) == 0
    capsys.readouterr()
    assert (
        main(
            [
                "import",
                str(fixtures_dir / "cycler/arbin_csv"),
                "--project",
                str(project),
                "--cell",
                "SN-1",
                "--mass",
                "45 g",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert (
        "2 imported, 1 skipped, 0 failed" in out
        and "_Metadata.csv: companion file, read with its data file" in out
    )
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        assert {r.mass for r in p.list("labrun")} == {0.045}
    assert main(["labdata", "list", str(project)]) == 0
    assert "2017-05-09_test-TC-contact_CH33" in capsys.readouterr().out
    out_csv = tmp_path / "summary.csv"
    assert (
        main(
            [
                "labdata",
                "summary",
                "2017-05-09_test-TC-contact_CH33",
                "--project",
                str(project),
                "--csv",
                str(out_csv),
            ]
        )
        == 0
    )
    rows = list(csv.reader(out_csv.read_text().splitlines()))
    assert rows[0][0] == "cycle" and len(rows) > 1
    bad = tmp_path / "bad.csv"
    bad.write_text("not,a,cycler\n1,2,3\n")
    assert main(["import", str(bad), "--project", str(project)]) == 2
    assert "FAILED" in capsys.readouterr().out


def test_import_with_a_column_mapping(tmp_path, capsys) -> None:
    import json

    data = tmp_path / "rig.csv"
    data.write_text("t,u,i\n0,3.6,0\n1,3.5,-0.5\n2,3.5,-0.5\n")
    mapping = tmp_path / "rig.json"
    mapping.write_text(
        json.dumps({"t": "test_time_second", "u": "voltage_volt", "i": "current_ampere"})
    )
    project = tmp_path / "p.cwproj"
    main(["new", str(project)])
    assert main(["import", str(data), "--project", str(project)]) == 2  # unknown layout
    assert main(["import", str(data), "--project", str(project), "--mapping", str(mapping)]) == 0
    assert "1 imported" in capsys.readouterr().out


def test_summary_shows_a_charge_only_cycle_without_efficiency(tmp_path, capsys) -> None:
    """A charge-only cycle printed "0" (then "nan") as its coulombic efficiency: a dash now."""
    import json

    data = tmp_path / "rig.csv"
    rows = [f"{k * 60},{3.5 + 0.01 * k},1.0,1" for k in range(10)]  # cycle 1: charge only
    rows += [f"{k * 60},{3.6 - 0.01 * (k - 10)},{1.0 if k < 15 else -1.0},2" for k in range(10, 20)]
    data.write_text("t,u,i,c\n" + "\n".join(rows) + "\n")
    mapping = tmp_path / "rig.json"
    mapping.write_text(
        json.dumps(
            {
                "t": "test_time_second",
                "u": "voltage_volt",
                "i": "current_ampere",
                "c": "cycle_count",
            }
        )
    )
    project = tmp_path / "p.cwproj"
    main(["new", str(project)])
    assert main(["import", str(data), "--project", str(project), "--mapping", str(mapping)]) == 0
    capsys.readouterr()
    assert main(["labdata", "summary", "rig", "--project", str(project)]) == 0
    lines = capsys.readouterr().out.splitlines()
    first = lines[1].split()
    header = lines[0].split()
    assert first[header.index("coulombic_efficiency")] == "-"
    assert lines[2].split()[header.index("coulombic_efficiency")] != "-"
    assert "nan" not in lines[1]  # no column of a time series is missing here


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [("--capacity", "5 kg", "--capacity: '5 kg' cannot be expressed in A.h\n"),
     ("--capacity", "5 Ahh", "--capacity: '5 Ahh' is not a number with a unit (expected A.h)\n"),
     ("--capacity", "-5 Ah", "--capacity: Input should be greater than 0"),
     ("--mass", "0 g", "--mass: Input should be greater than 0 (got '0 g')")],
)  # fmt: skip
def test_a_bad_capacity_or_mass_is_one_line(tmp_path, capsys, option, value, expected) -> None:
    # LabRun refused them as a raw ValidationError: "unexpected failure" and exit status 1;
    # then they were named by LabRun's field ("nominal_capacity: '5 Ahh' … (got '5 Ahh')"),
    # not by the option typed, with the value quoted twice
    data = tmp_path / "rig.csv"
    data.write_text("Test Time (s),Voltage (V),Current (A)\n0,3.6,0\n1,3.5,-0.5\n")
    project = tmp_path / "p.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["import", str(data), option, value, "--project", str(project)]) == 2
    err = capsys.readouterr().err
    assert f"error: {expected}" in err and "unexpected failure" not in err
    assert main(["labdata", "list", str(project)]) == 0
    assert capsys.readouterr().out == ""


def _hppc_csv(tmp_path):
    """A cycler CSV (BDF columns, charge positive) of an HPPC simulated on ECM_Example
    (100 A.h) from 0.9 SOC, and that cell."""
    import numpy as np

    from cellwright.engines.electrochem.ecm_cells import CellBank
    from cellwright.engines.electrochem.ecm_parameters import ecm_parameters_from_pybamm

    cell = ecm_parameters_from_pybamm("ECM_Example")  # 100 A.h
    steps = [(0.0, 600)]
    for _ in range(3):
        steps += [(100.0, 10), (0.0, 900), (-100.0, 10), (0.0, 900), (100.0, 540), (0.0, 900)]
    current = np.concatenate([np.full(n, i) for i, n in steps])
    bank = CellBank(cell, 1, initial_soc=0.9)
    voltage = [bank.step(np.array([i]), 1.0, 298.15, True).voltage[0] for i in current]
    data = tmp_path / "hppc.csv"
    rows = "\n".join(
        f"{k},{v:.6f},{-i}" for k, (v, i) in enumerate(zip(voltage, current, strict=True))
    )
    data.write_text("test_time_second,voltage_volt,current_ampere\n" + rows + "\n")
    return data, cell


def test_ecm_fit_from_a_measured_run(tmp_path, capsys) -> None:
    """A cycler CSV (BDF columns, charge positive) of an HPPC simulated on ECM_Example."""
    import numpy as np
    import pytest

    from cellwright.projects.store import Project

    data, cell = _hppc_csv(tmp_path)
    project = tmp_path / "p.cwproj"
    main(["new", str(project)])
    assert main(["import", str(data), "--project", str(project), "--capacity", "100 Ah"]) == 0
    assert (
        main(
            [
                "ecm",
                "fit",
                "--project",
                str(project),
                "--cell",
                "lg-m50",
                "--run",
                "hppc",
                "--initial-soc",
                "0.9",
                "--rc-pairs",
                "1",
            ]
        )
        == 0
    )
    assert "stored ECM fitted to hppc" in capsys.readouterr().out
    with Project.open(project) as p:
        [design] = p.list("cell")
        fitted = p.get("ecm_parameters", design.ecm_parameters)
    # ECM_Example's own R0 at 25 degC, 100 A and 0.75 SOC
    from cellwright.engines.electrochem.ecm_kernel import interp3

    expected = interp3(
        cell.temperature_axis, cell.current_axis, cell.soc_axis, cell.r0, 298.15, 100.0, 0.75
    )
    assert np.interp(0.75, fitted.soc_axis, fitted.r0[0, 1]) == pytest.approx(expected, rel=0.1)


def test_ecm_fit_of_a_run_without_a_capacity_takes_the_cells_rated_one(tmp_path, capsys) -> None:
    # the run cannot be imported again (the same bytes are refused), so "import it with
    # --capacity" left no way on
    from cellwright.projects.store import Project

    data, _ = _hppc_csv(tmp_path)
    project = tmp_path / "p.cwproj"
    main(["new", str(project)])
    assert main(["import", str(data), "--project", str(project)]) == 0
    fit = ["ecm", "fit", "--project", str(project), "--cell", "lg-e63", "--run", "hppc"]
    assert main([*fit, "--initial-soc", "0.9", "--rc-pairs", "1"]) == 0
    err = capsys.readouterr().err
    assert "capacity 63 A.h: the rated capacity of LG Chem E63 (EV pouch)" in err
    with Project.open(project) as p:
        [design] = p.list("cell")
        assert p.get("ecm_parameters", design.ecm_parameters).capacity == 63.0


def _fit_run(project, cell: str, capsys) -> str:
    fit = ["ecm", "fit", "--project", str(project), "--cell", cell, "--run", "hppc"]
    capsys.readouterr()
    assert main([*fit, "--initial-soc", "0.9", "--rc-pairs", "1"]) == 0
    return capsys.readouterr().out


def _fitted(project, name: str):
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        return p.get("ecm_parameters", p.find("cell", name).ecm_parameters)


def test_ecm_fit_of_a_run_takes_the_cells_heat_capacity(tmp_path, capsys) -> None:
    """A run fit kept ECM_Example's 1000 J/K cell in a 500 J/K jig whatever the cell: a
    69 g LG M50 heated as if it weighed a kilogram. It takes the --cell's lumped cell."""
    data, _ = _hppc_csv(tmp_path)
    project = tmp_path / "p.cwproj"
    main(["new", str(project)])
    assert main(["import", str(data), "--project", str(project), "--capacity", "100 Ah"]) == 0
    out = _fit_run(project, "lg-m50", capsys)
    fitted = _fitted(project, "LG INR21700 M50")
    # 69.25 g at 600-1200 J/(kg K), the range of a lithium-ion cell's specific heat
    assert 0.06925 * 600 < fitted.cell_thermal_mass < 0.06925 * 1200
    assert fitted.jig_thermal_mass < 1e-2 * fitted.cell_thermal_mass
    line = f"thermal mass {fitted.cell_thermal_mass:.3g} J/K and cooling"
    assert line in out and "the lumped cell of LG INR21700 M50 (Chen2020), the --cell design" in out
    assert line in fitted.source


def test_ecm_fit_of_a_linked_run_takes_the_measured_cells_design(tmp_path, capsys) -> None:
    """The cell the run was measured on, by its battery's design, gives the heat capacity
    even when the tables are stored with a design that gives none."""
    from cellwright.projects.model import CellDesign
    from cellwright.projects.store import Project

    data, _ = _hppc_csv(tmp_path)
    project = tmp_path / "p.cwproj"
    main(["new", str(project)])
    with Project.open(project) as p:
        p.put(CellDesign(name="Bare"))  # no parameter set, no electrodes
    assert main(["battery", "add", "SN-1", "-p", str(project), "--design", "lg-m50"]) == 0
    imported = ["import", str(data), "--project", str(project), "--capacity", "100 Ah"]
    assert main([*imported, "--cell", "SN-1"]) == 0
    out = _fit_run(project, "Bare", capsys)
    fitted = _fitted(project, "Bare")
    assert 0.06925 * 600 < fitted.cell_thermal_mass < 0.06925 * 1200
    assert "the lumped cell of LG M50 (Chen2020) (derived from Chen2020), the design of cell " \
        "SN-1, which lab run 'hppc' measured" in out  # fmt: skip


def test_ecm_fit_of_a_run_without_a_thermal_design_says_it_keeps_the_defaults(
    tmp_path, capsys
) -> None:
    from cellwright.projects.model import CellDesign, EcmParameters
    from cellwright.projects.store import Project

    data, _ = _hppc_csv(tmp_path)
    project = tmp_path / "p.cwproj"
    main(["new", str(project)])
    with Project.open(project) as p:
        p.put(CellDesign(name="Bare"))
    assert main(["import", str(data), "--project", str(project), "--capacity", "100 Ah"]) == 0
    out = _fit_run(project, "Bare", capsys)
    fitted = _fitted(project, "Bare")
    default = EcmParameters.model_fields["cell_thermal_mass"].default
    assert fitted.cell_thermal_mass == default
    assert f"thermal mass and cooling: the ECM model's defaults (PyBaMM's ECM_Example: a " \
        f"{default:g} J/K cell" in out  # fmt: skip
    assert "not the measured cell's, as cell design 'Bare' (the --cell design): " \
        "pybamm_parameter_set: the design has no PyBaMM parameter set" in out  # fmt: skip
    assert "not the measured cell's" in fitted.source


def test_a_large_export_shows_its_progress_on_stderr(tmp_path, capsys, monkeypatch) -> None:
    from cellwright.projects.labdata import delimited

    monkeypatch.setattr(delimited, "CHUNK_ROWS", 500)
    data = tmp_path / "channel_1.csv"
    rows = "\n".join(f"{n},{n}.0,1,1,0.5,{3.0 + n * 1e-4:.4f}" for n in range(2000))
    data.write_text("Data_Point,Test_Time,Step_Index,Cycle_Index,Current,Voltage\n" + rows + "\n")
    project = tmp_path / "lab.cwproj"
    assert main(["new", str(project)]) == 0
    capsys.readouterr()
    assert main(["import", str(data), "--project", str(project)]) == 0
    captured = capsys.readouterr()
    assert "(arbin_csv, 2000 rows)" in captured.out and "%" not in captured.out
    assert "channel_1.csv: read 1,000 rows" in captured.err  # each chunk, on stderr
    assert "100.0 %" in captured.err


@pytest.mark.parametrize("command", [["labdata", "list"], ["results"]])
def test_listing_commands_take_the_project_as_the_others_do(tmp_path, capsys, command) -> None:
    """``labdata list`` and ``results`` took the project by position only; every command
    beside them takes ``-p``, and ``labdata list -p P`` was "No such option"."""
    project = tmp_path / "lab.cwproj"
    assert main(["new", str(project)]) == 0
    assert main([*command, str(project)]) == 0
    assert main([*command, "-p", str(project)]) == 0
    assert main([*command, "--project", str(project)]) == 0
    capsys.readouterr()
    assert main(command) == 2
    assert "give the project" in capsys.readouterr().err
    other = tmp_path / "other.cwproj"
    assert main([*command, str(project), "-p", str(other)]) == 2
    assert "two projects given" in capsys.readouterr().err
