"""``cellwright passport import`` and ``export`` from the command line: what a user is told."""

from __future__ import annotations

import pytest

from cellwright.app.cli import main
from support.passports import catenax_example, fleet_project, write_json


@pytest.fixture
def project(tmp_path):
    return fleet_project(tmp_path)


@pytest.fixture
def catenax_file(fixtures_dir, tmp_path):
    """The Catena-X 6.1.0 example payload (its impossible date mended) as a file."""
    return write_json(tmp_path, catenax_example(fixtures_dir), "catenax.json")


def test_a_catenax_import_warns_of_the_missing_state_of_charge_and_export_says_how(
    project, catenax_file, tmp_path, capsys
):
    assert main(["passport", "import", "SN-1", str(catenax_file), "-p", str(project)]) == 0
    err = capsys.readouterr().err
    assert "warning: passport attribute remaining_power_capability " in err
    assert f"cellwright passport set SN-1 --project {project} 'remaining_power_capability=" in err
    out = tmp_path / "bp.json"
    args = ["passport", "export", "SN-1", "-p", str(project), "--access", "authority"]
    assert main([*args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "remaining_power_capability" in err and "cellwright passport set SN-1" in err
    assert "'atSoC' is a required property" not in err
