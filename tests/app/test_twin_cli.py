"""cellwright battery / twin / passport, end to end on a simulated cell, as docs/cli.md shows."""

from __future__ import annotations

import json
import sqlite3

import pytest

from cellwright.app.cli import main
from cellwright.resources import ROOT
from support.twin import START, write_csv
from support.twin_sim import simulate_fast


@pytest.fixture(scope="module")
def cell_project(tmp_path_factory):
    """A project with an ECM cell design and three telemetry files, five days apart."""
    from cellwright.engines.electrochem.ecm_parameters import ecm_parameters_from_pybamm
    from cellwright.projects.model import CellDesign
    from cellwright.projects.store import Project

    folder = tmp_path_factory.mktemp("twin-cli")
    ecm = ecm_parameters_from_pybamm("ECM_Example")
    path = folder / "fleet.cwproj"
    with Project.create(path) as p:
        p.put(ecm)
        p.put(CellDesign(id="ecm-cell", name="ECM cell", format="prismatic", ecm_parameters=ecm.id))
    files = []
    for n, (fade, day) in enumerate((((0.95, 0.95), 0), ((0.94, 0.94), 5), ((0.93, 0.93), 10))):
        sim = simulate_fast(ecm, 6 * 3600, fade, seed=20 + n)
        cols = {
            "time": sim.time + START + day * 86400,
            "current": sim.current,
            "voltage": sim.voltage,
            "temperature": sim.temperature - 273.15,
        }
        files.append(write_csv(folder / f"bms-{n}.csv", cols))
    eol = folder / "eol.csv"
    eol.write_text(f"serial,production_date,capacity_ah\nC-001,2023-11-01,{0.96 * ecm.capacity}\n")
    return path, files, eol


def test_battery_twin_and_passport_commands(cell_project, capsys, tmp_path):
    project, files, eol = cell_project
    p = ["--project", str(project)]
    assert main(["battery", "add", "C-001", "--design", "ecm-cell", *p]) == 0
    assert main(["twin", "import", *map(str, files), "--battery", "C-001", *p]) == 0
    assert main(["twin", "import", str(files[0]), "--battery", "C-001", *p]) == 0
    assert "skipped, already imported" in capsys.readouterr().out
    assert main(["twin", "import", str(eol), "--kind", "manufacturing", *p]) == 0
    capsys.readouterr()
    assert main(["twin", "soh", "C-001", "--json", *p]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["capacity_ah"] == pytest.approx(93.0, rel=0.01)
    assert report["rul"]["unit"] == "days" and report["rul"]["message"]
    assert [pt["source"] for pt in report["capacity_points"]] == [
        "manufacturing",
        "ekf",
        "ekf",
        "ekf",
    ]
    assert main(["twin", "soh", "C-001", *p]) == 0
    text = capsys.readouterr().out
    assert "SOH" in text and "RUL" in text and "A.h" in text
    assert main(["twin", "verify", *p]) == 0
    assert "verified 1 chains" in capsys.readouterr().out
    entries = ROOT / "examples" / "passport_entries.json"
    assert main(["passport", "set", "C-001", "--file", str(entries), *p]) == 0
    assert (
        main(
            [
                "passport",
                "set",
                "C-001",
                "battery_mass=1.9",
                "maximum_power=1500",
                "power_energy_ratio=4.1",
                "initial_round_trip_efficiency=95.5",
                *p,
            ]
        )
        == 0
    )
    out = tmp_path / "public.json"
    assert main(["passport", "export", "C-001", "--access", "public", "-o", str(out), *p]) == 0
    assert main(["passport", "validate", str(out)]) == 0
    assert "valid battery-pass passport" in capsys.readouterr().out
    public = json.loads(out.read_text())
    assert "remainingCapacity" not in json.dumps(public)  # legitimate interest only
    full = tmp_path / "authority.json"
    assert main(["passport", "export", "C-001", "--access", "authority", "-o", str(full), *p]) == 0
    assert "remainingCapacity" in full.read_text()
    # The serial first, as in `passport set`; the earlier FILE --battery SERIAL still works.
    assert main(["passport", "import", "C-001", str(full), *p]) == 0
    assert "into the passport of C-001" in capsys.readouterr().out
    assert main(["passport", "import", str(full), "--battery", "C-001", *p]) == 0
    assert "into the passport of C-001" in capsys.readouterr().out
    assert main(["passport", "import", "C-001", str(full), "--battery", "C-001", *p]) != 0
    assert main(["passport", "import", str(full), *p]) != 0
    assert "SERIAL FILE" in capsys.readouterr().err
    assert main(["passport", "issue", "C-001", *p]) == 0
    assert main(["passport", "qr", "C-001", "-o", str(tmp_path / "qr.svg"), *p]) == 0


def test_tampering_is_reported_by_verify(cell_project, capsys):
    project, _, _ = cell_project
    if main(["battery", "add", "C-002", "--project", str(project)]) != 0:
        pytest.skip("battery exists")
    db = sqlite3.connect(project)
    db.execute("DROP TRIGGER twin_events_append_only_update")
    db.execute(
        "UPDATE twin_events SET time = '2020-01-01T00:00:00+00:00' WHERE seq = 0 "
        "AND battery = (SELECT id FROM objects WHERE name = 'C-002')"
    )
    db.commit()
    db.close()
    capsys.readouterr()
    assert main(["twin", "verify", "--project", str(project)]) == 1
    assert "TAMPERED  C-002: event 0 was edited" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["twin", "import", "x.csv", "--kind", "nonsense"], "--kind must be one of"),
        (["twin", "import", "x.csv"], "--kind telemetry needs --battery"),
        # nan let every gap through; -1 refused every one as "-1 day, 23:59:59"
        (
            ["twin", "import", "x.csv", "--battery", "C-1", "--max-gap", "nan"],
            "--max-gap: must be a finite number (got nan)",
        ),
        (["twin", "import", "x.csv", "--battery", "C-1", "--max-gap", "-1"], "(got -1.0)"),
        (["twin", "soh", "NOPE"], "no battery with serial 'NOPE'"),
        (
            ["passport", "export", "NOPE", "--access", "everyone", "-o", "x.json"],
            "access level 'everyone' is not one of",
        ),
    ],
)
def test_errors_are_one_line(cell_project, capsys, argv, message):
    project, _, _ = cell_project
    assert main([*argv, "--project", str(project)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err


def test_passport_validate_reports_schema_problems(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "batteryChemistry": {"shortName": 3},
                "batteryMaterials": [],
                "hazardousSubstances": [],
            }
        ),
        encoding="utf-16",
    )
    assert main(["passport", "validate", str(bad)]) == 1
    assert "batteryChemistry: 'clearName' is a required property" in capsys.readouterr().err


def test_soh_does_not_take_a_record_capacity_in_milliampere_hours(tmp_path, capsys):
    p = ["--project", str(tmp_path / "f.cwproj")]
    assert main(["new", p[1]]) == 0
    assert main(["battery", "add", "M-1", "--design", "lg-m50", *p]) == 0  # rated 5 A.h
    eol = tmp_path / "eol.csv"
    eol.write_text("serial,production_date,capacity\nM-1,2024-03-01,5020\n", encoding="utf-8")
    assert main(["twin", "import", str(eol), "--kind", "manufacturing", *p]) == 0
    capsys.readouterr()
    # it was an SOH of 100400 % and a passport remaining capacity of 5020 A.h
    assert main(["twin", "soh", "M-1", *p]) == 2
    err = capsys.readouterr().err
    assert "capacity 5020 not taken: an SOH of 100400 % of the rated 5 A.h" in err
    assert "mA.h?" in err
    service = tmp_path / "service.csv"
    service.write_text("serial,capacity_ah\nM-1,4.9\n", encoding="utf-8")
    assert main(["twin", "import", str(service), "--kind", "manufacturing", *p]) == 0
    capsys.readouterr()
    assert main(["twin", "soh", "M-1", "--json", *p]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["soh"] == pytest.approx(0.98)
    assert any("capacity 5020 not taken" in note for note in report["notes"])


def test_soh_says_why_a_record_capacity_is_not_a_number(tmp_path, capsys):
    p = ["--project", str(tmp_path / "f.cwproj")]
    assert main(["new", p[1]]) == 0
    assert main(["battery", "add", "M-1", "--design", "lg-m50", *p]) == 0
    eol = tmp_path / "eol.csv"
    eol.write_text("serial;production_date;capacity_ah\nM-1;2024-03-01;4,98\n", encoding="utf-8")
    assert main(["twin", "import", str(eol), "--kind", "manufacturing", *p]) == 0
    capsys.readouterr()
    # the record's capacity was dropped and the estimate said only that there was nothing
    assert main(["twin", "soh", "M-1", *p]) == 2
    err = capsys.readouterr().err
    assert "manufacturing event 1: capacity_ah '4,98' not taken: not a number of A.h" in err
    assert "decimal comma" in err


def test_pack_telemetry_is_filtered_as_its_average_cell(tmp_path):
    from cellwright.app.twin_estimates import estimate_battery
    from cellwright.engines.electrochem.ecm_parameters import ecm_parameters_from_pybamm
    from cellwright.projects.model import CellDesign, PackDesign
    from cellwright.projects.passport.batteries import add_battery
    from cellwright.projects.passport.telemetry import import_telemetry
    from cellwright.projects.store import Project

    ecm = ecm_parameters_from_pybamm("ECM_Example")
    with Project.create(tmp_path / "pack.cwproj") as p:
        p.put(ecm)
        p.put(CellDesign(id="ecm-cell", name="ECM cell", format="prismatic", ecm_parameters=ecm.id))
        p.put(PackDesign(id="pk", name="10s2p", cell="ecm-cell", series=10, parallel=2))
        add_battery(p, "P-1", "pk", kind="pack")
        for week in range(2):
            sim = simulate_fast(ecm, 2 * 3600, (0.95 - 0.01 * week,) * 2, seed=40 + week)
            cols = {
                "time": sim.time + START + week * 7 * 86400,
                "current": 2 * sim.current,  # two strings share the pack current
                "voltage": 10 * sim.voltage,  # ten cells add their voltages
                "temperature": sim.temperature - 273.15,
            }
            import_telemetry(p, write_csv(tmp_path / f"pack-{week}.csv", cols), "P-1")
        report = estimate_battery(p, "P-1", store=False)
    # the cell's ECM on the pack's voltage gave an SOH of -968 % and an SOC of 1948 %
    assert report.rated_capacity == pytest.approx(2 * ecm.capacity)
    assert report.soh == pytest.approx(0.94, abs=0.02)
    assert 0.0 <= report.soc <= 1.0
    assert report.resistance / report.resistance_initial == pytest.approx(1.0, abs=0.3)
    assert any("10 in series, 2 in parallel" in note for note in report.notes)


def test_an_estimate_for_another_threshold_is_stored_as_its_own_event(tmp_path, capsys):
    p = ["--project", str(tmp_path / "f.cwproj")]
    assert main(["new", p[1]]) == 0
    assert main(["battery", "add", "M-1", "--design", "lg-m50", *p]) == 0
    checks = tmp_path / "checks.csv"
    checks.write_text(
        "time,kind,description,capacity_ah\n"
        + "".join(f"2025-0{m}-01,service,check,{5.0 - 0.05 * m}\n" for m in range(1, 6)),
        encoding="utf-8",
    )
    assert main(["twin", "import", str(checks), "--kind", "events", "--battery", "M-1", *p]) == 0
    reports = []
    for threshold in ("0.8", "0.8", "0.7"):
        capsys.readouterr()
        assert main(["twin", "soh", "M-1", "--json", "--threshold", threshold, *p]) == 0
        reports.append(json.loads(capsys.readouterr().out))
    first, again, other = (r["estimate_event"] for r in reports)
    assert first == again  # nothing new: the same estimate
    # it named the 0.8 estimate as the one of 0.7, whose remaining life it does not hold
    assert other == first + 1
    assert reports[2]["rul"]["threshold_fraction"] == 0.7
