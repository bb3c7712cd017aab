"""Undoable edits as plain Python objects (glue-style), wrapped for Qt in app/undo.py.

Each command captures what it needs to undo itself when it is created, so it can be done,
undone and redone any number of times against the project file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from cellwright.projects.model import CellDesign, InputError, describe_validation_error

__all__ = ["Command", "DeleteObject", "PutObject", "RenameDesign", "SetField"]


class Command:
    """An edit: ``do`` applies it, ``undo`` reverts it; ``text`` names it in the Edit menu."""

    text: str = ""

    def do(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def undo(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def do_problem(self) -> str | None:
        """Why ``do`` would leave the project inconsistent now, or None (the default)."""
        return None

    def undo_problem(self) -> str | None:
        """Why ``undo`` would leave the project inconsistent now, or None (the default)."""
        return None


def _kind_of(obj: BaseModel) -> str:
    from cellwright.projects.store import KINDS

    return next(kind for kind, cls in KINDS.items() if isinstance(obj, cls))


def _removal_problem(project: Any, obj: BaseModel) -> str | None:
    from cellwright.projects.store.references import removal_problem

    return removal_problem(project, _kind_of(obj), obj.id)


def _name_clash(project: Any, obj: BaseModel) -> str | None:
    """Why storing ``obj`` would give a design a name another design of its kind has."""
    from cellwright.projects.store.names import name_clash

    return name_clash(project, _kind_of(obj), obj.id, getattr(obj, "name", ""))


@dataclass
class PutObject(Command):
    """Add an object, or replace the stored object of the same kind and id."""

    project: Any
    obj: BaseModel
    previous: BaseModel | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        kind = _kind_of(self.obj)
        self.text = f"Add {kind} {getattr(self.obj, 'name', self.obj.id)}"
        try:
            self.previous = self.project.get(kind, self.obj.id)
        except InputError:
            self.previous = None

    def do(self) -> None:
        self.project.put(self.obj)

    def do_problem(self) -> str | None:
        """Not under a name another design has (checked again on every redo)."""
        return _name_clash(self.project, self.obj)

    def undo(self) -> None:
        if self.previous is None:
            self.project.delete(_kind_of(self.obj), self.obj.id)
        else:
            self.project.put(self.previous)

    def undo_problem(self) -> str | None:
        """Undoing an add removes the object: not while something added since refers to it
        (a battery registered to a new design, a pack of a new cell)."""
        if self.previous is not None:
            return _name_clash(self.project, self.previous)
        return _removal_problem(self.project, self.obj)


@dataclass
class DeleteObject(Command):
    """Remove an object."""

    project: Any
    obj: BaseModel

    def __post_init__(self) -> None:
        self.text = f"Delete {getattr(self.obj, 'name', self.obj.id)}"

    def do(self) -> None:
        self.project.delete(_kind_of(self.obj), self.obj.id)

    def undo(self) -> None:
        self.project.put(self.obj)

    def do_problem(self) -> str | None:
        """Not while something refers to the object (checked again on every redo: a battery
        may have been registered to it since it was undone)."""
        return _removal_problem(self.project, self.obj)

    def undo_problem(self) -> str | None:
        """Not back under a name another design has taken since."""
        return _name_clash(self.project, self.obj)


@dataclass
class SetField(Command):
    """Change one field of a stored object, validated like any other input.

    ``name`` may be a dotted path into nested models (``"positive.coating_thickness"``,
    ``"geometry.diameter"``, ``"cooling_plate.channel_count"``); the whole object is validated
    again, so rules that tie nested fields together (channels inside the plate) still hold.

    Raises
    ------
    InputError
        At construction, if the new value is refused (the message names field and range).
    """

    project: Any
    obj: BaseModel
    name: str
    value: Any
    new: BaseModel = field(init=False)

    def __post_init__(self) -> None:
        data = self.obj.model_dump()
        *parents, leaf = self.name.split(".")
        target = data
        for part in parents:
            if not isinstance(target.get(part), dict):
                raise InputError(f"{self.name}: {part} is not set")
            target = target[part]
        target[leaf] = self.value
        if isinstance(self.obj, CellDesign) and leaf == "porosity":
            # calendering packs the same solid tighter: a stated active fraction follows
            from cellwright.projects.design.authoring import with_solid_kept

            with_solid_kept(self.obj, data)
        try:
            self.new = type(self.obj).model_validate(data)
        except ValidationError as exc:
            raise describe_validation_error(exc) from None
        self.text = f"Set {self.name}"

    def do(self) -> None:
        self.project.put(self.new)

    def undo(self) -> None:
        self.project.put(self.obj)


@dataclass
class RenameDesign(Command):
    """Rename a design and, in the same transaction, every reference that names it by its
    name (a pack's cell, a study's design, a battery's design; see
    :func:`cellwright.projects.store.names.rename`); undo renames back the same way.

    Raises
    ------
    InputError
        At construction, if ``name`` is not a valid name.
    """

    project: Any
    obj: BaseModel
    name: str
    old: str = field(init=False)
    rewritten: list[str] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        from cellwright.projects.model.base import name_problem

        problem = name_problem(self.name)
        if problem:
            raise InputError(f"name: {problem}")
        self.old = self.obj.name
        self.text = f"Rename {self.old} to {self.name}"

    def do(self) -> None:
        from cellwright.projects.store.names import rename

        self.rewritten = rename(self.project, _kind_of(self.obj), self.obj.id, self.name)

    def undo(self) -> None:
        from cellwright.projects.store.names import rename

        rename(self.project, _kind_of(self.obj), self.obj.id, self.old)

    def do_problem(self) -> str | None:
        """Not to a name another design of the kind has (checked again on every redo)."""
        return self._clash(self.name)

    def undo_problem(self) -> str | None:
        """Not back to the old name if another design has taken it since."""
        return self._clash(self.old)

    def _clash(self, name: str) -> str | None:
        from cellwright.projects.store.names import name_clash

        return name_clash(self.project, _kind_of(self.obj), self.obj.id, name)
