"""``cellwright design rename`` and names already taken, as a user types them."""

from __future__ import annotations

import pytest

from cellwright.app.cli import main
from cellwright.projects.design.authoring import new_pack
from cellwright.projects.design.reference_designs import lg_m50
from cellwright.projects.model import DesignKind, DesignRef, Study
from cellwright.projects.store import Project


def test_rename_takes_the_packs_and_studies_that_name_the_design_along(tmp_path, capsys) -> None:
    path = tmp_path / "p.cwproj"
    cell = lg_m50().model_copy(update={"name": "M50"})
    pack = new_pack("module", "M50", 4, 2)  # by name, as a design file may give it
    with Project.create(path) as p:
        p.put(cell)
        p.put(pack)
        p.put(Study(name="s", engine="electrochem.ecm",
                    design=DesignRef(kind=DesignKind.CELL, id="M50")))  # fmt: skip
    assert main(["design", "rename", "M50", "M50 production", "-p", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        f"renamed cell design M50 to M50 production (id {cell.id})",
        "  and the design of study s",
        "  and the cell of pack module",
    ]
    with Project.open(path, readonly=True) as p:
        assert p.find("cell", p.get("pack", pack.id).cell).id == cell.id
        assert p.list("study")[0].design.id == "M50 production"
    assert main(["design", "show", "module", "-p", str(path)]) == 0  # its cell still found


def test_a_name_another_design_has_is_refused_naming_it(tmp_path, capsys) -> None:
    path = tmp_path / "p.cwproj"
    p = str(path)
    assert main(["new", p]) == 0
    assert main(["design", "new", "A", "--template", "21700", "-p", p]) == 0
    assert main(["design", "new", "B", "--template", "18650", "-p", p]) == 0
    capsys.readouterr()
    assert main(["design", "new", "A", "--template", "18650", "-p", p]) == 2
    err = capsys.readouterr().err
    with Project.open(path, readonly=True) as opened:
        first = opened.find("cell", "A")
        assert len(opened.list("cell")) == 2
    assert f"a cell design named 'A' is already in the project (id {first.id})" in err
    assert main(["design", "rename", "B", "A", "-p", p]) == 2
    assert "choose another name" in capsys.readouterr().err
    assert "Traceback" not in err


def test_a_study_on_a_design_file_without_ids_run_again_is_the_same_design(
    tmp_path, capsys
) -> None:
    """Each run stored the file's designs under new ids: a second cell of the same name; now
    a name another design has would be refused only after the solve, so the file's designs
    are the project's of their names."""
    path = tmp_path / "p.cwproj"
    Project.create(path).close()
    (tmp_path / "cell.toml").write_text('[cell]\nname = "C"\nfrom = "template:21700"\n')
    study = tmp_path / "study.toml"
    study.write_text(
        '[study]\nengine = "electrochem.ecm"\n[design]\nfile = "cell.toml"\n[spec]\n'
        'parameters = "pybamm:ECM_Example"\nc_rate = 1\nduration = 1\n'
    )
    assert main(["run", str(study), "--project", str(path)]) == 0, capsys.readouterr().err
    assert main(["run", str(study), "--project", str(path)]) == 0, capsys.readouterr().err
    with Project.open(path, readonly=True) as opened:
        (cell,) = opened.list("cell")
        assert [s.design.id for s in opened.list("study")] == [cell.id, cell.id]
    # an edited file is refused before the solve, naming the design it would replace
    (tmp_path / "cell.toml").write_text('[cell]\nname = "C"\nfrom = "template:18650"\n')
    assert main(["run", str(study), "--project", str(path)]) == 2
    assert "which running would replace" in capsys.readouterr().err


def _legacy_twins(path) -> tuple[str, str]:
    """A project saved before design names were unique: two cell designs named M50 (the second
    written as the older version did, past ``put``), and a pack naming its cell by that name."""
    first = lg_m50().model_copy(update={"id": "m50-a", "name": "M50"})
    second = lg_m50().model_copy(update={"id": "m50-b", "name": "M50", "notes": "older"})
    with Project.create(path) as p:
        p.put(first)
        p._db.execute(
            "INSERT INTO objects (kind, id, name, json, updated_at) VALUES ('cell', ?, ?, ?, ?)",
            (second.id, second.name, second.model_dump_json(), "2024-03-01T09:30:00+00:00"),
        )
        p.put(new_pack("module", "M50", 4, 2))
    return first.id, second.id


def _refused_as_ambiguous(capsys, args: list[str]) -> str:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "2 cell designs are named 'M50' in this project" in err
    assert "id m50-a (last stored 20" in err
    assert "id m50-b (last stored 2024-03-01 09:30 UTC)" in err
    assert "give the id of the one you mean" in err
    assert "cellwright design rename ID NEW_NAME" in err
    assert "Traceback" not in err
    return err


def test_a_name_two_designs_of_an_older_project_share_is_refused_listing_them(
    tmp_path, capsys
) -> None:
    """Each by-name lookup took the design stored last, silently: a report, a cost or a run of
    'M50' could be of the other design than the one meant."""
    path = tmp_path / "p.cwproj"
    p = str(path)
    _legacy_twins(path)
    (tmp_path / "study.toml").write_text(
        '[study]\nengine = "electrochem.ecm"\n[design]\ncell = "M50"\n[spec]\n'
        'parameters = "pybamm:ECM_Example"\nc_rate = 1\nduration = 1\n'
    )
    _refused_as_ambiguous(capsys, ["design", "show", "M50", "-p", p])
    _refused_as_ambiguous(capsys, ["design", "show", "module", "-p", p])  # the pack's cell
    _refused_as_ambiguous(capsys, ["design", "export", "M50", "-o", str(tmp_path / "d.toml"),
                                   "-p", p])  # fmt: skip
    _refused_as_ambiguous(capsys, ["cost", "show", "M50", "-p", p])
    _refused_as_ambiguous(capsys, ["report", "M50", "-p", p, "-o", str(tmp_path / "r.html")])
    _refused_as_ambiguous(capsys, ["battery", "add", "SN-1", "--design", "M50", "-p", p])
    _refused_as_ambiguous(capsys, ["design", "rename", "M50", "M50 B", "-p", p])
    err = _refused_as_ambiguous(capsys, ["run", str(tmp_path / "study.toml"), "-p", p])
    assert f"{tmp_path / 'study.toml'}:4: [design] cell: 2 cell designs" in err
    # by its id each is found; renamed apart, the name means the one that kept it
    assert main(["design", "show", "m50-b", "-p", p]) == 0
    assert main(["design", "rename", "m50-b", "M50 B", "-p", p]) == 0
    capsys.readouterr()
    assert main(["design", "show", "module", "-p", p]) == 0, capsys.readouterr().err
    with Project.open(path, readonly=True) as opened:
        assert opened.find("cell", "M50").id == "m50-a"
        assert opened.get("pack", opened.find("pack", "module").id).cell == "M50"


def test_a_cell_and_a_pack_of_one_name_are_told_apart_by_kind_or_id(tmp_path, capsys) -> None:
    """A pack may share its cell's name; a lookup by that name took the cell silently (the
    report or cost of 'Module' was the cell's), and 'battery add --kind pack --design Module'
    was refused as 'a cell design, not a pack design'."""
    path = tmp_path / "p.cwproj"
    p = str(path)
    cell = lg_m50().model_copy(update={"name": "Module"})
    pack = new_pack("Module", cell.id, 4, 2)
    with Project.create(path) as opened:
        opened.put(cell)
        opened.put(pack)
    both = (
        f"a cell design (id {cell.id}) and a pack design (id {pack.id}) are both named "
        "'Module' in this project; give the id of the one you mean"
    )
    for args in (["design", "show", "Module"], ["cost", "show", "Module"],
                 ["report", "Module", "-o", str(tmp_path / "r.html")],
                 ["design", "rename", "Module", "Other"]):  # fmt: skip
        assert main([*args, "-p", p]) == 2
        err = capsys.readouterr().err
        assert both in err and "Traceback" not in err
    assert main(["design", "show", pack.id, "-p", p]) == 0
    assert capsys.readouterr().out.startswith("Module\n")
    # a battery says which kind it is built to
    assert main(["battery", "add", "PK-1", "--kind", "pack", "--design", "Module", "-p", p]) == 0
    assert main(["battery", "add", "C-1", "--design", "Module", "-p", p]) == 0
    from cellwright.projects.passport.batteries import find_battery
    from cellwright.projects.passport.telemetry import rated_capacity

    with Project.open(path, readonly=True) as opened:  # the pack's passport is the pack's
        pack_ah, cell_ah = (rated_capacity(opened, find_battery(opened, serial))
                            for serial in ("PK-1", "C-1"))  # fmt: skip
    assert pack_ah == pytest.approx(pack.parallel * cell_ah)
