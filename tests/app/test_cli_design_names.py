"""``cellwright design rename`` and names already taken, as a user types them."""

from __future__ import annotations

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
