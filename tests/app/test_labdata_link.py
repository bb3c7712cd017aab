"""A lab run imported before its cell was known is linked to the cell afterwards.

Importing the same file again with ``--cell`` is refused as the same bytes, so before
``labdata link`` a lab that imported first had no way to say which cell a test came from.
"""

from __future__ import annotations

from cellwright.app.cli import main
from cellwright.projects.store import Project


def _project(tmp_path):
    data = tmp_path / "cap_check.csv"
    rows = [f"{60 * k},{4.1 - 0.01 * k:.3f},-1.0" for k in range(10)]
    data.write_text("test_time_second,voltage_volt,current_ampere\n" + "\n".join(rows) + "\n")
    project = tmp_path / "p.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["import", str(data), "-p", str(project)]) == 0
    for serial in ("SN-7", "SN-8"):
        assert main(["battery", "add", serial, "-p", str(project)]) == 0
    assert main(["import", str(data), "-p", str(project), "--cell", "SN-7"]) == 0
    with Project.open(project, readonly=True) as p:
        [run] = p.list("labrun")
        assert run.physical_cell == ""  # skipped as the same bytes: the cell is not linked
    return project


def test_a_run_is_linked_to_its_cell_and_recorded_in_its_history(tmp_path, capsys) -> None:
    project = _project(tmp_path)
    capsys.readouterr()
    link = ["labdata", "link", "cap_check", "--battery", "SN-7", "-p", str(project)]
    assert main(link) == 0
    assert "linked cap_check to SN-7" in capsys.readouterr().out
    with Project.open(project, readonly=True) as p:
        [cell] = [c for c in p.list("physical_cell") if c.name == "SN-7"]
        [run] = p.list("labrun")
        assert run.physical_cell == cell.id
        kinds = [e.kind for e in p.events(cell.id)]
        assert kinds.count("labrun") == 1
    assert main(link) == 0  # again: nothing changes, the history gets no second event
    assert "linked to SN-7 already" in capsys.readouterr().out
    with Project.open(project, readonly=True) as p:
        assert [e.kind for e in p.events(cell.id)].count("labrun") == 1
    assert main(["twin", "verify", "-p", str(project)]) == 0


def test_a_run_is_not_moved_to_another_cell_or_linked_to_a_pack(tmp_path, capsys) -> None:
    project = _project(tmp_path)
    assert main(["labdata", "link", "cap_check", "--battery", "SN-7", "-p", str(project)]) == 0
    capsys.readouterr()
    assert main(["labdata", "link", "cap_check", "--battery", "SN-8", "-p", str(project)]) == 2
    assert "is linked to cell 'SN-7' already" in capsys.readouterr().err
    assert main(["battery", "add", "P-1", "--kind", "pack", "-p", str(project)]) == 0
    capsys.readouterr()
    assert main(["labdata", "link", "cap_check", "--battery", "P-1", "-p", str(project)]) == 2
    assert "lab runs are measured on cells; 'P-1' is a pack" in capsys.readouterr().err
    assert main(["labdata", "link", "nothing", "--battery", "SN-7", "-p", str(project)]) == 2
