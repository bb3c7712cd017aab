"""``cellwright cost reset``: a project's cost model back to the library's.

There was no way back from ``cost set`` and ``cost price`` but undoing each change by hand (and
knowing BatPaC's value of each); a damaged stored cost model could not be replaced at all, as
``cost set`` reads it first.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess

import pytest

from cellwright.app.cli import main


def _error(capsys) -> str:
    err = capsys.readouterr().err
    assert "unexpected failure" not in err
    return err


def _assumptions(project, capsys) -> dict:
    capsys.readouterr()
    assert main(["cost", "show", "lg-m50", "--json", "-p", str(project)]) == 0
    return json.loads(capsys.readouterr().out)["assumptions"]


@pytest.fixture
def changed(tmp_path, capsys):
    """A project whose cost model has its own formation cost and a price of its own."""
    project = tmp_path / "p.cwproj"
    assert main(["new", str(project)]) == 0
    library = _assumptions(project, capsys)
    assert main(["cost", "set", "formation", "50", "-p", str(project)]) == 0
    args = ["nmc811", "30", "--source", "supplier quote 2025", "-p", str(project)]
    assert main(["cost", "price", *args]) == 0
    capsys.readouterr()
    return project, library


def test_reset_puts_back_the_library_assumptions_and_prices(changed, capsys) -> None:
    project, library = changed
    assert _assumptions(project, capsys)["formation"] == 50
    assert main(["cost", "reset", "-p", str(project)]) == 0
    assert "cost model reset to the library's assumptions and prices" in capsys.readouterr().out
    assert _assumptions(project, capsys) == library
    assert main(["cost", "reset", "-p", str(project)]) == 0  # again: says so, changes nothing
    assert "already uses the library's cost model" in capsys.readouterr().out


def test_reset_keeping_prices_keeps_only_the_prices(changed, capsys) -> None:
    project, library = changed
    assert main(["cost", "reset", "--keep-prices", "-p", str(project)]) == 0
    assert "the project's 1 price(s) kept" in capsys.readouterr().out
    now = _assumptions(project, capsys)
    assert now["prices"]["nmc811"]["value"] == 30
    assert {**now, "prices": {}} == library


def test_a_damaged_cost_model_can_be_reset_but_not_have_its_prices_kept(changed, capsys):
    project, library = changed
    with sqlite3.connect(project) as db:
        db.execute("UPDATE objects SET json = '{not json' WHERE kind = 'cost_model'")
    db.close()
    assert main(["cost", "reset", "--keep-prices", "-p", str(project)]) == 2
    assert "its prices cannot be kept: reset without --keep-prices" in _error(capsys)
    assert main(["cost", "reset", "-p", str(project)]) == 0
    assert _assumptions(project, capsys) == library


def test_reset_of_a_missing_project_is_one_line(tmp_path, capsys) -> None:
    missing = tmp_path / "nope.cwproj"
    assert main(["cost", "reset", "-p", str(missing)]) == 2
    assert "nope.cwproj: no such project file" in _error(capsys)
    assert not missing.exists()


def test_reset_of_a_read_only_project_changes_nothing(changed, capsys) -> None:
    project, _ = changed
    chattr = shutil.which("chattr")  # chmod does not stop root; an immutable file does
    if chattr is None or subprocess.run([chattr, "+i", str(project)]).returncode != 0:
        pytest.skip("cannot make the file immutable here")
    try:
        before = project.read_bytes()
        assert main(["cost", "reset", "-p", str(project)]) == 2
        assert "p.cwproj: the project file cannot be written" in _error(capsys)
        assert project.read_bytes() == before
    finally:
        subprocess.run([chattr, "-i", str(project)], check=True)
    assert _assumptions(project, capsys)["formation"] == 50
