"""Undoable edits ask before they remove something another object still refers to."""

from __future__ import annotations

from cellwright.app.commands import DeleteObject, PutObject
from cellwright.projects.design.reference_designs import lg_m50
from cellwright.projects.model.labrun import PhysicalCell
from cellwright.projects.store import Project


def test_undo_of_an_add_and_redo_of_a_delete_name_the_battery_registered_since(tmp_path) -> None:
    with Project.create(tmp_path / "p.cwproj") as project:
        cell = lg_m50().model_copy(update={"id": "cell-1", "name": "LG M50 (entered)"})
        add = PutObject(project, cell)
        add.do()
        assert add.undo_problem() is None  # nothing uses it yet
        delete = DeleteObject(project, cell)
        assert delete.do_problem() is None
        delete.do()
        delete.undo()  # back again; now a battery is registered to it
        project.put(PhysicalCell(name="SN-1", design=cell.id))
        expected = (
            "cell design LG M50 (entered) is the design of battery SN-1; "
            "a design stays while a battery is built to it"
        )
        assert add.undo_problem() == expected
        assert delete.do_problem() == expected
        # an add that replaced an earlier version only puts that back: nothing is removed
        renamed = PutObject(project, cell.model_copy(update={"name": "renamed"}))
        assert renamed.undo_problem() is None
