"""cellwright import / labdata list / labdata summary."""

from __future__ import annotations

import csv

from app.cli import main


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
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "2 imported, 1 skipped, 0 failed" in out and "_Metadata.csv sidecar" in out
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
