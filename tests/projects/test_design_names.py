"""One name means one design, and renaming a design takes the references by name along."""

from __future__ import annotations

import pytest

from cellwright.projects.design.authoring import new_pack, unique_name, variant_of
from cellwright.projects.design.reference_designs import lg_m50
from cellwright.projects.model import DesignKind, DesignRef, InputError, Study
from cellwright.projects.model.design_study import DesignStudy
from cellwright.projects.model.labrun import PhysicalCell
from cellwright.projects.model.twin import PhysicalPack
from cellwright.projects.store import Project
from cellwright.projects.store.names import name_clash, rename, variant_name


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "p.cwproj") as project:
        yield project


def _cell(project, name: str = "LG M50", obj_id: str = "cell-1"):
    cell = lg_m50().model_copy(update={"id": obj_id, "name": name})
    project.put(cell)
    return cell


def test_a_second_design_of_the_same_name_is_refused_naming_the_first(project) -> None:
    _cell(project)
    with pytest.raises(InputError) as caught:
        _cell(project, obj_id="cell-2")
    assert caught.value.detail == (
        "a cell design named 'LG M50' is already in the project (id cell-1); choose another name"
    )
    assert [c.id for c in project.list("cell")] == ["cell-1"]
    # a pack may share a cell's name (a reference says which kind it means), and an edit of
    # the design that keeps its name is stored as before
    project.put(new_pack("LG M50", "cell-1", 2, 1))
    project.put(project.get("cell", "cell-1").model_copy(update={"notes": "edited"}))
    assert project.get("cell", "cell-1").notes == "edited"


def test_a_name_that_is_another_designs_id_is_refused(project) -> None:
    _cell(project, obj_id="m50")
    assert name_clash(project, "cell", "cell-2", "m50") == (
        "'m50' is the id of another cell design in the project; choose another name"
    )


def test_duplicates_of_an_older_project_stay_editable_and_can_be_renamed_apart(project) -> None:
    _cell(project)
    # a project saved before the rule: written as its older version did, past put()
    twin = lg_m50().model_copy(update={"id": "cell-2", "name": "LG M50"})
    project._db.execute(
        "INSERT INTO objects (kind, id, name, json, updated_at) VALUES ('cell', ?, ?, ?, '')",
        (twin.id, twin.name, twin.model_dump_json()),
    )
    project.put(twin.model_copy(update={"notes": "still editable"}))
    # a third of the name (a design file without ids, meant as one of them) says how on
    assert name_clash(project, "cell", "cell-3", "LG M50") == (
        "2 cell designs are named 'LG M50' in this project (ids cell-1, cell-2: it was saved "
        "before design names had to be unique); choose another name; or, for a design file "
        "meant to update one of them, give its design that one's id; or rename one apart "
        "first (cellwright design rename ID NEW_NAME)"
    )
    rename(project, "cell", "cell-2", "LG M50 B")
    assert sorted(c.name for c in project.list("cell")) == ["LG M50", "LG M50 B"]


def test_free_names_are_proposed_past_names_and_ids(project) -> None:
    _cell(project, "Cell", obj_id="Cell (2)")
    assert unique_name(project, "cell", "Cell") == "Cell (3)"
    assert unique_name(project, "cell", "Other") == "Other"


def test_a_variant_is_named_readably_and_counts_on_past_names_taken(project) -> None:
    assert variant_name(project, "cell", "LG M50") == "LG M50 (variant)"
    _cell(project, "LG M50 (variant)", obj_id="v1")
    assert variant_name(project, "cell", "LG M50") == "LG M50 (variant 2)"
    _cell(project, "LG M50 (variant 2)", obj_id="v2")
    # a variant of a variant is its original's next, not "LG M50 (variant 2) (variant)"
    assert variant_name(project, "cell", "LG M50 (variant 2)") == "LG M50 (variant 3)"
    assert variant_name(project, "pack", "LG M50") == "LG M50 (variant)"  # names per kind
    assert variant_name(project, "cell", "Odd (variant) name") == "Odd (variant) name (variant)"


def test_a_rename_rewrites_what_named_the_design_by_its_name(project) -> None:
    cell = _cell(project)
    by_id = new_pack("by id", cell.id, 2, 1)
    by_name = new_pack("by name", "LG M50", 4, 2)
    ref = DesignRef(kind=DesignKind("cell"), id="LG M50")
    study = Study(name="s1", engine="electrochem.ecm", design=ref)
    sweep = DesignStudy(name="sweep", engine="electrochem.ecm", design=ref,
                        inputs=[{"path": "spec.c_rate", "low": 0.5, "high": 2.0}])  # fmt: skip
    battery = PhysicalCell(name="SN-1", design="LG M50")
    for obj in (by_id, by_name, study, sweep, battery):
        project.put(obj)

    rewritten = rename(project, "cell", cell.id, "M50 production")

    assert rewritten == [
        "the design of study s1",
        "the design of design study sweep",
        "the cell of pack by name",
        "the design of battery SN-1",
    ]
    assert project.get("cell", cell.id).name == "M50 production"
    assert project.get("pack", by_name.id).cell == "M50 production"
    assert project.get("pack", by_id.id).cell == cell.id  # an id survives a rename untouched
    assert project.get("study", study.id).design.id == "M50 production"
    assert project.get("design_study", sweep.id).design.id == "M50 production"
    assert project.get("physical_cell", battery.id).design == "M50 production"
    for holder in (project.get("pack", by_name.id), project.get("physical_cell", battery.id)):
        target = holder.cell if hasattr(holder, "cell") else holder.design
        assert project.find("cell", target).id == cell.id  # still resolves to the design


def test_a_pack_rename_takes_its_battery_and_study_along(project) -> None:
    cell = _cell(project)
    pack = new_pack("4s2p", cell.id, 4, 2)
    project.put(pack)
    project.put(PhysicalPack(name="PK-1", design="4s2p"))
    project.put(Study(name="s", engine="electrochem.ecm",
                      design=DesignRef(kind=DesignKind("pack"), id="4s2p")))  # fmt: skip
    project.put(Study(name="cell study", engine="electrochem.ecm",
                      design=DesignRef(kind=DesignKind("cell"), id="4s2p")))  # fmt: skip
    assert rename(project, "pack", pack.id, "4s2p v2") == [
        "the design of study s",
        "the design of battery PK-1",
    ]
    assert [b.design for b in project.list("physical_pack")] == ["4s2p v2"]
    # a study of a cell called like the pack's old name is not the pack's
    assert {s.name: s.design.id for s in project.list("study")}["cell study"] == "4s2p"


def test_a_refused_rename_changes_nothing(project) -> None:
    cell = _cell(project)
    _cell(project, "Other", obj_id="cell-2")
    pack = new_pack("p", "LG M50", 2, 1)
    project.put(pack)
    with pytest.raises(InputError, match="named 'Other' is already in the project"):
        rename(project, "cell", cell.id, "Other")
    with pytest.raises(InputError, match="name: a name cannot be empty"):
        rename(project, "cell", cell.id, " ")
    assert project.get("cell", cell.id).name == "LG M50"
    assert project.get("pack", pack.id).cell == "LG M50"


def test_a_name_that_means_another_design_is_not_rewritten(project) -> None:
    cell = _cell(project)
    other = variant_of(cell, "x").model_copy(update={"id": "LG M50"})  # its id is the name
    project.put(other)
    pack = new_pack("p", "LG M50", 2, 1)  # find() prefers the id: this is the other design
    project.put(pack)
    assert rename(project, "cell", cell.id, "renamed") == []
    assert project.get("pack", pack.id).cell == "LG M50"


def test_a_design_may_not_take_the_place_of_a_library_cell_something_names(project) -> None:
    # a study of a cell design names no library cell (its kind would be library_cell)
    project.put(Study(name="s", engine="electrochem.ecm",
                      design=DesignRef(kind=DesignKind("cell"), id="lg-m50")))  # fmt: skip
    assert name_clash(project, "cell", "new", "lg-m50") is None
    project.put(new_pack("library module", "lg-m50", 4, 2))  # the library's LG M50
    with pytest.raises(InputError) as caught:
        _cell(project, "lg-m50")
    assert caught.value.detail == (
        "'lg-m50' is the library cell that is the cell of pack library module; a cell design "
        "so named would take its place there; choose another name"
    )
    cell = _cell(project, "my cell")
    with pytest.raises(InputError, match="'lg-m50' is the library cell"):
        rename(project, "cell", cell.id, "lg-m50")
    # a name nothing in the library has is what a reference to nothing yet is waiting for
    waiting = new_pack("waiting", "Cell to come", 2, 1)
    project.put(waiting)
    _cell(project, "Cell to come", obj_id="cell-2")
    assert project.find("cell", waiting.cell).id == "cell-2"
